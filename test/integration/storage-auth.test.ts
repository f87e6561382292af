// The keyless storage path for real: Azurite's table service over HTTPS (a self-signed certificate
// made here) with `--oauth basic`, which refuses requests without a credential and checks each bearer
// token's lifetime, issuer and audience (not its signature: Azurite has no Entra keys). Tokens come
// from a local credential, and, through the real entry point, from DefaultAzureCredential talking
// to a stand-in for App Service's managed identity endpoint.
import type { TokenCredential } from '@azure/identity';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type RunningAzurite } from '../../src/storage/azurite';
import { statusOf, TableStore } from '../../src/storage/tables';
import {
  createTestCertificate,
  FakeManagedIdentityEndpoint,
  issueToken,
  type TestCertificate,
  type TokenClaims,
} from '../support/entra';
import { loggedPort, spawnTs } from '../support/processes';
import { TEST_STORAGE_LIMITS, uniquePrefix } from '../support/storage';

// The real entry point compiles and starts in a child process: on a busy two-core machine that
// alone has taken over 30 s, so these tests wait longer than the default.
jest.setTimeout(120_000);

const STORAGE_AUDIENCE = 'https://storage.azure.com';
const IDENTITY = '5f3d9a4e-2b1c-4d6e-8f70-112233445566';
const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

let dir: string;
let cert: TestCertificate;
let azurite: RunningAzurite;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'puls-tls-'));
  cert = createTestCertificate(dir);
  azurite = await startAzurite({ https: cert, oauth: 'basic' });
});

afterAll(async () => {
  await azurite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A credential that records the scopes asked for and hands out tokens with the given claims. */
function localCredential(claims: TokenClaims, scopes: string[][] = []): TokenCredential {
  return {
    getToken: async (scope) => {
      scopes.push(Array.isArray(scope) ? scope : [scope]);
      const { token, expiresOn } = issueToken(claims);
      return { token, expiresOnTimestamp: expiresOn * 1000 };
    },
  };
}

function storeWith(credential: TokenCredential): TableStore {
  return new TableStore({
    url: azurite.tableUrl,
    credential,
    prefix: uniquePrefix(),
    limits: TEST_STORAGE_LIMITS,
    // Trust the test certificate; in Azure the account's certificate is publicly trusted.
    clientOptions: { tlsOptions: { ca: cert.certPem } },
  });
}

function getWithoutCredential(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: cert.certPem, headers: { accept: 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('TableStore with an https endpoint and a Microsoft Entra credential', () => {
  it('when the token is for storage, then tables are created, written and read, and storage scope is asked for', async () => {
    const scopes: string[][] = [];
    const store = storeWith(localCredential({ aud: STORAGE_AUDIENCE, appid: IDENTITY }, scopes));
    await store.ensureTables();
    await store.ping();
    const users = store.client('users');
    await users.upsertEntity({ partitionKey: 'p', rowKey: 'r', locale: 'de' });
    expect((await users.getEntity<{ locale: string }>('p', 'r')).locale).toBe('de');
    expect(new Set(scopes.flat())).toEqual(new Set(['https://storage.azure.com/.default']));
    await store.dropTables();
  });

  it('when a request carries no credential at all, then the endpoint refuses it', async () => {
    expect(await getWithoutCredential(`${azurite.tableUrl}/Tables`)).toBe(403);
  });

  it.each<[string, TokenClaims]>([
    ['for another audience', { aud: 'https://vault.azure.net' }],
    ['expired', { aud: STORAGE_AUDIENCE, expiresInS: -300 }],
    ['from a foreign issuer', { aud: STORAGE_AUDIENCE, iss: 'https://login.example.org/' }],
  ])('when the token is %s, then every call is refused with 403', async (_label, claims) => {
    const store = storeWith(localCredential(claims));
    const err = await store.ping().catch((e: unknown) => e);
    expect(statusOf(err)).toBe(403);
  });
});

describe('the entry point with AZURE_STORAGE_TABLE_URL and a managed identity', () => {
  let identity: FakeManagedIdentityEndpoint;

  beforeEach(async () => {
    identity = new FakeManagedIdentityEndpoint();
    await identity.start();
  });
  afterEach(() => identity.stop());

  /** What an App Service with a user-assigned identity gives the process, plus Puls' settings. */
  async function startBot(env: Record<string, string>) {
    // Port 0: the bot reports the port it got (one picked beforehand could be taken meanwhile).
    const run = spawnTs('bot/main.ts', {
      PORT: '0',
      HOST: '127.0.0.1',
      TABLE_PREFIX: uniquePrefix(),
      AZURE_STORAGE_TABLE_URL: azurite.tableUrl,
      // Trust the test certificate, as the machine trusts the real account's.
      NODE_EXTRA_CA_CERTS: cert.certPath,
      ...identity.environment(),
      ...env,
    });
    /** Once it listens. */
    const port = () => loggedPort(run.output(), 'Puls listening');
    return { run, port };
  }

  async function waitForExitOrListening(
    run: ReturnType<typeof spawnTs>,
  ): Promise<'listening' | number | null> {
    return Promise.race([
      run.exited,
      new Promise<'listening'>((resolve) => {
        const poll = setInterval(() => {
          if (run.output().includes('Puls listening')) {
            clearInterval(poll);
            resolve('listening');
          }
        }, 50);
        void run.exited.then(() => clearInterval(poll));
      }),
    ]);
  }

  it('when AZURE_CLIENT_ID names the identity, then tokens for it open the tables and /healthz answers 200', async () => {
    const { run, port } = await startBot({ AZURE_CLIENT_ID: IDENTITY });
    try {
      expect(await waitForExitOrListening(run)).toBe('listening');
      const res = await fetch(`http://127.0.0.1:${port()}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', storage: 'ok' });
      expect(identity.requests.length).toBeGreaterThan(0);
      expect(identity.requests[0]).toEqual({
        resource: STORAGE_AUDIENCE,
        clientId: IDENTITY,
        apiVersion: '2019-08-01',
      });
      expect(run.output()).toContain(`with Microsoft Entra tokens of managed identity ${IDENTITY}`);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('when the bot itself is the user-assigned identity (UserAssignedMSI), then the same identity reaches the tables and unauthenticated turns get 401', async () => {
    const { run, port } = await startBot({
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppId: IDENTITY,
      MicrosoftAppTenantId: TENANT,
      PUBLIC_BASE_URL: 'https://puls.example.org',
      PSEUDONYM_KEY: 'k'.repeat(44),
      OFFICERS_TEAM_ID: '19:officers@thread.tacv2',
      DIGEST_ENABLED: 'false',
    });
    try {
      expect(await waitForExitOrListening(run)).toBe('listening');
      expect((await fetch(`http://127.0.0.1:${port()}/healthz`)).status).toBe(200);
      expect(identity.requests.map((r) => r.clientId)).toContain(IDENTITY);
      const turn = await fetch(`http://127.0.0.1:${port()}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // A well-formed activity (a malformed one is refused with 400 before authentication).
        body: JSON.stringify({
          type: 'message',
          text: 'hilfe',
          channelId: 'msteams',
          serviceUrl: 'https://smba.trafficmanager.net/emea/',
          conversation: { id: 'a:personal-1' },
        }),
      });
      expect(turn.status).toBe(401);
      expect(run.output()).toContain(`UserAssignedMSI bot ${IDENTITY} in tenant ${TENANT}`);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('when the identity endpoint hands out tokens the table service refuses, then start-up stops with one line', async () => {
    identity.audience = 'https://vault.azure.net';
    const { run } = await startBot({ AZURE_CLIENT_ID: IDENTITY });
    try {
      expect(await waitForExitOrListening(run)).toBe(1);
      const lines = run
        .output()
        .split('\n')
        .filter((l) => l.startsWith('Puls failed to start'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Puls failed to start: cannot open the tables \(entra-id\): .*audience/i);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
