// Graph's limits, respected before Graph has to say 429: a token bucket per kind of request that
// callers wait on in order, and that pauses as a whole when Graph answers 429 anyway.

/** The documented limits for what Puls calls (per app per tenant; see docs/directory.md). */
export const GRAPH_DOCUMENTED_LIMITS = {
  /** Entra ID (identity and access), large tenant (over 500 users): resource units per 10 s. */
  directoryUnitsPer10s: 8_000,
  /** Microsoft Teams: GET installedApps (and the chat of an installation). */
  teamsReadPerSecond: 30,
  /** Microsoft Teams: POST installedApps. */
  teamsWritePerSecond: 30,
} as const;

export type GraphLimits = { [K in keyof typeof GRAPH_DOCUMENTED_LIMITS]: number };

/** What Puls uses by default: 90 % of each documented limit, room for other callers and clock drift. */
export const GRAPH_DEFAULT_LIMITS: GraphLimits = {
  directoryUnitsPer10s: GRAPH_DOCUMENTED_LIMITS.directoryUnitsPer10s * 0.9,
  teamsReadPerSecond: GRAPH_DOCUMENTED_LIMITS.teamsReadPerSecond * 0.9,
  teamsWritePerSecond: GRAPH_DOCUMENTED_LIMITS.teamsWritePerSecond * 0.9,
};

export interface TokenBucketOptions {
  /** Units per second. */
  ratePerSecond: number;
  /** Units that may be spent at once after an idle spell (default: a tenth of a second's worth, ≥ 1). */
  burst?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly burst: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: TokenBucketOptions) {
    if (!(o.ratePerSecond > 0)) throw new Error('TokenBucket: ratePerSecond must be > 0');
    this.burst = Math.max(1, o.burst ?? o.ratePerSecond / 10);
    this.now = o.now ?? (() => performance.now());
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.tokens = this.burst;
    this.last = this.now();
  }

  get ratePerSecond(): number {
    return this.o.ratePerSecond;
  }

  /** Resolves when `cost` units may be spent (never more than the burst at once). Callers are served in order. */
  acquire(cost = 1): Promise<void> {
    const turn = this.queue.then(() => this.take(Math.min(cost, this.burst)));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Graph said 429: nobody goes before `ms` from now. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.tokens = 0;
  }

  private async take(cost: number): Promise<void> {
    for (;;) {
      const now = this.now();
      if (now < this.pausedUntil) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.o.ratePerSecond);
      this.last = now;
      if (this.tokens >= cost - 1e-9) {
        this.tokens = Math.max(0, this.tokens - cost);
        return;
      }
      await this.sleep(Math.max(1, ((cost - this.tokens) / this.o.ratePerSecond) * 1000));
    }
  }
}

/** Retry-After as (possibly fractional) seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with full jitter: a random wait up to base·2^attempt, capped. */
export function backoffMs(attempt: number, random: () => number, baseMs = 500, maxMs = 30_000): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt)));
}
