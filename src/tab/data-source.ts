// What the officers' tab asks of Puls: one call per thing a view shows or does, each returning
// the plain JSON view types of view-types.ts. bot/tab.ts serves these over /api/tab/… after the
// officer is authenticated; it never computes a figure itself. Every figure (participation,
// results, trends, heatmap) must come from the disclosure module (issue #10), so that the tab can
// never show what a card, the digest or the CSV would suppress.
import type { District, Locale } from '../domain/vocabulary';
import type {
  ClosePreviewView,
  IdeaBoardView,
  IdeaDetailView,
  IdeaFilterView,
  MergeIdeaResult,
  Disclosed,
  GroupSearchView,
  ReachPreviewView,
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

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Uint8Array;
}

export interface TabDataSource {
  // Runs
  /** Every run, newest first, with participation as the disclosure module allows it. */
  listRuns(): Promise<RunListView>;
  /** Surveys a run can be started of. */
  listSurveyOptions(): Promise<SurveyOptionView[]>;
  startRun(officer: TabOfficer, input: StartRunInputView): Promise<StartRunResultView>;
  /** What "close now?" says: how many answers become final; undefined when there is no such run. */
  closePreview(runId: string): Promise<ClosePreviewView | undefined>;
  closeRun(officer: TabOfficer, runId: string): Promise<RunActionResultView>;
  /** Reminds those in the run's audience who have not answered (and want reminders), now. */
  remindRun(officer: TabOfficer, runId: string): Promise<RunActionResultView>;
  /** Entra groups by name for the start form (bounded); absent or unavailable without a directory. */
  searchGroups?(text: string): Promise<GroupSearchView>;
  /** How many of an audience a run would reach (installed, to be installed, not reachable). */
  previewReach?(input: { districts: District[]; groupIds: string[] }): Promise<ReachPreviewView>;

  // Results
  /** Final figures of a closed run; undefined when there is no such run. */
  runResults(runId: string): Promise<Disclosed<RunResultsView> | undefined>;
  /** The run's figures as a file (the CSV export, or the same rows as XLSX); undefined: no such run. */
  exportRun(runId: string, format: ExportFormat, locale: Locale): Promise<ExportFile | undefined>;

  // Ideas
  ideaBoard(filter: IdeaFilterView): Promise<IdeaBoardView>;
  ideaDetail(ideaId: string): Promise<IdeaDetailView | undefined>;
  reviewIdea(officer: TabOfficer, ideaId: string, input: ReviewIdeaInput): Promise<ReviewIdeaResult>;
  /** Merges a duplicate into another idea: supports carried over once per person, submitter told. */
  mergeIdea(officer: TabOfficer, ideaId: string, intoIdeaId: string): Promise<MergeIdeaResult>;

  // Survey authoring
  surveyLibrary(): Promise<SurveyLibraryView>;
  getDraft(draftId: string): Promise<SurveyDraftView | undefined>;
  /**
   * Creates (draftId undefined) or replaces a draft (with the ETag it was read with); `definition`
   * is validated by the survey schema, like the files; a new draft without one copies `templateId`.
   */
  saveDraft(
    officer: TabOfficer,
    draftId: string | undefined,
    input: { definition?: unknown; templateId?: string; etag?: string },
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
