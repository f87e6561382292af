// Innovation ideas: submit (validated, similar ideas first), browse, support (once per person,
// concurrency-safe), review by officers (status with history), and tell the submitter.
//
// Privacy: an idea's link to its submitter is the submitter's id sealed for that idea alone (a fresh
// encryption each time, so two ideas of one person look unrelated); it is deleted when an anonymous
// idea reaches a final status. Supports are rows under the idea's own pseudonyms, HMAC(idea secret,
// user id); the secret is destroyed at the final status, and the supports become anonymous. A
// supporter may ask for news of the idea: their id, sealed for that idea, then sits on their support
// row until the final status (see idea-news.ts).
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Clock } from '../clock';
import type { ProactiveMessenger } from '../delivery/delivery';
import { ConflictError } from '../errors';
import type { Locale } from '../i18n';
import type { Logger } from '../logger';
import type { PrivacyKeys } from '../privacy/keys';
import type { Pseudonyms } from '../privacy/pseudonyms';
import type { IdeaFilter, IdeaRepository, MergeOutcome } from '../storage/idea-repository';
import { newIdeaId } from '../storage/idea-repository';
import type { UserRecord, UserRepository } from '../storage/user-repository';
import { resolveLocale } from '../users/settings-service';
import { isFinal, TRANSITIONS, type Idea, type IdeaHistoryEntry, type IdeaStatus } from './model';
import { SimilarityIndex } from './similarity';
import {
  DISTRICTS,
  cleanText,
  FIELDS_OF_ACTION,
  type District,
  type FieldOfAction,
} from '../domain/vocabulary';

export const TITLE_MAX = 120;
export const DESCRIPTION_MAX = 2000;
export const FEEDBACK_MAX = 1000;
const PAGE_SIZE = 5;
/** How often the similarity index asks storage for ideas changed by other instances. */
const INDEX_REFRESH_MS = 2000;

export interface IdeaInput {
  title: string;
  description: string;
  field: FieldOfAction;
  district: District | undefined;
  anonymous: boolean;
}

export type IdeaFieldError = 'required' | 'too_long' | 'choice' | 'markup' | 'type';

export type IdeaValidation =
  | { ok: true; input: IdeaInput }
  | {
      ok: false;
      errors: Partial<Record<keyof IdeaInput, IdeaFieldError>>;
      unknownFields: string[];
      entered: Record<string, string>;
    };

const FORM_FIELDS = ['title', 'description', 'field', 'district', 'anonymous'] as const;
const ENVELOPE = new Set(['verb', 'msteams', 'confirm']);
const HTML = /<\s*\/?\s*[a-z!][^>]*>|javascript:/i;

export function validateIdea(data: Record<string, unknown>): IdeaValidation {
  const errors: Partial<Record<keyof IdeaInput, IdeaFieldError>> = {};
  const entered: Record<string, string> = {};
  const unknownFields = Object.keys(data).filter(
    (k) => !(FORM_FIELDS as readonly string[]).includes(k) && !ENVELOPE.has(k),
  );
  for (const f of FORM_FIELDS) {
    const v = data[f];
    if (v !== undefined && typeof v !== 'string' && typeof v !== 'boolean') errors[f] = 'type';
    else if (typeof v === 'string') entered[f] = v.slice(0, DESCRIPTION_MAX + 100);
  }
  const text = (f: 'title' | 'description', max: number): string => {
    const raw = typeof data[f] === 'string' ? cleanText(data[f]) : '';
    if (errors[f]) return raw;
    if (raw === '') errors[f] = 'required';
    else if (raw.length > max) errors[f] = 'too_long';
    else if (HTML.test(raw)) errors[f] = 'markup';
    return raw;
  };
  const title = text('title', TITLE_MAX).replace(/\s+/g, ' ');
  const description = text('description', DESCRIPTION_MAX);
  const field = data.field;
  if (
    !errors.field &&
    !(typeof field === 'string' && (FIELDS_OF_ACTION as readonly string[]).includes(field))
  ) {
    errors.field = field === undefined || field === '' ? 'required' : 'choice';
  }
  const district = data.district;
  if (
    !errors.district &&
    district !== undefined &&
    district !== '' &&
    !(DISTRICTS as readonly string[]).includes(String(district))
  ) {
    errors.district = 'choice';
  }
  const anonymous = data.anonymous;
  if (
    !errors.anonymous &&
    anonymous !== undefined &&
    !['true', 'false', true, false].includes(anonymous as string | boolean)
  ) {
    errors.anonymous = 'choice';
  }
  if (unknownFields.length > 0 || Object.keys(errors).length > 0)
    return { ok: false, errors, unknownFields, entered };
  return {
    ok: true,
    input: {
      title,
      description,
      field: field as FieldOfAction,
      district: district ? (district as District) : undefined,
      anonymous: anonymous === true || anonymous === 'true',
    },
  };
}

export type SubmitIdeaResult =
  | { kind: 'invalid'; validation: Extract<IdeaValidation, { ok: false }> }
  | { kind: 'similar'; input: IdeaInput; similar: Idea[] }
  | { kind: 'saved'; idea: Idea };

export type SupportResult =
  | { kind: 'not_found' }
  | { kind: 'own'; idea: Idea }
  | { kind: 'closed'; idea: Idea }
  | { kind: 'ok'; idea: Idea; supported: boolean };

/** What the viewer may do with an idea on a list card. */
export interface ViewerState {
  own: boolean;
  supported: boolean;
  /** Supports it and asked to hear of its status changes. */
  following: boolean;
  /** Final status: supports can no longer change. */
  closed: boolean;
}

export type FollowResult =
  | { kind: 'not_found' }
  | { kind: 'own'; idea: Idea }
  | { kind: 'closed'; idea: Idea }
  | { kind: 'not_supported'; idea: Idea }
  | { kind: 'ok'; idea: Idea; following: boolean };

export type SetStatusResult =
  | { kind: 'not_found' }
  | { kind: 'stale'; idea: Idea }
  | { kind: 'invalid'; idea: Idea; problem: 'status' | 'feedback' | 'final' }
  | { kind: 'saved'; idea: Idea; notified: boolean };

export type MergeProblem = 'same' | 'final' | 'target_final' | 'target_merged' | 'chain';

export type MergeResult =
  | { kind: 'not_found' }
  | { kind: 'invalid'; problem: MergeProblem }
  /** A concurrent change (a review, another merge) came first; nothing was merged. */
  | { kind: 'stale' }
  | {
      kind: 'merged';
      idea: Idea;
      into: Idea;
      outcome: MergeOutcome;
      /** The merge had been done (or begun) before: this call finished or repeated it. */
      again: boolean;
    };

export interface IdeaServiceOptions {
  ideas: IdeaRepository;
  users: UserRepository;
  pseudonyms: Pseudonyms;
  keys: PrivacyKeys;
  messenger: ProactiveMessenger;
  /** The message that tells the submitter about a status change, in their language. */
  renderStatusNotice(idea: Idea, entry: IdeaHistoryEntry, locale: Locale): Partial<Activity>;
  /** Tells the supporters who asked for news of a status change (IdeaNews). */
  news?: { statusChanged(ideaId: string, status: IdeaStatus): Promise<void> };
  clock: Clock;
  logger: Logger;
  defaultLocale: Locale;
}

export class IdeaService {
  private readonly index = new SimilarityIndex();
  /** Ideas not worth suggesting instead (rejected, merged). */
  private readonly closedForSupport = new Set<string>();
  private indexLoaded: Promise<void> | undefined;
  private lastSync = 0;
  private lastCheck = 0;

  constructor(private readonly o: IdeaServiceOptions) {}

  /** The submitter of an idea, while the link exists (open ideas; named ideas until erasure). */
  async ownerOf(ideaId: string): Promise<string | undefined> {
    const link = await this.o.ideas.getOwner(ideaId);
    return link ? this.o.keys.open('idea-owners', link.sealedUserId, ideaId)?.toString('utf8') : undefined;
  }

  /** Validates; unless confirmed, shows similar ideas first; then stores the idea. */
  async submit(
    user: { userId: string; name: string },
    data: Record<string, unknown>,
  ): Promise<SubmitIdeaResult> {
    const validation = validateIdea(data);
    if (!validation.ok) return { kind: 'invalid', validation };
    const { input } = validation;
    if (data.confirm !== 'true' && data.confirm !== true) {
      const similar = await this.findSimilar(`${input.title}\n${input.description}`);
      if (similar.length > 0) return { kind: 'similar', input, similar };
    }
    const now = this.o.clock.now();
    const idea: Idea = {
      ideaId: newIdeaId(now, randomBytes(4).toString('hex')),
      ...input,
      submitterName: input.anonymous ? undefined : user.name.slice(0, 100),
      submitterGone: false,
      status: 'submitted',
      supportCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    // The secret and the owner link first: an idea is never stored without a way to support it or
    // to tell its submitter.
    await this.o.pseudonyms.create('idea', idea.ideaId);
    await this.o.ideas.setOwner({
      ideaId: idea.ideaId,
      sealedUserId: this.o.keys.seal('idea-owners', user.userId, idea.ideaId),
      named: !idea.anonymous,
    });
    await this.o.ideas.create(idea);
    await this.o.ideas.addHistory(idea.ideaId, {
      at: now,
      from: undefined,
      to: 'submitted',
      byId: '',
      byName: '',
      feedback: '',
    });
    this.index.add(idea.ideaId, indexText(idea));
    this.o.logger.info(
      { ideaId: idea.ideaId, field: idea.field, anonymous: idea.anonymous },
      'idea submitted',
    );
    return { kind: 'saved', idea };
  }

  async findSimilar(text: string): Promise<Idea[]> {
    await this.refreshIndex();
    const hits = this.index.search(text, { limit: 3, exclude: (id) => this.closedForSupport.has(id) });
    const ideas = await Promise.all(hits.map((h) => this.o.ideas.get(h.id)));
    // A merged duplicate is not offered either: its target is.
    return ideas.filter(
      (i): i is Idea & { etag: string } =>
        i !== undefined && i.status !== 'rejected' && i.status !== 'merged',
    );
  }

  /**
   * Loads every idea once, then only those changed since (other instances add ideas too), at most
   * every INDEX_REFRESH_MS of the injected clock. What "changed since" means is storage's Timestamp,
   * which follows the wall clock: lastSync alone is wall time.
   */
  private async refreshIndex(): Promise<void> {
    this.indexLoaded ??= (async () => {
      const started = Date.now();
      for await (const idea of this.o.ideas.list()) this.indexIdea(idea);
      this.lastSync = started;
      this.lastCheck = this.o.clock.now().getTime();
    })();
    await this.indexLoaded;
    if (this.o.clock.now().getTime() - this.lastCheck < INDEX_REFRESH_MS) return;
    this.lastCheck = this.o.clock.now().getTime();
    const started = Date.now();
    // A few seconds of overlap covers clock skew between this machine and storage.
    for await (const idea of this.o.ideas.list({}, new Date(this.lastSync - 5000))) this.indexIdea(idea);
    this.lastSync = started;
  }

  private indexIdea(idea: Idea): void {
    this.index.add(idea.ideaId, indexText(idea));
    if (idea.status === 'rejected' || idea.status === 'merged') this.closedForSupport.add(idea.ideaId);
  }

  async get(ideaId: string): Promise<Idea | undefined> {
    return this.o.ideas.get(ideaId);
  }

  /** Whether the viewer submitted, supports or follows the idea (list cards). */
  async viewerState(idea: Idea, userId: string): Promise<ViewerState> {
    const closed = isFinal(idea.status);
    const [owner, key] = await Promise.all([
      this.ownerOf(idea.ideaId),
      closed ? undefined : this.o.pseudonyms.of('idea', idea.ideaId, userId),
    ]);
    const support = key === undefined ? undefined : await this.o.ideas.supportOf(idea.ideaId, key);
    return {
      own: owner === userId,
      supported: support?.supported === true,
      following: support?.following === true,
      closed: closed || key === undefined,
    };
  }

  /**
   * A supporter asks for news of the idea's status changes (or stops): their id, sealed for this
   * idea alone, is put on (or taken off) their own support row. Only supporters can follow.
   */
  async follow(ideaId: string, userId: string, want: boolean): Promise<FollowResult> {
    const idea = await this.o.ideas.get(ideaId);
    if (!idea) return { kind: 'not_found' };
    if ((await this.ownerOf(ideaId)) === userId) return { kind: 'own', idea };
    const key = isFinal(idea.status) ? undefined : await this.o.pseudonyms.of('idea', ideaId, userId);
    if (key === undefined) return { kind: 'closed', idea };
    const sealed = want ? this.o.keys.seal('idea-followers', userId, ideaId) : undefined;
    if (!(await this.o.ideas.setFollower(ideaId, key, sealed))) return { kind: 'not_supported', idea };
    return { kind: 'ok', idea, following: want };
  }

  /**
   * Sets this person's support to `want` (idempotent: a double click changes nothing) and brings the
   * idea's count up to date. The count is recomputed from the support rows and written with the
   * idea's ETag, retried on conflict, so concurrent supporters are all counted.
   */
  async support(ideaId: string, userId: string, want: boolean): Promise<SupportResult> {
    const idea = await this.o.ideas.get(ideaId);
    if (!idea) return { kind: 'not_found' };
    if ((await this.ownerOf(ideaId)) === userId) return { kind: 'own', idea };
    const key = isFinal(idea.status) ? undefined : await this.o.pseudonyms.of('idea', ideaId, userId);
    if (key === undefined) return { kind: 'closed', idea };
    if (want) await this.o.ideas.addSupport(ideaId, key);
    else await this.o.ideas.removeSupport(ideaId, key);
    const supportCount = await this.syncSupportCount(ideaId);
    return { kind: 'ok', idea: { ...idea, supportCount }, supported: want };
  }

  private async syncSupportCount(ideaId: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const idea = await this.o.ideas.get(ideaId);
      if (!idea) return 0;
      const count = await this.o.ideas.countSupports(ideaId);
      if (count === idea.supportCount) return count;
      try {
        await this.o.ideas.updateSupportCount(ideaId, count, idea.etag);
        return count;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
  }

  /** A page of ideas: newest first through continuation tokens, or most supported first. */
  async list(
    filter: IdeaFilter,
    sort: 'newest' | 'support',
    token: string | undefined,
  ): Promise<{ ideas: Idea[]; next: string | undefined }> {
    if (sort === 'newest') return this.o.ideas.page(filter, PAGE_SIZE, token || undefined);
    // Table Storage cannot order by a property: read the matching ideas and sort them here.
    const all: Idea[] = [];
    for await (const idea of this.o.ideas.list(filter)) all.push(idea);
    all.sort((a, b) => b.supportCount - a.supportCount || b.createdAt.getTime() - a.createdAt.getTime());
    const offset = Math.max(0, Number(/^o(\d{1,6})$/.exec(token ?? '')?.[1] ?? 0));
    const ideas = all.slice(offset, offset + PAGE_SIZE);
    return { ideas, next: offset + PAGE_SIZE < all.length ? `o${offset + PAGE_SIZE}` : undefined };
  }

  /**
   * The user's ideas: every owner link is opened in turn (links are sealed per idea, so nothing
   * else finds them). Anonymous ideas appear while they are open; named ones always.
   */
  async mine(userId: string): Promise<Idea[]> {
    const ideas = await Promise.all((await this.myIdeaIds(userId)).map((id) => this.o.ideas.get(id)));
    return ideas.filter((i): i is Idea & { etag: string } => i !== undefined);
  }

  /** A page of the user's ideas, newest first ("meine ideen"); `token` from the previous page. */
  async myIdeas(
    userId: string,
    token: string | undefined,
  ): Promise<{ ideas: Idea[]; next: string | undefined }> {
    const ids = await this.myIdeaIds(userId);
    const offset = Math.max(0, Number(/^o(\d{1,6})$/.exec(token ?? '')?.[1] ?? 0));
    const ideas = await Promise.all(ids.slice(offset, offset + PAGE_SIZE).map((id) => this.o.ideas.get(id)));
    return {
      ideas: ideas.filter((i): i is Idea & { etag: string } => i !== undefined),
      next: offset + PAGE_SIZE < ids.length ? `o${offset + PAGE_SIZE}` : undefined,
    };
  }

  /** The ids of the user's ideas, newest first (an idea id starts with its inverted time). */
  private async myIdeaIds(userId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const link of this.o.ideas.owners()) {
      if (this.o.keys.open('idea-owners', link.sealedUserId, link.ideaId)?.toString('utf8') === userId) {
        ids.push(link.ideaId);
      }
    }
    return ids.sort();
  }

  async history(ideaId: string): Promise<IdeaHistoryEntry[]> {
    return this.o.ideas.history(ideaId);
  }

  /** An officer moves an idea on; the card names the status it showed (`from`) to catch stale cards. */
  async setStatus(
    ideaId: string,
    officer: { id: string; name: string },
    from: string,
    data: { status?: unknown; feedback?: unknown },
  ): Promise<SetStatusResult> {
    let idea = await this.o.ideas.get(ideaId);
    if (!idea) return { kind: 'not_found' };
    if (idea.status !== from) return { kind: 'stale', idea };
    if (isFinal(idea.status)) return { kind: 'invalid', idea, problem: 'final' };
    const to = data.status;
    if (typeof to !== 'string' || !(TRANSITIONS[idea.status] as readonly string[]).includes(to)) {
      return { kind: 'invalid', idea, problem: 'status' };
    }
    const feedback = typeof data.feedback === 'string' ? cleanText(data.feedback).slice(0, FEEDBACK_MAX) : '';
    if (data.feedback !== undefined && typeof data.feedback !== 'string')
      return { kind: 'invalid', idea, problem: 'feedback' };
    if (to === 'rejected' && feedback === '') return { kind: 'invalid', idea, problem: 'feedback' };
    const now = this.o.clock.now();
    // A review conflicts only with another review: when the row changed because colleagues supported
    // the idea meanwhile (its count moved), the status is still the one the officer saw, and the save
    // is tried again on the fresh row.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.o.ideas.updateStatus(ideaId, to as IdeaStatus, now, idea.etag);
        break;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        const fresh = await this.o.ideas.get(ideaId);
        if (!fresh || fresh.status !== from || attempt >= 20) return { kind: 'stale', idea: fresh ?? idea };
        idea = fresh;
      }
    }
    const entry: IdeaHistoryEntry = {
      at: now,
      from: idea.status,
      to: to as IdeaStatus,
      byId: officer.id,
      byName: officer.name,
      feedback,
    };
    await this.o.ideas.addHistory(ideaId, entry);
    const updated: Idea = { ...idea, status: to as IdeaStatus, updatedAt: now };
    if (updated.status === 'rejected') this.closedForSupport.add(ideaId);
    const notified = await this.notifySubmitter(updated, entry);
    // The status is saved whatever happens here; a failure is logged loudly rather than shown as a
    // failed review (the officer's retry would only meet a "stale" card).
    await this.o.news
      ?.statusChanged(ideaId, updated.status)
      .catch((err: unknown) =>
        this.o.logger.error({ err, ideaId, status: updated.status }, 'could not record the idea news'),
      );
    // A final status ends supports: the idea's secret goes, and with it who supported.
    if (isFinal(updated.status)) await this.o.pseudonyms.destroy('idea', ideaId);
    this.o.logger.info({ ideaId, from: idea.status, to, notified }, 'idea status changed');
    return { kind: 'saved', idea: updated, notified };
  }

  /** Tells the submitter; the link to an anonymous idea's submitter is deleted once it is closed. */
  private async notifySubmitter(idea: Idea, entry: IdeaHistoryEntry): Promise<boolean> {
    const ownerId = await this.ownerOf(idea.ideaId);
    let notified = false;
    const owner: UserRecord | undefined = ownerId ? await this.o.users.get(ownerId) : undefined;
    if (owner) {
      try {
        const locale = resolveLocale(owner, owner.teamsLocale, this.o.defaultLocale);
        await this.o.messenger.send(owner.reference, this.o.renderStatusNotice(idea, entry, locale));
        notified = true;
      } catch (err) {
        this.o.logger.warn({ err, ideaId: idea.ideaId }, 'could not notify the submitter');
      }
    }
    if (isFinal(idea.status) && idea.anonymous) await this.o.ideas.deleteOwner(idea.ideaId);
    return notified;
  }

  /**
   * Merges a duplicate into another idea. The duplicate gets the final status "merged" with a
   * pointer to the target; its supporters now support the target, each person once (see
   * carrySupports); its submitter is told, and so are its followers (IdeaNews); then its secret is
   * destroyed like at any final status.
   *
   * Refused: into itself, a duplicate that is closed or already merged elsewhere, a target that is
   * closed or merged, and a duplicate other ideas were merged into (no chains). Safe to retry and
   * to run concurrently: the duplicate's status is written with its ETag, then the target and the
   * chain are checked again (a concurrent merge the other way has written before its own check, so
   * at least one of the two sees the other and steps back); supports are rows that exist once; the
   * history entry is created once and only its creator tells the submitter.
   */
  async merge(ideaId: string, intoId: string, officer: { id: string; name: string }): Promise<MergeResult> {
    const [found, target] = await Promise.all([this.o.ideas.get(ideaId), this.o.ideas.get(intoId)]);
    if (!found || !target) return { kind: 'not_found' };
    if (ideaId === intoId) return { kind: 'invalid', problem: 'same' };
    let dup = found;
    if (dup.status === 'merged' && dup.mergedInto?.ideaId === intoId) return this.finishMerge(dup, officer);
    if (isFinal(dup.status)) return { kind: 'invalid', problem: 'final' };
    if (target.status === 'merged') return { kind: 'invalid', problem: 'target_merged' };
    if (isFinal(target.status)) return { kind: 'invalid', problem: 'target_final' };
    if ((await this.o.ideas.mergedIntoOf(ideaId)).length > 0) return { kind: 'invalid', problem: 'chain' };
    const from = dup.status;
    const now = this.o.clock.now();
    let etag: string;
    for (let attempt = 0; ; attempt++) {
      try {
        etag = await this.o.ideas.markMerged(ideaId, { ideaId: intoId, title: target.title }, now, dup.etag);
        break;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Supports moving the count change the row too: try again while the status is the same.
        const fresh = await this.o.ideas.get(ideaId);
        if (!fresh) return { kind: 'not_found' };
        if (fresh.status === 'merged' && fresh.mergedInto?.ideaId === intoId)
          return this.finishMerge(fresh, officer);
        if (fresh.status !== from || attempt >= 20) return { kind: 'stale' };
        dup = fresh;
      }
    }
    const problem = await this.mergeBlocked(ideaId, intoId);
    if (problem) {
      await this.unmerge(ideaId, intoId, from, dup.updatedAt, etag);
      this.o.logger.info({ ideaId, intoId, problem }, 'idea merge stepped back');
      return { kind: 'stale' };
    }
    this.closedForSupport.add(ideaId);
    const merged: Idea = {
      ...dup,
      status: 'merged',
      mergedInto: { ideaId: intoId, title: target.title },
      updatedAt: now,
    };
    return this.finishMerge(merged, officer, from);
  }

  /** After the duplicate was marked: whether the target or a chain forbids the merge after all. */
  private async mergeBlocked(ideaId: string, intoId: string): Promise<MergeProblem | undefined> {
    const [target, mergedHere] = await Promise.all([
      this.o.ideas.get(intoId),
      this.o.ideas.mergedIntoOf(ideaId),
    ]);
    if (!target || target.status === 'merged') return 'target_merged';
    if (isFinal(target.status)) return 'target_final';
    return mergedHere.length > 0 ? 'chain' : undefined;
  }

  /** Takes the merged mark off again (the merge lost a race), with ETags, retried on conflict. */
  private async unmerge(
    ideaId: string,
    intoId: string,
    from: IdeaStatus,
    updatedAt: Date,
    etag: string,
  ): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await this.o.ideas.unmarkMerged(ideaId, from, updatedAt, etag);
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        const fresh = await this.o.ideas.get(ideaId);
        if (!fresh || fresh.status !== 'merged' || fresh.mergedInto?.ideaId !== intoId) return;
        etag = fresh.etag;
      }
    }
    this.o.logger.error({ ideaId, intoId }, 'could not undo an idea merge that lost a race');
  }

  /**
   * The steps after the duplicate is marked, each safe to repeat: supports carried over, the
   * target's count, the history entry (its creator tells the submitter), the followers' news, the
   * outcome recorded, the duplicate's secret destroyed.
   */
  private async finishMerge(
    dup: Idea,
    officer: { id: string; name: string },
    from?: IdeaStatus,
  ): Promise<MergeResult> {
    const again = from === undefined;
    const intoId = dup.mergedInto?.ideaId ?? '';
    const recorded = await this.o.ideas.mergeOutcome(dup.ideaId);
    if (recorded) {
      // Done before; the secret goes again in case the first call ended just before it.
      await this.o.pseudonyms.destroy('idea', dup.ideaId);
      const into = await this.o.ideas.get(intoId);
      return into ? { kind: 'merged', idea: dup, into, outcome: recorded, again } : { kind: 'not_found' };
    }
    if (again && (await this.mergeBlocked(dup.ideaId, intoId))) return { kind: 'stale' };
    const carriedOver = await this.carrySupports(dup.ideaId, intoId);
    if (!carriedOver) {
      // Another call finished this merge meanwhile (it destroyed the secret after recording).
      const done = await this.o.ideas.mergeOutcome(dup.ideaId);
      const into = await this.o.ideas.get(intoId);
      return done && into
        ? { kind: 'merged', idea: dup, into, outcome: done, again: true }
        : { kind: 'stale' };
    }
    await this.syncSupportCount(intoId);
    const before =
      from ??
      (await this.o.ideas.history(dup.ideaId)).filter((h) => h.to !== 'merged').at(-1)?.to ??
      'submitted';
    const entry: IdeaHistoryEntry = {
      at: dup.updatedAt,
      from: before,
      to: 'merged',
      byId: officer.id,
      byName: officer.name,
      feedback: '',
    };
    let notified = false;
    if (await this.o.ideas.addHistoryOnce(dup.ideaId, entry)) {
      notified = await this.notifySubmitter(dup, entry);
    } else if (dup.anonymous) await this.o.ideas.deleteOwner(dup.ideaId);
    await this.o.news
      ?.statusChanged(dup.ideaId, 'merged')
      .catch((err: unknown) =>
        this.o.logger.error({ err, ideaId: dup.ideaId }, 'could not record the idea news of a merge'),
      );
    const outcome: MergeOutcome = { ...carriedOver, notified };
    await this.o.ideas.setMergeOutcome(dup.ideaId, outcome);
    await this.o.pseudonyms.destroy('idea', dup.ideaId);
    const into = await this.o.ideas.get(intoId);
    this.o.logger.info({ ideaId: dup.ideaId, intoId, ...outcome, again }, 'idea merged');
    return into ? { kind: 'merged', idea: dup, into, outcome, again } : { kind: 'not_found' };
  }

  /**
   * Carries the duplicate's supports over to the target, once per person. A support row is keyed by
   * HMAC(idea secret, user id), so the duplicate's rows cannot be turned into the target's keys by
   * themselves; instead every person Puls knows (the users table) is tried: whoever has a row under
   * the duplicate's secret gets one under the target's secret (a row that exists already — they
   * supported both — stays one row, so they count once). A follower of the duplicate follows the
   * target too. Nothing links the two ideas' rows: the new rows look like supports of the target
   * made by hand. The target's submitter cannot support their own idea; their support of the
   * duplicate counts as already there. Undefined when the duplicate's secret is gone.
   */
  private async carrySupports(
    dupId: string,
    intoId: string,
  ): Promise<Omit<MergeOutcome, 'notified'> | undefined> {
    const ofDup = await this.o.pseudonyms.forMany('idea', dupId);
    if (!ofDup) return undefined;
    const rows = await this.o.ideas.supportRows(dupId);
    if (rows.size === 0) return { carried: 0, already: 0, unmatched: 0 };
    const ofTarget = await this.o.pseudonyms.forMany('idea', intoId);
    // The target was closed meanwhile: supports of it no longer change.
    if (!ofTarget) return { carried: 0, already: 0, unmatched: rows.size };
    const targetOwner = await this.ownerOf(intoId);
    let carried = 0;
    let already = 0;
    let matched = 0;
    for await (const user of this.o.users.list()) {
      const follower = rows.get(ofDup(user.userId));
      if (follower === undefined && !rows.has(ofDup(user.userId))) continue;
      matched++;
      if (user.userId === targetOwner) {
        already++;
        continue;
      }
      const key = ofTarget(user.userId);
      if (await this.o.ideas.addSupport(intoId, key)) carried++;
      else already++;
      if (follower !== undefined)
        await this.o.ideas.setFollower(intoId, key, this.o.keys.seal('idea-followers', user.userId, intoId));
      if (matched === rows.size) break;
    }
    return { carried, already, unmatched: rows.size - matched };
  }

  /**
   * Erasure: the person's links to their ideas go (their open ideas stay, unlinked; a named idea
   * shows "former employee" instead of the name), and so do their supports of open ideas.
   * Returns how many ideas and supports were touched.
   */
  async eraseUser(userId: string): Promise<{ ideas: number; supports: number }> {
    let ideas = 0;
    let supports = 0;
    for await (const link of this.o.ideas.owners()) {
      if (this.o.keys.open('idea-owners', link.sealedUserId, link.ideaId)?.toString('utf8') !== userId)
        continue;
      if (link.named) await this.o.ideas.eraseSubmitterName(link.ideaId);
      await this.o.ideas.deleteOwner(link.ideaId);
      ideas++;
    }
    for await (const idea of this.o.ideas.list()) {
      if (isFinal(idea.status)) continue;
      const key = await this.o.pseudonyms.of('idea', idea.ideaId, userId);
      if (key === undefined || !(await this.o.ideas.removeSupport(idea.ideaId, key))) continue;
      await this.syncSupportCount(idea.ideaId);
      supports++;
    }
    return { ideas, supports };
  }
}

function indexText(idea: Pick<Idea, 'title' | 'description'>): string {
  // The title twice: it says what the idea is about more densely than the description.
  return `${idea.title}\n${idea.title}\n${idea.description}`;
}
