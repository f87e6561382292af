// A Teams throttling simulator: a local stand-in for the Bot Connector service (the same URL shapes as
// CaptureConnector) that enforces Teams' documented send limits, so the delivery engine can be tested
// against 429s, Retry-After, 5xx, blocked and deleted conversations without a tenant.
//
// Limits (per bot; the counts are multiplied by `scale`, the window lengths stay as they are):
//   per conversation: 7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per 3,600 s
//   per tenant (all conversations together): 50 per 1 s
// Every request to a conversation counts (send, reply, update, delete, create conversation), but only
// accepted requests use up budget: a 429, 5xx, 403 or 404 is not recorded in any window.
//
// Retry-After: a 429 announces a wait of max(retryAfterSeconds / scale, the time until the request would
// fit into every window it broke). Teams sends whole seconds, so `Retry-After` is that wait rounded up
// (at least 1); the exact wait also goes out as `retry-after-ms` (fractional when scale > 1). Note that
// the Azure pipeline behind botbuilder's ConnectorClient prefers `retry-after-ms` when it is present.
// The announced wait is a back-off window: a later request that falls inside it, for the same tenant
// (after a tenant-wide 429) or for the same conversation (after a per-conversation 429), is counted as a
// violation. It is still answered as usual. A 429 without Retry-After (omitRetryAfterShare) announces
// nothing, so it opens no back-off window.
//
// Besides what it accepted, it counts what arrived: the most requests for one tenant within any 1 s,
// accepted or not (maxRequestedInAnyWindow), which is what "never above the tenant limit" is about.
//
// Cost per request: O(log n) in the window sizes (binary searches over a bounded, pruned ring of
// timestamps); memory: per conversation at most 1,800 × scale timestamps, per tenant 50 × scale, plus
// the ids of the accepted messages (kept so a test can check "exactly one card per user").
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TeamsSimulatorOptions {
  /** Multiplies every rate limit (the counts, not the window lengths). Default 1. */
  scale?: number;
  /** Share (0..1) of otherwise-accepted requests answered 502 or 503 at random. Default 0. */
  failureRate?: number;
  /** Conversations that always answer 403 (the user blocked or uninstalled the bot). */
  blockedConversations?: Iterable<string>;
  /** Conversations that always answer 404 (deleted / unknown conversation). */
  notFoundConversations?: Iterable<string>;
  /**
   * Minimum wait announced on a 429, in seconds before scaling; the announced wait is
   * max(retryAfterSeconds / scale, time until the request would fit). Default 1.
   */
  retryAfterSeconds?: number;
  /** Share (0..1) of 429s sent without Retry-After / retry-after-ms, to exercise backoff. Default 0. */
  omitRetryAfterShare?: number;
  /** Random source in [0, 1) for failures and omitted Retry-After; pass a seeded PRNG for repeatable tests. */
  random?: () => number;
  /** Current time in ms (default Date.now); inject a fake clock to test without waiting. */
  clock?: () => number;
  /** Milliseconds to hold every answer (real time, a slow service). Default 0. */
  delayMs?: number | (() => number);
  /** Called for every accepted request, with its body (which the simulator itself does not keep). */
  onAccepted?: (record: AcceptedRequest) => void;
}

export type RequestKind = 'send' | 'reply' | 'update' | 'delete' | 'createConversation' | 'other';

export interface AcceptedRequest {
  kind: RequestKind;
  conversationId: string;
  tenantId: string;
  /** The id the simulator gave the message (for update/delete: the id in the URL). */
  id: string;
  /** The activity (for createConversation: parameters.activity, if any). */
  activity: Record<string, unknown> | undefined;
  /** createConversation only: the conversation parameters. */
  parameters?: Record<string, unknown>;
  at: number;
}

/** Which limit a 429 was for. */
export type ThrottleReason =
  'tenant-1s' | 'conversation-1s' | 'conversation-2s' | 'conversation-30s' | 'conversation-3600s';

export interface WindowPeaks {
  /** Most requests accepted for one tenant within any 1 s. */
  tenant1s: number;
  /** Most requests accepted for one conversation within any 1 s / 2 s / 30 s / 3600 s. */
  conversation1s: number;
  conversation2s: number;
  conversation30s: number;
  conversation3600s: number;
}

interface Limit {
  reason: ThrottleReason;
  count: number;
  windowMs: number;
}

/** Teams' documented limits at scale 1. */
export const TEAMS_LIMITS = {
  conversation: [
    { reason: 'conversation-1s', count: 7, windowMs: 1_000 },
    { reason: 'conversation-2s', count: 8, windowMs: 2_000 },
    { reason: 'conversation-30s', count: 60, windowMs: 30_000 },
    { reason: 'conversation-3600s', count: 1_800, windowMs: 3_600_000 },
  ],
  tenant: [{ reason: 'tenant-1s', count: 50, windowMs: 1_000 }],
} as const satisfies { conversation: readonly Limit[]; tenant: readonly Limit[] };

/**
 * Timestamps of accepted requests, oldest first, keeping only as many as the largest limit can look at
 * and none older than the longest window.
 */
class SlidingLog {
  private items: number[] = [];
  private head = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxWindowMs: number,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** The i-th timestamp, 0 = oldest kept. */
  at(i: number): number {
    return this.items[this.head + i]!;
  }

  /** The newest timestamp, or -Infinity. */
  get last(): number {
    return this.size ? this.items[this.items.length - 1]! : -Infinity;
  }

  push(t: number): void {
    this.items.push(t);
    if (this.size > this.capacity) this.head++;
    this.prune(t);
  }

  prune(now: number): void {
    while (this.size && this.items[this.head]! <= now - this.maxWindowMs) this.head++;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Timestamps t with since < t (binary search; the log is sorted as long as the clock does not go back). */
  countAfter(since: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid) > since) hi = mid;
      else lo = mid + 1;
    }
    return this.size - lo;
  }

  /**
   * Milliseconds until one more request fits into the window (0 = it fits now). The window holds
   * (now - windowMs, now]; it is full when the `count`-th newest timestamp is still inside.
   */
  waitFor(limit: Limit, now: number): number {
    if (this.size < limit.count) return 0;
    const oldestThatCounts = this.at(this.size - limit.count);
    return oldestThatCounts > now - limit.windowMs ? oldestThatCounts + limit.windowMs - now : 0;
  }
}

class Counter<K extends string> {
  readonly map = new Map<K, number>();
  add(key: K): void {
    this.map.set(key, (this.map.get(key) ?? 0) + 1);
  }
}

export class TeamsSimulator {
  readonly scale: number;
  private readonly conversationLimits: Limit[];
  private readonly tenantLimits: Limit[];
  private readonly blocked: Set<string>;
  private readonly notFound: Set<string>;
  private readonly random: () => number;
  private readonly clock: () => number;

  private server?: http.Server;
  url = '';

  private conversationLogs = new Map<string, SlidingLog>();
  private tenantLogs = new Map<string, SlidingLog>();
  /** Back-off windows announced on 429s: key `t:<tenant>` or `c:<conversation>` → until (ms). */
  private backoffUntil = new Map<string, number>();
  private messageIds = new Map<string, string[]>();
  private reasons = new Counter<ThrottleReason>();
  private statuses = new Counter<string>();
  private peaks: WindowPeaks = emptyPeaks();
  /** Every request per tenant (accepted or not), to see what the senders asked for. */
  private arrivalLogs = new Map<string, SlidingLog>();
  private requestedTenant1s = 0;
  private requestsSeen = 0;

  /** Accepted new messages (send, reply, createConversation with an activity). */
  acceptedTotal = 0;
  /** Accepted requests of any kind (messages, updates, deletes, conversations created). */
  acceptedRequests = 0;
  /** Accepted updates (PUT …/activities/:id). */
  updates = 0;
  /** Accepted createConversation calls. */
  conversationsCreated = 0;
  /** 429 answers. */
  throttled = 0;
  /** 429 answers sent without Retry-After. */
  throttledWithoutRetryAfter = 0;
  /** 502/503 answers. */
  failed = 0;
  /** 403/404 answers for blocked or unknown conversations. */
  refused = 0;
  /** Requests that arrived inside a back-off window this simulator had announced. */
  violations = 0;

  constructor(private readonly options: TeamsSimulatorOptions = {}) {
    this.scale = options.scale ?? 1;
    if (!(this.scale > 0)) throw new Error('TeamsSimulator: scale must be > 0');
    const scaled = (l: Limit): Limit => ({ ...l, count: Math.max(1, Math.floor(l.count * this.scale)) });
    this.conversationLimits = TEAMS_LIMITS.conversation.map(scaled);
    this.tenantLimits = TEAMS_LIMITS.tenant.map(scaled);
    this.blocked = new Set(options.blockedConversations ?? []);
    this.notFound = new Set(options.notFoundConversations ?? []);
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
  }

  /** Starts the server; answers the serviceUrl (ending in /). */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** Forgets all counters, windows, back-off windows and recorded ids (the server keeps running). */
  reset(): void {
    this.conversationLogs.clear();
    this.tenantLogs.clear();
    this.backoffUntil.clear();
    this.messageIds.clear();
    this.reasons.map.clear();
    this.statuses.map.clear();
    this.peaks = emptyPeaks();
    this.arrivalLogs.clear();
    this.requestedTenant1s = 0;
    this.requestsSeen = 0;
    this.acceptedTotal = 0;
    this.acceptedRequests = 0;
    this.updates = 0;
    this.conversationsCreated = 0;
    this.throttled = 0;
    this.throttledWithoutRetryAfter = 0;
    this.failed = 0;
    this.refused = 0;
    this.violations = 0;
  }

  /** Accepted new messages in one conversation. */
  accepted(conversationId: string): number {
    return this.messageIds.get(conversationId)?.length ?? 0;
  }

  /** Ids of the accepted new messages in one conversation, oldest first. */
  acceptedIds(conversationId: string): readonly string[] {
    return this.messageIds.get(conversationId) ?? [];
  }

  /** Every conversation with at least one accepted message → its message ids. */
  acceptedByConversation(): ReadonlyMap<string, readonly string[]> {
    return this.messageIds;
  }

  /** Conversations that received more than one message (for "exactly one card per user"). */
  duplicates(): string[] {
    return [...this.messageIds].filter(([, ids]) => ids.length > 1).map(([id]) => id);
  }

  /** 429s by the limit that was hit. */
  throttledBy(): Partial<Record<ThrottleReason, number>> {
    return Object.fromEntries(this.reasons.map);
  }

  /** Answers by HTTP status, e.g. { '200': 7, '429': 1 }. */
  statusCounts(): Record<string, number> {
    return Object.fromEntries(this.statuses.map);
  }

  /** All requests received (routed or not). */
  get requests(): number {
    return this.requestsSeen;
  }

  /** The most requests accepted within any window of each kind, seen so far (≤ the scaled limits). */
  /**
   * The most requests that arrived for one tenant within any 1 s, accepted or not: what the senders
   * together asked of the tenant limit (above the limit only if they overshot it). Counted up to four
   * times the limit.
   */
  maxRequestedInAnyWindow(): { tenant1s: number } {
    return { tenant1s: this.requestedTenant1s };
  }

  maxAcceptedInAnyWindow(): WindowPeaks {
    return { ...this.peaks };
  }

  /** The limits in force (after scaling). */
  limits(): { conversation: readonly Limit[]; tenant: readonly Limit[] } {
    return { conversation: this.conversationLimits, tenant: this.tenantLimits };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    this.requestsSeen++;
    const now = this.clock();
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // /v3/conversations[/:conversationId[/activities[/:activityId]]]
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') {
      return this.answer(res, 404, errorBody('NotFound', `no route ${req.method} ${url.pathname}`));
    }
    let parsed: Record<string, unknown> = {};
    try {
      parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      return this.answer(res, 400, errorBody('BadArgument', 'body is not JSON'));
    }

    const method = req.method ?? 'GET';
    const kind = requestKind(method, parts);
    const activityId = parts[3] === 'activities' ? parts[4] : undefined;
    let conversationId = parts[2] ?? '';
    let activity = parsed;
    let parameters: Record<string, unknown> | undefined;
    if (kind === 'createConversation') {
      parameters = parsed;
      activity = asRecord(parsed.activity) ?? {};
      // A 1:1 conversation with a user is stable in Teams: creating it again gives the same id.
      const member = asRecord(Array.isArray(parsed.members) ? parsed.members[0] : undefined);
      conversationId = `a:conv-${typeof member?.id === 'string' ? member.id : randomUUID()}`;
    }
    const tenantId = tenantOf(parsed, activity);

    let arrivals = this.arrivalLogs.get(tenantId);
    if (!arrivals) {
      arrivals = new SlidingLog(4 * this.tenantLimits[0]!.count, this.tenantLimits[0]!.windowMs);
      this.arrivalLogs.set(tenantId, arrivals);
    }
    arrivals.push(now);
    this.requestedTenant1s = Math.max(this.requestedTenant1s, arrivals.countAfter(now - 1_000));

    // Back-off windows announced earlier: a request inside one is a violation (but is answered as usual).
    if (
      (this.backoffUntil.get(`t:${tenantId}`) ?? -Infinity) > now ||
      (this.backoffUntil.get(`c:${conversationId}`) ?? -Infinity) > now
    ) {
      this.violations++;
    }

    if (this.blocked.has(conversationId)) {
      this.refused++;
      return this.answer(
        res,
        403,
        errorBody('ConversationBlockedByUser', 'User blocked the conversation with the bot.'),
      );
    }
    if (this.notFound.has(conversationId)) {
      this.refused++;
      return this.answer(res, 404, errorBody('ConversationNotFound', 'Conversation not found.'));
    }

    // Rate limits: tenant first, then the conversation's windows.
    const tenantLog = this.logFor(this.tenantLogs, tenantId, this.tenantLimits);
    const conversationLog = this.logFor(this.conversationLogs, conversationId, this.conversationLimits);
    let waitMs = 0;
    let reason: ThrottleReason | undefined;
    let backoffKey = '';
    for (const [log, limits, key] of [
      [tenantLog, this.tenantLimits, `t:${tenantId}`],
      [conversationLog, this.conversationLimits, `c:${conversationId}`],
    ] as const) {
      for (const limit of limits) {
        const wait = log.waitFor(limit, now);
        if (wait > waitMs) {
          // The limit that needs the longest wait decides the reason and whose back-off window it is.
          waitMs = wait;
          reason = limit.reason;
          backoffKey = key;
        }
      }
    }
    if (reason) {
      this.throttled++;
      this.reasons.add(reason);
      const headers: Record<string, string> = {};
      if (this.options.omitRetryAfterShare && this.random() < this.options.omitRetryAfterShare) {
        this.throttledWithoutRetryAfter++;
      } else {
        const announcedMs = Math.max(((this.options.retryAfterSeconds ?? 1) * 1000) / this.scale, waitMs);
        headers['retry-after'] = String(Math.max(1, Math.ceil(announcedMs / 1000)));
        headers['retry-after-ms'] = String(Math.ceil(announcedMs));
        const until = now + announcedMs;
        if ((this.backoffUntil.get(backoffKey) ?? -Infinity) < until)
          this.backoffUntil.set(backoffKey, until);
      }
      return this.answer(res, 429, errorBody('Throttled', `Too many requests (${reason}).`), headers);
    }

    if (this.options.failureRate && this.random() < this.options.failureRate) {
      this.failed++;
      const status = this.random() < 0.5 ? 502 : 503;
      return this.answer(res, status, errorBody('ServiceError', `simulated ${status}`));
    }

    // Accepted.
    tenantLog.push(now);
    conversationLog.push(now);
    this.recordPeaks(tenantLog, conversationLog, now);
    this.acceptedRequests++;
    const id = (kind === 'update' || kind === 'delete') && activityId ? activityId : `msg-${randomUUID()}`;
    const isMessage =
      kind === 'send' || kind === 'reply' || (kind === 'createConversation' && !!parameters?.activity);
    if (isMessage) {
      this.acceptedTotal++;
      const ids = this.messageIds.get(conversationId);
      if (ids) ids.push(id);
      else this.messageIds.set(conversationId, [id]);
    }
    if (kind === 'update') this.updates++;
    if (kind === 'createConversation') this.conversationsCreated++;
    this.options.onAccepted?.({
      kind,
      conversationId,
      tenantId,
      id,
      activity: kind === 'createConversation' ? asRecord(parameters?.activity) : activity,
      ...(parameters ? { parameters } : {}),
      at: now,
    });

    if (kind === 'createConversation') {
      return this.answer(res, 201, {
        id: conversationId,
        ...(parameters?.activity ? { activityId: id } : {}),
        serviceUrl: this.url,
      });
    }
    if (kind === 'other' && method === 'GET') return this.answer(res, 200, []);
    if (kind === 'delete') return this.answer(res, 200, {});
    return this.answer(res, kind === 'update' ? 200 : 201, { id });
  }

  private logFor(logs: Map<string, SlidingLog>, key: string, limits: Limit[]): SlidingLog {
    let log = logs.get(key);
    if (!log) {
      log = new SlidingLog(
        Math.max(...limits.map((l) => l.count)),
        Math.max(...limits.map((l) => l.windowMs)),
      );
      logs.set(key, log);
    }
    return log;
  }

  private recordPeaks(tenantLog: SlidingLog, conversationLog: SlidingLog, now: number): void {
    const p = this.peaks;
    p.tenant1s = Math.max(p.tenant1s, tenantLog.countAfter(now - 1_000));
    p.conversation1s = Math.max(p.conversation1s, conversationLog.countAfter(now - 1_000));
    p.conversation2s = Math.max(p.conversation2s, conversationLog.countAfter(now - 2_000));
    p.conversation30s = Math.max(p.conversation30s, conversationLog.countAfter(now - 30_000));
    p.conversation3600s = Math.max(p.conversation3600s, conversationLog.countAfter(now - 3_600_000));
  }

  private answer(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    this.statuses.add(String(status));
    const send = (): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const delay =
      typeof this.options.delayMs === 'function' ? this.options.delayMs() : (this.options.delayMs ?? 0);
    if (delay > 0) setTimeout(send, delay);
    else send();
  }
}

function emptyPeaks(): WindowPeaks {
  return { tenant1s: 0, conversation1s: 0, conversation2s: 0, conversation30s: 0, conversation3600s: 0 };
}

function requestKind(method: string, parts: string[]): RequestKind {
  if (parts.length === 2) return method === 'POST' ? 'createConversation' : 'other';
  if (parts[3] !== 'activities') return 'other';
  if (method === 'PUT') return 'update';
  if (method === 'DELETE') return 'delete';
  if (method === 'POST') return parts[4] ? 'reply' : 'send';
  return 'other';
}

/** The tenant of a request: conversation.tenantId, channelData.tenant.id or (createConversation) tenantId. */
function tenantOf(parsed: Record<string, unknown>, activity: Record<string, unknown>): string {
  for (const source of [activity, parsed]) {
    const conversation = asRecord(source.conversation);
    if (typeof conversation?.tenantId === 'string') return conversation.tenantId;
    const tenant = asRecord(asRecord(source.channelData)?.tenant);
    if (typeof tenant?.id === 'string') return tenant.id;
    if (typeof source.tenantId === 'string') return source.tenantId;
  }
  return 'default';
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A recipient of a 1:1 chat served by a simulator (or any connector) at `serviceUrl`. */
export function simulatedRecipient(serviceUrl: string, userId: string, conversationId = `a:conv-${userId}`) {
  return {
    userId,
    locale: 'de' as const,
    reference: {
      serviceUrl,
      channelId: 'msteams',
      conversation: {
        id: conversationId,
        conversationType: 'personal',
        isGroup: false,
        name: '',
        tenantId: 'hamburg',
      },
      bot: { id: '28:puls', name: 'Puls' },
      user: { id: userId, name: userId },
    },
  };
}
