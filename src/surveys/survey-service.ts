// Survey runs: start (freeze the definition, pick the audience, deliver), answer (validate, store
// pseudonymously, record participation), close, list, and results for officers.
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Clock } from '../clock';
import { berlinDate, endOfBerlinDay } from '../domain/berlin-time';
import type { DeliveryEngine, DeliveryProgress, Recipient } from '../delivery/delivery';
import type { Locale } from '../i18n';
import type { Logger } from '../logger';
import type { Pseudonymizer } from '../privacy/pseudonym';
import type { DeliveryCounts, DeliveryRepository } from '../storage/delivery-repository';
import type { DigestRepository } from '../storage/digest-repository';
import { mayPublishOpenRun } from '../digest/privacy';
import type { ResponseRepository } from '../storage/response-repository';
import type { RunRepository } from '../storage/run-repository';
import type { UserProfile, UserRecord, UserRepository } from '../storage/user-repository';
import { resolveLocale } from '../users/settings-service';
import { validateAnswers, type ValidationResult } from './answers';
import type { Survey } from './definition';
import {
  isInAudience,
  isRunOpen,
  type Answers,
  type Audience,
  type ProgressCardTarget,
  type Run,
} from './model';
import { reminderJobId } from './jobs';
import type { QuestionBank } from './question-bank';
import type { ParticipationRecorder } from './participation';
import { ResultsAccumulator, summariseResults, type RunResults } from './results';
import { DISTRICTS, type District } from '../domain/vocabulary';

export const MAX_RUN_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a run read from storage is trusted (runs change only when closed). */
const RUN_CACHE_MS = 5000;

export interface SurveyServiceOptions {
  bank: QuestionBank;
  runs: RunRepository;
  responses: ResponseRepository;
  deliveries: DeliveryRepository;
  users: UserRepository;
  pseudonyms: Pseudonymizer;
  delivery: DeliveryEngine;
  clock: Clock;
  logger: Logger;
  privacy: { kMin: number; kText: number };
  defaultLocale: Locale;
  /** Remembers what of a run was shown, so that the next figures cannot be differenced against it. */
  published: DigestRepository;
  /** Replaces the officer's progress card with the current figures of a run's delivery. */
  updateProgressCard?(target: ProgressCardTarget, run: Run, progress: DeliveryProgress): Promise<void>;
  /** The survey card a recipient gets, in their language. */
  renderSurveyCard(run: Run, locale: Locale): Partial<Activity>;
  /** Writes the "answered" flags of the delivery rows, batched, after the response is stored. */
  participation: ParticipationRecorder;
  /** Runs a background task (delivery) so that shutdown can wait for it. */
  background(task: Promise<unknown>): void;
}

export type StartRunInput = { surveyId?: unknown; closesAt?: unknown; districts?: unknown };
export type StartRunResult =
  | { ok: true; run: Run; recipients: number }
  | {
      ok: false;
      error: 'survey' | 'closesAt' | 'districts';
      input: { surveyId: string; closesAt: string; districts: string[] };
    };

export type SubmitResult =
  | { kind: 'saved'; run: Run; answers: Answers }
  | { kind: 'invalid'; run: Run; validation: Extract<ValidationResult, { ok: false }> }
  | { kind: 'closed'; run: Run }
  | { kind: 'outsider'; run: Run }
  | { kind: 'not_found' };

export class SurveyService {
  private readonly runCache = new Map<string, { run: Run; until: number }>();

  constructor(private readonly o: SurveyServiceOptions) {}

  listSurveys(): readonly Survey[] {
    return this.o.bank.list();
  }

  /** Validates the officer's form, freezes the survey into a new run and starts delivery. */
  async startRun(
    input: StartRunInput,
    startedBy: string,
    progressCard?: ProgressCardTarget,
  ): Promise<StartRunResult> {
    const now = this.o.clock.now();
    const surveyId = typeof input.surveyId === 'string' ? input.surveyId : '';
    const closesAtText = typeof input.closesAt === 'string' ? input.closesAt : '';
    const districtList =
      typeof input.districts === 'string' && input.districts.trim() !== ''
        ? input.districts.split(',').map((d) => d.trim())
        : [];
    const echo = { surveyId, closesAt: closesAtText, districts: districtList };

    const survey = this.o.bank.get(surveyId);
    if (!survey) return { ok: false, error: 'survey', input: echo };
    const closesAt = endOfBerlinDay(closesAtText);
    if (
      !closesAt ||
      closesAt.getTime() <= now.getTime() ||
      closesAt.getTime() > now.getTime() + MAX_RUN_DAYS * DAY_MS
    ) {
      return { ok: false, error: 'closesAt', input: echo };
    }
    if (districtList.some((d) => !(DISTRICTS as readonly string[]).includes(d))) {
      return { ok: false, error: 'districts', input: echo };
    }
    const audience: Audience =
      districtList.length === 0
        ? { kind: 'all' }
        : { kind: 'districts', districts: [...new Set(districtList)] as District[] };

    const run: Run = {
      runId: newRunId(survey.id, now),
      // A deep copy: the run keeps this definition whatever happens to the file later.
      survey: structuredClone(survey),
      audience,
      startedAt: now,
      closesAt,
      closedAt: undefined,
      startedBy,
      ...(progressCard ? { progressCard } : {}),
    };
    await this.o.runs.create(run);

    const recipients: Recipient[] = [];
    for await (const user of this.o.users.list()) {
      if (isInAudience(audience, user.settings.district)) recipients.push(this.recipientOf(user));
    }
    this.o.logger.info(
      { runId: run.runId, surveyId: survey.id, recipients: recipients.length },
      'survey run started',
    );
    this.o.background(
      this.o.delivery
        .deliver({
          runId: run.runId,
          recipients,
          render: (r) => this.o.renderSurveyCard(run, r.locale),
          onProgress: this.progressUpdater(run),
        })
        .catch((err: unknown) => this.o.logger.error({ err, runId: run.runId }, 'survey delivery failed')),
    );
    return { ok: true, run, recipients: recipients.length };
  }

  /**
   * Goes on delivering an open run (and its reminders) that a stopped or crashed instance left
   * unfinished; the officer's progress card, if any, goes on showing the whole run's figures.
   */
  async resumeDelivery(run: Run): Promise<void> {
    let onProgress = this.progressUpdater(run);
    const baseline = onProgress ? await this.o.deliveries.counts(run.runId) : undefined;
    // A run whose delivery had finished keeps its final card as it is.
    if (baseline && baseline.pending === 0) onProgress = undefined;
    await this.o.delivery.resume(
      run.runId,
      onProgress,
      baseline && { total: baseline.recipients, sent: baseline.sent, failed: baseline.failed },
    );
    await this.o.delivery.resume(reminderJobId(run.runId));
  }

  /**
   * Picks up what stopped or crashed instances left unfinished in every open run: deliveries and
   * reminders, and the participation flags. Each run on its own: one that fails does not hold up the others.
   */
  async resumeOpenRuns(): Promise<void> {
    const open = (await this.o.runs.list()).filter((run) => this.isOpen(run));
    await Promise.all(
      open.map(async (run) => {
        await Promise.all([
          this.resumeDelivery(run).catch((err: unknown) =>
            this.o.logger.error({ err, runId: run.runId }, 'resuming delivery failed'),
          ),
          this.o.participation
            .reconcile(run.runId)
            .catch((err: unknown) =>
              this.o.logger.warn({ err, runId: run.runId }, 'restoring participation flags failed'),
            ),
        ]);
      }),
    );
  }

  private progressUpdater(run: Run): ((p: DeliveryProgress) => Promise<void>) | undefined {
    const { progressCard } = run;
    const update = this.o.updateProgressCard;
    if (!progressCard || !update) return undefined;
    return async (p) => {
      if (!p.done) return update(progressCard, run, p);
      // The last word comes from storage: with several instances on one run, each knows only its
      // own sends; the card says "done" only once nothing is pending anywhere.
      const c = await this.o.deliveries.counts(run.runId);
      await update(progressCard, run, {
        total: c.recipients,
        sent: c.sent,
        failed: c.failed,
        pending: c.pending,
        ratePerSecond: p.ratePerSecond,
        done: c.pending === 0,
      });
    };
  }

  private recipientOf(user: UserRecord): Recipient {
    return {
      userId: user.userId,
      reference: user.reference,
      locale: resolveLocale(user, user.teamsLocale, this.o.defaultLocale),
    };
  }

  async getRun(runId: string): Promise<Run | undefined> {
    const cached = this.runCache.get(runId);
    if (cached && cached.until > Date.now()) return cached.run;
    const run = await this.o.runs.get(runId);
    if (run) this.runCache.set(runId, { run, until: Date.now() + RUN_CACHE_MS });
    return run;
  }

  isOpen(run: Run): boolean {
    return isRunOpen(run, this.o.clock.now());
  }

  async closeRun(runId: string): Promise<Run | undefined> {
    const run = await this.o.runs.close(runId, this.o.clock.now());
    this.runCache.delete(runId);
    if (run) this.o.logger.info({ runId }, 'survey run closed');
    return run;
  }

  async listRuns(): Promise<{ run: Run; counts: DeliveryCounts; open: boolean }[]> {
    const runs = await this.o.runs.list();
    return Promise.all(
      runs.map(async (run) => ({
        run,
        counts: await this.o.deliveries.counts(run.runId),
        open: this.isOpen(run),
      })),
    );
  }

  /** Open runs this user belongs to and has not answered yet. */
  async openRunsFor(user: UserProfile): Promise<Run[]> {
    const open = (await this.o.runs.list()).filter(
      (run) => this.isOpen(run) && isInAudience(run.audience, user.settings.district),
    );
    // The response row decides (the delivery row's flag may still be on its way).
    const answered = await Promise.all(
      open.map(async (run) => (await this.ownAnswers(run, user.userId)) !== undefined),
    );
    return open.filter((_, i) => !answered[i]);
  }

  /** The card was fetched on demand (`umfrage`): count it as delivered. */
  async recordOnDemandDelivery(runId: string, userId: string): Promise<void> {
    await this.o.deliveries.markSent(runId, userId, undefined, this.o.clock.now());
  }

  /** Checks whether the user may answer this run now. */
  async access(
    runId: string,
    user: UserProfile | undefined,
  ): Promise<
    | { kind: 'ok'; run: Run }
    | { kind: 'closed'; run: Run }
    | { kind: 'outsider'; run: Run }
    | { kind: 'not_found' }
  > {
    const run = runId ? await this.getRun(runId) : undefined;
    if (!run) return { kind: 'not_found' };
    if (!this.isOpen(run)) return { kind: 'closed', run };
    if (!isInAudience(run.audience, user?.settings.district)) return { kind: 'outsider', run };
    return { kind: 'ok', run };
  }

  /**
   * Validates and stores an answer: one row per respondent per run under the run's pseudonym, the
   * district from the user's settings, the day only. Nothing is written unless all of it is valid.
   */
  async submit(
    runId: string,
    userId: string,
    user: UserProfile | undefined,
    data: Record<string, unknown>,
  ): Promise<SubmitResult> {
    const access = await this.access(runId, user);
    if (access.kind !== 'ok') return access;
    const { run } = access;
    const validation = validateAnswers(run.survey, data);
    if (!validation.ok) return { kind: 'invalid', run, validation };
    const now = this.o.clock.now();
    await this.o.responses.put({
      pseudonym: this.o.pseudonyms.forRun(run.runId, userId),
      runId: run.runId,
      district: user?.settings.district,
      day: berlinDate(now),
      answers: validation.answers,
    });
    // Only once the answer is stored; the flag follows in a batch (see participation.ts).
    this.o.participation.record(run.runId, userId);
    return { kind: 'saved', run, answers: validation.answers };
  }

  /** The user's own stored answers (to show them back or pre-fill the form). */
  async ownAnswers(run: Run, userId: string): Promise<Answers | undefined> {
    return (await this.o.responses.get(run.runId, this.o.pseudonyms.forRun(run.runId, userId)))?.answers;
  }

  /** Aggregated results with the privacy thresholds applied. */
  async results(run: Run): Promise<RunResults> {
    const acc = new ResultsAccumulator(run.survey);
    const [counts] = await Promise.all([
      this.o.deliveries.counts(run.runId),
      (async () => {
        for await (const r of this.o.responses.listByRun(run.runId)) acc.add(r);
      })(),
    ]);
    const summary = summariseResults(acc, {
      kMin: this.o.privacy.kMin,
      kText: this.o.privacy.kText,
      delivered: counts.sent,
      answered: counts.answered,
    });
    if (summary.suppressed) return summary;
    // No differencing: once figures of a run were shown, new ones need K more respondents.
    const last = await this.o.published.getPublished(run.runId);
    if (
      last &&
      last.respondents > 0 &&
      !mayPublishOpenRun(summary.respondents, last.respondents, this.o.privacy.kMin)
    ) {
      return { ...summary, suppressed: true, withheld: 'tooFewNew', questions: [] };
    }
    // Figures of a closed run are final: showing them again reveals nothing new.
    if (this.isOpen(run)) {
      await this.o.published.setPublished(run.runId, {
        respondents: summary.respondents,
        questionCounts: Object.fromEntries(summary.questions.map((q) => [q.questionId, q.answered])),
      });
    }
    return summary;
  }
}

/** A short id an officer can type: "kulturwandel-2611-x7q2". */
export function newRunId(surveyId: string, now: Date): string {
  // DDMM of Hamburg's date, so that a run started at 23:30 carries that day.
  const [, month, day] = berlinDate(now).split('-');
  const stamp = `${day}${month}`;
  const suffix = randomBytes(3)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')
    .slice(0, 4);
  return `${surveyId}-${stamp}-${suffix}`;
}
