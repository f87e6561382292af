// The live question bank: built-in surveys win over published ones of the same id, the latest valid
// published version is offered, a refresh reads each version's definition once, and a refresh that
// storage does not answer gives up (keeping what is known) instead of holding a list or start.
import { surveySchema, type Survey } from '../../src/surveys/definition';
import { LiveQuestionBank, type PublishedSurveySource } from '../../src/surveys/question-bank';
import type { PublishedSurvey, PublishedSurveyInfo } from '../../src/storage/published-survey-repository';
import { bankOf, TEST_SURVEY } from '../support/fixtures';

const survey = (id: string, version: number, title = `${id} ${version}`): Survey =>
  surveySchema.parse({ ...TEST_SURVEY, id, version, title: { de: title, en: title } });

class FakeSource implements PublishedSurveySource {
  rows: PublishedSurvey[] = [];
  gets = 0;
  hang = false;
  add(definition: unknown, surveyId: string, version: number): void {
    this.rows.push({
      surveyId,
      version,
      definition,
      draftId: 'd',
      publishedAt: new Date(0),
      publishedBy: 'X',
    });
  }
  async list(): Promise<PublishedSurveyInfo[]> {
    if (this.hang) return new Promise(() => undefined);
    return this.rows.map(({ definition: _definition, ...info }) => info);
  }
  async get(surveyId: string, version: number): Promise<PublishedSurvey | undefined> {
    this.gets++;
    return this.rows.find((r) => r.surveyId === surveyId && r.version === version);
  }
}

describe('LiveQuestionBank', () => {
  it('when versions are published, then the latest valid one is offered after the built-in surveys, and each is read once', async () => {
    const source = new FakeSource();
    const bank = new LiveQuestionBank({ builtIn: bankOf(TEST_SURVEY), published: source });
    expect(bank.list().map((s) => s.id)).toEqual([TEST_SURVEY.id]);
    source.add(survey('neu', 1), 'neu', 1);
    source.add(survey('neu', 2), 'neu', 2);
    source.add({ id: 'neu', version: 3, broken: true }, 'neu', 3);
    source.add(survey(TEST_SURVEY.id, 1, 'Fälschung'), TEST_SURVEY.id, 1);
    await bank.refresh();
    expect(bank.list().map((s) => [s.id, s.version])).toEqual([
      [TEST_SURVEY.id, TEST_SURVEY.version],
      ['neu', 2],
    ]);
    expect(bank.get(TEST_SURVEY.id)?.title.de).toBe(TEST_SURVEY.title.de);
    expect(Object.isFrozen(bank.get('neu'))).toBe(true);
    const reads = source.gets;
    await bank.refresh();
    // Version 2 was read before; only the broken row is tried again.
    expect(source.gets - reads).toBe(1);
  });

  it('when storage does not answer, then refresh gives up and the surveys known so far stay', async () => {
    const source = new FakeSource();
    const bank = new LiveQuestionBank({ builtIn: bankOf(TEST_SURVEY), published: source, timeoutMs: 50 });
    source.add(survey('neu', 1), 'neu', 1);
    await bank.refresh();
    source.hang = true;
    await bank.refresh();
    expect(bank.get('neu')?.version).toBe(1);
  });
});
