// Delivery jobs of survey runs: the survey card itself (job id = run id), its reminders (run id +
// "~reminder-<slot>") and its results going back to the staff (run id + "~results"). One place knows the naming, so the engine can re-create any job's message
// after a restart.
import type { Activity } from 'botbuilder';
import type { Recipient } from '../delivery/delivery';
import type { Locale } from '../domain/vocabulary';
import type { Run } from './model';

/** At most two reminders per run: at half time and shortly before the run closes. */
export const REMINDER_SLOTS = ['half', 'last'] as const;
export type ReminderSlot = (typeof REMINDER_SLOTS)[number];

const REMINDER_MARK = '~reminder-';
const RESULTS_MARK = '~results';

export type SurveyJob =
  | { kind: 'survey'; runId: string }
  | { kind: 'reminder'; runId: string; slot: ReminderSlot }
  | { kind: 'results'; runId: string };

/** The job that takes a closed run's results back to its audience. */
export function resultsJobId(runId: string): string {
  return `${runId}${RESULTS_MARK}`;
}

export function reminderJobId(runId: string, slot: ReminderSlot): string {
  return `${runId}${REMINDER_MARK}${slot}`;
}

/** Every reminder job a run can have. */
export function reminderJobIds(runId: string): string[] {
  return REMINDER_SLOTS.map((slot) => reminderJobId(runId, slot));
}

export function parseJobId(jobId: string): SurveyJob {
  if (jobId.endsWith(RESULTS_MARK)) return { kind: 'results', runId: jobId.slice(0, -RESULTS_MARK.length) };
  const at = jobId.lastIndexOf(REMINDER_MARK);
  const slot = at === -1 ? undefined : jobId.slice(at + REMINDER_MARK.length);
  return slot === 'half' || slot === 'last'
    ? { kind: 'reminder', runId: jobId.slice(0, at), slot }
    : { kind: 'survey', runId: jobId };
}

export interface JobRendererOptions {
  getRun(runId: string): Promise<Run | undefined>;
  /** Whether the run still takes answers: a closed run's cards and reminders are not sent any more. */
  isOpen(run: Run): boolean;
  renderSurveyCard(run: Run, locale: Locale): Partial<Activity>;
  renderReminder(run: Run, locale: Locale): Partial<Activity>;
  /** The results card of a closed run whose results were shared; undefined when there are none. */
  renderResultsBack(run: Run): Promise<((locale: Locale) => Partial<Activity>) | undefined>;
}

/**
 * Re-creates the message of a job from storage; undefined when it must not go out any more (its run
 * is gone; a survey card or reminder of a closed run; results that were never shared).
 */
export function createJobRenderer(o: JobRendererOptions) {
  return async (jobId: string): Promise<((r: Recipient) => Partial<Activity>) | undefined> => {
    const job = parseJobId(jobId);
    const run = await o.getRun(job.runId);
    if (!run) return undefined;
    if (job.kind === 'results') {
      if (o.isOpen(run) || !run.resultsShared) return undefined;
      const render = await o.renderResultsBack(run);
      return render && ((r) => render(r.locale));
    }
    if (!o.isOpen(run)) return undefined;
    return (r) =>
      job.kind === 'reminder' ? o.renderReminder(run, r.locale) : o.renderSurveyCard(run, r.locale);
  };
}
