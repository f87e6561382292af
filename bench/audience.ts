// Audiences at city scale: 72,000 directory users in the Graph simulator (limits ×BENCH_GRAPH_SCALE,
// default 20), Azurite in its own process. Phases: the first (full) directory sync, resolving audiences
// (everyone; two districts plus a group), the reach estimate, and proactive installation for everyone
// Puls has no conversation with. Prints time, Graph requests by kind, 429s, memory, and the projected
// time at Graph's real limits (Entra 8,000 resource units per 10 s; installedApps 30 GET/s, 30 POST/s).
import type { TokenCredential } from '@azure/identity';
import { systemClock } from '../src/clock';
import { DirectoryAudienceResolver, installedUserIdsFrom } from '../src/directory/audience';
import { DirectorySync } from '../src/directory/directory-sync';
import { loadDistrictMapping } from '../src/directory/district-mapping';
import { GraphClient } from '../src/directory/graph-client';
import { EntraGroups } from '../src/directory/groups';
import { GraphInstaller, type InstallOutcome } from '../src/directory/installer';
import { GRAPH_DEFAULT_LIMITS, GRAPH_DOCUMENTED_LIMITS } from '../src/directory/rate-limit';
import { createLogger } from '../src/logger';
import { DirectoryRepository } from '../src/storage/directory-repository';
import { TableStore } from '../src/storage/tables';
import { UserRepository } from '../src/storage/user-repository';
import { GraphSimulator, seeded, simulatedCity, type SimCategory } from '../test/support/graph-simulator';
import { sampleMemory, startAzuriteProcess } from './support';

const USERS = Number(process.env.BENCH_DIRECTORY_USERS ?? 72_000);
const SCALE = Number(process.env.BENCH_GRAPH_SCALE ?? 20);
/** Share of people who already have Puls (a conversation reference in the users table). */
const INSTALLED_SHARE = 0.05;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

const credential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

interface Snapshot {
  requests: number;
  byRoute: Partial<Record<string, number>>;
  throttled: number;
  violations: number;
}

function snapshot(sim: GraphSimulator): Snapshot {
  return {
    requests: sim.requests,
    byRoute: sim.routeCounts(),
    throttled: sim.throttled,
    violations: sim.violations,
  };
}

function delta(a: Snapshot, b: Snapshot) {
  const byRoute: Record<string, number> = {};
  for (const [k, v] of Object.entries(b.byRoute)) {
    const d = (v ?? 0) - (a.byRoute[k] ?? 0);
    if (d) byRoute[k] = d;
  }
  return {
    requests: b.requests - a.requests,
    byRoute,
    throttled: b.throttled - a.throttled,
    violations: b.violations - a.violations,
  };
}

/** Seconds the same requests take at Graph's documented limits, each kind on its own budget. */
function projectedSeconds(
  units: Record<SimCategory, number>,
  limits: typeof GRAPH_DOCUMENTED_LIMITS | typeof GRAPH_DEFAULT_LIMITS,
): number {
  return Math.max(
    units.directory / (limits.directoryUnitsPer10s / 10),
    units['teams-read'] / limits.teamsReadPerSecond,
    units['teams-write'] / limits.teamsWritePerSecond,
  );
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmtMin = (s: number) => (s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);

export async function benchAudience(): Promise<void> {
  const azurite = await startAzuriteProcess();
  const sim = new GraphSimulator({ scale: SCALE, catalogAppId: 'puls-catalog', botAppId: 'puls-app' });
  const base = await sim.start();
  const logger = createLogger({ level: 'silent' });
  try {
    const store = new TableStore({
      connectionString: azurite.connectionString,
      prefix: `benchaud${Date.now().toString(36)}`,
    });
    await store.ensureTables();
    const users = new UserRepository(store);
    const repository = new DirectoryRepository(store);

    // --- the city ---------------------------------------------------------------------------------
    let t0 = performance.now();
    const city = simulatedCity({ users: USERS, groups: 3, groupSize: Math.floor(USERS / 20), seed: 72 });
    sim.addUsers(city.users);
    for (const g of city.groups) sim.addGroup(g);
    const random = seeded(9);
    const installed = city.users.filter(() => random() < INSTALLED_SHARE);
    const pool = installed.slice();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let u = pool.pop(); u; u = pool.pop()) {
          sim.install(u.id);
          await users.saveReference(
            u.id,
            { serviceUrl: 'https://smba.example/emea/', conversation: { id: sim.chatIdOf(u.id) } as never },
            'de-DE',
            new Date(),
          );
        }
      }),
    );
    console.log(
      `\nAudiences for ${USERS} directory users (Graph simulator limits ×${SCALE}; ${installed.length} already installed; setup ${fmtS(performance.now() - t0)})`,
    );

    const graph = new GraphClient({
      baseUrl: base,
      credential,
      limits: {
        directoryUnitsPer10s: GRAPH_DEFAULT_LIMITS.directoryUnitsPer10s * SCALE,
        teamsReadPerSecond: GRAPH_DEFAULT_LIMITS.teamsReadPerSecond * SCALE,
        teamsWritePerSecond: GRAPH_DEFAULT_LIMITS.teamsWritePerSecond * SCALE,
      },
    });
    const memory = sampleMemory(200);

    // --- 1. the first directory sync (a full delta round) ------------------------------------------
    const sync = new DirectorySync({
      graph,
      repository,
      mapping: loadDistrictMapping('config/district-mapping.json'),
      attribute: 'companyName',
      clock: systemClock,
      logger,
      instanceId: 'bench',
      intervalMs: 6 * 3_600_000,
    });
    let before = snapshot(sim);
    t0 = performance.now();
    const report = await sync.syncNow();
    const syncMs = performance.now() - t0;
    const syncReq = delta(before, snapshot(sim));
    console.log(
      `  sync (full):   ${fmtS(syncMs)} (${(report.members / (syncMs / 1000)).toFixed(0)} rows/s), ${report.members} members stored, ${report.pages} pages, Graph requests ${JSON.stringify(syncReq.byRoute)}, 429s ${syncReq.throttled}`,
    );
    console.log(
      `                 at Graph's real limits (8,000 resource units per 10 s): ${projectedSeconds({ directory: report.pages, 'teams-read': 0, 'teams-write': 0 }, GRAPH_DOCUMENTED_LIMITS).toFixed(2)} s of Graph budget; the table writes take the time`,
    );

    // --- 2. resolving audiences and the estimate ----------------------------------------------------
    const resolver = new DirectoryAudienceResolver({
      repository,
      groups: new EntraGroups(graph),
      installedUserIds: installedUserIdsFrom(users),
    });
    t0 = performance.now();
    const everyone = await resolver.resolve({ everyone: true });
    const everyoneMs = performance.now() - t0;
    before = snapshot(sim);
    t0 = performance.now();
    const partial = await resolver.resolve({
      districts: ['altona', 'wandsbek'],
      groupIds: [city.groups[0]!.id],
    });
    const partialMs = performance.now() - t0;
    const groupReq = delta(before, snapshot(sim));
    t0 = performance.now();
    const estimate = await resolver.estimate(everyone);
    const estimateMs = performance.now() - t0;
    console.log(`  resolve everyone: ${everyone.size} people in ${fmtS(everyoneMs)}`);
    console.log(
      `  resolve Altona + Wandsbek + a group of ${city.groups[0]!.members.length}: ${partial.size} people in ${fmtS(partialMs)} (transitiveMembers pages: ${groupReq.byRoute['transitive-members'] ?? 0})`,
    );
    console.log(`  estimate for everyone: ${JSON.stringify(estimate)} in ${fmtS(estimateMs)}`);

    // --- 3. proactive installation for everyone without a conversation ------------------------------
    const installer = new GraphInstaller({
      graph,
      repository,
      catalogAppId: 'puls-catalog',
      botAppId: 'puls-app',
      tenantId: 'hamburg',
      clock: systemClock,
      logger,
    });
    const installedIds = new Set(installed.map((u) => u.id));
    const targets = [...everyone].filter((id) => !installedIds.has(id));
    const outcomes = { reachable: 0, unreachable: 0, failed: 0 };
    let firstError: unknown;
    before = snapshot(sim);
    const graphBefore = { ...graph.stats.byCategory };
    t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < targets.length) {
          const id = targets[next++]!;
          try {
            const outcome: InstallOutcome = await installer.install(id);
            outcomes[outcome.kind]++;
          } catch (err) {
            outcomes.failed++;
            firstError ??= err;
          }
        }
      }),
    );
    const installMs = performance.now() - t0;
    const installReq = delta(before, snapshot(sim));
    const { peakRss, peakHeap } = memory.stop();
    const byKind = {
      directory: 0,
      'teams-read': graph.stats.byCategory['teams-read'] - graphBefore['teams-read'],
      'teams-write': graph.stats.byCategory['teams-write'] - graphBefore['teams-write'],
    };
    console.log(
      `  install:       ${targets.length} people in ${fmtS(installMs)} (${(targets.length / (installMs / 1000)).toFixed(0)}/s): ${JSON.stringify(outcomes)}; created ${sim.installsCreated}, 409s ${sim.conflicts}`,
    );
    console.log(
      `                 Graph requests ${JSON.stringify(installReq.byRoute)}, 429s ${installReq.throttled}, violations of a Retry-After ${installReq.violations}`,
    );
    if (firstError) console.log(`                 first error: ${String(firstError)}`);
    const real = projectedSeconds(byKind, GRAPH_DOCUMENTED_LIMITS);
    const puls = projectedSeconds(byKind, GRAPH_DEFAULT_LIMITS);
    const allowedRead = GRAPH_DEFAULT_LIMITS.teamsReadPerSecond * SCALE;
    const achievedRead = byKind['teams-read'] / (installMs / 1000);
    console.log(
      `                 GET installedApps at ${achievedRead.toFixed(0)}/s = ${((achievedRead / allowedRead) * 100).toFixed(0)} % of the client's limit here (${allowedRead}/s = 90 % of 30/s ×${SCALE})`,
    );
    console.log(
      `                 projected at Graph's real limits (30 GET/s, 30 POST/s per app and tenant): ${fmtMin(real)} at 100 %, ${fmtMin(puls)} at Puls' 90 %`,
    );
    console.log(
      `  Graph total: ${sim.requests} requests, 429s ${sim.throttled} (${JSON.stringify(sim.throttledBy())}), peak units per window ${JSON.stringify(sim.peakUnits())} of ${JSON.stringify(Object.fromEntries(Object.entries(sim.limits()).map(([k, l]) => [k, l.units])))}`,
    );
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const retained = gc
      ? `, heap after a full GC ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`
      : '';
    console.log(
      `  peak RSS ${(peakRss / 1048576).toFixed(0)} MB, peak heap ${(peakHeap / 1048576).toFixed(0)} MB${retained} (bench process: Puls' directory code + the Graph simulator with ${USERS} users; NODE_OPTIONS=--expose-gc for the figure after GC)`,
    );
  } finally {
    await sim.stop();
    azurite.stop();
  }
}
