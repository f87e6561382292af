// The weekly digest's figures for one run: a streaming aggregation (responses are added one at a time
// and only counts are kept — never a row, never a free text) and its summary with the privacy rules
// of ./privacy applied. Pure: no storage, no clock.
import type { LocalisedText, Question, Survey } from '../surveys/definition';
import { NO_ANSWER, type AnswerValue, type Answers } from '../surveys/model';
import { mayPublishOpenRun, suppressBreakdown } from './privacy';
import { DISTRICTS, effectiveK, type District, type FieldOfAction } from '../domain/vocabulary';

type ScaleQuestion = Extract<Question, { type: 'likert5' | 'nps' }>;
type ChoiceQuestion = Extract<Question, { type: 'single' | 'multi' }>;

/** The counts of one question within one group (all respondents, or one district). */
type Tally =
  /** counts[v]: how often v was given (likert: index 0 is "keine Angabe"; nps: 0–10). */
  | { kind: 'scale'; counts: number[] }
  /** counts[i]: how often choice i was picked; answered: respondents who picked at least one. */
  | { kind: 'choice'; counts: number[]; answered: number }
  /** Non-empty texts: only their number. */
  | { kind: 'text'; answered: number };

interface Group {
  respondents: number;
  tallies: Tally[];
  /** Per field of action: respondents who gave at least one likert answer 1–5 in it. */
  fieldRespondents: Map<FieldOfAction, number>;
}

/** Counts one run's responses, overall and per district. Holds counts only. */
export class RunAggregator {
  private readonly all: Group;
  private readonly districts = new Map<District, Group>();
  private readonly choiceIndex: (Map<string, number> | undefined)[];

  constructor(readonly survey: Survey) {
    this.all = this.newGroup();
    this.choiceIndex = survey.questions.map((q) =>
      q.type === 'single' || q.type === 'multi' ? new Map(q.choices.map((c, i) => [c.id, i])) : undefined,
    );
  }

  /** Respondents added so far. */
  get respondents(): number {
    return this.all.respondents;
  }

  /**
   * Adds one stored response. Values the frozen definition does not allow are ignored rather than
   * counted; a response without a district counts overall only.
   */
  add(r: { district: District | undefined; answers: Answers }): void {
    const groups = [this.all];
    if (r.district !== undefined && (DISTRICTS as readonly string[]).includes(r.district)) {
      let group = this.districts.get(r.district);
      if (!group) {
        group = this.newGroup();
        this.districts.set(r.district, group);
      }
      groups.push(group);
    }
    const fieldsAnswered = new Set<FieldOfAction>();
    const normalised = this.survey.questions.map((q, i) => {
      const value = normalise(q, r.answers[q.id], this.choiceIndex[i]);
      if (q.type === 'likert5' && typeof value === 'number' && value !== NO_ANSWER)
        fieldsAnswered.add(q.field);
      return value;
    });
    for (const group of groups) {
      group.respondents++;
      for (const field of fieldsAnswered) {
        group.fieldRespondents.set(field, (group.fieldRespondents.get(field) ?? 0) + 1);
      }
      normalised.forEach((value, i) => {
        if (value === undefined) return;
        const t = group.tallies[i]!;
        if (t.kind === 'scale' && typeof value === 'number') t.counts[value]!++;
        else if (t.kind === 'choice' && Array.isArray(value)) {
          t.answered++;
          for (const c of value) t.counts[c]!++;
        } else if (t.kind === 'text') t.answered++;
      });
    }
  }

  /** @internal For summariseRun. */
  overall(): Readonly<Group> {
    return this.all;
  }

  /** @internal For summariseRun: the districts seen, in the configured order. */
  byDistrict(): [District, Readonly<Group>][] {
    return DISTRICTS.filter((d) => this.districts.has(d)).map((d) => [d, this.districts.get(d)!]);
  }

  private newGroup(): Group {
    return {
      respondents: 0,
      fieldRespondents: new Map(),
      tallies: this.survey.questions.map((q): Tally => {
        switch (q.type) {
          case 'likert5':
            return { kind: 'scale', counts: new Array<number>(6).fill(0) };
          case 'nps':
            return { kind: 'scale', counts: new Array<number>(11).fill(0) };
          case 'single':
          case 'multi':
            return { kind: 'choice', counts: new Array<number>(q.choices.length).fill(0), answered: 0 };
          case 'text':
            return { kind: 'text', answered: 0 };
        }
      }),
    };
  }
}

/** A scale value as a number, choices as indexes (at least one), a text as true; else undefined. */
function normalise(
  q: Question,
  value: AnswerValue | undefined,
  choices: Map<string, number> | undefined,
): number | number[] | true | undefined {
  if (value === undefined) return undefined;
  switch (q.type) {
    case 'likert5':
    case 'nps': {
      const max = q.type === 'likert5' ? 5 : 10;
      const min = q.type === 'likert5' ? NO_ANSWER : 0;
      return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
        ? value
        : undefined;
    }
    case 'single':
    case 'multi': {
      const ids = q.type === 'multi' ? (Array.isArray(value) ? value : []) : [value];
      const picked = [...new Set(ids)]
        .map((id) => (typeof id === 'string' ? choices!.get(id) : undefined))
        .filter((i): i is number => i !== undefined);
      return picked.length > 0 ? picked : undefined;
    }
    case 'text':
      return typeof value === 'string' && value.trim() !== '' ? true : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The summary

/**
 * Why a figure is not shown; the card explains each.
 * - `tooFewRespondents`: its group has fewer than K respondents (or answers to that question).
 * - `complementary`: hidden so that total minus the shown groups does not reveal a small group.
 * - `tooFewNew`: the run's respondents moved by fewer than K since its figures were last published.
 * - `openRun`: the district breakdown waits until the run has closed (see `summariseRun`).
 * - `tooFewTexts`: fewer free texts than K_text: not even their number is given.
 */
export type SuppressionReason =
  'tooFewRespondents' | 'complementary' | 'tooFewNew' | 'openRun' | 'tooFewTexts';

export interface DistributionEntry {
  /** Likert "1"–"5", NPS "0"–"10", or the choice id. */
  key: string;
  /** Choice questions: the option's label. */
  label?: LocalisedText;
  count: number;
}

export interface QuestionDigest {
  questionId: string;
  type: Question['type'];
  field: FieldOfAction;
  text: LocalisedText;
  /** Respondents who answered it (likert: "keine Angabe" included; text: non-empty texts). */
  count: number;
  /** Set when the figures below are withheld (then `distribution` is empty and nothing else is set). */
  hidden?: SuppressionReason;
  /** In the definition's order, zero counts included. Likert 1–5, NPS 0–10; text: always empty. */
  distribution: DistributionEntry[];
  /** Likert: "keine Angabe" answers (counted in `count`, left out of the mean). */
  noAnswer?: number;
  /** Likert over 1–5 (only when at least K gave 1–5), NPS over 0–10. */
  mean?: number;
  /** NPS: round(% 9–10 − % 0–6). */
  npsScore?: number;
  /** Likert: mean − the previous run's mean; NPS: npsScore − the previous npsScore. */
  change?: number;
  /** Text questions: the number of texts, only from K_text (else `hidden` = 'tooFewTexts'). */
  textCount?: number;
}

export interface DistrictCell {
  mean?: number;
  npsScore?: number;
}

export interface DistrictDigest {
  district: District;
  /** Undefined when the district is hidden. */
  respondents?: number;
  hidden?: 'tooFewRespondents' | 'complementary';
  /** Shown cells only, by question id (likert: mean; nps: npsScore). A missing id is shown as "–". */
  questions: Record<string, DistrictCell>;
  /** Shown indexes only (0–100). */
  fields: Partial<Record<FieldOfAction, number>>;
}

export interface FieldDigest {
  field: FieldOfAction;
  /** Likert items of the run in this field. */
  items: number;
  /** 0–100: the mean of its shown likert items' means, (mean − 1) / 4 · 100. */
  index?: number;
  change?: number;
}

export interface RunDigest {
  runId: string;
  title: LocalisedText;
  open: boolean;
  /** Respondents (stored responses). Always given: a count reveals no answer. */
  respondents: number;
  delivered: number;
  answered: number;
  /** answered / delivered, 0…1; undefined when nothing was delivered. */
  responseRate?: number;
  kMin: number;
  kText: number;
  /**
   * False when no figure of this run is shown this week (`withheld` says why); the caller records
   * `respondents` (and `publishedQuestionCounts`) as "last published" only when this is true.
   */
  published: boolean;
  withheld?: 'tooFewRespondents' | 'tooFewNew';
  /** Empty when not published. */
  questions: QuestionDigest[];
  /** Fields of action with at least one likert item, in the order of FIELDS_OF_ACTION's first use. */
  fields: FieldDigest[];
  /** Empty when not published or while open (`districtsWithheld`). */
  districts: DistrictDigest[];
  districtsWithheld?: 'openRun' | 'tooFewRespondents';
  /** Every reason that hid something in this run's figures, for the card's footnotes. */
  explanations: SuppressionReason[];
}

export interface SummariseRunOptions {
  runId: string;
  title: LocalisedText;
  open: boolean;
  delivered: number;
  answered: number;
  kMin: number;
  kText: number;
  /** The previous closed run of the same survey, for the change. */
  previous?: RunDigest;
  /**
   * Respondents when figures of this run were last published (in an earlier digest). Given for open
   * runs — and for a run that closed after figures of it were published while open.
   */
  lastPublishedRespondents?: number;
  /**
   * Per question, the `count` last published (see `publishedQuestionCounts`). Needed for questions
   * that not everyone answers: without it, optional questions of a re-published run are withheld.
   */
  lastPublishedQuestionCounts?: Record<string, number>;
}

/** What the caller stores after publishing a digest, for the next week's `lastPublished*` options. */
export function publishedQuestionCounts(digest: RunDigest): Record<string, number> {
  return Object.fromEntries(digest.questions.filter((q) => !q.hidden).map((q) => [q.questionId, q.count]));
}

/** Applies the privacy rules and turns the counts into what the digest may show. */
export function summariseRun(agg: RunAggregator, opts: SummariseRunOptions): RunDigest {
  const k = effectiveK(opts.kMin);
  const kText = Math.max(k, Math.ceil(opts.kText));
  const all = agg.overall();
  const explanations = new Set<SuppressionReason>();
  const digest: RunDigest = {
    runId: opts.runId,
    title: opts.title,
    open: opts.open,
    respondents: all.respondents,
    delivered: opts.delivered,
    answered: opts.answered,
    responseRate: opts.delivered > 0 ? opts.answered / opts.delivered : undefined,
    kMin: k,
    kText,
    published: false,
    questions: [],
    fields: [],
    districts: [],
    explanations: [],
  };
  if (all.respondents < k) {
    digest.withheld = 'tooFewRespondents';
    digest.explanations = ['tooFewRespondents'];
    return digest;
  }
  const republished = opts.lastPublishedRespondents !== undefined && opts.lastPublishedRespondents > 0;
  if (republished && !mayPublishOpenRun(all.respondents, opts.lastPublishedRespondents, k)) {
    digest.withheld = 'tooFewNew';
    digest.explanations = ['tooFewNew'];
    return digest;
  }
  digest.published = true;

  const survey = agg.survey;
  const prevQuestions = new Map((opts.previous?.questions ?? []).map((q) => [q.questionId, q]));
  digest.questions = survey.questions.map((q, i) => {
    const qd = questionDigest(q, all.tallies[i]!, k, kText);
    // A question not everyone answers can grow by less than the run: it needs its own K new answers.
    if (republished && !qd.hidden && q.type !== 'text') {
      const last = opts.lastPublishedQuestionCounts?.[q.id];
      const ok =
        last === undefined ? q.required && qd.count === all.respondents : Math.abs(qd.count - last) >= k;
      if (!ok) return withhold(qd, 'tooFewNew');
    }
    const prev = prevQuestions.get(q.id);
    if (prev && prev.type === q.type) {
      if (q.type === 'likert5' && qd.mean !== undefined && prev.mean !== undefined)
        qd.change = qd.mean - prev.mean;
      if (q.type === 'nps' && qd.npsScore !== undefined && prev.npsScore !== undefined) {
        qd.change = qd.npsScore - prev.npsScore;
      }
    }
    return qd;
  });
  for (const q of digest.questions) if (q.hidden) explanations.add(q.hidden);

  // Fields of action: the mean of the shown likert items' means, scaled to 0–100.
  const fieldItems = new Map<FieldOfAction, number[]>();
  survey.questions.forEach((q, i) => {
    if (q.type !== 'likert5') return;
    fieldItems.set(q.field, [...(fieldItems.get(q.field) ?? []), i]);
  });
  const prevFields = new Map((opts.previous?.fields ?? []).map((f) => [f.field, f]));
  digest.fields = [...fieldItems].map(([field, items]) => {
    const means = items.map((i) => digest.questions[i]!.mean).filter((m): m is number => m !== undefined);
    const fd: FieldDigest = { field, items: items.length };
    if (means.length > 0) fd.index = toIndex(average(means));
    const prev = prevFields.get(field)?.index;
    if (fd.index !== undefined && prev !== undefined) fd.change = fd.index - prev;
    return fd;
  });

  if (opts.open) {
    // Per-district cells would need their own "K new answers" rule each week (a district can grow by
    // one while the run grows by K): while a run is open, districts are not broken down at all.
    digest.districtsWithheld = 'openRun';
    explanations.add('openRun');
  } else {
    digest.districts = districtBreakdown(agg, digest, fieldItems, k);
    if (digest.districts.some((d) => d.hidden === 'tooFewRespondents')) explanations.add('tooFewRespondents');
    if (digest.districts.some((d) => d.hidden === 'complementary')) explanations.add('complementary');
    if (digest.districts.length > 0 && digest.districts.every((d) => d.hidden)) {
      digest.districtsWithheld = 'tooFewRespondents';
    }
  }
  digest.explanations = [...explanations];
  return digest;
}

function withhold(qd: QuestionDigest, reason: SuppressionReason): QuestionDigest {
  return {
    questionId: qd.questionId,
    type: qd.type,
    field: qd.field,
    text: qd.text,
    count: qd.count,
    hidden: reason,
    distribution: [],
  };
}

function questionDigest(q: Question, t: Tally, k: number, kText: number): QuestionDigest {
  const base = { questionId: q.id, type: q.type, field: q.field, text: q.text };
  if (t.kind === 'text') {
    const count = t.answered;
    if (count < kText) return { ...base, count, hidden: 'tooFewTexts', distribution: [] };
    return { ...base, count, distribution: [], textCount: count };
  }
  if (t.kind === 'choice') {
    const cq = q as ChoiceQuestion;
    if (t.answered < k) return { ...base, count: t.answered, hidden: 'tooFewRespondents', distribution: [] };
    return {
      ...base,
      count: t.answered,
      distribution: cq.choices.map((c, i) => ({ key: c.id, label: c.label, count: t.counts[i]! })),
    };
  }
  const sq = q as ScaleQuestion;
  const count = sum(t.counts);
  if (count < k) return { ...base, count, hidden: 'tooFewRespondents', distribution: [] };
  if (sq.type === 'likert5') {
    const scored = count - t.counts[NO_ANSWER]!;
    const qd: QuestionDigest = {
      ...base,
      count,
      distribution: [1, 2, 3, 4, 5].map((v) => ({ key: String(v), count: t.counts[v]! })),
      noAnswer: t.counts[NO_ANSWER]!,
    };
    // The mean describes only those who gave 1–5: it needs K of them, not K respondents.
    if (scored >= k) qd.mean = likertMean(t.counts);
    return qd;
  }
  return {
    ...base,
    count,
    distribution: t.counts.map((c, v) => ({ key: String(v), count: c })),
    mean: weightedMean(t.counts, 0),
    npsScore: npsScore(t.counts),
  };
}

/**
 * Closed runs only. One suppression set per column (respondents, each scored question, each field):
 * a column starts from the districts hidden for their respondent count, then hides what its own
 * bases (the counts behind its figures) need; a field also hides what any of its items hides, so a
 * hidden item mean cannot be recovered from the field index and the other items.
 */
function districtBreakdown(
  agg: RunAggregator,
  digest: RunDigest,
  fieldItems: Map<FieldOfAction, number[]>,
  k: number,
): DistrictDigest[] {
  const groups = agg.byDistrict();
  if (groups.length === 0) return [];
  const all = agg.overall();
  const respondents = Object.fromEntries(groups.map(([d, g]) => [d, g.respondents]));
  const hiddenDistricts = suppressBreakdown(respondents, all.respondents, k);
  const smallDistricts = new Set(groups.filter(([, g]) => g.respondents < k).map(([d]) => d));

  const survey = agg.survey;
  const hiddenByQuestion = new Map<number, Set<string>>();
  survey.questions.forEach((q, i) => {
    if (q.type !== 'likert5' && q.type !== 'nps') return;
    const qd = digest.questions[i]!;
    const shownOverall = q.type === 'likert5' ? qd.mean !== undefined : qd.npsScore !== undefined;
    if (!shownOverall) return;
    const baseOf = (t: Tally) =>
      t.kind === 'scale' ? sum(t.counts) - (q.type === 'likert5' ? t.counts[0]! : 0) : 0;
    const bases = Object.fromEntries(groups.map(([d, g]) => [d, baseOf(g.tallies[i]!)]));
    hiddenByQuestion.set(i, suppressBreakdown(bases, baseOf(all.tallies[i]!), k, hiddenDistricts));
  });
  const hiddenByField = new Map<FieldOfAction, Set<string>>();
  for (const fd of digest.fields) {
    if (fd.index === undefined) continue;
    const items = fieldItems.get(fd.field)!.filter((i) => hiddenByQuestion.has(i));
    const start = new Set<string>(hiddenDistricts);
    for (const i of items) for (const d of hiddenByQuestion.get(i)!) start.add(d);
    const bases = Object.fromEntries(groups.map(([d, g]) => [d, g.fieldRespondents.get(fd.field) ?? 0]));
    hiddenByField.set(fd.field, suppressBreakdown(bases, all.fieldRespondents.get(fd.field) ?? 0, k, start));
  }

  return groups.map(([district, g]): DistrictDigest => {
    if (hiddenDistricts.has(district)) {
      return {
        district,
        hidden: smallDistricts.has(district) ? 'tooFewRespondents' : 'complementary',
        questions: {},
        fields: {},
      };
    }
    const dd: DistrictDigest = { district, respondents: g.respondents, questions: {}, fields: {} };
    for (const [i, hiddenSet] of hiddenByQuestion) {
      if (hiddenSet.has(district)) continue;
      const q = survey.questions[i]!;
      const counts = (g.tallies[i] as { counts: number[] }).counts;
      dd.questions[q.id] =
        q.type === 'likert5' ? { mean: likertMean(counts) } : { npsScore: npsScore(counts) };
    }
    for (const [field, hiddenSet] of hiddenByField) {
      if (hiddenSet.has(district)) continue;
      const items = fieldItems.get(field)!.filter((i) => hiddenByQuestion.has(i));
      const means = items.map((i) => likertMean((g.tallies[i] as { counts: number[] }).counts));
      if (means.every((m): m is number => m !== undefined)) dd.fields[field] = toIndex(average(means));
    }
    return dd;
  });
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function average(xs: readonly number[]): number {
  return sum(xs) / xs.length;
}

/** The mean of the values from `from` upwards, where counts[v] is how often v was given. */
function weightedMean(counts: readonly number[], from: number): number | undefined {
  let n = 0;
  let total = 0;
  for (let v = from; v < counts.length; v++) {
    n += counts[v]!;
    total += v * counts[v]!;
  }
  return n === 0 ? undefined : total / n;
}

function likertMean(counts: readonly number[]): number | undefined {
  return weightedMean(counts, 1);
}

/** round(% promoters (9–10) − % detractors (0–6)), rounding .5 away from zero; undefined without answers. */
export function npsScore(counts: readonly number[]): number | undefined {
  const n = sum(counts);
  if (n === 0) return undefined;
  const x = (100 * (counts[9]! + counts[10]! - sum(counts.slice(0, 7)))) / n;
  return Math.sign(x) * Math.round(Math.abs(x)) || 0;
}

/** A likert mean (1–5) on the 0–100 scale of the field indexes. */
export function toIndex(mean: number): number {
  return ((mean - 1) / 4) * 100;
}
