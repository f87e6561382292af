// Answer latency: 2,000 valid adaptiveCard/action invokes at concurrency 50 against the bot over
// HTTP, and in the same run a bare upsertEntity of a response-sized row at the same concurrency
// against the same Azurite. The bot should add little to what storage costs. Three processes, as in
// production: Azurite, the bot (its real entry point), and this load generator.
import { randomBytes, randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { ManualClock } from '../src/clock';
import { RunRepository } from '../src/storage/run-repository';
import { TableStore } from '../src/storage/tables';
import { UserRepository } from '../src/storage/user-repository';
import { PrivacyKeys, pseudonymOf } from '../src/privacy/keys';
import { Pseudonyms } from '../src/privacy/pseudonyms';
import { SecretRepository } from '../src/storage/secret-repository';
import { RESPONSE_BUCKETS, responsePartition } from '../src/storage/response-repository';
import { loadQuestionBank, defaultSurveysDir } from '../src/surveys/question-bank';
import type { Run } from '../src/surveys/model';
import { cpuDuring, fmt, freePort, percentile, startAzuriteProcess, timedLoop } from './support';
import { DISTRICTS } from '../src/domain/vocabulary';

const USERS = 2000;
const CONCURRENCY = 50;
const WARMUP = 200;
const ROUNDS = 4;
// BENCH_CPU_PROF=<dir> writes a CPU profile of the bot process there.
/** The bot's PSEUDONYM_KEY: the run's secret is sealed under it before the bot starts. */
const PSEUDONYM_KEY = 'bench-pseudonym-key-0123456789abcdef0123';

export async function benchAnswerLatency(): Promise<void> {
  const azurite = await startAzuriteProcess();
  const clock = new ManualClock(new Date());
  const prefix = `bench${Date.now().toString(36)}`;
  const store = new TableStore({ connectionString: azurite.connectionString, prefix });
  await store.ensureTables();
  const userRepository = new UserRepository(store);
  const runs = new RunRepository(store);
  // The staff are installed before the bot starts, as in production (weeks before a survey).
  const survey = loadQuestionBank(defaultSurveysDir()).get('digitales-arbeiten')!;
  const run: Run = {
    runId: 'bench-run',
    survey,
    audience: { kind: 'all' },
    startedAt: clock.now(),
    // Open for the whole benchmark, whenever it runs.
    closesAt: new Date(clock.now().getTime() + 30 * 24 * 60 * 60_000),
    closedAt: undefined,
    startedBy: 'bench',
    audienceSize: USERS + WARMUP,
  };
  await runs.create(run);
  // Its random secret, sealed under the bot's key, as starting a run through the app creates it.
  await new Pseudonyms(new PrivacyKeys(PSEUDONYM_KEY), new SecretRepository(store)).create('run', run.runId);
  const districts = DISTRICTS;
  const users = Array.from({ length: USERS + WARMUP }, (_, i) => ({
    id: `29:bench-${i}`,
    aad: randomUUID(),
    district: districts[i % districts.length]!,
  }));
  await timedLoop(users.length, 32, async (i) => {
    const u = users[i]!;
    await userRepository.saveReference(
      u.aad,
      { conversation: { id: `a:${u.aad}`, isGroup: false, conversationType: 'personal', name: '' } },
      'de-DE',
      clock.now(),
    );
    await userRepository.saveSettings(u.aad, {
      language: 'de',
      district: u.district,
      reminders: true,
    });
  });
  const port = await freePort();
  const botProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []),
      '-r',
      'ts-node/register/transpile-only',
      'bot/main.ts',
    ],
    {
      cwd: path.join(__dirname, '..'),
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        TABLE_PREFIX: prefix,
        PSEUDONYM_KEY,
        LOG_LEVEL: 'warn',
        DIGEST_ENABLED: 'false',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await waitForHealth(port);
  try {
    // A complete, valid answer to every question of the survey.
    const data: Record<string, string> = {};
    for (const q of survey.questions) {
      data[`q_${q.id}`] =
        q.type === 'likert5'
          ? '4'
          : q.type === 'nps'
            ? '8'
            : q.type === 'text'
              ? 'Mehr Zeit für Fortbildungen wäre gut.'
              : q.choices[0]!.id;
    }
    const invoke = async (i: number) => {
      const u = users[i]!;
      const res = await post(port, '/api/messages', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: `act-${i}`,
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:9/',
        from: { id: u.id, aadObjectId: u.aad, name: 'Bench' },
        recipient: { id: '28:bot', name: 'Puls' },
        conversation: { id: `a:${u.aad}`, conversationType: 'personal', tenantId: 't' },
        locale: 'de-DE',
        value: { action: { type: 'Action.Execute', verb: `survey.answer:${run.runId}`, data } },
      });
      if (res.status !== 200 || !res.body.includes('Danke')) throw new Error(`status ${res.status}`);
    };
    // The bare storage cost: one upsert of a response-sized row per answer, same concurrency.
    const table = TableClient.fromConnectionString(azurite.connectionString, `${prefix}bare`, {
      allowInsecureConnection: true,
    });
    await table.createTable();
    const bareSecret = randomBytes(32);
    const answers = JSON.stringify(
      Object.fromEntries(
        survey.questions.map((q) => [q.id, q.type === 'text' ? 'Mehr Zeit für Fortbildungen wäre gut.' : 4]),
      ),
    );
    const upsert = async (i: number) => {
      const p = pseudonymOf(bareSecret, String(i));
      await table.upsertEntity(
        {
          partitionKey: responsePartition('bare', parseInt(p.slice(0, 4), 16) % RESPONSE_BUCKETS),
          rowKey: p,
          district: 'altona',
          answers,
        },
        'Replace',
      );
    };
    await timedLoop(WARMUP, CONCURRENCY, (i) => invoke(USERS + i));
    await timedLoop(WARMUP, CONCURRENCY, (i) => upsert(USERS + i));

    // Bot and bare upserts take turns in rounds, so that both meet the same machine: on a shared
    // 2-core host the speed of the whole machine varies by half from minute to minute.
    const pids = { bot: botProcess.pid!, azurite: azurite.pid, 'load generator': process.pid };
    const perRound = USERS / ROUNDS;
    const botRounds: Awaited<ReturnType<typeof timedLoop>>[] = [];
    const bareRounds: Awaited<ReturnType<typeof timedLoop>>[] = [];
    const botCpu: Record<string, number> = {};
    const bareCpu: Record<string, number> = {};
    const add = (sum: Record<string, number>, cpu: Record<string, number>) => {
      for (const [name, ms] of Object.entries(cpu)) sum[name] = (sum[name] ?? 0) + ms;
    };
    for (let r = 0; r < ROUNDS; r++) {
      for (const which of r % 2 === 0 ? (['bot', 'bare'] as const) : (['bare', 'bot'] as const)) {
        const task = which === 'bot' ? invoke : upsert;
        const { result, cpuMs } = await cpuDuring(pids, () =>
          timedLoop(perRound, CONCURRENCY, (i) => task(r * perRound + i)),
        );
        (which === 'bot' ? botRounds : bareRounds).push(result);
        add(which === 'bot' ? botCpu : bareCpu, cpuMs);
      }
    }
    const bot = mergeRounds(botRounds);
    const bare = mergeRounds(bareRounds);
    const stored = await countRows(store.client('responses'));

    const line = (name: string, r: typeof bot) =>
      `  ${name.padEnd(12)} n=${r.latencies.length} errors=${r.errors} p50=${fmt(percentile(r.latencies, 50))} p99=${fmt(percentile(r.latencies, 99))} max=${fmt(r.latencies.at(-1) ?? NaN)} throughput=${((r.latencies.length / r.wallMs) * 1000).toFixed(0)}/s`;
    console.log(
      `\nAnswer latency (${USERS} invokes, concurrency ${CONCURRENCY}, in ${ROUNDS} rounds taking turns with the bare upserts; Azurite, the bot and this load generator in separate processes)`,
    );
    console.log(line('bot invoke', bot));
    console.log(line('bare upsert', bare));
    console.log(
      `  p99 ratio bot/bare = ${(percentile(bot.latencies, 99) / percentile(bare.latencies, 99)).toFixed(2)}  (target ≤ 2.0, bot p99 < 300 ms)`,
    );
    const perRequest = (cpu: Record<string, number>) =>
      Object.entries(cpu)
        .filter(([, ms]) => ms > 0)
        .map(([name, ms]) => `${name} ${(ms / USERS).toFixed(2)}`)
        .join(', ');
    console.log(`  CPU ms per request, bot run:  ${perRequest(botCpu)}`);
    console.log(`  CPU ms per request, bare run: ${perRequest(bareCpu)}`);
    console.log(`  responses stored: ${stored} (expected ${USERS + WARMUP})`);
    if (bot.firstError) console.log(`  first bot error: ${String(bot.firstError)}`);
  } finally {
    botProcess.kill('SIGTERM');
    azurite.stop();
  }
}

function mergeRounds(rounds: Awaited<ReturnType<typeof timedLoop>>[]): Awaited<ReturnType<typeof timedLoop>> {
  return {
    latencies: rounds.flatMap((r) => r.latencies).sort((a, b) => a - b),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    wallMs: rounds.reduce((n, r) => n + r.wallMs, 0),
    firstError: rounds.find((r) => r.firstError !== undefined)?.firstError,
  };
}

async function countRows(client: TableClient): Promise<number> {
  let n = 0;
  for await (const _ of client.listEntities({ queryOptions: { select: ['RowKey'] } })) n++;
  return n;
}

async function waitForHealth(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the bot did not start');
}

// The load generator should take as little of the machine as it can: Teams is not on it. Node's
// http with keep-alive costs about half the CPU of fetch (undici) per request here.
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(port: number, path: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
