// Proactive delivery of survey cards. The survey service only sees DeliveryEngine; the engine in
// use is the rate-limited, resumable OutboxDeliveryEngine (outbox-engine.ts).
import type { Activity, ConversationReference } from 'botbuilder';
import type { Locale } from '../i18n';

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

export interface DeliveryProgress {
  total: number;
  sent: number;
  failed: number;
  pending: number;
  /** Requests per second in force now. */
  ratePerSecond: number;
  done: boolean;
}

export interface DeliveryJob {
  runId: string;
  recipients: readonly Recipient[];
  render(recipient: Recipient): Partial<Activity>;
  /** Called at most every 10 seconds while sending, and once at the end. */
  onProgress?(progress: DeliveryProgress): Promise<void>;
}

export interface DeliveryEngine {
  /** Records a pending delivery per recipient, then sends; resolves when every recipient was tried. */
  deliver(job: DeliveryJob): Promise<{ sent: number; failed: number }>;
  /**
   * Goes on with a job another (stopped or crashed) instance left unfinished. `baseline`: the job's
   * figures in storage when resuming, so that progress reports count the whole job.
   */
  resume(
    jobId: string,
    onProgress?: (progress: DeliveryProgress) => Promise<void>,
    baseline?: { total: number; sent: number; failed: number },
  ): Promise<{ sent: number; failed: number }>;
}
