// The idea tables: ideas (newest first by row key), supports (one row per supporter under the idea's
// own pseudonym; a supporter who asked for news also has their id there, sealed for that idea),
// history (every status change), and owners (idea → submitter, encrypted, one row per idea: nothing
// in any table ties two ideas of one person together).
import type { TransactionAction } from '@azure/data-tables';
import { IDEA_STATUSES, type Idea, type IdeaHistoryEntry, type IdeaStatus } from '../ideas/model';
import { deleteIfExists, getOrUndefined, mapConflict, statusOf, type TableStore } from './tables';
import { DISTRICTS, FIELDS_OF_ACTION, type District, type FieldOfAction } from '../domain/vocabulary';

const IDEA_PARTITION = 'idea';
const OWNER_PARTITION = 'owner';

interface IdeaEntity {
  partitionKey: string;
  rowKey: string;
  title: string;
  description: string;
  field: string;
  district: string;
  anonymous: boolean;
  submitterName: string;
  /** The named submitter asked for their data to be erased: shown as a former employee. */
  submitterGone?: boolean;
  status: string;
  supportCount: number;
  createdAt: Date;
  updatedAt: Date;
  /** A merged duplicate: the idea it went into, and that idea's title at the time. */
  mergedInto?: string;
  mergedIntoTitle?: string;
  /** How the merge ended (kept so that a retried merge answers the same). */
  mergeCarried?: number;
  mergeAlready?: number;
  mergeUnmatched?: number;
  mergeNotified?: boolean;
}

/** What a finished merge carried over, kept on the duplicate. */
export interface MergeOutcome {
  /** Supporters of the duplicate who now support the target (they did not before). */
  carried: number;
  /** Supporters of both: they count once, on the target. */
  already: number;
  /** Support rows whose person Puls could not find (left out, see docs/privacy.md). */
  unmatched: number;
  /** The duplicate's submitter was told. */
  notified: boolean;
}

interface SupportEntity {
  partitionKey: string;
  rowKey: string;
  /** The supporter's id sealed for this idea: set only while they want news of it. */
  follower?: string;
}

interface HistoryEntity {
  partitionKey: string;
  rowKey: string;
  at: Date;
  from: string;
  to: string;
  byId: string;
  byName: string;
  feedback: string;
}

export interface IdeaPage {
  ideas: Idea[];
  /** Continuation token for the next page (undefined on the last page). */
  next: string | undefined;
}

export interface IdeaFilter {
  field?: FieldOfAction;
  district?: District;
  status?: IdeaStatus;
}

/** The link from an idea to its submitter: the user id, sealed (encrypted) under the idea-owner key. */
export interface OwnerLink {
  ideaId: string;
  sealedUserId: string;
  /** A named idea: the link may outlive the idea's final status (the name is public anyway). */
  named: boolean;
}

/** Row keys sort ascending; an inverted timestamp puts the newest idea first. */
export function newIdeaId(now: Date, random: string): string {
  return `${(9_999_999_999_999 - now.getTime()).toString().padStart(13, '0')}-${random}`;
}

export class IdeaRepository {
  constructor(private readonly store: TableStore) {}

  async create(idea: Idea): Promise<void> {
    await mapConflict(() => this.store.client('ideas').createEntity<IdeaEntity>(toEntity(idea)));
  }

  async get(ideaId: string): Promise<(Idea & { etag: string }) | undefined> {
    if (!/^[0-9a-z-]{1,40}$/.test(ideaId)) return undefined;
    const e = await getOrUndefined(() =>
      this.store.client('ideas').getEntity<IdeaEntity>(IDEA_PARTITION, ideaId),
    );
    return e ? { ...toIdea(e), etag: e.etag } : undefined;
  }

  /** Writes status (and updatedAt) only if nobody changed the idea since `etag`; ConflictError otherwise. */
  async updateStatus(ideaId: string, status: IdeaStatus, at: Date, etag: string): Promise<void> {
    await mapConflict(() =>
      this.store
        .client('ideas')
        .updateEntity({ partitionKey: IDEA_PARTITION, rowKey: ideaId, status, updatedAt: at }, 'Merge', {
          etag,
        }),
    );
  }

  /**
   * Marks an idea as merged into another (only if nobody changed it since `etag`; ConflictError
   * otherwise). Returns the new ETag.
   */
  async markMerged(
    ideaId: string,
    into: { ideaId: string; title: string },
    at: Date,
    etag: string,
  ): Promise<string> {
    const res = await mapConflict(() =>
      this.store.client('ideas').updateEntity(
        {
          partitionKey: IDEA_PARTITION,
          rowKey: ideaId,
          status: 'merged',
          mergedInto: into.ideaId,
          mergedIntoTitle: into.title,
          updatedAt: at,
        },
        'Merge',
        { etag },
      ),
    );
    return res.etag ?? '';
  }

  /** Undoes markMerged (a merge that lost a race): the status it had, with the ETag markMerged gave. */
  async unmarkMerged(ideaId: string, status: IdeaStatus, updatedAt: Date, etag: string): Promise<void> {
    await mapConflict(() =>
      this.store.client('ideas').updateEntity(
        {
          partitionKey: IDEA_PARTITION,
          rowKey: ideaId,
          status,
          mergedInto: '',
          mergedIntoTitle: '',
          updatedAt,
        },
        'Merge',
        { etag },
      ),
    );
  }

  /** Records how a merge ended on the duplicate (a retried merge answers from it). */
  async setMergeOutcome(ideaId: string, outcome: MergeOutcome): Promise<void> {
    await this.store.client('ideas').updateEntity(
      {
        partitionKey: IDEA_PARTITION,
        rowKey: ideaId,
        mergeCarried: outcome.carried,
        mergeAlready: outcome.already,
        mergeUnmatched: outcome.unmatched,
        mergeNotified: outcome.notified,
      },
      'Merge',
    );
  }

  /** How a finished merge ended; undefined while it is not finished (or the idea is not merged). */
  async mergeOutcome(ideaId: string): Promise<MergeOutcome | undefined> {
    if (!/^[0-9a-z-]{1,40}$/.test(ideaId)) return undefined;
    const e = await getOrUndefined(() =>
      this.store.client('ideas').getEntity<IdeaEntity>(IDEA_PARTITION, ideaId),
    );
    if (!e || typeof e.mergeCarried !== 'number') return undefined;
    return {
      carried: e.mergeCarried,
      already: e.mergeAlready ?? 0,
      unmatched: e.mergeUnmatched ?? 0,
      notified: e.mergeNotified === true,
    };
  }

  /** The ids of the ideas merged into this one (a chain check: a target cannot itself be merged). */
  async mergedIntoOf(ideaId: string): Promise<string[]> {
    if (!/^[0-9a-z-]{1,40}$/.test(ideaId)) return [];
    const ids: string[] = [];
    const rows = this.store.client('ideas').listEntities<IdeaEntity>({
      queryOptions: {
        filter: `PartitionKey eq '${IDEA_PARTITION}' and mergedInto eq '${ideaId}'`,
        select: ['RowKey'],
      },
    });
    for await (const e of rows) ids.push(e.rowKey);
    return ids;
  }

  /** Erasure: the name of a named idea goes; it is shown as a former employee's. */
  async eraseSubmitterName(ideaId: string): Promise<void> {
    await this.store
      .client('ideas')
      .updateEntity(
        { partitionKey: IDEA_PARTITION, rowKey: ideaId, submitterName: '', submitterGone: true },
        'Merge',
      );
  }

  async updateSupportCount(ideaId: string, supportCount: number, etag: string): Promise<void> {
    await mapConflict(() =>
      this.store
        .client('ideas')
        .updateEntity({ partitionKey: IDEA_PARTITION, rowKey: ideaId, supportCount }, 'Merge', { etag }),
    );
  }

  /** One page of ideas, newest first, through the table's continuation tokens. */
  async page(filter: IdeaFilter, pageSize: number, token: string | undefined): Promise<IdeaPage> {
    const pages = this.store
      .client('ideas')
      .listEntities<IdeaEntity>({ queryOptions: { filter: filterOf(filter) } })
      .byPage({ maxPageSize: pageSize, continuationToken: token });
    const { value, done } = await pages.next();
    if (done || !value) return { ideas: [], next: undefined };
    return { ideas: value.map(toIdea), next: value.continuationToken };
  }

  /** Every idea matching the filter (for the most-supported order and the similarity index). */
  async *list(filter: IdeaFilter = {}, changedSince?: Date): AsyncGenerator<Idea> {
    let f = filterOf(filter);
    if (changedSince) f += ` and Timestamp ge datetime'${changedSince.toISOString()}'`;
    for await (const e of this.store
      .client('ideas')
      .listEntities<IdeaEntity>({ queryOptions: { filter: f } })) {
      yield toIdea(e);
    }
  }

  // --- supports -------------------------------------------------------------------------------

  /** Adds a support; false when this supporter supported already. */
  async addSupport(ideaId: string, supporterKey: string): Promise<boolean> {
    try {
      await this.store.client('ideasupports').createEntity({ partitionKey: ideaId, rowKey: supporterKey });
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false;
      throw err;
    }
  }

  async removeSupport(ideaId: string, supporterKey: string): Promise<boolean> {
    return deleteIfExists(() => this.store.client('ideasupports').deleteEntity(ideaId, supporterKey));
  }

  async hasSupport(ideaId: string, supporterKey: string): Promise<boolean> {
    return (await this.supportOf(ideaId, supporterKey)).supported;
  }

  /** Whether this supporter supports the idea, and whether they asked to hear of its status changes. */
  async supportOf(ideaId: string, supporterKey: string): Promise<{ supported: boolean; following: boolean }> {
    const e = await getOrUndefined(() =>
      this.store.client('ideasupports').getEntity<SupportEntity>(ideaId, supporterKey),
    );
    return { supported: e !== undefined, following: typeof e?.follower === 'string' && e.follower !== '' };
  }

  /**
   * Puts a supporter's sealed id on their support row (they hear of status changes), or with
   * `undefined` takes it off again. False when there is no such support.
   */
  async setFollower(
    ideaId: string,
    supporterKey: string,
    sealedUserId: string | undefined,
  ): Promise<boolean> {
    const client = this.store.client('ideasupports');
    const keys = { partitionKey: ideaId, rowKey: supporterKey };
    try {
      // Replace without the column removes it: a Merge cannot delete a property.
      if (sealedUserId === undefined) await client.updateEntity(keys, 'Replace');
      else await client.updateEntity({ ...keys, follower: sealedUserId }, 'Merge');
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }

  /** The sealed ids of the supporters who asked for news of an idea. */
  async *followers(ideaId: string): AsyncGenerator<string> {
    const rows = this.store.client('ideasupports').listEntities<SupportEntity>({
      queryOptions: { filter: `PartitionKey eq '${ideaId}'`, select: ['RowKey', 'follower'] },
    });
    for await (const e of rows) if (typeof e.follower === 'string' && e.follower !== '') yield e.follower;
  }

  /** Takes every sealed id off an idea's support rows (the supports stay). Returns how many. */
  async forgetFollowers(ideaId: string): Promise<number> {
    const client = this.store.client('ideasupports');
    const keys: string[] = [];
    const rows = client.listEntities<SupportEntity>({
      queryOptions: { filter: `PartitionKey eq '${ideaId}'`, select: ['RowKey', 'follower'] },
    });
    for await (const e of rows) if (e.follower) keys.push(e.rowKey);
    for (let i = 0; i < keys.length; i += 100) {
      await client.submitTransaction(
        keys
          .slice(i, i + 100)
          .map((rowKey): TransactionAction => ['update', { partitionKey: ideaId, rowKey }, 'Replace']),
      );
    }
    return keys.length;
  }

  /** Every support row of an idea: the supporter's key and their sealed id when they follow it. */
  async supportRows(ideaId: string): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    const rows = this.store.client('ideasupports').listEntities<SupportEntity>({
      queryOptions: { filter: `PartitionKey eq '${ideaId}'`, select: ['RowKey', 'follower'] },
    });
    for await (const e of rows) out.set(e.rowKey, e.follower ? e.follower : undefined);
    return out;
  }

  async countSupports(ideaId: string): Promise<number> {
    let n = 0;
    const rows = this.store.client('ideasupports').listEntities({
      queryOptions: { filter: `PartitionKey eq '${ideaId}'`, select: ['RowKey'] },
    });
    for await (const _row of rows) n++;
    return n;
  }

  // --- history ------------------------------------------------------------------------------

  async addHistory(ideaId: string, entry: IdeaHistoryEntry): Promise<void> {
    await this.store.client('ideahistory').upsertEntity(historyEntity(ideaId, entry), 'Replace');
  }

  /**
   * Adds a history entry only if it is not there yet (same time and status): true for the one
   * caller that wrote it, so that what follows the entry (telling the submitter) happens once.
   */
  async addHistoryOnce(ideaId: string, entry: IdeaHistoryEntry): Promise<boolean> {
    try {
      await this.store.client('ideahistory').createEntity(historyEntity(ideaId, entry));
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false;
      throw err;
    }
  }

  async history(ideaId: string): Promise<IdeaHistoryEntry[]> {
    const out: IdeaHistoryEntry[] = [];
    for await (const { entry } of this.historyRows(`PartitionKey eq '${ideaId}'`)) out.push(entry);
    return out;
  }

  /** Status changes (not submissions) since a time, across all ideas: the digest's week. */
  statusChangesSince(since: Date): AsyncGenerator<{ ideaId: string; entry: IdeaHistoryEntry }> {
    return this.historyRows(`at ge datetime'${since.toISOString()}' and from ne ''`);
  }

  private async *historyRows(filter: string): AsyncGenerator<{ ideaId: string; entry: IdeaHistoryEntry }> {
    const rows = this.store.client('ideahistory').listEntities<HistoryEntity>({ queryOptions: { filter } });
    for await (const r of rows) {
      const to = asStatus(r.to);
      if (!to) continue;
      yield {
        ideaId: r.partitionKey,
        entry: {
          at: new Date(r.at),
          from: asStatus(r.from),
          to,
          byId: r.byId,
          byName: r.byName,
          feedback: r.feedback,
        },
      };
    }
  }

  // --- owners: who submitted an idea, sealed; kept while it is open (named ideas: until erasure) -

  async setOwner(link: OwnerLink): Promise<void> {
    await this.store.client('ideaowners').upsertEntity(
      {
        partitionKey: OWNER_PARTITION,
        rowKey: link.ideaId,
        sealedUserId: link.sealedUserId,
        named: link.named,
      },
      'Replace',
    );
  }

  async getOwner(ideaId: string): Promise<OwnerLink | undefined> {
    if (!/^[0-9a-z-]{1,40}$/.test(ideaId)) return undefined;
    const e = await getOrUndefined(() =>
      this.store
        .client('ideaowners')
        .getEntity<{ sealedUserId?: string; named?: boolean }>(OWNER_PARTITION, ideaId),
    );
    return e?.sealedUserId ? { ideaId, sealedUserId: e.sealedUserId, named: e.named === true } : undefined;
  }

  /** Every owner link (to find one person's ideas, each link is opened in turn). */
  async *owners(): AsyncGenerator<OwnerLink> {
    const rows = this.store.client('ideaowners').listEntities<{ sealedUserId?: string; named?: boolean }>({
      queryOptions: { filter: `PartitionKey eq '${OWNER_PARTITION}'` },
    });
    for await (const e of rows) {
      if (e.sealedUserId)
        yield { ideaId: String(e.rowKey), sealedUserId: e.sealedUserId, named: e.named === true };
    }
  }

  async deleteOwner(ideaId: string): Promise<void> {
    await deleteIfExists(() => this.store.client('ideaowners').deleteEntity(OWNER_PARTITION, ideaId));
  }
}

function historyEntity(ideaId: string, entry: IdeaHistoryEntry): HistoryEntity {
  return {
    partitionKey: ideaId,
    // Time, then the target status: statuses only move forward, so this orders entries made in
    // the same millisecond too, and a status reached twice (a retried write) keeps one row.
    rowKey: `${entry.at.getTime().toString().padStart(15, '0')}-${IDEA_STATUSES.indexOf(entry.to)}`,
    at: entry.at,
    from: entry.from ?? '',
    to: entry.to,
    byId: entry.byId,
    byName: entry.byName,
    feedback: entry.feedback,
  };
}

function filterOf(filter: IdeaFilter): string {
  const parts = [`PartitionKey eq '${IDEA_PARTITION}'`];
  // Values come from closed lists (enums) or a hex pseudonym, never from free text.
  if (filter.field) parts.push(`field eq '${filter.field}'`);
  if (filter.district) parts.push(`district eq '${filter.district}'`);
  if (filter.status) parts.push(`status eq '${filter.status}'`);
  return parts.join(' and ');
}

function asStatus(s: string): IdeaStatus | undefined {
  return (IDEA_STATUSES as readonly string[]).includes(s) ? (s as IdeaStatus) : undefined;
}

function toEntity(idea: Idea): IdeaEntity {
  return {
    partitionKey: IDEA_PARTITION,
    rowKey: idea.ideaId,
    title: idea.title,
    description: idea.description,
    field: idea.field,
    district: idea.district ?? '',
    anonymous: idea.anonymous,
    submitterName: idea.anonymous ? '' : (idea.submitterName ?? ''),
    submitterGone: idea.submitterGone === true,
    status: idea.status,
    supportCount: idea.supportCount,
    createdAt: idea.createdAt,
    updatedAt: idea.updatedAt,
  };
}

function toIdea(e: IdeaEntity): Idea {
  return {
    ideaId: e.rowKey,
    title: e.title,
    description: e.description,
    field: (FIELDS_OF_ACTION as readonly string[]).includes(e.field)
      ? (e.field as FieldOfAction)
      : 'sonstiges',
    district: (DISTRICTS as readonly string[]).includes(e.district) ? (e.district as District) : undefined,
    anonymous: e.anonymous === true,
    submitterName: e.anonymous ? undefined : e.submitterName || undefined,
    submitterGone: e.submitterGone === true,
    status: asStatus(e.status) ?? 'submitted',
    supportCount: typeof e.supportCount === 'number' ? e.supportCount : 0,
    ...(e.status === 'merged' && e.mergedInto
      ? { mergedInto: { ideaId: e.mergedInto, title: e.mergedIntoTitle ?? '' } }
      : {}),
    createdAt: new Date(e.createdAt),
    updatedAt: new Date(e.updatedAt),
  };
}
