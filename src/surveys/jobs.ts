// Delivery jobs of survey runs: the survey card itself (job id = run id) and the reminder (run id +
// REMINDER_SUFFIX). One place knows the naming, so the engine can re-create any job's message after
// a restart.
import type { Activity } from 'botbuilder';
import type { Recipient } from '../delivery/delivery';
import type { Locale } from '../domain/vocabulary';
import type { Run } from './model';

/** Reminder jobs are delivery jobs of their own: the run id with this suffix. */
export const REMINDER_SUFFIX = '~reminder';

export type SurveyJob = { kind: 'survey' | 'reminder'; runId: string };

export function reminderJobId(runId: string): string {
  return `${runId}${REMINDER_SUFFIX}`;
}

export function parseJobId(jobId: string): SurveyJob {
  return jobId.endsWith(REMINDER_SUFFIX)
    ? { kind: 'reminder', runId: jobId.slice(0, -REMINDER_SUFFIX.length) }
    : { kind: 'survey', runId: jobId };
}

export interface JobRendererOptions {
  getRun(runId: string): Promise<Run | undefined>;
  renderSurveyCard(run: Run, locale: Locale): Partial<Activity>;
  renderReminder(run: Run, locale: Locale): Partial<Activity>;
}

/** Re-creates the message of a job from storage; undefined when its run is gone. */
export function createJobRenderer(o: JobRendererOptions) {
  return async (jobId: string): Promise<((r: Recipient) => Partial<Activity>) | undefined> => {
    const job = parseJobId(jobId);
    const run = await o.getRun(job.runId);
    if (!run) return undefined;
    return (r) =>
      job.kind === 'reminder' ? o.renderReminder(run, r.locale) : o.renderSurveyCard(run, r.locale);
  };
}
