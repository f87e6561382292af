// The users table: one row per installed user with the conversation reference (for proactive
// messages), the Teams locale and the user's settings. Rows are sharded over USER_BUCKETS partitions.
import type { ConversationReference } from 'botbuilder';
import type { Locale } from '../i18n';
import {
  bucketKey,
  bucketOf,
  decodeKey,
  deleteIfExists,
  encodeKey,
  getOrUndefined,
  mergePages,
  statusOf,
  type TableStore,
} from './tables';
import { DISTRICTS, type District } from '../domain/vocabulary';

export const USER_BUCKETS = 32;

export interface UserSettings {
  language: Locale | undefined;
  district: District | undefined;
  reminders: boolean;
}

/** What a turn needs to know about its user (kept in memory by UserDirectory). */
export interface UserProfile {
  userId: string;
  /** The locale Teams reported on the last contact. */
  teamsLocale: string | undefined;
  settings: UserSettings;
}

export interface UserRecord extends UserProfile {
  reference: Partial<ConversationReference>;
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
  private readonly listeners: ((userId: string) => void)[] = [];

  constructor(private readonly store: TableStore) {}

  /** Called after every write of a user's row by this instance (caches drop their copy). */
  onChange(listener: (userId: string) => void): void {
    this.listeners.push(listener);
  }

  private changed(userId: string): void {
    for (const listener of this.listeners) listener(userId);
  }

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
      this.changed(userId);
      return true;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    await client.upsertEntity({ ...keys, ...fields }, 'Merge');
    this.changed(userId);
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
      this.changed(userId);
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }

  async delete(userId: string): Promise<boolean> {
    const { partitionKey, rowKey } = this.keys(userId);
    const deleted = await deleteIfExists(() => this.store.client('users').deleteEntity(partitionKey, rowKey));
    this.changed(userId);
    return deleted;
  }

  /**
   * The profiles (no conversation references) of every user, or of those whose row changed since
   * the given time. The shards are read in parallel.
   */
  async *profiles(changedSince?: Date): AsyncGenerator<UserProfile> {
    const client = this.store.client('users');
    const since = changedSince ? ` and Timestamp ge datetime'${changedSince.toISOString()}'` : '';
    const iterators = Array.from({ length: USER_BUCKETS }, (_, b) =>
      client
        .listEntities<UserEntity>({
          queryOptions: {
            filter: `PartitionKey eq '${bucketKey('u', b)}'${since}`,
            select: ['RowKey', 'teamsLocale', 'language', 'district', 'reminders'],
          },
        })
        .byPage({ maxPageSize: 1000 }),
    );
    yield* mergePages(iterators, profileOf);
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

function profileOf(e: Omit<UserEntity, 'reference' | 'installedAt'>): UserProfile {
  const language = e.language === 'de' || e.language === 'en' ? e.language : undefined;
  const district = (DISTRICTS as readonly string[]).includes(e.district ?? '')
    ? (e.district as District)
    : undefined;
  return {
    userId: decodeKey(e.rowKey),
    teamsLocale: e.teamsLocale || undefined,
    settings: { language, district, reminders: e.reminders !== false },
  };
}

function toRecord(e: UserEntity): UserRecord {
  return {
    ...profileOf(e),
    reference: JSON.parse(e.reference) as Partial<ConversationReference>,
    installedAt: new Date(e.installedAt),
  };
}
