// Aggregated results of a run, with the privacy thresholds applied (DESIGN.md, "Privacy model").
// Pure and streaming-friendly: responses are added one at a time and only counts are kept — free
// texts are the one exception, because they are shown as written (and only from K_text answers).
import type { LocalisedText, Question, Survey } from './definition';
import { K_FLOOR } from '../domain/vocabulary';
import { NO_ANSWER, type AnswerValue, type SurveyResponse } from './model';

export type LikertValue = 1 | 2 | 3 | 4 | 5;

interface QuestionResultBase {
  questionId: string;
  text: LocalisedText;
  /**
   * Respondents who answered this question (likert: "keine Angabe" included; multi: picked at
   * least one option; text: wrote a non-empty text).
   */
  answered: number;
  /**
   * Fewer than K answered this question: its figures are withheld (empty distribution, no mean)
   * and only `answered` is given, just like a run below K.
   */
  suppressed: boolean;
}

export interface LikertResult extends QuestionResultBase {
  type: 'likert5';
  labels: { low: LocalisedText; high: LocalisedText };
  /** Values 1–5 in order, zero counts included. */
  distribution: { value: LikertValue; count: number }[];
  /** "keine Angabe" (stored as 0): counted in `answered`, left out of the mean. */
  noAnswer: number;
  /** Over the answers 1–5 only; undefined when there are none. */
  mean: number | undefined;
}

export interface NpsResult extends QuestionResultBase {
  type: 'nps';
  labels: { low: LocalisedText; high: LocalisedText } | undefined;
  /** Values 0–10 in order, zero counts included. */
  distribution: { value: number; count: number }[];
  /** round(% promoters (9–10) − % detractors (0–6)), −100…+100; undefined without answers. */
  npsScore: number | undefined;
  mean: number | undefined;
}

export interface ChoiceResult extends QuestionResultBase {
  type: 'single' | 'multi';
  /** In the definition's order, zero counts included. Multi: every chosen option counts. */
  distribution: { choiceId: string; label: LocalisedText; count: number }[];
}

export interface TextResult extends QuestionResultBase {
  type: 'text';
  /** Non-empty texts received (shown even when the texts are not). */
  textCount: number;
  /** Sorted alphabetically (never in submission order); empty below K_text. */
  texts: string[];
}

export type QuestionResult = LikertResult | NpsResult | ChoiceResult | TextResult;

export interface RunResults {
  /** Set when figures are withheld although there are enough answers: an open run whose count has not grown by K since it was last shown. */
  withheld?: 'tooFewNew';
  /** Responses stored for the run (one per respondent). */
  respondents: number;
  /** Survey cards delivered. */
  delivered: number;
  /** Recipients marked as having answered. */
  answered: number;
  /** answered / delivered (0…1); undefined when nothing was delivered. */
  responseRate: number | undefined;
  /** respondents < kMin: nothing but the counts is given, and `questions` is empty. */
  suppressed: boolean;
  /** The thresholds applied (kMin ≥ 3, kText ≥ kMin), so that a card can explain them. */
  kMin: number;
  kText: number;
  questions: QuestionResult[];
}

export interface SummaryOptions {
  kMin: number;
  kText: number;
  delivered: number;
  answered: number;
}

type Tally =
  /** counts[v]: how often value v was given (likert: index 0 is "keine Angabe"). */
  | { kind: 'scale'; q: Extract<Question, { type: 'likert5' | 'nps' }>; counts: number[] }
  | {
      kind: 'choice';
      q: Extract<Question, { type: 'single' | 'multi' }>;
      counts: Map<string, number>;
      answered: number;
    }
  | { kind: 'text'; q: Extract<Question, { type: 'text' }>; texts: string[] };

/** Counts the answers of one run, one response at a time. */
export class ResultsAccumulator {
  private count = 0;
  private readonly tallies: Tally[];

  constructor(readonly survey: Survey) {
    this.tallies = survey.questions.map((q): Tally => {
      switch (q.type) {
        case 'likert5':
          return { kind: 'scale', q, counts: new Array<number>(6).fill(0) };
        case 'nps':
          return { kind: 'scale', q, counts: new Array<number>(11).fill(0) };
        case 'single':
        case 'multi':
          return { kind: 'choice', q, counts: new Map(q.choices.map((c) => [c.id, 0])), answered: 0 };
        case 'text':
          return { kind: 'text', q, texts: [] };
      }
    });
  }

  /** Respondents added so far. */
  get respondents(): number {
    return this.count;
  }

  /**
   * Adds one stored response. Values the frozen definition does not allow (which validation
   * never stores) are ignored rather than counted. The district is not used by the run's totals.
   */
  add(response: Pick<SurveyResponse, 'answers' | 'district'>): void {
    this.count++;
    for (const t of this.tallies) {
      const value = response.answers[t.q.id];
      if (value === undefined) continue;
      if (t.kind === 'text') {
        if (typeof value === 'string' && value.trim() !== '') t.texts.push(value.trim());
      } else if (t.kind === 'choice') {
        const picked = uniqueKnown(t.q.type === 'multi' ? value : [value], t.counts);
        if (picked.length === 0) continue;
        t.answered++;
        for (const id of picked) t.counts.set(id, t.counts.get(id)! + 1);
      } else {
        const n = typeof value === 'number' ? value : NaN;
        const max = t.q.type === 'likert5' ? 5 : 10;
        const min = t.q.type === 'likert5' ? NO_ANSWER : 0;
        if (Number.isInteger(n) && n >= min && n <= max) t.counts[n]!++;
      }
    }
  }

  /** @internal The tallies, for summariseResults. */
  tallyList(): readonly Tally[] {
    return this.tallies;
  }
}

/** Multi answers are stored as arrays of choice ids, single answers as one id (wrapped here). */
function uniqueKnown(value: AnswerValue | AnswerValue[], known: Map<string, number>): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value)].filter((id): id is string => typeof id === 'string' && known.has(id));
}

const textOrder = new Intl.Collator('de', { sensitivity: 'base', numeric: true });

/** Applies the thresholds and turns the counts into what officers may see. */
export function summariseResults(acc: ResultsAccumulator, options: SummaryOptions): RunResults {
  const kMin = Math.max(K_FLOOR, Math.ceil(options.kMin));
  const kText = Math.max(kMin, Math.ceil(options.kText));
  const respondents = acc.respondents;
  const base = {
    respondents,
    delivered: options.delivered,
    answered: options.answered,
    responseRate: options.delivered > 0 ? options.answered / options.delivered : undefined,
    kMin,
    kText,
  };
  if (respondents < kMin) return { ...base, suppressed: true, questions: [] };
  return { ...base, suppressed: false, questions: acc.tallyList().map((t) => summarise(t, kMin, kText)) };
}

function summarise(t: Tally, kMin: number, kText: number): QuestionResult {
  const common = { questionId: t.q.id, text: t.q.text };
  if (t.kind === 'text') {
    const textCount = t.texts.length;
    const shown = textCount >= kText;
    return {
      ...common,
      type: 'text',
      answered: textCount,
      suppressed: textCount < kMin,
      textCount,
      texts: shown
        ? [...t.texts].sort((a, b) => textOrder.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0))
        : [],
    };
  }
  if (t.kind === 'choice') {
    const suppressed = t.answered < kMin;
    return {
      ...common,
      type: t.q.type,
      answered: t.answered,
      suppressed,
      distribution: suppressed
        ? []
        : t.q.choices.map((c) => ({ choiceId: c.id, label: c.label, count: t.counts.get(c.id)! })),
    };
  }
  const counts = t.counts;
  if (t.q.type === 'likert5') {
    const answered = counts.reduce((a, b) => a + b, 0);
    const suppressed = answered < kMin;
    const values = [1, 2, 3, 4, 5] as const;
    return {
      ...common,
      type: 'likert5',
      labels: t.q.labels,
      answered,
      suppressed,
      distribution: suppressed ? [] : values.map((value) => ({ value, count: counts[value]! })),
      noAnswer: suppressed ? 0 : counts[NO_ANSWER]!,
      mean: suppressed ? undefined : meanOf(counts, 1),
    };
  }
  const answered = counts.reduce((a, b) => a + b, 0);
  const suppressed = answered < kMin;
  const promoters = counts[9]! + counts[10]!;
  const detractors = counts.slice(0, 7).reduce((a, b) => a + b, 0);
  return {
    ...common,
    type: 'nps',
    labels: t.q.labels,
    answered,
    suppressed,
    distribution: suppressed ? [] : counts.map((count, value) => ({ value, count })),
    npsScore:
      suppressed || answered === 0 ? undefined : roundHalfAway((100 * (promoters - detractors)) / answered),
    mean: suppressed ? undefined : meanOf(counts, 0),
  };
}

/** The mean of the values from `from` upwards, where counts[v] is how often v was answered. */
function meanOf(counts: number[], from: number): number | undefined {
  let n = 0;
  let sum = 0;
  for (let v = from; v < counts.length; v++) {
    n += counts[v]!;
    sum += v * counts[v]!;
  }
  return n === 0 ? undefined : sum / n;
}

/** Rounds .5 away from zero, so that +12.5 and −12.5 round alike (Math.round would give 13 and −12). */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x)) || 0;
}
