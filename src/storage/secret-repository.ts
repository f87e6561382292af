// The secrets table: the random secret of each open survey run (answers) and open idea (supports),
// stored only sealed (encrypted under a key derived from PSEUDONYM_KEY). Deleting a row destroys the
// secret for good: from then on nobody can tell whose pseudonym is whose. A table of its own so that
// backups can leave it out (docs/operations.md).
import { deleteIfExists, encodeKey, getOrUndefined, statusOf, type TableStore } from './tables';

export type SecretKind = 'run' | 'idea';

interface SecretEntity {
  partitionKey: string;
  rowKey: string;
  sealed: string;
}

export class SecretRepository {
  constructor(private readonly store: TableStore) {}

  /** Stores a sealed secret unless one exists; returns the one stored (the first writer wins). */
  async createOrGet(kind: SecretKind, id: string, sealed: string): Promise<string> {
    const client = this.store.client('secrets');
    try {
      await client.createEntity<SecretEntity>({ partitionKey: kind, rowKey: encodeKey(id), sealed });
      return sealed;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const existing = await this.get(kind, id);
    if (existing === undefined) throw new Error(`The ${kind} secret ${id} vanished while it was created`);
    return existing;
  }

  async get(kind: SecretKind, id: string): Promise<string | undefined> {
    const e = await getOrUndefined(() =>
      this.store.client('secrets').getEntity<SecretEntity>(kind, encodeKey(id)),
    );
    return e?.sealed;
  }

  /** Destroys the secret (idempotent). */
  async destroy(kind: SecretKind, id: string): Promise<void> {
    await deleteIfExists(() => this.store.client('secrets').deleteEntity(kind, encodeKey(id)));
  }
}
