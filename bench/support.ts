// Shared pieces of the benchmarks: an Azurite process of its own, percentiles, a bounded-concurrency loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { azuriteConnectionString } from '../src/storage/azurite';
import { freePort } from '../test/support/processes';

export { freePort };

/** Azurite's table service in a separate process, so that it does not share a core with the bot. */
export async function startAzuriteProcess(
  location?: string,
): Promise<{ connectionString: string; pid: number; stop(): void }> {
  const port = await freePort();
  const storage = location ? ['--location', location] : ['--inMemoryPersistence'];
  const bin = path.join(__dirname, '..', 'node_modules', '.bin', 'azurite-table');
  const child: ChildProcess = spawn(
    bin,
    [...storage, '--tableHost', '127.0.0.1', '--tablePort', String(port), '--disableTelemetry', '--silent'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Azurite did not start')), 20000);
    const onData = (d: Buffer) => {
      if (d.toString().includes('successfully')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`Azurite exited with ${code}`)));
  });
  return {
    connectionString: azuriteConnectionString('127.0.0.1', port),
    pid: child.pid!,
    stop: () => child.kill('SIGTERM'),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `count` tasks with at most `concurrency` in flight; returns each task's latency in ms and the errors. */
export async function timedLoop(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ latencies: number[]; errors: number; wallMs: number; firstError?: unknown }> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        try {
          await task(i);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors++;
          firstError ??= err;
        }
      }
    }),
  );
  return {
    latencies: latencies.sort((a, b) => a - b),
    errors,
    wallMs: performance.now() - started,
    firstError,
  };
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** CPU time (user + system) a process has used so far, in ms; NaN where /proc is not available. */
export function cpuMsOf(pid: number): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** CPU used by each named process while `work` runs, in ms. */
export async function cpuDuring<T>(
  pids: Record<string, number>,
  work: () => Promise<T>,
): Promise<{ result: T; cpuMs: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMsOf(pid)]));
  const result = await work();
  const cpuMs = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, cpuMsOf(pid) - before[name]!]),
  );
  return { result, cpuMs };
}

/** Samples this process's memory every `intervalMs`; stop() ends it and gives the peaks in bytes. */
export function sampleMemory(intervalMs: number): { stop(): { peakRss: number; peakHeap: number } } {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRss, peakHeap };
    },
  };
}
