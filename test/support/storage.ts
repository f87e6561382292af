// Real Table Storage for tests: the Azurite started in globalSetup, a fresh table prefix per call.
import { randomBytes } from 'node:crypto';
import { TableStore, type StorageLimits } from '../../src/storage/tables';

/**
 * Storage limits for tests: the production bounds (STORAGE_LIMITS, 2.5 s an attempt, 5 s a call) are
 * for Table Storage answering in milliseconds; the tests' one Azurite shares a slow CI machine's two
 * cores with two jest workers, Chromium and child processes, and has been seen taking longer than 2.5 s
 * there. Still bounded. Tests of the production bounds themselves (storage-freeze, tables) pass
 * STORAGE_LIMITS explicitly.
 */
export const TEST_STORAGE_LIMITS: StorageLimits = {
  attemptTimeoutMs: 10_000,
  maxRetries: 2,
  retryDelayMs: 200,
  maxRetryDelayMs: 1_000,
  deadlineMs: 25_000,
};

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

export async function createTestStore(): Promise<TableStore> {
  const store = new TableStore({
    connectionString: testConnectionString(),
    prefix: uniquePrefix(),
    limits: TEST_STORAGE_LIMITS,
  });
  await store.ensureTables();
  return store;
}
