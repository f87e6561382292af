// Proactive delivery of survey cards. The survey service only sees DeliveryEngine; a later issue
// replaces SimpleDeliveryEngine's insides with a rate-limited, resumable engine.
import type { Activity, ConversationReference } from 'botbuilder';
import type { Clock } from '../clock';
import type { Locale } from '../i18n';
import type { Logger } from '../logger';
import type { DeliveryRepository } from '../storage/delivery-repository';

export interface Recipient {
  userId: string;
  reference: Partial<ConversationReference>;
  locale: Locale;
}

/** Sends one activity into a stored conversation (the bot's side: CloudAdapter.continueConversationAsync). */
export interface ProactiveMessenger {
  /** Resolves with the new message's id; rejects with an error carrying `statusCode` when Teams refuses. */
  send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined>;
}

export interface DeliveryJob {
  runId: string;
  recipients: readonly Recipient[];
  render(recipient: Recipient): Partial<Activity>;
}

export interface DeliveryEngine {
  /** Records a pending delivery per recipient, then sends; resolves when every recipient was tried. */
  deliver(job: DeliveryJob): Promise<{ sent: number; failed: number }>;
}

export interface SimpleDeliveryEngineOptions {
  deliveries: DeliveryRepository;
  messenger: ProactiveMessenger;
  clock: Clock;
  logger: Logger;
  /** Sends in flight at once. */
  concurrency?: number;
}

/** Sends with bounded concurrency and records the outcome of each send; no rate control yet. */
export class SimpleDeliveryEngine implements DeliveryEngine {
  constructor(private readonly options: SimpleDeliveryEngineOptions) {}

  async deliver(job: DeliveryJob): Promise<{ sent: number; failed: number }> {
    const { deliveries, messenger, clock, logger } = this.options;
    await deliveries.addPending(
      job.runId,
      job.recipients.map((r) => r.userId),
      clock.now(),
    );
    let sent = 0;
    let failed = 0;
    let next = 0;
    const worker = async () => {
      while (next < job.recipients.length) {
        const recipient = job.recipients[next++]!;
        try {
          const activityId = await messenger.send(recipient.reference, job.render(recipient));
          await deliveries.markSent(job.runId, recipient.userId, activityId, clock.now());
          sent++;
        } catch (err) {
          failed++;
          const status = (err as { statusCode?: number }).statusCode;
          const reason = `${status ?? 'error'}: ${err instanceof Error ? err.message : String(err)}`;
          logger.warn({ runId: job.runId, status }, 'survey card could not be delivered');
          await deliveries.markFailed(job.runId, recipient.userId, reason, clock.now());
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, worker));
    logger.info({ runId: job.runId, sent, failed }, 'survey delivery finished');
    return { sent, failed };
  }
}
