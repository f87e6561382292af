// `npm run playground`: Puls plus the Microsoft 365 Agents Playground (a local mock of Teams), for
// trying the bot in a browser without a tenant. Starts the bot with the mock context from
// .m365agentsplayground.yml (the current user is an officer; the mock team is the officers' team),
// waits for /healthz, then starts the Playground and prints its address. Ctrl+C stops both.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const CONFIG_PATH = path.resolve(
  ROOT,
  process.env.M365_AGENTS_PLAYGROUND_CONFIG_PATH ?? '.m365agentsplayground.yml',
);
const PLAYGROUND_CLI = path.join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
const PLAYGROUND_LOG = path.join(ROOT, 'devTools', 'm365agentsplayground.log');
const BOT_LOG = path.join(ROOT, 'build', 'playground', 'bot.log');
const HEALTH_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** The playground config is small, two-level YAML; this reads `section.key` scalars without a YAML library. */
export function readYamlScalar(text: string, section: string, key: string): string | undefined {
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const top = /^([A-Za-z_][\w-]*):(.*)$/.exec(line);
    if (top) {
      inSection = top[1] === section;
      continue;
    }
    if (!inSection) continue;
    const child = /^ {2}([A-Za-z_][\w-]*):\s*(.*)$/.exec(line);
    if (child && child[1] === key) return unquote(child[2]!.trim());
  }
  return undefined;
}

function unquote(value: string): string {
  const m = /^(['"])(.*)\1$/.exec(value);
  return m ? m[2]! : value;
}

function prefixLines(prefix: string, out: NodeJS.WriteStream, log?: WriteStream) {
  let rest = '';
  return (chunk: Buffer) => {
    log?.write(chunk);
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) out.write(`${prefix} ${line}\n`);
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForHealth(url: string, bot: ChildProcess): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (bot.exitCode !== null || bot.signalCode !== null) {
      throw new Error(`the bot exited (${bot.exitCode ?? bot.signalCode}) before ${url} answered`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`);
}

/** The Playground listens before it reads its config; only once that worked is it worth opening. */
async function announceWhenReady(port: number, playground: ChildProcess): Promise<void> {
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline && playground.exitCode === null && playground.signalCode === null) {
    try {
      const res = await fetch(`${url}/_internal/v1/config`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) {
        console.log(`\nOpen ${url} in your browser (Ctrl+C stops Puls and the Playground)\n`);
        return;
      }
    } catch {
      // not ready yet
    }
    await sleep(250);
  }
}

/** The Playground writes the reason for a failed start only to its log file. */
function playgroundErrors(): string[] {
  if (!existsSync(PLAYGROUND_LOG)) return [];
  return readFileSync(PLAYGROUND_LOG, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('error '))
    .slice(-5);
}

async function main(): Promise<void> {
  if (!existsSync(CONFIG_PATH)) throw new Error(`${CONFIG_PATH} not found`);
  if (!existsSync(PLAYGROUND_CLI))
    throw new Error('@microsoft/m365agentsplayground is not installed: run npm ci');
  const yml = readFileSync(CONFIG_PATH, 'utf8');
  const officerAadId = readYamlScalar(yml, 'currentUser', 'aadObjectId');
  const teamId = readYamlScalar(yml, 'team', 'id');
  const officerName = readYamlScalar(yml, 'currentUser', 'name');
  if (!officerAadId || !teamId) {
    throw new Error(`${CONFIG_PATH} needs currentUser.aadObjectId and team.id`);
  }

  const botPort = Number(process.env.PORT ?? 3978);
  const botEnv: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(botPort),
    OFFICER_AAD_IDS: officerAadId,
    OFFICERS_TEAM_ID: teamId,
    TABLE_PREFIX: 'playground',
    AZURITE_LOCATION: '.data/playground',
    // A free port, so that a bot started with `npm start` (Azurite on 10002) can keep running.
    AZURITE_TABLE_PORT: process.env.AZURITE_TABLE_PORT ?? '0',
  };
  // The Playground sends no tokens and the data is mock data: never authenticate, never use real storage.
  for (const name of [
    'MicrosoftAppId',
    'MicrosoftAppPassword',
    'MicrosoftAppType',
    'MicrosoftAppTenantId',
    'AZURE_STORAGE_CONNECTION_STRING',
    'AZURE_STORAGE_TABLE_URL',
    'PULS_EMBEDDED_STORAGE',
    'PULS_REQUIRE_SECRETS',
  ]) {
    if (botEnv[name]) console.log(`[playground] ignoring ${name} for the playground run`);
    delete botEnv[name];
  }

  mkdirSync(path.dirname(BOT_LOG), { recursive: true });
  const botLog = createWriteStream(BOT_LOG, { flags: 'w' });
  const children: ChildProcess[] = [];
  let stopping = false;
  let exitCode = 0;

  const stopAll = (signal: NodeJS.Signals, code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    }
    setTimeout(() => {
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }, STOP_TIMEOUT_MS).unref();
  };
  const finishWhenAllExited = () => {
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) {
      botLog.end(() => process.exit(exitCode));
    }
  };
  // Children run in their own process group (detached), so a terminal's Ctrl+C reaches them once, from here.
  process.on('SIGINT', () => stopAll('SIGINT', 130));
  process.on('SIGTERM', () => stopAll('SIGTERM', 143));
  process.on('exit', () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  console.log(
    `[playground] starting Puls on http://127.0.0.1:${botPort} (officer: ${officerName ?? officerAadId})`,
  );
  const bot = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bot/main.ts'], {
    cwd: ROOT,
    env: botEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(bot);
  bot.stdout.on('data', prefixLines('[puls]', process.stdout, botLog));
  bot.stderr.on('data', prefixLines('[puls]', process.stderr, botLog));
  bot.on('exit', (code, signal) => {
    console.log(`[playground] Puls exited (${code ?? signal})`);
    stopAll('SIGTERM', stopping ? exitCode : (code ?? 1) || 1);
    finishWhenAllExited();
  });

  try {
    await waitForHealth(`http://127.0.0.1:${botPort}/healthz`, bot);
  } catch (err) {
    console.error(`[playground] ${err instanceof Error ? err.message : String(err)}`);
    stopAll('SIGTERM', 1);
    finishWhenAllExited();
    return;
  }
  if (stopping) return;

  const playgroundEnv: NodeJS.ProcessEnv = {
    ...process.env,
    // Without a desktop browser the Playground exits right after "Listening" unless told not to open one.
    TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER ?? 'none',
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: CONFIG_PATH,
  };
  const playground = spawn(
    process.execPath,
    [
      PLAYGROUND_CLI,
      '-e',
      `http://127.0.0.1:${botPort}/api/messages`,
      '-c',
      'msteams',
      '--disable-telemetry',
    ],
    { cwd: ROOT, env: playgroundEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  children.push(playground);
  const printPlayground = prefixLines('[playground]', process.stdout);
  playground.stdout.on('data', (chunk: Buffer) => {
    printPlayground(chunk);
    // The Playground falls back to a random port when 56150 is taken.
    const port = /Listening on (\d+)/.exec(chunk.toString())?.[1];
    if (port) void announceWhenReady(Number(port), playground);
  });
  playground.stderr.on('data', prefixLines('[playground]', process.stderr));
  playground.on('exit', (code, signal) => {
    console.log(`[playground] the Playground exited (${code ?? signal})`);
    if (!stopping && code !== 0) {
      for (const line of playgroundErrors()) console.error(`[playground] ${line}`);
    }
    stopAll('SIGTERM', stopping ? exitCode : (code ?? 1) || 1);
    finishWhenAllExited();
  });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`[playground] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
