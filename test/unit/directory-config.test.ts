// The directory settings in the configuration: on when the bot identity can get a Graph token or a
// simulator is named, off in plain local mode, and clear errors for the combinations that cannot work.
import { loadConfig } from '../../src/config';

const bot = {
  MicrosoftAppId: 'app',
  MicrosoftAppPassword: 'pw',
  PSEUDONYM_KEY: 'k'.repeat(32),
  OFFICERS_TEAM_ID: 'team',
};

describe('directory configuration', () => {
  it('when nothing is configured, then the directory is off and the defaults apply', () => {
    const { directory } = loadConfig({});
    expect(directory).toEqual({
      enabled: false,
      graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      tenantId: undefined,
      districtSourceAttribute: 'companyName',
      districtMappingFile: 'config/district-mapping.json',
      catalogAppId: undefined,
      syncIntervalMs: 6 * 3_600_000,
    });
  });

  it('when the bot has an identity and a tenant, then the directory is on; with several tenants and no app tenant, off', () => {
    const single = loadConfig({ ...bot, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tenant-1' });
    expect(single.directory).toMatchObject({ enabled: true, tenantId: 'tenant-1' });
    const oneAllowed = loadConfig({ ...bot, ALLOWED_TENANT_IDS: 'tenant-2' });
    expect(oneAllowed.directory).toMatchObject({ enabled: true, tenantId: 'tenant-2' });
    const many = loadConfig({ ...bot, ALLOWED_TENANT_IDS: 't1,t2' });
    expect(many.directory.enabled).toBe(false);
    const msi = loadConfig({
      ...bot,
      MicrosoftAppPassword: '',
      MicrosoftAppType: 'UserAssignedMSI',
      ALLOWED_TENANT_IDS: 't1,t2',
    });
    expect(msi.directory.enabled).toBe(true);
  });

  it('when a simulator is named, then the directory is on without a MicrosoftAppId, and GRAPH_ENABLED=false wins', () => {
    const c = loadConfig({
      GRAPH_BASE_URL: 'http://127.0.0.1:4567/v1.0/',
      DISTRICT_SOURCE_ATTRIBUTE: 'department',
      TEAMS_CATALOG_APP_ID: 'cat',
      DIRECTORY_SYNC_HOURS: '2',
    });
    expect(c.directory).toMatchObject({
      enabled: true,
      graphBaseUrl: 'http://127.0.0.1:4567/v1.0',
      districtSourceAttribute: 'department',
      catalogAppId: 'cat',
      syncIntervalMs: 2 * 3_600_000,
    });
    expect(
      loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:1/v1.0', GRAPH_ENABLED: 'false' }).directory.enabled,
    ).toBe(false);
  });

  it.each([
    [{ GRAPH_ENABLED: 'true' }, /^Invalid configuration: GRAPH_ENABLED needs MicrosoftAppId/],
    [
      { ...bot, GRAPH_ENABLED: 'true', ALLOWED_TENANT_IDS: 't1,t2' },
      /^Invalid configuration: MicrosoftAppTenantId is required for the directory/,
    ],
    [
      { GRAPH_BASE_URL: 'http://graph.example/v1.0' },
      /^Invalid configuration: GRAPH_BASE_URL must use https/,
    ],
    [
      { DISTRICT_SOURCE_ATTRIBUTE: 'jobTitle' },
      /^Invalid configuration: DISTRICT_SOURCE_ATTRIBUTE must be one of companyName, department, officeLocation/,
    ],
    [{ DIRECTORY_SYNC_HOURS: '0' }, /^Invalid configuration: DIRECTORY_SYNC_HOURS must be at least 1/],
  ])('when the settings cannot work (%j), then start-up stops naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
