import { Writable } from 'node:stream';
import { ConfigError, loadConfig, secretsOf } from '../../src/config';
import { createLogger } from '../../src/logger';

describe('loadConfig', () => {
  it('when the environment is empty, then defaults apply and local mode listens on loopback', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3978);
    expect(c.host).toBe('127.0.0.1');
    expect(c.storage.connectionString).toBeUndefined();
    expect(c.privacy).toEqual({ kMin: 5, kText: 10, retentionMonths: 24 });
    expect(c.pseudonymKeyIsDevelopmentDefault).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('when no tenant list is given, then local mode serves every tenant and a SingleTenant app its own tenant', () => {
    expect(loadConfig({}).allowedTenantIds).toBeUndefined();
    const single = loadConfig({
      MicrosoftAppId: 'id',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'TENANT-A',
      PSEUDONYM_KEY: 'k'.repeat(32),
      OFFICERS_TEAM_ID: 'team',
    });
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
    [{ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' }, /^Invalid configuration: PSEUDONYM_KEY /],
    [
      { MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw', PSEUDONYM_KEY: 'k'.repeat(32) },
      /^Invalid configuration: OFFICERS_TEAM_ID is required/,
    ],
    [
      {
        MicrosoftAppId: 'id',
        MicrosoftAppPassword: 'pw',
        PSEUDONYM_KEY: 'k'.repeat(32),
        OFFICERS_TEAM_ID: 't',
      },
      /^Invalid configuration: ALLOWED_TENANT_IDS is required/,
    ],
    [{ PSEUDONYM_KEY: 'short' }, /^Invalid configuration: PSEUDONYM_KEY must be at least 32/],
    [{ TABLE_PREFIX: 'bad-prefix' }, /^Invalid configuration: TABLE_PREFIX /],
  ])('when the environment is %j, then start-up stops with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('logging', () => {
  it('when secrets are logged by mistake, then they never reach the output', () => {
    const config = loadConfig({
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'super-secret-password-value',
      PSEUDONYM_KEY: 'k'.repeat(40),
      OFFICERS_TEAM_ID: 'officers',
      ALLOWED_TENANT_IDS: 'tenant',
      AZURE_STORAGE_CONNECTION_STRING:
        'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=SECRETKEY123==;',
    });
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
