// Starts one in-memory Azurite table service for the whole jest run, on a free port. Workers
// inherit its connection string through the environment; each test file uses its own table prefix.
import { startAzurite } from '../../src/storage/azurite';
import { TabBundle } from '../../src/tab/bundle';

declare global {
  var __PULS_AZURITE__: { stop(): Promise<void> } | undefined;
}

export default async function globalSetup(): Promise<void> {
  // Once here rather than in each worker's app.start(): those then find it fresh.
  await new TabBundle().ensure();
  const azurite = await startAzurite();
  globalThis.__PULS_AZURITE__ = azurite;
  process.env.PULS_TEST_STORAGE = azurite.connectionString;
}
