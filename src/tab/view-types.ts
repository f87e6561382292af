// The JSON the officers' tab receives: plain, serialisable view types shared by the server
// (src/tab, bot/tab.ts) and the browser bundle (web/). Dates are ISO strings. This module imports
// nothing but types from the shared vocabulary, so the bundle can import it.
import type { District, FieldOfAction, Locale } from '../domain/vocabulary';

export type { District, FieldOfAction, Locale };
export type IdeaStatusView = 'submitted' | 'in_review' | 'accepted' | 'implemented' | 'rejected';
export type LocalisedTextView = { de: string; en: string };

/**
 * A part of a view that the disclosure module decides (issue #10). Until it is wired, or when it
 * withholds a figure, the tab gets a reason instead of the value: never a number it may not show.
 */
export type Disclosed<T> =
  | { available: true; value: T }
  | {
      available: false;
      /** not_implemented: the disclosure module is not wired yet (TODO(lead)). */
      reason: 'not_implemented' | 'run_open' | 'too_few' | 'withheld';
    };

/** Who is signed in to the tab. */
export interface SessionView {
  mode: 'teams' | 'local';
  user: { id: string; name: string };
  /** K_MIN: shown in explanations ("ab 5 Antworten"). */
  kMin: number;
}

export type AudienceView = { kind: 'all' } | { kind: 'districts'; districts: District[] };

export interface ParticipationView {
  /** Installed Puls (reachable) vs. everyone in the audience. */
  reach: { reached: number; audience: number } | undefined;
  overall: { answered: number; delivered: number; rate: number };
  /** Only groups of at least K_MIN; the others are listed as suppressed. */
  byDistrict: { district: District; answered: Figure; suppressed: boolean }[];
}

export interface RunSummaryView {
  runId: string;
  surveyId: string;
  surveyTitle: LocalisedTextView;
  audience: AudienceView;
  startedAt: string;
  closesAt: string;
  closedAt: string | undefined;
  open: boolean;
  participation: Disclosed<ParticipationView>;
}

export interface RunListView {
  runs: RunSummaryView[];
}

/** A survey an officer can start a run of (the question bank now, published drafts later). */
export interface SurveyOptionView {
  surveyId: string;
  version: number;
  title: LocalisedTextView;
  questionCount: number;
  minutes: number;
}

/**
 * Suppressed figures are `null` (JSON has no undefined: inside an array it would turn into null
 * anyway, and a missing property could be mistaken for a bug).
 */
export type Figure = number | null;

/** One row of a chart and its table: a label and one value per series; null = suppressed. */
export interface ChartRowView {
  label: string;
  values: Figure[];
}

export interface QuestionResultView {
  questionId: string;
  text: LocalisedTextView;
  type: 'likert5' | 'single' | 'multi' | 'text' | 'nps';
  answered: Figure;
  /** Mean (likert) or NPS score; null when suppressed or not applicable. */
  score: Figure;
  distribution: { series: string[]; rows: ChartRowView[] };
  suppressed: boolean;
}

export interface RunResultsView {
  runId: string;
  surveyTitle: LocalisedTextView;
  respondents: number;
  questions: QuestionResultView[];
  /** Field-of-action index 0–100. */
  fieldIndex: { field: FieldOfAction; index: Figure }[];
  /** The same survey's earlier shown runs, oldest first. */
  trend: { runId: string; closesAt: string; index: Figure }[];
  /** District × question; null cells are suppressed and shown as such. */
  heatmap: { districts: District[]; questions: string[]; cells: Figure[][] };
}

export interface IdeaCardView {
  ideaId: string;
  title: string;
  description: string;
  field: FieldOfAction;
  district: District | undefined;
  status: IdeaStatusView;
  /** Undefined for anonymous ideas. */
  submitterName: string | undefined;
  supportCount: number;
  createdAt: string;
  updatedAt: string;
  /** Statuses an officer may move it to next. */
  next: IdeaStatusView[];
}

export interface IdeaFilterView {
  field?: FieldOfAction;
  district?: District;
  /** Only ideas with at least this many supports. */
  minSupport?: number;
}

export interface IdeaBoardView {
  columns: { status: IdeaStatusView; ideas: IdeaCardView[] }[];
}

export interface IdeaHistoryEntryView {
  at: string;
  from: IdeaStatusView | undefined;
  to: IdeaStatusView;
  byName: string;
  feedback: string;
}

export interface IdeaDetailView {
  idea: IdeaCardView;
  history: IdeaHistoryEntryView[];
}

export interface ReviewIdeaInput {
  /** The status the officer saw, to catch a review made on stale data. */
  from: IdeaStatusView;
  to: IdeaStatusView;
  feedback: string;
}

export type ReviewIdeaResult =
  | { kind: 'saved'; idea: IdeaCardView; notified: boolean }
  | { kind: 'stale'; idea: IdeaCardView }
  | { kind: 'invalid'; problem: 'status' | 'feedback' | 'final' }
  | { kind: 'not_found' };

export type MergeIdeaResult =
  | { kind: 'merged'; into: IdeaCardView; supportsCarried: number; submitterNotified: boolean }
  | { kind: 'invalid'; problem: 'same' | 'final' }
  | { kind: 'not_found' }
  | { kind: 'not_available' };

/** A survey draft as the authoring view edits it: the definition as in surveys/*.json. */
export interface SurveyDraftView {
  draftId: string;
  /** The survey definition (validated by the survey schema on save). */
  definition: unknown;
  /** Built-in template it started from, if any. */
  templateId: string | undefined;
  updatedAt: string;
  updatedBy: string;
  /** Versions published from this draft. */
  publishedVersions: number[];
}

export interface SurveyLibraryView {
  /** Built-in templates: the surveys/*.json files. */
  templates: SurveyOptionView[];
  drafts: SurveyDraftView[];
  /** False until drafts are stored (TODO(lead)); the view says so instead of offering to edit. */
  authoringAvailable: boolean;
}

export type SaveDraftResult =
  | { kind: 'saved'; draft: SurveyDraftView }
  | { kind: 'invalid'; issues: { path: string; message: string }[] }
  | { kind: 'stale' }
  | { kind: 'not_found' }
  | { kind: 'not_available' };

export interface ScheduleView {
  scheduleId: string;
  surveyId: string;
  audience: AudienceView;
  /** e.g. every 3 months; the run stays open `openDays` days. */
  everyMonths: number;
  openDays: number;
  nextStart: string;
  enabled: boolean;
}

export interface ScheduleListView {
  schedules: ScheduleView[];
  /** False until recurring pulses exist (TODO(lead)). */
  available: boolean;
}

export interface ScheduleInput {
  surveyId: string;
  audience: AudienceView;
  everyMonths: number;
  openDays: number;
  firstStart: string;
}

export type SaveScheduleResult =
  | { kind: 'saved'; schedule: ScheduleView }
  | { kind: 'invalid'; issues: { path: string; message: string }[] }
  | { kind: 'not_found' }
  | { kind: 'not_available' };

export interface StartRunInputView {
  surveyId: string;
  /** YYYY-MM-DD, Hamburg's date; the run closes at the end of that day. */
  closesOn: string;
  /** Empty: everyone. */
  districts: District[];
}

export type StartRunResultView =
  | { kind: 'started'; run: RunSummaryView; recipients: number }
  | { kind: 'invalid'; field: 'survey' | 'closesOn' | 'districts' | 'audience' };

export type RunActionResultView =
  | { kind: 'done'; run: RunSummaryView }
  | { kind: 'not_found' }
  | { kind: 'not_open' }
  | { kind: 'not_available' };

/** Error body of every failed API call. */
export interface ApiErrorView {
  error: 'unauthenticated' | 'forbidden' | 'not_found' | 'invalid' | 'unavailable' | 'internal';
  message: string;
}
