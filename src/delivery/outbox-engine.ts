// The rate-limited delivery engine: sending is driven from the outbox rows in storage. Each row is
// claimed (ETag-guarded) before its send and marked sent with Teams' id after; the tenant-wide rate is
// a token bucket that pauses on 429 and slows down for a while; 412/5xx/network errors are retried
// with backoff up to SEND_MAX_ATTEMPTS; 403/404 fail for good. Several instances share a job through
// the claims alone, and an instance that starts resumes unfinished work.
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
import { AdaptiveRateLimiter, backoffMs, classifySendError } from './rate-limiter';

export interface OutboxEngineOptions {
  outbox: OutboxRepository;
  messenger: ProactiveMessenger;
  /** Real time: claims and retry times are about when requests really go out. */
  clock: Clock;
  logger: Logger;
  limiter: AdaptiveRateLimiter;
  /** SEND_MAX_ATTEMPTS */
  maxAttempts: number;
  /** Sends in flight at once (the rate limiter decides how fast they start). */
  concurrency?: number;
  /** How long a claim holds before another instance may send the row (default 60 s). */
  claimMs?: number;
  /** Re-creates a job's message after a restart (the job's render is not stored). */
  renderFor(jobId: string): Promise<((r: Recipient) => Partial<Activity>) | undefined>;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

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

  constructor(private readonly o: OutboxEngineOptions) {
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
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
  ): (result: JobResult, done: boolean) => void {
    let last = 0;
    return (result, done) => {
      const now = performance.now();
      if (!done && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      const sent = baseline.sent + result.sent;
      const failed = baseline.failed + result.failed;
      report({
        total: baseline.total,
        sent,
        failed,
        pending: Math.max(0, baseline.total - sent - failed),
        ratePerSecond: this.o.limiter.rate,
        done,
      }).catch((err: unknown) => this.o.logger.warn({ err, jobId }, 'progress update failed'));
    };
  }

  /** Works a job until no row is pending, retrying or claimed. Safe to run on several instances. */
  async process(
    jobId: string,
    render?: (r: Recipient) => Partial<Activity>,
    progress?: (result: JobResult, done: boolean) => void,
  ): Promise<JobResult> {
    const renderRow = render ?? (await this.o.renderFor(jobId));
    const result: JobResult = { sent: 0, failed: 0, retried: 0, throttled: 0 };
    if (!renderRow) {
      this.o.logger.warn({ jobId }, 'delivery job cannot be rendered any more; left as it is');
      return result;
    }
    for (;;) {
      let worked = false;
      // The shards are worked together: a bounded pool pulls due rows from all of them.
      const iterators = this.o.outbox
        .partitions(jobId)
        .map((pk) => this.o.outbox.due(pk, this.o.clock.now()));
      let next = 0;
      const pull = async (): Promise<OutboxItem | undefined> => {
        while (iterators.length > 0) {
          const i = next++ % iterators.length;
          const r = await iterators[i]!.next();
          if (!r.done) return r.value;
          iterators.splice(i, 1);
        }
        return undefined;
      };
      await Promise.all(
        Array.from({ length: this.o.concurrency ?? 32 }, async () => {
          for (let item = await pull(); item; item = await pull()) {
            worked = (await this.sendOne(item, renderRow, result)) || worked;
            progress?.(result, false);
          }
        }),
      );
      const nextDue = await this.o.outbox.nextDue(jobId);
      if (!nextDue) break;
      const wait = nextDue.getTime() - this.o.clock.now().getTime();
      if (wait > 0) await this.sleep(Math.min(wait, 5_000));
      else if (!worked) await this.sleep(50); // rows claimed by another instance: look again soon
    }
    progress?.(result, true);
    this.o.logger.info({ jobId, ...result }, 'delivery job finished');
    return result;
  }

  /** Claims, sends and records one row; false when another instance had it. */
  private async sendOne(
    item: OutboxItem,
    render: (r: Recipient) => Partial<Activity>,
    result: JobResult,
  ): Promise<boolean> {
    const { outbox, clock, limiter } = this.o;
    const etag = await outbox.claim(item, new Date(clock.now().getTime() + (this.o.claimMs ?? 60_000)));
    if (!etag) return false;
    await limiter.acquire();
    try {
      const activityId = await this.o.messenger.send(item.reference, render(item));
      await outbox.markSent(item, etag, activityId, 200, clock.now());
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
          wait = outcome.retryAfterMs ?? wait;
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
