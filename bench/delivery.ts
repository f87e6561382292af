// Delivery at city scale: 72,000 recipients against the Teams throttling simulator with its limits
// scaled ×10 (500 requests/s for the tenant) on Azurite: achieved rate as a share of the allowed rate,
// 429s, duplicates, lost messages, peak memory, and the projected wall time at the real 50/s.
import { createAdapter } from '../bot/auth';
import { AdapterMessenger } from '../bot/proactive';
import { systemClock } from '../src/clock';
import { OutboxDeliveryEngine } from '../src/delivery/outbox-engine';
import { SharedSendBudget } from '../src/delivery/send-budget';
import { createLogger } from '../src/logger';
import { DeliveryRepository } from '../src/storage/delivery-repository';
import { OutboxRepository } from '../src/storage/outbox-repository';
import { SendBudgetRepository } from '../src/storage/send-budget-repository';
import { TableStore } from '../src/storage/tables';
import { simulatedRecipient, TeamsSimulator } from '../test/support/teams-simulator';
import { sampleMemory, startAzuriteProcess } from './support';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 72_000);
/** Teams limits and SEND_RATE_PER_S ×SCALE (BENCH_SCALE; ×1 is the real rate, for small machines). */
const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const TEAMS_RATE = 50;
/** SEND_RATE_PER_S at its default (45), scaled like the simulator. */
const SEND_RATE = 45 * SCALE;

export async function benchDelivery(): Promise<void> {
  const azurite = await startAzuriteProcess();
  const sim = new TeamsSimulator({ scale: SCALE });
  const serviceUrl = await sim.start();
  try {
    const store = new TableStore({
      connectionString: azurite.connectionString,
      prefix: `benchsend${Date.now().toString(36)}`,
    });
    await store.ensureTables();
    const outbox = new OutboxRepository(store);
    const users = Array.from({ length: RECIPIENTS }, (_, i) => `user-${i}`);
    let t0 = performance.now();
    await outbox.enqueue(
      'city-run',
      users.map((u) => simulatedRecipient(serviceUrl, u, `a:${u}`)),
      new Date(),
    );
    const enqueueMs = performance.now() - t0;

    const memory = sampleMemory(200);
    const engine = new OutboxDeliveryEngine({
      outbox,
      // As in production: kept connector clients, no SDK retries (the engine sees every 429).
      messenger: new AdapterMessenger(createAdapter({}, { proactiveRetries: false }), ''),
      clock: systemClock,
      logger: createLogger({ level: 'silent' }),
      // As in production: the budget shared through storage (here with nobody to share it with).
      limiter: new SharedSendBudget({
        repository: new SendBudgetRepository(store),
        instanceId: 'bench',
        ratePerSecond: SEND_RATE,
        logger: createLogger({ level: 'silent' }),
      }),
      maxAttempts: 8,
      concurrency: Number(process.env.BENCH_CONCURRENCY ?? 64),
      renderFor: () => Promise.resolve(() => ({ type: 'message', text: 'Pulsbefragung' })),
    });
    t0 = performance.now();
    const result = await engine.process('city-run');
    const sendMs = performance.now() - t0;
    await engine.stop();
    const { peakRss, peakHeap } = memory.stop();

    t0 = performance.now();
    const counts = await new DeliveryRepository(store).counts('city-run');
    const countMs = performance.now() - t0;
    const allowed = TEAMS_RATE * SCALE;
    const achieved = sim.acceptedTotal / (sendMs / 1000);
    const lost = users.filter((u) => sim.accepted(`a:${u}`) === 0).length;
    console.log(
      `\nDelivery of ${RECIPIENTS} survey cards (simulator limits ×${SCALE}: ${allowed}/s tenant; engine at ${SEND_RATE}/s)`,
    );
    console.log(
      `  enqueue:   ${(enqueueMs / 1000).toFixed(1)} s (outbox rows in ${outbox.partitions('city-run').length} shards)`,
    );
    console.log(
      `  sending:   ${(sendMs / 1000).toFixed(1)} s, achieved ${achieved.toFixed(0)}/s = ${((achieved / SEND_RATE) * 100).toFixed(1)} % of SEND_RATE_PER_S (target ≥ 95 %), ${((achieved / allowed) * 100).toFixed(1)} % of Teams' limit`,
    );
    console.log(
      `  counting the run's deliveries (what \`umfragen\` shows): ${(countMs / 1000).toFixed(2)} s`,
    );
    console.log(`  429s: ${sim.throttled}, 5xx: ${sim.failed}, violations of a back-off: ${sim.violations}`);
    console.log(
      `  duplicates: ${sim.duplicates().length} (must be 0), lost: ${lost} (must be 0), rows: ${JSON.stringify(counts)}, engine: ${JSON.stringify(result)}`,
    );
    console.log(
      `  peak RSS ${(peakRss / 1048576).toFixed(0)} MB, peak heap ${(peakHeap / 1048576).toFixed(0)} MB (bench process: engine + simulator)`,
    );
    console.log(
      `  projected at the real ${TEAMS_RATE}/s: ${(RECIPIENTS / (achieved / SCALE) / 60).toFixed(1)} min (physical limit ${(RECIPIENTS / TEAMS_RATE / 60).toFixed(1)} min)`,
    );
  } finally {
    await sim.stop();
    azurite.stop();
  }
}
