import {
  AdaptiveRateLimiter,
  backoffMs,
  classifySendError,
  retryAfterMs,
} from '../../src/delivery/rate-limiter';

/** A clock that moves only when the limiter sleeps: no wall-clock time in tests. */
function virtualTime() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), at: () => t };
}

describe('AdaptiveRateLimiter', () => {
  it('when 450 requests go through at 45 per second, then they take about ten seconds and never burst over the rate', async () => {
    const time = virtualTime();
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 45, now: time.now, sleep: time.sleep });
    const stamps: number[] = [];
    for (let i = 0; i < 450; i++) {
      await limiter.acquire();
      stamps.push(time.at());
    }
    expect(time.at()).toBeGreaterThan(9_500);
    expect(time.at()).toBeLessThan(10_100);
    // No one-second window holds more than the rate plus the small burst.
    for (let i = 0; i < stamps.length; i++) {
      const inWindow = stamps.filter((s) => s >= stamps[i]! && s < stamps[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(45 + Math.ceil(45 / 20));
    }
  });

  it('when Teams answers 429, then everyone waits for Retry-After and the rate drops, then recovers', async () => {
    const time = virtualTime();
    const limiter = new AdaptiveRateLimiter({
      ratePerSecond: 50,
      now: time.now,
      sleep: time.sleep,
      recoveryMs: 5_000,
    });
    await limiter.acquire();
    limiter.throttled(2_000);
    expect(limiter.rate).toBeCloseTo(45);
    // More 429s of the same burst (within a second) do not lower it again; a second later they do.
    limiter.throttled(2_000);
    expect(limiter.rate).toBeCloseTo(45);
    const before = time.at();
    await limiter.acquire();
    expect(time.at() - before).toBeGreaterThanOrEqual(2_000);
    // Long enough without a 429: the rate climbs back, but not above the configured one.
    for (let i = 0; i < 2_000; i++) await limiter.acquire();
    expect(limiter.rate).toBe(50);
  });

  it('when many callers wait at once, then they are served one at a time in order', async () => {
    const time = virtualTime();
    const limiter = new AdaptiveRateLimiter({
      ratePerSecond: 10,
      burst: 1,
      now: time.now,
      sleep: time.sleep,
    });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 5 }, (_, i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('send errors', () => {
  const headers = (retryAfter?: string) => ({
    get: (name: string) => (name === 'retry-after' ? retryAfter : undefined),
  });
  it.each([
    [{ statusCode: 429, response: { headers: headers('3') } }, 'throttled', 3000],
    [{ statusCode: 429, response: { headers: headers() } }, 'throttled', undefined],
    [{ statusCode: 412 }, 'retry', undefined],
    [{ statusCode: 502 }, 'retry', undefined],
    [{ statusCode: 503 }, 'retry', undefined],
    [{ statusCode: 504 }, 'retry', undefined],
    [new Error('ECONNRESET'), 'retry', undefined],
    [{ statusCode: 403 }, 'permanent', undefined],
    [{ statusCode: 404 }, 'permanent', undefined],
    [{ statusCode: 400 }, 'permanent', undefined],
  ])('when a send fails with %j, then the outcome is %s', (err, kind, wait) => {
    const outcome = classifySendError(err);
    expect(outcome.kind).toBe(kind);
    if (outcome.kind === 'throttled') expect(outcome.retryAfterMs).toBe(wait);
  });

  it('when Retry-After is a date, then the wait is the time until it', () => {
    expect(retryAfterMs('Mon, 23 Nov 2026 09:00:05 GMT', Date.parse('2026-11-23T09:00:00Z'))).toBe(5000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('when backing off, then waits grow exponentially with jitter and stay capped', () => {
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(20, () => 1)).toBe(60_000);
    expect(backoffMs(3, () => 0.5)).toBe(2000);
  });
});
