// Survey runs and responses as the domain sees them.
import type { ConversationReference } from 'botbuilder';
import type { Locale } from '../i18n';
import type { Survey } from './definition';
import type { District } from '../domain/vocabulary';

/**
 * Who a run is for: everyone, or the staff of the listed districts (by their settings: runs started
 * without a directory); or, with the directory, everyone or districts and Entra groups, resolved when
 * the run started and frozen into its delivery job (membership is having been sent the run).
 */
export type Audience =
  | { kind: 'all' }
  | { kind: 'districts'; districts: District[] }
  | { kind: 'directory'; everyone: boolean; districts: District[]; groups: AudienceGroup[] };

/** An Entra group an audience was chosen by, with its name as the officer saw it. */
export interface AudienceGroup {
  id: string;
  name: string;
}

export interface Run {
  runId: string;
  /** The survey definition frozen when the run started; later edits of the file do not change it. */
  survey: Survey;
  audience: Audience;
  startedAt: Date;
  closesAt: Date;
  /** Set when an officer closed the run early. */
  closedAt: Date | undefined;
  /** The officer who started it (an AAD object id): runs are not answers. */
  startedBy: string;
  /**
   * How many people the run was sent to when it started (participation is shown from K on).
   * Undefined for runs stored before it was recorded.
   */
  audienceSize?: number;
  /** When the run's secret was destroyed and its responses rewritten (see RunSealer). */
  sealedAt?: Date;
  /** The officer's statement that went back to the staff with the results (once per run). */
  resultsShared?: { statement: string; at: Date; by: string };
  /** When retention deleted its responses and delivery records. */
  purgedAt?: Date;
  /** The officer's card that shows the delivery's progress, kept so that a restart goes on updating it. */
  progressCard?: ProgressCardTarget;
  /** The recurring schedule that started it (src/surveys/schedule.ts), if any. */
  scheduleId?: string;
}

/** Where the progress card lives: the officer's conversation and the message to replace. */
export interface ProgressCardTarget {
  reference: Partial<ConversationReference>;
  activityId: string;
  locale: Locale;
}

/** One answer value: likert/nps/single as stored number or choice id, multi as choice ids, text as string. */
export type AnswerValue = number | string | string[];
export type Answers = Record<string, AnswerValue>;

/** A stored response: no user id, no name, no conversation id, no date. */
export interface SurveyResponse {
  /** HMAC-SHA256(the run's random secret, user id), hex. Unlinkable once the secret is destroyed. */
  pseudonym: string;
  runId: string;
  /** From the respondent's settings; undefined when they had not chosen one. */
  district: District | undefined;
  answers: Answers;
}

export function isRunOpen(run: Run, now: Date): boolean {
  return run.closedAt === undefined && now.getTime() < run.closesAt.getTime();
}

/** For audiences by settings; a directory audience is decided by its frozen recipients. */
export function isInAudience(audience: Audience, district: District | undefined): boolean {
  if (audience.kind === 'directory') return false;
  return audience.kind === 'all' || (district !== undefined && audience.districts.includes(district));
}

/** Likert "keine Angabe" is stored as 0: counted as an answer but left out of means. */
export const NO_ANSWER = 0;
