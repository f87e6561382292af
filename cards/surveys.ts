// Survey cards: the form an employee answers, the thank-you card, and the officers' run cards.
import { format, formatDate, messages, pick, type Locale } from '../src/i18n';
import type { RunListEntry } from '../src/surveys/survey-service';
import { integer, percent } from './format';
import { inputId, type AnswerError } from '../src/surveys/answers';
import type { Question, Survey } from '../src/surveys/definition';
import { NO_ANSWER, type Answers, type Run } from '../src/surveys/model';
import { expand, expandWithHoles, hole, type AdaptiveCard } from './index';
import runStartTemplate from './run-start.json';
import runsTemplate from './runs.json';
import surveyTemplate from './survey.json';
import thanksTemplate from './survey-thanks.json';
import { DISTRICTS } from '../src/domain/vocabulary';

export function answerVerb(runId: string): string {
  return `survey.answer:${runId}`;
}
export function editVerb(runId: string): string {
  return `survey.edit:${runId}`;
}
export function closeVerb(runId: string): string {
  return `run.close:${runId}`;
}

function likertChoices(q: Extract<Question, { type: 'likert5' }>, locale: Locale) {
  const s = messages(locale).survey;
  const choices = [1, 2, 3, 4, 5].map((n) => ({
    value: String(n),
    title:
      n === 1
        ? `1 – ${pick(q.labels.low, locale)}`
        : n === 5
          ? `5 – ${pick(q.labels.high, locale)}`
          : String(n),
  }));
  if (q.allowNoAnswer) choices.push({ value: String(NO_ANSWER), title: s.likertNoAnswer });
  return choices;
}

function npsChoices(q: Extract<Question, { type: 'nps' }>, locale: Locale) {
  return Array.from({ length: 11 }, (_, n) => ({
    value: String(n),
    title:
      n === 0 && q.labels
        ? `0 – ${pick(q.labels.low, locale)}`
        : n === 10 && q.labels
          ? `10 – ${pick(q.labels.high, locale)}`
          : String(n),
  }));
}

/** What a question's current value is in the form (as the card input expects it). */
function formValue(q: Question, answers: Answers | undefined, entered: Record<string, string>): string {
  if (entered[q.id] !== undefined) return entered[q.id]!;
  const v = answers?.[q.id];
  if (v === undefined) return '';
  return Array.isArray(v) ? v.join(',') : String(v);
}

export interface SurveyFormOptions {
  run: Run;
  /** Pre-fills the form (changing an answer). */
  answers?: Answers;
  /** Values the user entered in a rejected submission. */
  entered?: Record<string, string>;
  errors?: Record<string, AnswerError>;
  /** A message above the questions (invalid submission, unknown fields). */
  notice?: string;
}

export function renderSurveyForm(locale: Locale, options: SurveyFormOptions): AdaptiveCard {
  const m = messages(locale);
  const s = m.survey;
  const { run } = options;
  const survey = run.survey;
  const entered = options.entered ?? {};
  const questions = survey.questions.map((q, i) => {
    const error = options.errors?.[q.id];
    const base = {
      inputId: inputId(q.id),
      label: `${i + 1}. ${pick(q.text, locale)}`,
      required: q.required,
      requiredMessage: s.errors.required,
      value: formValue(q, options.answers, entered),
      error: error ? errorText(q, error, locale) : '',
    };
    switch (q.type) {
      case 'text':
        return { ...base, kind: 'text', maxLength: q.maxLength, placeholder: s.textPlaceholder };
      case 'likert5':
        return {
          ...base,
          kind: 'choice',
          style: 'expanded',
          multi: false,
          placeholder: s.choose,
          choices: likertChoices(q, locale),
        };
      case 'nps':
        return {
          ...base,
          kind: 'choice',
          style: 'compact',
          multi: false,
          placeholder: s.choose,
          choices: npsChoices(q, locale),
        };
      case 'single':
      case 'multi':
        return {
          ...base,
          kind: 'choice',
          style: 'expanded',
          multi: q.type === 'multi',
          placeholder: s.choose,
          choices: q.choices.map((c) => ({ value: c.id, title: pick(c.label, locale) })),
        };
    }
  });
  return expand(surveyTemplate, {
    title: pick(survey.title, locale),
    intro: pick(survey.intro, locale),
    meta: format(s.meta, { minutes: survey.minutes, date: formatDate(run.closesAt, locale) }),
    notice: options.notice ?? '',
    questions,
    verb: answerVerb(run.runId),
    submit: s.submit,
  });
}

function errorText(q: Question, error: AnswerError, locale: Locale): string {
  const text = messages(locale).survey.errors[error];
  const max = q.type === 'multi' ? (q.max ?? q.choices.length) : q.type === 'text' ? q.maxLength : 0;
  const min = q.type === 'multi' ? q.min : 0;
  return format(text, { max, min });
}

/** A readable form of one stored answer, in the user's language. */
export function describeAnswer(q: Question, value: Answers[string] | undefined, locale: Locale): string {
  const s = messages(locale).survey;
  if (value === undefined || value === '') return s.notAnswered;
  switch (q.type) {
    case 'likert5':
      return value === NO_ANSWER
        ? s.likertNoAnswer
        : likertChoices(q, locale).find((c) => c.value === String(value))!.title;
    case 'nps':
      return String(value);
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
  const answers = Object.fromEntries(
    questions.map((q, i) => [`a${i}`, describeAnswer(q, options.answers[q.id], locale)]),
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
    }),
    answers,
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
}

export function renderRunStart(locale: Locale, options: RunStartOptions): AdaptiveCard {
  const m = messages(locale);
  const r = m.runs;
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
    audienceHint: r.audienceHint,
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
  const resultsWord = locale === 'en' ? 'results' : 'ergebnisse';
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
      resultsCommand: `${resultsWord} ${run.runId}`,
      canClose: options.closable && open,
      closeVerb: closeVerb(run.runId),
      closeLabel: r.close,
    })),
    more: options.more ? [{ title: r.more, data: options.more }] : [],
  });
}

export function audienceText(run: Run, locale: Locale): string {
  const m = messages(locale);
  return run.audience.kind === 'all'
    ? m.runs.audienceAll
    : run.audience.districts.map((d) => m.districts[d]).join(', ');
}
