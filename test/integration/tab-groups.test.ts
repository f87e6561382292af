// The tab's group search and reach preview (#14) over HTTP: with the directory (the Graph simulator)
// a search needs two characters and answers with at most ten groups, the reach preview counts what
// the simulator's data says, and a run started from the tab with a group reaches its members;
// without the directory the search says so and a group start is refused as a groups error (not as
// "audience"); the route is behind the tab's SSO like every other (401 without a token, 403 for a
// non-officer).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { GRAPH_DOCUMENTED_LIMITS } from '../../src/directory/rate-limit';
import { ManualClock } from '../../src/clock';
import type { GroupSearchView, ReachPreviewView, StartRunResultView } from '../../src/tab/view-types';
import { bankOf, TEST_SURVEY } from '../support/fixtures';
import { GraphSimulator, simulatedCity, type SimUser } from '../support/graph-simulator';
import { startHarness, type Harness } from '../support/harness';
import { installPersonal, type TeamsUser } from '../support/teams';

jest.setTimeout(120_000);

const teamsUserOf = (u: SimUser): TeamsUser => ({
  id: `29:${u.id}`,
  aadObjectId: u.id,
  name: '',
  locale: 'de-DE',
});

describe('tab group search with the directory', () => {
  let h: Harness;
  let graphSim: GraphSimulator;
  const city = simulatedCity({ users: 120, groups: 2, groupSize: 30, seed: 3 });
  const isMember = (u: SimUser) => u.accountEnabled && u.userType === 'Member';
  // Twelve groups named alike: the search may show ten of them.
  const projects = Array.from({ length: 12 }, (_, i) => ({
    id: `0000000${i.toString(16)}-1111-4222-8333-444444444444`,
    displayName: `Projektgruppe ${i + 1}`,
    members: city.users.slice(i * 5, i * 5 + 5).map((u) => u.id),
  }));
  const installed = city.users.filter((_, i) => i % 3 === 0);

  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${h.botUrl}/api/tab/${path}`);
    return { status: res.status, body: (await res.json()) as T };
  };
  const post = async <T>(path: string, body: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${h.botUrl}/api/tab/${path}`, {
      method: 'POST',
      headers: { 'x-puls-tab': '1', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    graphSim = new GraphSimulator({ scale: 20, catalogAppId: 'puls-catalog' });
    await graphSim.start();
    graphSim.addUsers(city.users);
    for (const g of [...city.groups, ...projects]) graphSim.addGroup(g);
    h = await startHarness({
      clock: new ManualClock('2026-11-23T09:00:00Z'),
      questionBank: bankOf(TEST_SURVEY),
      env: {
        GRAPH_BASE_URL: graphSim.baseUrl,
        TEAMS_CATALOG_APP_ID: 'puls-catalog',
        LOG_LEVEL: 'warn',
        K_MIN: '3',
      },
      app: {
        graphLimits: {
          directoryUnitsPer10s: GRAPH_DOCUMENTED_LIMITS.directoryUnitsPer10s * 20 * 0.9,
          teamsReadPerSecond: GRAPH_DOCUMENTED_LIMITS.teamsReadPerSecond * 20 * 0.9,
          teamsWritePerSecond: GRAPH_DOCUMENTED_LIMITS.teamsWritePerSecond * 20 * 0.9,
        },
      },
    });
    for (const u of installed)
      expect((await h.send(installPersonal(teamsUserOf(u), h.serviceUrl))).status).toBe(200);
    await h.app.directory!.sync.tick();
  });

  afterAll(async () => {
    await h?.stop();
    await graphSim?.stop();
  });

  it('when the officer searches a group by two characters or more, then at most ten matching groups come back', async () => {
    const res = await get<GroupSearchView>('directory/groups?q=Projektgr');
    expect(res.status).toBe(200);
    if (!res.body.available) throw new Error('directory not available');
    expect(res.body.slow).toBe(false);
    expect(res.body.groups).toHaveLength(10);
    for (const g of res.body.groups) expect(g.name).toMatch(/^Projektgruppe \d+$/);
    const ids = new Set(projects.map((p) => p.id));
    for (const g of res.body.groups) expect(ids.has(g.id)).toBe(true);
  });

  it('when the search has fewer than two characters, then no groups come back; longer than 100 is refused', async () => {
    expect((await get<GroupSearchView>('directory/groups?q=P')).body).toEqual({
      available: true,
      groups: [],
      slow: false,
    });
    expect((await get<GroupSearchView>('directory/groups')).body).toEqual({
      available: true,
      groups: [],
      slow: false,
    });
    expect((await get('directory/groups?q=' + 'x'.repeat(101))).status).toBe(400);
    expect((await get('directory/groups?q=ab&other=1')).status).toBe(400);
  });

  it('when the officer picks a group, then the reach preview and the started run count its members', async () => {
    const group = projects[3]!;
    const members = city.users.filter((u) => group.members.includes(u.id) && isMember(u));
    const installedMembers = members.filter((u) => installed.includes(u));
    const reach = await post<ReachPreviewView>('directory/reach', { districts: [], groupIds: [group.id] });
    expect(reach.status).toBe(200);
    expect(reach.body).toMatchObject({
      kind: 'directory',
      audience: members.length,
      installed: installedMembers.length,
    });
    expect((await post('directory/reach', { groupIds: ['not-a-group'] })).status).toBe(400);

    const started = await post<StartRunResultView>('runs', {
      surveyId: TEST_SURVEY.id,
      closesOn: '2026-12-07',
      districts: [],
      groupIds: [group.id],
      groupNames: { [group.id]: group.displayName },
    });
    expect(started.status).toBe(200);
    if (started.body.kind !== 'started') throw new Error(JSON.stringify(started.body));
    expect(started.body.recipients).toBe(members.length);
    await h.app.background.idle();
    const run = await h.app.surveys.getRun(started.body.run.runId);
    expect(run?.audience).toMatchObject({
      kind: 'directory',
      groups: [{ id: group.id, name: group.displayName }],
    });
  });
});

describe('tab group search without the directory', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ questionBank: bankOf(TEST_SURVEY), env: { K_MIN: '3' } });
  });
  afterAll(() => h?.stop());

  it('when there is no directory, then the search says so and a start with a group is a groups error', async () => {
    const res = await fetch(`${h.botUrl}/api/tab/directory/groups?q=Projekt`);
    expect(await res.json()).toEqual({ available: false });
    const started = await fetch(`${h.botUrl}/api/tab/runs`, {
      method: 'POST',
      headers: { 'x-puls-tab': '1', 'content-type': 'application/json' },
      body: JSON.stringify({
        surveyId: TEST_SURVEY.id,
        closesOn: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
        districts: [],
        groupIds: ['00000001-1111-4222-8333-444444444444'],
      }),
    });
    expect(await started.json()).toEqual({ kind: 'invalid', field: 'groups' });
  });
});

describe('tab group search behind SSO', () => {
  const APP_ID = '0b5c2d3e-4f60-4a7b-8c9d-0e1f2a3b4c5d';
  const TENANT = '11111111-2222-4333-8444-555555555555';
  const OFFICER = 'aaaaaaaa-0000-4000-8000-000000000001';
  const EMPLOYEE = 'aaaaaaaa-0000-4000-8000-000000000003';
  let jwks: Server;
  let h: Harness;
  let sign: (oid: string) => Promise<string>;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    sign = (oid) =>
      new SignJWT({ tid: TENANT, oid, name: 'Dana Beispiel' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
        .setIssuer(`https://login.microsoftonline.com/${TENANT}/v2.0`)
        .setAudience(APP_ID)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(pair.privateKey);
    h = await startHarness({
      env: {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'test-secret-not-used',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
        OFFICERS_TEAM_ID: '19:officers@thread.tacv2',
        ALLOWED_TENANT_IDS: TENANT,
        OFFICER_AAD_IDS: OFFICER,
        TAB_APP_ID_URI: `api://puls.example.org/${APP_ID}`,
        PUBLIC_BASE_URL: 'https://puls.example.org',
        ENTRA_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`,
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  const search = async (bearer?: string) => {
    const res = await fetch(`${h.botUrl}/api/tab/directory/groups?q=Projekt`, {
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('when someone searches groups without a token or as a non-officer, then they get 401/403 and no groups', async () => {
    const none = await search();
    expect(none.status).toBe(401);
    expect(none.body).not.toHaveProperty('groups');
    const employee = await search(await sign(EMPLOYEE));
    expect(employee.status).toBe(403);
    expect(employee.body).not.toHaveProperty('groups');
    const officer = await search(await sign(OFFICER));
    expect(officer.status).toBe(200);
    expect(officer.body).toEqual({ available: false });
  });
});
