// The responses table: one row per respondent per run, keyed by the pseudonym HMAC(run secret, user
// id). No user id, name, conversation id or date is ever written here. Sharded by run id plus a
// bucket of the pseudonym, so no partition grows with the whole staff. When a run is sealed every
// row is rewritten in a random order, so that Table Storage's own Timestamp no longer tells when
// anyone answered.
import type { Answers, SurveyResponse } from '../surveys/model';
import {
  bucketKey,
  deleteIfExists,
  encodeKey,
  getOrUndefined,
  mergePages,
  deletePartitions,
  type TableStore,
} from './tables';
import { randomInt } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import { isDistrict, type District } from '../domain/vocabulary';

export const RESPONSE_BUCKETS = 16;

interface ResponseEntity {
  partitionKey: string;
  rowKey: string;
  district: string;
  answers: string;
}

function bucketOfPseudonym(pseudonym: string): number {
  return parseInt(pseudonym.slice(0, 4), 16) % RESPONSE_BUCKETS;
}

export function responsePartition(runId: string, bucket: number): string {
  return bucketKey(`${encodeKey(runId)}`, bucket);
}

export class ResponseRepository {
  constructor(private readonly store: TableStore) {}

  private keys(runId: string, pseudonym: string) {
    return { partitionKey: responsePartition(runId, bucketOfPseudonym(pseudonym)), rowKey: pseudonym };
  }

  /** Stores or replaces the response: one row per respondent per run, whatever the number of submits. */
  async put(response: SurveyResponse): Promise<void> {
    await this.store.client('responses').upsertEntity<ResponseEntity>(
      {
        ...this.keys(response.runId, response.pseudonym),
        district: response.district ?? '',
        answers: JSON.stringify(response.answers),
      },
      'Replace',
    );
  }

  async get(runId: string, pseudonym: string): Promise<SurveyResponse | undefined> {
    const { partitionKey, rowKey } = this.keys(runId, pseudonym);
    const e = await getOrUndefined(() =>
      this.store.client('responses').getEntity<ResponseEntity>(partitionKey, rowKey),
    );
    return e ? toResponse(runId, e) : undefined;
  }

  async delete(runId: string, pseudonym: string): Promise<boolean> {
    const { partitionKey, rowKey } = this.keys(runId, pseudonym);
    return deleteIfExists(() => this.store.client('responses').deleteEntity(partitionKey, rowKey));
  }

  /** Retention: deletes every response of a run. */
  async deleteRun(runId: string): Promise<number> {
    return deletePartitions(
      this.store.client('responses'),
      Array.from({ length: RESPONSE_BUCKETS }, (_, b) => responsePartition(runId, b)),
    );
  }

  /** The pseudonyms of everyone who answered a run (keys only, no answers read). */
  async pseudonymsOf(runId: string): Promise<Set<string>> {
    const out = new Set<string>();
    for await (const key of this.keysOf(runId)) out.add(key);
    return out;
  }

  /** How many people answered a run (keys only). */
  async count(runId: string): Promise<number> {
    let n = 0;
    for await (const _key of this.keysOf(runId)) n++;
    return n;
  }

  /** Respondents per district (the district column only); those without a district are not listed. */
  async districtCounts(runId: string): Promise<Map<District, number>> {
    const client = this.store.client('responses');
    const iterators = Array.from({ length: RESPONSE_BUCKETS }, (_, b) =>
      client
        .listEntities<{ district?: string }>({
          queryOptions: { filter: `PartitionKey eq '${responsePartition(runId, b)}'`, select: ['district'] },
        })
        .byPage({ maxPageSize: 1000 }),
    );
    const out = new Map<District, number>();
    for await (const d of mergePages(iterators, (e) => e.district ?? '')) {
      if (isDistrict(d)) out.set(d, (out.get(d) ?? 0) + 1);
    }
    return out;
  }

  private keysOf(runId: string): AsyncGenerator<string> {
    const client = this.store.client('responses');
    const iterators = Array.from({ length: RESPONSE_BUCKETS }, (_, b) =>
      client
        .listEntities<{ rowKey: string }>({
          queryOptions: { filter: `PartitionKey eq '${responsePartition(runId, b)}'`, select: ['RowKey'] },
        })
        .byPage({ maxPageSize: 1000 }),
    );
    return mergePages(iterators, (e) => e.rowKey);
  }

  /**
   * Rewrites every row of a run (same content) in a random order, in batches of 100 per shard, so
   * that each row's server Timestamp is the time of this rewrite and not of the answer. Idempotent.
   */
  async rewriteAll(runId: string): Promise<number> {
    const client = this.store.client('responses');
    let total = 0;
    for (let b = 0; b < RESPONSE_BUCKETS; b++) {
      const partitionKey = responsePartition(runId, b);
      const keys: string[] = [];
      const rows = client.listEntities<{ rowKey: string }>({
        queryOptions: { filter: `PartitionKey eq '${partitionKey}'`, select: ['RowKey'] },
      });
      for await (const row of rows) keys.push(row.rowKey);
      shuffleInPlace(keys);
      for (let i = 0; i < keys.length; i += 100) {
        await client.submitTransaction(
          keys
            .slice(i, i + 100)
            .map((rowKey): TransactionAction => ['update', { partitionKey, rowKey, sealed: true }, 'Merge']),
        );
      }
      total += keys.length;
    }
    return total;
  }

  /** Every response of a run: the shards are read in parallel and yielded as they arrive. */
  async *listByRun(runId: string): AsyncGenerator<SurveyResponse> {
    const client = this.store.client('responses');
    const iterators = Array.from({ length: RESPONSE_BUCKETS }, (_, b) =>
      client
        .listEntities<ResponseEntity>({
          queryOptions: { filter: `PartitionKey eq '${responsePartition(runId, b)}'` },
        })
        .byPage({ maxPageSize: 1000 }),
    );
    yield* mergePages(iterators, (e) => toResponse(runId, e));
  }
}

function shuffleInPlace<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

function toResponse(runId: string, e: ResponseEntity): SurveyResponse {
  const district = isDistrict(e.district) ? e.district : undefined;
  return {
    pseudonym: e.rowKey,
    runId,
    district,
    answers: JSON.parse(e.answers) as Answers,
  };
}
