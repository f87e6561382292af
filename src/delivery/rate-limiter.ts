// Rate control for proactive sending: what the delivery engine needs from a rate limiter
// (SendLimiter), a token bucket served in order, the single-instance AdaptiveRateLimiter (a token
// bucket that pauses as a whole when Teams answers 429 and then runs slower for a while), and the
// retry rules. The budget shared by several instances through storage is in send-budget.ts.

/** What the delivery engine asks of a rate limiter, local or shared between instances. */
export interface SendLimiter {
  /**
   * Resolves when one request may go out: taken before a row is claimed, so that a claim is never
   * held while the budget is short. Rejects when no budget can be had for too long.
   */
  acquire(): Promise<void>;
  /** Gives back a token that was not used (the row had been claimed by another instance). */
  refund(): void;
  /**
   * Resolves when the claimed row's request may leave: keeps this instance's sends spaced at its rate
   * whatever the claim's round trip took, and waits out a pause that began since the token was taken.
   */
  pace(): Promise<void>;
  /** Teams said 429: everyone waits `retryAfterMs`, then the rate is lower for a while. */
  throttled(retryAfterMs: number): void;
  /** Requests per second this instance may send now. */
  readonly rate: number;
  /** This instance starts working a job (a shared budget lists it, so that others adopt it if we die). */
  join?(jobId: string): Promise<void>;
  /** Whether this instance has rows of the job to send now (only busy instances get a share). */
  setBusy?(jobId: string, busy: boolean): void;
  /** This instance is done with the job; `handOver`: stopped before the job was done. */
  leave?(jobId: string, handOver?: boolean): void;
  /** This instance's place among the busy instances of a job: it sends the rows whose hash % count = index. */
  members?(jobId: string): { index: number; count: number };
  /** Registers who takes over jobs that a dead or stopped instance left (a shared budget finds them). */
  onOrphanedJob?(adopt: (jobId: string) => void): void;
  /** Stops background work; `release` (default): give the share back now rather than at lease expiry. */
  close?(options?: { release?: boolean }): Promise<void>;
}

/** Thrown by acquire() when no budget was granted for too long (storage unreachable). */
export class NoSendBudgetError extends Error {
  constructor(waitedMs: number) {
    super(`no send budget granted for ${Math.round(waitedMs)} ms`);
    this.name = 'NoSendBudgetError';
  }
}

export interface TokenBucketOptions {
  /** Tokens per second in force now; 0 means "none granted" (wait). Read on every take. */
  rate: () => number;
  /** Tokens that may be spent at once after an idle spell (default: 1/20 s worth of the rate, ≥ 1). */
  burst?: () => number;
  /** Give up (NoSendBudgetError) after waiting this long with a rate of 0. Default: wait. */
  maxIdleWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** While no rate is granted, look again this often. */
const IDLE_POLL_MS = 20;

/** A token bucket whose callers are served one at a time, in order, with a pause for everyone. */
export class TokenBucket {
  private tokens = 1;
  private last: number;
  private pausedUntil = 0;
  private idleSince: number | undefined;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: TokenBucketOptions) {
    this.now = o.now ?? (() => performance.now());
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.last = this.now();
  }

  private burst(rate: number): number {
    return Math.max(1, this.o.burst?.() ?? rate / 20);
  }

  take(): Promise<void> {
    const turn = this.queue.then(() => this.wait());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** A token back (capped at the burst, so a refund never adds to a burst). */
  refund(): void {
    this.tokens = Math.min(this.burst(this.o.rate()), this.tokens + 1);
  }

  /** Nobody gets a token for `ms`; tokens saved up are dropped. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.tokens = 0;
  }

  get paused(): boolean {
    return this.now() < this.pausedUntil;
  }

  /** Callers waiting for a rate give up at once (the budget was closed). */
  close(): void {
    this.closed = true;
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = this.now();
      if (now < this.pausedUntil) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      const rate = this.o.rate();
      if (rate <= 0) {
        // Counted for the bucket, not per caller: once one caller gave up, those queued behind it
        // give up at once instead of each waiting the whole time again.
        this.idleSince ??= now;
        if (
          this.closed ||
          (this.o.maxIdleWaitMs !== undefined && now - this.idleSince >= this.o.maxIdleWaitMs)
        )
          throw new NoSendBudgetError(now - this.idleSince);
        this.tokens = Math.min(this.tokens, 1);
        this.last = now;
        await this.sleep(IDLE_POLL_MS);
        continue;
      }
      this.idleSince = undefined;
      this.tokens = Math.min(this.burst(rate), this.tokens + ((now - this.last) / 1000) * rate);
      this.last = now;
      // A hair below one counts as one: floating-point refills must not spin on ever smaller waits.
      if (this.tokens >= 1 - 1e-9) {
        this.tokens = Math.max(0, this.tokens - 1);
        return;
      }
      await this.sleep(Math.max(1, ((1 - this.tokens) / rate) * 1000));
    }
  }
}

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

/** The rate limiter of a single instance: the whole SEND_RATE_PER_S is its own. */
export class AdaptiveRateLimiter implements SendLimiter {
  private lastThrottle = -Infinity;
  private lastSlowdown = -Infinity;
  private current: number;
  private readonly now: () => number;
  private readonly tokens: TokenBucket;
  private readonly sends: TokenBucket;

  constructor(private readonly o: RateLimiterOptions) {
    this.now = o.now ?? (() => performance.now());
    this.current = o.ratePerSecond;
    const bucket = () =>
      new TokenBucket({
        rate: () => this.recover(),
        ...(o.burst !== undefined ? { burst: () => o.burst! } : {}),
        now: this.now,
        ...(o.sleep ? { sleep: o.sleep } : {}),
      });
    this.tokens = bucket();
    this.sends = bucket();
  }

  /** The rate in force now (lowered after 429s, recovering towards the configured rate). */
  get rate(): number {
    return this.current;
  }

  /** Resolves when one request may go out. Callers are served in order. */
  acquire(): Promise<void> {
    return this.tokens.take();
  }

  refund(): void {
    this.tokens.refund();
  }

  pace(): Promise<void> {
    return this.sends.take();
  }

  throttled(retryAfterMs: number): void {
    const now = this.now();
    this.tokens.pause(retryAfterMs);
    this.sends.pause(retryAfterMs);
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
  }

  private recover(): number {
    const now = this.now();
    const recoveryMs = this.o.recoveryMs ?? 5_000;
    if (this.current < this.o.ratePerSecond && now - this.lastThrottle >= recoveryMs) {
      this.current = Math.min(this.o.ratePerSecond, this.current * 1.1);
      this.lastThrottle = now; // one step per recovery period
    }
    return this.current;
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
