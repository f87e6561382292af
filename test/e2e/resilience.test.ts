// Malformed and hostile activities over HTTP: each gets a 4xx or a clear card in under a second
// (the bound, measured per request), never a 5xx or a hang, and nothing internal leaks.
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { cardOf, cardText } from '../support/connector';
import { startHarness, type Harness } from '../support/harness';
import {
  cardAction,
  installPersonal,
  makeUser,
  message,
  personalConversationId,
  TENANT_ID,
  type TeamsUser,
} from '../support/teams';

/** The bound for a malformed activity. */
const MALFORMED_BOUND_MS = 1_000;

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('malformed activities (local mode)', () => {
  let h: Harness;
  const user = makeUser('Mara Malformed');

  beforeAll(async () => {
    h = await startHarness();
    await h.send(installPersonal(user, h.serviceUrl));
    await h.invoke(user, 'settings.save', { language: 'de', district: 'altona', reminders: 'true' });
  });
  afterAll(() => h.stop());

  const expectQuick4xx = async (activity: Partial<Activity>) => {
    const { result, ms } = await timed(() => h.send(activity));
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(500);
    expect(ms).toBeLessThan(MALFORMED_BOUND_MS);
    return result;
  };

  it('when an activity has no type, then it is refused with 400', async () => {
    const { type: _type, ...untyped } = message(user, 'hilfe', h.serviceUrl);
    const res = await expectQuick4xx(untyped);
    expect(res.status).toBe(400);
  });

  it('when the body is not an activity at all, then it is refused with 400', async () => {
    const res = await fetch(`${h.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(['not', 'an', 'activity']),
    });
    expect(res.status).toBe(400);
  });

  it.each(['puls/unknown', 'composeExtension/query', 'task/fetch'])(
    'when an invoke named %s arrives, which Puls does not handle, then it is refused with 400',
    async (name) => {
      const res = await expectQuick4xx({ ...cardAction(user, 'help', {}, h.serviceUrl), name });
      expect(res.status).toBe(400);
    },
  );

  it('when a message has no serviceUrl, then it is refused at once instead of trying a public endpoint', async () => {
    const { serviceUrl: _s, ...noServiceUrl } = message(user, 'hilfe', h.serviceUrl);
    const res = await expectQuick4xx(noServiceUrl);
    expect(res.status).toBe(400);
  });

  it('when the serviceUrl is not an http(s) address, then it is refused with 400', async () => {
    await expectQuick4xx(message(user, 'hilfe', 'javascript:alert(1)'));
  });

  it.each([[123], [{ nested: 'object' }], [['a', 'list']]])(
    'when text is not a string (%j), then it is refused with 400',
    async (text) => {
      await expectQuick4xx({ ...message(user, 'hilfe', h.serviceUrl), text } as unknown as Partial<Activity>);
    },
  );

  it('when a card action carries a 100 KB verb, then a clear "no longer available" card comes back at once', async () => {
    const verb = `survey.answer:${'x'.repeat(100 * 1024)}`;
    const logsBefore = h.logs.length;
    const { result, ms } = await timed(() => h.send(cardAction(user, verb, {}, h.serviceUrl)));
    expect(result.status).toBe(200);
    expect(ms).toBeLessThan(MALFORMED_BOUND_MS);
    const card = (result.body as { value: unknown }).value;
    expect(cardText(card)).toContain('nicht mehr verfügbar');
    // The verb is not copied into the logs either.
    expect(h.logs.slice(logsBefore).join('').length).toBeLessThan(10_000);
  });

  it('when the idea list is asked for with a forged continuation token, then a clear card comes back', async () => {
    for (const token of ['forged', 'eyJuZXh0UGFydGl0aW9uS2V5IjoiJyBvciAxPTEifQ==', 'x'.repeat(20_000)]) {
      const { result, ms } = await timed(() =>
        h.send(
          cardAction(
            user,
            'idea.list',
            { sort: 'newest', field: 'all', district: 'all', token },
            h.serviceUrl,
          ),
        ),
      );
      expect(result.status).toBe(200);
      expect(ms).toBeLessThan(MALFORMED_BOUND_MS);
      const text = cardText((result.body as { value: unknown }).value);
      expect(text).not.toContain('Es ist ein Fehler aufgetreten');
      expect(text).toMatch(/Ideen|nicht mehr verfügbar/);
    }
  });

  it('when an idea is supported and withdrawn with want as a boolean, then both work', async () => {
    const author = makeUser('Anton Author');
    await h.send(installPersonal(author, h.serviceUrl));
    await h.invoke(author, 'settings.save', { language: 'de', district: 'altona', reminders: 'true' });
    const title = `Boolesche Unterstützung ${randomUUID().slice(0, 6)}`;
    const submitted = await h.invoke(author, 'idea.submit', {
      title,
      description: 'Eine Idee, die mit einem echten Wahrheitswert unterstützt und zurückgezogen wird.',
      field: 'nutzerorientierung',
      district: 'altona',
      anonymous: 'false',
    });
    expect(cardText(submitted)).toContain('Danke für Ihre Idee!');
    let ideaId: string | undefined;
    for await (const idea of h.app.repositories.ideas.list()) if (idea.title === title) ideaId = idea.ideaId;
    expect(ideaId).toBeDefined();
    const supported = cardText(await h.invoke(user, 'idea.support', { ideaId, want: true }));
    expect(supported).toMatch(/unterstützt/i);
    const row = async () => (await h.app.repositories.ideas.get(ideaId!))?.supportCount ?? Number.NaN;
    expect(await row()).toBe(1);
    const withdrawn = cardText(await h.invoke(user, 'idea.support', { ideaId, want: false }));
    expect(withdrawn).not.toContain('nicht mehr verfügbar');
    expect(await row()).toBe(0);
  });

  it('when a well-formed message follows all of these, then the bot still answers it', async () => {
    const res = await h.send(message(user, 'hilfe', h.serviceUrl));
    expect(res.status).toBe(200);
    expect(cardText(cardOf(h.connector.messagesIn(personalConversationId(user)).at(-1)))).toContain(
      'Was Puls kann',
    );
  });
});

describe('authentication (production mode)', () => {
  let h: Harness;
  const user: TeamsUser = makeUser('Ingrid Intruder');
  const APP_ID = '11111111-2222-3333-4444-555555555555';

  beforeAll(async () => {
    h = await startHarness({
      env: {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'not-a-real-secret-value',
        MicrosoftAppTenantId: TENANT_ID,
        PUBLIC_BASE_URL: 'https://puls.example.org',
        OFFICERS_TEAM_ID: '19:officers@thread.tacv2',
        DIGEST_ENABLED: 'false',
      },
    });
  });
  afterAll(() => h.stop());

  /**
   * A JWT with plausible claims, signed by a key nobody trusts. (Offline, as here, the Bot
   * Framework's signing keys cannot even be fetched; online the signature check fails. A 401 both ways.)
   */
  function forgedJwt(): string {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const header = b64({ alg: 'RS256', typ: 'JWT', kid: 'forged-key' });
    const now = Math.floor(Date.now() / 1000);
    const payload = b64({
      iss: 'https://api.botframework.com',
      aud: APP_ID,
      serviceurl: h.serviceUrl,
      nbf: now - 60,
      exp: now + 3600,
    });
    const signature = createSign('RSA-SHA256')
      .update(`${header}.${payload}`)
      .sign(privateKey)
      .toString('base64url');
    return `${header}.${payload}.${signature}`;
  }

  it.each([
    ['no Authorization header', undefined],
    ['a header that is not a bearer token', 'Basic dXNlcjpwYXNz'],
    ['a bearer token that is not a JWT', 'Bearer not-a-jwt'],
    ['a JWT signed by an unknown key', 'FORGED'],
  ])(
    'when a request comes with %s, then it is a 401 whose body tells nothing internal',
    async (_what, auth) => {
      const headers: Record<string, string> = {};
      if (auth) headers.authorization = auth === 'FORGED' ? `Bearer ${forgedJwt()}` : auth;
      const before = h.connector.calls.length;
      const res = await fetch(`${h.botUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(message(user, 'hilfe', h.serviceUrl)),
      });
      const body = await res.text();
      expect(res.status).toBe(401);
      expect(body).not.toMatch(/error|stack|at .*\.js|jwt|token|signature|issuer|openid|key/i);
      expect(body.length).toBeLessThan(200);
      expect(h.connector.calls.length).toBe(before);
    },
  );
});
