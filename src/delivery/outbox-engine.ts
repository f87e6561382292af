// The rate-limited delivery engine: sending is driven from the outbox rows in storage. For each row
// the engine takes a token from the rate limiter first, then claims the row (ETag-guarded, for
// claimMs), sends, and marks it sent with Teams' id; a claim is never held while the budget is short.
// The rate is SEND_RATE_PER_S for the whole tenant: a SharedSendBudget (send-budget.ts) splits it
// between the instances through storage, pauses everyone on a 429 and slows down for a while; 412/5xx/
// network errors are retried with backoff up to SEND_MAX_ATTEMPTS; 403/404 fail for good. Several
// instances share a job: each sends the rows whose hash falls to it among the job's busy instances
// (so claims rarely collide), and helps with the rest once its own are done. Rows of an instance that
// died come free when its lease lapses (its share) and its claims expire (rows in flight); a job that
// nobody else works on is adopted through the budget. An instance that starts resumes unfinished work.
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { OutboxItem, OutboxRepository } from '../storage/outbox-repository';
import type {
  DeliveryEngine,
  DeliveryJob,
  DeliveryProgress,
  ProactiveMessenger,
  Recipient,
} from './delivery';
import { backoffMs, classifySendError, NoSendBudgetError, type SendLimiter } from './rate-limiter';
import { hashOf } from './send-budget';

export interface OutboxEngineOptions {
  outbox: OutboxRepository;
  messenger: ProactiveMessenger;
  /** Real time: claims and retry times are about when requests really go out. */
  clock: Clock;
  logger: Logger;
  /** AdaptiveRateLimiter for one instance alone, SharedSendBudget for several. */
  limiter: SendLimiter;
  /** SEND_MAX_ATTEMPTS */
  maxAttempts: number;
  /** Sends in flight at once (the rate limiter decides how fast they start). */
  concurrency?: number;
  /**
   * How long a claim holds before another instance may send the row (default 30 s): the time a dead
   * instance's rows in flight wait before others send them.
   */
  claimMs?: number;
  /** The longest Retry-After honoured (default 10 s); at most a third of claimMs. */
  maxRetryAfterMs?: number;
  /** A send without an answer after this long is retried (default 10 s); at most a third of claimMs. */
  sendTimeoutMs?: number;
  /**
   * "Sent" marks of one shard are written together, in one transaction, within this long (default
   * 100 ms; 0: each on its own). At hundreds of sends a second that is a third fewer storage requests;
   * a row stays claimed until its mark is written, so a crash leaves no more rows in doubt than before
   * (at most `concurrency`).
   */
  markBatchMs?: number;
  /** Written on each claim (which instance holds a row); default a random id. */
  instanceId?: string;
  /** Re-creates a job's message after a restart (the job's render is not stored). */
  renderFor(jobId: string): Promise<((r: Recipient) => Partial<Activity>) | undefined>;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Which rows a pass works: this instance's shards, its share of the others', or everything. */
type PassMode = 'own' | 'help' | 'any';

/** The officer's progress card changes at most this often. */
const PROGRESS_EVERY_MS = 10_000;

export interface JobResult {
  sent: number;
  failed: number;
  retried: number;
  throttled: number;
}

export class OutboxDeliveryEngine implements DeliveryEngine {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly instanceId: string;
  private readonly claimMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sendTimeoutMs: number;
  /** Jobs being worked here (for adoption: a job already in hand is not started twice). */
  private readonly working = new Map<string, number>();
  private readonly running = new Set<Promise<unknown>>();
  private stopping = false;
  private readonly wakers = new Set<() => void>();
  private stopSignal!: () => void;
  /** Resolves on stop(): a wait for budget ends there. */
  private readonly stopped = new Promise<void>((resolve) => (this.stopSignal = resolve));
  private readonly marks: SentMarks;

  constructor(private readonly o: OutboxEngineOptions) {
    // The default sleep ends early on stop(): a job waiting for its next due row does not hold it up.
    this.sleep =
      o.sleep ??
      ((ms) =>
        new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            this.wakers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, ms);
          this.wakers.add(wake);
        }));
    this.instanceId = o.instanceId ?? randomBytes(6).toString('hex');
    this.claimMs = o.claimMs ?? 30_000;
    // A claimed row may wait out a pause (pace) and then its send: both together stay well under the
    // claim's lifetime, so that no other instance takes the row while this one still works on it.
    this.maxRetryAfterMs = Math.min(o.maxRetryAfterMs ?? 10_000, this.claimMs / 3);
    this.sendTimeoutMs = Math.min(o.sendTimeoutMs ?? 10_000, this.claimMs / 3);
    this.marks = new SentMarks(o.outbox, o.markBatchMs ?? 100);
    o.limiter.onOrphanedJob?.((jobId) => this.adopt(jobId));
  }

  /**
   * Stops working: sends in flight finish, jobs not finished are handed to the other instances
   * through the budget (and resumed by whichever instance starts next), the share is given back.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal();
    for (const wake of [...this.wakers]) wake();
    await Promise.allSettled([...this.running]);
    await this.o.limiter.close?.();
  }

  /** Takes over a job that a dead or stopped instance left and nobody else works on. */
  private adopt(jobId: string): void {
    if (this.stopping || this.working.has(jobId)) return;
    this.resume(jobId).catch((err: unknown) =>
      this.o.logger.error({ err, jobId }, 'adopted delivery job failed'),
    );
  }

  async deliver(job: DeliveryJob): Promise<JobResult> {
    await this.o.outbox.enqueue(job.runId, job.recipients, this.o.clock.now());
    const progress = job.onProgress
      ? this.progressReporter(job.runId, job.onProgress.bind(job), {
          total: job.recipients.length,
          sent: 0,
          failed: 0,
        })
      : undefined;
    return this.process(job.runId, job.render, progress);
  }

  async resume(
    jobId: string,
    onProgress?: (progress: DeliveryProgress) => Promise<void>,
    baseline?: { total: number; sent: number; failed: number },
  ): Promise<JobResult> {
    const progress = onProgress && baseline ? this.progressReporter(jobId, onProgress, baseline) : undefined;
    return this.process(jobId, undefined, progress);
  }

  /** Turns this instance's running result into the job's figures, reported at most every 10 s. */
  private progressReporter(
    jobId: string,
    report: (progress: DeliveryProgress) => Promise<void>,
    baseline: { total: number; sent: number; failed: number },
  ): (result: JobResult, done: boolean) => Promise<void> {
    let last = 0;
    // Updates go out one after the other: two card updates in flight could land in either order, and
    // an early figure arriving last would overwrite the final card.
    let chain: Promise<void> = Promise.resolve();
    return (result, done) => {
      const now = performance.now();
      if (!done && now - last < PROGRESS_EVERY_MS) return chain;
      last = now;
      const sent = baseline.sent + result.sent;
      const failed = baseline.failed + result.failed;
      const figures: DeliveryProgress = {
        total: baseline.total,
        sent,
        failed,
        pending: Math.max(0, baseline.total - sent - failed),
        ratePerSecond: this.o.limiter.rate,
        done,
      };
      chain = chain
        .then(() => report(figures))
        .catch((err: unknown) => this.o.logger.warn({ err, jobId }, 'progress update failed'));
      return chain;
    };
  }

  /** Works a job until no row is pending, retrying or claimed. Safe to run on several instances. */
  process(
    jobId: string,
    render?: (r: Recipient) => Partial<Activity>,
    progress?: (result: JobResult, done: boolean) => Promise<void>,
  ): Promise<JobResult> {
    const work = this.work(jobId, render, progress);
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }

  private async work(
    jobId: string,
    render?: (r: Recipient) => Partial<Activity>,
    progress?: (result: JobResult, done: boolean) => Promise<void>,
  ): Promise<JobResult> {
    const result: JobResult = { sent: 0, failed: 0, retried: 0, throttled: 0 };
    if (this.stopping) return result;
    const renderRow = render ?? (await this.o.renderFor(jobId));
    if (!renderRow) {
      this.o.logger.warn({ jobId }, 'delivery job cannot be rendered any more; left as it is');
      return result;
    }
    const { limiter } = this.o;
    this.working.set(jobId, (this.working.get(jobId) ?? 0) + 1);
    let finished = false;
    try {
      await limiter.join?.(jobId);
      // A round: this instance's own shards, then its share (by hash) of the others' shards, then, if
      // rows were left that are others' by hash, any row. A pass is cut short and begins again with
      // the own shards when the job's instances change (one joined or died) or rows it skipped as not
      // due yet (retries, claims of a dead instance) have come due.
      let mode: PassMode = 'own';
      for (;;) {
        const pass = await this.pass(jobId, mode, renderRow, result, progress);
        if (this.stopping) break;
        if (pass.cut) {
          mode = 'own';
          continue;
        }
        if (mode === 'own') {
          mode = 'help';
          continue;
        }
        if (mode === 'help' && !pass.worked && pass.skipped > 0) {
          mode = 'any';
          continue;
        }
        mode = 'own';
        if (pass.worked) continue;
        const nextDue = await this.o.outbox.nextDue(jobId);
        if (!nextDue) {
          finished = true;
          break;
        }
        const wait = nextDue.getTime() - this.o.clock.now().getTime();
        if (wait > 0) {
          // Nothing to send until then: the share goes to the instances that have rows now.
          limiter.setBusy?.(jobId, false);
          await this.sleep(Math.min(wait, 5_000));
        } else await this.sleep(50); // rows claimed by another instance: look again soon
      }
    } finally {
      limiter.setBusy?.(jobId, false);
      limiter.leave?.(jobId, !finished);
      const left = (this.working.get(jobId) ?? 1) - 1;
      if (left > 0) this.working.set(jobId, left);
      else this.working.delete(jobId);
    }
    // The job's result waits for its final progress card (each update is bounded by the Teams timeout).
    await progress?.(result, true);
    this.o.logger.info({ jobId, ...result, finished }, 'delivery job ended');
    return result;
  }

  /**
   * One pass over the job's shards in the given mode, with a bounded pool pulling due rows from all of
   * them together. Throws the first failure (storage, no budget) once the pool has stopped.
   */
  private async pass(
    jobId: string,
    mode: PassMode,
    render: (r: Recipient) => Partial<Activity>,
    result: JobResult,
    progress?: (result: JobResult, done: boolean) => Promise<void>,
  ): Promise<{ worked: boolean; skipped: number; cut: boolean }> {
    const { limiter, outbox } = this.o;
    const members = () => limiter.members?.(jobId) ?? { index: 0, count: 1 };
    const m = members();
    const all = outbox.partitions(jobId);
    const shards =
      mode === 'any' || m.count <= 1
        ? all
        : all.filter((_, p) => (p % m.count === m.index) === (mode === 'own'));
    let worked = false;
    let skipped = 0;
    let cut = false;
    let failure: { err: unknown } | undefined;
    let comesDue = Infinity;
    const onLater = (at: number) => (comesDue = Math.min(comesDue, at));
    const iterators = shards.map((pk) => outbox.due(pk, this.o.clock.now(), onLater));
    let next = 0;
    const pull = async (): Promise<OutboxItem | undefined> => {
      while (iterators.length > 0 && !this.stopping && !failure) {
        const now = members();
        if (now.count !== m.count || now.index !== m.index || this.o.clock.now().getTime() >= comesDue) {
          cut = true;
          return undefined;
        }
        const i = next++ % iterators.length;
        const r = await iterators[i]!.next();
        if (r.done) {
          iterators.splice(i, 1);
          continue;
        }
        if (mode === 'help' && hashOf(r.value.userId) % m.count !== m.index) {
          skipped++;
          continue;
        }
        limiter.setBusy?.(jobId, true);
        return r.value;
      }
      return undefined;
    };
    await Promise.all(
      Array.from({ length: this.o.concurrency ?? 32 }, async () => {
        try {
          for (let item = await pull(); item; item = await pull()) {
            worked = (await this.sendOne(item, render, result)) || worked;
            void progress?.(result, false);
          }
        } catch (err) {
          failure ??= { err };
        }
      }),
    );
    if (failure) throw failure.err;
    return { worked, skipped, cut };
  }

  /** Takes a token, claims, sends and records one row; false when another instance had it. */
  private async sendOne(
    item: OutboxItem,
    render: (r: Recipient) => Partial<Activity>,
    result: JobResult,
  ): Promise<boolean> {
    const { outbox, clock, limiter } = this.o;
    // The token first: a row is claimed only when it can go out now, so a claim never waits for budget.
    const token = limiter.acquire();
    await Promise.race([token, this.stopped]);
    if (this.stopping) {
      // Stopping while waiting for budget: the row was not claimed, it stays as it is.
      token.then(
        () => limiter.refund(),
        () => undefined,
      );
      return false;
    }
    const etag = await outbox.claim(item, new Date(clock.now().getTime() + this.claimMs), this.instanceId);
    if (!etag) {
      limiter.refund();
      return false;
    }
    try {
      // Spacing, whatever the claim's round trip took; waits out a pause (≤ maxRetryAfterMs) begun since.
      await limiter.pace();
    } catch (err) {
      if (!(err instanceof NoSendBudgetError)) throw err;
      // The lease lapsed (storage slow or unreachable): let the row go at once rather than at claim
      // expiry; the next acquire() waits for a new lease, or gives up if none comes.
      await outbox.markRetry(item, etag, clock.now(), undefined, err.message);
      return true;
    }
    try {
      const activityId = await withTimeout(
        this.o.messenger.send(item.reference, render(item)),
        this.sendTimeoutMs,
      );
      await this.marks.add(item, etag, activityId, clock.now());
      result.sent++;
    } catch (err) {
      const outcome = classifySendError(err);
      const message = err instanceof Error ? err.message : String(err);
      const attempts = item.attempts + 1;
      if (outcome.kind === 'permanent' || attempts >= this.o.maxAttempts) {
        await outbox.markFailed(item, etag, outcome.status, message, clock.now());
        result.failed++;
      } else {
        let wait = backoffMs(attempts, this.o.random);
        if (outcome.kind === 'throttled') {
          // Capped: a pause longer than a third of the claim could let a claim run out mid-wait.
          wait = Math.min(outcome.retryAfterMs ?? wait, this.maxRetryAfterMs);
          limiter.throttled(wait);
          result.throttled++;
        }
        await outbox.markRetry(item, etag, new Date(clock.now().getTime() + wait), outcome.status, message);
        result.retried++;
      }
    }
    return true;
  }
}

interface PendingMark {
  item: OutboxItem;
  etag: string;
  activityId: string | undefined;
  now: Date;
  done(err?: unknown): void;
}

/** Collects "sent" marks per shard and writes each shard's in one transaction after flushMs. */
class SentMarks {
  private readonly groups = new Map<string, PendingMark[]>();

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly flushMs: number,
  ) {}

  /** Resolves once the row is marked sent in storage. */
  add(item: OutboxItem, etag: string, activityId: string | undefined, now: Date): Promise<void> {
    if (this.flushMs <= 0) return this.outbox.markSent(item, etag, activityId, 200, now);
    return new Promise<void>((resolve, reject) => {
      const shard = this.outbox.partitionOf(item);
      let group = this.groups.get(shard);
      if (!group) {
        group = [];
        this.groups.set(shard, group);
        setTimeout(() => void this.flush(shard, group!), this.flushMs);
      }
      group.push({ item, etag, activityId, now, done: (err) => (err ? reject(err) : resolve()) });
      // A transaction holds at most 100 rows.
      if (group.length >= 100) void this.flush(shard, group);
    });
  }

  private async flush(shard: string, group: PendingMark[]): Promise<void> {
    if (this.groups.get(shard) !== group) return; // written already
    this.groups.delete(shard);
    try {
      await this.outbox.markSentMany(group);
      for (const m of group) m.done();
    } catch (err) {
      for (const m of group) m.done(err);
    }
  }
}

/** Rejects with a network-like error (no status: retried) when `work` has not settled within `ms`. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`send timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
