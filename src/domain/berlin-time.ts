// Hamburg's calendar: dates, days and ISO weeks as people in Hamburg count them (Europe/Berlin,
// daylight saving included). The one place Puls turns instants into calendar dates and back.
import { DateTime } from 'luxon';

export const BERLIN = 'Europe/Berlin';

export interface IsoWeek {
  /** "2026-W48" */
  key: string;
  year: number;
  week: number;
  /** Monday 00:00 Berlin time. */
  start: Date;
  /** The next Monday 00:00 Berlin time. */
  end: Date;
}

function inBerlin(at: Date): DateTime {
  return DateTime.fromJSDate(at, { zone: BERLIN });
}

/** The ISO week (Monday–Sunday, Hamburg time) that contains an instant. */
export function isoWeekOf(at: Date): IsoWeek {
  const start = inBerlin(at).startOf('week');
  return {
    key: `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}`,
    year: start.weekYear,
    week: start.weekNumber,
    start: start.toJSDate(),
    end: start.plus({ weeks: 1 }).toJSDate(),
  };
}

/** "2026-12-07": the calendar date in Hamburg of an instant, `plusDays` later. */
export function berlinDate(at: Date, plusDays = 0): string {
  return inBerlin(at).plus({ days: plusDays }).toISODate()!;
}

/** The instant Hamburg's wall clock shows midnight at the start of a date ("2026-12-07"). */
export function startOfBerlinDay(date: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const day = DateTime.fromISO(date, { zone: BERLIN });
  return day.isValid ? day.toJSDate() : undefined;
}

/** "2026-12-07" → the last millisecond of that day in Hamburg. */
export function endOfBerlinDay(date: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const day = DateTime.fromISO(date, { zone: BERLIN });
  return day.isValid ? day.endOf('day').toJSDate() : undefined;
}

/** The instant `months` calendar months before `at`, in Hamburg time. */
export function monthsBefore(at: Date, months: number): Date {
  return inBerlin(at).minus({ months }).toJSDate();
}
