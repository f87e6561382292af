// Storage freezes with answers in flight: Azurite runs in a child process of its own and is stopped
// with SIGSTOP for 15 s (it keeps its port and connections, and answers nothing, like a hung storage
// service). Every answer sent meanwhile must come back within the 8 s either as "Danke" (and
// then be stored) or as "Nicht gespeichert" with a button to send it again; /healthz must say 503
// within 2 s. After SIGCONT each answer is stored exactly once once its user pressed that button.
import { ManualClock } from '../../src/clock';
import { STORAGE_LIMITS } from '../../src/storage/tables';
import { cardText } from '../support/connector';
import { bankOf, answerData, TEST_SURVEY } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { startAzuriteProcess, type AzuriteProcess } from '../support/processes';
import { cardAction, installPersonal, makeUser, type TeamsUser } from '../support/teams';

/** The bounds, measured per request. */
const ANSWER_BOUND_MS = 8_000;
const HEALTH_BOUND_MS = 2_000;
const FREEZE_MS = 15_000;

const THANKS = 'Danke – Ihre Antwort ist gespeichert';
const NOT_SAVED = 'Nicht gespeichert – bitte gleich noch einmal';

interface Outcome {
  user: TeamsUser;
  ms: number;
  status: number;
  card: Record<string, unknown>;
}

describe('when storage freezes with answers in flight', () => {
  let azurite: AzuriteProcess;
  let h: Harness;
  const officer = makeUser('Frieda Frost');
  const staff = Array.from({ length: 14 }, (_, i) => makeUser(`Eis ${i}`));
  /** Each person's own answer, so that a stored row can be told apart from anyone else's. */
  const answerOf = (i: number) =>
    answerData({ q_tools: String((i % 5) + 1), q_comment: `Antwort Nummer ${i} (eingefroren)` });
  let runId: string;

  beforeAll(async () => {
    azurite = await startAzuriteProcess();
    h = await startHarness({
      // The production bounds: what this test is about.
      storageLimits: STORAGE_LIMITS,
      clock: new ManualClock('2026-11-23T09:00:00Z'),
      questionBank: bankOf(TEST_SURVEY),
      env: {
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        OFFICER_AAD_IDS: officer.aadObjectId,
        DIGEST_ENABLED: 'false',
      },
    });
    for (const user of [officer, ...staff]) {
      await h.send(installPersonal(user, h.serviceUrl));
      await h.invoke(user, 'settings.save', { language: 'de', district: 'altona', reminders: 'true' });
    }
    const started = cardText(
      await h.invoke(officer, 'run.start', {
        surveyId: TEST_SURVEY.id,
        closesAt: '2026-12-07',
        districts: 'altona',
      }),
    );
    runId = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(started)![0];
    await h.app.background.idle();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    await azurite?.stop();
  });

  const answer = async (i: number): Promise<Outcome> => {
    const user = staff[i]!;
    const started = performance.now();
    const res = await h.send(cardAction(user, `survey.answer:${runId}`, answerOf(i), h.serviceUrl));
    const card = (res.body as { value?: Record<string, unknown> } | undefined)?.value ?? {};
    return { user, ms: performance.now() - started, status: res.status, card };
  };

  const health = async () => {
    const started = performance.now();
    const res = await fetch(`${h.botUrl}/healthz`);
    return { status: res.status, ms: performance.now() - started };
  };

  const storedAnswerOf = async (user: TeamsUser) => {
    const pseudonym = await h.app.pseudonyms.of('run', runId, user.aadObjectId);
    return (await h.app.repositories.responses.get(runId, pseudonym!))?.answers;
  };

  it('then every answer is "Danke" or "Nicht gespeichert" within 8 s, /healthz is 503 within 2 s, and after SIGCONT each is stored exactly once', async () => {
    // Two answers before the freeze, as a baseline.
    const before = await Promise.all([0, 1].map(answer));
    for (const o of before) expect(cardText(o.card)).toContain(THANKS);

    // Answers in flight as storage stops, and more while it is stopped.
    const inFlight = [2, 3, 4, 5, 6].map(answer);
    azurite.freeze();
    const frozenAt = performance.now();
    let outcomes: Outcome[];
    const healthDuring: { status: number; ms: number }[] = [];
    try {
      await new Promise((r) => setTimeout(r, 1_000));
      const during = [7, 8, 9].map(answer);
      healthDuring.push(await health());
      await new Promise((r) => setTimeout(r, 4_000));
      const later = [10, 11, 12, 13].map(answer);
      healthDuring.push(await health());
      outcomes = await Promise.all([...inFlight, ...during, ...later]);
      const left = FREEZE_MS - (performance.now() - frozenAt);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    } finally {
      azurite.thaw();
    }

    for (const o of healthDuring) {
      expect(o.status).toBe(503);
      expect(o.ms).toBeLessThan(HEALTH_BOUND_MS);
    }
    const thanked = outcomes.filter((o) => cardText(o.card).includes(THANKS));
    const toldToRetry = outcomes.filter((o) => cardText(o.card).includes(NOT_SAVED));
    for (const o of outcomes) {
      expect(o.status).toBe(200);
      expect(o.ms).toBeLessThan(ANSWER_BOUND_MS);
      // Never anything else: no generic error, no false "Danke".
      expect(thanked.includes(o) !== toldToRetry.includes(o)).toBe(true);
    }
    // The answers sent while storage was stopped cannot have been confirmed.
    expect(toldToRetry.length).toBeGreaterThanOrEqual(7);

    // Storage is back: /healthz says so again.
    let healthy = await health();
    for (let i = 0; healthy.status !== 200 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      healthy = await health();
    }
    expect(healthy.status).toBe(200);

    // Whoever was thanked is stored with exactly their answer.
    for (const o of [...before, ...thanked]) {
      const i = staff.indexOf(o.user);
      expect(await storedAnswerOf(o.user)).toMatchObject({
        tools: (i % 5) + 1,
        comment: answerOf(i).q_comment,
      });
    }

    // Whoever was told to try again presses the card's button, which sends the same answer again.
    for (const o of toldToRetry) {
      const button = (o.card.actions as { verb: string; data: Record<string, unknown> }[])[0]!;
      expect(button.verb).toBe(`survey.answer:${runId}`);
      const again = await h.send(cardAction(o.user, button.verb, button.data, h.serviceUrl));
      expect(cardText((again.body as { value: unknown }).value)).toContain(THANKS);
    }

    // Exactly one row per person, each holding that person's answer.
    expect(await h.app.repositories.responses.count(runId)).toBe(staff.length);
    for (const [i, user] of staff.entries()) {
      expect(await storedAnswerOf(user)).toMatchObject({
        tools: (i % 5) + 1,
        comment: answerOf(i).q_comment,
      });
    }
  }, 90_000);
});
