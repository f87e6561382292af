// The officers' tab in the Teams app manifest: a personal static tab, a channel tab with its setup
// page, SSO (webApplicationInfo) and validDomains, all on the bot's own host, and the SSO resource
// the same Application ID URI the server accepts as audience by default.
import { AppManifestUtils } from '@microsoft/app-manifest';
import { loadConfig } from '../../src/config';
import { loadManifest } from '../../manifest/package';

// See manifest.test.ts: @microsoft/app-manifest requires an ES module jest cannot load.
jest.mock('strip-bom', () => ({ __esModule: true, default: (text: string) => text.replace(/^\uFEFF/, '') }));

const BOT_ID = '0b5c2d3e-4f60-4a7b-8c9d-0e1f2a3b4c5d';
const DOMAIN = 'puls.bezirksamt.example';

interface TabManifest {
  staticTabs?: { entityId: string; contentUrl?: string; scopes: string[]; name?: string }[];
  configurableTabs?: { configurationUrl: string; scopes: string[]; canUpdateConfiguration?: boolean }[];
  webApplicationInfo?: { id: string; resource: string };
  validDomains?: string[];
}

describe('the officers tab in the app manifest', () => {
  const manifest = loadManifest(BOT_ID, DOMAIN) as unknown as TabManifest;

  it('when the manifest is filled in, then it is still valid against its schema', async () => {
    expect(await AppManifestUtils.validateAgainstSchema(loadManifest(BOT_ID, DOMAIN))).toEqual([]);
  });

  it('when the static tabs are read, then the officers tab is personal and served from the bot under /tab/', () => {
    const tab = manifest.staticTabs?.find((t) => t.entityId === 'puls-officers');
    expect(tab).toMatchObject({ scopes: ['personal'], name: 'Beauftragte' });
    expect(tab?.contentUrl).toBe(`https://${DOMAIN}/tab/?view=runs`);
    // The bot's chat stays a tab of its own next to it.
    expect(manifest.staticTabs?.map((t) => t.entityId)).toContain('conversations');
  });

  it("when the configurable tab is read, then it is for a team's channel with the setup page on the bot", () => {
    expect(manifest.configurableTabs).toEqual([
      expect.objectContaining({ configurationUrl: `https://${DOMAIN}/tab/configure`, scopes: ['team'] }),
    ]);
  });

  it('when SSO is read, then the resource is the Application ID URI the server accepts by default', () => {
    expect(manifest.validDomains).toEqual([DOMAIN]);
    expect(manifest.webApplicationInfo).toEqual({ id: BOT_ID, resource: `api://${DOMAIN}/${BOT_ID}` });
    const config = loadConfig({
      MicrosoftAppId: BOT_ID,
      MicrosoftAppPassword: 'x',
      MicrosoftAppTenantId: '11111111-2222-4333-8444-555555555555',
      PSEUDONYM_KEY: 'k'.repeat(32),
      OFFICERS_TEAM_ID: '19:x@thread.tacv2',
      PUBLIC_BASE_URL: `https://${DOMAIN}/`,
      AZURE_STORAGE_TABLE_URL: 'https://account.table.core.windows.net',
    });
    expect(config.tab.appIdUri).toBe(manifest.webApplicationInfo?.resource);
  });

  it('when TAB_APP_ID_URI is not an api:// URI, then the configuration names it', () => {
    expect(() => loadConfig({ TAB_APP_ID_URI: 'https://example.org' })).toThrow(/TAB_APP_ID_URI/);
    expect(() => loadConfig({ OFFICER_GROUP_ID: 'officers' })).toThrow(/OFFICER_GROUP_ID/);
  });
});
