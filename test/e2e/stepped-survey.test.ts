// The stepped survey card end to end over HTTP, with the three surveys shipped in surveys/: each is
// answered from the card Teams delivered, one question per step, by pressing what the card offers
// the way Teams does (the action's data merged with the card's inputs). Going back, resuming a
// half-finished card after the bot restarted (a new instance on the same tables), and a double
// click on "Antwort senden". Nothing is written to storage until that last press, and then exactly
// one response.
import { ManualClock } from '../../src/clock';
import { defaultSurveysDir, loadQuestionBank } from '../../src/surveys/question-bank';
import type { Question, Survey } from '../../src/surveys/definition';
import { cardOf, cardText } from '../support/connector';
import { startHarness, type Harness } from '../support/harness';
import { uniquePrefix } from '../support/storage';
import { contentOf, dumpTables } from '../support/tables';
import {
  cardSubmit,
  installPersonal,
  makeUser,
  message,
  personalConversationId,
  type TeamsUser,
} from '../support/teams';

type Card = Record<string, unknown>;

/** A pressable thing on a card: a button (card actions, ActionSet) or a selectAction. */
interface Pressable {
  title: string;
  verb: string;
  data: Record<string, unknown>;
  associatedInputs?: string;
}

/** Every Action.Execute on a card, in reading order. */
function pressables(card: Card): Pressable[] {
  const out: Pressable[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute') {
        out.push({
          title: String(o.title ?? ''),
          verb: String(o.verb),
          data: (o.data ?? {}) as Record<string, unknown>,
          associatedInputs: o.associatedInputs as string | undefined,
        });
        return;
      }
      for (const [key, value] of Object.entries(o)) if (key !== 'fallback') walk(value);
    }
  };
  walk(card.body);
  walk(card.actions);
  return out;
}

/** The inputs of a card with their current (pre-filled) values. */
function inputs(card: Card): Record<string, string> {
  const out: Record<string, string> = {};
  JSON.stringify(card, (_key, value: unknown) => {
    const o = value as { type?: unknown; id?: unknown; value?: unknown } | null;
    if (o && typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string')
      out[o.id] = typeof o.value === 'string' ? o.value : '';
    return value;
  });
  return out;
}

function findPressable(card: Card, title: string | RegExp): Pressable {
  const all = pressables(card);
  const found = all.find((p) => (typeof title === 'string' ? p.title === title : title.test(p.title)));
  if (!found) {
    throw new Error(`no "${String(title)}" on the card; it offers: ${all.map((p) => p.title).join(' | ')}`);
  }
  return found;
}

/** What Teams sends when a user presses `title`: the action's data plus the inputs' values (empty ones left out). */
function pressData(card: Card, title: string | RegExp, entered: Record<string, string> = {}) {
  const action = findPressable(card, title);
  const data: Record<string, unknown> = { ...action.data };
  if (action.associatedInputs !== 'none') {
    for (const [id, value] of Object.entries({ ...inputs(card), ...entered })) {
      if (value !== '') data[id] = value;
    }
  }
  const { verb: _verb, ...rest } = data;
  return { verb: action.verb, data: rest };
}

/** The answer a test gives to each question, and how it is given on the card. */
function plannedAnswer(
  q: Question,
  variant: number,
): { press: RegExp | string; entered?: Record<string, string>; stored: unknown } {
  switch (q.type) {
    case 'likert5': {
      const v = (variant % 5) + 1;
      return { press: new RegExp(`^${v} von 5\\b`), stored: v };
    }
    case 'nps': {
      const v = 10 - (variant % 11);
      return { press: new RegExp(`^${v} von 10\\b`), stored: v };
    }
    case 'single': {
      const c = q.choices[variant % q.choices.length]!;
      return { press: c.label.de, stored: c.id };
    }
    case 'multi': {
      const picked = q.choices.slice(0, Math.max(1, Math.min(q.max ?? 2, 2))).map((c) => c.id);
      return { press: 'Weiter', entered: { [`q_${q.id}`]: picked.join(',') }, stored: picked };
    }
    case 'text':
      return {
        press: 'Weiter',
        entered: { [`q_${q.id}`]: `Mehr Zeit zum Lernen (${variant})` },
        stored: `Mehr Zeit zum Lernen (${variant})`,
      };
  }
}

describe('the stepped survey card over HTTP, with every survey in surveys/', () => {
  const bank = loadQuestionBank(defaultSurveysDir());
  const surveys = bank.list();
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const prefix = uniquePrefix();
  const officer = makeUser('Dana Digital');
  const staff = [makeUser('Anna A'), makeUser('Ben B'), makeUser('Cem C'), makeUser('Dora D')];
  const english = makeUser('Erin E', 'en-GB');
  let h: Harness;
  const runs: Record<string, string> = {};

  const start = () =>
    startHarness({ clock, env: { OFFICER_AAD_IDS: officer.aadObjectId, TABLE_PREFIX: prefix } });
  const press = async (
    user: TeamsUser,
    card: Card,
    title: string | RegExp,
    entered?: Record<string, string>,
  ) => {
    const { verb, data } = pressData(card, title, entered);
    return h.invoke(user, verb, data);
  };
  const everything = async () => contentOf(await dumpTables(h.app.store));
  /** The survey cards Teams showed each user, as delivered when the runs started (user|run → card). */
  const delivered = new Map<string, Card>();
  const deliveredCard = (user: TeamsUser, runId: string) => {
    const card = delivered.get(`${user.aadObjectId}|${runId}`);
    if (!card) throw new Error(`no card of ${runId} was delivered to ${user.name}`);
    return card;
  };
  async function storedAnswers(runId: string): Promise<Record<string, unknown>[]> {
    const rows = (await dumpTables(h.app.store)).filter(
      (r) => r.table === 'responses' && r.partitionKey.startsWith(runId),
    );
    return rows.map((r) => JSON.parse(String(r.columns.answers)) as Record<string, unknown>);
  }

  beforeAll(async () => {
    h = await start();
    for (const u of [officer, ...staff, english]) {
      await h.send(installPersonal(u, h.serviceUrl));
      await h.invoke(u, 'settings.save', {
        language: u.locale?.startsWith('en') ? 'en' : 'de',
        district: 'altona',
        reminders: 'true',
      });
    }
    for (const survey of surveys) {
      const started = await h.invoke(officer, 'run.start', { surveyId: survey.id, closesAt: '2026-12-07' });
      const runId = new RegExp(`${survey.id}-\\d{4}-[a-z0-9]{4}`).exec(cardText(started))?.[0];
      expect(runId).toBeDefined();
      runs[survey.id] = runId!;
    }
    await h.app.background.idle();
    for (const u of [...staff, english]) {
      for (const call of h.connector.messagesIn(personalConversationId(u))) {
        const runId = /survey\.step:([a-z0-9-]+)/.exec(JSON.stringify(call.activity))?.[1];
        if (runId) delivered.set(`${u.aadObjectId}|${runId}`, cardOf(call));
      }
    }
  });
  afterAll(() => h.stop());

  it('when the survey files are loaded, then there are the three surveys this test drives', () => {
    expect(surveys.map((s) => s.id).sort()).toEqual([
      'digitale-kompetenzen',
      'digitales-arbeiten',
      'kulturwandel',
    ]);
  });

  it('when a reminder or "umfrage" brings the card, then it starts at step 1 (before the bot restarts: reminders go to the connector it was installed with)', async () => {
    h.connector.clear();
    await h.send(message(staff[3]!, 'umfrage', h.serviceUrl));
    const cards = h.connector.messagesIn(personalConversationId(staff[3]!)).map((c) => cardOf(c));
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(cardText(card)).toMatch(/Frage 1 von \d/);
    clock.set('2026-12-01T09:00:00Z'); // past half time
    h.connector.clear();
    await h.app.reminders.sendDue();
    const reminded = h.connector.messagesIn(personalConversationId(staff[3]!)).map((c) => cardOf(c));
    expect(reminded.length).toBeGreaterThan(0);
    for (const card of reminded) {
      expect(cardText(card)).toContain('Erinnerung');
      expect(cardText(card)).toMatch(/Frage 1 von \d/);
    }
    clock.set('2026-11-23T09:00:00Z');
  });

  it.each([0, 1, 2])(
    'when survey %i is answered step by step (back once, the bot restarted half-way, a double click at the end), then nothing is stored until the end and then exactly one response with every answer',
    async (index) => {
      const survey: Survey = surveys[index]!;
      const runId = runs[survey.id]!;
      const user = staff[index]!;
      const n = survey.questions.length;
      let card = deliveredCard(user, runId);
      expect(cardText(card)).toContain(`Frage 1 von ${n}`);
      const expected: Record<string, unknown> = {};
      const before = await everything();

      for (let i = 0; i < n; i++) {
        const q = survey.questions[i]!;
        expect(cardText(card)).toContain(`Frage ${i + 1} von ${n}`);
        const plan = plannedAnswer(q, i + index);
        card = await press(user, card, plan.press, plan.entered);
        expected[q.id] = plan.stored;

        if (i === 1) {
          // Back to question 2: the answer given is marked, in words as well as by colour.
          card = await press(user, card, 'Zurück');
          expect(cardText(card)).toContain(`Frage 2 von ${n}`);
          expect(JSON.stringify(card)).toMatch(/\((gewählt)\)/);
          card = await press(user, card, 'Weiter');
          expect(cardText(card)).toContain(`Frage 3 von ${n}`);
        }
        if (i === Math.floor(n / 2)) {
          // The bot restarts: a new instance on the same tables takes the card the user still holds.
          await h.stop();
          h = await start();
        }
        // Nothing partial is ever stored: no table changed while stepping through.
        expect(await everything()).toBe(before);
      }

      // The last step: the summary to confirm, with every answer in words.
      const summary = cardText(card);
      expect(summary).toContain('Bitte prüfen Sie Ihre Antworten');
      for (const q of survey.questions) expect(summary).toContain(q.text.de.slice(0, 40));
      expect(await storedAnswers(runId)).toEqual([]);

      // A double click on "Antwort senden": both presses answer, one response is stored.
      const confirm = pressData(card, 'Antwort senden');
      const [first, second] = await Promise.all([
        h.invoke(user, confirm.verb, confirm.data),
        h.invoke(user, confirm.verb, confirm.data),
      ]);
      expect(cardText(first)).toContain('Danke – Ihre Antwort ist gespeichert');
      expect(cardText(second)).toContain('Danke – Ihre Antwort ist gespeichert');
      expect(await storedAnswers(runId)).toEqual([expected]);
    },
  );

  it('when "Antwort ändern" is pressed, then the saved answers come back to change one, and only "Antwort senden" replaces the response', async () => {
    const survey = surveys[0]!;
    const runId = runs[survey.id]!;
    const user = staff[0]!;
    const [stored] = await storedAnswers(runId);
    const saved = await h.invoke(user, `survey.edit:${runId}`, {});
    expect(cardText(saved)).toContain('Ihre gespeicherte Antwort');
    // Change question 2 from the summary; answering it returns to the summary.
    let card = await press(user, saved, 'Antwort auf Frage 2 ändern');
    expect(cardText(card)).toContain(`Frage 2 von ${survey.questions.length}`);
    expect(cardText(card)).toContain('Zurück zur Übersicht');
    const q2 = survey.questions[1]!;
    card = await press(user, card, /^1 von 5\b/);
    expect(cardText(card)).toContain('Bitte prüfen Sie Ihre Antworten');
    expect(cardText(card)).toContain('1 von 5 – trifft gar nicht zu');
    expect(await storedAnswers(runId)).toEqual([stored]);
    const confirm = pressData(card, 'Antwort senden');
    await h.invoke(user, confirm.verb, confirm.data);
    expect(await storedAnswers(runId)).toEqual([{ ...stored, [q2.id]: 1 }]);
  });

  it('when a step is pressed through the Action.Submit fallback, then the card is replaced in place with the next step', async () => {
    const survey = surveys[1]!;
    const runId = runs[survey.id]!;
    const user = staff[3]!;
    const card = deliveredCard(user, runId);
    const { data } = pressData(card, /^4 von 5\b/);
    h.connector.clear();
    await h.send(cardSubmit(user, { verb: `survey.step:${runId}`, ...data }, h.serviceUrl, 'card-1'));
    const updates = h.connector.calls.filter((c) => c.kind === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.activityId).toBe('card-1');
    expect(cardText(cardOf(updates[0]))).toContain(`Frage 2 von ${survey.questions.length}`);
  });

  it('when an English user answers, then the steps speak English', async () => {
    const survey = surveys[2]!;
    const runId = runs[survey.id]!;
    let card = deliveredCard(english, runId);
    expect(cardText(card)).toContain(`Question 1 of ${survey.questions.length}`);
    card = await press(english, card, /^3 of 5\b/);
    expect(cardText(card)).toContain(`Question 2 of ${survey.questions.length}`);
    expect(cardText(card)).toContain('Back');
  });

  describe('a step that is not right', () => {
    const user = staff[1]!;
    // The card at the multiple-choice step (question 6), reached by pressing through the five likert steps.
    async function atMulti(): Promise<Card> {
      let card = deliveredCard(user, runs['digitale-kompetenzen']!);
      for (let i = 0; i < 5; i++) card = await press(user, card, /^3 von 5\b/);
      expect(cardText(card)).toContain('Frage 6 von 8');
      return card;
    }

    it('when too many choices are sent or none, then the same step comes back with the reason and the entry, and nothing is stored', async () => {
      const before = await everything();
      const card = await atMulti();
      const tooMany = await press(user, card, 'Weiter', {
        q_learning_formats: 'elearning,classroom,peers,guides',
      });
      expect(cardText(tooMany)).toContain('Frage 6 von 8');
      expect(cardText(tooMany)).toContain('höchstens 3');
      expect(JSON.stringify(tooMany)).toMatch(
        /"id":"q_learning_formats"[^}]*"value":"elearning,classroom,peers,guides"/,
      );
      const none = await press(user, card, 'Weiter');
      expect(cardText(none)).toContain('Bitte beantworten Sie diese Frage');
      // Back keeps the answers so far and needs no choice here.
      const back = await press(user, card, 'Zurück');
      expect(cardText(back)).toContain('Frage 5 von 8');
      expect(await everything()).toBe(before);
    });

    it('when a required choice is skipped by a crafted "Weiter" or a jump to the summary, then the missing question comes back', async () => {
      const card = deliveredCard(user, runs['digitale-kompetenzen']!);
      const runId = runs['digitale-kompetenzen']!;
      const skip = await h.invoke(user, `survey.step:${runId}`, { at: 0, to: 1, answers: {} });
      expect(cardText(skip)).toContain('Frage 1 von 8');
      expect(cardText(skip)).toContain('Bitte beantworten Sie diese Frage');
      const jump = await h.invoke(user, `survey.step:${runId}`, {
        at: 0,
        to: 8,
        answers: {},
        q_tools_confident: '4',
      });
      expect(cardText(jump)).toContain('Frage 2 von 8');
      expect(cardText(card)).toContain('Frage 1 von 8');
    });

    const tampered: [string, Record<string, unknown>][] = [
      ['an unknown question in the answers', { at: 1, to: 2, answers: { salary: '5' } }],
      ['an answer out of range', { at: 1, to: 2, answers: { tools_confident: '7' } }],
      ['an answer that is not a string', { at: 1, to: 2, answers: { tools_confident: 4 } }],
      ['an object as an answer', { at: 1, to: 2, answers: { tools_confident: { $ne: 1 } } }],
      ['answers that are a string', { at: 1, to: 2, answers: 'tools_confident=4' }],
      ['answers that are a list', { at: 1, to: 2, answers: ['4'] }],
      ['a choice that does not exist', { at: 6, to: 7, answers: { learning_formats: 'beach' } }],
      [
        'markup in a carried text',
        { at: 7, to: 8, answers: { skills_wish: '<img src=x onerror=alert(1)>' } },
      ],
      ['a text longer than allowed', { at: 7, to: 8, answers: { skills_wish: 'x'.repeat(501) } }],
      ['a step out of range', { at: 9, to: 2, answers: {} }],
      ['a step that is not a number', { at: 'eins', to: 2, answers: {} }],
      ['an unknown field', { at: 1, to: 2, answers: {}, userId: 'someone-else' }],
      ["another question's input", { at: 1, to: 2, answers: {}, q_tools_confident: '2' }],
      ['a review flag that is not a flag', { at: 1, to: 2, answers: {}, review: 'ja' }],
    ];
    it.each(tampered)(
      'when the card carries %s, then it is refused with a clear card and nothing is stored',
      async (_name, data) => {
        const before = await everything();
        const card = await h.invoke(user, `survey.step:${runs['digitale-kompetenzen']!}`, data);
        expect(cardText(card)).toContain('nicht zu dieser Umfrage passen');
        expect(cardText(card)).toContain('Frage 1 von 8');
        expect(JSON.stringify(card)).not.toContain('"answers":{"');
        expect(await everything()).toBe(before);
      },
    );
  });

  it('when the run has ended, then "Antwort ändern" says so, that the saved answer stands, and shows it; a half-finished card gets the closed card', async () => {
    const runId = runs[surveys[0]!.id]!;
    const survey = surveys[0]!;
    const user = staff[0]!;
    const thanks = await h.invoke(
      user,
      `survey.answer:${runId}`,
      pressData(await h.invoke(user, `survey.edit:${runId}`, {}), 'Antwort senden').data,
    );
    const halfway = await press(staff[2]!, deliveredCard(staff[2]!, runId), /^2 von 5\b/);
    await h.invoke(officer, `run.close:${runId}`, { confirm: 'yes' });
    clock.advance(5 * 60_000);
    await h.app.sealer.sealDue();
    const before = await everything();

    const edit = pressData(thanks, 'Antwort ändern');
    const closed = await h.invoke(user, edit.verb, edit.data);
    const text = cardText(closed);
    expect(text).toContain('Diese Umfrage ist beendet');
    expect(text).toContain('Ihre gespeicherte Antwort gilt weiter');
    expect(text).toContain(survey.questions[0]!.text.de);
    expect(text).toContain('1 von 5 – trifft gar nicht zu'); // question 2 as changed above
    expect(closed.actions ?? []).toEqual([]);

    const late = await press(staff[2]!, halfway, /^2 von 5\b/);
    expect(cardText(late)).toContain('Diese Umfrage ist beendet');
    expect(await everything()).toBe(before);
  });
});
