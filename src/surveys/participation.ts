// Participation flags ("answered: yes") on the delivery rows, written off the answer's path.
//
// The answer itself (the response row) is stored before the person sees "Danke"; the flag that feeds
// response rates and reminders follows within a moment, in one transaction per delivery shard for
// everybody who answered meanwhile. That takes a storage round trip off every answer. The response
// row stays the source of truth: if an instance dies with flags still queued, `reconcile` finds the
// people whose response exists (their pseudonym is computed again from run and user) and sets what is
// missing. It runs when an instance resumes the open runs and before reminders go out, so nobody is
// reminded of a survey they answered.
import type { Logger } from '../logger';
import type { Pseudonymizer } from '../privacy/pseudonym';
import type { DeliveryRepository } from '../storage/delivery-repository';
import type { ResponseRepository } from '../storage/response-repository';

export interface ParticipationOptions {
  deliveries: DeliveryRepository;
  responses: ResponseRepository;
  pseudonyms: Pseudonymizer;
  logger: Logger;
  /** How long a flag may wait to be written together with others (default 200 ms). */
  flushIntervalMs?: number;
}

type Item = { runId: string; userId: string };

export class ParticipationRecorder {
  private queued = new Map<string, Item>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failures = 0;
  private stopped = false;

  constructor(private readonly o: ParticipationOptions) {}

  /** Queues the flag; it is written within flushIntervalMs (later while storage fails). */
  record(runId: string, userId: string): void {
    this.queued.set(`${runId}\n${userId}`, { runId, userId });
    this.schedule();
  }

  /** Flags queued and not yet written. */
  get pending(): number {
    return this.queued.size;
  }

  /** Writes everything queued now. Failed writes stay queued and are tried again. */
  async flush(): Promise<void> {
    // One flush at a time: a second caller waits for the running one, then writes what came since.
    while (this.flushing) await this.flushing;
    if (this.queued.size === 0) return;
    const batch = [...this.queued.values()];
    this.queued = new Map();
    this.flushing = this.o.deliveries
      .markAnsweredMany(batch)
      .then(() => {
        this.failures = 0;
      })
      .catch((err: unknown) => {
        this.failures++;
        for (const item of batch) {
          const key = `${item.runId}\n${item.userId}`;
          if (!this.queued.has(key)) this.queued.set(key, item);
        }
        this.o.logger.warn({ err, queued: this.queued.size }, 'participation flags not written; retrying');
      })
      .finally(() => {
        this.flushing = undefined;
        this.schedule();
      });
    await this.flushing;
  }

  /** Stops the timer and writes what is queued (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /**
   * Sets the flag for everyone with a response to this run whose delivery row lacks it. Returns how
   * many flags were missing.
   */
  async reconcile(runId: string): Promise<number> {
    const answered = await this.o.responses.pseudonymsOf(runId);
    if (answered.size === 0) return 0;
    const missing: Item[] = [];
    for await (const d of this.o.deliveries.listByRun(runId)) {
      if (!d.answered && answered.has(this.o.pseudonyms.forRun(runId, d.userId))) {
        missing.push({ runId, userId: d.userId });
      }
    }
    if (missing.length > 0) {
      await this.o.deliveries.markAnsweredMany(missing);
      this.o.logger.info({ runId, flags: missing.length }, 'participation flags restored from responses');
    }
    return missing.length;
  }

  private schedule(): void {
    // After stop() nothing is written any more: what is left is restored from the responses later.
    if (this.stopped || this.timer || this.queued.size === 0) return;
    const base = this.o.flushIntervalMs ?? 200;
    // Back off while storage fails: 0.2 s, 0.4 s, … up to 30 s.
    const delay = Math.min(30_000, base * 2 ** Math.min(this.failures, 8));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delay);
    this.timer.unref();
  }
}
