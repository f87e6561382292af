// The directory settings in the configuration: on when the bot identity can get a Graph token or a
// simulator is named, off in plain local mode, and clear errors for the combinations that cannot work.
import { loadConfig } from '../../src/config';

const bot = {
  MicrosoftAppId: 'app',
  MicrosoftAppPassword: 'pw',
  MicrosoftAppTenantId: 'tenant-1',
  PSEUDONYM_KEY: 'k'.repeat(32),
  OFFICERS_TEAM_ID: 'team',
  AZURE_STORAGE_TABLE_URL: 'https://account.table.core.windows.net',
  PUBLIC_BASE_URL: 'https://puls.example.org',
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

  it('when the bot has an identity (its tenant is always configured now), then the directory is on; GRAPH_ENABLED=false turns it off', () => {
    const single = loadConfig({ ...bot, MicrosoftAppType: 'SingleTenant' });
    expect(single.directory).toMatchObject({ enabled: true, tenantId: 'tenant-1' });
    const msi = loadConfig({
      ...bot,
      MicrosoftAppId: '00000000-1111-4222-8333-444444444444',
      MicrosoftAppPassword: '',
      MicrosoftAppType: 'UserAssignedMSI',
    });
    expect(msi.directory.enabled).toBe(true);
    expect(loadConfig({ ...bot, GRAPH_ENABLED: 'false' }).directory.enabled).toBe(false);
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
