// An officer's review conflicts only with another review (#15.1): support clicks move the idea's
// row (its count, and with it its ETag) all the time, and must not make a review fail as "stale".
// A storage proxy holds the review's write until a colleague's support has landed, so the race
// happens every time, at exactly that moment.
import { cardText } from '../support/connector';
import { startHarness, type Harness } from '../support/harness';
import { StorageProxy } from '../support/storage-proxy';
import { installPersonal, makeUser, type TeamsUser } from '../support/teams';

const OFFICER = makeUser('Olga Officer');
const OTHER_OFFICER = makeUser('Otto Officer');

describe('idea reviews while colleagues support the idea', () => {
  let h: Harness;
  const proxy = new StorageProxy();

  async function install(user: TeamsUser) {
    await h.send(installPersonal(user, h.serviceUrl));
    await h.invoke(user, 'settings.save', { language: 'de', district: 'altona', reminders: 'true' });
  }

  async function submit(author: TeamsUser, title: string): Promise<string> {
    await h.invoke(author, 'idea.submit', {
      title,
      description: `${title}: eine Beschreibung, die für die Prüfung reicht.`,
      field: 'sonstiges',
      district: 'altona',
      anonymous: 'false',
      confirm: 'true',
    });
    const { ideas } = await h.app.ideas.list({}, 'newest', undefined);
    const idea = ideas.find((i) => i.title === title);
    expect(idea).toBeDefined();
    return idea!.ideaId;
  }

  /** The review's write: the status merged into the idea's row. */
  const statusWriteOf = (ideaId: string) => (r: { method: string; path: string; body: string }) =>
    r.method === 'PATCH' &&
    r.path.endsWith(`ideas(PartitionKey='idea',RowKey='${ideaId}')`) &&
    r.body.includes('"status"');

  beforeAll(async () => {
    await proxy.start();
    h = await startHarness({
      env: {
        AZURE_STORAGE_CONNECTION_STRING: proxy.connectionString,
        OFFICER_AAD_IDS: `${OFFICER.aadObjectId},${OTHER_OFFICER.aadObjectId}`,
      },
    });
    await install(OFFICER);
    await install(OTHER_OFFICER);
  });
  afterAll(async () => {
    await h.stop();
    await proxy.stop();
  });

  it('when a support lands between opening and saving the review card, then the review saves', async () => {
    const author = makeUser('Agnes Autorin');
    const colleague = makeUser('Kai Kollege');
    await install(author);
    await install(colleague);
    const ideaId = await submit(author, 'Sitzungsprotokolle digital abstimmen');

    const review = await h.invoke(OFFICER, 'idea.review', { ideaId });
    expect(JSON.stringify(review)).toContain(`idea.status:${ideaId}:submitted`);
    let supported = '';
    proxy.before(statusWriteOf(ideaId), async () => {
      supported = cardText(await h.invoke(colleague, 'idea.support', { ideaId, want: 'true' }));
    });
    const saved = await h.invoke(OFFICER, `idea.status:${ideaId}:submitted`, {
      status: 'accepted',
      feedback: 'Machen wir.',
    });

    expect(supported).toContain('Sie unterstützen diese Idee.');
    expect(cardText(saved)).toContain('Gespeichert: angenommen');
    expect(cardText(saved)).not.toContain('inzwischen geändert');
    const stored = await h.app.repositories.ideas.get(ideaId);
    expect(stored).toMatchObject({ status: 'accepted', supportCount: 1 });
    const history = await h.app.repositories.ideas.history(ideaId);
    expect(history.map((e) => e.to)).toEqual(['submitted', 'accepted']);
  });

  it('when another officer saves a review between opening and saving, then the second review is refused as stale', async () => {
    const author = makeUser('Bernd Beispiel');
    await install(author);
    const ideaId = await submit(author, 'Dienstreisen ohne Papierantrag');
    await h.invoke(OFFICER, 'idea.review', { ideaId });
    proxy.before(statusWriteOf(ideaId), async () => {
      const first = await h.invoke(OTHER_OFFICER, `idea.status:${ideaId}:submitted`, {
        status: 'in_review',
        feedback: '',
      });
      expect(cardText(first)).toContain('Gespeichert: in Prüfung');
    });
    const second = await h.invoke(OFFICER, `idea.status:${ideaId}:submitted`, {
      status: 'rejected',
      feedback: 'Nein.',
    });
    expect(cardText(second)).toContain('inzwischen geändert');
    expect((await h.app.repositories.ideas.get(ideaId))?.status).toBe('in_review');
  });
});
