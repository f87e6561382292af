// Killed mid-job: two instances (child processes sharing the send budget through storage) work a job,
// one gets SIGKILL, the other takes over its share and its rows, and a restarted instance joins.
import { OutboxRepository } from '../../src/storage/outbox-repository';
import { spawnTs } from '../support/processes';
import { createTestStore, testConnectionString } from '../support/storage';
import { simulatedRecipient, TeamsSimulator } from '../support/teams-simulator';
import { waitUntil } from '../support/wait';

const CONCURRENCY = 4;

function worker(env: Record<string, string>, id: string) {
  return spawnTs('test/support/outbox-worker.ts', { ...env, WORKER_ID: id });
}

describe('outbox engine across a crash', () => {
  it('when one of two sending processes is killed mid-job, then the other and a restarted one finish it: nobody lost, at most the requests in flight sent twice, never above the tenant limit', async () => {
    // Limits ×2 (100/s for the tenant); both workers share SEND_RATE_PER_S 90.
    const sim = new TeamsSimulator({ scale: 2 });
    const serviceUrl = await sim.start();
    const store = await createTestStore();
    const outbox = new OutboxRepository(store);
    const users = Array.from({ length: 600 }, (_, i) => `crash-${i}`);
    try {
      await outbox.enqueue(
        'run-crash',
        users.map((u) => simulatedRecipient(serviceUrl, u)),
        new Date(),
      );
      const env = {
        WORKER_STORAGE: testConnectionString(),
        WORKER_PREFIX: store.tableName('users').replace(/users$/, ''),
        WORKER_JOB: 'run-crash',
        WORKER_RATE: '90',
        WORKER_CONCURRENCY: String(CONCURRENCY),
        // Short claims, so that the dead instance's rows in flight come free within the test.
        WORKER_CLAIM_MS: '3000',
      };
      const victim = worker(env, 'victim');
      const survivor = worker(env, 'survivor');
      // Wait (polling, no fixed sleep) until it is well into the job, then kill one without warning.
      await waitUntil(() => sim.acceptedTotal >= 150, 'the workers to send 150 cards', 120_000);
      victim.child.kill('SIGKILL');
      await victim.exited;
      const inFlight = await outbox.claimedBy('run-crash', 'victim');
      expect(inFlight.length).toBeLessThanOrEqual(CONCURRENCY);
      expect(sim.acceptedTotal).toBeLessThan(users.length);

      const restarted = worker(env, 'restarted');
      expect(await survivor.exited).toBe(0);
      expect(await restarted.exited).toBe(0);
      const lost = users.filter((u) => sim.accepted(`a:conv-${u}`) === 0);
      expect(lost).toEqual([]);
      // Exactly once for every row whose send was recorded; a row killed between Teams' answer and
      // its "sent" mark is sent again after its claim expires — never more than were in flight.
      expect(sim.duplicates().length).toBeLessThanOrEqual(inFlight.length);
      expect(users.every((u) => sim.accepted(`a:conv-${u}`) <= 2)).toBe(true);
      expect(sim.maxRequestedInAnyWindow().tenant1s).toBeLessThanOrEqual(100);
    } finally {
      await sim.stop();
    }
  }, 240_000); // three child processes each compile bot code with ts-node: 30 s and more on a busy machine
});
