// Survey cards: the stepped card an employee answers (one question per step, then a summary to
// confirm), the thank-you card, and the officers' run cards.
import { commandText } from '../src/i18n/command-words';
import { format, formatDate, messages, pick, type Locale } from '../src/i18n';
import type { RunListEntry } from '../src/surveys/survey-service';
import { integer, percent } from './format';
import {
  carryAnswers,
  formData,
  inputId,
  type AnswerError,
  type CarriedAnswers,
} from '../src/surveys/answers';
import type { Question, Survey } from '../src/surveys/definition';
import { NO_ANSWER, type Answers, type Run } from '../src/surveys/model';
import { expand, expandWithHoles, hole, type AdaptiveCard } from './index';
import runStartTemplate from './run-start.json';
import runsTemplate from './runs.json';
import surveyTemplate from './survey.json';
import summaryTemplate from './survey-summary.json';
import thanksTemplate from './survey-thanks.json';
import { DISTRICTS } from '../src/domain/vocabulary';
import { directoryMessages } from '../src/i18n/directory';

export function answerVerb(runId: string): string {
  return `survey.answer:${runId}`;
}
export function stepVerb(runId: string): string {
  return `survey.step:${runId}`;
}
export function editVerb(runId: string): string {
  return `survey.edit:${runId}`;
}
export function closeVerb(runId: string): string {
  return `run.close:${runId}`;
}

/** "4 von 5", "1 von 5 – trifft gar nicht zu": a scale value as the tiles and the summary say it. */
function scaleText(value: number, max: number, ends: Record<number, string>, locale: Locale): string {
  const s = messages(locale).survey;
  return format(ends[value] ? s.tileEnd : s.tile, { value, max, label: ends[value] ?? '' });
}

function likertEnds(q: Extract<Question, { type: 'likert5' }>, locale: Locale): Record<number, string> {
  return { 1: pick(q.labels.low, locale), 5: pick(q.labels.high, locale) };
}

function npsEnds(q: Extract<Question, { type: 'nps' }>, locale: Locale): Record<number, string> {
  return q.labels ? { 0: pick(q.labels.low, locale), 10: pick(q.labels.high, locale) } : {};
}

/** One choice on a step card: pressing it answers the question and goes on. */
interface Tile {
  text: string;
  /** What a screen reader announces (the action's title). */
  label: string;
  width: number | 'stretch';
  style: 'emphasis' | 'accent';
  align: 'Center' | 'Left';
  weight: 'Default' | 'Bolder';
  verb: string;
  data: Record<string, unknown>;
}
/** An empty cell that keeps the tiles of a shorter row as wide as those above. */
const SPACER: { text: ''; width: Tile['width'] } = { text: '', width: 1 };

export interface SurveyStepOptions {
  run: Run;
  /** The question shown, 0-based. */
  step: number;
  /** The answers so far (card form); carried in every action of the card. */
  answers: CarriedAnswers;
  /** The user came from the summary: "next" and "back" return to it. */
  review?: boolean;
  error?: AnswerError;
  /** What the user entered in a rejected step (re-fills an input). */
  entered?: string;
  /** A message above the question (reminder, refused card). */
  notice?: string;
}

/**
 * One step of the survey card: "Frage 2 von 8", the question, and its answers as a compact row of
 * choices (likert, NPS, single choice: one press answers and goes on) or an input (multiple choice,
 * free text) with "Weiter". Every action carries the answers so far, so the card needs no storage.
 */
export function renderSurveyStep(locale: Locale, options: SurveyStepOptions): AdaptiveCard {
  const s = messages(locale).survey;
  const { run, answers } = options;
  const survey = run.survey;
  const n = survey.questions.length;
  const step = Math.min(Math.max(0, options.step), n - 1);
  const q = survey.questions[step]!;
  const review = options.review === true;
  const verb = stepVerb(run.runId);
  const nav = (to: number, extra: Record<string, string> = {}) => ({
    verb,
    at: step,
    to,
    answers,
    ...(review ? { review: true } : {}),
    ...extra,
  });
  const nextTarget = review ? n : step + 1;
  const current = answers[q.id];
  // "Frage n von N" above says which question this is; a leading "1. " would render as a Markdown list.
  const question = pick(q.text, locale);
  const tile = (value: string, text: string, label: string, width: Tile['width'], align: Tile['align']) => {
    const chosen = current === value;
    return {
      text: chosen ? `✓ ${text}` : text,
      label: chosen ? `${label} ${s.selected}` : label,
      width,
      style: chosen ? 'accent' : 'emphasis',
      align,
      weight: chosen ? 'Bolder' : 'Default',
      verb,
      data: nav(nextTarget, { [inputId(q.id)]: value }),
    } satisfies Tile;
  };

  let kind: 'tiles' | 'choice' | 'text' = 'tiles';
  let rows: { tiles: (Tile | typeof SPACER)[] }[] = [];
  let legendLow = '';
  let legendHigh = '';
  let choices: { title: string; value: string }[] = [];
  switch (q.type) {
    case 'likert5': {
      const ends = likertEnds(q, locale);
      const label = (v: number) => scaleText(v, 5, ends, locale);
      rows = [
        { tiles: [1, 2, 3, 4, 5].map((v) => tile(String(v), String(v), label(v), 'stretch', 'Center')) },
      ];
      if (q.allowNoAnswer) {
        rows.push({
          tiles: [
            tile(String(NO_ANSWER), s.likertNoAnswer, s.likertNoAnswer, 2, 'Center'),
            { ...SPACER, width: 3 },
          ],
        });
      }
      legendLow = format(s.scaleEnd, { value: 1, label: ends[1]! });
      legendHigh = format(s.scaleEnd, { value: 5, label: ends[5]! });
      break;
    }
    case 'nps': {
      const ends = npsEnds(q, locale);
      const npsTile = (v: number) =>
        tile(String(v), String(v), scaleText(v, 10, ends, locale), 'stretch', 'Center');
      rows = [
        { tiles: [0, 1, 2, 3, 4, 5].map(npsTile) },
        { tiles: [...[6, 7, 8, 9, 10].map(npsTile), { ...SPACER, width: 'stretch' as const }] },
      ];
      if (q.labels) {
        legendLow = format(s.scaleEnd, { value: 0, label: ends[0]! });
        legendHigh = format(s.scaleEnd, { value: 10, label: ends[10]! });
      }
      break;
    }
    case 'single':
      rows = q.choices.map((c) => {
        const label = pick(c.label, locale);
        return { tiles: [tile(c.id, label, label, 'stretch', 'Left')] };
      });
      break;
    case 'multi':
      kind = 'choice';
      choices = q.choices.map((c) => ({ value: c.id, title: pick(c.label, locale) }));
      break;
    case 'text':
      kind = 'text';
      break;
  }

  const actions: { title: string; style: string; inputs: string; data: object; verb: string }[] = [];
  if (review) actions.push({ title: s.backToSummary, style: 'default', inputs: 'none', verb, data: nav(n) });
  else if (step > 0)
    actions.push({ title: s.back, style: 'default', inputs: 'none', verb, data: nav(step - 1) });
  // Choices answer by being pressed; "Weiter" keeps an answer already given or skips an optional question.
  if (kind !== 'tiles' || current !== undefined || !q.required)
    actions.push({ title: s.next, style: 'positive', inputs: 'auto', verb, data: nav(nextTarget) });

  const error = options.error ? errorText(q, options.error, locale) : '';
  const first = step === 0 && !review;
  const progress = format(s.progress, { n: step + 1, total: n });
  return expand(surveyTemplate, {
    title: pick(survey.title, locale),
    progress: first
      ? `${progress} · ${format(s.meta, { minutes: survey.minutes, date: formatDate(run.closesAt, locale) })}`
      : progress,
    intro: first ? pick(survey.intro, locale) : '',
    notice: options.notice ?? '',
    kind,
    question,
    rows,
    legendLow,
    legendHigh,
    inputId: inputId(q.id),
    required: q.required,
    requiredMessage: s.errors.required,
    value: options.error && options.entered !== undefined ? options.entered : (current ?? ''),
    choices,
    maxLength: q.type === 'text' ? q.maxLength : 0,
    placeholder: s.textPlaceholder,
    error,
    actions,
  });
}

export interface SurveySummaryOptions {
  run: Run;
  answers: CarriedAnswers;
  /**
   * confirm: the last step, before anything is stored; edit: the saved answer, to change;
   * closed: the saved answer of a run that has ended (nothing to press).
   */
  mode: 'confirm' | 'edit' | 'closed';
  notice?: string;
}

/** The summary of the answers: to confirm (the only action that stores), to change, or to read. */
export function renderSurveySummary(locale: Locale, options: SurveySummaryOptions): AdaptiveCard {
  const s = messages(locale).survey;
  const { run, answers, mode } = options;
  const survey = run.survey;
  const n = survey.questions.length;
  const verb = stepVerb(run.runId);
  const tappable = mode !== 'closed';
  const rows = survey.questions.map((q, i) => ({
    tappable,
    question: `${i + 1}. ${pick(q.text, locale)}`,
    answer: describeCarried(q, answers[q.id], locale),
    change: s.changeOne,
    changeLabel: format(s.changeOneLabel, { n: i + 1 }),
    verb,
    data: tappable ? { verb, at: n, to: i, review: true, answers } : {},
  }));
  const date = formatDate(run.closesAt, locale);
  const submit = { verb: answerVerb(run.runId), ...formData(survey, answers) };
  const actions =
    mode === 'closed'
      ? []
      : [
          { title: s.submit, style: 'positive', verb: answerVerb(run.runId), data: submit },
          ...(mode === 'confirm'
            ? [{ title: s.back, style: 'default', verb, data: { verb, at: n, to: n - 1, answers } }]
            : []),
        ];
  return expand(summaryTemplate, {
    title: mode === 'closed' ? s.closedTitle : pick(survey.title, locale),
    subtitle: mode === 'closed' ? pick(survey.title, locale) : mode === 'edit' ? s.editTitle : s.summaryTitle,
    notice: options.notice ?? '',
    noticeStyle: mode === 'closed' ? 'warning' : 'attention',
    text:
      mode === 'closed'
        ? format(s.closedEditText, { date: formatDate(run.closedAt ?? run.closesAt, locale) })
        : format(mode === 'edit' ? s.editText : s.summaryText, { submit: s.submit, date }),
    rows,
    note: '',
    actions,
  });
}

function errorText(q: Question, error: AnswerError, locale: Locale): string {
  const text = messages(locale).survey.errors[error];
  const max = q.type === 'multi' ? (q.max ?? q.choices.length) : q.type === 'text' ? q.maxLength : 0;
  const min = q.type === 'multi' ? q.min : 0;
  return format(text, { max, min });
}

/** A readable form of one carried answer (card form), in the user's language. */
function describeCarried(q: Question, value: string | undefined, locale: Locale): string {
  if (value === undefined || value === '') return describeAnswer(q, undefined, locale);
  switch (q.type) {
    case 'likert5':
    case 'nps':
      return describeAnswer(q, Number(value), locale);
    case 'multi':
      return describeAnswer(q, value.split(','), locale);
    default:
      return describeAnswer(q, value, locale);
  }
}

/** A readable form of one stored answer, in the user's language. */
export function describeAnswer(q: Question, value: Answers[string] | undefined, locale: Locale): string {
  const s = messages(locale).survey;
  if (value === undefined || value === '') return s.notAnswered;
  switch (q.type) {
    case 'likert5':
      return value === NO_ANSWER
        ? s.likertNoAnswer
        : scaleText(Number(value), 5, likertEnds(q, locale), locale);
    case 'nps':
      return scaleText(Number(value), 10, npsEnds(q, locale), locale);
    case 'single':
      return pick(
        q.choices.find((c) => c.id === value)?.label ?? { de: String(value), en: String(value) },
        locale,
      );
    case 'multi':
      return (Array.isArray(value) ? value : [String(value)])
        .map((id) => pick(q.choices.find((c) => c.id === id)?.label ?? { de: id, en: id }, locale))
        .join(', ');
    case 'text':
      return String(value);
  }
}

export function renderSurveyThanks(
  locale: Locale,
  options: { run: Run; answers: Answers; kMin: number },
): AdaptiveCard {
  const s = messages(locale).survey;
  const { run } = options;
  // Everything but the answers is the same for every respondent of a run: expanded once.
  const questions = run.survey.questions;
  const carried = carryAnswers(run.survey, options.answers);
  const values = Object.fromEntries(
    questions.flatMap((q, i) => [
      [`a${i}`, describeAnswer(q, options.answers[q.id], locale)],
      [`c${i}`, carried[q.id] ?? ''],
    ]),
  );
  return expandWithHoles(
    thanksTemplate,
    `thanks|${run.runId}|${run.survey.id}|${run.closesAt.getTime()}|${locale}|${options.kMin}`,
    () => ({
      title: s.thanksTitle,
      survey: pick(run.survey.title, locale),
      summary: questions.map((q, i) => ({
        question: pick(q.text, locale),
        answer: hole(`a${i}`),
      })),
      note: format(s.thanksText, { date: formatDate(run.closesAt, locale), kMin: options.kMin }),
      change: s.change,
      verb: editVerb(run.runId),
      // The saved answer travels with "Antwort ändern": once the run has closed its secret is gone
      // and storage can no longer tell which answer was this person's.
      answers: Object.fromEntries(questions.map((q, i) => [q.id, hole(`c${i}`)])),
    }),
    values,
  );
}

export interface RunStartOptions {
  surveys: readonly Survey[];
  /** YYYY-MM-DD bounds and default for the closing date. */
  minDate: string;
  maxDate: string;
  closesAt: string;
  surveyId?: string;
  districts?: string[];
  error?: string;
  /** Whether Entra groups can be searched (a directory is configured). */
  directory?: boolean;
  groupSearch?: string;
  /** The groups to offer: the chosen ones and the latest search's matches. */
  groupChoices?: { id: string; name: string }[];
  groupIds?: string[];
  /** Under the search: nothing found, or the directory too slow. */
  groupNote?: string;
  /** The reach preview, already worded (see reachText). */
  reach?: string;
}

/** The reach preview of the start card. */
export type ReachPreview =
  | { kind: 'directory'; reach: { installed: number; installing: number; unreachable: number } }
  | { kind: 'installed'; installed: number; notSynced?: boolean }
  | { kind: 'pending' };

export function reachText(locale: Locale, preview: ReachPreview): string {
  const d = directoryMessages(locale);
  switch (preview.kind) {
    case 'directory':
      return format(d.reach, {
        installed: integer(preview.reach.installed, locale),
        installing: integer(preview.reach.installing, locale),
        unreachable: integer(preview.reach.unreachable, locale),
      });
    case 'installed':
      return format(preview.notSynced ? d.reachNotSynced : d.reachInstalledOnly, {
        installed: integer(preview.installed, locale),
      });
    case 'pending':
      return d.reachPending;
  }
}

export function renderRunStart(locale: Locale, options: RunStartOptions): AdaptiveCard {
  const m = messages(locale);
  const r = m.runs;
  const d = directoryMessages(locale);
  const groups = options.groupChoices ?? [];
  return expand(runStartTemplate, {
    title: r.startTitle,
    error: options.error ?? '',
    surveyLabel: r.survey,
    surveyRequired: r.surveyRequired,
    surveyId: options.surveyId ?? '',
    surveys: options.surveys.map((sv) => ({
      value: sv.id,
      title: `${pick(sv.title, locale)} (${sv.questions.length} ${locale === 'en' ? 'questions' : 'Fragen'})`,
    })),
    closesAtLabel: r.closesAt,
    closesAtRequired: r.closesAtRequired,
    minDate: options.minDate,
    maxDate: options.maxDate,
    closesAt: options.closesAt,
    audienceLabel: r.audience,
    districts: (options.districts ?? []).join(','),
    districtChoices: DISTRICTS.map((d) => ({ value: d, title: m.districts[d] })),
    audienceHint: options.directory ? d.audienceHint : r.audienceHint,
    directory: options.directory ? 'yes' : 'no',
    groupSearchLabel: d.groupSearchLabel,
    groupSearchPlaceholder: d.groupSearchPlaceholder,
    groupSearch: options.groupSearch ?? '',
    search: d.search,
    groupNote: options.groupNote ?? '',
    groupsLabel: d.groupsLabel,
    groupIds: (options.groupIds ?? []).join(','),
    groupChoices: groups.map((g) => ({ value: g.id, title: g.name })),
    // The names travel with the buttons, so that the run can name its groups without asking Graph.
    groupNames: JSON.stringify(Object.fromEntries(groups.map((g) => [g.id, g.name]))),
    reachLabel: d.reachLabel,
    reach: options.reach ?? '',
    reachCheck: d.reachCheck,
    start: r.start,
  });
}

export interface RunsCardOptions {
  items: RunListEntry[];
  intro?: string;
  closable: boolean;
  kMin: number;
  /** The action data of the "more" button (the next page), if there is one. */
  more?: Record<string, unknown>;
}

export function renderRuns(locale: Locale, options: RunsCardOptions): AdaptiveCard {
  const m = messages(locale);
  const r = m.runs;
  return expand(runsTemplate, {
    title: r.listTitle,
    intro: options.intro ?? (options.items.length === 0 ? r.listEmpty : ''),
    runs: options.items.map(({ run, participation: p, delivery, open }) => ({
      title: pick(run.survey.title, locale),
      subtitle: `${run.runId} · ${open ? r.open : r.closed} · ${r.until} ${formatDate(run.closedAt ?? run.closesAt, locale)} · ${audienceText(run, locale)}`,
      facts: [
        {
          title: r.delivered,
          value: `${integer(delivery.sent, locale)} / ${integer(delivery.recipients, locale)}`,
        },
        ...(delivery.failed > 0 ? [{ title: r.failed, value: integer(delivery.failed, locale) }] : []),
        ...(delivery.pending > 0 ? [{ title: r.pending, value: integer(delivery.pending, locale) }] : []),
        p.respondents === undefined
          ? { title: r.answered, value: format(r.participationWithheld, { k: options.kMin }) }
          : { title: r.answered, value: integer(p.respondents, locale) },
        ...(p.responseRate === undefined ? [] : [{ title: r.rate, value: percent(p.responseRate, locale) }]),
      ],
      resultsLabel: r.results,
      resultsCommand: commandText('results', locale, run.runId),
      canClose: options.closable && open,
      closeVerb: closeVerb(run.runId),
      closeLabel: r.close,
    })),
    more: options.more ? [{ title: r.more, data: options.more }] : [],
  });
}

export function audienceText(run: Run, locale: Locale): string {
  const m = messages(locale);
  const a = run.audience;
  if (a.kind === 'all' || (a.kind === 'directory' && a.everyone)) return m.runs.audienceAll;
  const parts = a.districts.map((d) => m.districts[d]);
  if (a.kind === 'directory' && a.groups.length > 0)
    parts.push(`${directoryMessages(locale).groupsWord}: ${a.groups.map((g) => g.name).join(', ')}`);
  return parts.join(', ');
}
