// Participation flags written in batches, against Azurite: every flag lands, a storage failure keeps
// them queued until it passes, and flags lost with a crashed instance are restored from the responses.
import { createLogger } from '../../src/logger';
import { Pseudonymizer } from '../../src/privacy/pseudonym';
import { DeliveryRepository } from '../../src/storage/delivery-repository';
import { ResponseRepository } from '../../src/storage/response-repository';
import { TableStore, type TableStore as Store } from '../../src/storage/tables';
import { ParticipationRecorder } from '../../src/surveys/participation';
import { createTestStore, testConnectionString, uniquePrefix } from '../support/storage';

const logger = createLogger({ level: 'silent' });
const pseudonyms = new Pseudonymizer('participation-test-key-0123456789abcdef');
const now = new Date('2026-11-23T10:00:00Z');

function recorderOn(store: Store, flushIntervalMs = 50): ParticipationRecorder {
  return new ParticipationRecorder({
    deliveries: new DeliveryRepository(store),
    responses: new ResponseRepository(store),
    pseudonyms,
    logger,
    flushIntervalMs,
  });
}

describe('ParticipationRecorder', () => {
  let store: Store;
  let deliveries: DeliveryRepository;
  let responses: ResponseRepository;
  beforeAll(async () => {
    store = await createTestStore();
    deliveries = new DeliveryRepository(store);
    responses = new ResponseRepository(store);
  });
  afterAll(() => store.dropTables());

  async function answeredUsers(runId: string): Promise<string[]> {
    const out: string[] = [];
    for await (const d of deliveries.listByRun(runId)) if (d.answered) out.push(d.userId);
    return out.sort();
  }

  it('when 450 people answer two runs, then every flag is written, in transactions per shard, each once', async () => {
    const users = Array.from({ length: 300 }, (_, i) => `user-${String(i).padStart(3, '0')}`);
    for (const u of users) await deliveries.markSent('run-a', u, `msg-${u}`, now);
    const recorder = recorderOn(store);
    for (const u of users) recorder.record('run-a', u);
    for (const u of users.slice(0, 150)) recorder.record('run-b', u);
    recorder.record('run-a', users[0]!); // a second submit of the same person
    expect(recorder.pending).toBe(450);
    await recorder.flush();
    expect(recorder.pending).toBe(0);
    expect(await answeredUsers('run-a')).toEqual(users);
    expect(await answeredUsers('run-b')).toEqual(users.slice(0, 150));
    // The delivery state of run-a was merged, not replaced.
    expect((await deliveries.get('run-a', users[7]!))?.status).toBe('sent');
  });

  it('when the flags are not flushed by hand, then the timer writes them within its interval', async () => {
    const recorder = recorderOn(store, 20);
    recorder.record('run-timer', 'u1');
    const deadline = Date.now() + 5000;
    while ((await answeredUsers('run-timer')).length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await answeredUsers('run-timer')).toEqual(['u1']);
    await recorder.stop();
  });

  it('when storage fails, then the flags stay queued and are written once it works again', async () => {
    // A store whose tables do not exist yet: every write fails with 404.
    const broken = new TableStore({ connectionString: testConnectionString(), prefix: uniquePrefix() });
    const recorder = recorderOn(broken, 10_000);
    recorder.record('run-c', 'u1');
    recorder.record('run-c', 'u2');
    await recorder.flush();
    expect(recorder.pending).toBe(2);
    await broken.ensureTables();
    await recorder.stop();
    expect(recorder.pending).toBe(0);
    const flags: string[] = [];
    for await (const d of new DeliveryRepository(broken).listByRun('run-c'))
      if (d.answered) flags.push(d.userId);
    expect(flags.sort()).toEqual(['u1', 'u2']);
    await broken.dropTables();
  });

  it('when an instance died with flags queued, then reconcile restores exactly the flags of those who answered', async () => {
    const runId = 'run-crash';
    for (const u of ['u1', 'u2', 'u3', 'u4']) await deliveries.markSent(runId, u, `m-${u}`, now);
    // u1 and u2 answered; the instance that stored their answers died before writing the flags.
    for (const u of ['u1', 'u2']) {
      await responses.put({
        pseudonym: pseudonyms.forRun(runId, u),
        runId,
        district: 'altona',
        day: '2026-11-23',
        answers: { q1: 4 },
      });
    }
    // u3's flag made it; u4 did not answer.
    await deliveries.markAnsweredMany([{ runId, userId: 'u3' }]);
    const recorder = recorderOn(store);
    expect(await recorder.reconcile(runId)).toBe(2);
    expect(await answeredUsers(runId)).toEqual(['u1', 'u2', 'u3']);
    expect(await recorder.reconcile(runId)).toBe(0);
  });
});
