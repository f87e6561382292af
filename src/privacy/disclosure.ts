// The one module that decides what of a survey run may be shown, on every surface: the results
// card (`ergebnisse`), the digest preview and the channel digest, the CSV export and the officers'
// tab. Surfaces lay out what this returns and never compute a figure of their own.
//
// The rules (docs/privacy.md):
// - A run is only started for an audience of at least K (`mayStartRun`).
// - While a run is open, officers see participation only, and only for groups of at least K.
// - A closed run with at least K respondents shows its final figures — the same every time and
//   everywhere, because they no longer change. Below K nothing but participation is shown.
// - Per question: fewer than K substantive answers → the question is suppressed as a whole.
// - Districts (closed runs only): a district below K is hidden, and further districts are hidden
//   until "total minus the shown districts" is 0 or at least K (complementary suppression), per
//   column, so that no hidden cell can be computed from the total and the other cells.
// - Free texts only from K_text writers, in a stable shuffled order, never with a district.
// - A trend (change) only between two runs that are each shown.
// Pure: no storage, no clock.
import { effectiveK, type District, type FieldOfAction } from '../domain/vocabulary';
import type { RunAggregator, Tally } from '../results/aggregate';
import type { LocalisedText, Question } from '../surveys/definition';
import { NO_ANSWER } from '../surveys/model';
import { createHash } from 'node:crypto';

/**
 * Why something is not shown; every surface explains each.
 * - `openRun`: the run is still open — participation only until it closes.
 * - `smallAudience`: the run went to fewer than K people: not even participation is shown.
 * - `tooFewRespondents`: a group (the run, a district) or a question has fewer than K answers.
 * - `complementary`: hidden so that the total minus the shown groups does not reveal a small group.
 * - `tooFewTexts`: fewer free texts than K_text.
 */
export type SuppressionReason =
  'openRun' | 'smallAudience' | 'tooFewRespondents' | 'complementary' | 'tooFewTexts';

export interface DistrictParticipation {
  district: District;
  /** Undefined when hidden. */
  respondents?: number;
  hidden?: 'tooFewRespondents' | 'complementary';
}

export interface ParticipationFigures {
  /** People the run was sent to when it started. */
  audience: number;
  /** Survey cards Teams accepted. */
  delivered: number;
  /** Responses stored; undefined when withheld. */
  respondents?: number;
  /** respondents / delivered (0…1, capped at 1); undefined when withheld or nothing was delivered. */
  responseRate?: number;
  withheld?: 'smallAudience';
  /** Respondents by district (groups ≥ K, complementary suppression); empty when not asked for. */
  districts: DistrictParticipation[];
}

export interface DistributionEntry {
  /** Likert "1"–"5", NPS "0"–"10", or the choice id. */
  key: string;
  /** Choice questions: the option's label. */
  label?: LocalisedText;
  count: number;
}

export interface QuestionFigures {
  questionId: string;
  type: Question['type'];
  field: FieldOfAction;
  text: LocalisedText;
  /** Likert and NPS: what the ends of the scale mean (from the definition). */
  scale?: { low: LocalisedText; high: LocalisedText };
  /** Set when the question is suppressed: then nothing below is given. */
  hidden?: 'tooFewRespondents' | 'tooFewTexts';
  /** Respondents who answered it (likert: "keine Angabe" included; text: writers). */
  answered?: number;
  /** In the definition's order, zero counts included (likert 1–5, NPS 0–10, choices); text: empty. */
  distribution: DistributionEntry[];
  /** Likert: "keine Angabe" (counted in `answered`, left out of the mean). */
  noAnswer?: number;
  /** Likert over 1–5, NPS over 0–10. */
  mean?: number;
  /** NPS: round(% 9–10 − % 0–6). */
  npsScore?: number;
  /** Likert: mean − the previous run's mean; NPS: npsScore − the previous npsScore. */
  change?: number;
  /** Text questions from K_text writers: the texts, in a stable shuffled order. */
  texts?: string[];
}

export interface FieldFigures {
  field: FieldOfAction;
  /** Likert items of the run in this field. */
  items: number;
  /** 0–100: the mean of its shown likert items' means, (mean − 1) / 4 · 100. */
  index?: number;
  change?: number;
}

export interface DistrictCell {
  mean?: number;
  npsScore?: number;
}

export interface DistrictFigures {
  district: District;
  /** Undefined when the district is hidden. */
  respondents?: number;
  hidden?: 'tooFewRespondents' | 'complementary';
  /** Shown cells only, by question id (likert: mean; nps: npsScore). */
  questions: Record<string, DistrictCell>;
  /** Shown indexes only (0–100). */
  fields: Partial<Record<FieldOfAction, number>>;
}

export interface RunFigures {
  runId: string;
  surveyId: string;
  title: LocalisedText;
  open: boolean;
  /** When the run closes (open) or closed. */
  closesAt: Date;
  kMin: number;
  kText: number;
  participation: ParticipationFigures;
  /** 'final': the results below are shown; otherwise why they are not. */
  results: 'final' | 'openRun' | 'smallAudience' | 'tooFewRespondents';
  /** Empty unless final. */
  questions: QuestionFigures[];
  fields: FieldFigures[];
  districts: DistrictFigures[];
  /** Final results without a district breakdown: every district is below K (or none was given). */
  districtsWithheld?: 'tooFewRespondents';
  /** Every reason that hid something, for the surfaces' footnotes. */
  explanations: SuppressionReason[];
}

export interface RunContext {
  runId: string;
  surveyId: string;
  title: LocalisedText;
  open: boolean;
  closesAt: Date;
  /** People the run was sent to when it started. */
  audience: number;
  delivered: number;
  kMin: number;
  kText: number;
  /** Break participation down by district (the officers' tab). */
  participationByDistrict?: boolean;
  /** The figures of the previous closed run of the same survey, for the change. */
  previous?: RunFigures;
}

/** Whether a run may start for an audience of this size. */
export function mayStartRun(audience: number, kMin: number): boolean {
  return audience >= effectiveK(kMin);
}

/** How many answered, overall and (for a participation breakdown) per district. */
export interface ResponseCounts {
  respondents: number;
  /** Respondents per district, for `participationByDistrict`. */
  districts?: [District, number][];
}

/**
 * What of a run may be shown now. `agg` (every response counted) is needed for a closed run only:
 * while a run is open, its counts are all that may be shown.
 */
export function discloseRun(ctx: RunContext, counts: ResponseCounts, agg?: RunAggregator): RunFigures {
  const k = effectiveK(ctx.kMin);
  const kText = Math.max(k, Math.ceil(ctx.kText));
  const figures: RunFigures = {
    runId: ctx.runId,
    surveyId: ctx.surveyId,
    title: ctx.title,
    open: ctx.open,
    closesAt: ctx.closesAt,
    kMin: k,
    kText,
    participation: participation(counts, ctx, k),
    results: 'final',
    questions: [],
    fields: [],
    districts: [],
    explanations: [],
  };
  if (figures.participation.withheld) {
    figures.results = 'smallAudience';
    figures.explanations = ['smallAudience'];
    return figures;
  }
  if (ctx.open) {
    figures.results = 'openRun';
    figures.explanations = ['openRun'];
    return figures;
  }
  if (counts.respondents < k) {
    figures.results = 'tooFewRespondents';
    figures.explanations = ['tooFewRespondents'];
    return figures;
  }
  if (!agg) throw new Error('The final figures of a closed run need its responses counted');
  const all = agg.overall();

  const survey = agg.survey;
  const previous = ctx.previous?.results === 'final' ? ctx.previous : undefined;
  const prevQuestions = new Map((previous?.questions ?? []).map((q) => [q.questionId, q]));
  const explanations = new Set<SuppressionReason>();
  figures.questions = survey.questions.map((q, i) => {
    const qf = questionFigures(q, all.tallies[i]!, agg.textsOf(i), k, kText, ctx.runId);
    if (qf.hidden) {
      explanations.add(qf.hidden);
      return qf;
    }
    const prev = prevQuestions.get(q.id);
    if (prev && prev.type === q.type && !prev.hidden) {
      if (q.type === 'likert5' && qf.mean !== undefined && prev.mean !== undefined)
        qf.change = qf.mean - prev.mean;
      if (q.type === 'nps' && qf.npsScore !== undefined && prev.npsScore !== undefined)
        qf.change = qf.npsScore - prev.npsScore;
    }
    return qf;
  });

  // Fields of action: the mean of the shown likert items' means, scaled to 0–100.
  const fieldItems = likertItemsByField(agg);
  const prevFields = new Map((previous?.fields ?? []).map((f) => [f.field, f]));
  figures.fields = [...fieldItems].map(([field, items]) => {
    const means = items.map((i) => figures.questions[i]!.mean).filter((m): m is number => m !== undefined);
    const ff: FieldFigures = { field, items: items.length };
    if (means.length > 0) ff.index = toIndex(average(means));
    const prev = prevFields.get(field)?.index;
    if (ff.index !== undefined && prev !== undefined) ff.change = ff.index - prev;
    return ff;
  });

  figures.districts = districtBreakdown(agg, figures, fieldItems, k);
  for (const d of figures.districts) if (d.hidden) explanations.add(d.hidden);
  if (figures.districts.length > 0 && figures.districts.every((d) => d.hidden)) {
    figures.districtsWithheld = 'tooFewRespondents';
  }
  figures.explanations = [...explanations];
  return figures;
}

/** Participation only, as lists of runs show it: open or closed, from the counts alone. */
export function discloseParticipation(ctx: RunContext, counts: ResponseCounts): ParticipationFigures {
  return participation(counts, ctx, effectiveK(ctx.kMin));
}

function participation(counts: ResponseCounts, ctx: RunContext, k: number): ParticipationFigures {
  const base = { audience: ctx.audience, delivered: ctx.delivered, districts: [] };
  if (ctx.audience < k) return { ...base, withheld: 'smallAudience' };
  const { respondents } = counts;
  const p: ParticipationFigures = {
    ...base,
    respondents,
    responseRate: ctx.delivered > 0 ? Math.min(1, respondents / ctx.delivered) : undefined,
  };
  if (ctx.participationByDistrict && counts.districts) {
    const groups = counts.districts;
    const hiddenSet = suppressBreakdown(Object.fromEntries(groups), respondents, k);
    p.districts = groups.map(([district, n]) =>
      hiddenSet.has(district)
        ? { district, hidden: n < k ? 'tooFewRespondents' : 'complementary' }
        : { district, respondents: n },
    );
  }
  return p;
}

/**
 * Which groups of a breakdown (e.g. districts) must be hidden, given each group's count and the
 * shown total. Every group below K is hidden; then, because `total − Σ shown groups` is the
 * combined size of everything not shown (hidden groups plus respondents who belong to no group),
 * further groups are hidden, smallest first, until that remainder is either 0 (nothing with
 * answers is hidden) or at least K — or every group is hidden.
 *
 * The returned set must be applied to every figure of the breakdown (counts and means alike): a
 * mean of the remainder is derivable from the overall mean and the shown groups' means and counts.
 * `alreadyHidden` lets a caller start from groups hidden for another reason (another column).
 */
export function suppressBreakdown(
  counts: Record<string, number>,
  total: number,
  kMin: number,
  alreadyHidden: Iterable<string> = [],
): Set<string> {
  const k = effectiveK(kMin);
  const keys = Object.keys(counts);
  const result = new Set<string>([...alreadyHidden].filter((key) => key in counts));
  for (const key of keys) if (counts[key]! < k) result.add(key);

  const remainder = () =>
    total - keys.filter((key) => !result.has(key)).reduce((a, key) => a + counts[key]!, 0);
  // Smallest shown group first; the key breaks ties, so that the result never depends on input order.
  const byCount = (a: string, b: string) => counts[a]! - counts[b]! || (a < b ? -1 : a > b ? 1 : 0);
  let rest = remainder();
  while (rest > 0 && rest < k) {
    const next = keys.filter((key) => !result.has(key)).sort(byCount)[0];
    if (next === undefined) break;
    result.add(next);
    rest = remainder();
  }
  return result;
}

function questionFigures(
  q: Question,
  t: Tally,
  texts: readonly string[],
  k: number,
  kText: number,
  runId: string,
): QuestionFigures {
  const base = {
    questionId: q.id,
    type: q.type,
    field: q.field,
    text: q.text,
    distribution: [],
    ...((q.type === 'likert5' || q.type === 'nps') && q.labels ? { scale: q.labels } : {}),
  };
  if (t.kind === 'text') {
    if (t.answered < kText) return { ...base, hidden: 'tooFewTexts' };
    return { ...base, answered: t.answered, texts: shuffled(texts, runId, q.id) };
  }
  if (t.kind === 'choice') {
    if (t.answered < k) return { ...base, hidden: 'tooFewRespondents' };
    const choices = (q as Extract<Question, { type: 'single' | 'multi' }>).choices;
    return {
      ...base,
      answered: t.answered,
      distribution: choices.map((c, i) => ({ key: c.id, label: c.label, count: t.counts[i]! })),
    };
  }
  const answered = sum(t.counts);
  if (q.type === 'likert5') {
    // The substantive answers (1–5) decide: "keine Angabe" says nothing about the item.
    const scored = answered - t.counts[NO_ANSWER]!;
    if (scored < k) return { ...base, hidden: 'tooFewRespondents' };
    return {
      ...base,
      answered,
      distribution: [1, 2, 3, 4, 5].map((v) => ({ key: String(v), count: t.counts[v]! })),
      noAnswer: t.counts[NO_ANSWER]!,
      mean: likertMean(t.counts),
    };
  }
  if (answered < k) return { ...base, hidden: 'tooFewRespondents' };
  return {
    ...base,
    answered,
    distribution: t.counts.map((c, v) => ({ key: String(v), count: c })),
    mean: weightedMean(t.counts, 0),
    npsScore: npsScore(t.counts),
  };
}

/**
 * A stable shuffle: ordered by a hash of run, question and text, so that the order says nothing
 * about who wrote first, and every surface and every view shows the same order.
 */
function shuffled(texts: readonly string[], runId: string, questionId: string): string[] {
  const rank = (text: string) =>
    createHash('sha256').update(`${runId}\u001f${questionId}\u001f${text}`).digest('hex');
  return texts
    .map((text) => ({ text, rank: rank(text) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .map((x) => x.text);
}

function likertItemsByField(agg: RunAggregator): Map<FieldOfAction, number[]> {
  const fieldItems = new Map<FieldOfAction, number[]>();
  agg.survey.questions.forEach((q, i) => {
    if (q.type !== 'likert5') return;
    fieldItems.set(q.field, [...(fieldItems.get(q.field) ?? []), i]);
  });
  return fieldItems;
}

/**
 * One suppression set per column (respondents, each scored question, each field): a column starts
 * from the districts hidden for their respondent count, then hides what its own bases (the counts
 * behind its figures) need; a field also hides what any of its items hides, so a hidden item mean
 * cannot be recovered from the field index and the other items.
 */
function districtBreakdown(
  agg: RunAggregator,
  figures: RunFigures,
  fieldItems: Map<FieldOfAction, number[]>,
  k: number,
): DistrictFigures[] {
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
    if (figures.questions[i]!.hidden) return;
    const baseOf = (t: Tally) =>
      t.kind === 'scale' ? sum(t.counts) - (q.type === 'likert5' ? t.counts[0]! : 0) : 0;
    const bases = Object.fromEntries(groups.map(([d, g]) => [d, baseOf(g.tallies[i]!)]));
    hiddenByQuestion.set(i, suppressBreakdown(bases, baseOf(all.tallies[i]!), k, hiddenDistricts));
  });
  const hiddenByField = new Map<FieldOfAction, Set<string>>();
  for (const ff of figures.fields) {
    if (ff.index === undefined) continue;
    const items = fieldItems.get(ff.field)!.filter((i) => hiddenByQuestion.has(i));
    const start = new Set<string>(hiddenDistricts);
    for (const i of items) for (const d of hiddenByQuestion.get(i)!) start.add(d);
    const bases = Object.fromEntries(groups.map(([d, g]) => [d, g.fieldRespondents.get(ff.field) ?? 0]));
    hiddenByField.set(ff.field, suppressBreakdown(bases, all.fieldRespondents.get(ff.field) ?? 0, k, start));
  }

  return groups.map(([district, g]): DistrictFigures => {
    if (hiddenDistricts.has(district)) {
      return {
        district,
        hidden: smallDistricts.has(district) ? 'tooFewRespondents' : 'complementary',
        questions: {},
        fields: {},
      };
    }
    const df: DistrictFigures = { district, respondents: g.respondents, questions: {}, fields: {} };
    for (const [i, hiddenSet] of hiddenByQuestion) {
      if (hiddenSet.has(district)) continue;
      const q = survey.questions[i]!;
      const counts = (g.tallies[i] as { counts: number[] }).counts;
      df.questions[q.id] =
        q.type === 'likert5' ? { mean: likertMean(counts) } : { npsScore: npsScore(counts) };
    }
    for (const [field, hiddenSet] of hiddenByField) {
      if (hiddenSet.has(district)) continue;
      const items = fieldItems.get(field)!.filter((i) => hiddenByQuestion.has(i));
      const means = items.map((i) => likertMean((g.tallies[i] as { counts: number[] }).counts));
      if (means.every((m): m is number => m !== undefined)) df.fields[field] = toIndex(average(means));
    }
    return df;
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
