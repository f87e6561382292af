// The digests table holds coordination records that make scheduled work happen exactly once across
// instances: one per ISO week (the digest) and one per reminder of a run. A task is claimed with an
// ETag-guarded write (or created), done by the claiming instance, and marked done after. A claim whose
// instance died expires and is taken over; a done task is never done again. Only a conflict means
// "someone else has it": any other storage error is thrown, so the caller retries or reports it.
import { ConflictError } from '../errors';
import { encodeKey, getOrUndefined, mapConflict, statusOf, type TableStore } from './tables';

export type TaskKind = 'week' | 'reminder' | 'notice';

export interface TaskRecord {
  key: string;
  status: 'claimed' | 'done';
  claimedBy: string;
  claimExpiresAt: Date;
  /** The digest's Teams id (weeks). */
  activityId: string | undefined;
  /** When it was done. */
  doneAt: Date | undefined;
  etag: string;
}

interface TaskEntity {
  partitionKey: string;
  rowKey: string;
  status: string;
  claimedBy: string;
  claimExpiresAt: Date;
  activityId?: string;
  doneAt?: Date;
}

export class DigestRepository {
  constructor(private readonly store: TableStore) {}

  async getTask(kind: TaskKind, key: string): Promise<TaskRecord | undefined> {
    const e = await getOrUndefined(() =>
      this.store.client('digests').getEntity<TaskEntity>(kind, encodeKey(key)),
    );
    return e
      ? {
          key,
          // 'posted' is what weeks said before tasks were general.
          status: e.status === 'done' || e.status === 'posted' ? 'done' : 'claimed',
          claimedBy: e.claimedBy,
          claimExpiresAt: new Date(e.claimExpiresAt),
          activityId: e.activityId || undefined,
          doneAt: e.doneAt ? new Date(e.doneAt) : undefined,
          etag: e.etag,
        }
      : undefined;
  }

  /**
   * Claims a task for this instance: creates its record, or takes over a claim that expired (its
   * instance died before finishing). Returns the claim's ETag, or undefined when another instance
   * holds it or the task is done. Storage errors other than a conflict are thrown.
   */
  async claim(
    kind: TaskKind,
    key: string,
    instanceId: string,
    now: Date,
    ttlMs: number,
  ): Promise<string | undefined> {
    const client = this.store.client('digests');
    const fields = {
      status: 'claimed',
      claimedBy: instanceId,
      claimExpiresAt: new Date(now.getTime() + ttlMs),
    };
    try {
      const res = await client.createEntity<TaskEntity>({
        partitionKey: kind,
        rowKey: encodeKey(key),
        ...fields,
      });
      return res.etag;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const current = await this.getTask(kind, key);
    if (!current || current.status === 'done' || current.claimExpiresAt.getTime() > now.getTime())
      return undefined;
    try {
      const res = await mapConflict(() =>
        client.updateEntity({ partitionKey: kind, rowKey: encodeKey(key), ...fields }, 'Merge', {
          etag: current.etag,
        }),
      );
      return res.etag;
    } catch (err) {
      if (err instanceof ConflictError) return undefined; // another instance took it over first
      throw err;
    }
  }

  /** Marks the task done (guarded by the claim's ETag: a lost claim cannot overwrite). */
  async complete(kind: TaskKind, key: string, now: Date, etag: string, activityId?: string): Promise<void> {
    await mapConflict(() =>
      this.store.client('digests').updateEntity(
        {
          partitionKey: kind,
          rowKey: encodeKey(key),
          status: 'done',
          ...(activityId !== undefined ? { activityId } : {}),
          doneAt: now,
        },
        'Merge',
        { etag },
      ),
    );
  }

  /** Retention: forgets the reminder records of a run. */
  async deleteTasks(kind: TaskKind, keyPrefix: string): Promise<number> {
    const client = this.store.client('digests');
    let n = 0;
    const prefix = encodeKey(keyPrefix);
    const rows = client.listEntities({
      queryOptions: {
        filter: `PartitionKey eq '${kind}' and RowKey ge '${prefix}' and RowKey lt '${prefix}\uffff'`,
        select: ['RowKey'],
      },
    });
    const keys: string[] = [];
    for await (const row of rows) keys.push(String(row.rowKey));
    for (const rowKey of keys) {
      try {
        await client.deleteEntity(kind, rowKey);
        n++;
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    }
    return n;
  }
}
