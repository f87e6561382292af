// The surveyversions table: surveys officers published from the tab, one row per version, never
// changed once written. PartitionKey is the survey id, RowKey the version ("v000003"); a version is
// claimed by inserting its row (insert-only: two officers publishing at once get 409 for the same
// number, and the loser takes the next one). The definition is stored as JSON text, as in
// surveydrafts. Rows are immutable, so a reader may cache any row it has read for ever.
import { odata } from '@azure/data-tables';
import { ConflictError } from '../errors';
import { decodeKey, encodeKey, getOrUndefined, mapConflict, type TableStore } from './tables';

export interface PublishedSurveyKey {
  surveyId: string;
  version: number;
}

export interface PublishedSurvey extends PublishedSurveyKey {
  /** The definition as published (the survey schema validated it; `version` equals the row's). */
  definition: unknown;
  /** The draft it was published from. */
  draftId: string;
  publishedAt: Date;
  /** Display name of the officer who published it. */
  publishedBy: string;
}

/** What a version's row says without its definition (a cheap listing). */
export type PublishedSurveyInfo = Omit<PublishedSurvey, 'definition'>;

interface VersionEntity {
  partitionKey: string;
  rowKey: string;
  definition: string;
  draftId: string;
  publishedAt: Date;
  publishedBy: string;
}

/** Versions per survey are numbered 1…999999; the padding keeps RowKeys in version order. */
const MAX_VERSION = 999_999;
/** Tries at the next free number when another instance took ours (a handful of officers publish). */
const PUBLISH_ATTEMPTS = 10;

export class PublishedSurveyRepository {
  constructor(private readonly store: TableStore) {}

  /**
   * Publishes `definition(version)` as the next version of the survey: the version after the highest
   * stored one, claimed by an insert. Another publisher taking that number first makes this one try the
   * next; a ConflictError after PUBLISH_ATTEMPTS such races.
   */
  async publish(input: {
    surveyId: string;
    definition: (version: number) => unknown;
    draftId: string;
    publishedAt: Date;
    publishedBy: string;
  }): Promise<PublishedSurvey> {
    const client = this.store.client('surveyversions');
    let version = (await this.latestVersion(input.surveyId)) + 1;
    for (let attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++, version++) {
      if (version > MAX_VERSION) throw new RangeError('too many versions');
      const definition = input.definition(version);
      const entity: VersionEntity = {
        partitionKey: encodeKey(input.surveyId),
        rowKey: versionKey(version),
        definition: JSON.stringify(definition),
        draftId: input.draftId,
        publishedAt: input.publishedAt,
        publishedBy: input.publishedBy,
      };
      try {
        await mapConflict(() => client.createEntity(entity));
        return { ...input, version, definition };
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Someone published this number in between: the next one, past whatever is stored now.
        version = Math.max(version, await this.latestVersion(input.surveyId));
      }
    }
    throw new ConflictError('Too many concurrent publications of this survey.');
  }

  /** The highest published version of a survey, 0 when there is none. */
  async latestVersion(surveyId: string): Promise<number> {
    let latest = 0;
    const rows = this.store.client('surveyversions').listEntities<{ rowKey: string }>({
      queryOptions: { filter: odata`PartitionKey eq ${encodeKey(surveyId)}`, select: ['RowKey'] },
    });
    for await (const row of rows) latest = Math.max(latest, versionOf(row.rowKey));
    return latest;
  }

  /** Every version of every survey without definitions (one cheap listing), oldest version first. */
  async list(): Promise<PublishedSurveyInfo[]> {
    const out: PublishedSurveyInfo[] = [];
    const rows = this.store.client('surveyversions').listEntities<Omit<VersionEntity, 'definition'>>({
      queryOptions: { select: ['PartitionKey', 'RowKey', 'draftId', 'publishedAt', 'publishedBy'] },
    });
    for await (const e of rows) {
      const version = versionOf(e.rowKey);
      if (version > 0) out.push(toInfo(e, version));
    }
    return out.sort((a, b) => a.surveyId.localeCompare(b.surveyId) || a.version - b.version);
  }

  async get(surveyId: string, version: number): Promise<PublishedSurvey | undefined> {
    const e = await getOrUndefined(() =>
      this.store.client('surveyversions').getEntity<VersionEntity>(encodeKey(surveyId), versionKey(version)),
    );
    return e && { ...toInfo(e, version), definition: JSON.parse(e.definition) as unknown };
  }
}

function toInfo(e: Omit<VersionEntity, 'definition'>, version: number): PublishedSurveyInfo {
  return {
    surveyId: decodeKey(e.partitionKey),
    version,
    draftId: e.draftId,
    publishedAt: new Date(e.publishedAt),
    publishedBy: e.publishedBy,
  };
}

function versionKey(version: number): string {
  return `v${version.toString().padStart(6, '0')}`;
}

/** 0 for a RowKey that is not a version's. */
function versionOf(rowKey: string): number {
  const m = /^v(\d{6})$/.exec(rowKey);
  return m ? Number(m[1]) : 0;
}
