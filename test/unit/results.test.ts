// Aggregation of a run's responses: distributions, means, NPS, multi counting, and the privacy
// thresholds (nothing but the count below K, free texts only from K_text).
import { serialize } from 'node:v8';
import type { Answers } from '../../src/surveys/model';
import {
  ResultsAccumulator,
  summariseResults,
  type ChoiceResult,
  type LikertResult,
  type NpsResult,
  type QuestionResult,
  type RunResults,
  type TextResult,
} from '../../src/surveys/results';
import { TEST_SURVEY } from '../support/fixtures';

const K = { kMin: 5, kText: 10 };

function summarise(answers: Answers[], options: Partial<Parameters<typeof summariseResults>[1]> = {}) {
  const acc = new ResultsAccumulator(TEST_SURVEY);
  for (const a of answers) acc.add({ answers: a, district: 'altona' });
  return summariseResults(acc, { ...K, delivered: 20, answered: answers.length, ...options });
}

function question<T extends QuestionResult>(results: RunResults, id: string): T {
  const q = results.questions.find((x) => x.questionId === id);
  if (!q) throw new Error(`no result for ${id}`);
  return q as T;
}

/** n responses that answer only `id`, with the given values. */
const only = (id: string, values: Answers[string][]): Answers[] => values.map((v) => ({ [id]: v }));

describe('summariseResults', () => {
  it('when likert answers include "keine Angabe", then it is counted but left out of the mean', () => {
    const r = summarise(only('tools', [5, 4, 3, 2, 0, 4]));
    const tools = question<LikertResult>(r, 'tools');
    expect(tools.type).toBe('likert5');
    expect(tools.suppressed).toBe(false);
    expect(tools.answered).toBe(6);
    expect(tools.noAnswer).toBe(1);
    expect(tools.distribution).toEqual([
      { value: 1, count: 0 },
      { value: 2, count: 1 },
      { value: 3, count: 1 },
      { value: 4, count: 2 },
      { value: 5, count: 1 },
    ]);
    expect(tools.mean).toBeCloseTo(18 / 5, 10);
    expect(tools.text).toEqual(TEST_SURVEY.questions[0]!.text);
  });

  it('when every likert answer is "keine Angabe", then the mean is undefined', () => {
    const tools = question<LikertResult>(summarise(only('tools', [0, 0, 0, 0, 0])), 'tools');
    expect(tools.noAnswer).toBe(5);
    expect(tools.mean).toBeUndefined();
  });

  it('when 10 people give 5 promoter, 3 passive and 2 detractor scores, then the NPS is +30', () => {
    const r = summarise(only('recommend', [10, 9, 9, 10, 9, 7, 8, 8, 6, 0]));
    const nps = question<NpsResult>(r, 'recommend');
    expect(nps.answered).toBe(10);
    expect(nps.npsScore).toBe(30);
    expect(nps.mean).toBeCloseTo(7.6, 10);
    expect(nps.distribution).toHaveLength(11);
    expect(nps.distribution.map((d) => d.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(nps.distribution.find((d) => d.value === 9)!.count).toBe(3);
  });

  it('when the NPS share difference ends in .5, then it rounds away from zero in both directions', () => {
    // 8 answers: 1 promoter, 2 detractors → −12.5 → −13; the mirror case → +13.
    const down = summarise(only('recommend', [10, 0, 0, 7, 7, 7, 7, 7]));
    const up = summarise(only('recommend', [0, 10, 10, 7, 7, 7, 7, 7]));
    expect(question<NpsResult>(down, 'recommend').npsScore).toBe(-13);
    expect(question<NpsResult>(up, 'recommend').npsScore).toBe(13);
  });

  it('when a single-choice question is answered, then each option is counted in definition order', () => {
    const r = summarise(only('mode', ['mobile', 'office', 'mobile', 'mobile', 'office']));
    const mode = question<ChoiceResult>(r, 'mode');
    expect(mode.answered).toBe(5);
    expect(mode.distribution.map((d) => [d.choiceId, d.count])).toEqual([
      ['office', 2],
      ['mobile', 3],
      ['mixed', 0],
    ]);
    expect(mode.distribution[0]!.label).toEqual({ de: 'im Büro', en: 'in the office' });
  });

  it('when multi-choice answers are counted, then every chosen option counts and answered is people who chose', () => {
    const r = summarise([
      ...only('formats', [['chat', 'video'], ['chat'], ['wiki', 'video'], ['chat'], ['video']]),
      { formats: [] },
      { tools: 3 },
    ]);
    const formats = question<ChoiceResult>(r, 'formats');
    expect(r.respondents).toBe(7);
    expect(formats.answered).toBe(5);
    expect(Object.fromEntries(formats.distribution.map((d) => [d.choiceId, d.count]))).toEqual({
      chat: 3,
      wiki: 1,
      video: 3,
    });
  });

  it('when fewer than K_text texts arrive, then only their count is given', () => {
    const texts = Array.from({ length: 9 }, (_, i) => `Text ${i}`);
    const r = summarise([...only('comment', [...texts, '   ', '']), ...only('tools', [1, 2])]);
    const comment = question<TextResult>(r, 'comment');
    expect(comment.textCount).toBe(9);
    expect(comment.answered).toBe(9);
    expect(comment.texts).toEqual([]);
  });

  it('when K_text texts arrive, then all are given, sorted alphabetically and not in submission order', () => {
    const submitted = [
      'zuletzt',
      'Ärger',
      'apfel',
      'Mitte',
      'beta',
      'Zebra',
      'ohne',
      'eins',
      'dritte',
      'Chor',
    ];
    const comment = question<TextResult>(summarise(only('comment', submitted)), 'comment');
    expect(comment.textCount).toBe(10);
    expect(comment.texts).toEqual([
      'apfel',
      'Ärger',
      'beta',
      'Chor',
      'dritte',
      'eins',
      'Mitte',
      'ohne',
      'Zebra',
      'zuletzt',
    ]);
  });

  it('when fewer than K_min people responded, then nothing but the count is given', () => {
    const r = summarise(
      only('tools', [1, 1, 1, 1]).map((a) => ({
        ...a,
        recommend: 10,
        mode: 'office',
        formats: ['chat'],
        comment: 'geheim',
      })),
      { delivered: 10, answered: 4 },
    );
    expect(r).toEqual({
      respondents: 4,
      delivered: 10,
      answered: 4,
      responseRate: 0.4,
      suppressed: true,
      kMin: 5,
      kText: 10,
      questions: [],
    });
    expect(JSON.stringify(r)).not.toMatch(/geheim|mean|distribution|npsScore/);
  });

  it('when exactly K_min people responded, then the results are shown', () => {
    const r = summarise(only('tools', [1, 2, 3, 4, 5]));
    expect(r.suppressed).toBe(false);
    expect(r.questions).toHaveLength(TEST_SURVEY.questions.length);
  });

  it('when an optional question was answered by fewer than K_min, then that question shows only its count', () => {
    const r = summarise([...only('tools', [1, 2, 3, 4, 5, 5]), ...only('recommend', [9, 10])]);
    const nps = question<NpsResult>(r, 'recommend');
    expect(nps).toMatchObject({ answered: 2, suppressed: true, distribution: [] });
    expect(nps.npsScore).toBeUndefined();
    expect(nps.mean).toBeUndefined();
    const mode = question<ChoiceResult>(r, 'mode');
    expect(mode).toMatchObject({ answered: 0, suppressed: true, distribution: [] });
    expect(question<LikertResult>(r, 'tools').suppressed).toBe(false);
  });

  it('when answered and delivered are given, then the response rate is their ratio, undefined without deliveries', () => {
    expect(summarise(only('tools', [1, 2, 3, 4, 5]), { delivered: 8, answered: 6 }).responseRate).toBe(0.75);
    expect(summarise([], { delivered: 0, answered: 0 }).responseRate).toBeUndefined();
  });

  it('when thresholds below the privacy floor are passed, then K_min is at least 3 and K_text at least K_min', () => {
    const r = summarise(only('comment', ['a', 'b']), { kMin: 1, kText: 1 });
    expect(r).toMatchObject({ suppressed: true, kMin: 3, kText: 3 });
    const s = summarise(only('comment', ['a', 'b', 'c', 'd', 'e']), { kMin: 5, kText: 3 });
    expect(s.kText).toBe(5);
  });

  it('when stored values fall outside the definition, then they are ignored instead of counted', () => {
    const r = summarise([
      ...only('tools', [1, 2, 3, 4, 5]),
      { tools: 6, recommend: 11, mode: 'elsewhere', formats: ['chat', 'chat', 'fax'], comment: 42 as never },
      { tools: '3', recommend: -1, mode: ['office'], formats: 'wiki' },
    ]);
    const tools = question<LikertResult>(r, 'tools');
    expect(tools.answered).toBe(5);
    // Only the known, de-duplicated ["chat"] counts; the plain string is not a multi answer.
    expect(question<ChoiceResult>(r, 'formats').answered).toBe(1);
    expect(question<NpsResult>(r, 'recommend').answered).toBe(0);
    expect(question<ChoiceResult>(r, 'mode').answered).toBe(0);
    expect(question<TextResult>(r, 'comment').textCount).toBe(0);
  });

  it('when many responses without free text are added, then the accumulator does not grow', () => {
    const acc = new ResultsAccumulator(TEST_SURVEY);
    const answer = { tools: 4, mode: 'mobile', formats: ['chat'], recommend: 9 };
    for (let i = 0; i < 10; i++) acc.add({ answers: answer, district: undefined });
    const small = serialize(acc).length;
    for (let i = 0; i < 10_000; i++) acc.add({ answers: answer, district: 'wandsbek' });
    expect(serialize(acc).length).toBeLessThan(small + 64);
    expect(acc.respondents).toBe(10_010);
  });
});
