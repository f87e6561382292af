// A bot instance reduced to its delivery engine, run as a child process by the restart test, so that
// it can be killed (SIGKILL) in the middle of a job.
import { createAdapter } from '../../bot/auth';
import { AdapterMessenger } from '../../bot/proactive';
import { systemClock } from '../../src/clock';
import { OutboxDeliveryEngine } from '../../src/delivery/outbox-engine';
import { AdaptiveRateLimiter } from '../../src/delivery/rate-limiter';
import { createLogger } from '../../src/logger';
import { OutboxRepository } from '../../src/storage/outbox-repository';
import { TableStore } from '../../src/storage/tables';

async function main(): Promise<void> {
  const env = process.env;
  const store = new TableStore({ connectionString: env.WORKER_STORAGE!, prefix: env.WORKER_PREFIX! });
  const engine = new OutboxDeliveryEngine({
    outbox: new OutboxRepository(store),
    // The production configuration of the engine's adapter: no SDK retries.
    messenger: new AdapterMessenger(createAdapter({}, { proactiveRetries: false }), ''),
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    limiter: new AdaptiveRateLimiter({ ratePerSecond: Number(env.WORKER_RATE ?? 90) }),
    maxAttempts: 8,
    concurrency: Number(env.WORKER_CONCURRENCY ?? 4),
    claimMs: Number(env.WORKER_CLAIM_MS ?? 1000),
    renderFor: () => Promise.resolve(() => ({ type: 'message', text: 'Umfrage' })),
  });
  const result = await engine.process(env.WORKER_JOB!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
