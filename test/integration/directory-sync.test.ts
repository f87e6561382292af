// Directory sync against the Graph simulator and Azurite: a full round stores exactly the enabled member
// accounts with their districts; delta rounds apply only changes; one instance syncs for all; a 410 or
// a new mapping makes a full round that also removes who is gone.
import type { TokenCredential } from '@azure/identity';
import { ManualClock } from '../../src/clock';
import { DirectorySync } from '../../src/directory/directory-sync';
import {
  loadDistrictMapping,
  parseDistrictMapping,
  type DistrictMapping,
} from '../../src/directory/district-mapping';
import { GraphClient } from '../../src/directory/graph-client';
import { createLogger } from '../../src/logger';
import { DirectoryRepository } from '../../src/storage/directory-repository';
import type { TableStore } from '../../src/storage/tables';
import {
  GraphSimulator,
  SIMULATED_COMPANY_NAMES,
  simulatedCity,
  type SimUser,
} from '../support/graph-simulator';
import { createTestStore } from '../support/storage';

const logger = createLogger({ level: 'silent' });
const credential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'sim', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const HOUR = 3_600_000;
const mapping = loadDistrictMapping('config/district-mapping.json');
const districtOfName = new Map(
  Object.entries(SIMULATED_COMPANY_NAMES).map(([d, name]) => [name as string, d]),
);

let sim: GraphSimulator;
let store: TableStore;
let repository: DirectoryRepository;
let clock: ManualClock;
let graph: GraphClient;

function syncer(instanceId: string, options: { mapping?: DistrictMapping } = {}): DirectorySync {
  return new DirectorySync({
    graph,
    repository,
    mapping: options.mapping ?? mapping,
    attribute: 'companyName',
    clock,
    logger,
    instanceId,
    intervalMs: 6 * HOUR,
  });
}

/** What the table must hold for the simulator's users: enabled members → their mapped district. */
function expectedRows(users: readonly SimUser[]): Map<string, string | undefined> {
  const rows = new Map<string, string | undefined>();
  for (const u of users) {
    if (u.accountEnabled && u.userType === 'Member')
      rows.set(
        u.id,
        u.companyName ? (districtOfName.get(u.companyName) ?? mapping.resolve(u.companyName)) : undefined,
      );
  }
  return rows;
}

async function tableRows(): Promise<Map<string, string | undefined>> {
  const rows = new Map<string, string | undefined>();
  for await (const u of repository.list()) rows.set(u.userId, u.district);
  return rows;
}

beforeEach(async () => {
  store = await createTestStore();
  repository = new DirectoryRepository(store);
  clock = new ManualClock('2026-11-23T06:00:00Z');
  sim = new GraphSimulator({ deltaPageSize: 100 });
  const base = await sim.start();
  graph = new GraphClient({ baseUrl: base, credential });
});

afterEach(async () => {
  await sim.stop();
  await store.dropTables();
});

describe('DirectorySync', () => {
  it('when it runs the first time, then the table holds exactly the enabled members with their districts', async () => {
    const city = simulatedCity({ users: 600, seed: 11 });
    sim.addUsers(city.users);
    const report = await syncer('a').tick();
    expect(report).toMatchObject({ outcome: 'synced', full: true, pages: 6 });

    const expected = expectedRows(city.users);
    expect(await tableRows()).toEqual(expected);
    // The generator made some of each kind the sync must leave out or leave without a district.
    expect(city.users.some((u) => !u.accountEnabled)).toBe(true);
    expect(city.users.some((u) => u.userType === 'Guest')).toBe(true);
    expect([...expected.values()].some((d) => d === undefined)).toBe(true);
    expect(report.members).toBe(expected.size);

    const state = await repository.getSyncState();
    expect(state).toMatchObject({ holder: '', configKey: `companyName:${mapping.version}` });
    expect(state?.deltaLink).toContain('$deltatoken=');
  });

  it('when users change between rounds, then the next round reads only the changes and applies them', async () => {
    const city = simulatedCity({ users: 300, seed: 12 });
    sim.addUsers(city.users);
    const sync = syncer('a');
    await sync.tick();
    const members = city.users.filter((u) => u.accountEnabled && u.userType === 'Member');
    const [mover, leaver, deleted, guestToBe] = members;
    sim.updateUser(mover!.id, { companyName: SIMULATED_COMPANY_NAMES.harburg });
    sim.updateUser(leaver!.id, { accountEnabled: false });
    sim.deleteUser(deleted!.id);
    sim.updateUser(guestToBe!.id, { userType: 'Guest' });
    const newcomer: SimUser = {
      id: 'ffffffff-0000-4000-a000-000000000001',
      accountEnabled: true,
      userType: 'Member',
      companyName: 'Eimsbüttel',
    };
    sim.addUser(newcomer);

    expect((await sync.tick()).outcome).toBe('not_due');
    clock.advance(6 * HOUR);
    sim.resetCounters();
    const report = await sync.tick();
    expect(report).toMatchObject({ outcome: 'synced', full: false, members: 2, removed: 3, pages: 1 });
    expect(sim.routeCounts()).toEqual({ 'users-delta': 1 });

    expect(await tableRows()).toEqual(expectedRows(sim.allUsers()));
    expect((await repository.get(mover!.id))?.district).toBe('harburg');
    expect((await repository.get(newcomer.id))?.district).toBe('eimsbuettel');
    for (const gone of [leaver, deleted, guestToBe]) expect(await repository.get(gone!.id)).toBeUndefined();
  });

  it('when two instances tick at once, then one syncs and the other finds the lease taken', async () => {
    sim.addUsers(simulatedCity({ users: 250, seed: 13 }).users);
    const outcomes = (await Promise.all([syncer('a').tick(), syncer('b').tick()]))
      .map((r) => r.outcome)
      .sort();
    expect(outcomes).toEqual(['claimed_elsewhere', 'synced']);
    expect(sim.routeCounts()['users-delta']).toBe(3); // one round of three pages, not two rounds
    // Once the round is done, neither instance syncs again before the interval.
    expect((await syncer('b').tick()).outcome).toBe('not_due');
  });

  it('when an instance died holding the lease, then another takes over after the lease ran out', async () => {
    sim.addUsers(simulatedCity({ users: 50, seed: 14 }).users);
    expect(await repository.claimSync('dead', clock.now(), 10 * 60_000)).toBeDefined();
    expect((await syncer('b').tick()).outcome).toBe('claimed_elsewhere');
    clock.advance(10 * 60_000 + 1);
    expect((await syncer('b').tick()).outcome).toBe('synced');
  });

  it('when Graph says 410, then a full round replaces the table and removes people Graph no longer lists', async () => {
    const city = simulatedCity({ users: 200, seed: 15 });
    sim.addUsers(city.users);
    const sync = syncer('a');
    await sync.tick();
    // A row Graph knows nothing about (e.g. deleted while tokens were lost): a full round removes it.
    await repository.upsertMany([{ userId: 'stale-user', district: 'altona' }]);
    sim.invalidateDeltaTokens();
    const report = await sync.syncNow();
    expect(report).toMatchObject({ outcome: 'synced', full: true, removed: 1 });
    expect(await tableRows()).toEqual(expectedRows(city.users));
  });

  it('when the mapping changes, then the next tick is a full round with the new districts', async () => {
    const city = simulatedCity({ users: 100, seed: 16 });
    sim.addUsers(city.users);
    await syncer('a').tick();
    const everyoneAltona = parseDistrictMapping(
      { prefix: { Bezirksamt: 'altona', 'Behörde für': 'other' } },
      'test',
    );
    const report = await syncer('a', { mapping: everyoneAltona }).tick();
    expect(report).toMatchObject({ outcome: 'synced', full: true });
    const districts = new Set((await tableRows()).values());
    expect([...districts].filter(Boolean).sort()).toEqual(['altona', 'other']);
  });

  it('when Graph refuses the sync, then the tick fails, the lease is given back and the next tick tries again', async () => {
    sim.addUsers(simulatedCity({ users: 20, seed: 17 }).users);
    const refusing = new GraphClient({
      baseUrl: sim.baseUrl,
      credential,
      maxAttempts: 2,
      sleep: () => Promise.resolve(),
    });
    sim.failNext(2);
    const failing = new DirectorySync({
      graph: refusing,
      repository,
      mapping,
      attribute: 'companyName',
      clock,
      logger,
      instanceId: 'a',
      intervalMs: 6 * HOUR,
    });
    expect((await failing.tick()).outcome).toBe('failed');
    expect((await repository.getSyncState())?.holder).toBe('');
    expect((await failing.tick()).outcome).toBe('synced');
  });
});
