// Results come back to the staff, end to end over HTTP: the officer closes a run (after a question
// that says how many answers become final), writes what comes of it, and every member of the run's
// audience gets one card with participation, the clearest results and the statement — exactly the
// figures `ergebnisse` shows. A run closed by its date asks its officer by itself.
import { ManualClock } from '../../src/clock';
import { resultsJobId } from '../../src/surveys/jobs';
import { cardOf, cardText } from '../support/connector';
import { answerData, bankOf, TEST_SURVEY } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { installPersonal, makeUser, message, personalConversationId, type TeamsUser } from '../support/teams';

/** Every figure of a card by its element id. */
function figures(card: unknown): Map<string, string> {
  const out = new Map<string, string>();
  JSON.stringify(card, (_k, v: unknown) => {
    const e = v as { id?: unknown; text?: unknown } | null;
    if (e && typeof e === 'object' && typeof e.id === 'string' && typeof e.text === 'string')
      out.set(e.id, e.text);
    return v;
  });
  return out;
}

/** The figure of a text, after its label ("Mittelwert (1–5): 3,2" → 3.2). */
function numberIn(text: string | undefined): number {
  const t = text ?? '';
  const tail = t.includes(': ') ? t.slice(t.lastIndexOf(': ') + 2) : t;
  return Number(/[-+]?\d+(?:,\d+)?/.exec(tail)?.[0]?.replace(',', '.'));
}

describe('results back to the staff', () => {
  let h: Harness;
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const officer = makeUser('Petra Publik');
  const staff = Array.from({ length: 7 }, (_, i) => makeUser(`Mitarbeiterin ${i}`));
  const outsider = makeUser('Nicht Eingeladen');
  let runId: string;

  const messagesTo = (u: TeamsUser) => h.connector.messagesIn(personalConversationId(u));

  beforeAll(async () => {
    h = await startHarness({
      clock,
      questionBank: bankOf(TEST_SURVEY),
      env: { OFFICER_AAD_IDS: officer.aadObjectId },
    });
    for (const u of [officer, ...staff, outsider]) await h.send(installPersonal(u, h.serviceUrl));
    for (const u of staff)
      await h.invoke(u, 'settings.save', { language: 'de', district: 'altona', reminders: 'true' });
    await h.invoke(outsider, 'settings.save', { language: 'de', district: 'harburg', reminders: 'true' });
    const card = await h.invoke(officer, 'run.start', {
      surveyId: TEST_SURVEY.id,
      closesAt: '2026-12-07',
      districts: 'altona',
    });
    runId = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(cardText(card))![0];
    await h.app.background.idle();
    for (const [i, u] of staff.slice(0, 6).entries()) {
      await h.invoke(
        u,
        `survey.answer:${runId}`,
        answerData({ q_tools: String((i % 4) + 2), q_recommend: String(6 + i) }),
      );
    }
  });
  afterAll(() => h.stop());

  it('when the officer closes the run and writes what comes of it, then each of its audience gets one card with the same figures as `ergebnisse`', async () => {
    const asked = await h.invoke(officer, `run.close:${runId}`, { confirm: 'yes' });
    expect(cardText(asked)).toContain('Beendet: Testumfrage');
    expect(JSON.stringify(asked)).toContain('"id":"statement"');
    // An empty or marked-up statement is refused and nothing is sent.
    h.connector.clear();
    expect(cardText(await h.invoke(officer, `run.share:${runId}`, { statement: '  ' }))).toContain(
      'ein paar Sätze',
    );
    expect(cardText(await h.invoke(officer, `run.share:${runId}`, { statement: '<b>fett</b>' }))).toContain(
      'ohne HTML',
    );
    expect(h.connector.calls).toHaveLength(0);

    const sent = await h.invoke(officer, `run.share:${runId}`, {
      statement: 'Wir beschaffen bis März neue Notebooks für alle Teams.',
    });
    expect(cardText(sent)).toContain('an 7 Personen');
    await h.app.background.idle();
    for (const u of staff) {
      const cards = messagesTo(u)
        .map((c) => cardOf(c))
        .filter((c) => cardText(c).includes('Ergebnisse: Testumfrage'));
      expect(cards).toHaveLength(1);
      expect(cardText(cards[0])).toContain('Wir beschaffen bis März neue Notebooks');
    }
    expect(messagesTo(outsider)).toHaveLength(0);
    expect((await h.app.repositories.deliveries.counts(resultsJobId(runId))).sent).toBe(7);

    // The figures on the staff's card are those of `ergebnisse`.
    const back = figures(cardOf(messagesTo(staff[0]!).at(-1)));
    h.connector.clear();
    await h.send(message(officer, `ergebnisse ${runId}`, h.serviceUrl));
    const results = figures(cardOf(messagesTo(officer).at(-1)));
    const shared = [...back.keys()].filter((id) => results.has(id));
    expect(shared).toEqual(expect.arrayContaining(['p.respondents', 'q.recommend.nps']));
    for (const id of shared)
      expect({ id, value: numberIn(back.get(id)) }).toEqual({ id, value: numberIn(results.get(id)) });

    // Once per run: a second share is refused and sends nothing.
    h.connector.clear();
    expect(cardText(await h.invoke(officer, `run.share:${runId}`, { statement: 'Noch einmal' }))).toContain(
      'schon an alle',
    );
    await h.app.background.idle();
    expect(h.connector.calls).toHaveLength(0);
  });

  it('when a member of the audience types "umfrage" later, then the results come back to them; someone not invited gets none', async () => {
    h.connector.clear();
    await h.send(message(staff[6]!, 'umfrage', h.serviceUrl));
    const texts = messagesTo(staff[6]!).map((c) => cardText(cardOf(c)));
    expect(texts.some((t) => t.includes('Keine offenen Umfragen'))).toBe(true);
    expect(texts.some((t) => t.includes('Ergebnisse: Testumfrage'))).toBe(true);
    await h.send(message(outsider, 'umfrage', h.serviceUrl));
    expect(
      messagesTo(outsider)
        .map((c) => cardText(cardOf(c)))
        .some((t) => t.includes('Ergebnisse')),
    ).toBe(false);
  });

  it('when a run closes by its date, then its officer is asked for the statement once, after the answers were sealed', async () => {
    const card = await h.invoke(officer, 'run.start', {
      surveyId: TEST_SURVEY.id,
      closesAt: '2026-11-30',
      districts: 'altona',
    });
    const later = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(cardText(card))![0];
    await h.app.background.idle();
    for (const u of staff.slice(0, 5)) await h.invoke(u, `survey.answer:${later}`, answerData());
    clock.set('2026-12-01T09:00:00Z');
    h.connector.clear();
    await h.app.sealer.sealDue();
    const asks = messagesTo(officer).map((c) => cardText(cardOf(c)));
    expect(asks).toHaveLength(1);
    expect(asks[0]).toContain('Beendet: Testumfrage');
    h.connector.clear();
    await h.app.sealer.sealDue();
    expect(h.connector.calls).toHaveLength(0);
  });
});
