// A small question bank with every item type, so tests do not depend on the shipped surveys' wording.
import type { Survey } from '../../src/surveys/definition';
import { surveySchema } from '../../src/surveys/definition';
import type { QuestionBank } from '../../src/surveys/question-bank';

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
