// One Teams send budget for all instances. SEND_RATE_PER_S is the tenant's total, however many
// instances run: each busy instance holds a lease on a share of it in one storage record (leases of a
// few seconds, renewed every second), and paces its own sends locally with a token bucket at that
// share. The record is written whole with its ETag, and an instance raises its share only by such a
// write, never above what the others' leases leave free; it lowers its share locally *before* it
// writes. So the shares in force never add up to more than the total (plus each bucket's small burst),
// wherever the instances' time slices fall.
//
// - Fair shares: every busy instance aims at total / busy instances. A newcomer starts at what is
//   free and polls every 200 ms until the others have lowered theirs (at their next renewal, ≤ 1 s).
// - Death: a lease that was not renewed lapses (4 s); others drop it one skew margin (1 s) later and
//   take over its share at their next renewal, and its jobs (if nobody else works on them) through
//   onOrphanedJob. An instance that cannot renew stops sending when its own lease runs out.
// - 429: the instance that sees it pauses at once, lowers its own share, and writes the pause and a
//   lower factor (×0.9, at most once a second) into the record; the others read both at their next
//   renewal (≤ 1 s), wait out what is left of the pause and lower their shares. The factor recovers by
//   10 % every 5 s without a 429, computed from the record by everyone alike (no writes needed).
//
// Cost: a busy instance reads and writes the record once a second (2 storage requests; 1 when it is
// alone, since its cached ETag is then still current), an idle one reads it every 10 s.
import type { Logger } from '../logger';
import {
  emptyBudgetState,
  type BudgetState,
  type SendBudgetRepository,
} from '../storage/send-budget-repository';
import { TokenBucket, type SendLimiter } from './rate-limiter';

export interface SharedSendBudgetOptions {
  repository: SendBudgetRepository;
  /** Unique per process (a restarted process is a new instance). */
  instanceId: string;
  /** SEND_RATE_PER_S: the tenant's total, shared by all instances. */
  ratePerSecond: number;
  logger: Logger;
  /** Which budget: one per app and tenant in Teams' terms; Puls uses one for all it serves. */
  scope?: string;
  /** How long a lease holds without renewal (default 4 s). */
  leaseMs?: number;
  /** A busy instance renews this often (default 1 s). */
  renewMs?: number;
  /** …and this often while it has less than its fair share or a 429 to report (default 200 ms). */
  hungryMs?: number;
  /** An idle instance looks for jobs to adopt this often (default 10 s). */
  watchMs?: number;
  /** Clock difference between instances tolerated: others drop a lease this long after it ran out (default 1 s). */
  skewMs?: number;
  /** After a 429 the shared rate is multiplied by this (default 0.9), never below minFactor (default 0.25). */
  slowdown?: number;
  minFactor?: number;
  /** Without a 429 for this long the factor steps back up by 10 % (default 5 s). */
  recoveryMs?: number;
  /** acquire() gives up after this long without a lease (default 30 s): storage is unreachable. */
  maxLeaseWaitMs?: number;
  /** Epoch milliseconds: lease times are compared across instances. */
  now?: () => number;
}

export interface AllocationInput {
  instanceId: string;
  now: number;
  ratePerSecond: number;
  leaseMs: number;
  skewMs: number;
  busy: boolean;
  jobs: readonly string[];
  /** Whether this instance takes over orphaned jobs (it has an engine that can work them). */
  adopt: boolean;
  /** A 429 to record: its (capped) Retry-After. */
  throttle?: { retryAfterMs: number };
  /** Jobs this instance stops without finishing: others adopt them. */
  handOver?: readonly string[];
  slowdown: number;
  minFactor: number;
  recoveryMs: number;
}

export interface Allocation {
  state: BudgetState;
  /** This instance's share (requests per second). */
  rate: number;
  /** What an equal share would be (total / busy instances). */
  fair: number;
  /** The total in force now (the configured rate × the factor). */
  total: number;
  /** Jobs this instance takes over. */
  adopted: string[];
  /** Whether the record needs writing (false: nothing to say, e.g. an idle instance watching). */
  changed: boolean;
}

/** The factor in force at `now`: the one recorded at the last 429, up 10 % per quiet recovery period. */
export function factorAt(state: BudgetState, now: number, recoveryMs: number): number {
  if (state.factor >= 1) return 1;
  const steps = Math.max(0, Math.floor((now - state.throttledAt) / recoveryMs));
  return Math.min(1, state.factor * 1.1 ** steps);
}

/** Orphans kept in the record at most (each is a job id; the record must stay small). */
const MAX_ORPHANS = 100;

/**
 * The next record and this instance's share, from the record as read. Pure: the invariant "the leases
 * in the record add up to at most the total" holds for every record this writes, as long as every
 * instance lowers its own rate before writing a lower share.
 */
export function allocate(read: BudgetState | undefined, a: AllocationInput): Allocation {
  const state: BudgetState = read ? structuredClone(read) : emptyBudgetState();
  let changed = !read;
  const me = a.instanceId;
  const had = state.leases[me];

  // Leases that ran out (one skew margin ago) are dropped; their jobs that no live lease lists are orphans.
  const expiredJobs: string[] = [];
  for (const [id, lease] of Object.entries(state.leases)) {
    if (id !== me && lease.until + a.skewMs < a.now) {
      delete state.leases[id];
      expiredJobs.push(...lease.jobs);
      changed = true;
    }
  }
  const liveJobs = new Set(
    Object.entries(state.leases)
      .filter(([id]) => id !== me)
      .flatMap(([, l]) => l.jobs),
  );
  for (const j of a.jobs) liveJobs.add(j);
  const orphans = [...new Set([...state.orphans, ...expiredJobs, ...(a.handOver ?? [])])].filter(
    (j) => !liveJobs.has(j),
  );
  const adopted = a.adopt ? orphans : [];
  const keptOrphans = a.adopt ? [] : orphans.slice(-MAX_ORPHANS);
  if (keptOrphans.length !== state.orphans.length || keptOrphans.some((j, i) => j !== state.orphans[i]))
    changed = true;
  state.orphans = keptOrphans;

  let factor = factorAt(state, a.now, a.recoveryMs);
  if (a.throttle) {
    state.pausedUntil = Math.max(state.pausedUntil, a.now + a.throttle.retryAfterMs);
    // 429s of requests already in flight belong to the same episode: lower once a second at most.
    if (a.now - state.slowedAt >= 1000) {
      factor = Math.max(a.minFactor, factor * a.slowdown);
      state.slowedAt = a.now;
    }
    state.factor = factor;
    state.throttledAt = a.now;
    changed = true;
  }
  const total = a.ratePerSecond * factor;

  const jobs = [...new Set([...a.jobs, ...adopted])];
  const others = Object.entries(state.leases).filter(([id]) => id !== me);
  const busyCount = others.filter(([, l]) => l.busy).length + (a.busy ? 1 : 0);
  const fair = a.busy ? total / busyCount : 0;
  const taken = others.reduce((sum, [, l]) => sum + l.rate, 0);
  const rate = a.busy ? Math.max(0, Math.min(fair, total - taken)) : 0;

  if (a.busy || jobs.length > 0) {
    state.leases[me] = { rate, until: a.now + a.leaseMs, busy: a.busy, jobs };
    changed = true;
  } else if (had) {
    delete state.leases[me];
    changed = true;
  }
  return { state, rate, fair, total, adopted, changed };
}

/** FNV-1a: a cheap, stable hash for spreading rows over instances. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The send budget shared by all instances through storage (see the top of this file). */
export class SharedSendBudget implements SendLimiter {
  private readonly tokens: TokenBucket;
  private readonly sends: TokenBucket;
  private readonly now: () => number;
  private readonly scope: string;
  /** Jobs this instance works on: how many process() calls hold each, and whether it is busy. */
  private readonly jobs = new Map<string, { holders: number; busy: boolean }>();
  private known?: { state: BudgetState; etag: string };
  /** Alone in the record at the last write: the cached ETag is probably current, so skip the read. */
  private optimistic = false;
  private granted = 0;
  private fair = 0;
  private leaseUntil = 0;
  private pendingThrottle?: number;
  private pendingHandOver: string[] = [];
  private adopt?: (jobId: string) => void;
  private timer?: NodeJS.Timeout;
  private renewal: Promise<void> = Promise.resolve();
  /** A renewal asked for and not begun yet: further asks join it. */
  private queued?: Promise<void>;
  private lastSlowdown = -Infinity;
  /** The last renewal did not get through (conflicts or storage errors): try again soon. */
  private renewalFailed = false;
  private closed = false;
  /** Renewals that got through, writes that lost to another instance's, renewals that gave up. */
  readonly stats = { renewals: 0, conflicts: 0, failures: 0 };

  constructor(private readonly o: SharedSendBudgetOptions) {
    this.now = o.now ?? Date.now;
    this.scope = o.scope ?? 'teams';
    const maxWait = o.maxLeaseWaitMs ?? 30_000;
    this.tokens = new TokenBucket({ rate: () => this.rate, maxIdleWaitMs: maxWait });
    // A claimed row waits here: give up well within the claim's lifetime.
    this.sends = new TokenBucket({ rate: () => this.rate, maxIdleWaitMs: Math.min(maxWait, 5_000) });
  }

  private get leaseMs(): number {
    return this.o.leaseMs ?? 4_000;
  }

  /** This instance's share now: 0 without a current lease. */
  get rate(): number {
    return this.now() < this.leaseUntil ? this.granted : 0;
  }

  /** Whether a pause after a 429 (seen here or by another instance) is in force. */
  get paused(): boolean {
    return this.tokens.paused;
  }

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
    this.tokens.pause(retryAfterMs);
    this.sends.pause(retryAfterMs);
    // Lower our own share at once (always safe; once a second, as the factor); the record gets the
    // pause and the factor next.
    const now = this.now();
    if (now - this.lastSlowdown >= 1000) {
      this.granted *= this.o.slowdown ?? 0.9;
      this.lastSlowdown = now;
    }
    this.pendingThrottle = Math.max(this.pendingThrottle ?? 0, retryAfterMs);
    this.renewSoon();
  }

  async join(jobId: string): Promise<void> {
    const job = this.jobs.get(jobId);
    if (job) job.holders++;
    else this.jobs.set(jobId, { holders: 1, busy: false });
    await this.renew();
  }

  setBusy(jobId: string, busy: boolean): void {
    const job = this.jobs.get(jobId);
    if (!job || job.busy === busy) return;
    const before = this.busy;
    job.busy = busy;
    if (this.busy !== before) this.renewSoon();
  }

  leave(jobId: string, handOver = false): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    if (--job.holders > 0) return;
    this.jobs.delete(jobId);
    if (handOver) this.pendingHandOver.push(jobId);
    this.renewSoon();
  }

  members(jobId: string): { index: number; count: number } {
    // As of the last renewal, which dropped the leases that had run out. (Not filtered by time here:
    // a late renewal would otherwise make the others vanish and come back, and each change of the
    // members makes every instance list its rows afresh.)
    const ids = new Set(
      Object.entries(this.known?.state.leases ?? {})
        .filter(([, l]) => l.busy && l.jobs.includes(jobId))
        .map(([id]) => id),
    );
    ids.add(this.o.instanceId);
    const sorted = [...ids].sort();
    return { index: sorted.indexOf(this.o.instanceId), count: sorted.length };
  }

  onOrphanedJob(adopt: (jobId: string) => void): void {
    this.adopt = adopt;
    this.schedule();
  }

  async close(options: { release?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.tokens.close();
    this.sends.close();
    if (options.release === false) {
      // What a crash looks like to the others: no last word, the lease just runs out.
      this.leaseUntil = 0;
      return;
    }
    this.pendingHandOver.push(...this.jobs.keys());
    this.jobs.clear();
    await this.renewal;
    await this.renewOnce(true).catch((err: unknown) =>
      this.o.logger.warn({ err }, 'send budget: could not release the lease; it runs out by itself'),
    );
    this.leaseUntil = 0;
  }

  /** Renews now (after any renewal in progress); never rejects — a failed renewal lets the lease run out. */
  renew(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.renewal.then(async () => {
      this.queued = undefined;
      this.renewalFailed = !(await this.renewOnce(false).catch((err: unknown) => {
        this.stats.failures++;
        this.o.logger.warn({ err }, 'send budget: renewal failed');
        return false;
      }));
      this.schedule();
    });
    this.queued = next;
    this.renewal = next;
    return next;
  }

  private get busy(): boolean {
    return [...this.jobs.values()].some((j) => j.busy);
  }

  private renewSoon(): void {
    if (!this.closed) void this.renew();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.closed) return;
    let delay: number;
    if (this.jobs.size > 0 || this.pendingHandOver.length > 0) {
      const hungry = this.busy && this.granted < this.fair * 0.999;
      delay =
        hungry || this.pendingThrottle !== undefined || this.renewalFailed
          ? (this.o.hungryMs ?? 200)
          : (this.o.renewMs ?? 1_000);
    } else if (this.adopt || this.leaseUntil > 0) {
      delay = this.o.watchMs ?? 10_000;
    } else {
      return;
    }
    this.timer = setTimeout(() => void this.renew(), delay);
    this.timer.unref();
  }

  /** One renewal (up to 8 tries on conflicts); false when none got through. */
  private async renewOnce(final: boolean): Promise<boolean> {
    if (this.closed && !final) return true;
    for (let attempt = 0; attempt < 8; attempt++) {
      // After a conflict, a random wait growing with each try (up to ~0.5 s in all), so that instances
      // renewing together do not collide again.
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 25 * attempt));
      const current = this.optimistic && this.known ? this.known : await this.o.repository.read(this.scope);
      const now = this.now();
      const throttle = this.pendingThrottle;
      const handOver = this.pendingHandOver;
      const alloc = allocate(current?.state, {
        instanceId: this.o.instanceId,
        now,
        ratePerSecond: this.o.ratePerSecond,
        leaseMs: this.leaseMs,
        skewMs: this.o.skewMs ?? 1_000,
        busy: !final && this.busy,
        jobs: final ? [] : [...this.jobs.keys()],
        adopt: !final && !!this.adopt,
        ...(throttle !== undefined ? { throttle: { retryAfterMs: throttle } } : {}),
        handOver,
        slowdown: this.o.slowdown ?? 0.9,
        minFactor: this.o.minFactor ?? 0.25,
        recoveryMs: this.o.recoveryMs ?? 5_000,
      });
      // Lower first, then tell: the record must never show less than we really send.
      if (alloc.rate < this.granted) this.granted = alloc.rate;
      this.fair = alloc.fair;
      if (!alloc.changed && current) {
        this.known = current;
        this.applyPause(current.state, now);
        return true;
      }
      const etag = await this.o.repository.write(this.scope, alloc.state, current?.etag);
      if (!etag) {
        this.stats.conflicts++;
        this.optimistic = false;
        continue; // somebody else wrote first: read again
      }
      // Alone in the record: our ETag stays current, so the next renewal may skip the read.
      this.stats.renewals++;
      this.optimistic = Object.keys(alloc.state.leases).every((id) => id === this.o.instanceId);
      this.known = { state: alloc.state, etag };
      this.granted = alloc.rate;
      this.leaseUntil = alloc.state.leases[this.o.instanceId] ? now + this.leaseMs : 0;
      if (this.pendingThrottle === throttle) this.pendingThrottle = undefined;
      this.pendingHandOver = this.pendingHandOver.filter((j) => !handOver.includes(j));
      this.applyPause(alloc.state, now);
      for (const jobId of alloc.adopted) {
        if (!this.jobs.has(jobId)) this.jobs.set(jobId, { holders: 0, busy: false });
        this.o.logger.info({ jobId }, 'send budget: adopting a job another instance left');
        this.adopt?.(jobId);
      }
      return true;
    }
    this.optimistic = false;
    this.stats.failures++;
    return false;
  }

  private applyPause(state: BudgetState, now: number): void {
    if (state.pausedUntil > now) {
      this.tokens.pause(state.pausedUntil - now);
      this.sends.pause(state.pausedUntil - now);
    }
  }
}
