// Audiences from Entra ID end to end: 2,000 simulated directory users in eight districts and three
// groups (one nested in another), 300 of them with Puls installed. The directory is synced from the
// Graph simulator into Azurite; an audience of two districts plus one group is resolved to exactly the
// members computed here from the simulator's data; the reach estimate counts installed, installable
// and unreachable people; the app is installed through Graph for the rest (409s for those installed by
// policy, people without a Teams licence recorded as unreachable); every reachable person gets one
// message through the bot's own sender (the Teams simulator); and a delta sync that moves one person to
// another district changes the next resolution, not the one already frozen.
import type { TokenCredential } from '@azure/identity';
import { createAdapter } from '../../bot/auth';
import { AdapterMessenger } from '../../bot/proactive';
import { systemClock } from '../../src/clock';
import { DirectoryAudienceResolver, installedUserIdsFrom } from '../../src/directory/audience';
import { DirectorySync } from '../../src/directory/directory-sync';
import { loadDistrictMapping } from '../../src/directory/district-mapping';
import { GraphClient } from '../../src/directory/graph-client';
import { EntraGroups } from '../../src/directory/groups';
import { serviceUrlFrom } from '../../src/directory';
import { GraphInstaller, type ChatReference, type InstallOutcome } from '../../src/directory/installer';
import { GRAPH_DOCUMENTED_LIMITS, TokenBucket } from '../../src/directory/rate-limit';
import type { District } from '../../src/domain/vocabulary';
import { createLogger } from '../../src/logger';
import { DirectoryRepository } from '../../src/storage/directory-repository';
import type { TableStore } from '../../src/storage/tables';
import { UserRepository } from '../../src/storage/user-repository';
import {
  GraphSimulator,
  seeded,
  simulatedCity,
  SIMULATED_COMPANY_NAMES,
  type SimUser,
} from '../support/graph-simulator';
import { createTestStore } from '../support/storage';
import { TeamsSimulator } from '../support/teams-simulator';

jest.setTimeout(120_000);

const SCALE = 20; // Graph's limits ×20 in the simulator, and the client keeps 90 % of that
const logger = createLogger({ level: 'silent' });
const credential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'sim', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const mapping = loadDistrictMapping('config/district-mapping.json');
const districtOf = (u: SimUser): District | undefined => mapping.resolve(u.companyName);
const isMember = (u: SimUser) => u.accountEnabled && u.userType === 'Member';

let store: TableStore;
let graphSim: GraphSimulator;
let teamsSim: TeamsSimulator;

beforeAll(async () => {
  store = await createTestStore();
  graphSim = new GraphSimulator({ scale: SCALE, catalogAppId: 'puls-catalog', botAppId: 'puls-app' });
  await graphSim.start();
  teamsSim = new TeamsSimulator({ scale: 10 });
  await teamsSim.start();
});

afterAll(async () => {
  await graphSim.stop();
  await teamsSim.stop();
  await store.dropTables();
});

/** Runs `task` for every item with at most `concurrency` in flight. */
async function inPool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

function referenceOf(userId: string, conversationId: string) {
  return {
    serviceUrl: teamsSim.url,
    channelId: 'msteams',
    conversation: {
      id: conversationId,
      conversationType: 'personal',
      isGroup: false,
      tenantId: 'hamburg',
      name: '',
    },
    bot: { id: '28:puls-app', name: 'Puls' },
    user: { id: `29:${userId}`, aadObjectId: userId, name: '' },
  };
}

it('when an audience of two districts and one group is resolved and reached, then exactly its members get one message each, and a later delta sync changes only the next resolution', async () => {
  // --- the directory: 2,000 people, three groups, 300 with Puls installed ---------------------------
  const city = simulatedCity({ users: 2_000, groups: 3, groupSize: 120, seed: 21 });
  graphSim.addUsers(city.users);
  for (const g of city.groups) graphSim.addGroup(g);
  const random = seeded(5);
  const shuffled = [...city.users].sort(() => random() - 0.5);
  const installedUsers = shuffled.slice(0, 300);
  // Installed by an app setup policy, but Puls never stored their conversation: installing answers 409.
  const policyInstalled = shuffled.slice(300, 400).filter((u) => u.teamsLicensed !== false);
  const users = new UserRepository(store);
  for (const u of installedUsers) {
    graphSim.install(u.id);
    await users.saveReference(u.id, referenceOf(u.id, graphSim.chatIdOf(u.id)), 'de-DE', new Date());
  }
  for (const u of policyInstalled) graphSim.install(u.id);

  const graph = new GraphClient({
    baseUrl: graphSim.baseUrl,
    credential,
    limits: {
      directoryUnitsPer10s: GRAPH_DOCUMENTED_LIMITS.directoryUnitsPer10s * SCALE * 0.9,
      teamsReadPerSecond: GRAPH_DOCUMENTED_LIMITS.teamsReadPerSecond * SCALE * 0.9,
      teamsWritePerSecond: GRAPH_DOCUMENTED_LIMITS.teamsWritePerSecond * SCALE * 0.9,
    },
  });
  const repository = new DirectoryRepository(store);
  const sync = new DirectorySync({
    graph,
    repository,
    mapping,
    attribute: 'companyName',
    clock: systemClock,
    logger,
    instanceId: 'e2e',
    intervalMs: 6 * 3_600_000,
  });
  expect((await sync.tick()).outcome).toBe('synced');

  // --- the audience: Altona, Wandsbek and group 0 (which nests group 1) ------------------------------
  const group = city.groups[0]!;
  const spec = { districts: ['altona', 'wandsbek'] as District[], groupIds: [group.id] };
  const inGroup = graphSim.transitiveUserIds(group.id);
  const expected = new Set(
    graphSim
      .allUsers()
      .filter((u) => isMember(u) && (spec.districts.includes(districtOf(u)!) || inGroup.has(u.id)))
      .map((u) => u.id),
  );
  // The data covers every case the resolution must get right.
  const byId = new Map(city.users.map((u) => [u.id, u]));
  expect([...inGroup].some((id) => !isMember(byId.get(id)!))).toBe(true); // disabled/guest group members
  expect(city.groups[0]!.members).toContain(city.groups[1]!.id); // nesting
  expect([...inGroup].some((id) => !['altona', 'wandsbek'].includes(districtOf(byId.get(id)!) ?? ''))).toBe(
    true,
  );

  const resolver = new DirectoryAudienceResolver({
    repository,
    groups: new EntraGroups(graph),
    installedUserIds: installedUserIdsFrom(users),
  });
  const frozen = await resolver.resolve(spec);
  expect(new Set(frozen)).toEqual(expected);
  expect(expected.size).toBeGreaterThan(500);

  // --- what the start card says ------------------------------------------------------------------------
  const installedIds = new Set(installedUsers.map((u) => u.id));
  const installedInAudience = [...expected].filter((id) => installedIds.has(id));
  expect(await resolver.estimate(frozen)).toEqual({
    total: expected.size,
    installed: installedInAudience.length,
    installable: expected.size - installedInAudience.length,
    unreachable: 0,
  });

  // --- proactive installation for everyone Puls has no conversation with ----------------------------
  const installer = new GraphInstaller({
    graph,
    repository,
    catalogAppId: 'puls-catalog',
    botAppId: 'puls-app',
    tenantId: 'hamburg',
    serviceUrl: serviceUrlFrom(users),
    clock: systemClock,
    logger,
  });
  const toInstall = [...frozen].filter((id) => !installedIds.has(id));
  const outcomes = new Map<string, InstallOutcome>();
  await inPool(toInstall, 16, async (id) => {
    outcomes.set(id, await installer.install(id));
  });
  const unlicensed = toInstall.filter((id) => byId.get(id)!.teamsLicensed === false);
  const byPolicy = toInstall.filter((id) => policyInstalled.some((u) => u.id === id));
  expect(unlicensed.length).toBeGreaterThan(0);
  expect(byPolicy.length).toBeGreaterThan(0);
  for (const id of toInstall) {
    const outcome = outcomes.get(id)!;
    if (unlicensed.includes(id)) {
      expect(outcome).toEqual({
        kind: 'unreachable',
        reason: 'no_teams_licence',
        detail: expect.stringMatching(/^403 Forbidden/),
      });
    } else {
      expect(outcome).toMatchObject({ kind: 'reachable', installedNow: !byPolicy.includes(id) });
      const reference = (outcome as { reference: ChatReference }).reference;
      expect(reference.conversation.id).toBe(graphSim.chatIdOf(id));
      expect(reference.serviceUrl).toBe(teamsSim.url); // learned from a stored conversation
      expect(graphSim.isInstalled(id)).toBe(true);
    }
  }
  expect(graphSim.installsCreated).toBe(toInstall.length - unlicensed.length - byPolicy.length);
  expect(graphSim.conflicts).toBe(byPolicy.length);
  expect(graphSim.violations).toBe(0);

  expect(await resolver.estimate(frozen)).toEqual({
    total: expected.size,
    installed: installedInAudience.length, // the bot was not running to store the new conversations
    installable: expected.size - installedInAudience.length - unlicensed.length,
    unreachable: unlicensed.length,
  });

  // --- one message each, through the bot's own sender ---------------------------------------------------
  const messenger = new AdapterMessenger(createAdapter({}, { proactiveRetries: false }), '');
  const pace = new TokenBucket({ ratePerSecond: 400 });
  const stored = new Map<string, unknown>();
  for await (const u of users.list()) stored.set(u.userId, u.reference);
  const recipients = [...frozen].filter((id) => !unlicensed.includes(id));
  await inPool(recipients, 16, async (id) => {
    const outcome = outcomes.get(id);
    const reference = outcome?.kind === 'reachable' ? outcome.reference : stored.get(id);
    await pace.acquire();
    await messenger.send(reference as Parameters<AdapterMessenger['send']>[0], {
      type: 'message',
      text: 'Pulsbefragung',
    });
  });
  for (const id of recipients) expect(teamsSim.accepted(graphSim.chatIdOf(id))).toBe(1);
  expect(teamsSim.duplicates()).toEqual([]);
  expect(teamsSim.acceptedTotal).toBe(recipients.length);

  // --- a delta sync moves one person out of the audience's districts -------------------------------
  const mover = [...frozen].find((id) => districtOf(byId.get(id)!) === 'altona' && !inGroup.has(id))!;
  const frozenSize = frozen.size;
  graphSim.updateUser(mover, { companyName: SIMULATED_COMPANY_NAMES.harburg });
  graphSim.resetCounters();
  expect(await sync.syncNow()).toMatchObject({ outcome: 'synced', full: false, members: 1, pages: 1 });
  const next = await resolver.resolve(spec);
  expect(new Set(next)).toEqual(new Set([...expected].filter((id) => id !== mover)));
  expect(frozen.size).toBe(frozenSize); // the running audience is not touched
  expect(frozen.has(mover)).toBe(true);
});
