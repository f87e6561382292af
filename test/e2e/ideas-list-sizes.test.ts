// Every list card at 500 items stays under Teams' 28 KB (#15.3): "ideen", "meine ideen" (one person's
// 500 ideas, with the officers' longest feedback on the shown ones), "neue ideen", and the runs lists
// behind "umfragen", "umfrage beenden" and "ergebnisse" (500 open runs). Each is drawn by the bot over
// HTTP from real storage, with the longest titles and texts the forms accept, and pages with
// "Weitere anzeigen" instead of growing.
import { ManualClock } from '../../src/clock';
import { DESCRIPTION_MAX, FEEDBACK_MAX, TITLE_MAX } from '../../src/ideas/idea-service';
import { newRunId } from '../../src/surveys/survey-service';
import { MAX_CARD_BYTES, validateCard } from '../support/adaptive-cards';
import { buttonData, cardOf, cardText } from '../support/connector';
import { startHarness, type Harness } from '../support/harness';
import { installPersonal, makeUser, message, personalConversationId, type TeamsUser } from '../support/teams';

const ITEMS = 500;
const OFFICER = makeUser('Olga Officer');
const AUTHOR = makeUser('Maximiliane Mustermann-Überlänge');

/** Text of exactly n characters with umlauts (two bytes each in UTF-8) and quotes (escaped in JSON). */
function longText(n: number, seed: string): string {
  return `${seed} „Größenprüfung“ äöüß `.repeat(Math.ceil(n / 20)).slice(0, n);
}

async function inBatches(count: number, size: number, task: (i: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < count; start += size) {
    await Promise.all(Array.from({ length: Math.min(size, count - start) }, (_, k) => task(start + k)));
  }
}

describe('list cards at 500 items', () => {
  let h: Harness;
  const clock = new ManualClock('2026-11-02T09:00:00Z');

  const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');
  const lastCardIn = (user: TeamsUser) => cardOf(h.connector.messagesIn(personalConversationId(user)).at(-1));
  async function command(user: TeamsUser, text: string): Promise<unknown> {
    h.connector.clear();
    await h.send(message(user, text, h.serviceUrl));
    return lastCardIn(user);
  }
  const sizes: string[] = [];
  function expectSmallPagedCard(card: unknown, what: string): void {
    sizes.push(`${what}: ${bytes(card)} B`);
    expect(validateCard(card)).toEqual([]);
    expect(bytes(card)).toBeLessThan(MAX_CARD_BYTES);
    expect(buttonData(card, 'Weitere anzeigen')).toBeDefined();
  }

  beforeAll(async () => {
    const started = Date.now();
    h = await startHarness({ clock, env: { OFFICER_AAD_IDS: OFFICER.aadObjectId } });
    for (const user of [OFFICER, AUTHOR]) {
      await h.send(installPersonal(user, h.serviceUrl));
      await h.invoke(user, 'settings.save', { language: 'de', district: 'hamburg-nord', reminders: 'true' });
    }
    // 500 named ideas of one person, each a second apart, as long as the form allows.
    const ids: string[] = [];
    await inBatches(ITEMS, 50, async (i) => {
      clock.advance(1000); // read synchronously by submit: idea i is the i-th newest from the end
      const result = await h.app.ideas.submit(
        { userId: AUTHOR.aadObjectId, name: AUTHOR.name },
        {
          title: longText(TITLE_MAX, `Idee ${i}`),
          description: longText(DESCRIPTION_MAX, `Beschreibung ${i}`),
          field: 'digitales-arbeiten',
          district: 'hamburg-nord',
          anonymous: 'false',
          confirm: 'true',
        },
      );
      if (result.kind !== 'saved') throw new Error(`idea ${i} not saved: ${result.kind}`);
      ids[i] = result.idea.ideaId;
    });
    // The newest ten reviewed, with the longest feedback: "meine ideen" shows it under each.
    const newest = [...ids].sort().slice(0, 10);
    for (const ideaId of newest) {
      const result = await h.app.ideas.setStatus(
        ideaId,
        { id: OFFICER.aadObjectId, name: OFFICER.name },
        'submitted',
        {
          status: 'in_review',
          feedback: longText(FEEDBACK_MAX, 'Rückmeldung'),
        },
      );
      expect(result.kind).toBe('saved');
    }
    // 500 open runs (as "umfrage starten" would store them), a minute apart.
    const survey = h.app.surveys.listSurveys()[0]!;
    await inBatches(ITEMS, 50, (i) => {
      const startedAt = new Date(clock.now().getTime() - i * 60_000);
      return h.app.repositories.runs.create({
        // newRunId's four random characters collide among 500 ids about once in 14 runs: number them.
        runId: `${newRunId(survey.id, startedAt)}${i}`,
        survey,
        audience: { kind: 'all' },
        startedAt,
        closesAt: new Date(clock.now().getTime() + 14 * 86_400_000),
        closedAt: undefined,
        startedBy: OFFICER.aadObjectId,
        audienceSize: 8000,
      });
    });
    // Seeding is most of this file's time; printed, never asserted.
    process.stdout.write(`seeded ${ITEMS} ideas and ${ITEMS} runs in ${Date.now() - started} ms\n`);
  }, 180_000);
  afterAll(async () => {
    process.stdout.write(`card sizes at ${ITEMS} items (limit ${MAX_CARD_BYTES} B): ${sizes.join(', ')}\n`);
    await h.stop();
  });

  it('when there are 500 ideas, then "ideen" shows one page under 28 KB with "Weitere anzeigen"', async () => {
    expectSmallPagedCard(await command(AUTHOR, 'ideen'), 'ideen');
  });

  it('when an officer has 500 ideas to look at, then "ideen" with its review buttons and "neue ideen" stay under 28 KB', async () => {
    expectSmallPagedCard(await command(OFFICER, 'ideen'), 'ideen (officer)');
    expectSmallPagedCard(await command(OFFICER, 'neue ideen'), 'neue ideen');
  });

  it('when someone has 500 ideas, then "meine ideen" shows the newest with the labelled feedback, under 28 KB, and pages on', async () => {
    const first = await command(AUTHOR, 'meine ideen');
    expectSmallPagedCard(first, 'meine ideen');
    expect(cardText(first)).toContain('Rückmeldung der Digitalisierungsbeauftragten:');
    expect(cardText(first)).toContain(`Idee ${ITEMS - 1}`);
    const second = await h.invoke(AUTHOR, 'idea.list', buttonData(first, 'Weitere anzeigen'));
    expectSmallPagedCard(second, 'meine ideen, page 2');
  });

  it('when there are 500 runs, then "umfragen", "umfrage beenden" and "ergebnisse" each stay under 28 KB and page on', async () => {
    for (const text of ['umfragen', 'umfrage beenden', 'ergebnisse']) {
      const card = await command(OFFICER, text);
      sizes.push(`${text}: ${bytes(card)} B`);
      expect({ text, problems: validateCard(card) }).toEqual({ text, problems: [] });
      expect(bytes(card)).toBeLessThan(MAX_CARD_BYTES);
      expect(JSON.stringify(card)).toContain('"verb":"runs.page"');
    }
  });
});
