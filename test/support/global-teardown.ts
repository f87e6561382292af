export default async function globalTeardown(): Promise<void> {
  await globalThis.__PULS_AZURITE__?.stop();
}
