// Reminders: REMINDER_DAYS_BEFORE_CLOSE days before a run closes, one reminder to everyone who got the
// survey, has not answered and has not turned reminders off — through the same delivery engine.
// Once per run, across instances (a claim in storage).
import { Cron } from 'croner';
import type { Activity } from 'botbuilder';
import type { Clock } from '../clock';
import type { DeliveryEngine, Recipient } from '../delivery/delivery';
import type { Locale } from '../i18n';
import type { Logger } from '../logger';
import type { DeliveryRepository } from '../storage/delivery-repository';
import type { DigestRepository } from '../storage/digest-repository';
import type { RunRepository } from '../storage/run-repository';
import type { UserRepository } from '../storage/user-repository';
import { resolveLocale } from '../users/settings-service';
import { reminderJobId } from './jobs';
import { isRunOpen, type Run } from './model';

const DAY_MS = 86_400_000;

export interface ReminderOptions {
  runs: RunRepository;
  deliveries: DeliveryRepository;
  users: UserRepository;
  claims: DigestRepository;
  delivery: DeliveryEngine;
  clock: Clock;
  logger: Logger;
  daysBeforeClose: number;
  /** Brings the participation flags of a run up to date before its reminders are chosen. */
  reconcileParticipation?(runId: string): Promise<unknown>;
  defaultLocale: Locale;
  renderReminder(run: Run, locale: Locale): Partial<Activity>;
}

export class ReminderService {
  private job: Cron | undefined;

  constructor(private readonly o: ReminderOptions) {}

  /** Sends the reminders that are due now; returns how many people were reminded. */
  async sendDue(): Promise<number> {
    if (this.o.daysBeforeClose <= 0) return 0;
    const now = this.o.clock.now();
    let reminded = 0;
    for (const run of await this.o.runs.list()) {
      if (!isRunOpen(run, now)) continue;
      if (run.closesAt.getTime() - now.getTime() > this.o.daysBeforeClose * DAY_MS) continue;
      if (!(await this.o.claims.claimReminder(run.runId, now))) continue;
      // Best effort: without it, someone whose flag was lost in a crash may get one reminder too many.
      await this.o
        .reconcileParticipation?.(run.runId)
        .catch((err: unknown) =>
          this.o.logger.warn({ err, runId: run.runId }, 'participation flags not restored before reminders'),
        );
      // Who got the card and has not answered; then one pass over the users (not a read per person:
      // at 72,000 that would be 72,000 round trips) for the reference and the reminder setting.
      const waiting = new Set<string>();
      for await (const d of this.o.deliveries.listByRun(run.runId)) {
        if (d.status === 'sent' && !d.answered) waiting.add(d.userId);
      }
      const recipients: Recipient[] = [];
      if (waiting.size > 0) {
        for await (const user of this.o.users.list()) {
          if (!waiting.has(user.userId) || !user.settings.reminders) continue;
          recipients.push({
            userId: user.userId,
            reference: user.reference,
            locale: resolveLocale(user, user.teamsLocale, this.o.defaultLocale),
          });
        }
      }
      this.o.logger.info({ runId: run.runId, recipients: recipients.length }, 'survey reminders');
      await this.o.delivery.deliver({
        runId: reminderJobId(run.runId),
        recipients,
        render: (r) => this.o.renderReminder(run, r.locale),
      });
      reminded += recipients.length;
    }
    return reminded;
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
