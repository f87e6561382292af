// The surveydrafts table: survey definitions officers write in the tab, one row per draft (small:
// a few dozen drafts, one partition). The definition is stored as JSON text (Table Storage refuses
// nested objects; a string property holds at most 64 KiB); writes are guarded by the row's ETag.
import { ConflictError } from '../errors';
import { decodeKey, deleteIfExists, encodeKey, getOrUndefined, mapConflict, type TableStore } from './tables';

export interface SurveyDraft {
  draftId: string;
  /** The definition as the officer wrote it (validated by the survey schema before it is saved). */
  definition: unknown;
  templateId: string | undefined;
  updatedAt: Date;
  /** Display name of the officer who saved it last. */
  updatedBy: string;
  /** The row's ETag: pass it back to replace the draft only if nobody changed it since. */
  etag: string;
}

interface DraftEntity {
  partitionKey: string;
  rowKey: string;
  definition: string;
  templateId?: string;
  updatedAt: Date;
  updatedBy: string;
}

const PARTITION = 'draft';
/** Characters, not bytes: Table Storage allows 64 KiB of UTF-16 per string property. */
export const DRAFT_MAX_CHARS = 32_000;

export class SurveyDraftRepository {
  constructor(private readonly store: TableStore) {}

  /** Creates a draft (no etag) or replaces it if its ETag still matches; ConflictError otherwise. */
  async save(draft: Omit<SurveyDraft, 'etag'>, etag: string | undefined): Promise<SurveyDraft> {
    const definition = JSON.stringify(draft.definition);
    if (definition.length > DRAFT_MAX_CHARS) throw new RangeError('survey draft too large');
    const entity: DraftEntity = {
      partitionKey: PARTITION,
      rowKey: encodeKey(draft.draftId),
      definition,
      ...(draft.templateId ? { templateId: draft.templateId } : {}),
      updatedAt: draft.updatedAt,
      updatedBy: draft.updatedBy,
    };
    const client = this.store.client('surveydrafts');
    const res = await mapConflict(() =>
      etag === undefined ? client.createEntity(entity) : client.updateEntity(entity, 'Replace', { etag }),
    );
    if (!res.etag) throw new ConflictError();
    return { ...draft, etag: res.etag };
  }

  async get(draftId: string): Promise<SurveyDraft | undefined> {
    const e = await getOrUndefined(() =>
      this.store.client('surveydrafts').getEntity<DraftEntity>(PARTITION, encodeKey(draftId)),
    );
    return e && toDraft(e);
  }

  /** Every draft, most recently saved first. */
  async list(): Promise<SurveyDraft[]> {
    const out: SurveyDraft[] = [];
    const rows = this.store
      .client('surveydrafts')
      .listEntities<DraftEntity>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } });
    for await (const e of rows) out.push(toDraft(e));
    return out.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  }

  async delete(draftId: string): Promise<boolean> {
    return deleteIfExists(() =>
      this.store.client('surveydrafts').deleteEntity(PARTITION, encodeKey(draftId)),
    );
  }
}

function toDraft(e: DraftEntity & { etag?: string }): SurveyDraft {
  return {
    draftId: decodeKey(e.rowKey),
    definition: JSON.parse(e.definition) as unknown,
    templateId: e.templateId || undefined,
    updatedAt: new Date(e.updatedAt),
    updatedBy: e.updatedBy,
    etag: e.etag ?? '',
  };
}
