// The tab's data over the existing services. It maps domain objects to view types and computes
// no figure: everything the disclosure module decides (participation, results) is a TODO(lead)
// stub that answers "not available yet" until that module is wired in.
import { isDistrict, isFieldOfAction } from '../domain/vocabulary';
import type { IdeaService } from '../ideas/idea-service';
import { IDEA_STATUSES, TRANSITIONS, type Idea, type IdeaHistoryEntry } from '../ideas/model';
import type { IdeaFilter } from '../storage/idea-repository';
import type { Run } from '../surveys/model';
import type { SurveyService } from '../surveys/survey-service';
import type { TabDataSource, TabOfficer } from './data-source';
import type {
  Disclosed,
  IdeaBoardView,
  IdeaCardView,
  IdeaDetailView,
  IdeaFilterView,
  IdeaHistoryEntryView,
  MergeIdeaResult,
  ParticipationView,
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

/** At most this many ideas per board column (newest first), so a board stays one bounded read. */
export const BOARD_COLUMN_LIMIT = 100;

export interface ServiceTabDataSourceOptions {
  surveys: SurveyService;
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
    return { runs: runs.map((run) => this.summary(run)) };
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
      { surveyId: input.surveyId, closesAt: input.closesOn, districts: input.districts.join(',') },
      officer.id,
    );
    if (!result.ok)
      return { kind: 'invalid', field: result.error === 'closesAt' ? 'closesOn' : result.error };
    return { kind: 'started', run: this.summary(result.run), recipients: result.recipients };
  }

  async closeRun(_officer: TabOfficer, runId: string): Promise<RunActionResultView> {
    const run = await this.o.surveys.getRun(runId);
    if (!run) return { kind: 'not_found' };
    if (!this.o.surveys.isOpen(run)) return { kind: 'not_open' };
    const closed = await this.o.surveys.closeRun(runId);
    return closed ? { kind: 'done', run: this.summary(closed) } : { kind: 'not_found' };
  }

  async remindRun(_officer: TabOfficer, runId: string): Promise<RunActionResultView> {
    const run = await this.o.surveys.getRun(runId);
    if (!run) return { kind: 'not_found' };
    if (!this.o.surveys.isOpen(run)) return { kind: 'not_open' };
    // TODO(lead): a reminder on demand needs the reminder service to find non-respondents now
    // (issue #10 recomputes them when due, without per-person "answered" flags).
    return { kind: 'not_available' };
  }

  async runResults(runId: string): Promise<Disclosed<RunResultsView> | undefined> {
    const run = await this.o.surveys.getRun(runId);
    if (!run) return undefined;
    if (this.o.surveys.isOpen(run)) return { available: false, reason: 'run_open' };
    // TODO(lead): the final figures from the disclosure module (per question, field-of-action
    // index, trend, district heatmap), the same the result card, digest and CSV show.
    return { available: false, reason: 'not_implemented' };
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

  async mergeIdea(): Promise<MergeIdeaResult> {
    // TODO(lead): merging (supports carried over once per person, the submitter told) belongs in
    // IdeaService, with the per-idea supporter keys of issue #10.
    return { kind: 'not_available' };
  }

  async surveyLibrary(): Promise<SurveyLibraryView> {
    // TODO(lead): drafts and published versions in Table Storage (issue #13, survey authoring).
    return { templates: await this.listSurveyOptions(), drafts: [], authoringAvailable: false };
  }

  async getDraft(): Promise<SurveyDraftView | undefined> {
    return undefined;
  }

  async saveDraft(): Promise<SaveDraftResult> {
    return { kind: 'not_available' };
  }

  async deleteDraft(): Promise<boolean> {
    return false;
  }

  async publishDraft(): Promise<SaveDraftResult> {
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

  private summary(run: Run): RunSummaryView {
    return {
      runId: run.runId,
      surveyId: run.survey.id,
      surveyTitle: { ...run.survey.title },
      audience:
        run.audience.kind === 'all'
          ? { kind: 'all' }
          : { kind: 'districts', districts: [...run.audience.districts] },
      startedAt: run.startedAt.toISOString(),
      closesAt: run.closesAt.toISOString(),
      closedAt: run.closedAt?.toISOString(),
      open: this.o.surveys.isOpen(run),
      participation: participationOf(run),
    };
  }
}

/** TODO(lead): participation from the disclosure module (overall and by district, groups ≥ K_MIN). */
function participationOf(_run: Run): Disclosed<ParticipationView> {
  return { available: false, reason: 'not_implemented' };
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
