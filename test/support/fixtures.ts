// A small question bank with every item type, so tests do not depend on the shipped surveys' wording.
import type { Survey } from '../../src/surveys/definition';
import { surveySchema } from '../../src/surveys/definition';
import type { QuestionBank } from '../../src/surveys/question-bank';
import type { Answers } from '../../src/surveys/model';
import type { District } from '../../src/domain/vocabulary';
import { RunAggregator } from '../../src/results/aggregate';
import {
  discloseRun,
  type ResponseCounts,
  type RunContext,
  type RunFigures,
} from '../../src/privacy/disclosure';

const t = (de: string, en = de) => ({ de, en });

export const TEST_SURVEY: Survey = surveySchema.parse({
  id: 'testumfrage',
  version: 1,
  title: t('Testumfrage', 'Test survey'),
  intro: t('Eine kurze Umfrage für Tests.', 'A short survey for tests.'),
  minutes: 2,
  questions: [
    {
      id: 'tools',
      type: 'likert5',
      field: 'digitales-arbeiten',
      text: t('Ich habe die Werkzeuge, die ich brauche.', 'I have the tools I need.'),
      labels: { low: t('trifft gar nicht zu', 'disagree'), high: t('trifft voll zu', 'agree') },
      allowNoAnswer: true,
    },
    {
      id: 'mode',
      type: 'single',
      field: 'digitales-arbeiten',
      text: t('Wo arbeiten Sie meistens?', 'Where do you mostly work?'),
      choices: [
        { id: 'office', label: t('im Büro', 'in the office') },
        { id: 'mobile', label: t('mobil', 'mobile') },
        { id: 'mixed', label: t('gemischt', 'mixed') },
      ],
    },
    {
      id: 'formats',
      type: 'multi',
      field: 'zusammenarbeit-vernetzung',
      text: t('Welche Formate nutzen Sie?', 'Which formats do you use?'),
      choices: [
        { id: 'chat', label: t('Chat') },
        { id: 'wiki', label: t('Wiki') },
        { id: 'video', label: t('Video') },
      ],
      min: 1,
      max: 2,
    },
    {
      id: 'recommend',
      type: 'nps',
      field: 'digitale-kompetenzen',
      text: t('Würden Sie Puls empfehlen?', 'Would you recommend Puls?'),
    },
    {
      id: 'comment',
      type: 'text',
      field: 'sonstiges',
      text: t('Was möchten Sie noch sagen?', 'Anything else?'),
      required: false,
      maxLength: 200,
    },
  ],
});

export function bankOf(...surveys: Survey[]): QuestionBank {
  return {
    list: () => surveys,
    get: (id) => surveys.find((s) => s.id === id),
  };
}

/** A valid card payload for TEST_SURVEY. */
export function answerData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    q_tools: '4',
    q_mode: 'mobile',
    q_formats: 'chat,video',
    q_recommend: '9',
    q_comment: '',
    ...overrides,
  };
}

/** One stored response, as the aggregation reads it. */
export interface FigureRow {
  district?: District;
  answers: Answers;
}

export const FIXTURE_RUN_ID = 'testumfrage-2311-ab12';
export const FIXTURE_CLOSES_AT = new Date('2026-12-07T22:59:59.999Z');

/**
 * The counts behind one run: the responses counted by the real aggregation, and what a surface
 * passes to the disclosure module (respondents, and respondents per district).
 */
export function countRun(
  survey: Survey,
  rows: readonly FigureRow[],
): { agg: RunAggregator; counts: ResponseCounts } {
  const agg = new RunAggregator(survey);
  for (const r of rows) agg.add({ district: r.district, answers: r.answers });
  return {
    agg,
    counts: {
      respondents: agg.respondents,
      districts: agg.byDistrict().map(([d, g]) => [d, g.respondents]),
    },
  };
}

/**
 * What the disclosure module shows of a run with these responses: through RunAggregator and
 * discloseRun, as every surface gets its figures (never built by hand). Closed, 40 recipients and
 * 40 delivered, K_MIN 5 and K_TEXT 10 unless `ctx` says otherwise. An open run is given its
 * aggregation too: the module must show nothing of it anyway.
 */
export function runFigures(
  survey: Survey,
  rows: readonly FigureRow[],
  ctx: Partial<RunContext> = {},
): RunFigures {
  const { agg, counts } = countRun(survey, rows);
  return discloseRun(
    {
      runId: FIXTURE_RUN_ID,
      surveyId: survey.id,
      title: survey.title,
      open: false,
      closesAt: FIXTURE_CLOSES_AT,
      audience: 40,
      delivered: 40,
      kMin: 5,
      kText: 10,
      ...ctx,
    },
    counts,
    agg,
  );
}
