// Real Table Storage for tests: the Azurite started in globalSetup, a fresh table prefix per call.
import { randomBytes } from 'node:crypto';
import { TableStore, type StorageLimits } from '../../src/storage/tables';

export function testConnectionString(): string {
  const cs = process.env.PULS_TEST_STORAGE;
  if (!cs)
    throw new Error('PULS_TEST_STORAGE is not set: run the tests through jest (globalSetup starts Azurite)');
  return cs;
}

/** A table prefix no other test or run uses. */
export function uniquePrefix(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

/**
 * Storage limits for tests that are not about storage deadlines: the test Azurite runs in jest's own
 * process, and on a slow, busy two-core machine (CI) one 100-row transaction of several in parallel
 * took longer than production's 5 s deadline (outbox-engine's enqueue of 2,000 rows failed with
 * "Table storage is unavailable (timeout)" while a CPU hog ran). Storage that stops answering is
 * tested with the production limits through the app (test/integration/storage-freeze.test.ts).
 */
export const TEST_STORAGE_LIMITS: StorageLimits = {
  attemptTimeoutMs: 10_000,
  maxRetries: 2,
  retryDelayMs: 200,
  maxRetryDelayMs: 1_000,
  deadlineMs: 25_000,
};

export async function createTestStore(limits: StorageLimits = TEST_STORAGE_LIMITS): Promise<TableStore> {
  const store = new TableStore({ connectionString: testConnectionString(), prefix: uniquePrefix(), limits });
  await store.ensureTables();
  return store;
}
