import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Survey } from '../../src/surveys/definition';
import { QuestionBankError, defaultSurveysDir, loadQuestionBank } from '../../src/surveys/question-bank';
import { FIELDS_OF_ACTION } from '../../src/domain/vocabulary';

/** Every { de, en } pair in a survey, with where it sits. */
function localisedTexts(value: unknown, where = ''): { where: string; text: Record<string, unknown> }[] {
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  if ('de' in record || 'en' in record) return [{ where, text: record }];
  return Object.entries(record).flatMap(([key, child]) => localisedTexts(child, `${where}.${key}`));
}

describe('the shipped question bank', () => {
  const bank = loadQuestionBank(defaultSurveysDir());
  const surveys = bank.list();

  it('when the surveys folder is loaded, then it holds at least the three strategy surveys', () => {
    expect(surveys.length).toBeGreaterThanOrEqual(3);
    for (const id of ['digitale-kompetenzen', 'digitales-arbeiten', 'kulturwandel']) {
      expect(bank.get(id)?.id).toBe(id);
    }
    expect(bank.get('digitales-arbeiten')?.title.de).toBe('Digitales Arbeiten & Innovation');
    expect(bank.get('no-such-survey')).toBeUndefined();
  });

  it.each(surveys.map((s) => [s.id, s] as const))(
    'when survey %s is shown, then it has 5–8 questions and takes at most two minutes',
    (_id, survey: Survey) => {
      expect(survey.questions.length).toBeGreaterThanOrEqual(5);
      expect(survey.questions.length).toBeLessThanOrEqual(8);
      expect(survey.minutes).toBeLessThanOrEqual(2);
    },
  );

  it.each(surveys.map((s) => [s.id, s] as const))(
    'when survey %s is shown, then exactly one question is optional free text of at most 500 characters',
    (_id, survey: Survey) => {
      const texts = survey.questions.filter((q) => q.type === 'text');
      expect(texts).toHaveLength(1);
      expect(texts[0]).toMatchObject({ required: false, maxLength: 500 });
      const optional = survey.questions.filter((q) => !q.required);
      expect(optional).toEqual(texts);
    },
  );

  it.each(surveys.map((s) => [s.id, s] as const))(
    'when survey %s is shown, then every text has a German and an English version',
    (_id, survey: Survey) => {
      const texts = localisedTexts(survey);
      // title, intro and each question's text at least
      expect(texts.length).toBeGreaterThanOrEqual(2 + survey.questions.length);
      for (const { where, text } of texts) {
        expect({ where, de: typeof text.de, en: typeof text.en }).toEqual({
          where,
          de: 'string',
          en: 'string',
        });
        expect({ where, de: String(text.de).trim() !== '', en: String(text.en).trim() !== '' }).toEqual({
          where,
          de: true,
          en: true,
        });
      }
    },
  );

  it.each(surveys.map((s) => [s.id, s] as const))(
    'when survey %s is shown, then every agreement scale offers "no answer" and every question measures a field of action',
    (_id, survey: Survey) => {
      for (const q of survey.questions) {
        if (q.type === 'likert5')
          expect({ id: q.id, allowNoAnswer: q.allowNoAnswer }).toEqual({ id: q.id, allowNoAnswer: true });
        expect(FIELDS_OF_ACTION.slice(0, 6)).toContain(q.field);
      }
    },
  );

  it('when the whole bank is looked at, then it mixes question types', () => {
    const types = new Set(surveys.flatMap((s) => s.questions.map((q) => q.type)));
    expect(types.has('likert5')).toBe(true);
    expect(types.has('nps')).toBe(true);
    expect(types.has('single') || types.has('multi')).toBe(true);
  });

  it('when a survey is handed out, then it cannot be changed by the caller', () => {
    const survey = surveys[0]!;
    expect(Object.isFrozen(surveys)).toBe(true);
    expect(Object.isFrozen(survey)).toBe(true);
    expect(Object.isFrozen(survey.questions[0]!.text)).toBe(true);
  });
});

describe('loading broken survey files', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'puls-question-bank-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const scale = {
    low: { de: 'trifft gar nicht zu', en: 'strongly disagree' },
    high: { de: 'trifft voll zu', en: 'strongly agree' },
  };

  /** A valid survey as plain JSON, for the tests to break. */
  function survey(id: string): Record<string, unknown> & { questions: Record<string, unknown>[] } {
    return {
      id,
      version: 1,
      title: { de: 'Titel', en: 'Title' },
      intro: { de: 'Einleitung', en: 'Introduction' },
      minutes: 2,
      questions: [
        {
          id: 'tools_confident',
          type: 'likert5',
          field: 'digitale-kompetenzen',
          text: { de: 'Ich bin sicher.', en: 'I am confident.' },
          labels: scale,
          allowNoAnswer: true,
        },
        {
          id: 'error_culture',
          type: 'likert5',
          field: 'rollen-organisation',
          text: { de: 'Fehler sind erlaubt.', en: 'Mistakes are allowed.' },
          labels: scale,
        },
        {
          id: 'learning_formats',
          type: 'multi',
          field: 'digitale-kompetenzen',
          text: { de: 'Wie lernen Sie?', en: 'How do you learn?' },
          choices: [
            { id: 'video', label: { de: 'Video', en: 'Video' } },
            { id: 'classroom', label: { de: 'Schulung', en: 'Classroom' } },
          ],
          min: 1,
          max: 2,
        },
        {
          id: 'comment',
          type: 'text',
          field: 'sonstiges',
          text: { de: 'Sonst noch etwas?', en: 'Anything else?' },
          required: false,
          maxLength: 500,
        },
      ],
    };
  }

  function write(name: string, content: unknown): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  }

  /**
   * Loads the folder, expects a one-line QuestionBankError that starts with the file's path (relative to
   * the working directory or absolute) and returns the rest of the line.
   */
  function problemWith(name: string): string {
    let error: unknown;
    try {
      loadQuestionBank(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QuestionBankError);
    const message = (error as Error).message;
    expect(message).not.toMatch(/[\r\n]/);
    const end = message.indexOf(`${name}: `);
    expect(end).toBeGreaterThanOrEqual(0);
    expect(path.resolve(message.slice(0, end + name.length))).toBe(path.join(dir, name));
    return message.slice(end + name.length + 2);
  }

  it('when the folder holds valid surveys and other files, then only the *.json surveys load, in file-name order', () => {
    write('zeta.json', survey('zeta'));
    write('alpha.json', survey('alpha'));
    write('README.md', '# not a survey');
    write('.draft.json', '{ not yet');
    const bank = loadQuestionBank(dir);
    expect(bank.list().map((s) => s.id)).toEqual(['alpha', 'zeta']);
    expect(bank.get('zeta')?.questions).toHaveLength(4);
    // defaults from the schema are applied
    expect(bank.get('alpha')?.questions[1]).toMatchObject({ required: true, allowNoAnswer: false });
  });

  it('when a file is not valid JSON, then the error names the file and where the JSON breaks', () => {
    write('kaputt.json', '{\n  "id": "kaputt",\n  "version": 1,\n}\n');
    expect(problemWith('kaputt.json')).toMatch(/^invalid JSON: .+ \(?line 4,? column 1\)?$/);
  });

  it('when a question lacks its English text, then the error names the question and text.en', () => {
    const broken = survey('kulturwandel');
    broken.questions[1]!.text = { de: 'Fehler sind erlaubt.' };
    write('kulturwandel.json', broken);
    expect(problemWith('kulturwandel.json')).toBe(
      'question 2 ("error_culture"), field text.en: Invalid input: expected string, received undefined',
    );
  });

  it('when an English text is blank, then the error says it is too short', () => {
    const broken = survey('kulturwandel');
    broken.questions[1]!.text = { de: 'Fehler sind erlaubt.', en: '  ' };
    write('kulturwandel.json', broken);
    expect(problemWith('kulturwandel.json')).toBe(
      'question 2 ("error_culture"), field text.en: Too small: expected string to have >=1 characters',
    );
  });

  it('when a choice label lacks its English text, then the error points into the choice', () => {
    const broken = survey('kompetenzen');
    (broken.questions[2]!.choices as { label: object }[])[1]!.label = { de: 'Schulung' };
    write('kompetenzen.json', broken);
    expect(problemWith('kompetenzen.json')).toBe(
      'question 3 ("learning_formats"), field choices[1].label.en: Invalid input: expected string, received undefined',
    );
  });

  it('when a question has an unknown type, then the error names the question, the type field and the value', () => {
    const broken = survey('kompetenzen');
    broken.questions[0]!.type = 'likert7';
    write('kompetenzen.json', broken);
    expect(problemWith('kompetenzen.json')).toBe(
      'question 1 ("tools_confident"), field type: ' +
        "Invalid discriminator value. Expected 'likert5' | 'single' | 'multi' | 'text' | 'nps' (got \"likert7\")",
    );
  });

  it('when a question id is used twice, then the error names the second question and its id', () => {
    const broken = survey('kompetenzen');
    broken.questions[1]!.id = 'tools_confident';
    write('kompetenzen.json', broken);
    expect(problemWith('kompetenzen.json')).toBe(
      'question 2 ("tools_confident"), field id: duplicate question id "tools_confident"',
    );
  });

  it('when a question has no id, then the error names the question by number only', () => {
    const broken = survey('kompetenzen');
    delete broken.questions[3]!.id;
    write('kompetenzen.json', broken);
    expect(problemWith('kompetenzen.json')).toBe(
      'question 4, field id: Invalid input: expected string, received undefined',
    );
  });

  it('when a question has an unknown property, then the error names the question and the property', () => {
    const broken = survey('kompetenzen');
    broken.questions[0]!.colour = 'blue';
    write('kompetenzen.json', broken);
    expect(problemWith('kompetenzen.json')).toBe(
      'question 1 ("tools_confident"), field colour: Unrecognized key: "colour"',
    );
  });

  it('when the survey itself has an unknown property, then the error names the property without a question', () => {
    write('kompetenzen.json', { ...survey('kompetenzen'), author: 'someone' });
    expect(problemWith('kompetenzen.json')).toBe('field author: Unrecognized key: "author"');
  });

  it('when a file has several problems, then the line shows the first and counts the rest', () => {
    const broken = survey('kompetenzen');
    broken.questions[0]!.field = 'kultur';
    broken.title = { de: 'Titel', en: '' };
    write('kompetenzen.json', broken);
    expect(problemWith('kompetenzen.json')).toBe(
      'field title.en: Too small: expected string to have >=1 characters (and 1 more problem)',
    );
  });

  it('when the file name differs from the survey id, then the error names the file and both names', () => {
    write('kultur.json', survey('kulturwandel'));
    expect(problemWith('kultur.json')).toBe(
      'field id: survey id "kulturwandel" differs from the file name (expected "kultur")',
    );
  });

  it('when two files declare the same survey id, then the error names both files', () => {
    write('kulturwandel.json', survey('kulturwandel'));
    write('lernen.json', survey('kulturwandel'));
    const rest = problemWith('lernen.json');
    expect(rest).toMatch(/^field id: survey id "kulturwandel" is already used by .*kulturwandel\.json$/);
  });

  it('when the folder holds no survey files, then loading fails with the folder name', () => {
    write('notes.txt', 'nothing here');
    expect(() => loadQuestionBank(dir)).toThrow(
      new QuestionBankError(`${dir}: no survey files (*.json) found`),
    );
  });

  it('when the folder does not exist, then loading fails with a QuestionBankError', () => {
    const missing = path.join(dir, 'missing');
    expect(() => loadQuestionBank(missing)).toThrow(QuestionBankError);
    expect(() => loadQuestionBank(missing)).toThrow(/missing: cannot read the surveys folder: ENOENT/);
  });
});
