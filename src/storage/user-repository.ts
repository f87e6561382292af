// The users table: one row per installed user with the conversation reference (for proactive
// messages), the Teams locale and the user's settings. Rows are sharded over USER_BUCKETS partitions.
import type { ConversationReference } from 'botbuilder';
import { DISTRICTS, type District } from '../config';
import type { Locale } from '../i18n';
import {
  bucketKey,
  bucketOf,
  decodeKey,
  deleteIfExists,
  encodeKey,
  getOrUndefined,
  statusOf,
  type TableStore,
} from './tables';

export const USER_BUCKETS = 32;

export interface UserSettings {
  language: Locale | undefined;
  district: District | undefined;
  reminders: boolean;
}

export interface UserRecord {
  userId: string;
  reference: Partial<ConversationReference>;
  /** The locale Teams reported on the last contact. */
  teamsLocale: string | undefined;
  settings: UserSettings;
  installedAt: Date;
}

interface UserEntity {
  partitionKey: string;
  rowKey: string;
  reference: string;
  teamsLocale?: string;
  language?: string;
  district?: string;
  reminders?: boolean;
  installedAt: Date;
}

export class UserRepository {
  constructor(private readonly store: TableStore) {}

  private keys(userId: string) {
    return { partitionKey: bucketKey('u', bucketOf(userId, USER_BUCKETS)), rowKey: encodeKey(userId) };
  }

  async get(userId: string): Promise<UserRecord | undefined> {
    const { partitionKey, rowKey } = this.keys(userId);
    const entity = await getOrUndefined(() =>
      this.store.client('users').getEntity<UserEntity>(partitionKey, rowKey),
    );
    return entity ? toRecord(entity) : undefined;
  }

  /**
   * Stores the conversation reference and locale, keeping existing settings.
   * Returns true when the user was not known before (first contact).
   */
  async saveReference(
    userId: string,
    reference: Partial<ConversationReference>,
    teamsLocale: string | undefined,
    now: Date,
  ): Promise<boolean> {
    const client = this.store.client('users');
    const keys = this.keys(userId);
    const fields = { reference: JSON.stringify(reference), ...(teamsLocale ? { teamsLocale } : {}) };
    try {
      await client.createEntity<UserEntity>({ ...keys, ...fields, reminders: true, installedAt: now });
      return true;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    await client.upsertEntity({ ...keys, ...fields }, 'Merge');
    return false;
  }

  /** Saves settings for a known user; returns false when the user has no record (not installed). */
  async saveSettings(userId: string, settings: UserSettings): Promise<boolean> {
    const keys = this.keys(userId);
    try {
      await this.store.client('users').updateEntity(
        {
          ...keys,
          language: settings.language ?? '',
          district: settings.district ?? '',
          reminders: settings.reminders,
        },
        'Merge',
      );
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }

  async delete(userId: string): Promise<boolean> {
    const { partitionKey, rowKey } = this.keys(userId);
    return deleteIfExists(() => this.store.client('users').deleteEntity(partitionKey, rowKey));
  }

  /** Every installed user, streamed shard by shard. */
  async *list(): AsyncGenerator<UserRecord> {
    for (let b = 0; b < USER_BUCKETS; b++) {
      const partitionKey = bucketKey('u', b);
      const entities = this.store.client('users').listEntities<UserEntity>({
        queryOptions: { filter: `PartitionKey eq '${partitionKey}'` },
      });
      for await (const entity of entities) yield toRecord(entity);
    }
  }

  async count(): Promise<number> {
    const counts = await Promise.all(
      Array.from({ length: USER_BUCKETS }, async (_, b) => {
        let n = 0;
        const entities = this.store.client('users').listEntities({
          queryOptions: { filter: `PartitionKey eq '${bucketKey('u', b)}'`, select: ['RowKey'] },
        });
        for await (const _e of entities) n++;
        return n;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }
}

function toRecord(e: UserEntity): UserRecord {
  const language = e.language === 'de' || e.language === 'en' ? e.language : undefined;
  const district = (DISTRICTS as readonly string[]).includes(e.district ?? '')
    ? (e.district as District)
    : undefined;
  return {
    userId: decodeKey(e.rowKey),
    reference: JSON.parse(e.reference) as Partial<ConversationReference>,
    teamsLocale: e.teamsLocale || undefined,
    settings: { language, district, reminders: e.reminders !== false },
    installedAt: new Date(e.installedAt),
  };
}
