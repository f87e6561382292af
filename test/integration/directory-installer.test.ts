// Proactive installation and group resolution against the Graph simulator and Azurite, the cases the
// end-to-end test does not reach: people Teams does not know, a missing permission, a Graph that stays
// unavailable, an unreachable record cleared once the person is reached; group search and members.
import type { TokenCredential } from '@azure/identity';
import { ManualClock } from '../../src/clock';
import { GraphClient, GraphError } from '../../src/directory/graph-client';
import { EntraGroups } from '../../src/directory/groups';
import { GraphInstaller, TEAMS_PUBLIC_SERVICE_URL } from '../../src/directory/installer';
import { createLogger } from '../../src/logger';
import { DirectoryRepository } from '../../src/storage/directory-repository';
import type { TableStore } from '../../src/storage/tables';
import { GraphSimulator } from '../support/graph-simulator';
import { createTestStore } from '../support/storage';

const logger = createLogger({ level: 'silent' });
const credential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'sim', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const member = (id: string, extra = {}) => ({
  id,
  accountEnabled: true,
  userType: 'Member' as const,
  ...extra,
});

let sim: GraphSimulator;
let store: TableStore;
let repository: DirectoryRepository;
let graph: GraphClient;
const clock = new ManualClock('2026-11-23T09:00:00Z');

function installer(catalogAppId = 'cat'): GraphInstaller {
  return new GraphInstaller({
    graph,
    repository,
    catalogAppId,
    botAppId: 'bot',
    tenantId: 'tenant',
    clock,
    logger,
    sleep: () => Promise.resolve(),
  });
}

beforeAll(async () => {
  store = await createTestStore();
  repository = new DirectoryRepository(store);
});

afterAll(() => store.dropTables());

beforeEach(async () => {
  sim = new GraphSimulator({ catalogAppId: 'cat', botAppId: 'bot' });
  await sim.start();
  graph = new GraphClient({
    baseUrl: sim.baseUrl,
    credential,
    maxAttempts: 3,
    sleep: () => Promise.resolve(),
  });
});

afterEach(() => sim.stop());

describe('GraphInstaller', () => {
  it('when the person is installed for, then the reference names the chat, the bot and the public service URL when none is known', async () => {
    sim.addUser(member('a1'));
    const outcome = await installer().install('A1');
    expect(outcome).toEqual({
      kind: 'reachable',
      installedNow: true,
      reference: {
        serviceUrl: TEAMS_PUBLIC_SERVICE_URL,
        channelId: 'msteams',
        conversation: {
          id: '19:a1_bot@unq.gbl.spaces',
          conversationType: 'personal',
          isGroup: false,
          tenantId: 'tenant',
          name: '',
        },
        bot: { id: '28:bot', name: 'Puls' },
        user: { id: 'a1', aadObjectId: 'a1', name: '' },
      },
    });
    expect(sim.routeCounts()).toEqual({
      'installed-apps-install': 1,
      'installed-apps-list': 1,
      'installation-chat': 1,
    });
  });

  it('when Teams does not know the person, then they are recorded as not_found; once reached, the record goes', async () => {
    const i = installer();
    expect(await i.install('b1')).toMatchObject({
      kind: 'unreachable',
      reason: 'not_found',
      detail: expect.stringMatching(/^404 NotFound/),
    });
    expect((await repository.unreachable()).get('b1')).toEqual({ reason: 'not_found', at: clock.now() });
    sim.addUser(member('b1'));
    expect(await i.install('b1')).toMatchObject({ kind: 'reachable' });
    expect((await repository.unreachable()).has('b1')).toBe(false);
  });

  it('when the app is not in the catalog, then installing answers 404 for everyone alike', async () => {
    sim.addUsers([member('c1'), member('c2')]);
    const i = installer('missing-app');
    for (const id of ['c1', 'c2'])
      expect(await i.install(id)).toMatchObject({ kind: 'unreachable', reason: 'not_found' });
    expect(i.stats).toEqual({ installed: 0, alreadyInstalled: 0, unreachable: 2 });
  });

  it('when Graph stays unavailable, then install rejects with a transient error and records nothing', async () => {
    sim.addUser(member('d1'));
    sim.failNext(3);
    const err = await installer()
      .install('d1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect(err).toMatchObject({ transient: true, status: 503 });
    expect((await repository.unreachable()).has('d1')).toBe(false);
    expect(sim.isInstalled('d1')).toBe(false);
  });

  it('when the bot identity lacks the permission, then install rejects instead of blaming the person', async () => {
    sim.addUser(member('e1'));
    const denying: typeof fetch = (input, init) =>
      init?.method === 'POST'
        ? Promise.resolve(
            new Response(
              JSON.stringify({
                error: {
                  code: 'Forbidden',
                  message:
                    "Missing scope permissions on the request. API requires one of 'TeamsAppInstallation.ReadWriteSelfForUser.All'.",
                },
              }),
              { status: 403 },
            ),
          )
        : fetch(input, init);
    graph = new GraphClient({ baseUrl: sim.baseUrl, credential, fetch: denying });
    await expect(installer().install('e1')).rejects.toMatchObject({ status: 403, transient: false });
    expect((await repository.unreachable()).has('e1')).toBe(false);
  });
});

describe('EntraGroups', () => {
  it('when groups are searched by words of their name, then the matching ones come back', async () => {
    sim.addGroup({ id: 'g1', displayName: 'BA Bergedorf – Digitalisierung', members: [] });
    sim.addGroup({ id: 'g2', displayName: 'Digitalisierungsbeauftragte', members: [] });
    sim.addGroup({ id: 'g3', displayName: 'Projektgruppe "E-Akte"', members: [] });
    const groups = new EntraGroups(graph);
    expect(await groups.search('berg digi')).toEqual([
      { id: 'g1', displayName: 'BA Bergedorf – Digitalisierung' },
    ]);
    expect((await groups.search('Digi')).map((g) => g.id).sort()).toEqual(['g1', 'g2']);
    expect(await groups.search('"e-akte\\')).toEqual([{ id: 'g3', displayName: 'Projektgruppe "E-Akte"' }]);
    expect(await groups.search('   ')).toEqual([]);
  });

  it('when a group is resolved, then nested members count and disabled accounts, guests and groups do not', async () => {
    sim.addUsers([
      member('U1'),
      member('u2'),
      member('u3', { accountEnabled: false }),
      member('u4', { userType: 'Guest' }),
      member('u5'),
    ]);
    sim.addGroup({ id: 'inner', displayName: 'Inner', members: ['u3', 'u5'] });
    sim.addGroup({ id: 'outer', displayName: 'Outer', members: ['U1', 'u2', 'u4', 'inner'] });
    expect([...(await new EntraGroups(graph).members('outer'))].sort()).toEqual(['u1', 'u2', 'u5']);
    await expect(new EntraGroups(graph).members('nope')).rejects.toMatchObject({ status: 404 });
  });
});
