// Delivery by three instances sharing one Teams budget: three engine processes (test/support/
// outbox-worker.ts, SharedSendBudget as in production) against ONE Teams throttling simulator in a
// process of its own (limits ×10: 500 requests/s for the tenant) and Azurite in another, 72,000
// recipients (BENCH_RECIPIENTS for fewer). A third of the way through one instance gets SIGKILL.
// Prints the achieved rate against SEND_RATE_PER_S (scaled), 429s, the most requests in any 1 s
// window, lost and duplicate cards, how long the survivors took to take over the dead instance's
// share and rows, storage requests per send, and peak memory per process.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { OutboxRepository } from '../src/storage/outbox-repository';
import { TableStore } from '../src/storage/tables';
import type { WorkerReport } from '../test/support/outbox-worker';
import { spawnTs } from '../test/support/processes';
import { simulatedRecipient } from '../test/support/teams-simulator';
import { HISTOGRAM_MS, type SimulatorStats } from './delivery-simulator';
import { cpuMsOf, sampleMemory, startAzuriteProcess } from './support';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 72_000);
const INSTANCES = 3;
/** Teams limits and SEND_RATE_PER_S ×SCALE (BENCH_SCALE; ×1 is the real rate, for small machines). */
const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const TEAMS_RATE = 50;
/** SEND_RATE_PER_S at its default (45), scaled like the simulator: the total for all instances. */
const SEND_RATE = 45 * SCALE;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const JOB = 'city-run';

interface Worker {
  id: string;
  child: ReturnType<typeof spawnTs>['child'];
  exited: Promise<number | null>;
  output: () => string;
  last?: WorkerReport;
}

function startWorker(id: string, env: Record<string, string>): Worker {
  const run = spawnTs('test/support/outbox-worker.ts', { ...env, WORKER_ID: id });
  const worker: Worker = { id, ...run };
  let pending = '';
  run.child.stdout.on('data', (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{"kind":"report"')) continue;
      worker.last = JSON.parse(line) as WorkerReport;
    }
  });
  return worker;
}

async function startSimulator(): Promise<{ serviceUrl: string; control: string; stop(): void }> {
  const run = spawnTs('bench/delivery-simulator.ts', { SIM_SCALE: String(SCALE) });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('simulator did not start')), 60_000);
    run.child.stdout.on('data', () => {
      const line = run.output().split('\n')[0]!;
      if (run.output().includes('\n')) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    void run.exited.then((code) => reject(new Error(`simulator exited with ${code}: ${run.output()}`)));
  });
  const urls = JSON.parse(first) as { serviceUrl: string; control: string };
  return { ...urls, stop: () => run.child.kill('SIGTERM') };
}

async function getJson<T>(url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, body ? { method: 'POST', body: JSON.stringify(body) } : {});
  return (await res.json()) as T;
}

/** Peak resident set of a running process (VmHWM), bytes. */
function peakRssOf(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function uptimeLine(): string {
  try {
    return execSync('uptime').toString().trim();
  } catch {
    return `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`;
  }
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export async function benchDeliveryMulti(): Promise<void> {
  const loadBefore = uptimeLine();
  const azurite = await startAzuriteProcess();
  const sim = await startSimulator();
  const workers: Worker[] = [];
  try {
    const prefix = `benchmulti${Date.now().toString(36)}`;
    const store = new TableStore({ connectionString: azurite.connectionString, prefix });
    await store.ensureTables();
    const outbox = new OutboxRepository(store);
    const users = Array.from({ length: RECIPIENTS }, (_, i) => `user-${i}`);
    const t0 = performance.now();
    await outbox.enqueue(
      JOB,
      users.map((u) => simulatedRecipient(sim.serviceUrl, u, `a:${u}`)),
      new Date(),
    );
    const enqueueMs = performance.now() - t0;
    const memory = sampleMemory(500);

    const env = {
      WORKER_STORAGE: azurite.connectionString,
      WORKER_PREFIX: prefix,
      WORKER_JOB: JOB,
      WORKER_RATE: String(SEND_RATE),
      WORKER_BUDGET: 'shared',
      WORKER_CONCURRENCY: String(CONCURRENCY),
      WORKER_REPORT_MS: '250',
    };
    for (let i = 0; i < INSTANCES; i++) workers.push(startWorker(`instance-${i + 1}`, env));
    // Each instance's share of the rate, once a second (from the reports every 250 ms).
    const shares: { at: number; rates: (number | undefined)[] }[] = [];
    const sampler = setInterval(
      () =>
        shares.push({
          at: Date.now(),
          rates: workers.map((w) => (w.child.killed ? undefined : w.last?.rate)),
        }),
      1000,
    );

    // A third of the way through, the last instance dies without a word.
    const deadline = Date.now() + 30 * 60_000;
    while ((await getJson<{ accepted: number }>(`${sim.control}/count`)).accepted < RECIPIENTS / 3) {
      if (Date.now() > deadline) throw new Error('no progress: a third was not reached in 30 min');
      await new Promise((r) => setTimeout(r, 100));
    }
    const victim = workers[INSTANCES - 1]!;
    const victimPeakRss = peakRssOf(victim.child.pid!);
    victim.child.kill('SIGKILL');
    const killAt = Date.now();
    await victim.exited;
    const victimReport = victim.last;
    const inFlight = await outbox.claimedBy(JOB, victim.id);

    const survivors = workers.slice(0, INSTANCES - 1);
    const codes = await Promise.all(survivors.map((w) => w.exited));
    if (codes.some((c) => c !== 0))
      throw new Error(`a worker failed: ${survivors.map((w) => w.output()).join('\n')}`);
    clearInterval(sampler);
    const azuritePeakRss = peakRssOf(azurite.pid);
    const { peakRss: benchPeakRss } = memory.stop();
    const stats = await getJson<SimulatorStats>(`${sim.control}/stats`);
    const resentAt = await getJson<Record<string, number>>(
      `${sim.control}/last-accepted`,
      inFlight.map((u) => `a:${u}`),
    );

    // Rates from the simulator's 100 ms histogram of accepted cards.
    const sendingS = (stats.lastAcceptedAt - stats.firstAcceptedAt) / 1000;
    const achieved = stats.acceptedTotal / sendingS;
    const perWindow = HISTOGRAM_MS / 1000;
    const windows = 1000 / HISTOGRAM_MS;
    const rateAt = (i: number) =>
      stats.histogram.slice(Math.max(0, i - windows + 1), i + 1).reduce((a, b) => a + b, 0) /
      (windows * perWindow);
    const killBucket = Math.floor((killAt - stats.histogramStart) / HISTOGRAM_MS);
    let recovered = -1;
    let lowest = Infinity;
    for (let i = killBucket + 1; i < stats.histogram.length; i++) {
      const r = rateAt(i);
      if (r >= 0.95 * SEND_RATE) {
        recovered = i;
        break;
      }
      lowest = Math.min(lowest, r);
    }
    const budgetTakeoverS =
      recovered >= 0 ? ((recovered + 1) * HISTOGRAM_MS + stats.histogramStart - killAt) / 1000 : NaN;
    const resent = Object.values(resentAt).filter((at) => at > killAt);
    const rowTakeoverS = resent.length ? (Math.max(...resent) - killAt) / 1000 : 0;

    // Storage requests: the survivors' totals and the victim's last report (≤ 250 ms before the kill).
    const reports = [...survivors.map((w) => w.last!), victimReport!];
    const requests = reports.reduce(
      (sum, r) => ({
        budget: sum.budget + r.requests.budget,
        tables: sum.tables + r.requests.tables,
        teams: sum.teams + r.requests.teams,
      }),
      { budget: 0, tables: 0, teams: 0 },
    );
    const wallS = sendingS;
    const lost = RECIPIENTS - stats.conversations;

    console.log(
      `\nDelivery of ${RECIPIENTS} cards by ${INSTANCES} instances sharing one budget (simulator ×${SCALE} in its own process: ${stats.tenantLimit}/s tenant limit; SEND_RATE_PER_S ${SEND_RATE} for all together)`,
    );
    console.log(`  load before: ${loadBefore}`);
    console.log(`  enqueue: ${(enqueueMs / 1000).toFixed(1)} s (from the bench process)`);
    console.log(
      `  sending: ${sendingS.toFixed(1)} s, achieved ${achieved.toFixed(0)}/s = ${pct(achieved / SEND_RATE)} of SEND_RATE_PER_S (target ≥ 95 %), ${pct(achieved / stats.tenantLimit)} of the tenant limit`,
    );
    console.log(
      `  429s: ${stats.throttled} ${JSON.stringify(stats.throttledBy)}, back-off violations ${stats.violations}; most requests in any 1 s window: ${stats.maxRequestedTenant1s} sent, ${stats.maxAcceptedTenant1s} accepted (limit ${stats.tenantLimit})`,
    );
    console.log(
      `  kill: instance-${INSTANCES} (SIGKILL) after ${((killAt - stats.firstAcceptedAt) / 1000).toFixed(1)} s; rows it held in flight: ${inFlight.length}`,
    );
    console.log(
      `  takeover: rate back at ≥ 95 % after ${budgetTakeoverS.toFixed(1)} s (lowest 1 s rate in between ${Number.isFinite(lowest) ? lowest.toFixed(0) : '-'}/s); its rows in flight sent by others within ${rowTakeoverS.toFixed(1)} s (claim lifetime 30 s)`,
    );
    const per10s: number[] = [];
    for (let i = 0; i < stats.histogram.length; i += 100)
      per10s.push(stats.histogram.slice(i, i + 100).reduce((a, b) => a + b, 0) / 10);
    console.log(`  sending rate per 10 s: ${per10s.map((r) => r.toFixed(0)).join(' ')}`);
    for (const sample of shares.filter((x) => x.at >= killAt - 1000 && x.at <= killAt + 8000)) {
      const i = Math.floor((sample.at - stats.histogramStart) / HISTOGRAM_MS);
      console.log(
        `    kill ${sample.at >= killAt ? '+' : ''}${((sample.at - killAt) / 1000).toFixed(1)} s: sending ${rateAt(i).toFixed(0)}/s; shares ${sample.rates.map((r) => (r === undefined ? '-' : r.toFixed(0))).join(' / ')}`,
      );
    }
    console.log(
      `  lost: ${lost} (must be 0), duplicates: ${stats.duplicates} (must be ≤ ${inFlight.length}, the rows in flight at the kill)`,
    );
    console.log(
      `  storage requests: ${((requests.budget + requests.tables) / stats.acceptedTotal).toFixed(3)} per send (outbox ${(requests.tables / stats.acceptedTotal).toFixed(3)}, budget ${(requests.budget / stats.acceptedTotal).toFixed(4)}); budget ${(requests.budget / wallS).toFixed(1)}/s for all instances (${(requests.budget / wallS / INSTANCES).toFixed(1)}/s each)`,
    );
    const workerCpuMs = reports.reduce((sum, r) => sum + r.cpuMs, 0);
    const azuriteCpuMs = cpuMsOf(azurite.pid);
    console.log(
      `  CPU per send (whole run, incl. start-up): instances ${(workerCpuMs / stats.acceptedTotal).toFixed(2)} ms, Azurite ${(azuriteCpuMs / stats.acceptedTotal).toFixed(2)} ms (incl. the enqueue), simulator ${(stats.cpuMs / stats.acceptedTotal).toFixed(2)} ms — on ${cpus().length} cores`,
    );
    console.log(
      `  peak RSS: instances ${reports.map((r) => mb(r.maxRss)).join(', ')} (killed one: ${mb(victimPeakRss)}), simulator ${mb(stats.maxRss)}, Azurite ${mb(azuritePeakRss)}, bench ${mb(benchPeakRss)}`,
    );
    console.log(
      `  projected at the real ${TEAMS_RATE}/s: ${(RECIPIENTS / (achieved / SCALE) / 60).toFixed(1)} min (physical limit ${(RECIPIENTS / TEAMS_RATE / 60).toFixed(1)} min)`,
    );
    console.log(`  load after: ${uptimeLine()}`);
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
    sim.stop();
    azurite.stop();
  }
}
