// Claims of scheduled work (#15.2): a storage error is never taken for "claimed elsewhere". The
// tables are Azurite behind a proxy that answers 503 on demand, as Table Storage does when busy;
// the SDK's retries are turned off so that one refused request is one failure.
import { ManualClock } from '../../src/clock';
import { DigestScheduler } from '../../src/digest/scheduler';
import { createLogger } from '../../src/logger';
import { DigestRepository } from '../../src/storage/digest-repository';
import { TableStore } from '../../src/storage/tables';
import { uniquePrefix } from '../support/storage';
import { StorageProxy, writesTo } from '../support/storage-proxy';

const MINUTE = 60_000;

describe('claims of scheduled work against a failing storage', () => {
  const proxy = new StorageProxy();
  let store: TableStore;
  let digests: DigestRepository;

  beforeAll(async () => {
    await proxy.start();
    store = new TableStore({
      connectionString: proxy.connectionString,
      clientOptions: { retryOptions: { maxRetries: 0 } },
      prefix: uniquePrefix(),
    });
    await store.ensureTables();
    digests = new DigestRepository(store);
  });
  afterEach(() => proxy.heal());
  afterAll(() => proxy.stop());

  const table = () => store.tableName('digests');

  it('when creating the claim gets a 503, then claim rejects instead of answering "claimed elsewhere"', async () => {
    proxy.fail(writesTo(table()));
    const now = new Date('2026-11-23T07:00:00Z');
    await expect(digests.claim('week', '2026-W48', 'a', now, 10 * MINUTE)).rejects.toMatchObject({
      statusCode: 503,
    });
    proxy.heal();
    expect(await digests.claim('week', '2026-W48', 'a', now, 10 * MINUTE)).toEqual(expect.any(String));
  });

  it('when taking over an expired claim gets a 503, then claim rejects; once storage answers, the takeover succeeds', async () => {
    const start = new Date('2026-11-30T07:00:00Z');
    // Instance "dead" claimed the week and never finished.
    expect(await digests.claim('week', '2026-W49', 'dead', start, 10 * MINUTE)).toBeDefined();
    const later = new Date(start.getTime() + 11 * MINUTE);
    // Only the takeover's update fails (the create answers 409 as usual, the read passes).
    proxy.fail((r) => r.method === 'PATCH' && writesTo(table())(r));
    await expect(digests.claim('week', '2026-W49', 'b', later, 10 * MINUTE)).rejects.toMatchObject({
      statusCode: 503,
    });
    proxy.heal();
    const etag = await digests.claim('week', '2026-W49', 'b', later, 10 * MINUTE);
    expect(etag).toEqual(expect.any(String));
    expect(await digests.getTask('week', '2026-W49')).toMatchObject({ status: 'claimed', claimedBy: 'b' });
  });

  it('when a claim is held and not expired, then claim answers undefined (the one real "claimed elsewhere")', async () => {
    const now = new Date('2026-12-07T07:00:00Z');
    expect(await digests.claim('week', '2026-W50', 'a', now, 10 * MINUTE)).toBeDefined();
    expect(await digests.claim('week', '2026-W50', 'b', now, 10 * MINUTE)).toBeUndefined();
  });

  it('when storage fails at the digest time while a dead claim is taken over, then the tick fails (logged) and a later tick posts once', async () => {
    const clock = new ManualClock('2026-12-14T07:00:00Z'); // Monday 08:00 in Hamburg
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (s: string) => void lines.push(s) },
    });
    const posts: Date[] = [];
    const scheduler = new DigestScheduler({
      cron: '0 8 * * 1',
      clock,
      digests,
      instanceId: 'b',
      logger,
      post: (now) => {
        posts.push(now);
        return Promise.resolve('post-1');
      },
    });
    // An instance died at 08:00 holding the week's claim.
    await digests.claim('week', '2026-W51', 'dead', clock.now(), 10 * MINUTE);
    clock.advance(11 * MINUTE);
    proxy.fail((r) => r.method === 'PATCH' && writesTo(table())(r));
    expect(await scheduler.tick()).toBe('failed');
    expect(posts).toEqual([]);
    expect(lines.join('')).toContain('weekly digest failed');
    proxy.heal();
    expect(await scheduler.tick()).toBe('posted');
    expect(await scheduler.tick()).toBe('already_posted');
    expect(posts).toHaveLength(1);
  });

  it('when marking the task done gets a 503, then complete rejects (the claim runs out and the work is retried)', async () => {
    const now = new Date('2026-12-21T07:00:00Z');
    const etag = await digests.claim('reminder', 'run-x~reminder-half', 'a', now, 10 * MINUTE);
    proxy.fail(writesTo(table()));
    await expect(digests.complete('reminder', 'run-x~reminder-half', now, etag!)).rejects.toMatchObject({
      statusCode: 503,
    });
    proxy.heal();
    expect(await digests.getTask('reminder', 'run-x~reminder-half')).toMatchObject({ status: 'claimed' });
  });
});
