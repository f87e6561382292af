// Innovation ideas: submit (validated, similar ideas first), browse, support (once per person,
// concurrency-safe), review by officers (status with history), and tell the submitter.
//
// Privacy: an idea's link to its submitter is the submitter's id sealed for that idea alone (a fresh
// encryption each time, so two ideas of one person look unrelated); it is deleted when an anonymous
// idea reaches a final status. Supports are rows under the idea's own pseudonyms, HMAC(idea secret,
// user id); the secret is destroyed at the final status, and the supports become anonymous.
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Clock } from '../clock';
import type { ProactiveMessenger } from '../delivery/delivery';
import { ConflictError } from '../errors';
import type { Locale } from '../i18n';
import type { Logger } from '../logger';
import type { PrivacyKeys } from '../privacy/keys';
import type { Pseudonyms } from '../privacy/pseudonyms';
import type { IdeaFilter, IdeaRepository } from '../storage/idea-repository';
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
  /** Final status: supports can no longer change. */
  closed: boolean;
}

export type SetStatusResult =
  | { kind: 'not_found' }
  | { kind: 'stale'; idea: Idea }
  | { kind: 'invalid'; idea: Idea; problem: 'status' | 'feedback' | 'final' }
  | { kind: 'saved'; idea: Idea; notified: boolean };

export interface IdeaServiceOptions {
  ideas: IdeaRepository;
  users: UserRepository;
  pseudonyms: Pseudonyms;
  keys: PrivacyKeys;
  messenger: ProactiveMessenger;
  /** The message that tells the submitter about a status change, in their language. */
  renderStatusNotice(idea: Idea, entry: IdeaHistoryEntry, locale: Locale): Partial<Activity>;
  clock: Clock;
  logger: Logger;
  defaultLocale: Locale;
}

export class IdeaService {
  private readonly index = new SimilarityIndex();
  /** Ideas not worth suggesting instead (rejected). */
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
    return ideas.filter((i): i is Idea & { etag: string } => i !== undefined && i.status !== 'rejected');
  }

  /** Loads every idea once, then only those changed since (other instances add ideas too). */
  private async refreshIndex(): Promise<void> {
    this.indexLoaded ??= (async () => {
      const started = Date.now();
      for await (const idea of this.o.ideas.list()) this.indexIdea(idea);
      this.lastSync = started;
      this.lastCheck = Date.now();
    })();
    await this.indexLoaded;
    if (Date.now() - this.lastCheck < INDEX_REFRESH_MS) return;
    const started = Date.now();
    this.lastCheck = started;
    // A few seconds of overlap covers clock skew between this machine and storage.
    for await (const idea of this.o.ideas.list({}, new Date(this.lastSync - 5000))) this.indexIdea(idea);
    this.lastSync = started;
  }

  private indexIdea(idea: Idea): void {
    this.index.add(idea.ideaId, indexText(idea));
    if (idea.status === 'rejected') this.closedForSupport.add(idea.ideaId);
  }

  async get(ideaId: string): Promise<Idea | undefined> {
    return this.o.ideas.get(ideaId);
  }

  /** Whether the viewer submitted or supports the idea (list cards). */
  async viewerState(idea: Idea, userId: string): Promise<ViewerState> {
    const closed = isFinal(idea.status);
    const [owner, key] = await Promise.all([
      this.ownerOf(idea.ideaId),
      closed ? undefined : this.o.pseudonyms.of('idea', idea.ideaId, userId),
    ]);
    return {
      own: owner === userId,
      supported: key !== undefined && (await this.o.ideas.hasSupport(idea.ideaId, key)),
      closed: closed || key === undefined,
    };
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
    const ids: string[] = [];
    for await (const link of this.o.ideas.owners()) {
      if (this.o.keys.open('idea-owners', link.sealedUserId, link.ideaId)?.toString('utf8') === userId) {
        ids.push(link.ideaId);
      }
    }
    const ideas = await Promise.all(ids.map((id) => this.o.ideas.get(id)));
    return ideas
      .filter((i): i is Idea & { etag: string } => i !== undefined)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
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
