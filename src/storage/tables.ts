// Table clients for one storage account and table prefix, plus the helpers every repository shares.
// The account is reached either with a connection string (Azurite, or an account key) or, in
// production, through its https endpoint with a Microsoft Entra token (managed identity): the
// account then needs no key at all.
//
// Every call is bounded (see StorageLimits): left to itself the SDK waits for ever on a storage
// service that accepts connections but does not answer (measured: a SIGSTOPped Azurite held an
// upsert for over 60 s), and retries a refused connection for about 6 s. Teams gives a bot 10-15 s
// to answer an invoke, so a call here gives up after STORAGE_LIMITS.deadlineMs with a
// StorageUnavailableError, which the bot turns into a "not stored, please try again" card.
import { createHash } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import {
  TableClient,
  TableServiceClient,
  type TableEntityResult,
  type TableServiceClientOptions,
} from '@azure/data-tables';
import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';
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
  'surveydrafts',
  'sendbudget',
  'schedules',
  'surveyversions',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** How to reach the table service: a connection string, or an https endpoint and a token credential. */
export type TableConnection =
  | {
      readonly connectionString: string;
      /** Pipeline options, e.g. fewer retries in tests that inject storage faults. */
      readonly clientOptions?: TableServiceClientOptions;
      /**
       * Called after every successful write, before the write is confirmed to the caller: the
       * embedded Azurite saves its database file here, so that a confirmed answer survives a crash.
       */
      readonly afterWrite?: () => Promise<void>;
    }
  | {
      /** The table endpoint, e.g. https://<account>.table.core.windows.net. */
      readonly url: string;
      /** A Microsoft Entra credential (DefaultAzureCredential in production). */
      readonly credential: TokenCredential;
      /** Pipeline options, e.g. TLS settings in tests; production needs none. */
      readonly clientOptions?: TableServiceClientOptions;
    };

/** How long one storage call may take, and how often it is tried. */
export interface StorageLimits {
  /** One HTTP attempt; a hung attempt is abandoned and tried again on a fresh connection. */
  readonly attemptTimeoutMs: number;
  /** Retries after a timeout, a refused or reset connection, 408, 429 or 5xx. */
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** The whole call, retries and Retry-After waits included: then StorageUnavailableError. */
  readonly deadlineMs: number;
}

/**
 * Fits an invoke into Teams' 10-15 s: one call gives up after 5 s, so the "not stored" card is
 * out in about 5 s even if storage stops answering in the middle of a turn. A healthy Table
 * Storage answers a point operation in milliseconds and a 1,000-row page well under a second.
 */
export const STORAGE_LIMITS: StorageLimits = {
  attemptTimeoutMs: 2_500,
  maxRetries: 2,
  retryDelayMs: 200,
  maxRetryDelayMs: 1_000,
  deadlineMs: 5_000,
};

/** What went wrong with a storage call that never got an answer (for the storage-error metric). */
export type StorageFailure = 'timeout' | 'unreachable' | 'throttled' | 'server';

/** Told about every storage call that failed for want of storage (telemetry). */
export interface StorageObserver {
  storageFailed(failure: StorageFailure): void;
  /** Runs each call (retries included), e.g. inside a span; `table` is a TABLE_NAMES name, 'tables', 'batch' or 'other'. */
  storageCall?<T>(call: { table: string; operation: string }, work: () => Promise<T>): Promise<T>;
}

/** Storage did not answer in time or at all: nothing can be said about whether a write landed. */
export class StorageUnavailableError extends Error {
  constructor(
    readonly failure: StorageFailure,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(`Table storage is unavailable (${failure})`);
    this.name = 'StorageUnavailableError';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

export type TableStoreOptions = TableConnection & {
  /** Prepended to every table name; tests use a unique prefix per run. */
  readonly prefix: string;
  /** Defaults to STORAGE_LIMITS. */
  readonly limits?: StorageLimits;
  readonly observer?: StorageObserver;
};

export class TableStore {
  private readonly clients = new Map<string, TableClient>();
  private service: TableServiceClient | undefined;
  private readonly pipeline: TableServiceClientOptions;

  constructor(private readonly options: TableStoreOptions) {
    this.pipeline = boundedPipeline(
      options.limits ?? STORAGE_LIMITS,
      options.observer,
      'afterWrite' in options ? options.afterWrite : undefined,
      options.prefix,
    );
  }

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
              ...withPipeline(o.clientOptions, this.pipeline),
              allowInsecureConnection: allowsHttp(o.connectionString),
            })
          : new TableClient(o.url, full, o.credential, withPipeline(o.clientOptions, this.pipeline));
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
              ...withPipeline(o.clientOptions, this.pipeline),
              allowInsecureConnection: allowsHttp(o.connectionString),
            })
          : new TableServiceClient(o.url, o.credential, withPipeline(o.clientOptions, this.pipeline));
    }
    return this.service;
  }

  /** Creates every table the bot uses (idempotent). */
  async ensureTables(): Promise<void> {
    await Promise.all(TABLE_NAMES.map((name) => this.client(name).createTable()));
  }

  /** A cheap round trip to the table service, for /healthz: rejects after timeoutMs. */
  async ping(timeoutMs = 1_500): Promise<void> {
    const pages = this.serviceClient()
      .listTables({ abortSignal: AbortSignal.timeout(timeoutMs) })
      .byPage({ maxPageSize: 1 });
    await pages.next();
  }

  /** Deletes every table with this prefix (tests). */
  async dropTables(): Promise<void> {
    await Promise.all(TABLE_NAMES.map((name) => this.client(name).deleteTable()));
  }
}

/** What telemetry may say about a request: the table without its prefix, never keys or filters. */
export function storageCallOf(
  url: string,
  method: string,
  prefix: string,
): { table: string; operation: string } {
  const segment = (new URL(url).pathname.split('/').at(-1) ?? '').replace(/\(.*$/, '').replace(/^%24/, '$');
  const bare = segment.startsWith(prefix) ? segment.slice(prefix.length) : '';
  const table = (TABLE_NAMES as readonly string[]).includes(bare)
    ? bare
    : segment === 'Tables'
      ? 'tables'
      : segment === '$batch'
        ? 'batch'
        : 'other';
  return { table, operation: method.toUpperCase().replace(/[^A-Z]/g, '') || 'OTHER' };
}

function withPipeline(
  options: TableServiceClientOptions | undefined,
  pipeline: TableServiceClientOptions,
): TableServiceClientOptions {
  return {
    ...options,
    ...pipeline,
    // A caller's own retry options (e.g. none, in tests that inject storage faults) stand.
    retryOptions: options?.retryOptions ?? pipeline.retryOptions,
    additionalPolicies: [...(options?.additionalPolicies ?? []), ...(pipeline.additionalPolicies ?? [])],
  };
}

/**
 * The SDK's own retry policy with a small budget, a timeout per attempt (made retryable: the SDK
 * does not retry its own timeouts), a deadline for the whole call, and the write hook.
 */
function boundedPipeline(
  limits: StorageLimits,
  observer: StorageObserver | undefined,
  afterWrite: (() => Promise<void>) | undefined,
  prefix: string,
): TableServiceClientOptions {
  const deadline: PipelinePolicy = {
    name: 'pulsStorageDeadline',
    async sendRequest(request, next) {
      const caller = request.abortSignal;
      const controller = new AbortController();
      let expired = false;
      const timer = setTimeout(() => {
        expired = true;
        controller.abort();
      }, limits.deadlineMs);
      const onCallerAbort = () => controller.abort();
      caller?.addEventListener('abort', onCallerAbort);
      if (caller?.aborted) controller.abort();
      request.abortSignal = controller.signal;
      try {
        const call = () => next(request);
        const response = observer?.storageCall
          ? await observer.storageCall(storageCallOf(request.url, request.method, prefix), call)
          : await call();
        if (afterWrite && isWrite(request.method) && response.status < 300) await afterWrite();
        return response;
      } catch (err) {
        if (caller?.aborted) throw err; // the caller gave up (e.g. /healthz): not a storage failure
        const failure = expired ? 'timeout' : failureOf(err);
        if (!failure) throw err;
        observer?.storageFailed(failure);
        throw new StorageUnavailableError(failure, statusOf(err), { cause: err });
      } finally {
        clearTimeout(timer);
        caller?.removeEventListener('abort', onCallerAbort);
      }
    },
  };
  const attemptTimeout: PipelinePolicy = {
    name: 'pulsStorageAttemptTimeout',
    async sendRequest(request, next) {
      const started = performance.now();
      request.timeout = limits.attemptTimeoutMs;
      try {
        return await next(request);
      } catch (err) {
        // The HTTP client aborts a timed-out attempt with an AbortError, which the retry policy
        // passes straight through; as ETIMEDOUT it is retried like any other dropped connection.
        const timedOut =
          (err as { name?: unknown }).name === 'AbortError' &&
          !request.abortSignal?.aborted &&
          performance.now() - started >= limits.attemptTimeoutMs - 5;
        if (!timedOut) throw err;
        throw new RestError(`storage attempt timed out after ${limits.attemptTimeoutMs} ms`, {
          code: 'ETIMEDOUT',
          request,
        });
      }
    },
  };
  return {
    retryOptions: {
      maxRetries: limits.maxRetries,
      retryDelayInMs: limits.retryDelayMs,
      maxRetryDelayInMs: limits.maxRetryDelayMs,
    },
    additionalPolicies: [
      { policy: deadline, position: 'perCall' },
      { policy: attemptTimeout, position: 'perRetry' },
    ],
  };
}

function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/** Failures that mean storage did not serve the call; undefined for answers such as 404 or 412. */
function failureOf(err: unknown): StorageFailure | undefined {
  const status = statusOf(err);
  if (status === 429 || status === 503) return 'throttled';
  if (status === 408) return 'timeout';
  if (status !== undefined && status >= 500) return 'server';
  if (status === undefined && err instanceof RestError) return 'unreachable';
  if ((err as { name?: unknown } | null)?.name === 'AbortError') return 'timeout';
  return undefined;
}

/** True when a call failed because storage was unreachable, too slow or overloaded. */
export function isStorageUnavailable(err: unknown): err is StorageUnavailableError {
  return err instanceof StorageUnavailableError;
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
