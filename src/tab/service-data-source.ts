// The tab's data over the existing services. It maps domain objects to view types and computes
// no figure: participation and results come from ResultsService, that is from the disclosure
// module (src/privacy/disclosure.ts), and are only laid out by figures-view.ts.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { runDigestCsv, runExportRows } from '../digest/export-csv';
import { isDistrict, isFieldOfAction, type District, type Locale } from '../domain/vocabulary';
import type { IdeaService } from '../ideas/idea-service';
import { IDEA_STATUSES, TRANSITIONS, type Idea, type IdeaHistoryEntry } from '../ideas/model';
import type { IdeaFilter } from '../storage/idea-repository';
import type { ResultsService } from '../results/results-service';
import { ConflictError } from '../errors';
import {
  DRAFT_MAX_CHARS,
  type SurveyDraft,
  type SurveyDraftRepository,
} from '../storage/survey-draft-repository';
import type { PublishedSurveyRepository } from '../storage/published-survey-repository';
import { surveySchema, type Survey } from '../surveys/definition';
import type { LiveQuestionBank } from '../surveys/question-bank';
import type { Run } from '../surveys/model';
import type { SurveyService } from '../surveys/survey-service';
import type { ScheduleListEntry, ScheduleService } from '../surveys/schedule-service';
import type { ExportFile, ExportFormat, TabDataSource, TabOfficer } from './data-source';
import { participationView, resultsView } from './figures-view';
import { xlsxWorkbook } from './xlsx';
import type {
  ClosePreviewView,
  Disclosed,
  GroupSearchView,
  ReachPreviewView,
  IdeaBoardView,
  IdeaCardView,
  IdeaDetailView,
  IdeaFilterView,
  IdeaHistoryEntryView,
  MergeIdeaResult,
  ReviewIdeaInput,
  ReviewIdeaResult,
  RunActionResultView,
  RunListView,
  RunResultsView,
  RunSummaryView,
  SaveDraftResult,
  SaveScheduleResult,
  ScheduleInput,
  ScheduleListView,
  ScheduleView,
  StartRunInputView,
  StartRunResultView,
  PublishedSurveyView,
  SurveyDraftView,
  SurveyIssueView,
  SurveyLibraryView,
  SurveyOptionView,
} from './view-types';

/** A group search needs at least this many characters, and answers with at most GROUP_SEARCH_LIMIT. */
export const GROUP_SEARCH_MIN_CHARS = 2;
export const GROUP_SEARCH_LIMIT = 10;

/** At most this many ideas per board column (newest first), so a board stays one bounded read. */
export const BOARD_COLUMN_LIMIT = 100;

/** At most this many runs of one survey in a trend (the newest). */
export const TREND_RUNS = 8;

export interface ServiceTabDataSourceOptions {
  surveys: SurveyService;
  /** Every figure: participation and final results, as the disclosure module allows them. */
  results: ResultsService;
  /**
   * The reminder an officer asks for (ReminderService.remindNow); `done` is handed to background.
   * Absent: the tab says reminders on demand are not available.
   */
  remindNow?(
    run: Run,
  ): Promise<{ kind: 'started'; done: Promise<number> } | { kind: 'already' } | { kind: 'closed' }>;
  /** Keeps long work (sending reminders) going after the request has been answered. */
  background(task: Promise<unknown>): void;
  /** Survey drafts (authoring); absent: the tab says authoring is not available. */
  drafts?: SurveyDraftRepository;
  /**
   * Publishing: the version rows and the bank that offers their latest versions (with the built-in
   * surveys). Absent: publishDraft says not_available and the templates are the surveys listed.
   */
  publishing?: { repository: PublishedSurveyRepository; bank: LiveQuestionBank };
  /** A new draft id. */
  newId?(): string;
  clock?: { now(): Date };
  /** Everyone in a run's audience according to the directory, when it is known (reach). */
  directoryAudience?(run: Run): Promise<number | undefined>;
  /** Every run (the run repository's list): the tab needs no delivery counts for its list. */
  listRuns(): Promise<Run[]>;
  ideas: IdeaService;
  /** Ideas matching a filter, newest first (the idea repository's list). */
  listIdeas(filter: IdeaFilter): AsyncIterable<Idea>;
  /** Recurring schedules; absent: the tab says they are not available. */
  schedules?: ScheduleService;
}

export class ServiceTabDataSource implements TabDataSource {
  constructor(private readonly o: ServiceTabDataSourceOptions) {}

  async listRuns(): Promise<RunListView> {
    const runs = await this.o.listRuns();
    runs.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    return { runs: await Promise.all(runs.map((run) => this.summary(run))) };
  }

  async listSurveyOptions(): Promise<SurveyOptionView[]> {
    return (await this.o.surveys.availableSurveys()).map(surveyOption);
  }

  async startRun(officer: TabOfficer, input: StartRunInputView): Promise<StartRunResultView> {
    const result = await this.o.surveys.startRun(
      {
        surveyId: input.surveyId,
        closesAt: input.closesOn,
        districts: input.districts.join(','),
        groupIds: input.groupIds ?? [],
        groupNames: input.groupNames ?? {},
      },
      officer.id,
    );
    if (!result.ok)
      return { kind: 'invalid', field: result.error === 'closesAt' ? 'closesOn' : result.error };
    return { kind: 'started', run: await this.summary(result.run), recipients: result.recipients };
  }

  async searchGroups(text: string): Promise<GroupSearchView> {
    if (!this.o.surveys.hasDirectory) return { available: false };
    const q = text.trim();
    if (q.length < GROUP_SEARCH_MIN_CHARS) return { available: true, groups: [], slow: false };
    // Bounded in time by the survey service (as on the start card); undefined when Graph was slow.
    const found = await this.o.surveys.searchGroups(q).catch(() => undefined);
    return {
      available: true,
      groups: (found ?? []).slice(0, GROUP_SEARCH_LIMIT),
      slow: found === undefined,
    };
  }

  async previewReach(input: { districts: District[]; groupIds: string[] }): Promise<ReachPreviewView> {
    const p = await this.o.surveys.previewReach(input);
    return p.kind === 'directory' ? { kind: 'directory', ...p.reach } : p;
  }

  /** As the chat's "umfrage beenden?" card: the respondents so far, when participation may be shown. */
  async closePreview(runId: string): Promise<ClosePreviewView | undefined> {
    const run = await this.o.surveys.getRun(runId);
    if (!run) return undefined;
    const { participation } = await this.o.results.participation(run);
    return { runId, open: this.o.surveys.isOpen(run), respondents: participation.respondents ?? null };
  }

  async closeRun(_officer: TabOfficer, runId: string): Promise<RunActionResultView> {
    const run = await this.o.surveys.getRun(runId);
    if (!run) return { kind: 'not_found' };
    if (!this.o.surveys.isOpen(run)) return { kind: 'not_open' };
    const closed = await this.o.surveys.closeRun(runId);
    if (!closed) return { kind: 'not_found' };
    const { participation } = await this.o.results.participation(closed);
    return { kind: 'done', run: await this.summary(closed), respondents: participation.respondents ?? null };
  }

  async remindRun(_officer: TabOfficer, runId: string): Promise<RunActionResultView> {
    const run = await this.o.surveys.getRun(runId);
    if (!run) return { kind: 'not_found' };
    if (!this.o.surveys.isOpen(run)) return { kind: 'not_open' };
    if (!this.o.remindNow) return { kind: 'not_available' };
    const result = await this.o.remindNow(run);
    if (result.kind === 'closed') return { kind: 'not_open' };
    if (result.kind === 'already') return { kind: 'already_reminded' };
    this.o.background(result.done);
    return { kind: 'reminding', reminded: 'started' };
  }

  async runResults(runId: string): Promise<Disclosed<RunResultsView> | undefined> {
    const run = await this.o.surveys.getRun(runId);
    if (!run) return undefined;
    const figures = await this.o.results.figures(run);
    if (figures.results !== 'final') return resultsView(run, figures, []);
    return resultsView(run, figures, await this.trendOf(run));
  }

  async exportRun(runId: string, format: ExportFormat, locale: Locale): Promise<ExportFile | undefined> {
    const run = await this.o.surveys.getRun(runId);
    if (!run) return undefined;
    // Exactly what the results view and every other surface show: the disclosure module decides.
    const figures = await this.o.results.figures(run);
    if (format === 'csv') {
      return {
        fileName: `puls-${run.runId}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: Buffer.from(runDigestCsv(figures, locale), 'utf8'),
      };
    }
    const { headers, rows } = runExportRows(figures, locale);
    // Rounded as the CSV rounds them (two decimals), so both files hold the same figures.
    const rounded = rows.map((r) => r.map((c) => (typeof c === 'number' ? Math.round(c * 100) / 100 : c)));
    return {
      fileName: `puls-${run.runId}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body: xlsxWorkbook(run.runId, headers, rounded),
    };
  }

  /** The closed runs of the same survey up to this one (the newest TREND_RUNS), with their figures. */
  private async trendOf(
    run: Run,
  ): Promise<{ run: Run; figures: Awaited<ReturnType<ResultsService['figures']>> }[]> {
    const end = (r: Run) => (r.closedAt ?? r.closesAt).getTime();
    const earlier = (await this.o.listRuns())
      .filter(
        (r) =>
          r.survey.id === run.survey.id &&
          r.runId !== run.runId &&
          !this.o.surveys.isOpen(r) &&
          end(r) <= end(run),
      )
      .sort((a, b) => end(b) - end(a))
      .slice(0, TREND_RUNS - 1);
    return Promise.all(earlier.map(async (r) => ({ run: r, figures: await this.o.results.figures(r) })));
  }

  async ideaBoard(filter: IdeaFilterView): Promise<IdeaBoardView> {
    const base: IdeaFilter = {
      ...(filter.field && isFieldOfAction(filter.field) ? { field: filter.field } : {}),
      ...(filter.district && isDistrict(filter.district) ? { district: filter.district } : {}),
    };
    const columns = await Promise.all(
      IDEA_STATUSES.map(async (status) => {
        const ideas: IdeaCardView[] = [];
        for await (const idea of this.o.listIdeas({ ...base, status })) {
          if (filter.minSupport !== undefined && idea.supportCount < filter.minSupport) continue;
          ideas.push(ideaCard(idea));
          if (ideas.length >= BOARD_COLUMN_LIMIT) break;
        }
        return { status, ideas };
      }),
    );
    return { columns };
  }

  async ideaDetail(ideaId: string): Promise<IdeaDetailView | undefined> {
    const idea = await this.o.ideas.get(ideaId);
    if (!idea) return undefined;
    const history = await this.o.ideas.history(ideaId);
    return { idea: ideaCard(idea), history: history.map(historyEntry) };
  }

  async reviewIdea(officer: TabOfficer, ideaId: string, input: ReviewIdeaInput): Promise<ReviewIdeaResult> {
    const result = await this.o.ideas.setStatus(ideaId, officer, input.from, {
      status: input.to,
      feedback: input.feedback,
    });
    switch (result.kind) {
      case 'saved':
        return { kind: 'saved', idea: ideaCard(result.idea), notified: result.notified };
      case 'stale':
        return { kind: 'stale', idea: ideaCard(result.idea) };
      case 'invalid':
        return { kind: 'invalid', problem: result.problem };
      case 'not_found':
        return { kind: 'not_found' };
    }
  }

  async mergeIdea(officer: TabOfficer, ideaId: string, intoIdeaId: string): Promise<MergeIdeaResult> {
    const result = await this.o.ideas.merge(ideaId, intoIdeaId, officer);
    switch (result.kind) {
      case 'merged':
        return {
          kind: 'merged',
          idea: ideaCard(result.idea),
          into: ideaCard(result.into),
          supportsCarried: result.outcome.carried,
          supportsAlready: result.outcome.already,
          supportsUnmatched: result.outcome.unmatched,
          submitterNotified: result.outcome.notified,
          again: result.again,
        };
      case 'invalid':
        return { kind: 'invalid', problem: result.problem };
      case 'stale':
        return { kind: 'stale' };
      case 'not_found':
        return { kind: 'not_found' };
    }
  }

  async surveyLibrary(): Promise<SurveyLibraryView> {
    const publishing = this.o.publishing;
    const [drafts, all] = await Promise.all([
      this.o.drafts ? this.o.drafts.list() : [],
      this.o.surveys.availableSurveys(),
    ]);
    const entries = publishing?.bank.publishedEntries() ?? [];
    const published: PublishedSurveyView[] = entries.map(({ survey, versions }) => {
      const latest = versions[versions.length - 1]!;
      return {
        ...surveyOption(survey),
        versions: versions.map((v) => v.version),
        publishedAt: latest.publishedAt.toISOString(),
        publishedBy: latest.publishedBy,
        draftId: latest.draftId,
      };
    });
    // Versions of the survey a draft now defines that were published from that draft.
    const byDraft = new Map<string, number[]>();
    const key = (draftId: string, surveyId: unknown) => JSON.stringify([draftId, surveyId]);
    for (const { versions } of entries)
      for (const v of versions) {
        const k = key(v.draftId, v.surveyId);
        byDraft.set(k, [...(byDraft.get(k) ?? []), v.version]);
      }
    return {
      templates: (publishing ? publishing.bank.builtIns() : all).map(surveyOption),
      drafts: drafts.map((d) =>
        draftView(d, byDraft.get(key(d.draftId, (d.definition as { id?: unknown } | null)?.id))),
      ),
      published,
      authoringAvailable: this.o.drafts !== undefined,
      publishingAvailable: this.o.drafts !== undefined && publishing !== undefined,
    };
  }

  async getDraft(draftId: string): Promise<SurveyDraftView | undefined> {
    const draft = await this.o.drafts?.get(draftId);
    return draft && draftView(draft, await this.publishedVersionsOf(draft));
  }

  async saveDraft(
    officer: TabOfficer,
    draftId: string | undefined,
    input: { definition?: unknown; templateId?: string; etag?: string },
  ): Promise<SaveDraftResult> {
    const drafts = this.o.drafts;
    if (!drafts) return { kind: 'not_available' };
    let definition = input.definition;
    if (definition === undefined && draftId === undefined && input.templateId) {
      const template = this.o.surveys.listSurveys().find((s) => s.id === input.templateId);
      if (!template)
        return {
          kind: 'invalid',
          issues: [{ path: 'templateId', message: 'unknown template', code: 'choice' }],
        };
      // A copy under a new id, so that it never stands in for the built-in survey.
      definition = { ...structuredClone(template), id: `${template.id}-entwurf`, version: 1 };
    } else if (definition === undefined && draftId === undefined) {
      definition = blankSurvey(this.o.newId?.() ?? randomUUID());
    }
    const issues = this.definitionIssues(definition);
    if (issues.length > 0) return { kind: 'invalid', issues };
    let etag: string | undefined;
    let templateId = input.templateId;
    if (draftId !== undefined) {
      const current = await drafts.get(draftId);
      if (!current) return { kind: 'not_found' };
      if (!input.etag || input.etag !== current.etag) return { kind: 'stale' };
      etag = input.etag;
      templateId = current.templateId;
    }
    try {
      const saved = await drafts.save(
        {
          draftId: draftId ?? this.o.newId?.() ?? randomUUID(),
          definition,
          templateId,
          updatedAt: this.o.clock?.now() ?? new Date(),
          updatedBy: officer.name,
        },
        etag,
      );
      return { kind: 'saved', draft: draftView(saved, await this.publishedVersionsOf(saved)) };
    } catch (err) {
      if (err instanceof ConflictError) return { kind: 'stale' };
      throw err;
    }
  }

  /**
   * The same schema as the surveys/*.json files, the size a row can hold, and an id of its own: a
   * published survey never stands in for a built-in one.
   */
  private definitionIssues(definition: unknown): SurveyIssueView[] {
    const parsed = surveySchema.safeParse(definition);
    if (!parsed.success) return parsed.error.issues.slice(0, 40).map(issueView);
    if (JSON.stringify(definition).length > DRAFT_MAX_CHARS) {
      return [
        {
          path: '',
          message: `longer than ${DRAFT_MAX_CHARS} characters`,
          code: 'size',
          limit: DRAFT_MAX_CHARS,
        },
      ];
    }
    if (this.o.publishing?.bank.isBuiltIn(parsed.data.id)) {
      return [{ path: 'id', message: 'the id of a built-in survey', code: 'builtin' }];
    }
    return [];
  }

  /** Versions of the draft's survey published from this draft (as the bank last read them). */
  private async publishedVersionsOf(draft: SurveyDraft): Promise<number[]> {
    const bank = this.o.publishing?.bank;
    if (!bank) return [];
    await bank.refresh();
    const id = (draft.definition as { id?: unknown } | null)?.id;
    const entry = bank.publishedEntries().find((e) => e.survey.id === id);
    return entry?.versions.filter((v) => v.draftId === draft.draftId).map((v) => v.version) ?? [];
  }

  async deleteDraft(_officer: TabOfficer, draftId: string): Promise<boolean> {
    return (await this.o.drafts?.delete(draftId)) ?? false;
  }

  /**
   * Publishes the stored draft as the next version of its survey (an insert-only version row, so two
   * officers publishing at once get two versions); the bank offers it at once on every instance, and a
   * run started later freezes it. Runs already started keep the version they froze.
   */
  async publishDraft(officer: TabOfficer, draftId: string): Promise<SaveDraftResult> {
    const { drafts, publishing } = this.o;
    if (!drafts || !publishing) return { kind: 'not_available' };
    const draft = await drafts.get(draftId);
    if (!draft) return { kind: 'not_found' };
    const issues = this.definitionIssues(draft.definition);
    if (issues.length > 0) return { kind: 'invalid', issues };
    const survey = surveySchema.parse(draft.definition);
    let published;
    try {
      published = await publishing.repository.publish({
        surveyId: survey.id,
        definition: (version): Survey => ({ ...survey, version }),
        draftId,
        publishedAt: this.o.clock?.now() ?? new Date(),
        publishedBy: officer.name,
      });
    } catch (err) {
      if (err instanceof ConflictError) return { kind: 'stale' };
      throw err;
    }
    return {
      kind: 'published',
      draft: draftView(draft, await this.publishedVersionsOf(draft)),
      surveyId: survey.id,
      version: published.version,
    };
  }

  async listSchedules(): Promise<ScheduleListView> {
    const service = this.o.schedules;
    if (!service) return { schedules: [], available: false };
    return { schedules: (await service.list()).map((e) => this.scheduleView(e)), available: true };
  }

  async saveSchedule(
    officer: TabOfficer,
    scheduleId: string | undefined,
    input: ScheduleInput,
  ): Promise<SaveScheduleResult> {
    const service = this.o.schedules;
    if (!service) return { kind: 'not_available' };
    const result = await service.save(
      officer,
      scheduleId,
      {
        surveyId: input.surveyId,
        districts: input.districts,
        groupIds: input.groupIds,
        cadence: input.cadence,
        firstDate: input.firstDate,
        time: input.time,
        openDays: input.openDays,
        active: input.active,
      },
      input.etag,
    );
    if (result.kind !== 'saved') return result;
    const [entry] = (await service.list()).filter(
      (e) => e.schedule.scheduleId === result.schedule.scheduleId,
    );
    return {
      kind: 'saved',
      schedule: this.scheduleView(entry ?? { schedule: result.schedule, next: undefined, history: [] }),
    };
  }

  async deleteSchedule(_officer: TabOfficer, scheduleId: string): Promise<boolean> {
    return (await this.o.schedules?.delete(scheduleId)) ?? false;
  }

  private scheduleView({ schedule: s, next, history }: ScheduleListEntry): ScheduleView {
    const survey = this.o.surveys.listSurveys().find((x) => x.id === s.surveyId);
    return {
      scheduleId: s.scheduleId,
      surveyId: s.surveyId,
      surveyTitle: survey ? { ...survey.title } : undefined,
      audience:
        s.districts.length === 0 ? { kind: 'all' } : { kind: 'districts', districts: [...s.districts] },
      groupIds: [...s.groupIds],
      cadence: { ...s.cadence },
      firstDate: s.firstDate,
      time: s.time,
      openDays: s.openDays,
      active: s.active,
      createdByName: s.createdByName,
      nextStart: next ? next.at.toISOString() : null,
      history: history.map((h) => ({
        date: h.occurrence,
        status: h.status,
        runId: h.runId,
        error: h.error,
        recipients: h.recipients,
      })),
      etag: s.etag,
    };
  }

  private async summary(run: Run): Promise<RunSummaryView> {
    const open = this.o.surveys.isOpen(run);
    // Open runs: by district too (groups ≥ K); closed runs show districts with their results.
    const [participation, audience] = await Promise.all([
      open
        ? this.o.results.figures(run, { participationByDistrict: true }).then((f) => f.participation)
        : this.o.results.participation(run).then((p) => p.participation),
      this.o.directoryAudience?.(run) ?? Promise.resolve(undefined),
    ]);
    return {
      runId: run.runId,
      surveyId: run.survey.id,
      surveyTitle: { ...run.survey.title },
      audience:
        run.audience.kind === 'all' || (run.audience.kind === 'directory' && run.audience.everyone)
          ? { kind: 'all' }
          : { kind: 'districts', districts: [...run.audience.districts] },
      ...(run.audience.kind === 'directory' && run.audience.groups.length > 0
        ? { groups: run.audience.groups.map((g) => g.name) }
        : {}),
      startedAt: run.startedAt.toISOString(),
      closesAt: run.closesAt.toISOString(),
      closedAt: run.closedAt?.toISOString(),
      open,
      participation: participationView(participation, audience),
    };
  }
}

function draftView(d: SurveyDraft, publishedVersions: number[] = []): SurveyDraftView {
  return {
    draftId: d.draftId,
    definition: d.definition,
    templateId: d.templateId,
    updatedAt: d.updatedAt.toISOString(),
    updatedBy: d.updatedBy,
    publishedVersions,
    etag: d.etag,
  };
}

function surveyOption(s: Survey): SurveyOptionView {
  return {
    surveyId: s.id,
    version: s.version,
    title: { ...s.title },
    questionCount: s.questions.length,
    minutes: s.minutes,
  };
}

/** A survey started from scratch: one question, placeholder texts the officer replaces. */
function blankSurvey(seed: string): Survey {
  const t = (de: string, en: string) => ({ de, en });
  const suffix =
    seed
      .replace(/[^a-z0-9]/gi, '')
      .toLowerCase()
      .slice(0, 6) || 'neu';
  return {
    id: `umfrage-${suffix}`,
    version: 1,
    title: t('Neue Umfrage', 'New survey'),
    intro: t('Ihre Meinung hilft uns weiter.', 'Your view helps us.'),
    minutes: 2,
    questions: [
      {
        id: 'frage_1',
        type: 'likert5',
        field: 'digitales-arbeiten',
        text: t('Neue Frage', 'New question'),
        required: true,
        labels: {
          low: t('trifft gar nicht zu', 'strongly disagree'),
          high: t('trifft voll zu', 'strongly agree'),
        },
        allowNoAnswer: false,
      },
    ],
  };
}

/** A schema problem as a code the tab words in the officer's language (see SurveyIssueCode). */
function issueView(issue: z.core.$ZodIssue): SurveyIssueView {
  const path = issue.path.map(String).join('.');
  const base = { path, message: issue.message };
  switch (issue.code) {
    case 'too_small': {
      const limit = Number(issue.minimum);
      if (issue.origin === 'string') return { ...base, code: limit <= 1 ? 'required' : 'too_short', limit };
      if (issue.origin === 'array') return { ...base, code: 'too_few', limit };
      return { ...base, code: 'too_small', limit };
    }
    case 'too_big': {
      const limit = Number(issue.maximum);
      if (issue.origin === 'string') return { ...base, code: 'too_long', limit };
      if (issue.origin === 'array') return { ...base, code: 'too_many', limit };
      return { ...base, code: 'too_big', limit };
    }
    case 'invalid_type':
      return { ...base, code: issue.input === undefined ? 'required' : 'other' };
    case 'invalid_format':
      return { ...base, code: 'format' };
    case 'invalid_value':
    case 'invalid_union':
      return { ...base, code: 'choice' };
    case 'custom':
      return { ...base, code: issue.path.at(-1) === 'max' ? 'range' : 'duplicate' };
    default:
      return { ...base, code: 'other' };
  }
}

export function ideaCard(idea: Idea): IdeaCardView {
  return {
    ideaId: idea.ideaId,
    title: idea.title,
    description: idea.description,
    field: idea.field,
    district: idea.district,
    status: idea.status,
    submitterName: idea.anonymous ? undefined : idea.submitterName,
    supportCount: idea.supportCount,
    createdAt: idea.createdAt.toISOString(),
    updatedAt: idea.updatedAt.toISOString(),
    next: [...TRANSITIONS[idea.status]],
    ...(idea.mergedInto ? { mergedInto: { ...idea.mergedInto } } : {}),
  };
}

function historyEntry(entry: IdeaHistoryEntry): IdeaHistoryEntryView {
  return {
    at: entry.at.toISOString(),
    from: entry.from,
    to: entry.to,
    byName: entry.byName,
    feedback: entry.feedback,
  };
}
