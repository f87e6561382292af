// The one disclosure module (src/privacy/disclosure.ts) and the aggregation it reads
// (src/results/aggregate.ts): what of a run may be shown, on every surface. Each rule on its own,
// then the attacks the rules exist for: subtracting one view from another, subtracting the shown
// groups from the total, and reading a small group through "keine Angabe".
import { serialize } from 'node:v8';
import {
  discloseRun,
  mayStartRun,
  npsScore,
  suppressBreakdown,
  toIndex,
  type QuestionFigures,
  type RunFigures,
} from '../../src/privacy/disclosure';
import { RunAggregator } from '../../src/results/aggregate';
import { surveySchema } from '../../src/surveys/definition';
import type { Answers } from '../../src/surveys/model';
import { DISTRICTS, effectiveK, type District } from '../../src/domain/vocabulary';
import { countRun, FIXTURE_CLOSES_AT, runFigures, TEST_SURVEY, type FigureRow } from '../support/fixtures';

const t = (de: string) => ({ de, en: de });

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

/** TEST_SURVEY with an optional likert item. */
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

function question(f: RunFigures, id: string): QuestionFigures {
  const q = f.questions.find((x) => x.questionId === id);
  if (!q) throw new Error(`no figures for ${id}`);
  return q;
}

/** n responses without a district that answer only `id`, with the given values. */
const only = (id: string, values: Answers[string][]): FigureRow[] =>
  values.map((v) => ({ answers: { [id]: v } }));

/** n responses of SURVEY without a district, all with the same answers. */
const same = (n: number, answers: Answers, district?: District): FigureRow[] =>
  Array.from({ length: n }, () => ({ district, answers }));

/** A complete TEST_SURVEY answer. */
function answers(tools: number, recommend = 8): Answers {
  return { tools, mode: 'office', formats: ['chat'], recommend, comment: '' };
}

/** Everything of a question that says something about the answers. */
const FIGURE_KEYS = ['answered', 'noAnswer', 'mean', 'npsScore', 'change', 'texts'] as const;
function expectNoFigures(q: QuestionFigures): void {
  expect(q.distribution).toEqual([]);
  for (const key of FIGURE_KEYS) expect(q[key]).toBeUndefined();
}

describe('discloseRun: when results are shown at all', () => {
  const rows = Array.from({ length: 12 }, (_, i) => ({
    district: (i % 2 ? 'altona' : 'wandsbek') as District,
    answers: { ...answers((i % 5) + 1, i % 11), comment: `geheim ${i}` },
  }));

  it('when a run is open, then only participation is shown, even with every response counted', () => {
    const f = runFigures(TEST_SURVEY, rows, { open: true, delivered: 30 });
    expect(f.results).toBe('openRun');
    expect(f.explanations).toEqual(['openRun']);
    expect(f.participation).toEqual({
      audience: 40,
      delivered: 30,
      respondents: 12,
      responseRate: 0.4,
      districts: [],
    });
    expect(f.questions).toEqual([]);
    expect(f.fields).toEqual([]);
    expect(f.districts).toEqual([]);
    expect(JSON.stringify(f)).not.toMatch(/geheim|mean|distribution"?:\[\{|npsScore/);
  });

  it('when a run is open, then it needs no responses counted (the counts are enough)', () => {
    const { counts } = countRun(TEST_SURVEY, rows);
    const f = discloseRun(context({ open: true }), counts);
    expect(f.results).toBe('openRun');
    expect(f.participation.respondents).toBe(12);
  });

  it('when a closed run has fewer than K_MIN respondents, then only their number is shown', () => {
    const four = rows.slice(0, 4);
    const f = runFigures(TEST_SURVEY, four, { delivered: 8 });
    expect(f).toMatchObject({
      results: 'tooFewRespondents',
      explanations: ['tooFewRespondents'],
      questions: [],
      fields: [],
      districts: [],
    });
    expect(f.participation).toMatchObject({ respondents: 4, responseRate: 0.5 });
    expect(JSON.stringify(f)).not.toMatch(/geheim|mean|npsScore/);
  });

  it('when a closed run has exactly K_MIN respondents, then its final figures are shown', () => {
    const f = runFigures(SURVEY, only('a', [1, 2, 3, 4, 5]));
    expect(f.results).toBe('final');
    expect(f.questions).toHaveLength(SURVEY.questions.length);
    expect(question(f, 'a').mean).toBe(3);
  });

  it('when a closed run is computed twice, or from its responses in another order, then the figures are identical', () => {
    const first = runFigures(TEST_SURVEY, rows);
    const again = runFigures(TEST_SURVEY, rows);
    const reversed = runFigures(TEST_SURVEY, [...rows].reverse());
    expect(first.results).toBe('final');
    expect(again).toEqual(first);
    expect(reversed).toEqual(first);
  });

  it('when the audience is below K_MIN, then not even participation is shown, open or closed', () => {
    for (const open of [true, false]) {
      const f = runFigures(TEST_SURVEY, rows.slice(0, 4), { open, audience: 4, delivered: 4 });
      expect(f.results).toBe('smallAudience');
      expect(f.explanations).toEqual(['smallAudience']);
      expect(f.participation).toEqual({
        audience: 4,
        delivered: 4,
        withheld: 'smallAudience',
        districts: [],
      });
      expect(f.questions).toEqual([]);
    }
    // Whatever the counts say: the audience decides.
    const big = runFigures(TEST_SURVEY, rows, { audience: 4, participationByDistrict: true });
    expect(big.results).toBe('smallAudience');
    expect(big.participation.respondents).toBeUndefined();
    expect(big.participation.districts).toEqual([]);
  });

  it('when a run may start, then its audience must reach K_MIN (never below 3)', () => {
    expect(mayStartRun(4, 5)).toBe(false);
    expect(mayStartRun(5, 5)).toBe(true);
    expect(mayStartRun(2, 1)).toBe(false);
    expect(mayStartRun(3, 1)).toBe(true);
    expect(mayStartRun(4, 4.2)).toBe(false);
  });

  it('when respondents and deliveries are counted, then the response rate is their ratio, capped at 1, undefined without deliveries', () => {
    const six = only('tools', [1, 2, 3, 4, 5, 5]);
    expect(runFigures(TEST_SURVEY, six, { delivered: 8 }).participation.responseRate).toBe(0.75);
    expect(runFigures(TEST_SURVEY, six, { delivered: 4 }).participation.responseRate).toBe(1);
    const none = runFigures(TEST_SURVEY, [], { delivered: 0 });
    expect(none.participation.responseRate).toBeUndefined();
    expect(none.results).toBe('tooFewRespondents');
  });

  it('when thresholds below the privacy floor are passed, then K_MIN is at least 3 and K_TEXT at least K_MIN', () => {
    expect(effectiveK(1)).toBe(3);
    expect(effectiveK(0)).toBe(3);
    expect(effectiveK(Number.NaN)).toBe(3);
    expect(effectiveK(4.2)).toBe(5);
    const r = runFigures(TEST_SURVEY, only('comment', ['a', 'b']), { kMin: 1, kText: 1 });
    expect(r).toMatchObject({ results: 'tooFewRespondents', kMin: 3, kText: 3 });
    const s = runFigures(TEST_SURVEY, only('comment', ['a', 'b', 'c', 'd', 'e']), { kMin: 5, kText: 3 });
    expect(s.kText).toBe(5);
    expect(question(s, 'comment').texts).toHaveLength(5);
  });

  it('when a closed run is given without its responses counted, then it refuses instead of guessing', () => {
    const { counts } = countRun(TEST_SURVEY, rows);
    expect(() => discloseRun(context({ open: false }), counts)).toThrow(/responses counted/);
  });
});

describe('discloseRun: the figures of a question', () => {
  it('when likert answers include "keine Angabe", then it is counted but left out of the mean', () => {
    const tools = question(runFigures(TEST_SURVEY, only('tools', [5, 4, 3, 2, 0, 4])), 'tools');
    expect(tools.hidden).toBeUndefined();
    expect(tools.answered).toBe(6);
    expect(tools.noAnswer).toBe(1);
    expect(tools.distribution).toEqual([
      { key: '1', count: 0 },
      { key: '2', count: 1 },
      { key: '3', count: 1 },
      { key: '4', count: 2 },
      { key: '5', count: 1 },
    ]);
    expect(tools.mean).toBeCloseTo(18 / 5, 10);
    expect(tools.text).toEqual(TEST_SURVEY.questions[0]!.text);
  });

  it('when "keine Angabe" brings a likert item to K_MIN answers but fewer than K_MIN gave 1–5, then the item is hidden as a whole', () => {
    // Three "keine Angabe" and two substantive answers: 5 answered, 2 scored. Before the rework the
    // distribution of the two was shown while only the mean was hidden.
    const f = runFigures(
      SURVEY,
      [0, 0, 0, 4, 5].map((a) => ({ answers: { a, b: 3, c: 4, n: 9 } })),
    );
    const a = question(f, 'a');
    expect(a.hidden).toBe('tooFewRespondents');
    expectNoFigures(a);
    expect(f.explanations).toContain('tooFewRespondents');
    // The field index leaves the hidden item out instead of carrying its mean.
    expect(f.fields.find((x) => x.field === 'digitales-arbeiten')).toEqual({
      field: 'digitales-arbeiten',
      items: 2,
      index: toIndex(3),
    });
    // Whatever the two said, nothing shown differs.
    const other = runFigures(
      SURVEY,
      [0, 0, 0, 1, 1].map((a) => ({ answers: { a, b: 3, c: 4, n: 9 } })),
    );
    expect(other).toEqual(f);
  });

  it('when every likert answer is "keine Angabe", then the item is hidden', () => {
    const tools = question(runFigures(TEST_SURVEY, only('tools', [0, 0, 0, 0, 0])), 'tools');
    expect(tools.hidden).toBe('tooFewRespondents');
    expectNoFigures(tools);
  });

  it('when responses are added, then each scale question has its distribution in definition order', () => {
    const f = runFigures(
      SURVEY,
      [1, 2, 2, 5, 5, 0].map((v, i) => ({ answers: { a: v, b: 3, c: 4, n: i + 5 } })),
    );
    expect(f.participation.respondents).toBe(6);
    expect(question(f, 'a').answered).toBe(6);
    expect(question(f, 'a').noAnswer).toBe(1);
    expect(question(f, 'a').mean).toBeCloseTo(3);
    expect(question(f, 'b').mean).toBe(3);
    expect(question(f, 'n').distribution.map((e) => e.key)).toEqual(
      Array.from({ length: 11 }, (_, v) => String(v)),
    );
    expect(question(f, 'n').distribution.map((e) => e.count)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('when 10 people give 5 promoter, 3 passive and 2 detractor scores, then the NPS is +30', () => {
    const nps = question(
      runFigures(TEST_SURVEY, only('recommend', [10, 9, 9, 10, 9, 7, 8, 8, 6, 0])),
      'recommend',
    );
    expect(nps.answered).toBe(10);
    expect(nps.npsScore).toBe(30);
    expect(nps.mean).toBeCloseTo(7.6, 10);
    expect(nps.distribution).toHaveLength(11);
    expect(nps.distribution.find((d) => d.key === '9')!.count).toBe(3);
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
    expect(npsScore(new Array<number>(11).fill(0))).toBeUndefined();
    // 8 answers: 1 promoter, 2 detractors → −12.5 → −13; the mirror case → +13.
    const down = runFigures(TEST_SURVEY, only('recommend', [10, 0, 0, 7, 7, 7, 7, 7]));
    const up = runFigures(TEST_SURVEY, only('recommend', [0, 10, 10, 7, 7, 7, 7, 7]));
    expect(question(down, 'recommend').npsScore).toBe(-13);
    expect(question(up, 'recommend').npsScore).toBe(13);
    const f = runFigures(
      SURVEY,
      [10, 10, 9, 8, 6, 0].map((n) => ({ answers: { a: 3, b: 3, c: 3, n } })),
    );
    expect(question(f, 'n').npsScore).toBe(17); // (3 − 2) / 6 = 16.7
    expect(question(f, 'n').mean).toBeCloseTo(43 / 6);
  });

  it('when a single-choice question is answered, then each option is counted in definition order with its label', () => {
    const mode = question(
      runFigures(TEST_SURVEY, only('mode', ['mobile', 'office', 'mobile', 'mobile', 'office'])),
      'mode',
    );
    expect(mode.answered).toBe(5);
    expect(mode.distribution.map((d) => [d.key, d.count])).toEqual([
      ['office', 2],
      ['mobile', 3],
      ['mixed', 0],
    ]);
    expect(mode.distribution[0]!.label).toEqual({ de: 'im Büro', en: 'in the office' });
  });

  it('when multi-choice answers are counted, then every chosen option counts once and answered is the people who chose', () => {
    const f = runFigures(TEST_SURVEY, [
      ...only('formats', [
        ['chat', 'video', 'chat'],
        ['chat'],
        ['wiki', 'video'],
        ['chat', 'nope'],
        ['video'],
      ]),
      { answers: { formats: [] } },
      { answers: { tools: 3 } },
    ]);
    const formats = question(f, 'formats');
    expect(f.participation.respondents).toBe(7);
    expect(formats.answered).toBe(5);
    expect(Object.fromEntries(formats.distribution.map((d) => [d.key, d.count]))).toEqual({
      chat: 3,
      wiki: 1,
      video: 3,
    });
  });

  it('when an optional question was answered by fewer than K_MIN, then that question is hidden as a whole', () => {
    const f = runFigures(TEST_SURVEY, [...only('tools', [1, 2, 3, 4, 5, 5]), ...only('recommend', [9, 10])]);
    const nps = question(f, 'recommend');
    expect(nps.hidden).toBe('tooFewRespondents');
    expectNoFigures(nps);
    expect(question(f, 'mode').hidden).toBe('tooFewRespondents');
    expectNoFigures(question(f, 'mode'));
    expect(question(f, 'tools').hidden).toBeUndefined();
  });

  it('when fewer than K_TEXT texts arrive, then none is shown and not even their number', () => {
    const texts = Array.from({ length: 9 }, (_, i) => `Text ${i}`);
    const f = runFigures(TEST_SURVEY, [...only('comment', [...texts, '   ', '']), ...only('tools', [1, 2])]);
    const comment = question(f, 'comment');
    expect(comment.hidden).toBe('tooFewTexts');
    expectNoFigures(comment);
    expect(f.explanations).toContain('tooFewTexts');
    expect(JSON.stringify(f)).not.toContain('Text 3');
  });

  it('when K_TEXT texts arrive, then all are shown, trimmed, in a stable order that is not the order of submission', () => {
    const submitted = [
      'zuletzt',
      'Ärger',
      'apfel',
      'Mitte',
      'beta',
      'Zebra',
      'ohne',
      'eins',
      ' dritte ',
      'Chor',
    ];
    const f = runFigures(TEST_SURVEY, only('comment', submitted));
    const shown = question(f, 'comment').texts!;
    expect(question(f, 'comment').answered).toBe(10);
    expect([...shown].sort()).toEqual(submitted.map((s) => s.trim()).sort());
    expect(shown).not.toEqual(submitted.map((s) => s.trim()));
    expect(shown).not.toEqual([...shown].sort((a, b) => a.localeCompare(b, 'de')));
    // Every view, and every order of arrival, gives the same order.
    expect(question(runFigures(TEST_SURVEY, only('comment', submitted)), 'comment').texts).toEqual(shown);
    expect(
      question(runFigures(TEST_SURVEY, only('comment', [...submitted].reverse())), 'comment').texts,
    ).toEqual(shown);
    // The order depends on the run: the same texts elsewhere are not in a recognisable order.
    const elsewhere = question(
      runFigures(TEST_SURVEY, only('comment', submitted), { runId: 'anderer-lauf' }),
      'comment',
    );
    expect(elsewhere.texts).not.toEqual(shown);
  });

  it('when one more text arrives, then the earlier texts keep their relative order', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `Anmerkung ${i}`);
    const before = question(runFigures(TEST_SURVEY, only('comment', ten)), 'comment').texts!;
    const after = question(runFigures(TEST_SURVEY, only('comment', [...ten, 'neu'])), 'comment').texts!;
    expect(after.filter((x) => x !== 'neu')).toEqual(before);
  });

  it('when responses name districts, then texts are never given per district', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({
      district: (i < 6 ? 'altona' : 'wandsbek') as District,
      answers: { ...answers(3), comment: `Bezirkstext ${i}` },
    }));
    const f = runFigures(TEST_SURVEY, rows);
    expect(question(f, 'comment').texts).toHaveLength(12);
    expect(JSON.stringify(f.districts)).not.toContain('Bezirkstext');
    expect(f.districts.every((d) => !('comment' in d.questions))).toBe(true);
  });
});

describe('discloseRun: fields of action and the change since the previous run', () => {
  it('when a field has likert items, then its index is the mean of their means scaled to 0–100', () => {
    expect(toIndex(1)).toBe(0);
    expect(toIndex(3)).toBe(50);
    expect(toIndex(5)).toBe(100);
    const f = runFigures(SURVEY, same(5, { a: 5, b: 2, c: 1, n: 5 }));
    const fields = Object.fromEntries(f.fields.map((x) => [x.field, x]));
    expect(fields['digitales-arbeiten']).toEqual({ field: 'digitales-arbeiten', items: 2, index: 62.5 });
    expect(fields.ressourcen!.index).toBe(0);
    // NPS items are not part of any index.
    expect(fields.nutzerorientierung).toBeUndefined();
  });

  it('when the previous run of the survey was shown, then means, NPS and indexes carry their change', () => {
    const previous = runFigures(SURVEY, same(5, { a: 3, b: 3, c: 3, n: 10 }), { runId: 'feld-1' });
    const f = runFigures(SURVEY, same(5, { a: 4, b: 3, c: 2, n: 0 }), { previous });
    expect(question(f, 'a').change).toBeCloseTo(1);
    expect(question(f, 'b').change).toBe(0);
    expect(question(f, 'c').change).toBeCloseTo(-1);
    expect(question(f, 'n').change).toBe(-200);
    expect(f.fields.find((x) => x.field === 'digitales-arbeiten')!.change).toBeCloseTo(12.5);
  });

  it('when the previous run was not shown (open, too few, small audience), then there is no change', () => {
    const rows = same(5, { a: 3, b: 3, c: 3, n: 10 });
    const previousRuns = [
      runFigures(SURVEY, rows, { runId: 'feld-1', open: true }),
      runFigures(SURVEY, rows.slice(0, 4), { runId: 'feld-1' }),
      runFigures(SURVEY, rows, { runId: 'feld-1', audience: 4 }),
    ];
    expect(previousRuns.map((p) => p.results)).toEqual(['openRun', 'tooFewRespondents', 'smallAudience']);
    for (const previous of previousRuns) {
      const f = runFigures(SURVEY, same(5, { a: 4, b: 3, c: 2, n: 0 }), { previous });
      expect(f.questions.every((q) => q.change === undefined)).toBe(true);
      expect(f.fields.every((x) => x.change === undefined)).toBe(true);
    }
  });

  it('when the run itself is not final, then it carries no change either', () => {
    const previous = runFigures(SURVEY, same(5, { a: 3, b: 3, c: 3, n: 10 }), { runId: 'feld-1' });
    const open = runFigures(SURVEY, same(6, { a: 5, b: 5, c: 5, n: 10 }), { open: true, previous });
    expect(open.questions).toEqual([]);
    expect(JSON.stringify(open)).not.toContain('change');
  });

  it('when a question was hidden in either run, then it has no change, while the others do', () => {
    const prevHidden = runFigures(SURVEY, same(5, { a: 0, b: 3, c: 3, n: 10 }), { runId: 'feld-1' });
    expect(question(prevHidden, 'a').hidden).toBe('tooFewRespondents');
    const e = runFigures(SURVEY, same(5, { a: 4, b: 3, c: 2, n: 0 }), { previous: prevHidden });
    expect(question(e, 'a').change).toBeUndefined();
    expect(question(e, 'b').change).toBe(0);

    const previous = runFigures(SURVEY, same(5, { a: 3, b: 3, c: 3, n: 10 }), { runId: 'feld-1' });
    const nowHidden = runFigures(SURVEY, same(5, { a: 0, b: 4, c: 2, n: 0 }), { previous });
    expect(question(nowHidden, 'a').change).toBeUndefined();
    expect(question(nowHidden, 'b').change).toBe(1);
  });
});

describe('discloseRun: districts', () => {
  it('when responses name districts, then each large-enough district has its own means, NPS and indexes', () => {
    const rows = [
      ...same(6, { a: 5, b: 5, c: 1, n: 10 }, 'altona'),
      ...same(5, { a: 1, b: 3, c: 3, n: 0 }, 'wandsbek'),
      ...same(5, { a: 3, b: 3, c: 3, n: 8 }),
    ];
    const f = runFigures(SURVEY, rows);
    expect(f.participation.respondents).toBe(16);
    expect(f.districts.map((x) => x.district)).toEqual(['altona', 'wandsbek']);
    expect(f.districts[0]).toEqual({
      district: 'altona',
      respondents: 6,
      questions: { a: { mean: 5 }, b: { mean: 5 }, c: { mean: 1 }, n: { npsScore: 100 } },
      fields: { 'digitales-arbeiten': 100, ressourcen: 0 },
    });
    expect(f.districts[1]!.fields['digitales-arbeiten']).toBe(25);
    expect(f.districts[1]!.questions.n!.npsScore).toBe(-100);
    expect(f.districtsWithheld).toBeUndefined();
  });

  it('when every district is below K_MIN, then the final figures come without a breakdown', () => {
    const rows = [
      ...same(3, { a: 5, b: 5, c: 1, n: 10 }, 'altona'),
      ...same(4, { a: 1, b: 3, c: 3, n: 0 }, 'harburg'),
    ];
    const f = runFigures(SURVEY, rows);
    expect(f.results).toBe('final');
    expect(f.districtsWithheld).toBe('tooFewRespondents');
    for (const d of f.districts) {
      expect(d.respondents).toBeUndefined();
      expect(d.questions).toEqual({});
      expect(d.fields).toEqual({});
    }
  });

  it('when participation is asked for by district, then small districts are hidden with a complement, open or closed', () => {
    const rows = [
      ...same(8, answers(3), 'altona'),
      ...same(7, answers(3), 'wandsbek'),
      ...same(2, answers(3), 'harburg'),
    ];
    for (const open of [true, false]) {
      const f = runFigures(TEST_SURVEY, rows, { open, participationByDistrict: true });
      expect(f.participation.districts).toEqual([
        { district: 'altona', respondents: 8 },
        { district: 'harburg', hidden: 'tooFewRespondents' },
        { district: 'wandsbek', hidden: 'complementary' },
      ]);
    }
    expect(runFigures(TEST_SURVEY, rows, { open: true }).participation.districts).toEqual([]);
  });

  it('when a run is open, then it has no district figures', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({
      district: (i % 2 ? 'altona' : 'wandsbek') as District,
      answers: answers(3),
    }));
    const f = runFigures(TEST_SURVEY, rows, { open: true });
    expect(f.districts).toEqual([]);
    expect(f.districtsWithheld).toBeUndefined();
  });
});

describe('suppressBreakdown', () => {
  it('when every group has at least K_MIN, then nothing is hidden', () => {
    expect(suppressBreakdown({ a: 5, b: 7, c: 9 }, 21, 5)).toEqual(new Set());
  });

  it('when exactly one group is small, then the next smallest shown group is hidden as well', () => {
    // total − (b + c) would be a's count: 2.
    expect(suppressBreakdown({ a: 2, b: 7, c: 9 }, 18, 5)).toEqual(new Set(['a', 'b']));
  });

  it('when the hidden groups together stay below K_MIN, then more are hidden until they reach K_MIN', () => {
    // a + b = 3 < 5 is computable as total − c − d: hide c (the smallest shown) too.
    expect(suppressBreakdown({ a: 1, b: 2, c: 6, d: 8 }, 17, 5)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('when the hidden groups together reach K_MIN, then no further group is hidden', () => {
    expect(suppressBreakdown({ a: 2, b: 3, c: 6, d: 8 }, 19, 5)).toEqual(new Set(['a', 'b']));
  });

  it('when a hidden group is empty, then it needs no complement (there is no answer to reveal)', () => {
    expect(suppressBreakdown({ a: 0, b: 6, c: 8 }, 14, 5)).toEqual(new Set(['a']));
  });

  it('when respondents without a group make the remainder reach K_MIN, then nothing more is hidden', () => {
    // total 25 − (b + c) = 6 = a (2) + 4 without a district.
    expect(suppressBreakdown({ a: 2, b: 9, c: 10 }, 25, 5)).toEqual(new Set(['a']));
  });

  it('when respondents without a group are too few on their own, then they are protected too', () => {
    // Every district is ≥ K, but total − shown = 2 people without a district.
    expect(suppressBreakdown({ a: 6, b: 9 }, 17, 5)).toEqual(new Set(['a']));
  });

  it('when no combination reaches K_MIN, then every group is hidden', () => {
    expect(suppressBreakdown({ a: 1, b: 1 }, 2, 5)).toEqual(new Set(['a', 'b']));
  });

  it('when K_MIN is configured below 3 or fractional, then 3 or the next whole number applies', () => {
    expect(suppressBreakdown({ a: 2, b: 3 }, 5, 1)).toEqual(new Set(['a', 'b']));
    expect(suppressBreakdown({ a: 3, b: 3 }, 6, 1)).toEqual(new Set());
    expect(suppressBreakdown({ a: 4, b: 5, c: 5 }, 14, 4.2)).toEqual(new Set(['a', 'b']));
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

  it('when many random breakdowns are suppressed, then the remainder is 0 or at least K_MIN, and every small group is hidden', () => {
    const rand = lcg(7);
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

describe('attacks', () => {
  function figuresOf(
    responses: { district: District | undefined; tools: number; recommend?: number }[],
    ctx: Parameters<typeof runFigures>[2] = {},
  ): RunFigures {
    return runFigures(
      TEST_SURVEY,
      responses.map((r) => ({ district: r.district, answers: answers(r.tools, r.recommend) })),
      ctx,
    );
  }

  it('when one answer is added while the run is open, then no view before or after it differs but for the count', () => {
    const first = Array.from({ length: 6 }, (_, i) => ({ district: 'altona' as const, tools: (i % 5) + 1 }));
    const before = figuresOf(first, { open: true, participationByDistrict: true });
    const variants = [1, 2, 3, 4, 5].map((tools) =>
      figuresOf([...first, { district: 'altona', tools, recommend: tools * 2 }], {
        open: true,
        participationByDistrict: true,
      }),
    );
    for (const next of variants) {
      expect(next).toEqual(variants[0]);
      expect(next.questions).toEqual([]);
    }
    // Only the respondent count moves, and that reveals no answer.
    expect({ ...variants[0]!, participation: before.participation }).toEqual(before);
    expect(variants[0]!.participation.respondents).toBe(7);
  });

  it('when an optional question gets one answer among five new respondents, then no view shows it before the final figures', () => {
    // Finding 3 of issue 10: respondents 5 → 10 while an optional item went 5 → 6 answers.
    const firstFive: FigureRow[] = Array.from({ length: 5 }, () => ({
      answers: { ...answers(3), extra: 2 },
    }));
    const nextFive: FigureRow[] = [
      ...Array.from({ length: 4 }, () => ({ answers: answers(4) })),
      { answers: { ...answers(4), extra: 5 } },
    ];
    const views = [5, 6, 7, 8, 9, 10].map((n) =>
      runFigures(OPTIONAL_SURVEY, [...firstFive, ...nextFive].slice(0, n), { open: true }),
    );
    for (const v of views) {
      expect(v.results).toBe('openRun');
      expect(JSON.stringify(v)).not.toMatch(/extra|mean/);
    }
    // Once closed: one set of figures, the same however often it is asked for.
    const final = runFigures(OPTIONAL_SURVEY, [...firstFive, ...nextFive]);
    expect(question(final, 'tools').mean).toBe(3.5);
    expect(question(final, 'extra').mean).toBeCloseTo(15 / 6);
    expect(runFigures(OPTIONAL_SURVEY, [...nextFive, ...firstFive])).toEqual(final);
  });

  it('when total minus the shown districts is computed, then neither the count nor the mean of a small district follows', () => {
    // altona 8, wandsbek 7, harburg 2 (the target), no one without a district.
    const rows = (harburgTools: number) => [
      ...Array.from({ length: 8 }, () => ({ district: 'altona' as const, tools: 4 })),
      ...Array.from({ length: 7 }, () => ({ district: 'wandsbek' as const, tools: 2 })),
      ...Array.from({ length: 2 }, () => ({ district: 'harburg' as const, tools: harburgTools })),
    ];
    const low = figuresOf(rows(1));
    const high = figuresOf(rows(5));

    const shown = low.districts.filter((d) => !d.hidden);
    const hiddenOnes = low.districts.filter((d) => d.hidden).map((d) => d.district);
    expect(hiddenOnes).toContain('harburg');
    // The remainder (total − shown) is never a single small group.
    const remainder = low.participation.respondents! - shown.reduce((a, d) => a + d.respondents!, 0);
    expect(remainder).toBeGreaterThanOrEqual(5);

    for (const d of [low, high]) {
      for (const h of d.districts.filter((x) => x.hidden)) {
        expect(h.respondents).toBeUndefined();
        expect(h.questions).toEqual({});
        expect(h.fields).toEqual({});
      }
    }
    const shownFigures = (d: RunFigures) =>
      d.districts
        .filter((x) => !x.hidden)
        .map((x) => ({ district: x.district, n: x.respondents, q: x.questions }));
    expect(shownFigures(low)).toEqual(shownFigures(high));
    expect(low.explanations).toEqual(expect.arrayContaining(['tooFewRespondents', 'complementary']));
    expect(low.districts.find((d) => d.district === 'harburg')!.hidden).toBe('tooFewRespondents');
    expect(low.districts.find((d) => d.district === 'wandsbek')!.hidden).toBe('complementary');
  });

  it('when a district is large but few of it gave a 1–5 answer to a question, then that cell is hidden with a complement', () => {
    // altona 6 (only 2 gave 1–5 on "tools"), wandsbek 6, hamburg-nord 7: all districts ≥ K.
    const rows = [
      ...Array.from({ length: 4 }, () => ({ district: 'altona' as const, tools: 0 })),
      ...Array.from({ length: 2 }, () => ({ district: 'altona' as const, tools: 5 })),
      ...Array.from({ length: 6 }, () => ({ district: 'wandsbek' as const, tools: 2 })),
      ...Array.from({ length: 7 }, () => ({ district: 'hamburg-nord' as const, tools: 3 })),
    ];
    const d = figuresOf(rows);
    const cells = Object.fromEntries(d.districts.map((x) => [x.district, x.questions.tools?.mean]));
    expect(d.districts.every((x) => !x.hidden)).toBe(true);
    expect(cells.altona).toBeUndefined();
    // Complement: wandsbek (the next smallest base) is hidden in that column too.
    expect(cells.wandsbek).toBeUndefined();
    expect(cells['hamburg-nord']).toBe(3);
    // The field index follows its item.
    expect(d.districts.find((x) => x.district === 'altona')!.fields['digitales-arbeiten']).toBeUndefined();
    expect(d.districts.find((x) => x.district === 'wandsbek')!.fields['digitales-arbeiten']).toBeUndefined();
  });

  it('when many random closed runs are broken down by district, then in every column the hidden rest is 0 or at least K_MIN', () => {
    const rand = lcg(11);
    let checkedColumns = 0;
    for (let i = 0; i < 150; i++) {
      const k = 3 + rand(3);
      const rows: FigureRow[] = Array.from({ length: 5 + rand(40) }, () => {
        const district = rand(5) === 0 ? undefined : DISTRICTS[rand(4)];
        const a: Answers = { b: 1 + rand(5), c: 1 + rand(5) };
        if (rand(3) > 0) a.a = rand(6); // optional-ish, often "keine Angabe"
        if (rand(4) > 0) a.n = rand(11);
        return { district, answers: a };
      });
      const f = runFigures(SURVEY, rows, { kMin: k });
      if (f.results !== 'final') continue;
      const { agg } = countRun(SURVEY, rows);
      const groups = new Map(agg.byDistrict());
      const all = agg.overall();
      const check = (
        baseOf: (g: typeof all) => number,
        isShown: (d: RunFigures['districts'][number]) => boolean,
      ) => {
        const shownBase = f.districts
          .filter(isShown)
          .reduce((s, d) => s + baseOf(groups.get(d.district)!), 0);
        const rest = baseOf(all) - shownBase;
        if (f.districts.some(isShown)) {
          expect(rest === 0 || rest >= k).toBe(true);
          for (const d of f.districts.filter(isShown))
            expect(baseOf(groups.get(d.district)!)).toBeGreaterThanOrEqual(k);
          checkedColumns++;
        }
      };
      check(
        (g) => g.respondents,
        (d) => d.respondents !== undefined,
      );
      SURVEY.questions.forEach((q, qi) => {
        const baseOf = (g: typeof all) => {
          const counts = (g.tallies[qi] as { counts: number[] }).counts;
          return counts.reduce((s, c) => s + c, 0) - (q.type === 'likert5' ? counts[0]! : 0);
        };
        check(baseOf, (d) => d.questions[q.id] !== undefined);
      });
      for (const field of ['digitales-arbeiten', 'ressourcen'] as const) {
        check(
          (g) => g.fieldRespondents.get(field) ?? 0,
          (d) => d.fields[field] !== undefined,
        );
      }
    }
    // The property was exercised, not skipped.
    expect(checkedColumns).toBeGreaterThan(100);
  });
});

describe('RunAggregator', () => {
  it('when stored values fall outside the definition, then they are ignored instead of counted', () => {
    const agg = new RunAggregator(TEST_SURVEY);
    const rows: Answers[] = [
      ...[1, 2, 3, 4, 5].map((tools) => ({ tools })),
      { tools: 6, recommend: 11, mode: 'elsewhere', formats: ['chat', 'chat', 'fax'], comment: 42 as never },
      { tools: '3', recommend: -1, mode: ['office'], formats: 'wiki' },
      { tools: 2.5, recommend: 7.5 },
    ];
    for (const a of rows) agg.add({ district: 'bogus' as District, answers: a });
    const [tools, mode, formats, recommend, comment] = agg.overall().tallies;
    expect(agg.respondents).toBe(8);
    expect(tools).toEqual({ kind: 'scale', counts: [0, 1, 1, 1, 1, 1] });
    // Only the known, de-duplicated ["chat"] counts; the plain string is not a multi answer.
    expect(formats).toEqual({ kind: 'choice', counts: [1, 0, 0], answered: 1 });
    expect(mode).toEqual({ kind: 'choice', counts: [0, 0, 0], answered: 0 });
    expect((recommend as { counts: number[] }).counts.every((c) => c === 0)).toBe(true);
    expect(comment).toEqual({ kind: 'text', answered: 0 });
    // An unknown district counts overall only.
    expect(agg.byDistrict()).toEqual([]);
  });

  it('when districts are seen, then they come in the configured order and hold counts only', () => {
    const agg = new RunAggregator(TEST_SURVEY);
    for (const district of ['wandsbek', 'altona', 'wandsbek'] as const) {
      agg.add({ district, answers: { ...answers(4), comment: 'nur gesamt' } });
    }
    expect(agg.byDistrict().map(([d, g]) => [d, g.respondents])).toEqual([
      ['altona', 1],
      ['wandsbek', 2],
    ]);
    expect(agg.textsOf(4)).toEqual(['nur gesamt', 'nur gesamt', 'nur gesamt']);
    expect(JSON.stringify(agg.byDistrict())).not.toContain('nur gesamt');
  });

  it('when many responses without free text are added, then the aggregation does not grow', () => {
    const agg = new RunAggregator(TEST_SURVEY);
    const answer = { tools: 4, mode: 'mobile', formats: ['chat'], recommend: 9 };
    for (let i = 0; i < 10; i++) agg.add({ answers: answer, district: undefined });
    for (const district of DISTRICTS) agg.add({ answers: answer, district });
    const small = serialize(agg).length;
    for (let i = 0; i < 10_000; i++) agg.add({ answers: answer, district: DISTRICTS[i % DISTRICTS.length] });
    // Only the counters' own encodings grow a little (larger numbers); 10,000 rows would be far more.
    expect(serialize(agg).length).toBeLessThan(small + 256);
    expect(agg.respondents).toBe(10_010 + DISTRICTS.length);
  });
});

/** A run context as ResultsService builds it (closed, 40 recipients, K 5 / 10) with `over` applied. */
function context(over: Partial<Parameters<typeof discloseRun>[0]> = {}): Parameters<typeof discloseRun>[0] {
  return {
    runId: 'testumfrage-2311-ab12',
    surveyId: TEST_SURVEY.id,
    title: TEST_SURVEY.title,
    open: false,
    closesAt: FIXTURE_CLOSES_AT,
    audience: 40,
    delivered: 40,
    kMin: 5,
    kText: 10,
    ...over,
  };
}

/** A small deterministic random generator: rand(n) is in 0…n−1. */
function lcg(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
}
