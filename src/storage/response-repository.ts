// The responses table: one row per respondent per run, keyed by pseudonym. No user id, name or
// conversation id is ever written here; the date is coarsened to the day. Sharded by run id plus a
// bucket of the pseudonym, so no partition grows with the whole staff.
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
import { DISTRICTS, type District } from '../domain/vocabulary';

export const RESPONSE_BUCKETS = 16;

interface ResponseEntity {
  partitionKey: string;
  rowKey: string;
  district: string;
  day: string;
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
        day: response.day,
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
    const client = this.store.client('responses');
    const iterators = Array.from({ length: RESPONSE_BUCKETS }, (_, b) =>
      client
        .listEntities<{ rowKey: string }>({
          queryOptions: { filter: `PartitionKey eq '${responsePartition(runId, b)}'`, select: ['RowKey'] },
        })
        .byPage({ maxPageSize: 1000 }),
    );
    const out = new Set<string>();
    for await (const key of mergePages(iterators, (e) => e.rowKey)) out.add(key);
    return out;
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

function toResponse(runId: string, e: ResponseEntity): SurveyResponse {
  const district = (DISTRICTS as readonly string[]).includes(e.district)
    ? (e.district as District)
    : undefined;
  return {
    pseudonym: e.rowKey,
    runId,
    district,
    day: e.day,
    answers: JSON.parse(e.answers) as Answers,
  };
}
