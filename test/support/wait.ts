// Polling for effects that land after the request that caused them (batched writes, background sends).

/**
 * Resolves once the predicate holds; fails the test with `what` after timeoutMs. The default leaves
 * room for CI (a slow, busy two-core machine: seconds here can be 3× that there) and still ends before
 * jest's 30 s, so that a failure names the condition.
 */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  what = 'the condition',
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
