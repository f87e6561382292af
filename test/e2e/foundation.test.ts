// End to end: the bot over HTTP, driven as Teams drives it, on Azurite.
import { cardOf, cardText } from '../support/connector';
import { startHarness, type Harness } from '../support/harness';
import {
  botAddedPersonal,
  cardAction,
  cardSubmit,
  channelMessage,
  installPersonal,
  installTeam,
  makeTeam,
  makeUser,
  message,
  personalConversationId,
  uninstallPersonal,
  uninstallTeam,
} from '../support/teams';

const OFFICER = makeUser('Dana Digital');

describe('foundation over HTTP', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { OFFICER_AAD_IDS: OFFICER.aadObjectId.toUpperCase() } });
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(() => h.connector.clear());

  /** The card of the last message the bot sent into a user's chat. */
  const lastCard = (user: ReturnType<typeof makeUser>) => {
    const msgs = h.connector.messagesIn(personalConversationId(user));
    return cardOf(msgs[msgs.length - 1]);
  };

  it('when a user installs, then the reference is stored and one welcome card arrives', async () => {
    const user = makeUser('Anna Altona');
    const res = await h.send(installPersonal(user, h.serviceUrl));
    expect(res.status).toBe(200);
    // Teams also sends conversationUpdate; it must not welcome twice.
    await h.send(botAddedPersonal(user, h.serviceUrl));

    const msgs = h.connector.messagesIn(personalConversationId(user));
    expect(msgs).toHaveLength(1);
    expect(cardText(cardOf(msgs[0]))).toContain('Willkommen bei Puls');

    const stored = await h.app.repositories.users.get(user.aadObjectId);
    expect(stored?.reference.conversation?.id).toBe(personalConversationId(user));
    expect(stored?.reference.serviceUrl).toBe(h.serviceUrl);
    expect(stored?.teamsLocale).toBe('de-DE');
  });

  it('when an English user installs, then the welcome card is in English', async () => {
    const user = makeUser('Emma English', 'en-GB');
    await h.send(installPersonal(user, h.serviceUrl));
    expect(cardText(lastCard(user))).toContain('Welcome to Puls');
  });

  it.each([
    ['hilfe', 'Was Puls kann'],
    ['HILFE', 'Was Puls kann'],
    ['  Help. ', 'Was Puls kann'],
    ['datenschutz', 'Datenschutz bei Puls'],
    ['privacy', 'Datenschutz bei Puls'],
    ['einstellungen', 'Einstellungen'],
  ])('when a user writes "%s", then the matching card answers', async (text, expected) => {
    const user = makeUser('Bernd Bergedorf');
    await h.send(message(user, text, h.serviceUrl));
    expect(cardText(lastCard(user))).toContain(expected);
  });

  it('when a user writes something unknown, then the help card answers instead of silence', async () => {
    const user = makeUser('Uwe Unklar');
    await h.send(message(user, 'wie ist das wetter', h.serviceUrl));
    const text = cardText(lastCard(user));
    expect(text).toContain('Das habe ich nicht verstanden');
    expect(text).toContain('hilfe');
    expect(text).not.toContain('Für Digitalisierungsbeauftragte');
  });

  it('when a navigation button of a card is pressed, then the command it names answers', async () => {
    const user = makeUser('Nora Navi');
    await h.send(installPersonal(user, h.serviceUrl));
    const welcome = JSON.stringify(lastCard(user));
    expect(welcome).toContain('"data":{"command":"einstellungen"}');
    await h.send(cardSubmit(user, { command: 'datenschutz' }, h.serviceUrl));
    expect(cardText(lastCard(user))).toContain('Datenschutz bei Puls');
  });

  it('when an officer asks for help, then the officer commands are listed', async () => {
    await h.send(message(OFFICER, 'hilfe', h.serviceUrl));
    expect(cardText(lastCard(OFFICER))).toContain('Für Digitalisierungsbeauftragte');
  });

  it('when a non-officer uses an officer command, then a polite refusal answers', async () => {
    const user = makeUser('Nina Normal');
    await h.send(message(user, 'status', h.serviceUrl));
    expect(cardText(lastCard(user))).toContain('Nur für Digitalisierungsbeauftragte');
  });

  it('when an officer asks for the status, then counts are shown', async () => {
    await h.send(message(OFFICER, 'status', h.serviceUrl));
    expect(cardText(lastCard(OFFICER))).toContain('Installationen');
  });

  it('when settings are saved through the card, then they are stored and shown in the next settings card', async () => {
    const user = makeUser('Sven Settings');
    await h.send(installPersonal(user, h.serviceUrl));
    await h.send(message(user, 'einstellungen', h.serviceUrl));
    const form = lastCard(user);
    expect(JSON.stringify(form)).toContain('"verb":"settings.save"');

    const res = await h.send(
      cardAction(
        user,
        'settings.save',
        { language: 'en', district: 'wandsbek', reminders: 'false' },
        h.serviceUrl,
      ),
    );
    expect(res.status).toBe(200);
    const body = res.body as { statusCode: number; type: string; value: unknown };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    // The confirmation already speaks the chosen language.
    expect(cardText(body.value)).toContain('Saved.');

    const stored = await h.app.repositories.users.get(user.aadObjectId);
    expect(stored?.settings).toEqual({ language: 'en', district: 'wandsbek', reminders: false });

    await h.send(message(user, 'settings', h.serviceUrl));
    const next = JSON.stringify(lastCard(user));
    expect(next).toContain('"id":"district"');
    expect(next).toMatch(/"id":"district"[^}]*"value":"wandsbek"/);
    expect(next).toMatch(/"id":"reminders"[^}]*"value":"false"/);
    expect(cardText(lastCard(user))).toContain('Settings');
  });

  it('when settings come with a bad district, then an error card answers and nothing is stored', async () => {
    const user = makeUser('Berta Bad');
    await h.send(installPersonal(user, h.serviceUrl));
    const before = await h.app.repositories.users.get(user.aadObjectId);
    const res = await h.send(
      cardAction(
        user,
        'settings.save',
        { language: 'de', district: 'atlantis', reminders: 'true' },
        h.serviceUrl,
      ),
    );
    const body = res.body as { value: unknown };
    expect(cardText(body.value)).toContain('nicht gespeichert');
    expect(await h.app.repositories.users.get(user.aadObjectId)).toEqual(before);
  });

  it('when settings arrive as an Action.Submit message, then they are stored and the card is replaced', async () => {
    const user = makeUser('Sabine Submit');
    await h.send(installPersonal(user, h.serviceUrl));
    h.connector.clear();
    await h.send(
      cardSubmit(
        user,
        { verb: 'settings.save', language: 'de', district: 'harburg', reminders: 'true' },
        h.serviceUrl,
        'card-msg-1',
      ),
    );
    const calls = h.connector.messagesIn(personalConversationId(user));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.kind).toBe('update');
    expect(calls[0]!.activityId).toBe('card-msg-1');
    expect(cardText(cardOf(calls[0]))).toContain('Gespeichert');
    expect((await h.app.repositories.users.get(user.aadObjectId))?.settings.district).toBe('harburg');
  });

  it('when a card action has an unknown verb or no payload, then a clear card answers', async () => {
    const user = makeUser('Victor Verb');
    const res = await h.send(cardAction(user, 'nonsense.verb', {}, h.serviceUrl));
    expect(res.status).toBe(200);
    expect(cardText((res.body as { value: unknown }).value)).toContain('nicht mehr verfügbar');

    const empty = { ...cardAction(user, 'x', {}, h.serviceUrl), value: undefined };
    const res2 = await h.send(empty);
    expect(res2.status).toBe(200);
    expect(cardText((res2.body as { value: unknown }).value)).toContain('nicht mehr verfügbar');
  });

  it('when a user uninstalls, then their reference and settings are gone', async () => {
    const user = makeUser('Ulla Uninstall');
    await h.send(installPersonal(user, h.serviceUrl));
    await h.send(
      cardAction(
        user,
        'settings.save',
        { language: 'de', district: 'altona', reminders: 'true' },
        h.serviceUrl,
      ),
    );
    expect(await h.app.repositories.users.get(user.aadObjectId)).toBeDefined();
    await h.send(uninstallPersonal(user, h.serviceUrl));
    expect(await h.app.repositories.users.get(user.aadObjectId)).toBeUndefined();
  });

  it('when Puls joins the first team, then that team becomes the officers channel and is told so', async () => {
    const team = makeTeam('Digitalisierungsbeauftragte');
    await h.send(installTeam(team, OFFICER, h.serviceUrl));
    const posts = h.connector.messagesIn(team.id);
    expect(posts).toHaveLength(1);
    expect(cardText(cardOf(posts[0]))).toContain('Kanal der Digitalisierungsbeauftragten');
    const channel = await h.app.repositories.channels.getTeam(team.id);
    expect(channel?.reference.conversation?.id).toBe(team.id);
    expect(await h.app.repositories.channels.getOfficersTeamId()).toBe(team.id);

    const other = makeTeam('Kantine');
    await h.send(installTeam(other, OFFICER, h.serviceUrl));
    expect(cardText(cardOf(h.connector.messagesIn(other.id)[0]))).toContain('nicht als Kanal');
    expect(await h.app.repositories.channels.getOfficersTeamId()).toBe(team.id);

    await h.send(channelMessage(team, OFFICER, 'hilfe', h.serviceUrl));
    expect(cardText(cardOf(h.connector.messagesIn(team.id).at(-1)))).toContain('Was Puls kann');

    // The officers' team removes Puls: its channel reference goes, but no other team ever becomes
    // the officers' team by being next — the digest waits until the officers' team adds Puls again.
    await h.send(uninstallTeam(team, OFFICER, h.serviceUrl));
    expect(await h.app.repositories.channels.getTeam(team.id)).toBeUndefined();
    expect(await h.app.repositories.channels.getOfficersTeamId()).toBe(team.id);
    const third = makeTeam('Personalrat');
    await h.send(installTeam(third, OFFICER, h.serviceUrl));
    expect(cardText(cardOf(h.connector.messagesIn(third.id)[0]))).toContain('nicht als Kanal');
    expect(await h.app.repositories.channels.getOfficersTeamId()).toBe(team.id);
    expect(await h.app.digestScheduler.tick()).not.toBe('posted');
    await h.send(installTeam(team, OFFICER, h.serviceUrl));
    expect((await h.app.installation.officersChannel())?.teamId).toBe(team.id);
  });

  it('when /healthz is asked, then it answers 200 with the storage status', async () => {
    const res = await fetch(`${h.botUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', storage: 'ok' });
  });
});

describe('authentication', () => {
  it('when MicrosoftAppId is set, then a request without a Bot Framework token gets 401', async () => {
    const h = await startHarness({
      env: {
        MicrosoftAppId: '00000000-1111-2222-3333-444444444444',
        MicrosoftAppPassword: 'not-a-real-secret-value',
        MicrosoftAppTenantId: 'tenant-hamburg',
        OFFICERS_TEAM_ID: 'officers-team',
        PUBLIC_BASE_URL: 'https://puls.example.org',
      },
    });
    try {
      const user = makeUser('Ingo Intruder');
      const res = await h.send(message(user, 'hilfe', h.serviceUrl));
      expect(res.status).toBe(401);
      const forged = await h.send(message(user, 'hilfe', h.serviceUrl), {
        authorization: 'Bearer abc.def.ghi',
      });
      expect(forged.status).toBe(401);
      expect(h.connector.calls).toHaveLength(0);
      expect(await h.app.repositories.users.get(user.aadObjectId)).toBeUndefined();
      expect(h.logs.join('')).not.toContain('not-a-real-secret-value');
    } finally {
      await h.stop();
    }
  });

  it('when MicrosoftAppId is empty, then local unauthenticated traffic is accepted', async () => {
    const h = await startHarness();
    try {
      const res = await h.send(message(makeUser('Lokal'), 'hilfe', h.serviceUrl));
      expect(res.status).toBe(200);
    } finally {
      await h.stop();
    }
  });
});
