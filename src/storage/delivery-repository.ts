// The deliveries table: one row per recipient per run — was the card sent (pending / sent / failed,
// with the error), and did the person answer (yes/no only, never what). Sharded by run + bucket.
import type { TransactionAction } from '@azure/data-tables';
import {
  bucketKey,
  bucketOf,
  decodeKey,
  encodeKey,
  getOrUndefined,
  deletePartitions,
  mergePages,
  type TableStore,
} from './tables';

export const DELIVERY_BUCKETS = 16;

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

export interface DeliveryRecord {
  runId: string;
  userId: string;
  status: DeliveryStatus;
  error: string | undefined;
  activityId: string | undefined;
  answered: boolean;
}

export interface DeliveryCounts {
  recipients: number;
  pending: number;
  sent: number;
  failed: number;
  answered: number;
}

interface DeliveryEntity {
  partitionKey: string;
  rowKey: string;
  status?: string;
  error?: string;
  activityId?: string;
  answered?: boolean;
  updatedAt?: Date;
}

function partition(runId: string, userId: string): string {
  return bucketKey(encodeKey(runId), bucketOf(userId, DELIVERY_BUCKETS));
}

export class DeliveryRepository {
  constructor(private readonly store: TableStore) {}

  async markSent(runId: string, userId: string, activityId: string | undefined, now: Date): Promise<void> {
    await this.merge(runId, userId, {
      status: 'sent',
      activityId: activityId ?? '',
      error: '',
      updatedAt: now,
    });
  }

  async markFailed(runId: string, userId: string, error: string, now: Date): Promise<void> {
    await this.merge(runId, userId, { status: 'failed', error: error.slice(0, 500), updatedAt: now });
  }

  /**
   * Participation only ("answered: yes", never what), for many people at once: one transaction per
   * partition and 100 rows (Table Storage's limits), the partitions in parallel. Creates a row that
   * does not exist yet.
   */
  async markAnsweredMany(items: readonly { runId: string; userId: string }[]): Promise<void> {
    const byPartition = new Map<string, Map<string, TransactionAction>>();
    for (const { runId, userId } of items) {
      const partitionKey = partition(runId, userId);
      const rowKey = encodeKey(userId);
      let rows = byPartition.get(partitionKey);
      if (!rows) byPartition.set(partitionKey, (rows = new Map()));
      rows.set(rowKey, ['upsert', { partitionKey, rowKey, answered: true }, 'Merge']);
    }
    const client = this.store.client('deliveries');
    await Promise.all(
      [...byPartition.values()].map(async (rows) => {
        const actions = [...rows.values()];
        for (let i = 0; i < actions.length; i += 100)
          await client.submitTransaction(actions.slice(i, i + 100));
      }),
    );
  }

  async get(runId: string, userId: string): Promise<DeliveryRecord | undefined> {
    const e = await getOrUndefined(() =>
      this.store.client('deliveries').getEntity<DeliveryEntity>(partition(runId, userId), encodeKey(userId)),
    );
    return e ? toRecord(runId, e) : undefined;
  }

  async *listByRun(runId: string): AsyncGenerator<DeliveryRecord> {
    const client = this.store.client('deliveries');
    const iterators = Array.from({ length: DELIVERY_BUCKETS }, (_, b) =>
      client
        .listEntities<DeliveryEntity>({
          queryOptions: { filter: `PartitionKey eq '${bucketKey(encodeKey(runId), b)}'` },
        })
        .byPage({ maxPageSize: 1000 }),
    );
    yield* mergePages(iterators, (e) => toRecord(runId, e));
  }

  /** Retention: deletes every delivery row of a run (who was asked, who answered). */
  async deleteRun(runId: string): Promise<number> {
    return deletePartitions(
      this.store.client('deliveries'),
      Array.from({ length: DELIVERY_BUCKETS }, (_, b) => bucketKey(encodeKey(runId), b)),
    );
  }

  /** The run's figures: only the two columns they need are read, the shards in parallel. */
  async counts(runId: string): Promise<DeliveryCounts> {
    const counts: DeliveryCounts = { recipients: 0, pending: 0, sent: 0, failed: 0, answered: 0 };
    const client = this.store.client('deliveries');
    const iterators = Array.from({ length: DELIVERY_BUCKETS }, (_, b) =>
      client
        .listEntities<DeliveryEntity>({
          queryOptions: {
            filter: `PartitionKey eq '${bucketKey(encodeKey(runId), b)}'`,
            select: ['status', 'answered'],
          },
        })
        .byPage({ maxPageSize: 1000 }),
    );
    for await (const e of mergePages(iterators, (e) => e)) {
      counts.recipients++;
      counts[statusOf(e.status)]++;
      if (e.answered === true) counts.answered++;
    }
    return counts;
  }

  private async merge(
    runId: string,
    userId: string,
    fields: Omit<DeliveryEntity, 'partitionKey' | 'rowKey'>,
  ) {
    await this.store
      .client('deliveries')
      .upsertEntity(
        { partitionKey: partition(runId, userId), rowKey: encodeKey(userId), ...fields },
        'Merge',
      );
  }
}

/** The outbox's working states (sending, retry) count as pending until they end. */
function statusOf(status: string | undefined): DeliveryStatus {
  return status === 'failed'
    ? 'failed'
    : status === 'pending' || status === 'sending' || status === 'retry'
      ? 'pending'
      : 'sent';
}

function toRecord(runId: string, e: DeliveryEntity): DeliveryRecord {
  return {
    runId,
    userId: decodeKey(e.rowKey),
    status: statusOf(e.status),
    error: e.error || undefined,
    activityId: e.activityId || undefined,
    answered: e.answered === true,
  };
}
