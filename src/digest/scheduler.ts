// The weekly digest, exactly once per ISO week across instances and restarts: the week's record is
// claimed with an ETag-guarded write before posting and marked posted (with Teams' id) after. A claim
// whose instance died expires and is taken over; a posted week is never posted again.
import { Cron } from 'croner';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { DigestRepository } from '../storage/digest-repository';
import { BERLIN, isoWeekOf } from '../domain/berlin-time';
import { dueTimeInWeek } from './week';

export type TickOutcome =
  'not_due' | 'posted' | 'already_posted' | 'claimed_elsewhere' | 'no_channel' | 'failed';

export interface DigestSchedulerOptions {
  /** DIGEST_CRON, in Europe/Berlin time. */
  cron: string;
  clock: Clock;
  digests: DigestRepository;
  /** Names this instance in claims (host + pid + random). */
  instanceId: string;
  logger: Logger;
  /** Builds and posts the digest; resolves with Teams' id for the post, or undefined without a channel. */
  post(now: Date): Promise<string | undefined>;
  /** How long a claim holds before another instance may take over (default 10 minutes). */
  claimTtlMs?: number;
  /** How often to check for a due or unfinished digest besides the cron time (default 5 minutes). */
  recheckMs?: number;
}

export class DigestScheduler {
  private job: Cron | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<TickOutcome> | undefined;
  private warnedNoChannel = false;

  constructor(private readonly o: DigestSchedulerOptions) {}

  /** Starts the cron job and the periodic check (which also catches up after downtime). */
  start(): void {
    this.job = new Cron(this.o.cron, { timezone: BERLIN, protect: true }, () => void this.tick());
    this.timer = setInterval(() => void this.tick(), this.o.recheckMs ?? 5 * 60_000);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    this.job?.stop();
    if (this.timer) clearInterval(this.timer);
  }

  /** Posts this week's digest if it is due and nobody has; safe to call at any time, from any instance. */
  tick(): Promise<TickOutcome> {
    // One tick at a time in this process; other processes are kept apart by the claim.
    this.running ??= this.doTick().finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * "digest senden": posts the digest now and counts it as this week's, so the schedule skips the
   * week. When this week's was posted already, nothing is posted unless `again` (the officer was
   * asked and confirmed).
   */
  async sendNow(again = false): Promise<{ outcome: TickOutcome; postedAt?: Date }> {
    const { clock, digests, logger } = this.o;
    const now = clock.now();
    const week = isoWeekOf(now);
    const record = await digests.getTask('week', week.key);
    if (record?.status === 'done') {
      if (!again) return { outcome: 'already_posted', postedAt: record.doneAt };
      const id = await this.o.post(now);
      return { outcome: id === undefined ? 'no_channel' : 'posted' };
    }
    const etag = await digests.claim(
      'week',
      week.key,
      this.o.instanceId,
      now,
      this.o.claimTtlMs ?? 10 * 60_000,
    );
    if (!etag) return { outcome: 'claimed_elsewhere' };
    const activityId = await this.o.post(now);
    if (activityId === undefined) return { outcome: 'no_channel' };
    await digests.complete('week', week.key, clock.now(), etag, activityId);
    logger.info({ week: week.key, activityId }, 'weekly digest posted on request');
    return { outcome: 'posted' };
  }

  private async doTick(): Promise<TickOutcome> {
    const { clock, digests, logger } = this.o;
    const now = clock.now();
    const due = dueTimeInWeek(this.o.cron, now);
    if (!due || now.getTime() < due.getTime()) return 'not_due';
    const week = isoWeekOf(now);
    try {
      const record = await digests.getTask('week', week.key);
      if (record?.status === 'done') return 'already_posted';
      const etag = await digests.claim(
        'week',
        week.key,
        this.o.instanceId,
        now,
        this.o.claimTtlMs ?? 10 * 60_000,
      );
      if (!etag) return 'claimed_elsewhere';
      const activityId = await this.o.post(now);
      if (activityId === undefined) {
        // Nothing to post to yet: the claim expires and a later check tries again.
        if (!this.warnedNoChannel)
          logger.warn({ week: week.key }, "weekly digest due, but Puls is not in the officers' team yet");
        this.warnedNoChannel = true;
        return 'no_channel';
      }
      this.warnedNoChannel = false;
      await digests.complete('week', week.key, clock.now(), etag, activityId);
      logger.info({ week: week.key, activityId }, 'weekly digest posted');
      return 'posted';
    } catch (err) {
      // The claim expires and this or another instance tries again.
      logger.error({ err, week: week.key }, 'weekly digest failed');
      return 'failed';
    }
  }
}
