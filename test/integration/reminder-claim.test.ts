// A reminder is claimed with a lease and marked done only after its delivery (#15.2): a storage
// failure after the claim leaves it to be retried once the lease runs out, instead of losing that
// run's reminders for good. Real repositories and the real delivery engine on Azurite behind a
// proxy that answers 503 on demand; Teams is a plain fake messenger.
import type { Activity, ConversationReference } from 'botbuilder';
import { ManualClock, systemClock } from '../../src/clock';
import { OutboxDeliveryEngine } from '../../src/delivery/outbox-engine';
import { AdaptiveRateLimiter } from '../../src/delivery/rate-limiter';
import { createLogger } from '../../src/logger';
import { PrivacyKeys } from '../../src/privacy/keys';
import { Pseudonyms } from '../../src/privacy/pseudonyms';
import { DeliveryRepository } from '../../src/storage/delivery-repository';
import { DigestRepository } from '../../src/storage/digest-repository';
import { OutboxRepository } from '../../src/storage/outbox-repository';
import { ResponseRepository } from '../../src/storage/response-repository';
import { RunRepository } from '../../src/storage/run-repository';
import { SecretRepository } from '../../src/storage/secret-repository';
import { TableStore } from '../../src/storage/tables';
import { UserRepository } from '../../src/storage/user-repository';
import { ReminderService } from '../../src/surveys/reminders';
import type { Run } from '../../src/surveys/model';
import { TEST_SURVEY } from '../support/fixtures';
import { uniquePrefix } from '../support/storage';
import { StorageProxy, writesTo } from '../support/storage-proxy';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('reminders against a failing storage', () => {
  const proxy = new StorageProxy();
  afterAll(() => proxy.stop());

  it('when storing the reminder job fails after the claim, then the reminder is sent once the claim has run out, exactly once', async () => {
    await proxy.start();
    const store = new TableStore({
      connectionString: proxy.connectionString,
      clientOptions: { retryOptions: { maxRetries: 0 } },
      prefix: uniquePrefix(),
    });
    await store.ensureTables();
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(s) } });
    const runs = new RunRepository(store);
    const deliveries = new DeliveryRepository(store);
    const users = new UserRepository(store);
    const claims = new DigestRepository(store);
    const pseudonyms = new Pseudonyms(
      new PrivacyKeys('test-pseudonym-key-0123456789abcdef0123456789'),
      new SecretRepository(store),
    );
    const sent: { conversation: string; text: string }[] = [];
    const engine = new OutboxDeliveryEngine({
      outbox: new OutboxRepository(store),
      messenger: {
        send: (reference: Partial<ConversationReference>, activity: Partial<Activity>) => {
          sent.push({ conversation: reference.conversation?.id ?? '', text: activity.text ?? '' });
          return Promise.resolve(`msg-${sent.length}`);
        },
      },
      clock: systemClock,
      logger,
      limiter: new AdaptiveRateLimiter({ ratePerSecond: 1000 }),
      maxAttempts: 3,
      renderFor: () => Promise.resolve(undefined),
    });

    // A run that started a week ago and was sent to six people; nobody has answered.
    const start = new Date('2026-11-16T08:00:00Z');
    const run: Run = {
      runId: 'testumfrage-1611-rc01',
      survey: TEST_SURVEY,
      audience: { kind: 'all' },
      startedAt: start,
      closesAt: new Date(start.getTime() + 14 * DAY),
      closedAt: undefined,
      startedBy: 'officer',
      audienceSize: 6,
    };
    await runs.create(run);
    await pseudonyms.create('run', run.runId);
    const people = Array.from({ length: 6 }, (_, i) => `user-rc-${i}`);
    for (const userId of people) {
      await users.saveReference(
        userId,
        {
          serviceUrl: 'http://teams.invalid/',
          conversation: { id: `a:${userId}` } as ConversationReference['conversation'],
        },
        'de-DE',
        start,
      );
    }
    await engine.deliver({
      runId: run.runId,
      recipients: people.map((userId) => ({
        userId,
        reference: { conversation: { id: `a:${userId}` } as ConversationReference['conversation'] },
        locale: 'de',
      })),
      render: () => ({ text: 'survey' }),
    });
    expect(sent).toHaveLength(6);

    const clock = new ManualClock(new Date(start.getTime() + 7 * DAY + HOUR)); // just after half time
    const reminders = new ReminderService({
      runs,
      deliveries,
      responses: new ResponseRepository(store),
      users,
      pseudonyms,
      claims,
      delivery: engine,
      clock,
      logger,
      instanceId: 'instance-a',
      daysBeforeClose: 1,
      atHalfTime: true,
      defaultLocale: 'de',
      renderReminder: () => ({ text: 'reminder' }),
    });

    // Storage refuses the reminder job's rows: the claim is taken, the work fails.
    proxy.fail((r) => writesTo(store.tableName('deliveries'))(r) && r.body.includes('reminder-half'));
    expect(await reminders.sendDue()).toBe(0);
    expect(lines.join('')).toContain('reminders failed');
    expect(sent.filter((s) => s.text === 'reminder')).toEqual([]);
    expect(await claims.getTask('reminder', `${run.runId}~reminder-half`)).toMatchObject({
      status: 'claimed',
    });
    proxy.heal();

    // While the failed attempt's lease holds, nobody starts the reminder twice.
    expect(await reminders.sendDue()).toBe(0);
    // Once it has run out, the reminder goes out to everyone who has not answered, once.
    clock.advance(2 * HOUR + 60_000);
    expect(await reminders.sendDue()).toBe(6);
    expect(
      sent
        .filter((s) => s.text === 'reminder')
        .map((s) => s.conversation)
        .sort(),
    ).toEqual(people.map((u) => `a:${u}`).sort());
    expect(await claims.getTask('reminder', `${run.runId}~reminder-half`)).toMatchObject({ status: 'done' });
    expect(await reminders.sendDue()).toBe(0);
    expect(sent.filter((s) => s.text === 'reminder')).toHaveLength(6);
  });
});
