// The directory table: what audiences need from Entra ID and nothing more. Per enabled member account
// (guests and disabled accounts have no row) its object id and district (or none); per person a
// proactive installation could not reach, the reason; and one sync record: who holds the sync lease
// (ETag-guarded, so that one instance syncs for all) and Graph's delta link for the next round.
// User rows are sharded over DIRECTORY_BUCKETS partitions like the users table.
import { odata, type TransactionAction } from '@azure/data-tables';
import { DISTRICTS, type District } from '../domain/vocabulary';
import {
  bucketKey,
  bucketOf,
  decodeKey,
  deleteIfExists,
  encodeKey,
  getOrUndefined,
  mapConflict,
  mergePages,
  statusOf,
  type TableStore,
} from './tables';

export const DIRECTORY_BUCKETS = 32;
const SYNC_PARTITION = 'sync';
const SYNC_ROW = 'state';
/** Writes in flight at once when many rows change (batches of one partition each, or single deletes). */
const WRITE_CONCURRENCY = 16;

export interface DirectoryUser {
  /** Entra object id, lower case. */
  userId: string;
  district: District | undefined;
}

/** Why a proactive installation could not reach a person. */
export type UnreachableReason = 'no_teams_licence' | 'not_found' | 'refused';

export interface UnreachableRecord {
  reason: UnreachableReason;
  at: Date;
}

export interface SyncState {
  /** The instance that holds (or last held) the lease; '' when released. */
  holder: string;
  leaseExpiresAt: Date;
  /** Graph's link for the next delta round; undefined before the first full sync. */
  deltaLink: string | undefined;
  /** What the rows were computed with (attribute + mapping version); another key means a full sync. */
  configKey: string | undefined;
  lastCompletedAt: Date | undefined;
  lastFullAt: Date | undefined;
  etag: string;
}

interface UserEntity {
  partitionKey: string;
  rowKey: string;
  district?: string;
}

interface SyncEntity {
  partitionKey: string;
  rowKey: string;
  holder?: string;
  leaseExpiresAt?: Date;
  deltaLink?: string;
  configKey?: string;
  lastCompletedAt?: Date;
  lastFullAt?: Date;
}

const userPartition = (userId: string) => bucketKey('u', bucketOf(userId, DIRECTORY_BUCKETS));
const unreachablePartition = (userId: string) => bucketKey('x', bucketOf(userId, DIRECTORY_BUCKETS));

export class DirectoryRepository {
  constructor(private readonly store: TableStore) {}

  private get client() {
    return this.store.client('directory');
  }

  async get(userId: string): Promise<DirectoryUser | undefined> {
    const id = userId.toLowerCase();
    const e = await getOrUndefined(() => this.client.getEntity<UserEntity>(userPartition(id), encodeKey(id)));
    return e ? toUser(e) : undefined;
  }

  /** Creates or replaces rows, in one transaction per partition and 100 rows. */
  async upsertMany(users: readonly DirectoryUser[]): Promise<void> {
    const byPartition = new Map<string, Map<string, TransactionAction>>();
    for (const u of users) {
      const id = u.userId.toLowerCase();
      const partitionKey = userPartition(id);
      const rowKey = encodeKey(id);
      let rows = byPartition.get(partitionKey);
      if (!rows) byPartition.set(partitionKey, (rows = new Map()));
      rows.set(rowKey, ['upsert', { partitionKey, rowKey, district: u.district ?? '' }, 'Replace']);
    }
    const batches: TransactionAction[][] = [];
    for (const rows of byPartition.values()) {
      const actions = [...rows.values()];
      for (let i = 0; i < actions.length; i += 100) batches.push(actions.slice(i, i + 100));
    }
    await inPool(batches, WRITE_CONCURRENCY, (batch) =>
      this.client.submitTransaction(batch).then(() => undefined),
    );
  }

  /** Deletes rows (and any unreachable record) of people who left the audience pool; missing rows are fine. */
  async deleteMany(userIds: readonly string[]): Promise<number> {
    let deleted = 0;
    await inPool(userIds, WRITE_CONCURRENCY, async (userId) => {
      const id = userId.toLowerCase();
      if (await deleteIfExists(() => this.client.deleteEntity(userPartition(id), encodeKey(id)))) deleted++;
      await deleteIfExists(() => this.client.deleteEntity(unreachablePartition(id), encodeKey(id)));
    });
    return deleted;
  }

  /** Every directory user, or those in the given districts; the shards are read in parallel. */
  async *list(filter: { districts?: readonly District[] } = {}): AsyncGenerator<DirectoryUser> {
    const districts = filter.districts;
    if (districts && districts.length === 0) return;
    const districtFilter = districts
      ? ` and (${districts.map((d) => odata`district eq ${d}`).join(' or ')})`
      : '';
    const iterators = Array.from({ length: DIRECTORY_BUCKETS }, (_, b) =>
      this.client
        .listEntities<UserEntity>({
          queryOptions: {
            filter: `PartitionKey eq '${bucketKey('u', b)}'${districtFilter}`,
            select: ['RowKey', 'district'],
          },
        })
        .byPage({ maxPageSize: 1000 }),
    );
    yield* mergePages(iterators, toUser);
  }

  async count(): Promise<number> {
    let n = 0;
    for await (const _u of this.list()) n++;
    return n;
  }

  /** Records that a person cannot be reached through Teams (kept until the person is reached or leaves). */
  async markUnreachable(userId: string, reason: UnreachableReason, now: Date): Promise<void> {
    const id = userId.toLowerCase();
    await this.client.upsertEntity(
      { partitionKey: unreachablePartition(id), rowKey: encodeKey(id), reason, at: now },
      'Replace',
    );
  }

  async clearUnreachable(userId: string): Promise<void> {
    const id = userId.toLowerCase();
    await deleteIfExists(() => this.client.deleteEntity(unreachablePartition(id), encodeKey(id)));
  }

  /** Everyone recorded as unreachable, with the reason. */
  async unreachable(): Promise<Map<string, UnreachableRecord>> {
    const iterators = Array.from({ length: DIRECTORY_BUCKETS }, (_, b) =>
      this.client
        .listEntities<{ partitionKey: string; rowKey: string; reason?: string; at?: Date }>({
          queryOptions: {
            filter: `PartitionKey eq '${bucketKey('x', b)}'`,
            select: ['RowKey', 'reason', 'at'],
          },
        })
        .byPage({ maxPageSize: 1000 }),
    );
    const result = new Map<string, UnreachableRecord>();
    for await (const [id, record] of mergePages(iterators, (e) => [decodeKey(e.rowKey), e] as const)) {
      const reason = (['no_teams_licence', 'not_found', 'refused'] as const).find((r) => r === record.reason);
      result.set(id, { reason: reason ?? 'refused', at: new Date(record.at ?? 0) });
    }
    return result;
  }

  // --- the sync record ----------------------------------------------------------------------------

  async getSyncState(): Promise<SyncState | undefined> {
    const e = await getOrUndefined(() => this.client.getEntity<SyncEntity>(SYNC_PARTITION, SYNC_ROW));
    return e
      ? {
          holder: e.holder ?? '',
          leaseExpiresAt: new Date(e.leaseExpiresAt ?? 0),
          deltaLink: e.deltaLink || undefined,
          configKey: e.configKey || undefined,
          lastCompletedAt: e.lastCompletedAt ? new Date(e.lastCompletedAt) : undefined,
          lastFullAt: e.lastFullAt ? new Date(e.lastFullAt) : undefined,
          etag: e.etag,
        }
      : undefined;
  }

  /**
   * Takes the sync lease for `ttlMs`: creates the record, or takes it when its lease has run out (the
   * holder finished or died). Returns the lease's ETag, or undefined when another instance holds it.
   */
  async claimSync(instanceId: string, now: Date, ttlMs: number): Promise<string | undefined> {
    const fields = { holder: instanceId, leaseExpiresAt: new Date(now.getTime() + ttlMs) };
    try {
      const res = await this.client.createEntity<SyncEntity>({
        partitionKey: SYNC_PARTITION,
        rowKey: SYNC_ROW,
        ...fields,
      });
      return res.etag;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const current = await this.getSyncState();
    if (!current || current.leaseExpiresAt.getTime() > now.getTime()) return undefined;
    try {
      const res = await mapConflict(() =>
        this.client.updateEntity({ partitionKey: SYNC_PARTITION, rowKey: SYNC_ROW, ...fields }, 'Merge', {
          etag: current.etag,
        }),
      );
      return res.etag;
    } catch {
      return undefined; // another instance took it first
    }
  }

  /** Extends a held lease; throws ConflictError when it was lost (taken over after it ran out). */
  async renewSync(etag: string, now: Date, ttlMs: number): Promise<string> {
    const res = await mapConflict(() =>
      this.client.updateEntity(
        { partitionKey: SYNC_PARTITION, rowKey: SYNC_ROW, leaseExpiresAt: new Date(now.getTime() + ttlMs) },
        'Merge',
        { etag },
      ),
    );
    return res.etag!;
  }

  /** Stores the round's result and releases the lease (guarded: a lost lease cannot overwrite). */
  async finishSync(
    etag: string,
    result: { deltaLink: string; configKey: string; full: boolean },
    now: Date,
  ): Promise<void> {
    await mapConflict(() =>
      this.client.updateEntity(
        {
          partitionKey: SYNC_PARTITION,
          rowKey: SYNC_ROW,
          holder: '',
          leaseExpiresAt: now,
          deltaLink: result.deltaLink,
          configKey: result.configKey,
          lastCompletedAt: now,
          ...(result.full ? { lastFullAt: now } : {}),
        },
        'Merge',
        { etag },
      ),
    );
  }

  /** Gives the lease up after a failed round (the delta link stays as it was). */
  async releaseSync(etag: string, now: Date): Promise<void> {
    try {
      await mapConflict(() =>
        this.client.updateEntity(
          { partitionKey: SYNC_PARTITION, rowKey: SYNC_ROW, holder: '', leaseExpiresAt: now },
          'Merge',
          { etag },
        ),
      );
    } catch {
      // lost already: nothing to give up
    }
  }
}

function toUser(e: { rowKey: string; district?: string }): DirectoryUser {
  const district = (DISTRICTS as readonly string[]).includes(e.district ?? '')
    ? (e.district as District)
    : undefined;
  return { userId: decodeKey(e.rowKey), district };
}

/** Runs `task` over `items` with at most `concurrency` in flight; the first error rejects. */
async function inPool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}
