// Recurring pulses: a schedule starts a run of one survey for one audience at every occurrence of
// its cadence (in Hamburg time) and keeps it open for a number of days. This module holds the model
// and the calendar arithmetic; src/surveys/schedule-scheduler.ts starts the runs, exactly once.
import { DateTime } from 'luxon';
import { BERLIN, berlinDate, endOfBerlinDay } from '../domain/berlin-time';
import type { District } from '../domain/vocabulary';

/** Every `every` weeks (weekly = 1) or every `every` months (monthly = 1, quarterly = 3). */
export interface Cadence {
  unit: 'weeks' | 'months';
  every: number;
}

export interface Schedule {
  scheduleId: string;
  surveyId: string;
  /** Empty with no groups: everyone. */
  districts: District[];
  /** Entra group ids (only with the directory configured). */
  groupIds: string[];
  cadence: Cadence;
  /** The first occurrence's date in Hamburg ("2027-01-04"); it also fixes the weekday / day of month. */
  firstDate: string;
  /** Hamburg wall-clock time of every occurrence ("09:00"). */
  time: string;
  /** The run is open this many calendar days, the start day included; it closes at the end of the last. */
  openDays: number;
  active: boolean;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
  updatedAt: Date;
  /**
   * Occurrences before this instant are never started: set at creation and on resume, so that
   * neither a first date in the past nor a pause produces a run on saving.
   */
  notBefore: Date;
  /** The row's ETag: edits are guarded by it. */
  etag: string;
}

/** What happened to one occurrence (the claim row that makes it happen once). */
export type OccurrenceStatus = 'claimed' | 'started' | 'failed' | 'missed';

export interface OccurrenceRecord {
  scheduleId: string;
  /** The occurrence's Hamburg date: one occurrence per schedule and date. */
  occurrence: string;
  /** When it was due. */
  dueAt: Date;
  status: OccurrenceStatus;
  claimedBy: string;
  claimedAt: Date;
  runId?: string;
  /** Why it could not start: a startRun error ('audience', 'survey', …), 'closed' or 'error'. */
  error?: string;
  /** 'audience': how many people the audience had. */
  recipients?: number;
  etag: string;
}

export const MAX_EVERY = { weeks: 52, months: 24 } as const;
export const MAX_OPEN_DAYS = 90;
export const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The instant of occurrence `index` (0 = the first date). Wall-clock time in Hamburg, DST included. */
export function occurrenceAt(s: Pick<Schedule, 'firstDate' | 'time' | 'cadence'>, index: number): Date {
  const first = DateTime.fromISO(`${s.firstDate}T${s.time}`, { zone: BERLIN });
  // From the first date each time (not step by step), so that a 31st stays the 31st where it exists.
  const at =
    s.cadence.unit === 'weeks'
      ? first.plus({ weeks: index * s.cadence.every })
      : first.plus({ months: index * s.cadence.every });
  return at.toJSDate();
}

export interface Occurrence {
  index: number;
  at: Date;
  /** Hamburg date of the start: the occurrence's key. */
  date: string;
}

function occurrence(s: Pick<Schedule, 'firstDate' | 'time' | 'cadence'>, index: number): Occurrence {
  const at = occurrenceAt(s, index);
  return { index, at, date: berlinDate(at) };
}

/** A first guess at the index of the latest occurrence at or before `now`, corrected by the caller. */
function guessIndex(s: Pick<Schedule, 'firstDate' | 'time' | 'cadence'>, now: Date): number {
  const first = DateTime.fromISO(`${s.firstDate}T${s.time}`, { zone: BERLIN });
  const span = DateTime.fromJSDate(now, { zone: BERLIN }).diff(first, [s.cadence.unit]).get(s.cadence.unit);
  return Math.max(0, Math.floor(span / s.cadence.every));
}

/** The latest occurrence due at `now` (at or before it); undefined before the first. */
export function latestDue(
  s: Pick<Schedule, 'firstDate' | 'time' | 'cadence'>,
  now: Date,
): Occurrence | undefined {
  let i = guessIndex(s, now);
  while (i > 0 && occurrenceAt(s, i).getTime() > now.getTime()) i--;
  while (occurrenceAt(s, i + 1).getTime() <= now.getTime()) i++;
  return occurrenceAt(s, i).getTime() <= now.getTime() ? occurrence(s, i) : undefined;
}

/** The first occurrence after `now`. */
export function nextAfter(s: Pick<Schedule, 'firstDate' | 'time' | 'cadence'>, now: Date): Occurrence {
  const due = latestDue(s, now);
  return occurrence(s, due ? due.index + 1 : 0);
}

/** The next occurrence a schedule will start (not before notBefore); undefined when paused. */
export function nextStart(s: Schedule, now: Date): Occurrence | undefined {
  if (!s.active) return undefined;
  const from = now.getTime() < s.notBefore.getTime() ? new Date(s.notBefore.getTime() - 1) : now;
  return nextAfter(s, from);
}

/** "2027-01-17": the date (Hamburg) an occurrence's run closes at the end of. */
export function closingDate(s: Pick<Schedule, 'openDays'>, at: Date): string {
  return berlinDate(at, s.openDays - 1);
}

/** The instant an occurrence's run closes. */
export function closingAt(s: Pick<Schedule, 'openDays'>, at: Date): Date {
  return endOfBerlinDay(closingDate(s, at))!;
}

/** The shortest gap between two occurrences in days: a run may not stay open into the next one. */
export function minPeriodDays(cadence: Cadence): number {
  return cadence.unit === 'weeks' ? cadence.every * 7 : cadence.every * 28;
}

/** Whether a date exists ("2027-02-30" does not). */
export function isDate(text: string): boolean {
  return DATE.test(text) && DateTime.fromISO(text, { zone: BERLIN }).isValid;
}
