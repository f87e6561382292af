// The outbox: the delivery rows seen as work. Each row carries what is needed to send (the
// conversation reference and language) plus attempts, the next attempt time and a claim, so that
// sending is driven from storage: a crash loses nothing, and instances share a job through ETag-guarded
// claims. Rows live in the deliveries table (participation stays on the same row).
import { odata, type TransactionAction } from '@azure/data-tables';
import type { ConversationReference } from 'botbuilder';
import type { Locale } from '../i18n';
import { DELIVERY_BUCKETS } from './delivery-repository';
import { bucketKey, bucketOf, decodeKey, encodeKey, statusOf, type TableStore } from './tables';

export interface OutboxItem {
  jobId: string;
  userId: string;
  reference: Partial<ConversationReference>;
  locale: Locale;
  attempts: number;
  etag: string;
}

interface OutboxEntity {
  partitionKey: string;
  rowKey: string;
  status?: string;
  reference?: string;
  locale?: string;
  attempts?: number;
  nextAttemptAt?: Date;
  claimUntil?: Date;
  claimedBy?: string;
}

export class OutboxRepository {
  constructor(private readonly store: TableStore) {}

  partitions(jobId: string): string[] {
    return Array.from({ length: DELIVERY_BUCKETS }, (_, b) => bucketKey(encodeKey(jobId), b));
  }

  /** Adds pending rows with what sending needs (batched per partition, idempotent). */
  async enqueue(
    jobId: string,
    recipients: readonly { userId: string; reference: Partial<ConversationReference>; locale: Locale }[],
    now: Date,
  ): Promise<void> {
    const byPartition = new Map<string, OutboxEntity[]>();
    for (const r of recipients) {
      const pk = bucketKey(encodeKey(jobId), bucketOf(r.userId, DELIVERY_BUCKETS));
      const list = byPartition.get(pk) ?? [];
      list.push({
        partitionKey: pk,
        rowKey: encodeKey(r.userId),
        status: 'pending',
        reference: JSON.stringify(r.reference),
        locale: r.locale,
        attempts: 0,
        nextAttemptAt: now,
      });
      byPartition.set(pk, list);
    }
    const client = this.store.client('deliveries');
    await Promise.all(
      [...byPartition.values()].map(async (rows) => {
        for (let i = 0; i < rows.length; i += 100) {
          await client.submitTransaction(
            rows.slice(i, i + 100).map((e): TransactionAction => ['upsert', { ...e }, 'Merge']),
          );
        }
      }),
    );
  }

  /**
   * Rows of one partition that are due: pending or retrying with their time come, or with an expired
   * claim. `onLater` hears when each row that is not due yet will be.
   */
  async *due(partitionKey: string, now: Date, onLater?: (at: number) => void): AsyncGenerator<OutboxItem> {
    const jobId = decodeKey(partitionKey.replace(/-\d{2}$/, ''));
    const rows = this.store.client('deliveries').listEntities<OutboxEntity>({
      queryOptions: {
        filter: `PartitionKey eq '${partitionKey}' and (status eq 'pending' or status eq 'retry' or status eq 'sending')`,
      },
    });
    for await (const e of rows) {
      const time = e.status === 'sending' ? e.claimUntil : e.nextAttemptAt;
      const at = time ? new Date(time).getTime() : 0;
      if (at > now.getTime()) {
        onLater?.(at);
        continue;
      }
      yield {
        jobId,
        userId: decodeKey(e.rowKey),
        reference: JSON.parse(e.reference ?? '{}') as Partial<ConversationReference>,
        locale: e.locale === 'en' ? 'en' : 'de',
        attempts: Number(e.attempts ?? 0),
        etag: e.etag,
      };
    }
  }

  /** The earliest time a waiting row of the job becomes due (undefined: nothing left to send). */
  async nextDue(jobId: string): Promise<Date | undefined> {
    let earliest: number | undefined;
    for (const pk of this.partitions(jobId)) {
      const rows = this.store.client('deliveries').listEntities<OutboxEntity>({
        queryOptions: {
          filter: `PartitionKey eq '${pk}' and (status eq 'pending' or status eq 'retry' or status eq 'sending')`,
          select: ['status', 'nextAttemptAt', 'claimUntil'],
        },
      });
      for await (const e of rows) {
        const t = new Date((e.status === 'sending' ? e.claimUntil : e.nextAttemptAt) ?? 0).getTime();
        earliest = earliest === undefined ? t : Math.min(earliest, t);
      }
    }
    return earliest === undefined ? undefined : new Date(earliest);
  }

  /**
   * Claims a row before sending (for `instanceId`, until `until`); undefined when another instance
   * changed it first. Returns the new ETag.
   */
  async claim(item: OutboxItem, until: Date, instanceId: string): Promise<string | undefined> {
    try {
      const res = await this.store.client('deliveries').updateEntity(
        this.keys(item, {
          status: 'sending',
          claimUntil: until,
          claimedBy: instanceId,
          attempts: item.attempts + 1,
        }),
        'Merge',
        { etag: item.etag },
      );
      return res.etag;
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** The users whose rows of a job an instance holds claimed now (sending, not yet recorded). */
  async claimedBy(jobId: string, instanceId: string): Promise<string[]> {
    const users: string[] = [];
    for (const pk of this.partitions(jobId)) {
      const rows = this.store.client('deliveries').listEntities<OutboxEntity>({
        queryOptions: {
          filter: odata`PartitionKey eq ${pk} and status eq 'sending' and claimedBy eq ${instanceId}`,
          select: ['RowKey'],
        },
      });
      for await (const e of rows) users.push(decodeKey(e.rowKey));
    }
    return users;
  }

  async markSent(
    item: OutboxItem,
    etag: string,
    activityId: string | undefined,
    status: number,
    now: Date,
  ): Promise<void> {
    await this.update(item, etag, sentFields(activityId, status, now));
  }

  /** The partition a row lives in (rows of one partition can be marked in one transaction). */
  partitionOf(item: OutboxItem): string {
    return this.keys(item, {}).partitionKey;
  }

  /**
   * Marks claimed rows of one partition sent in one transaction (≤ 100); if one of them changed since
   * its claim, the transaction fails as a whole and each is marked on its own.
   */
  async markSentMany(
    rows: readonly { item: OutboxItem; etag: string; activityId: string | undefined; now: Date }[],
  ): Promise<void> {
    if (rows.length === 1) {
      const [r] = rows;
      return this.markSent(r!.item, r!.etag, r!.activityId, 200, r!.now);
    }
    try {
      await this.store
        .client('deliveries')
        .submitTransaction(
          rows.map((r): TransactionAction => [
            'update',
            this.keys(r.item, sentFields(r.activityId, 200, r.now)),
            'Merge',
            { etag: r.etag },
          ]),
        );
      return;
    } catch (err) {
      if (statusOf(err) !== 412) throw err;
    }
    await Promise.all(rows.map((r) => this.markSent(r.item, r.etag, r.activityId, 200, r.now)));
  }

  async markRetry(
    item: OutboxItem,
    etag: string,
    at: Date,
    status: number | undefined,
    error: string,
  ): Promise<void> {
    await this.update(item, etag, {
      status: 'retry',
      nextAttemptAt: at,
      lastStatus: status ?? 0,
      error: error.slice(0, 300),
    });
  }

  async markFailed(
    item: OutboxItem,
    etag: string,
    status: number | undefined,
    error: string,
    now: Date,
  ): Promise<void> {
    await this.update(item, etag, {
      status: 'failed',
      lastStatus: status ?? 0,
      error: error.slice(0, 300),
      updatedAt: now,
    });
  }

  private keys(item: OutboxItem, fields: Record<string, unknown>) {
    return {
      partitionKey: bucketKey(encodeKey(item.jobId), bucketOf(item.userId, DELIVERY_BUCKETS)),
      rowKey: encodeKey(item.userId),
      ...fields,
    };
  }

  private async update(item: OutboxItem, etag: string, fields: Record<string, unknown>): Promise<void> {
    const client = this.store.client('deliveries');
    const entity = this.keys(item, fields);
    try {
      await client.updateEntity(entity, 'Merge', { etag });
      return;
    } catch (err) {
      if (statusOf(err) !== 412) throw err;
    }
    // The row changed since the claim. If only its participation flag moved (the person answered), it
    // is still ours to finish; if another instance took it over after our claim expired, leave it.
    const current = await client.getEntity<OutboxEntity>(entity.partitionKey, entity.rowKey);
    if (current.status !== 'sending' || Number(current.attempts ?? 0) !== item.attempts + 1) return;
    try {
      await client.updateEntity(entity, 'Merge', { etag: current.etag });
    } catch (err) {
      if (statusOf(err) !== 412) throw err;
    }
  }
}

function sentFields(activityId: string | undefined, status: number, now: Date): Record<string, unknown> {
  return { status: 'sent', activityId: activityId ?? '', lastStatus: status, error: '', updatedAt: now };
}
