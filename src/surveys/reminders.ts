// Reminders, as pulse tools do them: at most two per run — one at half time and one
// REMINDER_DAYS_BEFORE_CLOSE days before it closes — each only to those who got the survey, have
// not answered and have not turned reminders off, through the same delivery engine.
//
// Who has not answered is worked out when a reminder is due, never recorded when someone answers:
// the run's secret gives each recipient's pseudonym, and a pseudonym without a response has not
// answered. Each reminder happens once across instances (a claim in storage, marked done only
// after its delivery job is stored, so a failure in between is retried). When its delivery ends,
// the job's rows — a list of who had not answered — are deleted.
import { Cron } from 'croner';
import type { Activity } from 'botbuilder';
import type { Clock } from '../clock';
import type { DeliveryEngine, Recipient } from '../delivery/delivery';
import type { Locale } from '../i18n';
import type { Logger } from '../logger';
import type { Pseudonyms } from '../privacy/pseudonyms';
import type { DeliveryRepository } from '../storage/delivery-repository';
import type { DigestRepository } from '../storage/digest-repository';
import type { ResponseRepository } from '../storage/response-repository';
import type { RunRepository } from '../storage/run-repository';
import type { UserRepository } from '../storage/user-repository';
import { resolveLocale } from '../users/settings-service';
import { reminderJobId, type ReminderSlot } from './jobs';
import { isRunOpen, type Run } from './model';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Two reminders closer than this are one too many: the half-time one is left out. */
const MIN_GAP_MS = 12 * HOUR_MS;
/** How long a claimed reminder may take before another instance takes it over (72,000 at 45/s: 27 min). */
const CLAIM_TTL_MS = 2 * HOUR_MS;

export interface ReminderOptions {
  runs: RunRepository;
  deliveries: DeliveryRepository;
  responses: ResponseRepository;
  users: UserRepository;
  pseudonyms: Pseudonyms;
  claims: DigestRepository;
  delivery: DeliveryEngine;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  /** REMINDER_DAYS_BEFORE_CLOSE; 0 turns the last reminder off. */
  daysBeforeClose: number;
  /** REMINDER_AT_HALF_TIME */
  atHalfTime: boolean;
  defaultLocale: Locale;
  renderReminder(run: Run, locale: Locale): Partial<Activity>;
}

/** When each of a run's reminders is due (none that would come too late or too close to the other). */
export function reminderTimes(
  run: Pick<Run, 'startedAt' | 'closesAt'>,
  o: { daysBeforeClose: number; atHalfTime: boolean },
): Partial<Record<ReminderSlot, Date>> {
  const start = run.startedAt.getTime();
  const end = run.closesAt.getTime();
  const out: Partial<Record<ReminderSlot, Date>> = {};
  const last = o.daysBeforeClose > 0 ? end - o.daysBeforeClose * DAY_MS : undefined;
  if (last !== undefined && last > start + MIN_GAP_MS) out.last = new Date(last);
  const half = start + (end - start) / 2;
  if (
    o.atHalfTime &&
    half > start + MIN_GAP_MS &&
    (out.last === undefined || out.last.getTime() - half >= MIN_GAP_MS)
  ) {
    out.half = new Date(half);
  }
  return out;
}

export class ReminderService {
  private job: Cron | undefined;

  constructor(private readonly o: ReminderOptions) {}

  /** Sends the reminders that are due now; returns how many people were reminded. */
  async sendDue(): Promise<number> {
    const now = this.o.clock.now();
    let reminded = 0;
    for (const run of await this.o.runs.list()) {
      if (!isRunOpen(run, now)) continue;
      const times = reminderTimes(run, this.o);
      // Only the latest due reminder: after downtime, one reminder rather than two at once.
      const due = (['last', 'half'] as const).find(
        (slot) => times[slot] && times[slot].getTime() <= now.getTime(),
      );
      if (!due) continue;
      try {
        reminded += await this.remind(run, due, now);
      } catch (err) {
        // The claim expires and this or another instance tries again within the hour.
        this.o.logger.error({ err, runId: run.runId, slot: due }, 'reminders failed');
      }
    }
    return reminded;
  }

  private async remind(run: Run, slot: ReminderSlot, now: Date): Promise<number> {
    const jobId = reminderJobId(run.runId, slot);
    const etag = await this.o.claims.claim('reminder', jobId, this.o.instanceId, now, CLAIM_TTL_MS);
    if (!etag) return 0;
    // A claim taken over from an instance that died: its job's rows are stored, finish them as they
    // are (choosing again would send a second reminder to whoever got one already).
    const existing = await this.o.deliveries.counts(jobId);
    let count: number;
    if (existing.recipients > 0) {
      this.o.logger.info(
        { runId: run.runId, slot, recipients: existing.recipients },
        'resuming survey reminders',
      );
      await this.o.delivery.resume(jobId);
      count = existing.recipients;
    } else {
      const recipients = await this.waitingRecipients(run);
      this.o.logger.info({ runId: run.runId, slot, recipients: recipients.length }, 'survey reminders');
      await this.o.delivery.deliver({
        runId: jobId,
        recipients,
        render: (r) => this.o.renderReminder(run, r.locale),
      });
      count = recipients.length;
    }
    await this.o.claims.complete('reminder', jobId, this.o.clock.now(), etag);
    // The job's rows say who had not answered by now: not kept a moment longer than sending needs.
    await this.o.deliveries.deleteJob(jobId);
    return count;
  }

  /**
   * Who got the survey card, has not answered and wants reminders: each recipient's pseudonym is
   * computed with the run's secret and looked up among the responses.
   */
  private async waitingRecipients(run: Run): Promise<Recipient[]> {
    const pseudonymOf = await this.o.pseudonyms.forMany('run', run.runId);
    if (!pseudonymOf) return [];
    const answered = await this.o.responses.pseudonymsOf(run.runId);
    const waiting = new Set<string>();
    for await (const d of this.o.deliveries.listByRun(run.runId)) {
      if (d.status === 'sent' && !answered.has(pseudonymOf(d.userId))) waiting.add(d.userId);
    }
    if (waiting.size === 0) return [];
    // One pass over the users (not a read per person: at 72,000 that would be 72,000 round trips)
    // for the reference and the reminder setting.
    const recipients: Recipient[] = [];
    for await (const user of this.o.users.list()) {
      if (!waiting.has(user.userId) || !user.settings.reminders) continue;
      recipients.push({
        userId: user.userId,
        reference: user.reference,
        locale: resolveLocale(user, user.teamsLocale, this.o.defaultLocale),
      });
    }
    return recipients;
  }

  /** Hourly, at minute 15. */
  start(): void {
    this.job = new Cron('15 * * * *', { timezone: 'Europe/Berlin', protect: true }, () => {
      this.sendDue().catch((err: unknown) => this.o.logger.error({ err }, 'reminders failed'));
    });
  }

  stop(): void {
    this.job?.stop();
  }
}
