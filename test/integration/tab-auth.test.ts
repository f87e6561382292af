// The officers' tab API over HTTP with Teams SSO: tokens signed with jose by a local JWKS server
// (standing in for Entra's) are validated by the bot; every bad token kind gets 401/403 and no data.
// Without a MicrosoftAppId the tab runs as the local officer, on loopback only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { startHarness, type Harness } from '../support/harness';

const APP_ID = '0b5c2d3e-4f60-4a7b-8c9d-0e1f2a3b4c5d';
const APP_ID_URI = `api://puls.example.org/${APP_ID}`;
const TENANT = '11111111-2222-4333-8444-555555555555';
const FOREIGN_TENANT = '99999999-8888-4777-8666-555555555555';
const OFFICER = 'aaaaaaaa-0000-4000-8000-000000000001';
const GROUP_MEMBER = 'aaaaaaaa-0000-4000-8000-000000000002';
const EMPLOYEE = 'aaaaaaaa-0000-4000-8000-000000000003';
const OFFICER_GROUP = 'bbbbbbbb-0000-4000-8000-00000000000f';
const KID = 'test-key-1';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

describe('officers tab API with Teams SSO', () => {
  let jwks: Server;
  let jwksRequests = 0;
  let signingKey: Key;
  let otherKey: Key;
  let h: Harness;
  let runId: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    signingKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    jwks = createServer((req, res) => {
      jwksRequests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: req.url === '/keys' ? [publicJwk] : [] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    h = await startHarness({
      env: {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'test-secret-not-used',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
        OFFICERS_TEAM_ID: '19:officers@thread.tacv2',
        ALLOWED_TENANT_IDS: TENANT,
        OFFICER_AAD_IDS: OFFICER,
        OFFICER_GROUP_ID: OFFICER_GROUP,
        TAB_APP_ID_URI: APP_ID_URI,
        PUBLIC_BASE_URL: 'https://puls.example.org',
        K_MIN: '3',
        ENTRA_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`,
      },
    });
    // A run needs an audience of at least K people.
    for (const id of ['a', 'b', 'c']) {
      await h.app.repositories.users.saveReference(
        `user-${id}`,
        { conversation: { id: `c-${id}` } } as never,
        'de-DE',
        new Date(),
      );
    }
    const started = await h.app.surveys.startRun(
      { surveyId: 'kulturwandel', closesAt: '2026-12-04' },
      OFFICER,
    );
    if (!started.ok) throw new Error(`could not start a run: ${started.error}`);
    runId = started.run.runId;
  });

  afterAll(async () => {
    await h?.stop();
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  async function token(
    claims: JWTPayload & { tid?: string; oid?: string; groups?: string[] },
    options: {
      key?: Key;
      issuer?: string;
      audience?: string;
      expiresIn?: string | number;
      alg?: string;
    } = {},
  ): Promise<string> {
    const tid = claims.tid ?? TENANT;
    return new SignJWT({ tid, name: 'Dana Beispiel', ...claims })
      .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: KID, typ: 'JWT' })
      .setIssuer(options.issuer ?? `https://login.microsoftonline.com/${tid}/v2.0`)
      .setAudience(options.audience ?? APP_ID)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign(options.key ?? signingKey);
  }

  async function get(
    path: string,
    bearer?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${h.botUrl}/api/tab/${path}`, {
      headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('when an officer sends a valid v2 token (audience = client id), then the runs come back', async () => {
    const res = await get('runs', await token({ oid: OFFICER }));
    expect(res.status).toBe(200);
    expect((res.body.runs as { runId: string }[]).map((r) => r.runId)).toEqual([runId]);
  });

  it('when the token is a v1 token (sts.windows.net issuer, audience = api:// id), then it is accepted', async () => {
    const t = await token(
      { oid: OFFICER },
      { issuer: `https://sts.windows.net/${TENANT}/`, audience: APP_ID_URI },
    );
    const res = await get('session', t);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mode: 'teams', user: { id: OFFICER, name: 'Dana Beispiel' } });
  });

  it('when the user is in the officers group (groups claim), then they are an officer', async () => {
    const res = await get(
      'runs',
      await token({ oid: GROUP_MEMBER, groups: ['x', OFFICER_GROUP.toUpperCase()] }),
    );
    expect(res.status).toBe(200);
  });

  const refused: [string, number, string, () => Promise<string | undefined>][] = [
    ['no token', 401, 'missing_token', async () => undefined],
    [
      'a token signed by another key (forged signature)',
      401,
      'invalid_token',
      () => token({ oid: OFFICER }, { key: otherKey }),
    ],
    [
      'an expired token',
      401,
      'expired',
      () => token({ oid: OFFICER }, { expiresIn: Math.floor(Date.now() / 1000) - 3600 }),
    ],
    [
      'a token for another audience',
      401,
      'wrong_audience',
      () => token({ oid: OFFICER }, { audience: 'api://other-app' }),
    ],
    [
      "a token whose issuer is not its tenant's",
      401,
      'wrong_issuer',
      () => token({ oid: OFFICER }, { issuer: `https://login.microsoftonline.com/${FOREIGN_TENANT}/v2.0` }),
    ],
    [
      'a token from a tenant Puls does not serve',
      403,
      'foreign_tenant',
      () => token({ oid: OFFICER, tid: FOREIGN_TENANT }),
    ],
    [
      'a valid token of someone who is no officer',
      403,
      'not_officer',
      () => token({ oid: EMPLOYEE, groups: ['other'] }),
    ],
    ['an unsigned token (alg none)', 401, 'invalid_token', async () => unsignedToken()],
  ];

  it.each(refused)(
    'when the request carries %s, then it gets %i and no data',
    async (_kind, status, reason, make) => {
      const t = await make();
      for (const path of ['runs', 'ideas', 'session', `runs/${runId}/results`]) {
        const res = await get(path, t);
        expect({ path, status: res.status, message: res.body.message }).toEqual({
          path,
          status,
          message: reason,
        });
        expect(Object.keys(res.body).sort()).toEqual(['error', 'message']);
      }
    },
  );

  it('when a refused caller tries to close a run, then the run stays open', async () => {
    const t = await token({ oid: EMPLOYEE });
    const res = await fetch(`${h.botUrl}/api/tab/runs/${runId}/close`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'x-puls-tab': '1', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    const run = await h.app.surveys.getRun(runId);
    expect(run?.closedAt).toBeUndefined();
  });

  it('when a write request lacks the x-puls-tab header, then it is refused before anything happens', async () => {
    const res = await fetch(`${h.botUrl}/api/tab/runs/${runId}/close`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token({ oid: OFFICER })}` },
    });
    expect(res.status).toBe(403);
    expect((await h.app.surveys.getRun(runId))?.closedAt).toBeUndefined();
  });

  it('when many requests are validated, then the signing keys are fetched once, not per request', () => {
    expect(jwksRequests).toBe(1);
  });

  function unsignedToken(): string {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({
      tid: TENANT,
      oid: OFFICER,
      iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      aud: APP_ID,
      exp: now + 600,
    })}.`;
  }
});

describe('officers tab API in local mode (no MicrosoftAppId)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it('when the page on this machine asks who is signed in, then it is the local officer in local mode', async () => {
    const res = await fetch(`${h.botUrl}/api/tab/session`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ mode: 'local', user: { id: 'local-officer' } });
  });

  it('when a request names another host (DNS rebinding), then it is refused', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${h.botUrl}/api/tab/runs`, { headers: { host: 'evil.example:3978' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
