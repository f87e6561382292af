// The Graph simulator itself, driven with plain fetch and a fake clock: delta paging and change
// tracking, group search and nested members, app installation with Graph's answers, throttling with
// Retry-After, injected failures and the counters.
import { GraphSimulator, installationIdOf, type GraphSimulatorOptions } from '../support/graph-simulator';

const T0 = 1_700_000_000_000;
let now = T0;
let sim: GraphSimulator;
let base: string;

async function startSimulator(options: GraphSimulatorOptions = {}): Promise<void> {
  sim = new GraphSimulator({ clock: () => now, ...options });
  base = await sim.start();
}

beforeEach(() => {
  now = T0;
});

afterEach(async () => {
  await sim?.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = path.startsWith('http') ? path : `${base}${path}`;
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

const user = (id: string, companyName = 'Bezirksamt Altona', extra = {}) => ({
  id,
  accountEnabled: true,
  userType: 'Member' as const,
  companyName,
  ...extra,
});

/** Follows nextLinks to the deltaLink; returns the items and the deltaLink. */
async function deltaRound(
  first: string,
): Promise<{ items: Record<string, unknown>[]; deltaLink: string; pages: number }> {
  const items: Record<string, unknown>[] = [];
  let next: string | undefined = first;
  let pages = 0;
  for (;;) {
    const page = await call(next);
    expect(page.status).toBe(200);
    pages++;
    items.push(...(page.body.value as Record<string, unknown>[]));
    if (page.body['@odata.deltaLink'])
      return { items, deltaLink: String(page.body['@odata.deltaLink']), pages };
    next = String(page.body['@odata.nextLink']);
  }
}

describe('GraphSimulator', () => {
  it('when users are read with /users/delta, then they come in pages with the selected properties and a deltaLink', async () => {
    await startSimulator({ deltaPageSize: 2 });
    sim.addUsers([
      user('u1'),
      user('u2', 'Bezirksamt Harburg'),
      user('u3', 'x', { department: 'D1' }),
      user('u4'),
    ]);
    const round = await deltaRound('/users/delta?$select=id,accountEnabled,userType,companyName');
    expect(round.pages).toBe(2);
    expect(round.items).toEqual([
      { id: 'u1', accountEnabled: true, userType: 'Member', companyName: 'Bezirksamt Altona' },
      { id: 'u2', accountEnabled: true, userType: 'Member', companyName: 'Bezirksamt Harburg' },
      { id: 'u3', accountEnabled: true, userType: 'Member', companyName: 'x' },
      { id: 'u4', accountEnabled: true, userType: 'Member', companyName: 'Bezirksamt Altona' },
    ]);
    expect(round.deltaLink).toMatch(/\/users\/delta\?\$deltatoken=/);

    // Nothing changed: an empty round.
    expect((await deltaRound(round.deltaLink)).items).toEqual([]);
  });

  it('when users change, then the next delta round returns only them, removed ones with @removed', async () => {
    await startSimulator();
    sim.addUsers([user('u1'), user('u2'), user('u3'), user('u4')]);
    const first = await deltaRound('/users/delta?$select=id,accountEnabled,companyName');
    sim.updateUser('u1', { companyName: 'Bezirksamt Wandsbek' });
    sim.updateUser('u2', { department: 'not selected' }); // a property not selected: not a change
    sim.updateUser('u3', { accountEnabled: false });
    sim.deleteUser('u4');
    sim.addUser(user('u5'));
    const second = await deltaRound(first.deltaLink);
    expect(second.items).toEqual([
      { id: 'u1', accountEnabled: true, companyName: 'Bezirksamt Wandsbek' },
      { id: 'u3', accountEnabled: false, companyName: 'Bezirksamt Altona' },
      { id: 'u5', accountEnabled: true, companyName: 'Bezirksamt Altona' },
      { id: 'u4', '@removed': { reason: 'changed' } },
    ]);
    expect((await deltaRound(second.deltaLink)).items).toEqual([]);
  });

  it('when the delta tokens are invalidated, then an old deltaLink answers 410 with the full query in Location', async () => {
    await startSimulator();
    sim.addUser(user('u1'));
    const round = await deltaRound('/users/delta?$select=id,companyName');
    sim.invalidateDeltaTokens();
    const gone = await call(round.deltaLink);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('location')).toBe(`${base}/users/delta?$select=id,companyName`);
    expect((await call('/users/delta?$select=id,nonsense')).status).toBe(400);
  });

  it('when groups are searched, then $search needs ConsistencyLevel: eventual and matches word prefixes; startswith works too', async () => {
    await startSimulator();
    sim.addGroup({ id: 'g1', displayName: 'BA Bergedorf – Digitalisierung', members: [] });
    sim.addGroup({ id: 'g2', displayName: 'Digitalisierungsbeauftragte', members: [] });
    sim.addGroup({ id: 'g3', displayName: 'Projektgruppe E-Akte', members: [] });
    const search = `/groups?$search=${encodeURIComponent('"displayName:digi berg"')}&$select=id,displayName`;
    expect((await call(search)).status).toBe(400);
    const found = await call(search, { headers: { ConsistencyLevel: 'eventual' } });
    expect(found.body.value).toEqual([{ id: 'g1', displayName: 'BA Bergedorf – Digitalisierung' }]);
    const digi = await call(`/groups?$search=${encodeURIComponent('"displayName:digi"')}`, {
      headers: { ConsistencyLevel: 'eventual' },
    });
    expect((digi.body.value as { id: string }[]).map((g) => g.id).sort()).toEqual(['g1', 'g2']);
    const prefix = await call(`/groups?$filter=${encodeURIComponent("startswith(displayName,'projekt')")}`);
    expect(prefix.body.value).toEqual([{ id: 'g3', displayName: 'Projektgruppe E-Akte' }]);
  });

  it('when transitive members are listed, then nested groups are flattened, each member once, in pages', async () => {
    await startSimulator();
    sim.addUsers([user('a'), user('b'), user('c'), user('d', 'x', { accountEnabled: false })]);
    sim.addGroup({ id: 'inner', displayName: 'Inner', members: ['c', 'd', 'a'] });
    sim.addGroup({ id: 'outer', displayName: 'Outer', members: ['a', 'b', 'inner'] });
    const seen: Record<string, unknown>[] = [];
    let next: string | undefined = '/groups/outer/transitiveMembers?$select=id,accountEnabled&$top=2';
    while (next) {
      const page = await call(next);
      seen.push(...(page.body.value as Record<string, unknown>[]));
      next = page.body['@odata.nextLink'] as string | undefined;
    }
    expect(seen).toEqual([
      { '@odata.type': '#microsoft.graph.user', id: 'a', accountEnabled: true },
      { '@odata.type': '#microsoft.graph.user', id: 'b', accountEnabled: true },
      { '@odata.type': '#microsoft.graph.group', id: 'inner' },
      { '@odata.type': '#microsoft.graph.user', id: 'c', accountEnabled: true },
      { '@odata.type': '#microsoft.graph.user', id: 'd', accountEnabled: false },
    ]);
    expect([...sim.transitiveUserIds('outer')].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect((await call('/groups/nope/transitiveMembers')).status).toBe(404);
  });

  it('when the app is installed for a user, then 201, then 409, the installation is listed and its chat found', async () => {
    await startSimulator({ catalogAppId: 'cat-1', botAppId: 'bot-1' });
    sim.addUsers([user('u1'), user('u2', 'x', { teamsLicensed: false })]);
    const bind = { 'teamsApp@odata.bind': `${base}/appCatalogs/teamsApps/cat-1` };
    const list = `/users/u1/teamwork/installedApps?$expand=teamsApp&$filter=${encodeURIComponent("teamsApp/id eq 'cat-1'")}`;

    expect((await call(list)).body.value).toEqual([]);
    expect((await call('/users/u1/teamwork/installedApps', { method: 'POST', body: bind })).status).toBe(201);
    const again = await call('/users/u1/teamwork/installedApps', { method: 'POST', body: bind });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: expect.objectContaining({ code: 'Conflict' }) });

    const listed = (await call(list)).body.value as { id: string; teamsApp: { id: string } }[];
    expect(listed).toEqual([
      expect.objectContaining({
        id: installationIdOf('u1', 'cat-1'),
        teamsApp: expect.objectContaining({ id: 'cat-1' }),
      }),
    ]);
    const chat = await call(`/users/u1/teamwork/installedApps/${encodeURIComponent(listed[0]!.id)}/chat`);
    expect(chat.body.id).toBe('19:u1_bot-1@unq.gbl.spaces');

    const unlicensed = await call('/users/u2/teamwork/installedApps', { method: 'POST', body: bind });
    expect(unlicensed.status).toBe(403);
    expect(unlicensed.body).toEqual({
      error: {
        code: 'Forbidden',
        message: expect.stringMatching(/^Failed to get license information for the user/),
      },
    });
    expect((await call('/users/ghost/teamwork/installedApps', { method: 'POST', body: bind })).status).toBe(
      404,
    );
    const otherApp = { 'teamsApp@odata.bind': `${base}/appCatalogs/teamsApps/unknown` };
    expect((await call('/users/u1/teamwork/installedApps', { method: 'POST', body: otherApp })).status).toBe(
      404,
    );
    expect(sim.installsCreated).toBe(1);
    expect(sim.conflicts).toBe(1);
    expect(sim.isInstalled('u1')).toBe(true);
    expect(sim.isInstalled('u2')).toBe(false);
  });

  it('when more than 30 installations per second are posted, then the rest get 429 with Retry-After, and waiting inside it is a violation', async () => {
    await startSimulator();
    sim.addUsers(Array.from({ length: 40 }, (_, i) => user(`u${i}`)));
    const bind = { 'teamsApp@odata.bind': `${base}/appCatalogs/teamsApps/${sim.catalogAppId}` };
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(`/users/u${i}/teamwork/installedApps`, { method: 'POST', body: bind }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(30);
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled).toHaveLength(10);
    expect(throttled[0]!.headers.get('retry-after')).toBe('1');
    expect(sim.throttledBy()).toEqual({ 'teams-write': 10 });
    // Reads have their own budget.
    expect((await call('/users/u0/teamwork/installedApps')).status).toBe(200);
    expect(sim.violations).toBe(0);
    now += 500;
    await call('/users/u35/teamwork/installedApps', { method: 'POST', body: bind });
    expect(sim.violations).toBe(1);
    now += 600;
    expect((await call('/users/u36/teamwork/installedApps', { method: 'POST', body: bind })).status).toBe(
      201,
    );
    expect(sim.peakUnits()['teams-write']).toBe(30);
  });

  it('when Entra resource units run out, then directory requests get 429, scaled; transitiveMembers costs 4 with $select', async () => {
    await startSimulator({ scale: 0.001 }); // 8 units per 10 s
    sim.addGroup({ id: 'g', displayName: 'G', members: [] });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('/groups/g/transitiveMembers?$select=id')).status);
    expect(statuses).toEqual([200, 200, 429]);
    const throttled = await call('/groups/g/transitiveMembers?$select=id');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(10);
    now += 10_001;
    expect((await call('/groups/g/transitiveMembers?$select=id')).status).toBe(200);
  });

  it('when failures are injected or the token is missing, then 503 and 401 come back and are counted', async () => {
    await startSimulator({ acceptToken: 't' });
    sim.addUser(user('u1'));
    sim.failNext(2);
    expect((await call('/users/delta')).status).toBe(503);
    expect((await call('/users/delta')).status).toBe(503);
    expect((await call('/users/delta')).status).toBe(200);
    const anonymous = await fetch(`${base}/users/delta`);
    expect(anonymous.status).toBe(401);
    expect((await call('/nothing/here')).status).toBe(400);
    expect(sim.failed).toBe(2);
    expect(sim.requests).toBe(5);
    expect(sim.statusCounts()).toEqual({ '503': 2, '200': 1, '401': 1, '400': 1 });
    expect(sim.routeCounts()).toMatchObject({ 'users-delta': 4, unknown: 1 });
  });
});
