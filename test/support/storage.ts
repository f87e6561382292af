// Real Table Storage for tests: the Azurite started in globalSetup, a fresh table prefix per call.
import { randomBytes } from 'node:crypto';
import { TableStore } from '../../src/storage/tables';

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
  const store = new TableStore({ connectionString: testConnectionString(), prefix: uniquePrefix() });
  await store.ensureTables();
  return store;
}
