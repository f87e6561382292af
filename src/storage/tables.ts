// Table clients for one storage account and table prefix, plus the helpers every repository shares.
// The account is reached either with a connection string (Azurite, or an account key) or, in
// production, through its https endpoint with a Microsoft Entra token (managed identity): the
// account then needs no key at all.
import { createHash } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import {
  TableClient,
  TableServiceClient,
  type TableEntityResult,
  type TableServiceClientOptions,
} from '@azure/data-tables';
import { ConflictError } from '../errors';

export const TABLE_NAMES = [
  'users',
  'channels',
  'runs',
  'responses',
  'deliveries',
  'ideas',
  'ideasupports',
  'ideahistory',
  'ideaowners',
  'digests',
  'secrets',
  'directory',
  'sendbudget',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** How to reach the table service: a connection string, or an https endpoint and a token credential. */
export type TableConnection =
  | { readonly connectionString: string }
  | {
      /** The table endpoint, e.g. https://<account>.table.core.windows.net. */
      readonly url: string;
      /** A Microsoft Entra credential (DefaultAzureCredential in production). */
      readonly credential: TokenCredential;
      /** Pipeline options, e.g. TLS settings in tests; production needs none. */
      readonly clientOptions?: TableServiceClientOptions;
    };

export type TableStoreOptions = TableConnection & {
  /** Prepended to every table name; tests use a unique prefix per run. */
  readonly prefix: string;
};

export class TableStore {
  private readonly clients = new Map<string, TableClient>();
  private service: TableServiceClient | undefined;

  constructor(private readonly options: TableStoreOptions) {}

  tableName(name: TableName): string {
    return `${this.options.prefix}${name}`;
  }

  client(name: TableName): TableClient {
    const full = this.tableName(name);
    let client = this.clients.get(full);
    if (!client) {
      const o = this.options;
      client =
        'connectionString' in o
          ? TableClient.fromConnectionString(o.connectionString, full, {
              allowInsecureConnection: allowsHttp(o.connectionString),
            })
          : new TableClient(o.url, full, o.credential, o.clientOptions);
      this.clients.set(full, client);
    }
    return client;
  }

  private serviceClient(): TableServiceClient {
    if (!this.service) {
      const o = this.options;
      this.service =
        'connectionString' in o
          ? TableServiceClient.fromConnectionString(o.connectionString, {
              allowInsecureConnection: allowsHttp(o.connectionString),
            })
          : new TableServiceClient(o.url, o.credential, o.clientOptions);
    }
    return this.service;
  }

  /** Creates every table the bot uses (idempotent). */
  async ensureTables(): Promise<void> {
    await Promise.all(TABLE_NAMES.map((name) => this.client(name).createTable()));
  }

  /** A cheap round trip to the table service, for /healthz. */
  async ping(): Promise<void> {
    const pages = this.serviceClient().listTables().byPage({ maxPageSize: 1 });
    await pages.next();
  }

  /** Deletes every table with this prefix (tests). */
  async dropTables(): Promise<void> {
    await Promise.all(TABLE_NAMES.map((name) => this.client(name).deleteTable()));
  }
}

/** Azurite is reached over plain http; the SDK refuses that unless told. */
function allowsHttp(connectionString: string): boolean {
  return (
    /(TableEndpoint|BlobEndpoint)=http:\/\//i.test(connectionString) ||
    /UseDevelopmentStorage=true/i.test(connectionString)
  );
}

export function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** 404 → undefined; everything else is rethrown. */
export async function getOrUndefined<T extends object>(
  read: () => Promise<TableEntityResult<T>>,
): Promise<TableEntityResult<T> | undefined> {
  try {
    return await read();
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/** 409/412 → ConflictError; everything else is rethrown. */
export async function mapConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const status = statusOf(err);
    if (status === 409 || status === 412) throw new ConflictError();
    throw err;
  }
}

/** 404 is fine when deleting. */
export async function deleteIfExists(del: () => Promise<unknown>): Promise<boolean> {
  try {
    await del();
    return true;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    throw err;
  }
}

/**
 * Makes any id safe as a PartitionKey/RowKey: `/ \ # ?` and control characters are illegal there,
 * and `%` is escaped so that the mapping stays reversible.
 */
export function encodeKey(id: string): string {
  return id.replace(
    // eslint-disable-next-line no-control-regex
    /[%/\\#?\u0000-\u001f\u007f-\u009f]/g,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

export function decodeKey(key: string): string {
  return key.replace(/%([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A stable shard number in [0, buckets) for an id: spreads a growing table over partitions. */
export function bucketOf(id: string, buckets: number): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % buckets;
}

export function bucketKey(prefix: string, bucket: number): string {
  return `${prefix}-${bucket.toString().padStart(2, '0')}`;
}

/** Reads several paged iterators concurrently, yielding items page by page as pages arrive. */
export async function* mergePages<E, T>(
  iterators: AsyncIterator<E[]>[],
  map: (e: E) => T,
): AsyncGenerator<T> {
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<E[]> }>>();
  const pull = (index: number) =>
    pending.set(
      index,
      iterators[index]!.next().then((result) => ({ index, result })),
    );
  iterators.forEach((_, i) => pull(i));
  while (pending.size > 0) {
    const { index, result } = await Promise.race(pending.values());
    if (result.done) {
      pending.delete(index);
      continue;
    }
    pull(index);
    for (const e of result.value) yield map(e);
  }
}

/** Deletes every row of the given partitions in batches of 100; returns how many were deleted. */
export async function deletePartitions(client: TableClient, partitions: string[]): Promise<number> {
  const counts = await Promise.all(
    partitions.map(async (pk) => {
      const keys: string[] = [];
      const rows = client.listEntities({
        queryOptions: { filter: `PartitionKey eq '${pk}'`, select: ['RowKey'] },
      });
      for await (const row of rows) keys.push(String(row.rowKey));
      for (let i = 0; i < keys.length; i += 100) {
        await client.submitTransaction(
          keys.slice(i, i + 100).map((rk) => ['delete', { partitionKey: pk, rowKey: rk }]),
        );
      }
      return keys.length;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}
