// The JSON the officers' tab receives: plain, serialisable view types shared by the server
// (src/tab, bot/tab.ts) and the browser bundle (web/). Dates are ISO strings. This module imports
// nothing but types from the shared vocabulary, so the bundle can import it.
import type { District, FieldOfAction, Locale } from '../domain/vocabulary';

export type { District, FieldOfAction, Locale };
export type IdeaStatusView = 'submitted' | 'in_review' | 'accepted' | 'implemented' | 'rejected' | 'merged';
export type LocalisedTextView = { de: string; en: string };

/** Why the disclosure module withholds something; the tab explains each, never shows a number. */
export type WithheldReason =
  | 'not_implemented'
  | 'run_open'
  | 'too_few'
  | 'small_audience'
  | 'complementary'
  | 'too_few_texts'
  | 'withheld';

/**
 * A part of a view that the disclosure module (src/privacy/disclosure.ts) decides. When it withholds
 * a figure, the tab gets a reason instead of the value: never a number it may not show.
 */
export type Disclosed<T> = { available: true; value: T } | { available: false; reason: WithheldReason };

/** Who is signed in to the tab. */
export interface SessionView {
  mode: 'teams' | 'local';
  user: { id: string; name: string };
  /** K_MIN: shown in explanations ("ab 5 Antworten"). */
  kMin: number;
}

export type AudienceView = { kind: 'all' } | { kind: 'districts'; districts: District[] };

/**
 * Suppressed figures are `null` (JSON has no undefined: inside an array it would turn into null
 * anyway, and a missing property could be mistaken for a bug).
 */
export type Figure = number | null;

/** A group hidden by the disclosure module, and why (fewer than K, or complementary suppression). */
export type HiddenView = false | 'too_few' | 'complementary';

export interface ParticipationView {
  /**
   * Reach: the people the run went to (Puls installed when it started), the cards Teams accepted,
   * and everyone in the audience according to the directory (undefined until the directory is known).
   */
  reach: { installed: number; delivered: number; audience: number | undefined };
  /** Respondents; the rate is respondents / delivered (0…1), null when nothing was delivered. */
  overall: { answered: number; rate: Figure };
  /** Open runs: respondents by district, only groups of at least K_MIN; others hidden with a reason. */
  byDistrict: { district: District; answered: Figure; hidden: HiddenView }[];
}

export interface RunSummaryView {
  runId: string;
  surveyId: string;
  surveyTitle: LocalisedTextView;
  audience: AudienceView;
  /** Entra groups in the audience (directory runs), by the names the officer saw when starting. */
  groups?: string[];
  startedAt: string;
  closesAt: string;
  closedAt: string | undefined;
  open: boolean;
  participation: Disclosed<ParticipationView>;
}

export interface RunListView {
  runs: RunSummaryView[];
}

/** A survey an officer can start a run of: a built-in one or the latest published version. */
export interface SurveyOptionView {
  surveyId: string;
  /** A run started now freezes this version. */
  version: number;
  title: LocalisedTextView;
  questionCount: number;
  minutes: number;
}

/** One row of a chart and its table: a label and one value per series; null = suppressed. */
export interface ChartRowView {
  label: string;
  values: Figure[];
}

export interface QuestionResultView {
  questionId: string;
  text: LocalisedTextView;
  type: 'likert5' | 'single' | 'multi' | 'text' | 'nps';
  field: FieldOfAction;
  /** Why the whole question is hidden; then every figure below is null and the lists are empty. */
  hidden: false | 'too_few' | 'too_few_texts';
  /** Respondents who answered it (likert: "keine Angabe" included; text: writers). */
  answered: Figure;
  /** Likert: mean over 1–5; NPS: mean over 0–10. */
  mean: Figure;
  /** NPS: round(% 9–10 − % 0–6). */
  nps: Figure;
  /** Change against the previous shown run of the same survey (likert: mean, NPS: score). */
  change: Figure;
  /** Likert 1–5 ("1 – …", "5 – …", then "keine Angabe" when given), NPS 0–10, or the choices. */
  distribution: { key: string; label: LocalisedTextView; count: number }[];
  /** Free texts from K_TEXT writers on, in a stable shuffled order. */
  texts: string[];
}

export interface HeatmapColumnView {
  /** "f.<field>" (field index 0–100), "q.<id>" (likert mean 1–5) or "q.<id>.nps" (NPS score). */
  id: string;
  kind: 'index' | 'mean' | 'nps';
  label: LocalisedTextView;
}

export interface RunResultsView {
  runId: string;
  surveyId: string;
  surveyTitle: LocalisedTextView;
  /** When the run closed. */
  closedAt: string;
  kMin: number;
  kText: number;
  participation: { audience: number; delivered: number; respondents: number; rate: Figure };
  questions: QuestionResultView[];
  /** Field-of-action index 0–100, with the change against the previous shown run. */
  fieldIndex: { field: FieldOfAction; items: number; index: Figure; change: Figure }[];
  /**
   * The field indexes of every closed run of the same survey up to this one, oldest first. A run
   * whose results are not shown has only nulls.
   */
  trend: {
    /** scheduleId: the recurring schedule that started the run (runs of one schedule share it). */
    runs: { runId: string; closesAt: string; shown: boolean; scheduleId?: string }[];
    fields: { field: FieldOfAction; values: Figure[] }[];
  };
  /** District × column; a hidden district has a null respondents figure and only null cells. */
  heatmap: {
    columns: HeatmapColumnView[];
    rows: { district: District; respondents: Figure; hidden: HiddenView; cells: Figure[] }[];
    /** Every district is below K (or none was given): no breakdown at all. */
    withheld: boolean;
  };
  /** Every reason that hid something, for the footnotes. */
  explanations: WithheldReason[];
}

/** What "close now?" says: how many answers become final (null when that may not be shown). */
export interface ClosePreviewView {
  runId: string;
  open: boolean;
  respondents: Figure;
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
  /** A merged duplicate: the idea it was merged into. */
  mergedInto?: { ideaId: string; title: string };
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
  | {
      kind: 'merged';
      /** The duplicate, now "merged". */
      idea: IdeaCardView;
      into: IdeaCardView;
      /** Supporters of the duplicate who now support the target. */
      supportsCarried: number;
      /** Supporters of both (or the target's submitter): they count once. */
      supportsAlready: number;
      /** Supports whose person Puls no longer knows: not carried over. */
      supportsUnmatched: number;
      submitterNotified: boolean;
      /** The merge had been done before (a retry): nothing was counted twice. */
      again: boolean;
    }
  | { kind: 'invalid'; problem: 'same' | 'final' | 'target_final' | 'target_merged' | 'chain' }
  /** A concurrent change came first: nothing was merged; reload and try again. */
  | { kind: 'stale' }
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
  /** Versions of its survey published from this draft, oldest first. */
  publishedVersions: number[];
  /** Pass it back when saving: a draft someone else saved in between is not overwritten. */
  etag: string;
}

/** A survey published from the tab: its latest version, which a new run freezes. */
export interface PublishedSurveyView extends SurveyOptionView {
  /** Every published version, oldest first. */
  versions: number[];
  publishedAt: string;
  publishedBy: string;
  /** The draft the latest version was published from. */
  draftId: string;
}

export interface SurveyLibraryView {
  /** Built-in templates: the surveys/*.json files. */
  templates: SurveyOptionView[];
  drafts: SurveyDraftView[];
  /** Published surveys (latest versions), by id. */
  published: PublishedSurveyView[];
  /** Whether drafts can be stored. */
  authoringAvailable: boolean;
  /** Whether drafts can be published (`publishDraft` says not_available otherwise). */
  publishingAvailable: boolean;
}

/**
 * Why the survey schema refused a field, for a message in the officer's language: `required` (empty or
 * missing), `too_long`/`too_short` (text; `limit` characters), `too_many`/`too_few` (questions or
 * choices; `limit`), `too_big`/`too_small` (numbers; `limit`), `format` (ids), `choice` (a value not in
 * the list), `duplicate` (ids), `range` (multi: min ≤ max ≤ choices), `builtin` (the id of a built-in
 * survey), `size` (the whole definition), `other` (`message` in English).
 */
export type SurveyIssueCode =
  | 'required'
  | 'too_long'
  | 'too_short'
  | 'too_many'
  | 'too_few'
  | 'too_big'
  | 'too_small'
  | 'format'
  | 'choice'
  | 'duplicate'
  | 'range'
  | 'builtin'
  | 'size'
  | 'other';

export interface SurveyIssueView {
  /** Dot path into the definition, e.g. "questions.0.text.de"; "" for the whole survey. */
  path: string;
  /** The schema's own message (English), for logs and the raw JSON editor. */
  message: string;
  code?: SurveyIssueCode;
  limit?: number;
}

export type SaveDraftResult =
  | { kind: 'saved'; draft: SurveyDraftView }
  | { kind: 'published'; draft: SurveyDraftView; surveyId: string; version: number }
  | { kind: 'invalid'; issues: SurveyIssueView[] }
  | { kind: 'stale' }
  | { kind: 'not_found' }
  | { kind: 'not_available' };

/** Every `every` weeks (weekly: 1) or months (monthly: 1, quarterly: 3). */
export interface ScheduleCadenceView {
  unit: 'weeks' | 'months';
  every: number;
}

/** What became of one occurrence of a schedule. */
export interface ScheduleOccurrenceView {
  /** Hamburg date it was due ("2027-01-04"). */
  date: string;
  status: 'claimed' | 'started' | 'failed' | 'missed';
  runId: string | undefined;
  /** Why it did not start: 'audience', 'survey', 'groups', 'error'. */
  error: string | undefined;
  /** 'audience': how many reachable people the audience had. */
  recipients: number | undefined;
}

export interface ScheduleView {
  scheduleId: string;
  surveyId: string;
  /** Undefined when the survey no longer exists. */
  surveyTitle: LocalisedTextView | undefined;
  audience: AudienceView;
  /** Entra group ids of the audience (with the directory). */
  groupIds: string[];
  cadence: ScheduleCadenceView;
  /** First occurrence (Hamburg date); fixes the weekday or day of month. */
  firstDate: string;
  /** Hamburg time "HH:MM". */
  time: string;
  /** The run is open this many days, the start day included. */
  openDays: number;
  active: boolean;
  createdByName: string;
  /** ISO instant of the next start; null while paused. */
  nextStart: string | null;
  /** The latest occurrences, newest first. */
  history: ScheduleOccurrenceView[];
  /** Pass it back when saving. */
  etag: string;
}

export interface ScheduleListView {
  schedules: ScheduleView[];
  available: boolean;
}

export interface ScheduleInput {
  surveyId: string;
  /** Empty with no groups: everyone. */
  districts: District[];
  groupIds: string[];
  cadence: ScheduleCadenceView;
  firstDate: string;
  time: string;
  openDays: number;
  active: boolean;
  /** Required when replacing a schedule. */
  etag?: string;
}

export type SaveScheduleResult =
  | { kind: 'saved'; schedule: ScheduleView }
  | { kind: 'invalid'; issues: { path: string; message: string }[] }
  | { kind: 'stale' }
  | { kind: 'not_found' }
  | { kind: 'not_available' };

export interface StartRunInputView {
  surveyId: string;
  /** YYYY-MM-DD, Hamburg's date; the run closes at the end of that day. */
  closesOn: string;
  /** Empty: everyone. */
  districts: District[];
  /** Entra groups (with the directory): their members are in the audience too. */
  groupIds?: string[];
  /** The groups' names as the picker showed them (id → name), to show the audience. */
  groupNames?: Record<string, string>;
}

export type StartRunResultView =
  | { kind: 'started'; run: RunSummaryView; recipients: number }
  | { kind: 'invalid'; field: 'survey' | 'closesOn' | 'districts' | 'groups' | 'audience' };

/** An Entra group the run start form offers. */
export interface GroupOptionView {
  id: string;
  name: string;
}

/**
 * The directory's groups by name for the run start form. Unavailable without the directory
 * (GRAPH_ENABLED off): the form then hides the picker. `slow`: Graph did not answer in time.
 */
export type GroupSearchView =
  { available: false } | { available: true; groups: GroupOptionView[]; slow: boolean };

/** How many of the chosen audience a run would reach, before it starts. */
export type ReachPreviewView =
  | { kind: 'directory'; audience: number; installed: number; installing: number; unreachable: number }
  /** Without the directory: the installed people in the chosen districts. */
  | { kind: 'installed'; installed: number }
  /** The directory did not answer in time. */
  | { kind: 'pending' };

export type RunActionResultView =
  | { kind: 'done'; run: RunSummaryView; respondents?: Figure }
  | { kind: 'reminding'; reminded: 'started' }
  | { kind: 'already_reminded' }
  | { kind: 'not_found' }
  | { kind: 'not_open' }
  | { kind: 'not_available' };

/** Error body of every failed API call. */
export interface ApiErrorView {
  error: 'unauthenticated' | 'forbidden' | 'not_found' | 'invalid' | 'unavailable' | 'internal';
  message: string;
}
