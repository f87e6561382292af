// The deliveries table: one row per recipient per delivery job (a run's survey card, its reminder):
// was the card sent (pending / sent / failed, with the error). Nothing here changes when someone
// answers — participation is counted from the responses. Sharded by job + bucket.
import {
  bucketKey,
  bucketOf,
  decodeKey,
  encodeKey,
  deleteIfExists,
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
}

export interface DeliveryCounts {
  recipients: number;
  pending: number;
  sent: number;
  failed: number;
}

interface DeliveryEntity {
  partitionKey: string;
  rowKey: string;
  status?: string;
  error?: string;
  activityId?: string;
  updatedAt?: Date;
}

function partition(runId: string, userId: string): string {
  return bucketKey(encodeKey(runId), bucketOf(userId, DELIVERY_BUCKETS));
}

export class DeliveryRepository {
  constructor(private readonly store: TableStore) {}

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

  /** Deletes every row of a delivery job (a run's survey card or its reminder): who was asked. */
  async deleteJob(jobId: string): Promise<number> {
    return deletePartitions(
      this.store.client('deliveries'),
      Array.from({ length: DELIVERY_BUCKETS }, (_, b) => bucketKey(encodeKey(jobId), b)),
    );
  }

  /** Erasure: deletes one person's row of a delivery job. */
  async deleteRecipient(jobId: string, userId: string): Promise<boolean> {
    return deleteIfExists(() =>
      this.store.client('deliveries').deleteEntity(partition(jobId, userId), encodeKey(userId)),
    );
  }

  /** The run's figures: only the two columns they need are read, the shards in parallel. */
  async counts(runId: string): Promise<DeliveryCounts> {
    const counts: DeliveryCounts = { recipients: 0, pending: 0, sent: 0, failed: 0 };
    const client = this.store.client('deliveries');
    const iterators = Array.from({ length: DELIVERY_BUCKETS }, (_, b) =>
      client
        .listEntities<DeliveryEntity>({
          queryOptions: {
            filter: `PartitionKey eq '${bucketKey(encodeKey(runId), b)}'`,
            select: ['status'],
          },
        })
        .byPage({ maxPageSize: 1000 }),
    );
    for await (const e of mergePages(iterators, (e) => e)) {
      counts.recipients++;
      counts[statusOf(e.status)]++;
    }
    return counts;
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
  };
}
