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
