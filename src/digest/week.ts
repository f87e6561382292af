// ISO weeks as people in Hamburg count them (Europe/Berlin), and the digest's due time in a week.
import { Cron } from 'croner';

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

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: BERLIN,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall-clock date and time in Berlin for an instant. */
function berlinParts(at: Date) {
  const p = Object.fromEntries(partsFormat.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    y: Number(p.year),
    m: Number(p.month),
    d: Number(p.day),
    h: Number(p.hour),
    min: Number(p.minute),
    s: Number(p.second),
  };
}

/** The instant at which Berlin's wall clock shows the given date at midnight. */
export function berlinMidnight(y: number, m: number, d: number): Date {
  const guess = Date.UTC(y, m - 1, d);
  // Berlin is UTC+1 or UTC+2; correct the guess by the offset in force then.
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(guess - offsetHours * 3_600_000);
    const p = berlinParts(candidate);
    if (p.y === y && p.m === m && p.d === d && p.h === 0 && p.min === 0) return candidate;
  }
  return new Date(guess - 3_600_000);
}

export function isoWeekOf(at: Date): IsoWeek {
  const { y, m, d } = berlinParts(at);
  const date = new Date(Date.UTC(y, m - 1, d));
  const dayOfWeek = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = new Date(date.getTime() - dayOfWeek * 86_400_000);
  // The ISO year is the year of the week's Thursday.
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const isoYear = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(isoYear, 0, 4));
  const firstMonday = new Date(firstThursday.getTime() - ((firstThursday.getUTCDay() + 6) % 7) * 86_400_000);
  const week = Math.round((monday.getTime() - firstMonday.getTime()) / (7 * 86_400_000)) + 1;
  const nextMonday = new Date(monday.getTime() + 7 * 86_400_000);
  return {
    key: `${isoYear}-W${String(week).padStart(2, '0')}`,
    year: isoYear,
    week,
    start: berlinMidnight(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate()),
    end: berlinMidnight(nextMonday.getUTCFullYear(), nextMonday.getUTCMonth() + 1, nextMonday.getUTCDate()),
  };
}

/** When the digest of the week containing `at` is due (the first cron time in that week). */
export function dueTimeInWeek(cron: string, at: Date): Date | undefined {
  const week = isoWeekOf(at);
  const job = new Cron(cron, { timezone: BERLIN, paused: true });
  const next = job.nextRun(new Date(week.start.getTime() - 1));
  job.stop();
  return next && next.getTime() < week.end.getTime() ? next : undefined;
}
