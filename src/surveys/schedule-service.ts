// Officers' edits of recurring schedules: validate, create, replace (ETag-guarded), pause/resume,
// delete, and list with the next start and what became of the last occurrences.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { isDistrict, type District } from '../domain/vocabulary';
import { ConflictError } from '../errors';
import type { ScheduleRepository } from '../storage/schedule-repository';
import {
  isDate,
  MAX_EVERY,
  MAX_OPEN_DAYS,
  minPeriodDays,
  nextStart,
  TIME,
  type Cadence,
  type Occurrence,
  type OccurrenceRecord,
  type Schedule,
} from './schedule';

export interface ScheduleFields {
  surveyId: string;
  districts: string[];
  groupIds: string[];
  cadence: Cadence;
  firstDate: string;
  time: string;
  openDays: number;
  active: boolean;
}

export type ScheduleIssue = { path: string; message: string };

export type SaveResult =
  | { kind: 'saved'; schedule: Schedule }
  | { kind: 'invalid'; issues: ScheduleIssue[] }
  | { kind: 'stale' }
  | { kind: 'not_found' };

export interface ScheduleListEntry {
  schedule: Schedule;
  next: Occurrence | undefined;
  history: OccurrenceRecord[];
}

export interface ScheduleServiceOptions {
  schedules: ScheduleRepository;
  clock: Clock;
  surveyExists(surveyId: string): boolean;
  /** Groups need the directory. */
  hasDirectory: boolean;
  newId?(): string;
}

const GROUP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ScheduleService {
  constructor(private readonly o: ScheduleServiceOptions) {}

  async list(historyLimit = 5): Promise<ScheduleListEntry[]> {
    const now = this.o.clock.now();
    const all = await this.o.schedules.list();
    return Promise.all(
      all.map(async (schedule) => ({
        schedule,
        next: nextStart(schedule, now),
        history: await this.o.schedules.occurrences(schedule.scheduleId, historyLimit),
      })),
    );
  }

  async get(scheduleId: string): Promise<Schedule | undefined> {
    return this.o.schedules.get(scheduleId);
  }

  validate(f: ScheduleFields): ScheduleIssue[] {
    const issues: ScheduleIssue[] = [];
    if (!this.o.surveyExists(f.surveyId)) issues.push({ path: 'surveyId', message: 'unknown survey' });
    if (!f.districts.every(isDistrict)) issues.push({ path: 'districts', message: 'unknown district' });
    if (!f.groupIds.every((g) => GROUP_ID.test(g)))
      issues.push({ path: 'groupIds', message: 'not a group id' });
    else if (f.groupIds.length > 0 && !this.o.hasDirectory)
      issues.push({ path: 'groupIds', message: 'groups need the directory' });
    const max = MAX_EVERY[f.cadence.unit];
    if (!Number.isInteger(f.cadence.every) || f.cadence.every < 1 || f.cadence.every > max)
      issues.push({ path: 'cadence.every', message: `between 1 and ${max}` });
    if (!isDate(f.firstDate)) issues.push({ path: 'firstDate', message: 'not a date' });
    if (!TIME.test(f.time)) issues.push({ path: 'time', message: 'not a time (HH:MM)' });
    const maxOpen = Math.min(MAX_OPEN_DAYS, minPeriodDays(f.cadence));
    if (!Number.isInteger(f.openDays) || f.openDays < 1 || f.openDays > maxOpen)
      issues.push({ path: 'openDays', message: `between 1 and ${maxOpen} (not into the next occurrence)` });
    return issues;
  }

  /** Creates (scheduleId undefined) or replaces a schedule read with `etag`. */
  async save(
    officer: { id: string; name: string },
    scheduleId: string | undefined,
    fields: ScheduleFields,
    etag: string | undefined,
  ): Promise<SaveResult> {
    const issues = this.validate(fields);
    if (issues.length > 0) return { kind: 'invalid', issues };
    const now = this.o.clock.now();
    const normalised = {
      surveyId: fields.surveyId,
      districts: [...new Set(fields.districts)] as District[],
      groupIds: [...new Set(fields.groupIds.map((g) => g.toLowerCase()))],
      cadence: { unit: fields.cadence.unit, every: fields.cadence.every },
      firstDate: fields.firstDate,
      time: fields.time,
      openDays: fields.openDays,
      active: fields.active,
    };
    if (scheduleId === undefined) {
      const schedule = await this.o.schedules.create({
        scheduleId: this.o.newId?.() ?? `s-${randomBytes(5).toString('hex')}`,
        ...normalised,
        createdBy: officer.id,
        createdByName: officer.name,
        createdAt: now,
        updatedAt: now,
        // Occurrences before now are not started: saving never starts a run by itself.
        notBefore: now,
      });
      return { kind: 'saved', schedule };
    }
    const current = await this.o.schedules.get(scheduleId);
    if (!current) return { kind: 'not_found' };
    if (!etag || etag !== current.etag) return { kind: 'stale' };
    try {
      const schedule = await this.o.schedules.replace(
        {
          ...current,
          ...normalised,
          updatedAt: now,
          // Resumed or re-timed: what came due before is not caught up.
          notBefore:
            (!current.active && normalised.active) ||
            current.firstDate !== normalised.firstDate ||
            current.time !== normalised.time ||
            current.cadence.unit !== normalised.cadence.unit ||
            current.cadence.every !== normalised.cadence.every
              ? now
              : current.notBefore,
        },
        etag,
      );
      return { kind: 'saved', schedule };
    } catch (err) {
      if (err instanceof ConflictError) return { kind: 'stale' };
      throw err;
    }
  }

  async delete(scheduleId: string): Promise<boolean> {
    return this.o.schedules.delete(scheduleId);
  }
}
