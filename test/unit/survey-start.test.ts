// Starting a run, at the edges of #15.4 and #15.5, in milliseconds with plain fakes: the run id's
// date stamp and the closing-date picker follow Hamburg's calendar (after 23:00 in winter, 22:00 in
// summer, UTC is still on the day before), and an invalid district list is answered with the
// district message, not the closing-date one.
import { surveyActions, type SurveyHandlerDependencies } from '../../bot/surveys';
import type { Turn } from '../../bot/turn';
import { ManualClock } from '../../src/clock';
import { defaultSurveysDir, loadQuestionBank } from '../../src/surveys/question-bank';
import { newRunId, SurveyService, type SurveyServiceOptions } from '../../src/surveys/survey-service';
import { cardText } from '../support/connector';

describe('newRunId', () => {
  it.each([
    ['00:30 in Hamburg in winter (23:30 UTC the day before)', '2026-11-23T23:30:00Z', '2411'],
    ['00:30 in Hamburg in summer (22:30 UTC the day before)', '2026-07-01T22:30:00Z', '0207'],
    ['22:59 in Hamburg on New Year’s Eve', '2026-12-31T21:59:00Z', '3112'],
  ])('when a run starts at %s, then its id carries the Hamburg date', (_, at, stamp) => {
    expect(newRunId('kulturwandel', new Date(at))).toMatch(new RegExp(`^kulturwandel-${stamp}-[a-z0-9]+$`));
  });
});

describe('run.start', () => {
  // 00:30 on Tuesday 24 November in Hamburg; still Monday the 23rd in UTC.
  const clock = new ManualClock('2026-11-23T23:30:00Z');
  const bank = loadQuestionBank(defaultSurveysDir());
  const surveys = new SurveyService({ bank, clock } as unknown as SurveyServiceOptions);
  const start = surveyActions({
    surveys,
    clock,
    privacy: { kMin: 5 },
  } as unknown as SurveyHandlerDependencies).find((a) => a.verb === 'run.start')!;
  const turn = {
    context: { activity: {} },
    userId: 'officer-1',
    user: undefined,
    locale: 'de',
    isOfficer: true,
    scope: 'personal',
  } as unknown as Turn;
  const surveyId = bank.list()[0]!.id;
  const picker = (card: unknown) =>
    /"type":"Input\.Date"[^}]*"min":"([^"]+)","max":"([^"]+)","value":"([^"]*)"/
      .exec(JSON.stringify(card))
      ?.slice(1);

  it('when the district list holds an unknown district, then the card says so and not that the date is wrong', async () => {
    const card = await start.handle(
      turn,
      { surveyId, closesAt: '2026-12-01', districts: 'altona,atlantis' },
      undefined,
    );
    expect(cardText(card)).toContain('Bitte wählen Sie nur Bereiche aus der Liste.');
    expect(cardText(card)).not.toContain('Bitte wählen Sie ein Datum in der Zukunft');
  });

  it('when the start card is drawn again after midnight in Hamburg, then its date picker counts from Hamburg’s today', async () => {
    const card = await start.handle(turn, { surveyId, closesAt: '', districts: '' }, undefined);
    expect(cardText(card)).toContain('Bitte wählen Sie ein Datum in der Zukunft');
    // Tomorrow in Hamburg is the 25th; the latest close 89 days on; the default two weeks on.
    expect(picker(card)).toEqual(['2026-11-25', '2027-02-21', '2026-12-08']);
  });
});
