// The schedules table: recurring pulses (partition "schedule", one row per schedule, edits guarded
// by the row's ETag) and, per schedule, one row per occurrence that came due (partition
// "occ-<scheduleId>", row key = the occurrence's Hamburg date). An occurrence row is created
// insert-only before its run is started: whichever instance creates it starts the run, every other
// instance gets 409 and leaves it. The row then records the run id or why it did not start.
import { ConflictError } from '../errors';
import type { District } from '../domain/vocabulary';
import type { OccurrenceRecord, OccurrenceStatus, Schedule } from '../surveys/schedule';
import {
  decodeKey,
  deleteIfExists,
  deletePartitions,
  encodeKey,
  getOrUndefined,
  mapConflict,
  statusOf,
  type TableStore,
} from './tables';

const SCHEDULES = 'schedule';
const occurrences = (scheduleId: string) => `occ-${encodeKey(scheduleId)}`;

interface ScheduleEntity {
  partitionKey: string;
  rowKey: string;
  surveyId: string;
  districts: string;
  groupIds: string;
  unit: string;
  every: number;
  firstDate: string;
  time: string;
  openDays: number;
  active: boolean;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
  updatedAt: Date;
  notBefore: Date;
}

interface OccurrenceEntity {
  partitionKey: string;
  rowKey: string;
  dueAt: Date;
  status: string;
  claimedBy: string;
  claimedAt: Date;
  runId?: string;
  error?: string;
  recipients?: number;
}

export class ScheduleRepository {
  constructor(private readonly store: TableStore) {}

  /** Creates a schedule; ConflictError when the id is taken. */
  async create(schedule: Omit<Schedule, 'etag'>): Promise<Schedule> {
    const res = await mapConflict(() => this.client().createEntity(toEntity(schedule)));
    return { ...schedule, etag: res.etag ?? '' };
  }

  /** Replaces a schedule if nobody changed it since it was read (ETag); ConflictError otherwise. */
  async replace(schedule: Omit<Schedule, 'etag'>, etag: string): Promise<Schedule> {
    const res = await mapConflict(() => this.client().updateEntity(toEntity(schedule), 'Replace', { etag }));
    return { ...schedule, etag: res.etag ?? '' };
  }

  async get(scheduleId: string): Promise<Schedule | undefined> {
    const e = await getOrUndefined(() =>
      this.client().getEntity<ScheduleEntity>(SCHEDULES, encodeKey(scheduleId)),
    );
    return e && toSchedule(e);
  }

  /** Every schedule (a few dozen at most: one small partition). */
  async list(): Promise<Schedule[]> {
    const out: Schedule[] = [];
    const rows = this.client().listEntities<ScheduleEntity>({
      queryOptions: { filter: `PartitionKey eq '${SCHEDULES}'` },
    });
    for await (const e of rows) out.push(toSchedule(e));
    return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** Deletes a schedule and its occurrence records; false when there was none. Runs stay. */
  async delete(scheduleId: string): Promise<boolean> {
    const existed = await deleteIfExists(() => this.client().deleteEntity(SCHEDULES, encodeKey(scheduleId)));
    await deletePartitions(this.client(), [occurrences(scheduleId)]);
    return existed;
  }

  /**
   * Claims an occurrence: creates its record (insert-only). Returns the record when this call
   * created it, undefined when it existed already (another instance, or an earlier tick, has it).
   */
  async claim(
    scheduleId: string,
    occurrence: string,
    dueAt: Date,
    instanceId: string,
    now: Date,
  ): Promise<OccurrenceRecord | undefined> {
    const entity: OccurrenceEntity = {
      partitionKey: occurrences(scheduleId),
      rowKey: occurrence,
      dueAt,
      status: 'claimed',
      claimedBy: instanceId,
      claimedAt: now,
    };
    try {
      const res = await this.client().createEntity(entity);
      return toOccurrence({ ...entity, etag: res.etag ?? '' });
    } catch (err) {
      if (statusOf(err) === 409) return undefined;
      throw err;
    }
  }

  /**
   * Takes over a claim whose instance died before recording an outcome (guarded by its ETag, so
   * only one instance takes it over). Returns the new record, or undefined when someone else did.
   */
  async takeOver(
    record: OccurrenceRecord,
    instanceId: string,
    now: Date,
  ): Promise<OccurrenceRecord | undefined> {
    try {
      const res = await mapConflict(() =>
        this.client().updateEntity(
          {
            partitionKey: occurrences(record.scheduleId),
            rowKey: record.occurrence,
            claimedBy: instanceId,
            claimedAt: now,
          },
          'Merge',
          { etag: record.etag },
        ),
      );
      return { ...record, claimedBy: instanceId, claimedAt: now, etag: res.etag ?? '' };
    } catch (err) {
      if (err instanceof ConflictError) return undefined;
      throw err;
    }
  }

  /** Records an occurrence's outcome (guarded by the claim's ETag: a lost claim cannot overwrite). */
  async settle(
    record: OccurrenceRecord,
    outcome: {
      status: Exclude<OccurrenceStatus, 'claimed'>;
      runId?: string;
      error?: string;
      recipients?: number;
    },
  ): Promise<void> {
    await mapConflict(() =>
      this.client().updateEntity(
        {
          partitionKey: occurrences(record.scheduleId),
          rowKey: record.occurrence,
          status: outcome.status,
          ...(outcome.runId !== undefined ? { runId: outcome.runId } : {}),
          ...(outcome.error !== undefined ? { error: outcome.error } : {}),
          ...(outcome.recipients !== undefined ? { recipients: outcome.recipients } : {}),
        },
        'Merge',
        { etag: record.etag },
      ),
    );
  }

  async getOccurrence(scheduleId: string, occurrence: string): Promise<OccurrenceRecord | undefined> {
    const e = await getOrUndefined(() =>
      this.client().getEntity<OccurrenceEntity>(occurrences(scheduleId), occurrence),
    );
    return e && toOccurrence(e);
  }

  /** The schedule's occurrence records, newest first, at most `limit`. */
  async occurrences(scheduleId: string, limit = 10): Promise<OccurrenceRecord[]> {
    const out: OccurrenceRecord[] = [];
    const rows = this.client().listEntities<OccurrenceEntity>({
      queryOptions: { filter: `PartitionKey eq '${occurrences(scheduleId)}'` },
    });
    for await (const e of rows) out.push(toOccurrence(e));
    return out.sort((a, b) => b.occurrence.localeCompare(a.occurrence)).slice(0, limit);
  }

  private client() {
    return this.store.client('schedules');
  }
}

function toEntity(s: Omit<Schedule, 'etag'>): ScheduleEntity {
  return {
    partitionKey: SCHEDULES,
    rowKey: encodeKey(s.scheduleId),
    surveyId: s.surveyId,
    districts: JSON.stringify(s.districts),
    groupIds: JSON.stringify(s.groupIds),
    unit: s.cadence.unit,
    every: s.cadence.every,
    firstDate: s.firstDate,
    time: s.time,
    openDays: s.openDays,
    active: s.active,
    createdBy: s.createdBy,
    createdByName: s.createdByName,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    notBefore: s.notBefore,
  };
}

function toSchedule(e: ScheduleEntity & { etag: string }): Schedule {
  return {
    scheduleId: decodeKey(e.rowKey),
    surveyId: e.surveyId,
    districts: JSON.parse(e.districts) as District[],
    groupIds: JSON.parse(e.groupIds) as string[],
    cadence: { unit: e.unit === 'months' ? 'months' : 'weeks', every: Number(e.every) },
    firstDate: e.firstDate,
    time: e.time,
    openDays: Number(e.openDays),
    active: e.active === true,
    createdBy: e.createdBy,
    createdByName: e.createdByName,
    createdAt: new Date(e.createdAt),
    updatedAt: new Date(e.updatedAt),
    notBefore: new Date(e.notBefore),
    etag: e.etag,
  };
}

function toOccurrence(e: OccurrenceEntity & { etag: string }): OccurrenceRecord {
  const status = e.status as OccurrenceStatus;
  return {
    scheduleId: decodeKey(e.partitionKey.slice('occ-'.length)),
    occurrence: e.rowKey,
    dueAt: new Date(e.dueAt),
    status,
    claimedBy: e.claimedBy,
    claimedAt: new Date(e.claimedAt),
    ...(e.runId ? { runId: e.runId } : {}),
    ...(e.error ? { error: e.error } : {}),
    ...(typeof e.recipients === 'number' ? { recipients: e.recipients } : {}),
    etag: e.etag,
  };
}
