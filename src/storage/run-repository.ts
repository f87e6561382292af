// The runs table: one row per survey run, its survey definition frozen in at the start.
import { surveySchema } from '../surveys/definition';
import type { Audience, ProgressCardTarget, Run } from '../surveys/model';
import { ConflictError } from '../errors';
import { decodeKey, encodeKey, getOrUndefined, mapConflict, type TableStore } from './tables';
import type { District } from '../domain/vocabulary';

const PARTITION = 'run';

interface RunEntity {
  partitionKey: string;
  rowKey: string;
  surveyId: string;
  definition: string;
  audience: string;
  startedAt: Date;
  closesAt: Date;
  closedAt?: Date;
  startedBy: string;
  audienceSize?: number;
  sealedAt?: Date;
  purgedAt?: Date;
  resultsShared?: string;
  progressCard?: string;
  scheduleId?: string;
}

export class RunRepository {
  constructor(private readonly store: TableStore) {}

  /** Creates a run; a ConflictError when the id is taken. */
  async create(run: Run): Promise<void> {
    await mapConflict(() => this.store.client('runs').createEntity<RunEntity>(toEntity(run)));
  }

  async get(runId: string): Promise<Run | undefined> {
    const e = await getOrUndefined(() =>
      this.store.client('runs').getEntity<RunEntity>(PARTITION, encodeKey(runId)),
    );
    return e ? toRun(e) : undefined;
  }

  /** Closes a run now (idempotent: an already closed run keeps its first closing time). */
  async close(runId: string, at: Date): Promise<Run | undefined> {
    const client = this.store.client('runs');
    const e = await getOrUndefined(() => client.getEntity<RunEntity>(PARTITION, encodeKey(runId)));
    if (!e) return undefined;
    if (e.closedAt) return toRun(e);
    await mapConflict(() =>
      client.updateEntity({ partitionKey: PARTITION, rowKey: e.rowKey, closedAt: at }, 'Merge', {
        etag: e.etag,
      }),
    );
    return toRun({ ...e, closedAt: at });
  }

  /** Records that the run's secret was destroyed and its responses rewritten. */
  async markSealed(runId: string, at: Date): Promise<void> {
    await this.store
      .client('runs')
      .updateEntity({ partitionKey: PARTITION, rowKey: encodeKey(runId), sealedAt: at }, 'Merge');
  }

  /**
   * Records the statement that goes back to the staff with the results: once per run (ETag-guarded,
   * so two officers or two clicks cannot both send). False when it was shared already.
   */
  async markResultsShared(
    runId: string,
    shared: { statement: string; at: Date; by: string },
  ): Promise<boolean> {
    const client = this.store.client('runs');
    const e = await getOrUndefined(() => client.getEntity<RunEntity>(PARTITION, encodeKey(runId)));
    if (!e || e.resultsShared) return false;
    try {
      await mapConflict(() =>
        client.updateEntity(
          { partitionKey: PARTITION, rowKey: e.rowKey, resultsShared: JSON.stringify(shared) },
          'Merge',
          { etag: e.etag },
        ),
      );
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  /** Records that retention deleted the run's data. */
  async markPurged(runId: string, at: Date): Promise<void> {
    await this.store
      .client('runs')
      .updateEntity({ partitionKey: PARTITION, rowKey: encodeKey(runId), purgedAt: at }, 'Merge');
  }

  /** All runs, newest first. Runs are few (a handful a month), so one partition holds them. */
  async list(): Promise<Run[]> {
    const runs: Run[] = [];
    const entities = this.store.client('runs').listEntities<RunEntity>({
      queryOptions: { filter: `PartitionKey eq '${PARTITION}'` },
    });
    for await (const e of entities) runs.push(toRun(e));
    return runs.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  }
}

function toEntity(run: Run): RunEntity {
  return {
    partitionKey: PARTITION,
    rowKey: encodeKey(run.runId),
    surveyId: run.survey.id,
    definition: JSON.stringify(run.survey),
    audience: JSON.stringify(run.audience),
    startedAt: run.startedAt,
    closesAt: run.closesAt,
    ...(run.closedAt ? { closedAt: run.closedAt } : {}),
    startedBy: run.startedBy,
    ...(run.audienceSize !== undefined ? { audienceSize: run.audienceSize } : {}),
    ...(run.sealedAt ? { sealedAt: run.sealedAt } : {}),
    ...(run.purgedAt ? { purgedAt: run.purgedAt } : {}),
    ...(run.resultsShared ? { resultsShared: JSON.stringify(run.resultsShared) } : {}),
    ...(run.progressCard ? { progressCard: JSON.stringify(run.progressCard) } : {}),
    ...(run.scheduleId ? { scheduleId: run.scheduleId } : {}),
  };
}

function sharedOf(json: string): { statement: string; at: Date; by: string } {
  const v = JSON.parse(json) as { statement: string; at: string; by: string };
  return { statement: v.statement, at: new Date(v.at), by: v.by };
}

function audienceOf(a: Audience): Audience {
  if (a.kind === 'districts') return { kind: 'districts', districts: [...a.districts] as District[] };
  if (a.kind === 'directory')
    return {
      kind: 'directory',
      everyone: a.everyone === true,
      districts: [...(a.districts ?? [])] as District[],
      groups: (a.groups ?? []).map((g) => ({ id: String(g.id), name: String(g.name) })),
    };
  return { kind: 'all' };
}

function toRun(e: RunEntity): Run {
  const audience = JSON.parse(e.audience) as Audience;
  return {
    runId: decodeKey(e.rowKey),
    survey: surveySchema.parse(JSON.parse(e.definition)),
    audience: audienceOf(audience),
    startedAt: new Date(e.startedAt),
    closesAt: new Date(e.closesAt),
    closedAt: e.closedAt ? new Date(e.closedAt) : undefined,
    startedBy: e.startedBy,
    ...(typeof e.audienceSize === 'number' ? { audienceSize: e.audienceSize } : {}),
    ...(e.sealedAt ? { sealedAt: new Date(e.sealedAt) } : {}),
    ...(e.purgedAt ? { purgedAt: new Date(e.purgedAt) } : {}),
    ...(e.resultsShared ? { resultsShared: sharedOf(e.resultsShared) } : {}),
    ...(e.progressCard ? { progressCard: JSON.parse(e.progressCard) as ProgressCardTarget } : {}),
    ...(e.scheduleId ? { scheduleId: e.scheduleId } : {}),
  };
}
