// Survey runs: start (freeze the definition, pick the audience, create the run's secret, deliver),
// answer (validate, store under the run's pseudonym), close, list. What of a run may be shown is
// decided by src/privacy/disclosure.ts through ResultsService, never here.
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Clock } from '../clock';
import { ConflictError } from '../errors';
import { berlinDate, endOfBerlinDay } from '../domain/berlin-time';
import { effectiveK, isDistrict, type District } from '../domain/vocabulary';
import type { DeliveryEngine, DeliveryProgress, Recipient } from '../delivery/delivery';
import type { Locale } from '../i18n';
import type { Logger } from '../logger';
import { mayStartRun, type ParticipationFigures, type RunFigures } from '../privacy/disclosure';
import type { Pseudonyms } from '../privacy/pseudonyms';
import type { RunAudiences } from '../directory/run-audience';
import { installReference } from '../directory/installing-messenger';
import type { ResultsService } from '../results/results-service';
import type { DeliveryCounts, DeliveryRepository } from '../storage/delivery-repository';
import type { ResponseRepository } from '../storage/response-repository';
import type { RunRepository } from '../storage/run-repository';
import type { UserProfile, UserRecord, UserRepository } from '../storage/user-repository';
import { resolveLocale } from '../users/settings-service';
import { validateAnswers, type ValidationResult } from './answers';
import type { Survey } from './definition';
import { reminderJobIds } from './jobs';
import {
  isInAudience,
  isRunOpen,
  type Answers,
  type Audience,
  type AudienceGroup,
  type ProgressCardTarget,
  type Run,
} from './model';
import type { QuestionBank } from './question-bank';

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
  pseudonyms: Pseudonyms;
  results: ResultsService;
  delivery: DeliveryEngine;
  clock: Clock;
  logger: Logger;
  privacy: { kMin: number };
  defaultLocale: Locale;
  /** Replaces the officer's progress card with the current figures of a run's delivery. */
  updateProgressCard?(target: ProgressCardTarget, run: Run, progress: DeliveryProgress): Promise<void>;
  /** The survey card a recipient gets, in their language. */
  renderSurveyCard(run: Run, locale: Locale): Partial<Activity>;
  /** Runs a background task (delivery) so that shutdown can wait for it. */
  background(task: Promise<unknown>): void;
  /**
   * The directory (Entra ID), when configured: audiences of districts and groups are resolved there
   * and frozen into the run; without it, audiences are the installed users by their settings.
   */
  audiences?: RunAudiences;
}

export type StartRunInput = {
  surveyId?: unknown;
  closesAt?: unknown;
  districts?: unknown;
  /** Entra group ids: a comma-separated string (an Input.ChoiceSet) or an array. */
  groupIds?: unknown;
  /** The groups' names as the officer's card listed them (id → name), to show the audience. */
  groupNames?: unknown;
  /** The recurring schedule that starts it (recorded in the run). */
  scheduleId?: string;
};

/** How many of a run's audience Puls reaches: what the start confirmation and `status` show. */
export interface RunReach {
  /** Everyone in the audience the officer chose. */
  audience: number;
  /** Puls has a conversation with them. */
  installed: number;
  /** Puls installs itself for them through Graph, then sends. */
  installing: number;
  /** Cannot be reached: recorded as unreachable, or not installed while Puls cannot install. */
  unreachable: number;
}

export type StartRunResult =
  | { ok: true; run: Run; recipients: number; reach: RunReach }
  | {
      ok: false;
      error: 'survey' | 'closesAt' | 'districts' | 'groups' | 'audience';
      input: { surveyId: string; closesAt: string; districts: string[]; groupIds: string[] };
      /** 'audience': how many people the chosen audience has, and the smallest allowed. */
      recipients?: number;
      kMin?: number;
    };

export interface RunListEntry {
  run: Run;
  participation: ParticipationFigures;
  delivery: DeliveryCounts;
  open: boolean;
}

/** Runs per page of a list card (a card must stay under 28 KB). */
export const RUNS_PAGE_SIZE = 10;

export type SubmitResult =
  | { kind: 'saved'; run: Run; answers: Answers }
  | { kind: 'invalid'; run: Run; validation: Extract<ValidationResult, { ok: false }> }
  | { kind: 'closed'; run: Run }
  | { kind: 'outsider'; run: Run }
  | { kind: 'not_found' };

export type AccessResult =
  | { kind: 'ok'; run: Run; pseudonym: string }
  | { kind: 'closed'; run: Run }
  | { kind: 'outsider'; run: Run }
  | { kind: 'not_found' };

export class SurveyService {
  private readonly runCache = new Map<string, { run: Run; until: number }>();

  constructor(private readonly o: SurveyServiceOptions) {}

  /** The surveys known now (published ones as of the last refresh); see availableSurveys. */
  listSurveys(): readonly Survey[] {
    return this.o.bank.list();
  }

  /** Every survey a run can be started of, published ones read from storage first (bounded). */
  async availableSurveys(): Promise<readonly Survey[]> {
    await this.o.bank.refresh?.();
    return this.o.bank.list();
  }

  /**
   * Validates the officer's form, freezes the survey into a new run with its own random secret and
   * starts delivery. Refused for an audience smaller than K: nobody could be shown anything.
   */
  async startRun(
    input: StartRunInput,
    startedBy: string,
    progressCard?: ProgressCardTarget,
  ): Promise<StartRunResult> {
    const now = this.o.clock.now();
    const surveyId = typeof input.surveyId === 'string' ? input.surveyId : '';
    const closesAtText = typeof input.closesAt === 'string' ? input.closesAt : '';
    const districtList = listOf(input.districts);
    const groupIds = listOf(input.groupIds).filter((id) => GROUP_ID.test(id));
    const echo = { surveyId, closesAt: closesAtText, districts: districtList, groupIds };

    // A survey published a moment ago, maybe on another instance, is read from storage first.
    if (surveyId) await this.o.bank.refresh?.();
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
    if (!districtList.every(isDistrict)) return { ok: false, error: 'districts', input: echo };
    if (listOf(input.groupIds).length !== groupIds.length) return { ok: false, error: 'groups', input: echo };
    const districts = [...new Set(districtList)] as District[];
    const directory = (await this.o.audiences?.ready()) ? this.o.audiences : undefined;
    // Groups need the directory; without it (or before its first sync) they cannot be resolved.
    if (groupIds.length > 0 && !directory) return { ok: false, error: 'groups', input: echo };

    let audience: Audience;
    let recipients: Recipient[];
    let reach: RunReach;
    if (directory) {
      const groups = groupsOf(groupIds, input.groupNames);
      audience = {
        kind: 'directory',
        everyone: districts.length === 0 && groups.length === 0,
        districts,
        groups,
      };
      ({ recipients, reach } = await this.directoryRecipients(directory, audience));
    } else {
      audience = districts.length === 0 ? { kind: 'all' } : { kind: 'districts', districts };
      recipients = [];
      for await (const user of this.o.users.list()) {
        if (isInAudience(audience, user.settings.district)) recipients.push(this.recipientOf(user));
      }
      reach = { audience: recipients.length, installed: recipients.length, installing: 0, unreachable: 0 };
    }
    // The privacy threshold counts the people the run can reach.
    const reachable = reach.installed + reach.installing;
    if (!mayStartRun(reachable, this.o.privacy.kMin)) {
      return {
        ok: false,
        error: 'audience',
        input: echo,
        recipients: reachable,
        kMin: effectiveK(this.o.privacy.kMin),
      };
    }

    let run: Run = {
      runId: newRunId(survey.id, now),
      // A deep copy: the run keeps this definition whatever happens to the file later.
      survey: structuredClone(survey),
      audience,
      startedAt: now,
      closesAt,
      closedAt: undefined,
      startedBy,
      audienceSize: recipients.length,
      ...(progressCard ? { progressCard } : {}),
      ...(input.scheduleId ? { scheduleId: input.scheduleId } : {}),
    };
    // The secret first: a run is never stored without the secret its answers need. The id's four
    // random characters can repeat on the same day (the secret then is the other run's, kept as it is):
    // a conflict draws a new id.
    for (let attempt = 1; ; attempt++) {
      await this.o.pseudonyms.create('run', run.runId);
      try {
        await this.o.runs.create(run);
        break;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= RUN_ID_ATTEMPTS) throw err;
        this.o.logger.warn({ runId: run.runId }, 'run id already taken; drawing another');
        run = { ...run, runId: newRunId(survey.id, now) };
      }
    }
    this.o.logger.info(
      { runId: run.runId, surveyId: survey.id, recipients: recipients.length, ...reach },
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
    return { ok: true, run, recipients: recipients.length, reach };
  }

  /** Whether groups can be chosen at all (the directory is configured). */
  get hasDirectory(): boolean {
    return this.o.audiences !== undefined;
  }

  /**
   * What the start card says before the officer starts: how many of the chosen audience Puls reaches.
   * Bounded (an invoke must answer within seconds): 'pending' when the directory is slower than that.
   */
  async previewReach(
    input: { districts?: unknown; groupIds?: unknown },
    timeoutMs = PREVIEW_TIMEOUT_MS,
  ): Promise<
    { kind: 'directory'; reach: RunReach } | { kind: 'installed'; installed: number } | { kind: 'pending' }
  > {
    const districts = listOf(input.districts).filter(isDistrict);
    const groupIds = listOf(input.groupIds).filter((id) => GROUP_ID.test(id));
    const directory = (await this.o.audiences?.ready()) ? this.o.audiences : undefined;
    const work = async () => {
      if (!directory) {
        const audience: Audience =
          districts.length === 0 ? { kind: 'all' } : { kind: 'districts', districts };
        let installed = 0;
        for await (const p of this.o.users.profiles())
          if (isInAudience(audience, p.settings.district)) installed++;
        return { kind: 'installed' as const, installed };
      }
      const e = await directory.estimate({
        everyone: districts.length === 0 && groupIds.length === 0,
        districts,
        groupIds,
      });
      const installing = directory.canInstall ? e.installable : 0;
      return {
        kind: 'directory' as const,
        reach: {
          audience: e.total,
          installed: e.installed,
          installing,
          unreachable: e.total - e.installed - installing,
        },
      };
    };
    return withTimeout(work(), timeoutMs, { kind: 'pending' as const });
  }

  /** Entra groups by name for the start card's picker; none without a directory or when Graph is slow. */
  async searchGroups(
    text: string,
    timeoutMs = PREVIEW_TIMEOUT_MS,
  ): Promise<{ id: string; name: string }[] | undefined> {
    if (!this.o.audiences || !text.trim()) return [];
    const found = await withTimeout(this.o.audiences.searchGroups(text), timeoutMs, undefined);
    return found?.map((g) => ({ id: g.id.toLowerCase(), name: g.displayName }));
  }

  /**
   * The directory audience resolved now and frozen: people Puls has a conversation with get their
   * stored reference; the others (if Puls may install itself) a reference with only the user, which the
   * installing messenger completes. People recorded as unreachable are tried again (a licence may have
   * been granted since) but counted as unreachable up front.
   */
  private async directoryRecipients(
    directory: RunAudiences,
    audience: Extract<Audience, { kind: 'directory' }>,
  ): Promise<{ recipients: Recipient[]; reach: RunReach }> {
    const [ids, unreachable] = await Promise.all([
      directory.resolve({
        everyone: audience.everyone,
        districts: audience.districts,
        groupIds: audience.groups.map((g) => g.id),
      }),
      directory.unreachable(),
    ]);
    const recipients: Recipient[] = [];
    const installed = new Set<string>();
    // One pass over the users (references), not a read per person.
    for await (const user of this.o.users.list()) {
      const id = user.userId.toLowerCase();
      if (!ids.has(id) || installed.has(id)) continue;
      installed.add(id);
      recipients.push(this.recipientOf(user));
    }
    let installing = 0;
    let known = 0;
    for (const id of ids) {
      if (installed.has(id)) continue;
      if (unreachable.has(id)) known++;
      else if (directory.canInstall) installing++;
      if (directory.canInstall)
        recipients.push({ userId: id, reference: installReference(id), locale: this.o.defaultLocale });
    }
    const reach: RunReach = {
      audience: ids.size,
      installed: installed.size,
      installing,
      unreachable: ids.size - installed.size - installing,
    };
    if (known > 0) this.o.logger.info({ known }, 'audience members recorded as unreachable are tried again');
    return { recipients, reach };
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
    for (const jobId of reminderJobIds(run.runId)) await this.o.delivery.resume(jobId);
  }

  /**
   * Picks up what stopped or crashed instances left unfinished in every open run. Each run on its
   * own: one that fails does not hold up the others.
   */
  async resumeOpenRuns(): Promise<void> {
    const open = (await this.o.runs.list()).filter((run) => this.isOpen(run));
    await Promise.all(
      open.map((run) =>
        this.resumeDelivery(run).catch((err: unknown) =>
          this.o.logger.error({ err, runId: run.runId }, 'resuming delivery failed'),
        ),
      ),
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
    if (cached && cached.until > this.o.clock.now().getTime()) return cached.run;
    const run = await this.o.runs.get(runId);
    if (run) this.runCache.set(runId, { run, until: this.o.clock.now().getTime() + RUN_CACHE_MS });
    return run;
  }

  isOpen(run: Run): boolean {
    return isRunOpen(run, this.o.clock.now());
  }

  /** Closes a run now. Its secret is destroyed shortly after by the RunSealer. */
  async closeRun(runId: string): Promise<Run | undefined> {
    const run = await this.o.runs.close(runId, this.o.clock.now());
    this.runCache.delete(runId);
    if (run) this.o.logger.info({ runId }, 'survey run closed');
    return run;
  }

  /**
   * A page of runs, newest first, with the participation that may be shown and the delivery's
   * counts. `next` is the offset of the following page, if there is one.
   */
  async listRuns(
    options: { offset?: number; limit?: number; openOnly?: boolean } = {},
  ): Promise<{ items: RunListEntry[]; next: number | undefined; total: number }> {
    const all = (await this.o.runs.list()).filter((run) => !options.openOnly || this.isOpen(run));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const limit = options.limit ?? RUNS_PAGE_SIZE;
    const page = all.slice(offset, offset + limit);
    const items = await Promise.all(
      page.map(async (run) => ({
        run,
        ...(await this.o.results.participation(run)),
        open: this.isOpen(run),
      })),
    );
    return { items, next: offset + limit < all.length ? offset + limit : undefined, total: all.length };
  }

  /** Every run, newest first. */
  async listAllRuns(): Promise<Run[]> {
    return this.o.runs.list();
  }

  /** What of a run may be shown now (the disclosure module decides). */
  async results(run: Run): Promise<RunFigures> {
    return this.o.results.figures(run);
  }

  /** Open runs this user belongs to and has not answered yet. */
  async openRunsFor(user: UserProfile): Promise<Run[]> {
    const candidates = (await this.o.runs.list()).filter((run) => this.isOpen(run));
    const member = await Promise.all(candidates.map((run) => this.isMember(run, user.userId, user)));
    const open = candidates.filter((_, i) => member[i]);
    const answered = await Promise.all(
      open.map(async (run) => (await this.ownAnswers(run, user.userId)) !== undefined),
    );
    return open.filter((_, i) => !answered[i]);
  }

  /** Checks whether the user may answer this run now, and gives their pseudonym in it. */
  async access(runId: string, userId: string, user: UserProfile | undefined): Promise<AccessResult> {
    const run = runId ? await this.getRun(runId) : undefined;
    if (!run) return { kind: 'not_found' };
    if (!this.isOpen(run)) return { kind: 'closed', run };
    if (!(await this.isMember(run, userId, user))) return { kind: 'outsider', run };
    const pseudonym = await this.o.pseudonyms.of('run', run.runId, userId);
    // The secret is gone: the run was closed (and sealed) by another instance a moment ago.
    if (pseudonym === undefined) return { kind: 'closed', run };
    return { kind: 'ok', run, pseudonym };
  }

  /**
   * Whether the person belongs to the run's audience: a directory audience is who was sent the run
   * (frozen at start; a later move in the directory does not change it), otherwise by the settings.
   */
  private async isMember(run: Run, userId: string, user: UserProfile | undefined): Promise<boolean> {
    if (run.audience.kind !== 'directory') return isInAudience(run.audience, user?.settings.district);
    if ((await this.o.deliveries.get(run.runId, userId)) !== undefined) return true;
    const lower = userId.toLowerCase();
    return lower !== userId && (await this.o.deliveries.get(run.runId, lower)) !== undefined;
  }

  /** The district an answer is counted under: the directory's (cached), else the person's setting. */
  async districtOf(userId: string, user: UserProfile | undefined): Promise<District | undefined> {
    const fromDirectory = await this.o.audiences?.districtOf(userId);
    return fromDirectory ?? user?.settings.district;
  }

  /**
   * Validates and stores an answer: one row per respondent per run under the run's pseudonym, with
   * the district from the directory, else from the user's settings. Nothing else is written — no flag, no time, nothing that
   * names the person — and nothing at all unless all of it is valid.
   */
  async submit(
    runId: string,
    userId: string,
    user: UserProfile | undefined,
    data: Record<string, unknown>,
  ): Promise<SubmitResult> {
    const access = await this.access(runId, userId, user);
    if (access.kind !== 'ok') return access;
    const { run, pseudonym } = access;
    const validation = validateAnswers(run.survey, data);
    if (!validation.ok) return { kind: 'invalid', run, validation };
    await this.o.responses.put({
      pseudonym,
      runId: run.runId,
      district: await this.districtOf(userId, user),
      answers: validation.answers,
    });
    return { kind: 'saved', run, answers: validation.answers };
  }

  /** The user's own stored answers (to show them back or pre-fill the form); none once sealed. */
  async ownAnswers(run: Run, userId: string): Promise<Answers | undefined> {
    const pseudonym = await this.o.pseudonyms.of('run', run.runId, userId);
    if (pseudonym === undefined) return undefined;
    return (await this.o.responses.get(run.runId, pseudonym))?.answers;
  }
}

/** How long the start card waits for a reach preview or a group search (Teams gives up at 10–15 s). */
const PREVIEW_TIMEOUT_MS = 4_000;

/** The value, or `fallback` when it takes longer than `ms` (the work goes on and its result is dropped). */
async function withTimeout<T, F>(work: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
    timer.unref();
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Entra object ids (GUIDs); anything else in the card's data is refused. */
const GROUP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A comma-separated card value or an array, as trimmed non-empty strings. */
function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.map((v) => (typeof v === 'string' ? v.trim() : '')).filter((v) => v !== '');
}

/** The chosen groups with the names the officer's card showed (the id where it showed none). */
function groupsOf(ids: readonly string[], names: unknown): AudienceGroup[] {
  let parsed: unknown = names;
  if (typeof names === 'string') {
    try {
      parsed = JSON.parse(names);
    } catch {
      parsed = undefined;
    }
  }
  const known = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  return [...new Set(ids.map((id) => id.toLowerCase()))].map((id) => {
    const name = known[id];
    return { id, name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 120) : id };
  });
}

/** A short id an officer can type: "kulturwandel-2611-x7q2". */
/** How many run ids startRun draws before it gives up (a repeat is about 1 in 1.7 million per draw). */
const RUN_ID_ATTEMPTS = 4;

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
