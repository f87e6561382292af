// Retention against Azurite: everything a run that ended more than RETENTION_MONTHS ago created is
// deleted (responses, delivery and reminder rows, its secret, its reminder records); newer runs keep
// theirs; the run itself stays, marked purged.
import { ManualClock } from '../../src/clock';
import { createLogger } from '../../src/logger';
import { RetentionService } from '../../src/privacy/retention';
import { DeliveryRepository } from '../../src/storage/delivery-repository';
import { OutboxRepository } from '../../src/storage/outbox-repository';
import { ResponseRepository } from '../../src/storage/response-repository';
import { SecretRepository } from '../../src/storage/secret-repository';
import { DigestRepository } from '../../src/storage/digest-repository';
import { PrivacyKeys } from '../../src/privacy/keys';
import { Pseudonyms } from '../../src/privacy/pseudonyms';
import { reminderJobId } from '../../src/surveys/jobs';
import { RunRepository } from '../../src/storage/run-repository';
import type { Run } from '../../src/surveys/model';
import { TEST_SURVEY } from '../support/fixtures';
import { createTestStore } from '../support/storage';

function run(runId: string, closesAt: string): Run {
  return {
    runId,
    survey: TEST_SURVEY,
    audience: { kind: 'all' },
    startedAt: new Date(new Date(closesAt).getTime() - 14 * 86_400_000),
    closesAt: new Date(closesAt),
    closedAt: undefined,
    startedBy: 'officer',
    audienceSize: 3,
  };
}

describe('retention', () => {
  it('when a run ended more than 24 months ago, then its answers and delivery rows are deleted and newer runs keep theirs', async () => {
    const store = await createTestStore();
    const runs = new RunRepository(store);
    const responses = new ResponseRepository(store);
    const deliveries = new DeliveryRepository(store);
    const clock = new ManualClock('2026-11-23T09:00:00Z');
    const old = run('old-run', '2024-11-01T00:00:00Z');
    const recent = run('recent-run', '2025-01-01T00:00:00Z');
    for (const r of [old, recent]) {
      await runs.create(r);
      await new OutboxRepository(store).enqueue(
        r.runId,
        ['u1', 'u2', 'u3'].map((userId) => ({ userId, reference: {}, locale: 'de' as const })),
        clock.now(),
      );
      for (let i = 0; i < 150; i++) {
        await responses.put({
          runId: r.runId,
          pseudonym: i.toString(16).padStart(64, '0'),
          district: 'altona',
          answers: { tools: 3 },
        });
      }
    }
    const secrets = new SecretRepository(store);
    const pseudonyms = new Pseudonyms(new PrivacyKeys('k'.repeat(40)), secrets);
    const claims = new DigestRepository(store);
    await pseudonyms.create('run', 'old-run');
    await pseudonyms.create('run', 'recent-run');
    await new OutboxRepository(store).enqueue(
      reminderJobId('old-run', 'last'),
      [{ userId: 'u1', reference: {}, locale: 'de' as const }],
      clock.now(),
    );
    expect(
      await claims.claim('reminder', reminderJobId('old-run', 'last'), 'i', clock.now(), 1000),
    ).toBeDefined();
    const retention = new RetentionService({
      runs,
      responses,
      deliveries,
      claims,
      pseudonyms,
      clock,
      logger: createLogger({ level: 'silent' }),
      retentionMonths: 24,
    });
    expect(await retention.purge()).toEqual({ runs: 1, responses: 150, deliveries: 4 });
    // Every partition the old run created is gone: the reminder job's rows, its secret, its claims.
    expect((await deliveries.counts(reminderJobId('old-run', 'last'))).recipients).toBe(0);
    expect(await secrets.get('run', 'old-run')).toBeUndefined();
    expect(await claims.getTask('reminder', reminderJobId('old-run', 'last'))).toBeUndefined();
    expect(await secrets.get('run', 'recent-run')).toBeDefined();
    expect((await runs.get('old-run'))?.purgedAt).toBeDefined();

    const count = async (runId: string) => {
      let n = 0;
      for await (const _r of responses.listByRun(runId)) n++;
      return n;
    };
    expect(await count('old-run')).toBe(0);
    expect((await deliveries.counts('old-run')).recipients).toBe(0);
    expect(await count('recent-run')).toBe(150);
    expect((await deliveries.counts('recent-run')).recipients).toBe(3);
    expect(await runs.get('old-run')).toBeDefined();
    // Nothing left to do the second time.
    expect(await retention.purge()).toEqual({ runs: 0, responses: 0, deliveries: 0 });
  });
});
