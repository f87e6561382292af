// Innovation ideas end to end over HTTP: submit, similar ideas first, support, review, notify.
import { TableClient } from '@azure/data-tables';
import { cardOf, cardText } from '../support/connector';
import { startHarness, type Harness } from '../support/harness';
import { testConnectionString } from '../support/storage';
import {
  installPersonal,
  makeUser,
  message,
  personalConversationId,
  uninstallPersonal,
  type TeamsUser,
} from '../support/teams';

const OFFICER = makeUser('Olga Officer');
const OTHER_OFFICER = makeUser('Otto Officer');

function idea(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Digitale Terminvergabe im Kundenzentrum',
    description:
      'Bürgerinnen und Bürger sollen Termine im Kundenzentrum online buchen können, statt anzurufen.',
    field: 'nutzerorientierung',
    district: 'altona',
    anonymous: 'false',
    ...overrides,
  };
}

describe('ideas over HTTP', () => {
  let h: Harness;

  const invoke = (user: TeamsUser, verb: string, data: Record<string, unknown> = {}) =>
    h.invoke(user, verb, data);

  async function rawRows(table: 'ideas' | 'ideaowners' | 'ideasupports' | 'ideahistory') {
    const client = TableClient.fromConnectionString(testConnectionString(), h.app.store.tableName(table), {
      allowInsecureConnection: true,
    });
    const rows: Record<string, unknown>[] = [];
    for await (const e of client.listEntities()) {
      const { etag: _e, timestamp: _t, ...rest } = e as Record<string, unknown>;
      rows.push(rest);
    }
    return rows;
  }
  const snapshot = async () =>
    JSON.stringify([await rawRows('ideas'), await rawRows('ideaowners'), await rawRows('ideasupports')]);

  /** The id of the idea whose title is given, from storage. */
  async function ideaIdOf(title: string): Promise<string> {
    const row = (await rawRows('ideas')).find((r) => r.title === title);
    expect(row).toBeDefined();
    return String(row!.rowKey);
  }

  async function install(user: TeamsUser, district = 'altona') {
    await h.send(installPersonal(user, h.serviceUrl));
    await invoke(user, 'settings.save', { language: 'de', district, reminders: 'true' });
  }

  beforeAll(async () => {
    h = await startHarness({
      env: { OFFICER_AAD_IDS: `${OFFICER.aadObjectId},${OTHER_OFFICER.aadObjectId}` },
    });
    await install(OFFICER, 'hamburg-nord');
    await install(OTHER_OFFICER, 'wandsbek');
  });
  afterAll(() => h.stop());

  it('when an employee types "idee", then the form comes with their district pre-filled', async () => {
    const user = makeUser('Fiona Form');
    await install(user, 'harburg');
    await h.send(message(user, 'idee', h.serviceUrl));
    const card = JSON.stringify(cardOf(h.connector.messagesIn(personalConversationId(user)).at(-1)));
    expect(card).toMatch(/"id":"district"[^}]*"value":"harburg"/);
    expect(card).toContain('"verb":"idea.submit"');
  });

  it('when a valid idea is submitted, then it is stored, thanked for and listed under "meine ideen"', async () => {
    const user = makeUser('Ida Idee');
    await install(user);
    const card = await invoke(user, 'idea.submit', idea());
    expect(cardText(card)).toContain('Danke für Ihre Idee!');
    const rows = await rawRows('ideas');
    expect(rows.filter((r) => r.title === idea().title)).toHaveLength(1);
    h.connector.clear();
    await h.send(message(user, 'meine ideen', h.serviceUrl));
    const mine = cardText(cardOf(h.connector.messagesIn(personalConversationId(user)).at(-1)));
    expect(mine).toContain('Digitale Terminvergabe im Kundenzentrum');
    expect(mine).toContain('eingereicht');
  });

  describe('invalid submissions get the form back with the error and store nothing', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['missing title', idea({ title: '   ' }), /Bitte ausfüllen/],
      ['title too long', idea({ title: 'T'.repeat(121) }), /höchstens 120 Zeichen/],
      ['missing description', idea({ description: '' }), /Bitte ausfüllen/],
      ['description too long', idea({ description: 'D'.repeat(2001) }), /höchstens 2000 Zeichen/],
      ['unknown field of action', idea({ field: 'astrologie' }), /aus der Liste wählen/],
      ['unknown district', idea({ district: 'atlantis' }), /aus der Liste wählen/],
      ['HTML in the description', idea({ description: 'Klick <script>alert(1)</script>' }), /ohne HTML/],
      ['unknown field', idea({ submitter: 'someone-else' }), /unbekannte Felder/],
      ['object instead of text', idea({ title: { $gt: '' } }), /falsche Format/],
    ];
    it.each(cases)('when the submission has %s, then nothing is stored', async (_name, data, expected) => {
      const user = makeUser('Ulf Ungültig');
      await install(user);
      const before = await snapshot();
      const card = await invoke(user, 'idea.submit', data);
      expect(cardText(card)).toMatch(expected);
      expect(cardText(card)).toContain('noch nicht gespeichert');
      expect(await snapshot()).toBe(before);
    });
  });

  it('when a similar idea exists, then it is offered first; support instead or submit anyway both work', async () => {
    const first = makeUser('Erika Erste');
    const second = makeUser('Zora Zweite');
    await install(first);
    await install(second);
    await invoke(first, 'idea.submit', {
      ...idea(),
      title: 'Mehr Schulungen zu Microsoft Teams',
      description:
        'Viele Kolleginnen und Kollegen kennen die Funktionen von Teams nicht. Kurze Schulungen würden helfen.',
      field: 'digitale-kompetenzen',
    });
    const attempt = {
      ...idea(),
      title: 'Teams-Schulungen für alle Kolleginnen und Kollegen',
      description: 'Schulungen zu Microsoft Teams, damit alle die Funktionen kennen.',
      field: 'digitale-kompetenzen',
    };
    const before = await snapshot();
    const similar = await invoke(second, 'idea.submit', attempt);
    const text = cardText(similar);
    expect(text).toContain('Gibt es das schon?');
    expect(text).toContain('Mehr Schulungen zu Microsoft Teams');
    expect(text).toContain('Stattdessen unterstützen');
    expect(text).toContain('Trotzdem einreichen');
    expect(await snapshot()).toBe(before);

    const targetId = await ideaIdOf('Mehr Schulungen zu Microsoft Teams');
    const supported = await invoke(second, 'idea.support', { ideaId: targetId, want: 'true' });
    expect(cardText(supported)).toContain('Sie unterstützen diese Idee.');
    expect((await h.app.repositories.ideas.get(targetId))?.supportCount).toBe(1);

    // "Trotzdem einreichen" carries the form in its data, with confirm.
    const anyway = JSON.stringify(similar).match(/"data":(\{"verb":"idea.submit"[^}]*\})/)?.[1];
    expect(anyway).toBeDefined();
    const saved = await invoke(second, 'idea.submit', JSON.parse(anyway!) as Record<string, unknown>);
    expect(cardText(saved)).toContain('Danke für Ihre Idee!');
    expect((await rawRows('ideas')).some((r) => r.title === attempt.title)).toBe(true);
  });

  it('when 20 people support at the same moment, then the count is exactly 20; a withdrawal and a double click count right', async () => {
    const author = makeUser('Anton Autor');
    await install(author);
    await invoke(author, 'idea.submit', {
      ...idea(),
      title: 'Papierlose Akte für Bauanträge',
      description: 'E-Akte statt Papier im Bauamt.',
      field: 'digitales-arbeiten',
    });
    const ideaId = await ideaIdOf('Papierlose Akte für Bauanträge');
    const supporters = Array.from({ length: 20 }, (_, i) => makeUser(`Unterstützer ${i}`));
    await Promise.all(supporters.map((u) => h.send(installPersonal(u, h.serviceUrl))));
    const cards = await Promise.all(
      supporters.map((u) => invoke(u, 'idea.support', { ideaId, want: 'true' })),
    );
    expect(cards.every((c) => cardText(c).includes('Sie unterstützen diese Idee.'))).toBe(true);
    expect((await h.app.repositories.ideas.get(ideaId))?.supportCount).toBe(20);
    expect((await rawRows('ideasupports')).filter((r) => r.partitionKey === ideaId)).toHaveLength(20);

    const withdrawn = await invoke(supporters[0]!, 'idea.support', { ideaId, want: 'false' });
    expect(cardText(withdrawn)).toContain('nicht mehr');
    expect((await h.app.repositories.ideas.get(ideaId))?.supportCount).toBe(19);

    await Promise.all([
      invoke(supporters[0]!, 'idea.support', { ideaId, want: 'true' }),
      invoke(supporters[0]!, 'idea.support', { ideaId, want: 'true' }),
    ]);
    expect((await h.app.repositories.ideas.get(ideaId))?.supportCount).toBe(20);

    // Support keys are pseudonyms: no user id in the supports table.
    const raw = JSON.stringify(await rawRows('ideasupports'));
    for (const u of supporters) expect(raw).not.toContain(u.aadObjectId);

    const own = await invoke(author, 'idea.support', { ideaId, want: 'true' });
    expect(cardText(own)).toContain('eigene Idee');
    expect((await h.app.repositories.ideas.get(ideaId))?.supportCount).toBe(20);
  });

  it('when officers review an idea through every status, then history is kept and the submitter is told each time', async () => {
    const author = makeUser('Rita Review');
    await install(author);
    await invoke(author, 'idea.submit', {
      ...idea(),
      title: 'Offene Daten zu Spielplätzen',
      description: 'Spielplatzdaten als Open Data veröffentlichen.',
      field: 'datenmanagement',
    });
    const ideaId = await ideaIdOf('Offene Daten zu Spielplätzen');

    h.connector.clear();
    await h.send(message(OFFICER, 'neue ideen', h.serviceUrl));
    expect(cardText(cardOf(h.connector.messagesIn(personalConversationId(OFFICER)).at(-1)))).toContain(
      'Offene Daten zu Spielplätzen',
    );

    const review = await invoke(OFFICER, 'idea.review', { ideaId });
    expect(JSON.stringify(review)).toContain(`"verb":"idea.status:${ideaId}:submitted"`);

    const steps: [string, string, string][] = [
      ['submitted', 'in_review', ''],
      ['in_review', 'accepted', 'Wir setzen das im Frühjahr um.'],
      ['accepted', 'implemented', 'Ist online!'],
    ];
    for (const [from, to, feedback] of steps) {
      h.connector.clear();
      const card = await invoke(OFFICER, `idea.status:${ideaId}:${from}`, { status: to, feedback });
      expect(cardText(card)).toContain('Gespeichert');
      const notes = h.connector.messagesIn(personalConversationId(author));
      expect(notes).toHaveLength(1);
      const note = cardText(cardOf(notes[0]));
      expect(note).toContain('Offene Daten zu Spielplätzen');
      if (feedback) expect(note).toContain(feedback);
    }
    const history = await h.app.repositories.ideas.history(ideaId);
    expect(history.map((e) => [e.from, e.to])).toEqual([
      [undefined, 'submitted'],
      ['submitted', 'in_review'],
      ['in_review', 'accepted'],
      ['accepted', 'implemented'],
    ]);
    expect(history[2]).toMatchObject({
      byId: OFFICER.aadObjectId,
      byName: 'Olga Officer',
      feedback: 'Wir setzen das im Frühjahr um.',
    });
    // Final: the status can no longer change, nobody can support or withdraw any more (the idea's
    // secret is gone). The idea is named, so its link to the submitter stays ("meine ideen").
    expect(await h.app.repositories.secrets.get('idea', ideaId)).toBeUndefined();
    expect(await h.app.repositories.ideas.getOwner(ideaId)).toMatchObject({ named: true });
    const after = await invoke(OFFICER, `idea.status:${ideaId}:implemented`, {
      status: 'rejected',
      feedback: 'x',
    });
    expect(cardText(after)).toContain('abgeschlossen');
    expect((await h.app.repositories.ideas.get(ideaId))?.status).toBe('implemented');
  });

  it('when an idea is rejected, then feedback is required and reaches the submitter', async () => {
    const author = makeUser('Rolf Rejected');
    await install(author);
    await invoke(author, 'idea.submit', {
      ...idea(),
      title: 'Kantine mit App bestellen',
      description: 'Mittagessen per App vorbestellen.',
      field: 'sonstiges',
    });
    const ideaId = await ideaIdOf('Kantine mit App bestellen');
    const missing = await invoke(OFFICER, `idea.status:${ideaId}:submitted`, {
      status: 'rejected',
      feedback: '  ',
    });
    expect(cardText(missing)).toContain('begründen Sie die Ablehnung');
    expect((await h.app.repositories.ideas.get(ideaId))?.status).toBe('submitted');

    const skip = await invoke(OFFICER, `idea.status:${ideaId}:submitted`, {
      status: 'implemented',
      feedback: '',
    });
    expect(cardText(skip)).toContain('nicht möglich');

    h.connector.clear();
    await invoke(OFFICER, `idea.status:${ideaId}:submitted`, {
      status: 'rejected',
      feedback: 'Die Kantine ist verpachtet.',
    });
    const note = cardText(cardOf(h.connector.messagesIn(personalConversationId(author))[0]));
    expect(note).toContain('abgelehnt');
    expect(note).toContain('Die Kantine ist verpachtet.');
  });

  it('when the submitter cannot be reached, then the officer is told so instead of "notified"', async () => {
    const author = makeUser('Ute Unerreichbar');
    await install(author);
    await invoke(author, 'idea.submit', {
      ...idea(),
      title: 'Formulare vorausfüllen',
      description: 'Bekannte Daten automatisch in Formulare übernehmen.',
      field: 'sonstiges',
    });
    const ideaId = await ideaIdOf('Formulare vorausfüllen');
    await h.send(uninstallPersonal(author, h.serviceUrl));
    h.connector.clear();
    const card = await invoke(OFFICER, `idea.status:${ideaId}:submitted`, {
      status: 'in_review',
      feedback: '',
    });
    expect(cardText(card)).toContain('konnte nicht benachrichtigt werden');
    expect(cardText(card)).not.toContain('wurde benachrichtigt');
    expect(h.connector.messagesIn(personalConversationId(author))).toEqual([]);
    expect((await h.app.repositories.ideas.get(ideaId))?.status).toBe('in_review');
  });

  it('when a second officer acts on a stale review card, then it is refused with the current state', async () => {
    const author = makeUser('Stefan Stale');
    await install(author);
    await invoke(author, 'idea.submit', {
      ...idea(),
      title: 'Chatbot für Wohngeld',
      description: 'Fragen zum Wohngeld rund um die Uhr beantworten.',
    });
    const ideaId = await ideaIdOf('Chatbot für Wohngeld');
    await invoke(OFFICER, `idea.status:${ideaId}:submitted`, { status: 'in_review', feedback: '' });
    const stale = await invoke(OTHER_OFFICER, `idea.status:${ideaId}:submitted`, {
      status: 'rejected',
      feedback: 'Nein',
    });
    expect(cardText(stale)).toContain('inzwischen geändert');
    expect((await h.app.repositories.ideas.get(ideaId))?.status).toBe('in_review');
  });

  it('when a non-officer tries to review, then a polite refusal answers and nothing changes', async () => {
    const author = makeUser('Nils Nicht');
    await install(author);
    await invoke(author, 'idea.submit', {
      ...idea(),
      title: 'WLAN im Sitzungssaal',
      description: 'Gäste-WLAN für Sitzungen.',
    });
    const ideaId = await ideaIdOf('WLAN im Sitzungssaal');
    expect(cardText(await invoke(author, 'idea.review', { ideaId }))).toContain(
      'Nur für Digitalisierungsbeauftragte',
    );
    expect(
      cardText(await invoke(author, `idea.status:${ideaId}:submitted`, { status: 'accepted' })),
    ).toContain('Nur für Digitalisierungsbeauftragte');
    h.connector.clear();
    await h.send(message(author, 'neue ideen', h.serviceUrl));
    expect(cardText(cardOf(h.connector.messagesIn(personalConversationId(author)).at(-1)))).toContain(
      'Nur für',
    );
    expect((await h.app.repositories.ideas.get(ideaId))?.status).toBe('submitted');
  });

  it('when an idea is anonymous, then its submitter name reaches nobody, yet the submitter is told', async () => {
    const secret = makeUser('Geheim Gustav');
    const colleague = makeUser('Kim Kollegin');
    await install(secret);
    await install(colleague);
    h.connector.clear();
    const seen: string[] = [];
    const as = async (user: TeamsUser, verb: string, data: Record<string, unknown> = {}) => {
      const card = await invoke(user, verb, data);
      seen.push(JSON.stringify(card));
      return card;
    };
    await as(secret, 'idea.submit', {
      ...idea(),
      title: 'Anonyme Idee zur Zeiterfassung',
      description: 'Digitale Zeiterfassung per App.',
      anonymous: 'true',
      field: 'digitales-arbeiten',
    });
    const ideaId = await ideaIdOf('Anonyme Idee zur Zeiterfassung');
    expect(JSON.stringify(await rawRows('ideas'))).not.toContain('Geheim Gustav');
    expect(JSON.stringify(await rawRows('ideas'))).not.toContain(secret.aadObjectId);

    const before = h.connector.calls.length;
    for (const u of [OFFICER, colleague]) {
      await h.send(message(u, 'ideen', h.serviceUrl));
      await as(u, 'idea.list', { sort: 'support', field: 'digitales-arbeiten', district: 'all' });
    }
    await h.send(message(OFFICER, 'neue ideen', h.serviceUrl));
    await as(OFFICER, 'idea.review', { ideaId });
    await as(colleague, 'idea.support', { ideaId, want: 'true' });
    await as(OFFICER, `idea.status:${ideaId}:submitted`, { status: 'accepted', feedback: 'Gute Idee!' });
    const toOthers = h.connector.calls
      .slice(before)
      .filter((c) => c.conversationId !== personalConversationId(secret))
      .map((c) => JSON.stringify(c.activity));
    const othersSaw = [...toOthers, ...seen.slice(1)].join('\n');
    expect(othersSaw).toContain('Anonyme Idee zur Zeiterfassung');
    expect(othersSaw).toContain('anonym');
    expect(othersSaw).not.toContain('Geheim');
    expect(othersSaw).not.toContain('Gustav');

    const told = h.connector.messagesIn(personalConversationId(secret)).map((c) => cardText(cardOf(c)));
    expect(told.some((t) => t.includes('angenommen') && t.includes('Gute Idee!'))).toBe(true);
  });

  it('when ideas are browsed, then pages follow the continuation token and filters apply', async () => {
    const user = makeUser('Paula Pager');
    await install(user);
    const first = await invoke(user, 'idea.list', { sort: 'newest', field: 'all', district: 'all' });
    const json = JSON.stringify(first);
    const token = /"token":"([^"]+)"/.exec(json)?.[1];
    expect(token).toBeDefined();
    const second = await invoke(user, 'idea.list', { sort: 'newest', field: 'all', district: 'all', token });
    const titles = (card: unknown) =>
      [...JSON.stringify(card).matchAll(/"type":"TextRun","text":"([^"]+)","weight":"Bolder"/g)].map(
        (m) => m[1],
      );
    expect(titles(first)).toHaveLength(5);
    expect(titles(second).length).toBeGreaterThan(0);
    expect(titles(second).some((t) => titles(first).includes(t))).toBe(false);

    const data = await invoke(user, 'idea.list', {
      sort: 'support',
      field: 'datenmanagement',
      district: 'all',
    });
    expect(titles(data)).toEqual(['Offene Daten zu Spielplätzen']);
    const most = await invoke(user, 'idea.list', { sort: 'support', field: 'all', district: 'all' });
    expect(titles(most)[0]).toBe('Papierlose Akte für Bauanträge');
  });
});
