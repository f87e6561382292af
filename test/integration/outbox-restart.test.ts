// Killed mid-job and restarted: a child process works a job, gets SIGKILL, a new one takes over.
import { OutboxRepository } from '../../src/storage/outbox-repository';
import { spawnTs } from '../support/processes';
import { createTestStore, testConnectionString } from '../support/storage';
import { simulatedRecipient, TeamsSimulator } from '../support/teams-simulator';
import { waitUntil } from '../support/wait';

const CONCURRENCY = 4;

function worker(env: Record<string, string>) {
  return spawnTs('test/support/outbox-worker.ts', env);
}

describe('outbox engine across a crash', () => {
  it('when the sending process is killed mid-job and restarted, then nobody is lost and at most the requests in flight are sent twice', async () => {
    const sim = new TeamsSimulator({ scale: 2 });
    const serviceUrl = await sim.start();
    const store = await createTestStore();
    const users = Array.from({ length: 600 }, (_, i) => `crash-${i}`);
    try {
      await new OutboxRepository(store).enqueue(
        'run-crash',
        users.map((u) => simulatedRecipient(serviceUrl, u)),
        new Date(),
      );
      const env = {
        WORKER_STORAGE: testConnectionString(),
        WORKER_PREFIX: store.tableName('users').replace(/users$/, ''),
        WORKER_JOB: 'run-crash',
        WORKER_CONCURRENCY: String(CONCURRENCY),
      };
      const first = worker(env);
      // Wait (polling, no fixed sleep) until it is well into the job, then kill it without warning.
      await waitUntil(() => sim.acceptedTotal >= 150, 'the first worker to send 150 cards', 60_000);
      first.child.kill('SIGKILL');
      await first.exited;
      const atKill = sim.acceptedTotal;
      expect(atKill).toBeLessThan(users.length);

      const second = worker(env);
      expect(await second.exited).toBe(0);
      const lost = users.filter((u) => sim.accepted(`a:conv-${u}`) === 0);
      expect(lost).toEqual([]);
      // Exactly once for every row whose send was recorded; a row killed between Teams' answer and
      // its "sent" mark is sent again after its claim expires — never more than were in flight.
      expect(sim.duplicates().length).toBeLessThanOrEqual(CONCURRENCY);
      expect(users.every((u) => sim.accepted(`a:conv-${u}`) <= 2)).toBe(true);
    } finally {
      await sim.stop();
    }
  }, 120_000);
});
