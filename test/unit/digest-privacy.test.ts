// The digest's disclosure rules (DESIGN.md, "Privacy model"), each on its own, and the two attacks
// they exist for: subtracting last week's figures, and subtracting the shown groups from the total.
import {
  publishedQuestionCounts,
  RunAggregator,
  summariseRun,
  type RunDigest,
} from '../../src/digest/aggregate';
import { hidden, mayPublishOpenRun, suppressBreakdown } from '../../src/digest/privacy';
import { surveySchema } from '../../src/surveys/definition';
import { TEST_SURVEY } from '../support/fixtures';
import { effectiveK, type District } from '../../src/domain/vocabulary';

const OPTIONAL_SURVEY = surveySchema.parse({
  ...TEST_SURVEY,
  questions: [
    ...TEST_SURVEY.questions,
    {
      id: 'extra',
      type: 'likert5',
      field: 'ressourcen',
      required: false,
      text: { de: 'Zusatz', en: 'Extra' },
      labels: { low: { de: 'nein', en: 'no' }, high: { de: 'ja', en: 'yes' } },
    },
  ],
});

const title = { de: 'Testumfrage', en: 'Test survey' };
const base = { runId: 'r1', title, delivered: 100, answered: 0, kMin: 5, kText: 10 };

function answers(tools: number, recommend = 8) {
  return { tools, mode: 'office', formats: ['chat'], recommend, comment: '' };
}

describe('hidden', () => {
  it('when a group has fewer than kMin respondents, then it is hidden', () => {
    expect(hidden(4, 5)).toBe(true);
    expect(hidden(5, 5)).toBe(false);
    expect(hidden(0, 5)).toBe(true);
  });

  it('when kMin is configured below 3, then 3 applies anyway', () => {
    expect(effectiveK(1)).toBe(3);
    expect(effectiveK(0)).toBe(3);
    expect(effectiveK(Number.NaN)).toBe(3);
    expect(hidden(2, 1)).toBe(true);
    expect(hidden(3, 1)).toBe(false);
  });

  it('when kMin is fractional, then it is rounded up', () => {
    expect(effectiveK(4.2)).toBe(5);
    expect(hidden(4, 4.2)).toBe(true);
  });
});

describe('suppressBreakdown', () => {
  it('when every group has at least kMin, then nothing is hidden', () => {
    expect(suppressBreakdown({ a: 5, b: 7, c: 9 }, 21, 5)).toEqual(new Set());
  });

  it('when exactly one group is small, then the next smallest shown group is hidden as well', () => {
    // total − (b + c) would be a's count: 2.
    expect(suppressBreakdown({ a: 2, b: 7, c: 9 }, 18, 5)).toEqual(new Set(['a', 'b']));
  });

  it('when the hidden groups together stay below kMin, then more are hidden until they reach kMin', () => {
    // a + b = 3 < 5 is computable as total − c − d: hide c (the smallest shown) too.
    expect(suppressBreakdown({ a: 1, b: 2, c: 6, d: 8 }, 17, 5)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('when the hidden groups together reach kMin, then no further group is hidden', () => {
    expect(suppressBreakdown({ a: 2, b: 3, c: 6, d: 8 }, 19, 5)).toEqual(new Set(['a', 'b']));
  });

  it('when a hidden group is empty, then it needs no complement (there is no answer to reveal)', () => {
    expect(suppressBreakdown({ a: 0, b: 6, c: 8 }, 14, 5)).toEqual(new Set(['a']));
  });

  it('when respondents without a group make the remainder reach kMin, then nothing more is hidden', () => {
    // total 25 − (b + c) = 6 = a (2) + 4 without a district.
    expect(suppressBreakdown({ a: 2, b: 9, c: 10 }, 25, 5)).toEqual(new Set(['a']));
  });

  it('when respondents without a group are too few on their own, then they are protected too', () => {
    // Every district is ≥ K, but total − shown = 2 people without a district.
    expect(suppressBreakdown({ a: 6, b: 9 }, 17, 5)).toEqual(new Set(['a']));
  });

  it('when no combination reaches kMin, then every group is hidden', () => {
    expect(suppressBreakdown({ a: 1, b: 1 }, 2, 5)).toEqual(new Set(['a', 'b']));
  });

  it('when groups tie, then the result does not depend on their order', () => {
    const one = suppressBreakdown({ a: 2, b: 6, c: 6 }, 14, 5);
    const two = suppressBreakdown({ c: 6, b: 6, a: 2 }, 14, 5);
    expect(one).toEqual(two);
    expect(one).toEqual(new Set(['a', 'b']));
  });

  it('when groups start hidden for another reason, then the rule completes that set', () => {
    expect(suppressBreakdown({ a: 6, b: 7, c: 9 }, 22, 5, ['a'])).toEqual(new Set(['a']));
    expect(suppressBreakdown({ a: 6, b: 7, c: 9 }, 22, 5, ['zz'])).toEqual(new Set());
  });

  it('when many random breakdowns are suppressed, then the remainder is 0 or at least kMin, and every small group is hidden', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const counts: Record<string, number> = {};
      const groups = 1 + rand(8);
      for (let g = 0; g < groups; g++) counts[`g${g}`] = rand(12);
      const unassigned = rand(4);
      const total = Object.values(counts).reduce((a, b) => a + b, 0) + unassigned;
      const k = 3 + rand(4);
      const hiddenSet = suppressBreakdown(counts, total, k);
      const shown = Object.keys(counts).filter((key) => !hiddenSet.has(key));
      const remainder = total - shown.reduce((a, key) => a + counts[key]!, 0);
      expect(remainder === 0 || remainder >= k || shown.length === 0).toBe(true);
      for (const key of shown) expect(counts[key]!).toBeGreaterThanOrEqual(k);
    }
  });
});

describe('mayPublishOpenRun', () => {
  it('when a run is published for the first time, then it needs kMin respondents', () => {
    expect(mayPublishOpenRun(4, undefined, 5)).toBe(false);
    expect(mayPublishOpenRun(5, undefined, 5)).toBe(true);
    expect(mayPublishOpenRun(5, 0, 5)).toBe(true);
  });

  it('when fewer than kMin answers came in since the last publication, then nothing new is published', () => {
    expect(mayPublishOpenRun(9, 5, 5)).toBe(false);
    expect(mayPublishOpenRun(5, 5, 5)).toBe(false);
    expect(mayPublishOpenRun(10, 5, 5)).toBe(true);
  });

  it('when kMin is below 3, then 3 applies to the growth too', () => {
    expect(mayPublishOpenRun(7, 5, 1)).toBe(false);
    expect(mayPublishOpenRun(8, 5, 1)).toBe(true);
  });
});

describe('attacks on the digest', () => {
  function digestOf(
    responses: { district: District | undefined; tools: number; recommend?: number }[],
    opts: Partial<Parameters<typeof summariseRun>[1]> = {},
  ): RunDigest {
    const agg = new RunAggregator(TEST_SURVEY);
    for (const r of responses) agg.add({ district: r.district, answers: answers(r.tools, r.recommend) });
    return summariseRun(agg, { ...base, open: true, ...opts });
  }

  it('when one answer is added after a publication, then the next digest reveals nothing about it', () => {
    const first = Array.from({ length: 6 }, (_, i) => ({ district: 'altona' as const, tools: (i % 5) + 1 }));
    const published = digestOf(first);
    expect(published.published).toBe(true);

    // The same run a week later with one more answer — whatever that answer is, the digest is the same.
    const variants = [1, 2, 3, 4, 5].map((tools) =>
      digestOf([...first, { district: 'altona', tools, recommend: tools * 2 }], {
        lastPublishedRespondents: published.respondents,
      }),
    );
    for (const next of variants) {
      expect(next.published).toBe(false);
      expect(next.withheld).toBe('tooFewNew');
      expect(next.questions).toEqual([]);
      expect(next.fields).toEqual([]);
      expect(next.districts).toEqual([]);
      expect(next).toEqual({ ...variants[0], questions: [], fields: [], districts: [] });
    }
    // Only the respondent count moves, and that reveals no answer.
    expect(variants[0]!.respondents).toBe(7);
  });

  it('when an optional question grew by fewer than kMin while the run grew by kMin, then that question is withheld', () => {
    const agg = new RunAggregator(OPTIONAL_SURVEY);
    for (let i = 0; i < 5; i++) agg.add({ district: undefined, answers: { ...answers(3), extra: 2 } });
    const first = summariseRun(agg, { ...base, open: true });
    expect(first.questions.find((q) => q.questionId === 'extra')!.mean).toBe(2);
    // Five more respondents, only one of whom answered the optional question.
    for (let i = 0; i < 4; i++) agg.add({ district: undefined, answers: answers(4) });
    agg.add({ district: undefined, answers: { ...answers(4), extra: 5 } });
    const opts = { ...base, open: true, lastPublishedRespondents: first.respondents };
    const counts = publishedQuestionCounts(first);
    for (const second of [
      summariseRun(agg, { ...opts, lastPublishedQuestionCounts: counts }),
      summariseRun(agg, opts),
    ]) {
      expect(second.published).toBe(true);
      expect(second.questions.find((q) => q.questionId === 'tools')!.mean).toBe(3.5);
      const extra = second.questions.find((q) => q.questionId === 'extra')!;
      expect(extra.hidden).toBe('tooFewNew');
      expect(extra.mean).toBeUndefined();
      expect(extra.distribution).toEqual([]);
    }
  });

  it('when total minus the shown districts is computed, then neither the count nor the mean of a small district follows', () => {
    // altona 8, wandsbek 7, harburg 2 (the target), no one without a district.
    const rows = (harburgTools: number) => [
      ...Array.from({ length: 8 }, () => ({ district: 'altona' as const, tools: 4 })),
      ...Array.from({ length: 7 }, () => ({ district: 'wandsbek' as const, tools: 2 })),
      ...Array.from({ length: 2 }, () => ({ district: 'harburg' as const, tools: harburgTools })),
    ];
    const low = digestOf(rows(1), { open: false });
    const high = digestOf(rows(5), { open: false });

    const shown = low.districts.filter((d) => !d.hidden);
    const hiddenOnes = low.districts.filter((d) => d.hidden).map((d) => d.district);
    expect(hiddenOnes).toContain('harburg');
    // The remainder (total − shown) is never a single small group.
    const remainder = low.respondents - shown.reduce((a, d) => a + d.respondents!, 0);
    expect(remainder).toBeGreaterThanOrEqual(5);

    // Means: rebuild the hidden remainder's mean from the overall and the shown means; it mixes
    // harburg with a whole district, so harburg's own answers do not appear in anything shown.
    for (const d of [low, high]) {
      for (const h of d.districts.filter((x) => x.hidden)) {
        expect(h.respondents).toBeUndefined();
        expect(h.questions).toEqual({});
        expect(h.fields).toEqual({});
      }
    }
    const shownFigures = (d: RunDigest) =>
      d.districts
        .filter((x) => !x.hidden)
        .map((x) => ({ district: x.district, n: x.respondents, q: x.questions }));
    expect(shownFigures(low)).toEqual(shownFigures(high));
    expect(low.explanations).toEqual(expect.arrayContaining(['tooFewRespondents', 'complementary']));
  });

  it('when a district is large but few of it gave a 1–5 answer to a question, then that cell is hidden with a complement', () => {
    // altona 6 (only 2 gave 1–5 on "tools"), wandsbek 6, hamburg-nord 7: all districts ≥ K.
    const rows = [
      ...Array.from({ length: 4 }, () => ({ district: 'altona' as const, tools: 0 })),
      ...Array.from({ length: 2 }, () => ({ district: 'altona' as const, tools: 5 })),
      ...Array.from({ length: 6 }, () => ({ district: 'wandsbek' as const, tools: 2 })),
      ...Array.from({ length: 7 }, () => ({ district: 'hamburg-nord' as const, tools: 3 })),
    ];
    const d = digestOf(rows, { open: false });
    const cells = Object.fromEntries(d.districts.map((x) => [x.district, x.questions.tools?.mean]));
    expect(d.districts.every((x) => !x.hidden)).toBe(true);
    expect(cells.altona).toBeUndefined();
    // Complement: wandsbek (the next smallest base) is hidden in that column too.
    expect(cells.wandsbek).toBeUndefined();
    expect(cells['hamburg-nord']).toBe(3);
    // The field index follows its item.
    expect(d.districts.find((x) => x.district === 'altona')!.fields['digitales-arbeiten']).toBeUndefined();
  });

  it('when a run is open, then it has no district breakdown', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({
      district: (i % 2 ? 'altona' : 'wandsbek') as District,
      tools: 3,
    }));
    const d = digestOf(rows, { open: true });
    expect(d.districts).toEqual([]);
    expect(d.districtsWithheld).toBe('openRun');
  });
});
