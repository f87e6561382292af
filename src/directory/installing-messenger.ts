// A ProactiveMessenger for the delivery engine that installs Puls first where there is no conversation
// yet. A recipient frozen into a run without a conversation carries a reference with only the user;
// for them this wrapper asks the installer (Graph: install, find the chat) and sends into that chat.
// Everything else — claims, the tenant-wide rate, retries, recording the outcome — stays the engine's.
// An unreachable person (no Teams licence, unknown to Teams) fails for good with the reason; a Graph
// that stays throttled or unavailable is a retryable failure (the engine tries the row again later).
import type { Activity, ConversationReference } from 'botbuilder';
import type { ProactiveMessenger } from '../delivery/delivery';
import { GraphError } from './graph-client';
import type { ChatReference, RecipientInstaller } from './installer';

export interface InstallingMessengerOptions {
  inner: ProactiveMessenger;
  installer: RecipientInstaller;
  /** Keeps the new conversation (the users table), so that reminders and later runs send directly. */
  onReached?(userId: string, reference: ChatReference): Promise<void>;
}

/** A refusal the delivery engine records as final (its classifier treats 403 as permanent). */
export class UnreachableError extends Error {
  readonly statusCode = 403;
  constructor(readonly reason: string) {
    super(`unreachable: ${reason}`);
  }
}

/** A transient failure: no statusCode, so the engine retries it with backoff. */
export class InstallPendingError extends Error {}

/** The reference of a recipient Puls has no conversation with yet: the user and nothing else. */
export function installReference(userId: string): Partial<ConversationReference> {
  return { channelId: 'msteams', user: { id: userId, aadObjectId: userId, name: '' } };
}

export function needsInstallation(reference: Partial<ConversationReference>): boolean {
  return !reference.conversation?.id;
}

/** Chats remembered at most (about 500 bytes each). */
const MAX_REMEMBERED = 10_000;

export class InstallingMessenger implements ProactiveMessenger {
  /**
   * Conversations found in this process, so that a retry of the same row does not install again
   * (bounded: later sends read the reference stored through onReached).
   */
  private readonly reached = new Map<string, ChatReference>();

  constructor(private readonly o: InstallingMessengerOptions) {}

  async send(
    reference: Partial<ConversationReference>,
    activity: Partial<Activity>,
  ): Promise<string | undefined> {
    if (!needsInstallation(reference)) return this.o.inner.send(reference, activity);
    const userId = (reference.user?.aadObjectId ?? reference.user?.id ?? '').toLowerCase();
    if (!userId) throw new UnreachableError('no_user');
    let target = this.reached.get(userId);
    if (!target) {
      let outcome;
      try {
        outcome = await this.o.installer.install(userId);
      } catch (err) {
        // A missing permission is the operator's to fix: final, with Graph's words for the log.
        if (err instanceof GraphError && !err.transient)
          throw Object.assign(new Error(`installation refused: ${err.message}`), { statusCode: 401 });
        throw new InstallPendingError(
          `installation pending: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      if (outcome.kind === 'unreachable') throw new UnreachableError(outcome.reason);
      target = outcome.reference;
      if (this.reached.size >= MAX_REMEMBERED) this.reached.clear();
      this.reached.set(userId, target);
      await this.o.onReached?.(userId, target);
    }
    return this.o.inner.send(target, activity);
  }
}
