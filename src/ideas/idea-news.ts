// News of an idea for the supporters who asked for it: when its status changes, each of them gets
// one message, through the delivery engine's outbox at the Teams rate.
//
// Who follows an idea cannot be listed from the supports (they are pseudonyms, HMAC(idea secret,
// user id)); so a supporter who asks for news has their id sealed for that idea alone on their own
// support row (src/storage/idea-repository.ts). A status change opens those links, stores one
// delivery job (job id "idea~<idea id>~<status>": a status is reached at most once) and sends it;
// the job's rows, a list of who follows the idea, are deleted as soon as it has been sent. At the
// final status the links themselves are deleted once the job is stored. The status change records
// its task before the officer's save returns; a claim with a lease then makes each change's news
// happen once across instances, and a task whose instance died is taken over.
import type { Activity } from 'botbuilder';
import type { Clock } from '../clock';
import type { DeliveryEngine, Recipient } from '../delivery/delivery';
import type { Locale } from '../i18n';
import type { Logger } from '../logger';
import type { PrivacyKeys } from '../privacy/keys';
import type { DeliveryRepository } from '../storage/delivery-repository';
import type { DigestRepository } from '../storage/digest-repository';
import type { IdeaRepository } from '../storage/idea-repository';
import type { UserRecord, UserRepository } from '../storage/user-repository';
import { resolveLocale } from '../users/settings-service';
import { IDEA_STATUSES, isFinal, type Idea, type IdeaHistoryEntry, type IdeaStatus } from './model';

const JOB_PREFIX = 'idea~';
/** How long a claimed announcement may take before another instance takes it over. */
const CLAIM_TTL_MS = 30 * 60_000;

export function ideaNewsJobId(ideaId: string, status: IdeaStatus): string {
  return `${JOB_PREFIX}${ideaId}~${status}`;
}

export function parseIdeaNewsJobId(jobId: string): { ideaId: string; status: IdeaStatus } | undefined {
  const m = /^idea~([0-9a-z-]{1,40})~([a-z_]+)$/.exec(jobId);
  return m && (IDEA_STATUSES as readonly string[]).includes(m[2]!)
    ? { ideaId: m[1]!, status: m[2] as IdeaStatus }
    : undefined;
}

/** The seal of a follower's id: bound to the idea, so it opens for no other. */
export function sealFollower(keys: PrivacyKeys, userId: string, ideaId: string): string {
  return keys.seal('idea-followers', userId, ideaId);
}

export interface IdeaNewsOptions {
  ideas: IdeaRepository;
  users: UserRepository;
  keys: PrivacyKeys;
  claims: DigestRepository;
  deliveries: DeliveryRepository;
  delivery: DeliveryEngine;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  defaultLocale: Locale;
  /** The message a follower gets, in their language. */
  render(idea: Idea, entry: IdeaHistoryEntry, locale: Locale): Partial<Activity>;
  /** Runs the sending in the background (shutdown waits for it). */
  background(task: Promise<unknown>): void;
}

export class IdeaNews {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: IdeaNewsOptions) {}

  /**
   * Records that the idea reached `status` (awaited by the status change, so that a crash cannot lose
   * it: an unclaimed task is taken over like an expired claim), then sends the news in the background.
   */
  async statusChanged(ideaId: string, status: IdeaStatus): Promise<void> {
    await this.o.claims.claim(
      'ideanews',
      ideaNewsJobId(ideaId, status),
      this.o.instanceId,
      this.o.clock.now(),
      0,
    );
    this.o.background(
      this.announce(ideaId, status).catch((err: unknown) =>
        this.o.logger.error({ err, ideaId, status }, 'idea news failed; retried when its claim has run out'),
      ),
    );
  }

  /**
   * Tells the idea's followers that it reached `status`; once per status change across instances.
   * Resolves with how many were sent the news (0 when another instance has it or it was done).
   */
  async announce(ideaId: string, status: IdeaStatus): Promise<number> {
    const jobId = ideaNewsJobId(ideaId, status);
    const etag = await this.o.claims.claim(
      'ideanews',
      jobId,
      this.o.instanceId,
      this.o.clock.now(),
      CLAIM_TTL_MS,
    );
    if (!etag) return 0;
    let count = 0;
    const existing = await this.o.deliveries.counts(jobId);
    if (existing.recipients > 0) {
      // Taken over from an instance that died after storing the job: finish it as it is.
      await this.o.delivery.resume(jobId);
      count = existing.recipients;
    } else {
      const message = await this.messageFor(ideaId, status);
      if (message) {
        const recipients = await this.followersOf(ideaId);
        if (recipients.length > 0) {
          await this.o.delivery.deliver({ runId: jobId, recipients, render: (r) => message(r.locale) });
        }
        count = recipients.length;
      }
    }
    // At the final status nobody needs the links any more: the job's rows say whom to send to.
    if (isFinal(status)) await this.o.ideas.forgetFollowers(ideaId);
    await this.o.claims.complete('ideanews', jobId, this.o.clock.now(), etag);
    // Who follows the idea is not kept a moment longer than sending needs.
    await this.o.deliveries.deleteJob(jobId);
    this.o.logger.info({ ideaId, status, followers: count }, 'idea news sent');
    return count;
  }

  /** Re-creates a job's message after a restart (the delivery engine's renderFor). */
  async renderFor(jobId: string): Promise<((r: Recipient) => Partial<Activity>) | undefined> {
    const job = parseIdeaNewsJobId(jobId);
    const message = job ? await this.messageFor(job.ideaId, job.status) : undefined;
    return message ? (r) => message(r.locale) : undefined;
  }

  /** Finishes announcements whose instance died (their claim ran out). */
  async resumeExpired(): Promise<number> {
    let resumed = 0;
    for (const jobId of await this.o.claims.expiredClaims('ideanews', this.o.clock.now())) {
      const job = parseIdeaNewsJobId(jobId);
      if (!job) continue;
      try {
        await this.announce(job.ideaId, job.status);
        resumed++;
      } catch (err) {
        this.o.logger.error({ err, jobId }, 'idea news failed');
      }
    }
    return resumed;
  }

  /** Looks for announcements to take over every 15 minutes. */
  start(): void {
    this.timer = setInterval(() => {
      this.resumeExpired().catch((err: unknown) => this.o.logger.error({ err }, 'idea news failed'));
    }, 15 * 60_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async messageFor(
    ideaId: string,
    status: IdeaStatus,
  ): Promise<((locale: Locale) => Partial<Activity>) | undefined> {
    const idea = await this.o.ideas.get(ideaId);
    const entry = (await this.o.ideas.history(ideaId)).find((e) => e.to === status && e.from !== undefined);
    if (!idea || !entry) return undefined;
    return (locale) => this.o.render(idea, entry, locale);
  }

  /** The followers' ids (their sealed links opened) with what sending needs. */
  private async followersOf(ideaId: string): Promise<Recipient[]> {
    const ids = new Set<string>();
    for await (const sealed of this.o.ideas.followers(ideaId)) {
      const userId = this.o.keys.open('idea-followers', sealed, ideaId)?.toString('utf8');
      if (userId) ids.add(userId);
    }
    const recipients: Recipient[] = [];
    const add = (user: UserRecord) =>
      recipients.push({
        userId: user.userId,
        reference: user.reference,
        locale: resolveLocale(user, user.teamsLocale, this.o.defaultLocale),
      });
    // Users who removed Puls are left out. Few followers: a read each; many: one pass over the users.
    if (ids.size <= 200) {
      for (const userId of ids) {
        const user = await this.o.users.get(userId);
        if (user) add(user);
      }
    } else {
      for await (const user of this.o.users.list()) if (ids.has(user.userId)) add(user);
    }
    return recipients;
  }
}
