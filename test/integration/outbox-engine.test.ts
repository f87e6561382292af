// The rate-limited engine against the Teams throttling simulator and Azurite: 2,000 recipients,
// a sender faster than Teams allows (so 429s happen), random 502/503, 3 % blocked users.
import { createAdapter } from '../../bot/auth';
import { AdapterMessenger } from '../../bot/proactive';
import { systemClock } from '../../src/clock';
import { OutboxDeliveryEngine } from '../../src/delivery/outbox-engine';
import { AdaptiveRateLimiter } from '../../src/delivery/rate-limiter';
import { createLogger } from '../../src/logger';
import { DeliveryRepository } from '../../src/storage/delivery-repository';
import { OutboxRepository } from '../../src/storage/outbox-repository';
import { simulatedRecipient, TeamsSimulator } from '../support/teams-simulator';
import { createTestStore } from '../support/storage';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('outbox delivery engine', () => {
  it('when 2,000 recipients are sent to with 429s, 5xx and 3 % blocked users, then every reachable user gets exactly one card', async () => {
    const random = seeded(42);
    const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
    const blocked = users.filter((_, i) => i % 33 === 0); // 61 users, ~3 %
    const conversation = (u: string) => `a:conv-${u}`;
    const sim = new TeamsSimulator({
      scale: 10,
      failureRate: 0.05,
      blockedConversations: blocked.map(conversation),
      random,
    });
    const serviceUrl = await sim.start();
    const store = await createTestStore();
    // The production configuration of the engine's adapter: no SDK retries.
    const adapter = createAdapter({}, { proactiveRetries: false });
    const logger = createLogger({ level: 'silent' });
    try {
      // Injected 429s: 2 % of sends are answered "Too Many Requests, retry after 0.1 s" before they
      // reach the simulator; the simulator itself answers 429 only when its limits are exceeded.
      const inner = new AdapterMessenger(adapter, '');
      let injected = 0;
      const messenger = {
        send: async (...args: Parameters<AdapterMessenger['send']>) => {
          if (random() < 0.02) {
            injected++;
            throw Object.assign(new Error('Too Many Requests'), {
              statusCode: 429,
              response: { headers: { get: (name: string) => (name === 'retry-after' ? '0.1' : undefined) } },
            });
          }
          return inner.send(...args);
        },
      };
      const engine = new OutboxDeliveryEngine({
        outbox: new OutboxRepository(store),
        messenger,
        clock: systemClock,
        logger,
        // SEND_RATE_PER_S 45, scaled like the simulator (Teams' 50/s × 10).
        limiter: new AdaptiveRateLimiter({ ratePerSecond: 450, recoveryMs: 2000 }),
        maxAttempts: 8,
        concurrency: 32,
        random,
        renderFor: () => Promise.resolve(undefined),
      });
      const result = await engine.deliver({
        runId: 'run-1',
        recipients: users.map((u) => simulatedRecipient(serviceUrl, u, conversation(u))),
        render: () => ({ type: 'message', text: 'Umfrage' }),
      });

      const reachable = users.filter((u) => !blocked.includes(u));
      expect(reachable.every((u) => sim.accepted(conversation(u)) === 1)).toBe(true);
      expect(blocked.every((u) => sim.accepted(conversation(u)) === 0)).toBe(true);
      expect(sim.duplicates()).toEqual([]);
      // No request above Teams' limits, none during a back-off it announced.
      expect(sim.throttled).toBe(0);
      expect(sim.violations).toBe(0);
      // The faults really happened and were handled.
      expect(injected).toBeGreaterThan(20);
      expect(result.throttled).toBe(injected);
      expect(sim.failed).toBeGreaterThan(0);
      expect(result.sent).toBe(reachable.length);
      expect(result.failed).toBe(blocked.length);

      const counts = await new DeliveryRepository(store).counts('run-1');
      expect(counts).toMatchObject({
        recipients: 2000,
        sent: reachable.length,
        failed: blocked.length,
        pending: 0,
      });
      const failed = await new DeliveryRepository(store).get('run-1', blocked[0]!);
      expect(failed?.error).toBeDefined();
    } finally {
      await sim.stop();
    }
  }, 240_000); // 38 s on the shared machine at load 9; over 120 s at load 11-14 with child processes beside it
});

describe('two instances on one job', () => {
  it('when two engines work the same job at once, then every user gets exactly one card and both did work', async () => {
    const users = Array.from({ length: 600 }, (_, i) => `pair-${i}`);
    const conversation = (u: string) => `a:conv-${u}`;
    const sim = new TeamsSimulator({ scale: 10 });
    const serviceUrl = await sim.start();
    const store = await createTestStore();
    const outbox = new OutboxRepository(store);
    try {
      await outbox.enqueue(
        'run-2',
        users.map((u) => simulatedRecipient(serviceUrl, u, conversation(u))),
        new Date(),
      );
      const engine = () =>
        new OutboxDeliveryEngine({
          outbox,
          messenger: new AdapterMessenger(createAdapter({}, { proactiveRetries: false }), ''),
          clock: systemClock,
          logger: createLogger({ level: 'silent' }),
          // Two instances share the tenant's rate: each takes half.
          limiter: new AdaptiveRateLimiter({ ratePerSecond: 225 }),
          maxAttempts: 8,
          concurrency: 16,
          renderFor: () => Promise.resolve(() => ({ type: 'message', text: 'Umfrage' })),
        });
      const [first, second] = await Promise.all([engine().process('run-2'), engine().process('run-2')]);
      expect(users.every((u) => sim.accepted(conversation(u)) === 1)).toBe(true);
      expect(sim.duplicates()).toEqual([]);
      expect(first.sent + second.sent).toBe(users.length);
      expect(first.sent).toBeGreaterThan(0);
      expect(second.sent).toBeGreaterThan(0);
      expect((await new DeliveryRepository(store).counts('run-2')).sent).toBe(users.length);
    } finally {
      await sim.stop();
    }
  }, 120_000);
});

describe('sent marks in one transaction per shard', () => {
  it('when one row of a shard changed since its claim, then the marks are written one by one and every row ends sent', async () => {
    const store = await createTestStore();
    const outbox = new OutboxRepository(store);
    const users = Array.from({ length: 100 }, (_, i) => `mark-${i}`);
    await outbox.enqueue(
      'run-marks',
      users.map((u) => simulatedRecipient('http://127.0.0.1:9/', u)),
      new Date(),
    );
    // The rows of the fullest shard, claimed.
    const items = [];
    for (const pk of outbox.partitions('run-marks'))
      for await (const item of outbox.due(pk, new Date())) items.push(item);
    const shard = outbox.partitionOf(items[0]!);
    const claimed = [];
    for (const item of items.filter((i) => outbox.partitionOf(i) === shard)) {
      const etag = await outbox.claim(item, new Date(Date.now() + 30_000), 'me');
      claimed.push({ item, etag: etag!, activityId: `msg-${item.userId}`, now: new Date() });
    }
    expect(claimed.length).toBeGreaterThan(1);
    // The participation flag of one row moves after the claim (the person answered meanwhile).
    await store
      .client('deliveries')
      .updateEntity({ partitionKey: shard, rowKey: claimed[0]!.item.userId, answered: true }, 'Merge');

    await outbox.markSentMany(claimed);

    const deliveries = new DeliveryRepository(store);
    for (const c of claimed) {
      expect(await deliveries.get('run-marks', c.item.userId)).toMatchObject({ status: 'sent' });
    }
  });
});
