// What the officers' tab asks of Puls: one call per thing a view shows or does, each returning
// the plain JSON view types of view-types.ts. bot/tab.ts serves these over /api/tab/… after the
// officer is authenticated; it never computes a figure itself. Every figure (participation,
// results, trends, heatmap) must come from the disclosure module (issue #10), so that the tab can
// never show what a card, the digest or the CSV would suppress.
import type {
  IdeaBoardView,
  IdeaDetailView,
  IdeaFilterView,
  MergeIdeaResult,
  Disclosed,
  ReviewIdeaInput,
  ReviewIdeaResult,
  RunActionResultView,
  RunListView,
  RunResultsView,
  SaveDraftResult,
  SaveScheduleResult,
  ScheduleInput,
  ScheduleListView,
  StartRunInputView,
  StartRunResultView,
  SurveyDraftView,
  SurveyLibraryView,
  SurveyOptionView,
} from './view-types';

/** The signed-in officer, as bot/tab.ts established it (SSO token or the local officer). */
export interface TabOfficer {
  /** Entra object id (oid); "local-officer" in local mode. */
  id: string;
  name: string;
  tenantId: string | undefined;
}

export interface TabDataSource {
  // Runs
  /** Every run, newest first, with participation as the disclosure module allows it. */
  listRuns(): Promise<RunListView>;
  /** Surveys a run can be started of. */
  listSurveyOptions(): Promise<SurveyOptionView[]>;
  startRun(officer: TabOfficer, input: StartRunInputView): Promise<StartRunResultView>;
  closeRun(officer: TabOfficer, runId: string): Promise<RunActionResultView>;
  /** Reminds those in the run's audience who have not answered (and want reminders), now. */
  remindRun(officer: TabOfficer, runId: string): Promise<RunActionResultView>;

  // Results
  /** Final figures of a closed run; undefined when there is no such run. */
  runResults(runId: string): Promise<Disclosed<RunResultsView> | undefined>;

  // Ideas
  ideaBoard(filter: IdeaFilterView): Promise<IdeaBoardView>;
  ideaDetail(ideaId: string): Promise<IdeaDetailView | undefined>;
  reviewIdea(officer: TabOfficer, ideaId: string, input: ReviewIdeaInput): Promise<ReviewIdeaResult>;
  /** Merges a duplicate into another idea: supports carried over once per person, submitter told. */
  mergeIdea(officer: TabOfficer, ideaId: string, intoIdeaId: string): Promise<MergeIdeaResult>;

  // Survey authoring
  surveyLibrary(): Promise<SurveyLibraryView>;
  getDraft(draftId: string): Promise<SurveyDraftView | undefined>;
  /** Creates (draftId undefined) or replaces a draft; `definition` is validated by the survey schema. */
  saveDraft(
    officer: TabOfficer,
    draftId: string | undefined,
    input: { definition: unknown; templateId?: string },
  ): Promise<SaveDraftResult>;
  deleteDraft(officer: TabOfficer, draftId: string): Promise<boolean>;
  /** Publishes the draft as the next version of its survey; runs freeze the version they start with. */
  publishDraft(officer: TabOfficer, draftId: string): Promise<SaveDraftResult>;

  // Recurring pulses
  listSchedules(): Promise<ScheduleListView>;
  saveSchedule(
    officer: TabOfficer,
    scheduleId: string | undefined,
    input: ScheduleInput,
  ): Promise<SaveScheduleResult>;
  deleteSchedule(officer: TabOfficer, scheduleId: string): Promise<boolean>;
}
