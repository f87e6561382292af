// Polling for effects that land after the request that caused them (batched writes, background sends).

/** Resolves once the predicate holds; fails the test with `what` after timeoutMs. */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  what = 'the condition',
  timeoutMs = 25_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
