// The digest's due time in a week (ISO weeks themselves come from src/domain/berlin-time).
import { Cron } from 'croner';
import { BERLIN, isoWeekOf } from '../domain/berlin-time';

/** When the digest of the week containing `at` is due (the first cron time in that week). */
export function dueTimeInWeek(cron: string, at: Date): Date | undefined {
  const week = isoWeekOf(at);
  const job = new Cron(cron, { timezone: BERLIN, paused: true });
  const next = job.nextRun(new Date(week.start.getTime() - 1));
  job.stop();
  return next && next.getTime() < week.end.getTime() ? next : undefined;
}
