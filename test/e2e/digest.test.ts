// The weekly digest end to end: two bot instances on one Azurite, a fixed clock passing Monday
// 08:00 in Hamburg → exactly one post in the officers' channel; a restart the same week posts nothing.
import { ManualClock } from '../../src/clock';
import { isoWeekOf } from '../../src/domain/berlin-time';
import { cardOf, cardText } from '../support/connector';
import { answerData, bankOf, TEST_SURVEY } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { uniquePrefix } from '../support/storage';
import {
  installPersonal,
  installTeam,
  makeTeam,
  makeUser,
  message,
  personalConversationId,
  type TeamsUser,
} from '../support/teams';

describe('weekly digest', () => {
  const prefix = uniquePrefix();
  const officer = makeUser('Dora Digest');
  const team = makeTeam('Digitalisierungsbeauftragte');
  const clock = new ManualClock('2026-11-23T06:59:00Z'); // Monday 07:59 in Hamburg
  const env = { TABLE_PREFIX: prefix, OFFICER_AAD_IDS: officer.aadObjectId, OFFICERS_TEAM_ID: team.id };
  let a: Harness;
  let b: Harness;
  let runId: string;
  const staff = Array.from({ length: 7 }, (_, i) => makeUser(`Person ${i}`));

  const invoke = (h: Harness, user: TeamsUser, verb: string, data: Record<string, unknown> = {}) =>
    h.invoke(user, verb, data);
  /** Posts to the officers' channel (new threads), wherever they were sent from. */
  const channelPosts = () => a.connector.calls.filter((c) => c.kind === 'createConversation');

  beforeAll(async () => {
    a = await startHarness({ env, clock, questionBank: bankOf(TEST_SURVEY) });
    b = await startHarness({ env, clock, questionBank: bankOf(TEST_SURVEY) });
    await a.send(installTeam(team, officer, a.serviceUrl));
    await a.send(installPersonal(officer, a.serviceUrl));
    await invoke(a, officer, 'settings.save', {
      language: 'de',
      district: 'hamburg-nord',
      reminders: 'true',
    });
    for (const u of staff) {
      await a.send(installPersonal(u, a.serviceUrl));
      await invoke(a, u, 'settings.save', {
        language: 'de',
        district: i2d(staff.indexOf(u)),
        reminders: 'true',
      });
    }
    const started = await invoke(a, officer, 'run.start', {
      surveyId: TEST_SURVEY.id,
      closesAt: '2026-12-07',
      districts: '',
    });
    runId = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(cardText(started))![0];
    await a.app.background.idle();
    for (const [i, u] of staff.entries()) {
      await invoke(i % 2 ? a : b, u, `survey.answer:${runId}`, answerData({ q_tools: String((i % 5) + 1) }));
    }
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
  });

  function i2d(i: number): string {
    return ['altona', 'wandsbek', 'harburg'][i % 3]!;
  }

  it('when Monday 08:00 passes with two instances, then exactly one digest reaches the channel', async () => {
    expect(await a.app.digestScheduler.tick()).toBe('not_due');
    expect(await b.app.digestScheduler.tick()).toBe('not_due');
    expect(channelPosts()).toHaveLength(0);

    clock.set('2026-11-23T07:00:05Z'); // 08:00:05 in Hamburg
    const outcomes = await Promise.all([a.app.digestScheduler.tick(), b.app.digestScheduler.tick()]);
    expect(outcomes.sort()).toEqual(['claimed_elsewhere', 'posted'].sort());
    expect(channelPosts()).toHaveLength(1);
    const post = channelPosts()[0]!;
    expect((post.parameters?.channelData as { channel: { id: string } }).channel.id).toBe(team.id);
    const text = cardText(cardOf(post));
    expect(text).toContain('Testumfrage');
    expect(text).toContain('Wochenübersicht');
    expect(text).toContain('KW 47 · 16.11.2026 – 22.11.2026');

    // Later ticks of either instance, and an instance started anew the same week, post nothing.
    clock.set('2026-11-25T12:00:00Z');
    expect(await a.app.digestScheduler.tick()).toBe('already_posted');
    const c = await startHarness({ env, clock, questionBank: bankOf(TEST_SURVEY) });
    try {
      expect(await c.app.digestScheduler.tick()).toBe('already_posted');
    } finally {
      await c.stop();
    }
    expect(channelPosts()).toHaveLength(1);
    const week = await a.app.repositories.digests.getTask('week', isoWeekOf(clock.now()).key);
    expect(week?.status).toBe('done');
    expect(week?.activityId).toBe(post.conversationId);
  });

  it('when the instance holding the claim died, then another takes over after the claim expires', async () => {
    clock.set('2026-11-30T07:00:01Z'); // next Monday 08:00:01
    const weekKey = isoWeekOf(clock.now()).key;
    expect(
      await a.app.repositories.digests.claim('week', weekKey, 'crashed-instance', clock.now(), 10 * 60_000),
    ).toBeDefined();
    expect(await b.app.digestScheduler.tick()).toBe('claimed_elsewhere');
    clock.advance(11 * 60_000);
    expect(await b.app.digestScheduler.tick()).toBe('posted');
    expect(await a.app.digestScheduler.tick()).toBe('already_posted');
    expect(channelPosts()).toHaveLength(2);
    clock.set('2026-11-25T12:00:00Z');
  });

  it('when an officer asks for "digest", then a preview arrives in the 1:1 chat and nothing goes to the channel', async () => {
    const before = channelPosts().length;
    a.connector.clear();
    await a.send(message(officer, 'digest', a.serviceUrl));
    const preview = cardText(cardOf(a.connector.messagesIn(personalConversationId(officer)).at(-1)));
    expect(preview).toContain('Wochenübersicht');
    expect(channelPosts()).toHaveLength(0);
    expect(before).toBeGreaterThan(0);
  });

  it('when an officer says "digest senden" after this week\'s was posted, then Puls asks first and posts only on confirmation', async () => {
    a.connector.clear();
    await a.send(message(officer, 'digest senden', a.serviceUrl));
    expect(channelPosts()).toHaveLength(0);
    const asked = cardOf(a.connector.messagesIn(personalConversationId(officer)).at(-1));
    expect(cardText(asked)).toMatch(/Schon gesendet[\s\S]*seit 23\.11\.2026/);
    expect(cardText(await invoke(a, officer, 'digest.send', { again: 'yes' }))).toContain('gesendet');
    expect(channelPosts()).toHaveLength(1);
  });

  it("when an officer sends the digest before Monday 08:00, then it counts as that week's and the schedule skips the week", async () => {
    clock.set('2026-12-14T06:00:00Z'); // Monday 07:00 in Hamburg
    a.connector.clear();
    await a.send(message(officer, 'digest senden', a.serviceUrl));
    expect(channelPosts()).toHaveLength(1);
    // The digest covers exactly the last ISO week, Monday to Sunday.
    expect(cardText(cardOf(channelPosts()[0]))).toContain('KW 50 · 07.12.2026 – 13.12.2026');
    clock.set('2026-12-14T07:00:05Z');
    expect(await a.app.digestScheduler.tick()).toBe('already_posted');
    expect(await b.app.digestScheduler.tick()).toBe('already_posted');
    expect(channelPosts()).toHaveLength(1);
    clock.set('2026-11-25T12:00:00Z');
  });

  it('when a non-officer asks for the digest or an export, then a polite refusal answers', async () => {
    const user = makeUser('Neugierig');
    await a.send(installPersonal(user, a.serviceUrl));
    for (const text of ['digest', 'digest senden', `export ${runId}`]) {
      a.connector.clear();
      await a.send(message(user, text, a.serviceUrl));
      expect(cardText(cardOf(a.connector.messagesIn(personalConversationId(user)).at(-1)))).toContain(
        'Nur für',
      );
    }
  });

  it('when an officer exports a run, then a signed link serves the aggregates for 15 minutes; other tokens get 403', async () => {
    // A run whose figures were never shown while it was open: its final figures may be exported.
    const started = await invoke(a, officer, 'run.start', {
      surveyId: TEST_SURVEY.id,
      closesAt: '2026-12-07',
      districts: '',
    });
    const fresh = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(cardText(started))![0];
    await a.app.background.idle();
    for (const [i, u] of staff.entries())
      await invoke(a, u, `survey.answer:${fresh}`, answerData({ q_tools: String((i % 5) + 1) }));
    await a.invoke(officer, `run.close:${fresh}`, { confirm: 'yes' });

    const exportPath = async (id: string) => {
      a.connector.clear();
      await a.send(message(officer, `export ${id}`, a.serviceUrl));
      const card = cardOf(a.connector.messagesIn(personalConversationId(officer)).at(-1));
      const url = /"url":"([^"]+)"/.exec(JSON.stringify(card))?.[1];
      expect(url).toMatch(/\/api\/export\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      return new URL(url!).pathname;
    };
    const path = await exportPath(fresh);
    const res = await fetch(`${a.botUrl}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    // German headers, the figures as German spreadsheets read them.
    expect(csv.split('\r\n')[0]).toContain('"Bereich";"Frage-ID";"Frage"');
    expect(csv).toContain('"Teilnehmende";7');
    expect(csv).toContain('Ich habe die Werkzeuge, die ich brauche.');
    // Aggregates only: no free text, no pseudonym.
    expect(csv).not.toMatch(/[0-9a-f]{64}/);

    // The first run was shown in the digest while it was open: once closed, its final figures come
    // out all the same — a view of an open run shows participation only, so nothing is withheld.
    await a.invoke(officer, `run.close:${runId}`, { confirm: 'yes' });
    const final = await (await fetch(`${a.botUrl}${await exportPath(runId)}`)).text();
    expect(final).toContain('Ich habe die Werkzeuge');
    expect(final).toMatch(/"likert5";"gesamt";\d+;\d/);

    expect((await fetch(`${a.botUrl}${path.slice(0, -2)}xx`)).status).toBe(403);
    expect((await fetch(`${a.botUrl}/api/export/not-a-token`)).status).toBe(403);
    clock.advance(15 * 60_000 + 1);
    expect((await fetch(`${a.botUrl}${path}`)).status).toBe(403);
    clock.set('2026-11-25T12:00:00Z');
  });
});

describe('weekly digest without an officers channel', () => {
  it('when the digest is due but Puls is in no team yet, then nothing is posted and the log says why', async () => {
    const clock = new ManualClock('2026-11-23T07:00:05Z');
    const h = await startHarness({ clock, questionBank: bankOf(TEST_SURVEY) });
    try {
      expect(await h.app.digestScheduler.tick()).toBe('no_channel');
      expect(h.connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(0);
      expect(h.logs.join('')).toContain("Puls is not in the officers' team yet");
    } finally {
      await h.stop();
    }
  });
});
