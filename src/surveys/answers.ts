// Validates a submitted survey card against the run's frozen definition. Everything the card sends
// is untrusted: values arrive as strings (Adaptive Cards), but anything else may be posted.
import type { Question, Survey } from './definition';
import { cleanText, MARKUP } from '../domain/vocabulary';
import { NO_ANSWER, type Answers, type AnswerValue } from './model';

/** The card input id of a question. */
export function inputId(questionId: string): string {
  return `q_${questionId}`;
}

export type AnswerError =
  'required' | 'range' | 'type' | 'choice' | 'too_many' | 'too_few' | 'too_long' | 'markup';

export type ValidationResult =
  | { ok: true; answers: Answers }
  | {
      ok: false;
      /** Per question: what is wrong (shown next to it). */
      errors: Record<string, AnswerError>;
      /** Fields the card does not have: the whole payload is refused. */
      unknownFields: string[];
      /** What the user entered, to re-fill the form. */
      entered: Record<string, string>;
    };

/** Keys that card frameworks add to every submit and that carry no answer. */
const ENVELOPE_KEYS = new Set(['verb', 'msteams', 'runId']);

export function validateAnswers(survey: Survey, data: Record<string, unknown>): ValidationResult {
  const known = new Map(survey.questions.map((q) => [inputId(q.id), q]));
  const unknownFields = Object.keys(data).filter((k) => !known.has(k) && !ENVELOPE_KEYS.has(k));
  const errors: Record<string, AnswerError> = {};
  const entered: Record<string, string> = {};
  const answers: Answers = {};

  for (const q of survey.questions) {
    const raw = data[inputId(q.id)];
    if (typeof raw === 'string' || typeof raw === 'number') entered[q.id] = String(raw).slice(0, 4000);
    const result = validateOne(q, raw);
    if ('error' in result) errors[q.id] = result.error;
    else if (result.value !== undefined) answers[q.id] = result.value;
  }
  if (unknownFields.length > 0 || Object.keys(errors).length > 0) {
    return { ok: false, errors, unknownFields, entered };
  }
  return { ok: true, answers };
}

type One = { value: AnswerValue | undefined } | { error: AnswerError };

function validateOne(q: Question, raw: unknown): One {
  if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
    return { error: 'type' };
  }
  const text = raw === undefined || raw === null ? '' : String(raw).trim();
  if (text === '') return q.required ? { error: 'required' } : { value: undefined };

  switch (q.type) {
    case 'likert5': {
      const n = integer(text);
      if (n === undefined) return { error: 'type' };
      if (n === NO_ANSWER && q.allowNoAnswer) return { value: NO_ANSWER };
      return n >= 1 && n <= 5 ? { value: n } : { error: 'range' };
    }
    case 'nps': {
      const n = integer(text);
      if (n === undefined) return { error: 'type' };
      return n >= 0 && n <= 10 ? { value: n } : { error: 'range' };
    }
    case 'single':
      return q.choices.some((c) => c.id === text) ? { value: text } : { error: 'choice' };
    case 'multi': {
      const picked = text.split(',').map((s) => s.trim());
      if (picked.some((p) => !q.choices.some((c) => c.id === p))) return { error: 'choice' };
      const unique = [...new Set(picked)];
      if (unique.length !== picked.length) return { error: 'choice' };
      if (unique.length > (q.max ?? q.choices.length)) return { error: 'too_many' };
      if (unique.length < Math.max(q.min, q.required ? 1 : 0)) return { error: 'too_few' };
      // Stored in the definition's order, so equal answers look equal.
      return { value: q.choices.map((c) => c.id).filter((id) => unique.includes(id)) };
    }
    case 'text': {
      if (typeof raw !== 'string') return { error: 'type' };
      const cleaned = cleanText(raw);
      if (cleaned === '') return q.required ? { error: 'required' } : { value: undefined };
      if (cleaned.length > q.maxLength) return { error: 'too_long' };
      if (MARKUP.test(cleaned)) return { error: 'markup' };
      return { value: cleaned };
    }
  }
}

function integer(text: string): number | undefined {
  return /^-?\d{1,3}$/.test(text) ? Number(text) : undefined;
}

// ---------------------------------------------------------------------------------------------------
// The stepped survey card. One question per step; the answers given so far travel in the card's own
// action data (`answers`, in the card's string form), so nothing partial is ever stored and any bot
// instance can take a half-finished card further. Everything in that data is untrusted: it is
// checked as strictly as a whole form, and a card whose carried answers or step fields do not fit
// the survey is refused as a whole ("tampered").

/** The answers so far, keyed by question id, each in the form a card input sends ("4", "chat,wiki"). */
export type CarriedAnswers = Record<string, string>;

/** The fields a step action carries besides the current question's value. */
const STEP_KEYS = new Set(['at', 'to', 'review', 'answers']);

/** A stored or validated answer in the form a card input sends: what `answers` carries. */
export function cardValue(value: AnswerValue): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** Stored answers in card form (for "Antwort ändern"). */
export function carryAnswers(survey: Survey, answers: Answers | undefined): CarriedAnswers {
  const carried: CarriedAnswers = {};
  for (const q of survey.questions) {
    const v = answers?.[q.id];
    if (v !== undefined) carried[q.id] = cardValue(v);
  }
  return carried;
}

/** The whole-form payload (what survey.answer validates) for carried answers. */
export function formData(survey: Survey, carried: CarriedAnswers): Record<string, string> {
  const data: Record<string, string> = {};
  for (const q of survey.questions) {
    if (carried[q.id] !== undefined) data[inputId(q.id)] = carried[q.id]!;
  }
  return data;
}

/**
 * Reads the answers a card carries: an object whose every key is a question of this survey and
 * whose every value is a valid answer to it in card form ("" = not answered, dropped). Returns the
 * answers in canonical card form, or undefined when anything does not fit (the card was altered).
 */
export function parseCarried(survey: Survey, raw: unknown): CarriedAnswers | undefined {
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const byId = new Map(survey.questions.map((q) => [q.id, q]));
  const carried: CarriedAnswers = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const q = byId.get(key);
    if (!q || typeof value !== 'string') return undefined;
    if (value === '') continue;
    const result = validateOne(q, value);
    if ('error' in result) return undefined;
    if (result.value !== undefined) carried[q.id] = cardValue(result.value);
  }
  return carried;
}

export type StepResult =
  /** The step fields or the carried answers do not fit the survey: nothing of the card is kept. */
  | { kind: 'tampered' }
  /** The value for step `at` is not acceptable: show that step again with the error. */
  | {
      kind: 'invalid';
      at: number;
      review: boolean;
      answers: CarriedAnswers;
      error: AnswerError;
      /** What the user entered (to re-fill an input). */
      entered: string;
    }
  /** Show step `to` (`to` = number of questions: the summary to confirm). */
  | { kind: 'ok'; to: number; review: boolean; answers: CarriedAnswers };

/**
 * Validates one step of the stepped card: `at` is the step the card showed (the number of
 * questions = the summary), `to` where the user wants to go, `review` whether they came from the
 * summary, `answers` the answers so far, and the current question's input (`q_<id>`) its value.
 * Going forward requires a valid answer to the current question (or none, if it is optional);
 * reaching the summary requires every required question to be answered. Nothing is stored.
 */
export function validateStep(survey: Survey, data: Record<string, unknown>): StepResult {
  const n = survey.questions.length;
  const at = stepNumber(data.at, n);
  const to = stepNumber(data.to, n);
  const review = data.review === undefined ? false : flag(data.review);
  const carried = parseCarried(survey, data.answers);
  if (at === undefined || to === undefined || review === undefined || !carried) return { kind: 'tampered' };
  const current = at < n ? survey.questions[at] : undefined;
  const allowed = (key: string) =>
    ENVELOPE_KEYS.has(key) || STEP_KEYS.has(key) || (current !== undefined && key === inputId(current.id));
  if (Object.keys(data).some((key) => !allowed(key))) return { kind: 'tampered' };

  const answers = { ...carried };
  if (current) {
    const raw = data[inputId(current.id)];
    const forward = to > at;
    // A choice pressed on the card sends its value; an input left empty sends nothing at all (and
    // "back" sends no inputs: it keeps what was carried).
    const given = raw !== undefined || (forward && !TAPPED.has(current.type));
    if (given) {
      const result = validateOne(current, raw);
      if ('error' in result) {
        if (forward) {
          const entered =
            typeof raw === 'string' || typeof raw === 'number' ? String(raw).slice(0, 4000) : '';
          return { kind: 'invalid', at, review, answers, error: result.error, entered };
        }
        // Going back keeps what was already carried and drops the invalid entry.
      } else if (result.value === undefined) delete answers[current.id];
      else answers[current.id] = cardValue(result.value);
    } else if (forward && current.required && answers[current.id] === undefined) {
      return { kind: 'invalid', at, review, answers, error: 'required', entered: '' };
    }
  }
  if (to === n) {
    // The summary only for a complete answer: the same check as the final submit.
    const whole = validateAnswers(survey, formData(survey, answers));
    if (!whole.ok) {
      const first = survey.questions.findIndex((q) => whole.errors[q.id] !== undefined);
      if (first === -1) return { kind: 'tampered' };
      const q = survey.questions[first]!;
      return { kind: 'invalid', at: first, review, answers, error: whole.errors[q.id]!, entered: '' };
    }
  }
  return { kind: 'ok', to, review, answers };
}

/** Question types answered by pressing a choice on the card (the press sends the value). */
const TAPPED = new Set<Question['type']>(['likert5', 'nps', 'single']);

function stepNumber(raw: unknown, n: number): number | undefined {
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(value) && value >= 0 && value <= n ? value : undefined;
}

function flag(raw: unknown): boolean | undefined {
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  return undefined;
}
