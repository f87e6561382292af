// The tab's data over the existing services. It maps domain objects to view types and computes
// no figure: participation and results come from ResultsService, that is from the disclosure
// module (src/privacy/disclosure.ts), and are only laid out by figures-view.ts.
import { randomUUID } from 'node:crypto';
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
import { surveySchema } from '../surveys/definition';
import type { Run } from '../surveys/model';
import type { SurveyService } from '../surveys/survey-service';
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
  ScheduleListView,
  StartRunInputView,
  StartRunResultView,
  SurveyDraftView,
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
}

export class ServiceTabDataSource implements TabDataSource {
  constructor(private readonly o: ServiceTabDataSourceOptions) {}

  async listRuns(): Promise<RunListView> {
    const runs = await this.o.listRuns();
    runs.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    return { runs: await Promise.all(runs.map((run) => this.summary(run))) };
  }

  async listSurveyOptions(): Promise<SurveyOptionView[]> {
    return this.o.surveys.listSurveys().map((s) => ({
      surveyId: s.id,
      version: s.version,
      title: { ...s.title },
      questionCount: s.questions.length,
      minutes: s.minutes,
    }));
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
    const drafts = this.o.drafts ? await this.o.drafts.list() : [];
    return {
      templates: await this.listSurveyOptions(),
      drafts: drafts.map(draftView),
      authoringAvailable: this.o.drafts !== undefined,
    };
  }

  async getDraft(draftId: string): Promise<SurveyDraftView | undefined> {
    const draft = await this.o.drafts?.get(draftId);
    return draft && draftView(draft);
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
        return { kind: 'invalid', issues: [{ path: 'templateId', message: 'unknown template' }] };
      // A copy under a new id, so that it never stands in for the built-in survey.
      definition = { ...structuredClone(template), id: `${template.id}-entwurf`, version: 1 };
    }
    // The same schema as the surveys/*.json files.
    const parsed = surveySchema.safeParse(definition);
    if (!parsed.success) {
      return {
        kind: 'invalid',
        issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
      };
    }
    if (JSON.stringify(definition).length > DRAFT_MAX_CHARS) {
      return {
        kind: 'invalid',
        issues: [{ path: '', message: `longer than ${DRAFT_MAX_CHARS} characters` }],
      };
    }
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
      return { kind: 'saved', draft: draftView(saved) };
    } catch (err) {
      if (err instanceof ConflictError) return { kind: 'stale' };
      throw err;
    }
  }

  async deleteDraft(_officer: TabOfficer, draftId: string): Promise<boolean> {
    return (await this.o.drafts?.delete(draftId)) ?? false;
  }

  async publishDraft(): Promise<SaveDraftResult> {
    // Not yet: publishing needs the question bank to read published versions from storage.
    return { kind: 'not_available' };
  }

  async listSchedules(): Promise<ScheduleListView> {
    // TODO(lead): recurring pulses (a schedule per survey and audience, exactly once across instances).
    return { schedules: [], available: false };
  }

  async saveSchedule(): Promise<SaveScheduleResult> {
    return { kind: 'not_available' };
  }

  async deleteSchedule(): Promise<boolean> {
    return false;
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

function draftView(d: SurveyDraft): SurveyDraftView {
  return {
    draftId: d.draftId,
    definition: d.definition,
    templateId: d.templateId,
    updatedAt: d.updatedAt.toISOString(),
    updatedBy: d.updatedBy,
    publishedVersions: [],
    etag: d.etag,
  };
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
