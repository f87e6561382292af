// Child processes and ports for tests (and benchmarks) that run Puls' real entry points.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { azuriteConnectionString } from '../../src/storage/azurite';

export const ROOT = path.join(__dirname, '../..');

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * The `port` of the first JSON log line whose message starts with `msg` (e.g. 'Puls listening'), once
 * the child has written it. Child processes are started with port 0 and report the port they got: a
 * port picked with freePort() beforehand can be taken by any other process (an outgoing connection
 * gets one from the same range) in the seconds the child needs to start.
 */
export function loggedPort(output: string, msg: string): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{') || !line.includes(`"msg":"${msg}`)) continue;
    const port = (JSON.parse(line) as { port?: unknown }).port;
    if (typeof port === 'number' && port > 0) return port;
  }
  return undefined;
}

/**
 * Runs a TypeScript file of the repository in a child process with only the given environment,
 * compiled as it loads by esbuild (test/support/esbuild-register.js).
 */
export function spawnTs(file: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['-r', './test/support/esbuild-register.js', file], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

export interface AzuriteProcess {
  readonly connectionString: string;
  readonly pid: number;
  /** SIGSTOP: the process keeps its port and connections but answers nothing (a hung storage service). */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
  stop(): Promise<void>;
}

/**
 * Azurite's table service in a child process of its own (in memory, or persisted in `location`),
 * so that a test can freeze it without freezing itself.
 */
export async function startAzuriteProcess(location?: string): Promise<AzuriteProcess> {
  const port = await freePort();
  const storage = location ? ['--location', location] : ['--inMemoryPersistence'];
  const bin = path.join(ROOT, 'node_modules', '.bin', 'azurite-table');
  const child = spawn(
    bin,
    [...storage, '--tableHost', '127.0.0.1', '--tablePort', String(port), '--disableTelemetry', '--silent'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Azurite did not start within 60 s')), 60_000);
    const onData = (d: Buffer) => {
      if (d.toString().includes('successfully')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with ${code}`));
    });
  });
  return {
    connectionString: azuriteConnectionString('127.0.0.1', port),
    pid: child.pid!,
    freeze: () => process.kill(child.pid!, 'SIGSTOP'),
    thaw: () => process.kill(child.pid!, 'SIGCONT'),
    async stop() {
      if (child.exitCode !== null) return;
      process.kill(child.pid!, 'SIGCONT');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
