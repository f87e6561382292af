// Ideas stay visible (#12.3, #12.5) end to end over HTTP: list cards show status changes and stay
// lists after a support, a review card opens beside the list, "meine ideen" pages and labels the
// officers' feedback, and supporters who asked for news are told once per status change, through
// the delivery engine — with their sealed links gone after the final status and nothing kept of
// who was told.
import { PrivacyKeys } from '../../src/privacy/keys';
import { ideaNewsJobId } from '../../src/ideas/idea-news';
import { ManualClock } from '../../src/clock';
import { buttonData, cardOf, cardText } from '../support/connector';
import { startHarness, TEST_PSEUDONYM_KEY, type Harness } from '../support/harness';
import { dumpTables } from '../support/tables';
import { installPersonal, makeUser, message, personalConversationId, type TeamsUser } from '../support/teams';
import { waitUntil } from '../support/wait';

const OFFICER = makeUser('Olga Officer');

describe('ideas stay visible', () => {
  let h: Harness;
  const clock = new ManualClock('2026-11-23T09:00:00Z');

  async function install(user: TeamsUser, district = 'altona', language = 'de') {
    await h.send(installPersonal(user, h.serviceUrl));
    await h.invoke(user, 'settings.save', { language, district, reminders: 'true' });
  }

  async function submit(author: TeamsUser, title: string, field = 'sonstiges'): Promise<string> {
    // One idea per second: the list's order (newest first) is then the order of submission.
    clock.advance(1000);
    const card = await h.invoke(author, 'idea.submit', {
      title,
      description: `${title}: so würde es gehen, und so hilft es allen.`,
      field,
      district: 'altona',
      anonymous: 'false',
      confirm: 'true',
    });
    expect(cardText(card)).toContain('Danke für Ihre Idee!');
    for await (const idea of h.app.repositories.ideas.list()) if (idea.title === title) return idea.ideaId;
    throw new Error(`idea ${title} not stored`);
  }

  const titlesOf = (card: unknown) =>
    // A title is the only inline of its block (the feedback's bold label has a second one).
    [
      ...JSON.stringify(card).matchAll(
        /"inlines":\[\{"type":"TextRun","text":"([^"]+)","weight":"Bolder"\}\]/g,
      ),
    ].map((m) => m[1]);
  const lastCardIn = (user: TeamsUser) => cardOf(h.connector.messagesIn(personalConversationId(user)).at(-1));
  const review = (ideaId: string, from: string, status: string, feedback = '') =>
    h.invoke(OFFICER, `idea.status:${ideaId}:${from}`, { status, feedback });

  beforeAll(async () => {
    h = await startHarness({ clock, env: { OFFICER_AAD_IDS: OFFICER.aadObjectId } });
    await install(OFFICER, 'hamburg-nord');
  });
  afterAll(() => h.stop());

  it('when someone supports an idea on a page of the list, then the same page comes back with the notice, not one idea', async () => {
    const author = makeUser('Liesel Liste');
    const reader = makeUser('Rudi Leser');
    await install(author);
    await install(reader);
    for (let i = 1; i <= 7; i++) await submit(author, `Listenidee ${i}`, 'ressourcen');
    const filters = { sort: 'newest', field: 'ressourcen', district: 'all' };
    const first = await h.invoke(reader, 'idea.list', filters);
    const second = await h.invoke(reader, 'idea.list', buttonData(first, 'Weitere anzeigen'));
    expect(titlesOf(second)).toEqual(['Listenidee 2', 'Listenidee 1']);

    const supported = await h.invoke(reader, 'idea.support', buttonData(second, 'Unterstützen'));
    expect(titlesOf(supported)).toEqual(['Listenidee 2', 'Listenidee 1']);
    expect(cardText(supported)).toContain('Sie unterstützen diese Idee.');
    expect(cardText(supported)).toContain('1 Unterstützung');
    // The filters stay as they were, and the supported idea now offers to withdraw and to follow.
    expect(JSON.stringify(supported)).toMatch(/"id":"field"[^}]*"value":"ressourcen"/);
    expect(cardText(supported)).toContain('Unterstützung zurückziehen');
    expect(cardText(supported)).toContain('Bei Neuigkeiten benachrichtigen');
  });

  it('when an officer presses "Prüfen" on a list, then the review card comes as a new message and the list stays', async () => {
    const author = makeUser('Paul Prüfling');
    await install(author);
    const ideaId = await submit(author, 'Aktenzeichen automatisch vergeben');
    h.connector.clear();
    await h.send(message(OFFICER, 'neue ideen', h.serviceUrl));
    const list = lastCardIn(OFFICER);
    expect(titlesOf(list)).toContain('Aktenzeichen automatisch vergeben');
    h.connector.clear();

    const pressed = { ...buttonData(list, 'Prüfen'), ideaId };
    const answer = await h.invoke(OFFICER, 'idea.review', pressed);
    expect(cardText(answer)).toContain('Neue Ideen');
    expect(titlesOf(answer)).toEqual(titlesOf(list));
    const beside = h.connector.messagesIn(personalConversationId(OFFICER));
    expect(beside).toHaveLength(1);
    expect(cardText(cardOf(beside[0]))).toContain('Idee prüfen');
    expect(JSON.stringify(cardOf(beside[0]))).toContain(`"verb":"idea.status:${ideaId}:submitted"`);
  });

  it('when a status changed, then "ideen" shows it as new with its date, and after two weeks as the status since then', async () => {
    const author = makeUser('Nora Neu');
    const reader = makeUser('Sven Sieht');
    await install(author);
    await install(reader);
    const ideaId = await submit(author, 'Formularserver abschalten', 'digitales-arbeiten');
    const before = await h.invoke(reader, 'idea.list', {
      sort: 'newest',
      field: 'digitales-arbeiten',
      district: 'all',
    });
    expect(cardText(before)).toContain('Status: eingereicht, noch nicht geprüft');

    clock.set('2026-11-24T10:00:00Z');
    expect(cardText(await review(ideaId, 'submitted', 'accepted', 'Gute Idee.'))).toContain('Gespeichert');
    const after = await h.invoke(reader, 'idea.list', {
      sort: 'newest',
      field: 'digitales-arbeiten',
      district: 'all',
    });
    expect(cardText(after)).toContain('Neu: angenommen (seit 24.11.2026)');
    expect(JSON.stringify(after)).toMatch(
      /"text":"Neu: angenommen \(seit 24\.11\.2026\)"[^}]*"weight":"Bolder"/,
    );
    // The officer's feedback was written to the submitter: the list shows it to nobody else.
    expect(cardText(after)).not.toContain('Gute Idee.');

    clock.set('2026-12-09T10:00:00Z');
    const later = await h.invoke(reader, 'idea.list', {
      sort: 'newest',
      field: 'digitales-arbeiten',
      district: 'all',
    });
    expect(cardText(later)).toContain('Status: angenommen (seit 24.11.2026)');
    expect(cardText(later)).not.toContain('Neu:');
  });

  it('when someone has many ideas, then "meine ideen" shows five at a time, newest first, with the feedback labelled as the officers\'', async () => {
    const author = makeUser('Mia Meine');
    await install(author);
    const ids: string[] = [];
    for (let i = 1; i <= 7; i++) ids.push(await submit(author, `Meine Idee ${i}`));
    await review(ids[6]!, 'submitted', 'in_review', 'Wir schauen uns das an.');
    h.connector.clear();
    await h.send(message(author, 'meine ideen', h.serviceUrl));
    const first = lastCardIn(author);
    expect(titlesOf(first)).toEqual([
      'Meine Idee 7',
      'Meine Idee 6',
      'Meine Idee 5',
      'Meine Idee 4',
      'Meine Idee 3',
    ]);
    expect(JSON.stringify(first)).toContain(
      '{"type":"TextRun","text":"Rückmeldung der Digitalisierungsbeauftragten: ","weight":"Bolder"},{"type":"TextRun","text":"Wir schauen uns das an.","italic":true}',
    );
    const second = await h.invoke(author, 'idea.list', buttonData(first, 'Weitere anzeigen'));
    expect(titlesOf(second)).toEqual(['Meine Idee 2', 'Meine Idee 1']);
    expect(cardText(second)).not.toContain('Weitere anzeigen');
  });

  describe('news for supporters who asked for it', () => {
    const author = makeUser('Greta Gründerin');
    const followers = [makeUser('Fritz Folgt'), makeUser('Frieda Folgt', 'en-GB')];
    const quiet = makeUser('Quirin Still');
    const changedMind = makeUser('Wanda Wechselt');
    let ideaId = '';
    const newsIn = (user: TeamsUser) =>
      h.connector
        .messagesIn(personalConversationId(user))
        .map((c) => cardText(cardOf(c)))
        .filter((t) => t.includes('Neuigkeiten zu einer Idee') || t.includes('News about an idea'));

    beforeAll(async () => {
      for (const u of [author, followers[0]!, quiet, changedMind]) await install(u);
      await install(followers[1]!, 'altona', 'en');
      ideaId = await submit(author, 'Digitale Dienstplanung für Schichtdienste');
      for (const u of [...followers, quiet, changedMind]) {
        const card = await h.invoke(u, 'idea.support', { ideaId, want: 'true' });
        expect(cardText(card)).toMatch(/Bei Neuigkeiten benachrichtigen|Notify me of news/);
      }
      for (const u of [...followers, changedMind]) {
        const card = await h.invoke(u, 'idea.follow', { ideaId, want: 'true' });
        expect(cardText(card)).toMatch(
          /Sie erfahren es hier, wenn sich der Status dieser Idee ändert\.|You will hear here when the status of this idea changes\./,
        );
      }
      const off = await h.invoke(changedMind, 'idea.follow', { ideaId, want: 'false' });
      expect(cardText(off)).toContain('keine Nachrichten mehr');
    });

    it('when someone who does not support the idea asks for news, then they are asked to support it first', async () => {
      const stranger = makeUser('Siegfried Fremd');
      await install(stranger);
      const card = await h.invoke(stranger, 'idea.follow', { ideaId, want: 'true' });
      expect(cardText(card)).toContain('Bitte unterstützen Sie sie zuerst.');
      const rows = (await dumpTables(h.app.store)).filter(
        (r) => r.table === 'ideasupports' && r.partitionKey === ideaId,
      );
      expect(rows.filter((r) => r.columns.follower)).toHaveLength(2);
    });

    it('when a follower is stored, then their support row holds only their id sealed for this idea', async () => {
      const rows = (await dumpTables(h.app.store)).filter(
        (r) => r.table === 'ideasupports' && r.partitionKey === ideaId,
      );
      expect(rows).toHaveLength(4);
      const raw = JSON.stringify(rows);
      for (const u of [...followers, quiet, changedMind]) expect(raw).not.toContain(u.aadObjectId);
      const keys = new PrivacyKeys(TEST_PSEUDONYM_KEY);
      const opened = rows
        .map((r) => r.columns.follower)
        .filter((f): f is string => typeof f === 'string')
        .map((f) => keys.open('idea-followers', f, ideaId)?.toString('utf8'));
      expect(opened.sort()).toEqual(followers.map((u) => u.aadObjectId).sort());
      // Bound to the idea: the same seal does not open for another one.
      expect(
        keys.open('idea-followers', String(rows.find((r) => r.columns.follower)!.columns.follower), 'other'),
      ).toBeUndefined();
    });

    it('when the status changes, then each follower gets one message in their language through the delivery engine, and nobody else', async () => {
      h.connector.clear();
      await review(ideaId, 'submitted', 'in_review');
      const jobId = ideaNewsJobId(ideaId, 'in_review');
      // The news goes out as a background task: wait for it, then check that it is done.
      await h.app.background.idle();
      await waitUntil(
        // Sent when its task is done and its rows (who follows the idea) are gone.
        async () =>
          (await h.app.repositories.digests.getTask('ideanews', jobId))?.status === 'done' &&
          (await h.app.repositories.deliveries.counts(jobId)).recipients === 0,
        'the news to be sent',
      );
      expect(newsIn(followers[0]!)).toHaveLength(1);
      expect(newsIn(followers[0]!)[0]).toContain(
        '„Digitale Dienstplanung für Schichtdienste“ ist jetzt: in Prüfung.',
      );
      expect(newsIn(followers[1]!)).toEqual([expect.stringContaining('is now: under review.')]);
      for (const u of [quiet, changedMind]) expect(newsIn(u)).toEqual([]);
      // The submitter hears as before, once, and not as a follower.
      expect(h.connector.messagesIn(personalConversationId(author))).toHaveLength(1);
      expect(h.logs.join('')).toContain(`"jobId":"${jobId}"`);
      // A second attempt sends nothing.
      expect(await h.app.ideaNews.announce(ideaId, 'in_review')).toBe(0);
      expect(newsIn(followers[0]!)).toHaveLength(1);
    });

    it('when an instance died after the status change, then the news goes out when its task is taken over', async () => {
      h.connector.clear();
      // The status change as a dying instance left it: saved, its news task recorded, nothing sent.
      const idea = (await h.app.repositories.ideas.get(ideaId))!;
      const at = clock.now();
      await h.app.repositories.ideas.updateStatus(ideaId, 'accepted', at, idea.etag);
      await h.app.repositories.ideas.addHistory(ideaId, {
        at,
        from: 'in_review',
        to: 'accepted',
        byId: OFFICER.aadObjectId,
        byName: OFFICER.name,
        feedback: '',
      });
      await h.app.repositories.digests.claim('ideanews', ideaNewsJobId(ideaId, 'accepted'), 'dead', at, 0);
      expect(await h.app.ideaNews.resumeExpired()).toBe(1);
      for (const u of followers) expect(newsIn(u)).toHaveLength(1);
      expect(newsIn(quiet)).toEqual([]);
      expect(await h.app.ideaNews.resumeExpired()).toBe(0);
    });

    it('when the idea reaches its final status, then the followers hear it and their sealed links are gone', async () => {
      h.connector.clear();
      await review(ideaId, 'accepted', 'implemented', 'Läuft seit Montag.');
      const jobId = ideaNewsJobId(ideaId, 'implemented');
      await h.app.background.idle();
      await waitUntil(
        // Sent when its task is done and its rows (who follows the idea) are gone.
        async () =>
          (await h.app.repositories.digests.getTask('ideanews', jobId))?.status === 'done' &&
          (await h.app.repositories.deliveries.counts(jobId)).recipients === 0,
        'the final news to be sent',
      );
      for (const u of followers) expect(newsIn(u)).toHaveLength(1);
      expect(newsIn(followers[0]!)[0]).toContain('keine Nachrichten mehr');
      expect(newsIn(followers[0]!)[0]).not.toContain('Läuft seit Montag.');
      const tables = await dumpTables(h.app.store);
      const supports = tables.filter((r) => r.table === 'ideasupports' && r.partitionKey === ideaId);
      expect(supports).toHaveLength(4);
      expect(supports.filter((r) => 'follower' in r.columns)).toEqual([]);
      expect(tables.filter((r) => r.table === 'deliveries' && r.partitionKey.startsWith('idea~'))).toEqual(
        [],
      );
      // Nobody can follow a closed idea any more.
      const late = await h.invoke(quiet, 'idea.follow', { ideaId, want: 'true' });
      expect(cardText(late)).toContain('abgeschlossen');
    });
  });
});
