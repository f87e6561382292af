import { Writable } from 'node:stream';
import { ConfigError, describeMode, loadConfig, secretsOf } from '../../src/config';
import { createLogger } from '../../src/logger';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = '99999999-8888-7777-6666-555555555555';

/** A complete production environment (keyless storage, SingleTenant bot); tests take parts away. */
function production(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'client-secret-value-from-key-vault',
    MicrosoftAppTenantId: TENANT,
    AZURE_STORAGE_TABLE_URL: 'https://pulsdata.table.core.windows.net',
    PUBLIC_BASE_URL: 'https://puls.example.org',
    PSEUDONYM_KEY: 'p'.repeat(44),
    OFFICERS_TEAM_ID: '19:abc@thread.tacv2',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('when the environment is empty, then defaults apply and local mode listens on loopback', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3978);
    expect(c.host).toBe('127.0.0.1');
    expect(c.storage.connectionString).toBeUndefined();
    expect(c.storage.kind).toBe('embedded');
    expect(c.storage.embeddedOptIn).toBe(false);
    expect(c.privacy).toEqual({ kMin: 5, kText: 10, retentionMonths: 24 });
    expect(c.pseudonymKeyIsDevelopmentDefault).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('when no tenant list is given, then local mode serves every tenant and a SingleTenant app its own tenant', () => {
    expect(loadConfig({}).allowedTenantIds).toBeUndefined();
    const single = loadConfig(production({ MicrosoftAppTenantId: 'TENANT-A' }));
    expect([...single.allowedTenantIds!]).toEqual(['tenant-a']);
    const listed = loadConfig({ ALLOWED_TENANT_IDS: 'T1, t2' });
    expect([...listed.allowedTenantIds!]).toEqual(['t1', 't2']);
  });

  it('when officer ids are listed, then they are trimmed and lower-cased', () => {
    const c = loadConfig({ OFFICER_AAD_IDS: ' AAA-1 , bbb-2,, ' });
    expect([...c.officerAadIds]).toEqual(['aaa-1', 'bbb-2']);
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT /],
    [{ PORT: '70000' }, /^Invalid configuration: PORT must be at most 65535/],
    [{ K_MIN: '2' }, /^Invalid configuration: K_MIN must be at least 3/],
    [{ K_MIN: '8', K_TEXT: '6' }, /^Invalid configuration: K_TEXT /],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL must be one of/],
    [{ MicrosoftAppId: 'id' }, /^Invalid configuration: MicrosoftAppPassword /],
    [{ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' }, /^Invalid configuration: MicrosoftAppTenantId /],
    [
      { MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: 't' },
      /^Invalid configuration: PSEUDONYM_KEY /,
    ],
    [production({ OFFICERS_TEAM_ID: undefined }), /^Invalid configuration: OFFICERS_TEAM_ID is required/],
    [
      production({ MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: undefined }),
      /^Invalid configuration: ALLOWED_TENANT_IDS is required/,
    ],
    [
      production({ AZURE_STORAGE_TABLE_URL: undefined }),
      /^Invalid configuration: AZURE_STORAGE_TABLE_URL is required/,
    ],
    [production({ PUBLIC_BASE_URL: undefined }), /^Invalid configuration: PUBLIC_BASE_URL is required/],
    [
      production({ PUBLIC_BASE_URL: 'http://puls.example.org' }),
      /^Invalid configuration: PUBLIC_BASE_URL must be an https address/,
    ],
    [
      production({ AZURE_STORAGE_TABLE_URL: 'http://pulsdata.table.core.windows.net' }),
      /^Invalid configuration: AZURE_STORAGE_TABLE_URL must be an https address/,
    ],
    [
      production({ AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }),
      /^Invalid configuration: AZURE_STORAGE_TABLE_URL and AZURE_STORAGE_CONNECTION_STRING are both set/,
    ],
    [production({ PULS_EMBEDDED_STORAGE: 'true' }), /^Invalid configuration: PULS_EMBEDDED_STORAGE /],
    [
      production({ MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppId: 'not-a-guid' }),
      /^Invalid configuration: MicrosoftAppId must be the client id/,
    ],
    [
      production({ MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: undefined }),
      /^Invalid configuration: MicrosoftAppTenantId is required when MicrosoftAppType=UserAssignedMSI/,
    ],
    [
      production({ PSEUDONYM_KEY: '@Microsoft.KeyVault(VaultName=puls-kv;SecretName=pseudonym-key)' }),
      /^Invalid configuration: PSEUDONYM_KEY is an unresolved Key Vault reference/,
    ],
    [
      production({ AZURE_CLIENT_ID: 'my-identity' }),
      /^Invalid configuration: AZURE_CLIENT_ID must be the client id/,
    ],
    [{ PSEUDONYM_KEY: 'short' }, /^Invalid configuration: PSEUDONYM_KEY must be at least 32/],
    [{ TABLE_PREFIX: 'bad-prefix' }, /^Invalid configuration: TABLE_PREFIX /],
  ])('when the environment is %j, then start-up stops with one line naming the variable', (env, message) => {
    const error = configError(env);
    expect(error).toMatch(message);
    expect(error).not.toContain('\n');
  });
});

describe('production configuration', () => {
  it('when everything production needs is set, then the bot is SingleTenant by default on keyless storage', () => {
    const c = loadConfig(production({ MicrosoftAppType: undefined }));
    expect(c.bot.appType).toBe('SingleTenant');
    expect(c.host).toBe('0.0.0.0');
    expect(c.storage).toMatchObject({
      kind: 'entra-id',
      tableUrl: 'https://pulsdata.table.core.windows.net',
      connectionString: undefined,
      managedIdentityClientId: undefined,
      embeddedOptIn: false,
    });
    expect([...c.allowedTenantIds!]).toEqual([TENANT]);
    expect(c.publicBaseUrl).toBe('https://puls.example.org');
  });

  it('when MicrosoftAppId is set without any storage but PULS_EMBEDDED_STORAGE=true, then the trial runs on the embedded Azurite', () => {
    const c = loadConfig(production({ AZURE_STORAGE_TABLE_URL: undefined, PULS_EMBEDDED_STORAGE: 'true' }));
    expect(c.storage.kind).toBe('embedded');
    expect(c.storage.embeddedOptIn).toBe(true);
    expect(describeMode(c, 'i-1').storage).toMatch(/PULS_EMBEDDED_STORAGE=true: a trial/);
  });

  it('when a connection string is set instead, then it is used (Azurite or an account key)', () => {
    const c = loadConfig(
      production({
        AZURE_STORAGE_TABLE_URL: undefined,
        AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      }),
    );
    expect(c.storage.kind).toBe('connection-string');
  });

  it('when the bot is a user-assigned managed identity, then the tables use the same identity unless AZURE_CLIENT_ID names another', () => {
    const msi = production({ MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppPassword: undefined });
    const same = loadConfig(msi);
    expect(same.bot).toMatchObject({ appType: 'UserAssignedMSI', appId: APP_ID, appPassword: '' });
    expect(same.storage.managedIdentityClientId).toBe(APP_ID);
    const other = '22222222-3333-4444-5555-666666666666';
    expect(loadConfig({ ...msi, AZURE_CLIENT_ID: other }).storage.managedIdentityClientId).toBe(other);
    expect(loadConfig(production({ AZURE_CLIENT_ID: other })).storage.managedIdentityClientId).toBe(other);
  });

  it('when no MicrosoftAppId is set, then the app type handed to botbuilder is its unauthenticated one', () => {
    expect(loadConfig({}).bot.appType).toBe('MultiTenant');
  });
});

describe('the start-up mode line', () => {
  it('when described, then it names storage kind, auth mode, tenants, instance and send rate, and no secret', () => {
    const keyed = loadConfig(
      production({
        AZURE_STORAGE_TABLE_URL: undefined,
        AZURE_STORAGE_CONNECTION_STRING:
          'DefaultEndpointsProtocol=https;AccountName=pulsdata;AccountKey=SECRETKEY123==;EndpointSuffix=core.windows.net',
        SEND_RATE_PER_S: '40',
      }),
    );
    const mode = describeMode(keyed, 'web-1-abc');
    expect(mode).toEqual({
      storage: 'connection string for account pulsdata',
      auth: `SingleTenant bot ${APP_ID} in tenant ${TENANT}`,
      tenants: TENANT,
      instanceId: 'web-1-abc',
      sendRatePerSecond: 40,
      listen: '0.0.0.0:3978',
    });
    const text = JSON.stringify(mode);
    for (const secret of secretsOf(keyed)) expect(text).not.toContain(secret);

    const keyless = describeMode(loadConfig(production({ AZURE_CLIENT_ID: APP_ID })), 'web-2');
    expect(keyless.storage).toBe(
      `Table endpoint https://pulsdata.table.core.windows.net with Microsoft Entra tokens of managed identity ${APP_ID}`,
    );
    expect(describeMode(loadConfig({}), 'dev').auth).toMatch(/^none: no MicrosoftAppId/);
  });
});

describe('logging', () => {
  it('when secrets are logged by mistake, then they never reach the output', () => {
    const config = loadConfig(
      production({
        MicrosoftAppPassword: 'super-secret-password-value',
        PSEUDONYM_KEY: 'k'.repeat(40),
        AZURE_STORAGE_TABLE_URL: undefined,
        AZURE_STORAGE_CONNECTION_STRING:
          'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=SECRETKEY123==;',
      }),
    );
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      secrets: secretsOf(config),
      destination: new Writable({
        write(chunk: Buffer, _e, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    });
    logger.info({ config }, 'config');
    logger.info(`password is ${config.bot.appPassword} and key ${config.pseudonymKey}`);
    logger.error({ err: new Error(`failed with AccountKey=SECRETKEY123==`) }, 'oops');
    const out = lines.join('');
    expect(out).toContain('[redacted]');
    expect(out).not.toContain('super-secret-password-value');
    expect(out).not.toContain('k'.repeat(40));
    expect(out).not.toContain('SECRETKEY123');
  });
});
