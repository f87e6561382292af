// The digest's aggregation: distributions, means, NPS, field indexes, the change since the previous
// run, and per-district figures.
import { npsScore, RunAggregator, summariseRun, toIndex, type RunDigest } from '../../src/digest/aggregate';
import { surveySchema } from '../../src/surveys/definition';
import type { Answers } from '../../src/surveys/model';
import { TEST_SURVEY } from '../support/fixtures';
import type { District } from '../../src/domain/vocabulary';

const t = (de: string) => ({ de, en: de });
const opts = {
  runId: 'r1',
  title: t('Testumfrage'),
  open: false,
  delivered: 40,
  answered: 20,
  kMin: 5,
  kText: 10,
};

/** Two likert items in one field, one in another, and an NPS. */
const SURVEY = surveySchema.parse({
  id: 'feld',
  version: 1,
  title: t('Feld'),
  intro: t('Intro'),
  minutes: 2,
  questions: [
    {
      id: 'a',
      type: 'likert5',
      field: 'digitales-arbeiten',
      text: t('A'),
      labels: { low: t('nein'), high: t('ja') },
      allowNoAnswer: true,
    },
    {
      id: 'b',
      type: 'likert5',
      field: 'digitales-arbeiten',
      text: t('B'),
      labels: { low: t('n'), high: t('j') },
    },
    { id: 'c', type: 'likert5', field: 'ressourcen', text: t('C'), labels: { low: t('n'), high: t('j') } },
    { id: 'n', type: 'nps', field: 'nutzerorientierung', text: t('N') },
  ],
});

function run(rows: { district?: District; answers: Answers }[], survey = SURVEY, extra = {}): RunDigest {
  const agg = new RunAggregator(survey);
  for (const r of rows) agg.add({ district: r.district, answers: r.answers });
  return summariseRun(agg, { ...opts, ...extra });
}

const q = (d: RunDigest, id: string) => d.questions.find((x) => x.questionId === id)!;

describe('RunAggregator and summariseRun', () => {
  it('when responses are added, then each question has its distribution in definition order', () => {
    const d = run(
      [1, 2, 2, 5, 5, 0].map((v, i) => ({ answers: { a: v, b: 3, c: 4, n: i + 5 } })),
      SURVEY,
    );
    expect(d.respondents).toBe(6);
    expect(q(d, 'a').count).toBe(6);
    expect(q(d, 'a').distribution).toEqual([
      { key: '1', count: 1 },
      { key: '2', count: 2 },
      { key: '3', count: 0 },
      { key: '4', count: 0 },
      { key: '5', count: 2 },
    ]);
    expect(q(d, 'a').noAnswer).toBe(1);
    expect(q(d, 'n').distribution.map((e) => e.count)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('when "keine Angabe" is given, then it counts as an answer but not in the mean', () => {
    const d = run([1, 2, 2, 5, 5, 0].map((v) => ({ answers: { a: v, b: 3, c: 4, n: 9 } })));
    expect(q(d, 'a').mean).toBeCloseTo(3);
    expect(q(d, 'b').mean).toBe(3);
  });

  it('when fewer than kMin gave 1–5, then the distribution is shown but there is no mean', () => {
    const d = run([0, 0, 0, 4, 5].map((v) => ({ answers: { a: v, b: 3, c: 4, n: 9 } })));
    expect(q(d, 'a').hidden).toBeUndefined();
    expect(q(d, 'a').mean).toBeUndefined();
    expect(q(d, 'a').distribution).toHaveLength(5);
  });

  it('when NPS answers come in, then the score is % 9–10 minus % 0–6, rounded half away from zero', () => {
    // 3 promoters, 2 passives, 3 detractors of 8 → 0; one more detractor of 9 → −11.1 → −11.
    const counts = new Array<number>(11).fill(0);
    counts[10] = 2;
    counts[9] = 1;
    counts[7] = 2;
    counts[0] = 3;
    expect(npsScore(counts)).toBe(0);
    counts[6] = 1;
    expect(npsScore(counts)).toBe(-11);
    expect(npsScore([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 7])).toBe(75);
    expect(npsScore([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0])).toBe(-50);
    expect(npsScore([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0].slice(0, 11))).toBe(0);
    expect(npsScore(new Array<number>(11).fill(0))).toBeUndefined();

    const d = run([10, 10, 9, 8, 6, 0].map((n) => ({ answers: { a: 3, b: 3, c: 3, n } })));
    expect(q(d, 'n').npsScore).toBe(17); // (3 − 2) / 6 = 16.7
    expect(q(d, 'n').mean).toBeCloseTo(43 / 6);
  });

  it('when a field has likert items, then its index is the mean of their means scaled to 0–100', () => {
    expect(toIndex(1)).toBe(0);
    expect(toIndex(3)).toBe(50);
    expect(toIndex(5)).toBe(100);
    const d = run(Array.from({ length: 5 }, () => ({ answers: { a: 5, b: 2, c: 1, n: 5 } })));
    const fields = Object.fromEntries(d.fields.map((f) => [f.field, f]));
    expect(fields['digitales-arbeiten']).toEqual({ field: 'digitales-arbeiten', items: 2, index: 62.5 });
    expect(fields.ressourcen!.index).toBe(0);
    // NPS items are not part of any index.
    expect(fields.nutzerorientierung).toBeUndefined();
  });

  it('when a previous closed run is given, then means, NPS and indexes carry their change', () => {
    const previous = run(Array.from({ length: 5 }, () => ({ answers: { a: 3, b: 3, c: 3, n: 10 } })));
    const d = run(
      Array.from({ length: 5 }, () => ({ answers: { a: 4, b: 3, c: 2, n: 0 } })),
      SURVEY,
      {
        previous,
      },
    );
    expect(q(d, 'a').change).toBeCloseTo(1);
    expect(q(d, 'c').change).toBeCloseTo(-1);
    expect(q(d, 'n').change).toBe(-200);
    const field = d.fields.find((f) => f.field === 'digitales-arbeiten')!;
    expect(field.change).toBeCloseTo(12.5);
  });

  it('when either run has a suppressed figure, then there is no change', () => {
    const previous = run(Array.from({ length: 4 }, () => ({ answers: { a: 3, b: 3, c: 3, n: 10 } })));
    expect(previous.published).toBe(false);
    const d = run(
      Array.from({ length: 5 }, () => ({ answers: { a: 4, b: 3, c: 2, n: 0 } })),
      SURVEY,
      {
        previous,
      },
    );
    expect(q(d, 'a').change).toBeUndefined();
    expect(d.fields.every((f) => f.change === undefined)).toBe(true);

    const prevNoMean = run(Array.from({ length: 5 }, () => ({ answers: { a: 0, b: 3, c: 3, n: 10 } })));
    const e = run(
      Array.from({ length: 5 }, () => ({ answers: { a: 4, b: 3, c: 2, n: 0 } })),
      SURVEY,
      {
        previous: prevNoMean,
      },
    );
    expect(q(e, 'a').change).toBeUndefined();
    expect(q(e, 'b').change).toBe(0);
  });

  it('when the run has fewer than kMin respondents, then only counts are given', () => {
    const d = run(Array.from({ length: 4 }, () => ({ answers: { a: 4, b: 3, c: 2, n: 0 } })));
    expect(d).toMatchObject({
      respondents: 4,
      published: false,
      withheld: 'tooFewRespondents',
      questions: [],
    });
    expect(d.responseRate).toBe(0.5);
  });

  it('when responses name districts, then each large-enough district has its own means, NPS and indexes', () => {
    const rows = [
      ...Array.from({ length: 6 }, () => ({
        district: 'altona' as const,
        answers: { a: 5, b: 5, c: 1, n: 10 },
      })),
      ...Array.from({ length: 5 }, () => ({
        district: 'wandsbek' as const,
        answers: { a: 1, b: 3, c: 3, n: 0 },
      })),
      ...Array.from({ length: 5 }, () => ({ district: undefined, answers: { a: 3, b: 3, c: 3, n: 8 } })),
    ];
    const d = run(rows);
    expect(d.respondents).toBe(16);
    expect(d.districts.map((x) => x.district)).toEqual(['altona', 'wandsbek']);
    const altona = d.districts[0]!;
    expect(altona).toEqual({
      district: 'altona',
      respondents: 6,
      questions: { a: { mean: 5 }, b: { mean: 5 }, c: { mean: 1 }, n: { npsScore: 100 } },
      fields: { 'digitales-arbeiten': 100, ressourcen: 0 },
    });
    expect(d.districts[1]!.fields['digitales-arbeiten']).toBe(25);
    expect(d.districts[1]!.questions.n!.npsScore).toBe(-100);
  });

  it('when answers are invalid for the definition, then they are ignored', () => {
    const d = run(
      Array.from({ length: 5 }, (_, i) => ({
        answers: { a: i === 0 ? 7 : 4, b: 'x', c: 2.5, n: 11 } as unknown as Answers,
      })),
    );
    expect(q(d, 'a').count).toBe(4);
    expect(q(d, 'b').hidden).toBe('tooFewRespondents');
    expect(q(d, 'n').count).toBe(0);
  });

  it('when choice and text questions are answered, then choices are counted and texts only by number from K_text', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      answers: {
        tools: 3,
        mode: i < 7 ? 'office' : 'mobile',
        formats: i < 5 ? ['chat', 'video', 'chat'] : ['wiki', 'nope'],
        recommend: 9,
        comment: i < 9 ? `Text ${i}` : '   ',
      },
    }));
    const d = run(rows, TEST_SURVEY);
    expect(q(d, 'mode').distribution.map((e) => [e.key, e.count])).toEqual([
      ['office', 7],
      ['mobile', 3],
      ['mixed', 0],
    ]);
    expect(q(d, 'formats').distribution.map((e) => e.count)).toEqual([5, 5, 5]);
    expect(q(d, 'comment')).toMatchObject({ count: 9, hidden: 'tooFewTexts', distribution: [] });
    expect(q(d, 'comment').textCount).toBeUndefined();
    expect(JSON.stringify(d)).not.toContain('Text 1');

    const more = run([...rows, { answers: { ...rows[0]!.answers, comment: 'noch einer' } }], TEST_SURVEY);
    expect(q(more, 'comment').textCount).toBe(10);
    expect(JSON.stringify(more)).not.toContain('noch einer');
  });
});
