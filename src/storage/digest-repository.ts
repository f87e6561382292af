// The digests table: one record per ISO week (claimed → posted, so that exactly one instance posts),
// and per survey run the number of respondents when figures were last published (no differencing).
import { getOrUndefined, mapConflict, statusOf, type TableStore } from './tables';
import { encodeKey } from './tables';

const WEEK_PARTITION = 'week';
const PUBLISHED_PARTITION = 'published';

export interface WeekRecord {
  weekKey: string;
  status: 'claimed' | 'posted';
  claimedBy: string;
  claimExpiresAt: Date;
  activityId: string | undefined;
  etag: string;
}

interface WeekEntity {
  partitionKey: string;
  rowKey: string;
  status: string;
  claimedBy: string;
  claimExpiresAt: Date;
  activityId?: string;
  postedAt?: Date;
}

export class DigestRepository {
  constructor(private readonly store: TableStore) {}

  async getWeek(weekKey: string): Promise<WeekRecord | undefined> {
    const e = await getOrUndefined(() =>
      this.store.client('digests').getEntity<WeekEntity>(WEEK_PARTITION, weekKey),
    );
    return e
      ? {
          weekKey,
          status: e.status === 'posted' ? 'posted' : 'claimed',
          claimedBy: e.claimedBy,
          claimExpiresAt: new Date(e.claimExpiresAt),
          activityId: e.activityId || undefined,
          etag: e.etag,
        }
      : undefined;
  }

  /**
   * Claims the week for this instance: creates the record, or takes over a claim that expired (its
   * instance died before posting). Returns the claim's ETag, or undefined when someone else holds it
   * or the digest was posted.
   */
  async claimWeek(
    weekKey: string,
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
      const res = await client.createEntity<WeekEntity>({
        partitionKey: WEEK_PARTITION,
        rowKey: weekKey,
        ...fields,
      });
      return res.etag;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const current = await this.getWeek(weekKey);
    if (!current || current.status === 'posted' || current.claimExpiresAt.getTime() > now.getTime())
      return undefined;
    try {
      const res = await mapConflict(() =>
        client.updateEntity({ partitionKey: WEEK_PARTITION, rowKey: weekKey, ...fields }, 'Merge', {
          etag: current.etag,
        }),
      );
      return res.etag;
    } catch {
      return undefined; // another instance took it over first
    }
  }

  /** Marks the week posted (guarded by the claim's ETag: a lost claim cannot overwrite). */
  async markPosted(weekKey: string, activityId: string | undefined, now: Date, etag: string): Promise<void> {
    await mapConflict(() =>
      this.store.client('digests').updateEntity(
        {
          partitionKey: WEEK_PARTITION,
          rowKey: weekKey,
          status: 'posted',
          activityId: activityId ?? '',
          postedAt: now,
        },
        'Merge',
        { etag },
      ),
    );
  }

  /** Claims the reminder of a run (once, across instances); false when it was claimed before. */
  async claimReminder(runId: string, now: Date): Promise<boolean> {
    try {
      await this.store
        .client('digests')
        .createEntity({ partitionKey: 'reminder', rowKey: encodeKey(runId), claimedAt: now });
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false;
      throw err;
    }
  }

  /** What of a run was last shown to anyone (digest, results, export): respondents and per-question counts. */
  async getPublished(runId: string): Promise<PublishedFigures | undefined> {
    const e = await getOrUndefined(() =>
      this.store
        .client('digests')
        .getEntity<{ respondents: number; questionCounts: string }>(PUBLISHED_PARTITION, encodeKey(runId)),
    );
    return e
      ? {
          respondents: Number(e.respondents),
          questionCounts: JSON.parse(e.questionCounts || '{}') as Record<string, number>,
        }
      : undefined;
  }

  async setPublished(runId: string, figures: PublishedFigures): Promise<void> {
    await this.store.client('digests').upsertEntity(
      {
        partitionKey: PUBLISHED_PARTITION,
        rowKey: encodeKey(runId),
        respondents: figures.respondents,
        questionCounts: JSON.stringify(figures.questionCounts),
      },
      'Replace',
    );
  }
}

export interface PublishedFigures {
  respondents: number;
  questionCounts: Record<string, number>;
}
