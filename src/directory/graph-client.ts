// A small Microsoft Graph client on Node's fetch: app-only tokens from an @azure/identity credential,
// a bounded timeout per attempt, Graph's limits kept by a token bucket per kind of request, 429 honoured
// with Retry-After (the whole kind pauses), 5xx and network errors retried with backoff, and paging
// over @odata.nextLink. Links are only followed on the configured Graph origin (the token goes with them).
import type { AccessToken, TokenCredential } from '@azure/identity';
import { backoffMs, GRAPH_DEFAULT_LIMITS, retryAfterMs, TokenBucket, type GraphLimits } from './rate-limit';

/** Which of Graph's limits a request counts against. */
export type GraphCategory = 'directory' | 'teams-read' | 'teams-write';

export interface GraphRequest {
  method?: 'GET' | 'POST';
  /** A path below the base URL ("/users/delta?...") or an absolute link Graph gave (nextLink, deltaLink). */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Default: teams-read / teams-write for /users/{id}/teamwork/…, else directory. */
  category?: GraphCategory;
  /** Entra resource units this request costs (directory requests; default 1). */
  cost?: number;
}

export interface GraphResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A Graph error a caller may branch on: the HTTP status (undefined: no answer) and Graph's error code. */
export class GraphError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly code: string,
    message: string,
    /** True when trying again later may help (throttled, unavailable, timed out). */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com/v1.0 (no trailing slash needed). */
  baseUrl: string;
  credential: TokenCredential;
  /** Default https://graph.microsoft.com/.default */
  scope?: string;
  /** Per attempt, including reading the body (default 30 s). */
  timeoutMs?: number;
  /** Attempts per request for 429, 5xx and network errors (default 6). */
  maxAttempts?: number;
  /** Rates to keep (default: 90 % of Graph's documented limits). */
  limits?: Partial<GraphLimits>;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface GraphStats {
  requests: number;
  throttled: number;
  retried: number;
  byCategory: Record<GraphCategory, number>;
}

const RETRY_STATUSES = new Set([500, 502, 503, 504]);
const TOKEN_REFRESH_MARGIN_MS = 2 * 60_000;

export class GraphClient {
  private readonly base: URL;
  private readonly buckets: Record<GraphCategory, TokenBucket>;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private token: AccessToken | undefined;
  private tokenRequest: Promise<AccessToken> | undefined;
  readonly stats: GraphStats = {
    requests: 0,
    throttled: 0,
    retried: 0,
    byCategory: { directory: 0, 'teams-read': 0, 'teams-write': 0 },
  };

  constructor(private readonly o: GraphClientOptions) {
    this.base = new URL(o.baseUrl.replace(/\/+$/, '') + '/');
    this.fetch = o.fetch ?? fetch;
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = o.random ?? Math.random;
    const limits = { ...GRAPH_DEFAULT_LIMITS, ...o.limits };
    const bucket = (ratePerSecond: number, burst?: number) =>
      new TokenBucket({ ratePerSecond, burst, now: this.o.now, sleep: this.sleep });
    this.buckets = {
      // Entra counts resource units in 10-second windows: a second's worth at once at most.
      directory: bucket(limits.directoryUnitsPer10s / 10, limits.directoryUnitsPer10s / 10),
      'teams-read': bucket(limits.teamsReadPerSecond),
      'teams-write': bucket(limits.teamsWritePerSecond),
    };
  }

  /** The absolute URL of a path or link; refuses links to another origin than Graph's. */
  resolve(url: string): URL {
    const resolved = /^https?:\/\//i.test(url) ? new URL(url) : new URL(url.replace(/^\/+/, ''), this.base);
    if (resolved.origin !== this.base.origin)
      throw new GraphError(
        undefined,
        'ForeignLink',
        `refusing to follow a link outside ${this.base.origin}`,
        false,
      );
    return resolved;
  }

  /**
   * Sends a request, waiting for its kind's rate and retrying 429, 5xx and network errors. Resolves with
   * any other answer (2xx or 4xx) for the caller to judge; rejects with a transient GraphError when the
   * attempts are used up.
   */
  async send<T = unknown>(request: GraphRequest): Promise<GraphResponse<T>> {
    const url = this.resolve(request.url);
    const method = request.method ?? 'GET';
    const category = request.category ?? categoryOf(url, method);
    const bucket = this.buckets[category];
    const maxAttempts = this.o.maxAttempts ?? 6;
    let refreshedToken = false;
    let last: GraphError | undefined;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0) this.stats.retried++;
      await bucket.acquire(request.cost ?? 1);
      const token = await this.accessToken();
      this.stats.requests++;
      this.stats.byCategory[category]++;
      let res: Response;
      let text: string;
      try {
        const signal = AbortSignal.timeout(this.o.timeoutMs ?? 30_000);
        res = await this.fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...request.headers,
          },
          body: request.body !== undefined ? JSON.stringify(request.body) : undefined,
          signal,
        });
        text = await res.text();
      } catch (err) {
        last = new GraphError(
          undefined,
          'NetworkError',
          `Graph did not answer: ${(err as Error).message}`,
          true,
        );
        await this.sleep(backoffMs(attempt, this.random));
        continue;
      }
      if (res.status === 429) {
        this.stats.throttled++;
        const wait =
          retryAfterMs(res.headers.get('retry-after'), this.now()) ?? backoffMs(attempt, this.random);
        bucket.pause(wait);
        last = errorOf(res.status, text, true);
        continue; // the bucket holds this request (and every other of its kind) until the wait is over
      }
      if (RETRY_STATUSES.has(res.status)) {
        const wait =
          retryAfterMs(res.headers.get('retry-after'), this.now()) ?? backoffMs(attempt, this.random);
        last = errorOf(res.status, text, true);
        await this.sleep(wait);
        continue;
      }
      if (res.status === 401 && !refreshedToken) {
        // An expired or revoked token: get a new one once.
        refreshedToken = true;
        this.token = undefined;
        attempt--;
        continue;
      }
      return { status: res.status, body: parseBody(text) as T, headers: res.headers };
    }
    throw last ?? new GraphError(undefined, 'NoAttempt', 'no attempt was made', true);
  }

  /** GET (or POST) expecting 2xx; any other answer becomes a GraphError. */
  async json<T>(request: GraphRequest): Promise<T> {
    const res = await this.send<T>(request);
    if (res.status >= 200 && res.status < 300) return res.body;
    throw errorOf(res.status, res.body, false);
  }

  /**
   * Every page of a collection, following @odata.nextLink. The last page carries @odata.deltaLink
   * when it was a delta query.
   */
  async *pages<T>(
    first: GraphRequest,
  ): AsyncGenerator<{ value: T[]; nextLink: string | undefined; deltaLink: string | undefined }> {
    let request: GraphRequest | undefined = first;
    while (request) {
      const page: CollectionPage<T> = await this.json<CollectionPage<T>>(request);
      const nextLink: string | undefined = page['@odata.nextLink'];
      yield { value: page.value ?? [], nextLink, deltaLink: page['@odata.deltaLink'] };
      request = nextLink ? { ...first, url: nextLink } : undefined;
    }
  }

  private async accessToken(): Promise<string> {
    const current = this.token;
    if (current && current.expiresOnTimestamp - TOKEN_REFRESH_MARGIN_MS > this.now()) return current.token;
    this.tokenRequest ??= this.o.credential
      .getToken(this.o.scope ?? 'https://graph.microsoft.com/.default', {
        abortSignal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000),
      })
      .then((t) => {
        if (!t) throw new GraphError(undefined, 'NoToken', 'the credential gave no token for Graph', false);
        this.token = t;
        return t;
      })
      .finally(() => (this.tokenRequest = undefined));
    return (await this.tokenRequest).token;
  }
}

interface CollectionPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** /users/{id}/teamwork/… counts against the Teams limits; everything else Puls calls is Entra ID. */
export function categoryOf(url: URL, method: string): GraphCategory {
  if (/\/users\/[^/]+\/teamwork\//i.test(url.pathname))
    return method === 'GET' ? 'teams-read' : 'teams-write';
  return 'directory';
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Graph's error body: { error: { code, message } }. */
export function errorOf(status: number, body: unknown, transient: boolean): GraphError {
  const parsed = typeof body === 'string' ? parseBody(body) : body;
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : `Http${status}`;
  const message = typeof error?.message === 'string' ? error.message : `Graph answered ${status}`;
  return new GraphError(status, code, message, transient);
}
