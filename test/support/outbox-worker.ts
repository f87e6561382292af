// A bot instance reduced to its delivery engine, run as a child process by the restart tests and the
// delivery-multi benchmark, so that it can be killed (SIGKILL) in the middle of a job.
//
// Environment: WORKER_STORAGE, WORKER_PREFIX, WORKER_JOB (required); WORKER_RATE (SEND_RATE_PER_S,
// default 90); WORKER_BUDGET `shared` (default: the SharedSendBudget in storage, as in production) or
// `local` (an AdaptiveRateLimiter of its own); WORKER_ID (instance id); WORKER_CONCURRENCY;
// WORKER_CLAIM_MS; WORKER_REPORT_MS (when set, a JSON line of figures on stdout that often).
// The last stdout line is the job's result as JSON.
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { createAdapter } from '../../bot/auth';
import { AdapterMessenger } from '../../bot/proactive';
import { systemClock } from '../../src/clock';
import { OutboxDeliveryEngine } from '../../src/delivery/outbox-engine';
import { AdaptiveRateLimiter } from '../../src/delivery/rate-limiter';
import { SharedSendBudget } from '../../src/delivery/send-budget';
import { createLogger } from '../../src/logger';
import { OutboxRepository } from '../../src/storage/outbox-repository';
import { SendBudgetRepository } from '../../src/storage/send-budget-repository';
import { TableStore } from '../../src/storage/tables';
import { TEST_STORAGE_LIMITS } from './storage';

/** Outgoing HTTP requests by what they went to: the budget record, other tables, Teams. */
export interface WorkerRequests {
  budget: number;
  tables: number;
  teams: number;
}

export interface WorkerReport {
  kind: 'report';
  instanceId: string;
  requests: WorkerRequests;
  /** This instance's share of the send rate now (requests per second). */
  rate: number;
  /** Peak resident set size so far, bytes. */
  maxRss: number;
  /** CPU time used so far (user + system), ms. */
  cpuMs: number;
  /** The shared budget's renewals, lost writes and renewals that gave up. */
  budget?: { renewals: number; conflicts: number; failures: number };
}

async function main(): Promise<void> {
  const env = process.env;
  const instanceId = env.WORKER_ID ?? `worker-${process.pid}`;
  const prefix = env.WORKER_PREFIX!;
  const store = new TableStore({
    connectionString: env.WORKER_STORAGE!,
    prefix,
    limits: TEST_STORAGE_LIMITS,
  });

  // Every request the Azure SDK or botbuilder makes goes through node:http; count them by target
  // (storage by its host; transactions go to /$batch, not to a table's path).
  const requests: WorkerRequests = { budget: 0, tables: 0, teams: 0 };
  const budgetTable = store.tableName('sendbudget');
  const storageHost = new URL(/TableEndpoint=([^;]+)/.exec(env.WORKER_STORAGE!)![1]!).host;
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    if (request.getHeader('host') !== storageHost) requests.teams++;
    else if (request.path.includes(budgetTable)) requests.budget++;
    else requests.tables++;
  });

  const rate = Number(env.WORKER_RATE ?? 90);
  const logger = createLogger({ level: 'silent' });
  const limiter =
    env.WORKER_BUDGET === 'local'
      ? new AdaptiveRateLimiter({ ratePerSecond: rate })
      : new SharedSendBudget({
          repository: new SendBudgetRepository(store),
          instanceId,
          ratePerSecond: rate,
          logger,
        });
  const engine = new OutboxDeliveryEngine({
    outbox: new OutboxRepository(store),
    // The production configuration of the engine's adapter: no SDK retries.
    messenger: new AdapterMessenger(createAdapter({}, { proactiveRetries: false }), ''),
    clock: systemClock,
    logger,
    limiter,
    instanceId,
    maxAttempts: 8,
    concurrency: Number(env.WORKER_CONCURRENCY ?? 4),
    ...(env.WORKER_CLAIM_MS ? { claimMs: Number(env.WORKER_CLAIM_MS) } : {}),
    renderFor: () => Promise.resolve(() => ({ type: 'message', text: 'Umfrage' })),
  });
  const report = () => {
    const line: WorkerReport = {
      kind: 'report',
      instanceId,
      requests: { ...requests },
      rate: limiter.rate,
      maxRss: process.resourceUsage().maxRSS * 1024,
      cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
      ...(limiter instanceof SharedSendBudget ? { budget: { ...limiter.stats } } : {}),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
  const timer = env.WORKER_REPORT_MS ? setInterval(report, Number(env.WORKER_REPORT_MS)) : undefined;
  const result = await engine.process(env.WORKER_JOB!);
  await engine.stop();
  clearInterval(timer);
  report();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
