// A Microsoft Graph simulator: a local stand-in for the parts of Graph that Puls calls, with Graph's
// documented throttling, so that the directory sync, audiences and proactive installation can be tested
// end to end without a tenant. Served under /v1.0 (the base URL is `${url}v1.0`).
//
//   GET  /users/delta                                  users, $select, nextLink paging, deltaLink; a
//                                                      deltaLink round returns only the users whose selected
//                                                      properties changed, and removed ones with @removed;
//                                                      an outdated token answers 410 Gone (full resync)
//   GET  /groups?$filter=startswith(displayName,'…')  group name search (also $search="displayName:…",
//   GET  /groups?$search="displayName:…"                which needs ConsistencyLevel: eventual), paged
//   GET  /groups/{id}/transitiveMembers[/microsoft.graph.user]   nested members, flattened, paged
//   GET  /users/{id}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/id eq '…'
//   POST /users/{id}/teamwork/installedApps           201; 409 when installed; 403 without a Teams licence
//   GET  /users/{id}/teamwork/installedApps/{installationId}/chat   the 1:1 chat's id
//
// Limits, per app and tenant (counts multiplied by `scale`, windows kept):
//   Entra ID (users, groups): 8,000 resource units per 10 s (a tenant over 500 users), costs as Graph
//     documents them (transitiveMembers 5, $select -1, never below 1)
//   Teams GET installedApps (and the installation's chat): 30 per s; POST installedApps: 30 per s
// Only accepted requests use budget. A 429 carries Retry-After: max(retryAfterSeconds / scale, the time
// until the request fits), in seconds (fractional when scaled, as Graph itself may send); a request of
// the same kind arriving later inside an announced wait counts as a violation (and is answered as usual).
// Without a Teams licence the Teams routes answer what Graph's Teams backend answers for such a user:
// 403 Forbidden, "Failed to get license information for the user. …".
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimUser {
  id: string;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  companyName?: string | null;
  department?: string | null;
  officeLocation?: string | null;
  /** An assigned licence with the Teams service plan (default true). */
  teamsLicensed?: boolean;
}

export interface SimGroup {
  id: string;
  displayName: string;
  /** Ids of users or of other groups (nested). */
  members: string[];
}

export type SimCategory = 'directory' | 'teams-read' | 'teams-write';
export type SimRoute =
  | 'users-delta'
  | 'groups'
  | 'transitive-members'
  | 'installed-apps-list'
  | 'installed-apps-install'
  | 'installation-chat'
  | 'unknown';

export interface GraphSimulatorOptions {
  /** Multiplies every rate limit (the counts, not the windows). Default 1. */
  scale?: number;
  /** Entra's tenant-size class for the resource-unit limit: S 3,500, M 5,000, L 8,000 per 10 s. Default L. */
  tenantSize?: 'S' | 'M' | 'L';
  /** Share (0..1) of otherwise accepted requests answered 503. Default 0. */
  failureRate?: number;
  /** Minimum wait announced on a 429, in seconds before scaling. Default 1. */
  retryAfterSeconds?: number;
  /** Users per /users/delta page. Default 200. */
  deltaPageSize?: number;
  /** The app's id in the tenant's app catalog. Default 'puls-catalog-app'. */
  catalogAppId?: string;
  /** The bot's app id (part of the 1:1 chat ids). Default 'puls-bot'. */
  botAppId?: string;
  /** The bearer token to accept; default: any. */
  acceptToken?: string;
  random?: () => number;
  clock?: () => number;
}

interface Limit {
  units: number;
  windowMs: number;
}

/** Graph's documented limits at scale 1. */
export const GRAPH_LIMITS = {
  directory: { S: 3_500, M: 5_000, L: 8_000, windowMs: 10_000 },
  teamsRead: { units: 30, windowMs: 1_000 },
  teamsWrite: { units: 30, windowMs: 1_000 },
} as const;

const USER_PROPERTIES = [
  'accountEnabled',
  'userType',
  'companyName',
  'department',
  'officeLocation',
] as const;
type UserProperty = (typeof USER_PROPERTIES)[number];

const LICENCE_ERROR =
  'Failed to get license information for the user. Ensure user has a valid Office365 license assigned to them.';

/** Accepted units per window as a sliding log: (time, cost) pairs, oldest first. */
class UnitWindow {
  private times: number[] = [];
  private costs: number[] = [];
  private head = 0;
  private used = 0;
  peak = 0;

  constructor(readonly limit: Limit) {}

  private prune(now: number): void {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.limit.windowMs) {
      this.used -= this.costs[this.head]!;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.costs = this.costs.slice(this.head);
      this.head = 0;
    }
  }

  /** Milliseconds until `cost` more units fit (0 = now). */
  waitFor(cost: number, now: number): number {
    this.prune(now);
    if (this.used + cost <= this.limit.units) return 0;
    let freed = 0;
    for (let i = this.head; i < this.times.length; i++) {
      freed += this.costs[i]!;
      if (this.used - freed + cost <= this.limit.units) return this.times[i]! + this.limit.windowMs - now;
    }
    return this.limit.windowMs;
  }

  record(cost: number, now: number): void {
    this.times.push(now);
    this.costs.push(cost);
    this.used += cost;
    this.peak = Math.max(this.peak, this.used);
  }
}

class Counter<K extends string> {
  readonly map = new Map<K, number>();
  add(key: K, n = 1): void {
    this.map.set(key, (this.map.get(key) ?? 0) + n);
  }
  get(key: K): number {
    return this.map.get(key) ?? 0;
  }
}

interface DeltaRound {
  items: { id: string; removed?: 'changed' | 'deleted' }[];
  select: UserProperty[];
  toVersion: number;
}

interface SimState {
  user: SimUser;
  /** Version of the last change of each property (creation changes all). */
  changed: Map<UserProperty, number>;
}

export class GraphSimulator {
  readonly scale: number;
  readonly catalogAppId: string;
  readonly botAppId: string;
  private readonly random: () => number;
  private readonly clock: () => number;
  private readonly windows: Record<SimCategory, UnitWindow>;
  private server?: http.Server;
  /** The simulator's root, ending in /; Graph's base URL is `${url}v1.0`. */
  url = '';

  private users = new Map<string, SimState>();
  private removed = new Map<string, { version: number; reason: 'changed' | 'deleted' }>();
  private groups = new Map<string, SimGroup>();
  private installations = new Map<string, string>();
  private version = 0;
  /** Bumped by invalidateDeltaTokens(): older tokens answer 410. */
  private epoch = 1;
  private rounds = new Map<string, DeltaRound>();
  private failures: number[] = [];
  /** Waits announced on 429s per kind: from when, until when (ms). */
  private backoffUntil = new Map<SimCategory, { from: number; until: number }>();

  private readonly routes = new Counter<SimRoute>();
  private readonly statuses = new Counter<string>();
  private readonly throttledKinds = new Counter<SimCategory>();
  /** Requests received (routed or not). */
  requests = 0;
  /** 429 answers. */
  throttled = 0;
  /** 503 answers (injected). */
  failed = 0;
  /** Requests that arrived inside a wait this simulator had announced for their kind. */
  violations = 0;
  /** Installations made through POST (201). */
  installsCreated = 0;
  /** POSTs answered 409 (already installed). */
  conflicts = 0;

  constructor(private readonly options: GraphSimulatorOptions = {}) {
    this.scale = options.scale ?? 1;
    if (!(this.scale > 0)) throw new Error('GraphSimulator: scale must be > 0');
    this.catalogAppId = options.catalogAppId ?? 'puls-catalog-app';
    this.botAppId = options.botAppId ?? 'puls-bot';
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
    const scaled = (units: number, windowMs: number): UnitWindow =>
      new UnitWindow({ units: Math.max(1, Math.floor(units * this.scale)), windowMs });
    this.windows = {
      directory: scaled(GRAPH_LIMITS.directory[options.tenantSize ?? 'L'], GRAPH_LIMITS.directory.windowMs),
      'teams-read': scaled(GRAPH_LIMITS.teamsRead.units, GRAPH_LIMITS.teamsRead.windowMs),
      'teams-write': scaled(GRAPH_LIMITS.teamsWrite.units, GRAPH_LIMITS.teamsWrite.windowMs),
    };
  }

  /** Starts the server; answers Graph's base URL (…/v1.0). */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.baseUrl;
  }

  get baseUrl(): string {
    return `${this.url}v1.0`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  // --- the directory ------------------------------------------------------------------------------

  addUser(user: SimUser): void {
    this.version++;
    this.removed.delete(user.id);
    const changed = new Map<UserProperty, number>(USER_PROPERTIES.map((p) => [p, this.version]));
    this.users.set(user.id, { user: { teamsLicensed: true, ...user }, changed });
  }

  addUsers(users: Iterable<SimUser>): void {
    for (const u of users) this.addUser(u);
  }

  /** Changes a user the way an administrator would; only the given properties count as changed. */
  updateUser(id: string, patch: Partial<Omit<SimUser, 'id'>>): void {
    const state = this.users.get(id);
    if (!state) throw new Error(`GraphSimulator: no user ${id}`);
    this.version++;
    for (const [key, value] of Object.entries(patch)) {
      const k = key as keyof SimUser;
      if (state.user[k] === value) continue;
      (state.user as unknown as Record<string, unknown>)[k] = value;
      if ((USER_PROPERTIES as readonly string[]).includes(k))
        state.changed.set(k as UserProperty, this.version);
    }
  }

  /** Deletes a user: 'changed' = soft-deleted (restorable), 'deleted' = gone for good. */
  deleteUser(id: string, reason: 'changed' | 'deleted' = 'changed'): void {
    if (!this.users.delete(id)) throw new Error(`GraphSimulator: no user ${id}`);
    this.version++;
    this.removed.set(id, { version: this.version, reason });
    this.installations.delete(id);
  }

  user(id: string): Readonly<SimUser> | undefined {
    return this.users.get(id)?.user;
  }

  allUsers(): Readonly<SimUser>[] {
    return [...this.users.values()].map((s) => s.user);
  }

  addGroup(group: SimGroup): void {
    this.groups.set(group.id, { ...group, members: [...group.members] });
  }

  /** Every user in a group, through nested groups (what transitiveMembers lists, users only). */
  transitiveUserIds(groupId: string): Set<string> {
    const users = new Set<string>();
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      const group = this.groups.get(id);
      if (!group) {
        if (this.users.has(id)) users.add(id);
        return;
      }
      for (const m of group.members) visit(m);
    };
    for (const m of this.groups.get(groupId)?.members ?? []) visit(m);
    return users;
  }

  /** Old delta tokens answer 410 Gone from now on (Graph asks for a full resync). */
  invalidateDeltaTokens(): void {
    this.epoch++;
  }

  // --- Teams apps ---------------------------------------------------------------------------------

  /** The app is installed for the user already (by policy, or by the user). */
  install(userId: string): void {
    this.installations.set(userId, installationIdOf(userId, this.catalogAppId));
  }

  isInstalled(userId: string): boolean {
    return this.installations.has(userId);
  }

  installedUserIds(): string[] {
    return [...this.installations.keys()];
  }

  /** The id of the 1:1 chat between a user and the bot (as GET …/installedApps/{id}/chat gives it). */
  chatIdOf(userId: string): string {
    return `19:${userId}_${this.botAppId}@unq.gbl.spaces`;
  }

  // --- faults and figures -------------------------------------------------------------------------

  /** The next `n` requests (after authentication) are answered with `status` (default 503). */
  failNext(n: number, status = 503): void {
    for (let i = 0; i < n; i++) this.failures.push(status);
  }

  /** Requests by route. */
  routeCounts(): Partial<Record<SimRoute, number>> {
    return Object.fromEntries(this.routes.map);
  }

  /** Answers by HTTP status, e.g. { '200': 7, '429': 1 }. */
  statusCounts(): Record<string, number> {
    return Object.fromEntries(this.statuses.map);
  }

  /** 429s by the kind of limit. */
  throttledBy(): Partial<Record<SimCategory, number>> {
    return Object.fromEntries(this.throttledKinds.map);
  }

  /** The most units accepted within one window of each kind, seen so far (≤ the scaled limits). */
  peakUnits(): Record<SimCategory, number> {
    return {
      directory: this.windows.directory.peak,
      'teams-read': this.windows['teams-read'].peak,
      'teams-write': this.windows['teams-write'].peak,
    };
  }

  /** The limits in force (after scaling). */
  limits(): Record<SimCategory, Limit> {
    return {
      directory: this.windows.directory.limit,
      'teams-read': this.windows['teams-read'].limit,
      'teams-write': this.windows['teams-write'].limit,
    };
  }

  /** Forgets counters and throttling windows (the data stays). */
  resetCounters(): void {
    for (const c of [this.routes, this.statuses, this.throttledKinds]) c.map.clear();
    this.requests =
      this.throttled =
      this.failed =
      this.violations =
      this.installsCreated =
      this.conflicts =
        0;
    this.backoffUntil.clear();
    for (const [k, w] of Object.entries(this.windows))
      this.windows[k as SimCategory] = new UnitWindow(w.limit);
  }

  // --- HTTP ---------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    this.requests++;
    const now = this.clock();
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v1.0') return this.answer(res, 404, graphError('NotFound', `no route ${url.pathname}`));
    const route = routeOf(method, parts.slice(1));
    this.routes.add(route.name);
    if (route.name === 'unknown')
      return this.answer(
        res,
        400,
        graphError('BadRequest', `Resource not found for the segment '${parts[1]}'.`),
      );

    const auth = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(auth)?.[1];
    if (!token || (this.options.acceptToken !== undefined && token !== this.options.acceptToken))
      return this.answer(
        res,
        401,
        graphError('InvalidAuthenticationToken', 'Access token is empty or invalid.'),
      );

    const category = categoryOf(route.name);
    const cost = costOf(route.name, url.searchParams);
    // Inside an announced wait (requests sent at the very moment of the announcement could not know).
    const backoff = this.backoffUntil.get(category);
    if (backoff && backoff.from < now && now < backoff.until) this.violations++;

    const window = this.windows[category];
    const wait = window.waitFor(cost, now);
    if (wait > 0) {
      this.throttled++;
      this.throttledKinds.add(category);
      const seconds = Math.max((this.options.retryAfterSeconds ?? 1) / this.scale, wait / 1000);
      const until = now + seconds * 1000;
      if (!backoff || until > backoff.until) this.backoffUntil.set(category, { from: now, until });
      const header = this.scale === 1 ? String(Math.ceil(seconds)) : String(Math.ceil(seconds * 1000) / 1000);
      return this.answer(res, 429, graphError('TooManyRequests', 'Please retry again later.'), {
        'retry-after': header,
      });
    }
    const failure = this.failures.shift();
    if (failure !== undefined || this.random() < (this.options.failureRate ?? 0)) {
      this.failed++;
      return this.answer(
        res,
        failure ?? 503,
        graphError('ServiceUnavailable', 'The service is temporarily unavailable.'),
      );
    }
    window.record(cost, now);

    let parsed: Record<string, unknown> = {};
    if (body) {
      try {
        parsed = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return this.answer(res, 400, graphError('BadRequest', 'Body is not JSON.'));
      }
    }
    const [status, payload, headers] = this.dispatch(route, url, parsed, req.headers);
    return this.answer(res, status, payload, headers);
  }

  private dispatch(
    route: Route,
    url: URL,
    body: Record<string, unknown>,
    headers: IncomingMessage['headers'],
  ): [number, unknown, Record<string, string>?] {
    switch (route.name) {
      case 'users-delta':
        return this.usersDelta(url);
      case 'groups':
        return this.listGroups(url, headers);
      case 'transitive-members':
        return this.transitiveMembers(route.id!, route.usersOnly === true, url);
      case 'installed-apps-list':
        return this.listInstalledApps(route.id!, url);
      case 'installed-apps-install':
        return this.installApp(route.id!, body);
      case 'installation-chat':
        return this.installationChat(route.id!, route.installationId!);
      default:
        return [400, graphError('BadRequest', 'unsupported')];
    }
  }

  private usersDelta(url: URL): [number, unknown, Record<string, string>?] {
    const params = url.searchParams;
    const skip = params.get('$skiptoken');
    if (skip) {
      const [roundId, offsetText] = skip.split('.');
      const round = this.rounds.get(roundId ?? '');
      if (!round) return [400, graphError('Request_BadRequest', 'The skip token is invalid or has expired.')];
      return this.deltaPage(roundId!, round, Number(offsetText));
    }
    let select: UserProperty[];
    let since: number | undefined;
    const deltaToken = params.get('$deltatoken');
    if (deltaToken) {
      const decoded = decodeToken(deltaToken);
      if (!decoded) return [400, graphError('Request_BadRequest', 'The delta token is invalid.')];
      if (decoded.e !== this.epoch) {
        const restart = `${this.baseUrl}/users/delta?$select=${['id', ...decoded.s].join(',')}`;
        return [410, graphError('resyncRequired', 'A full resync is required.'), { location: restart }];
      }
      select = decoded.s;
      since = decoded.v;
    } else {
      const requested = (params.get('$select') ?? 'id,accountEnabled,userType')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s && s !== 'id');
      const unknown = requested.find((p) => !(USER_PROPERTIES as readonly string[]).includes(p));
      if (unknown)
        return [
          400,
          graphError(
            'Request_BadRequest',
            `Could not find a property named '${unknown}' on type 'microsoft.graph.user'.`,
          ),
        ];
      select = requested as UserProperty[];
    }
    const items: DeltaRound['items'] = [];
    for (const [id, state] of this.users) {
      if (since === undefined || select.some((p) => (state.changed.get(p) ?? 0) > since)) items.push({ id });
    }
    if (since !== undefined) {
      for (const [id, r] of this.removed) if (r.version > since) items.push({ id, removed: r.reason });
    }
    const roundId = randomUUID().replace(/-/g, '');
    const round: DeltaRound = { items, select, toVersion: this.version };
    this.rounds.set(roundId, round);
    return this.deltaPage(roundId, round, 0);
  }

  private deltaPage(roundId: string, round: DeltaRound, offset: number): [number, unknown] {
    const size = this.options.deltaPageSize ?? 200;
    const slice = round.items.slice(offset, offset + size);
    const value = slice.map(({ id, removed }) => {
      if (removed) return { id, '@removed': { reason: removed } };
      const user = this.users.get(id)?.user;
      // Deleted since this round began: Graph would show it as removed in the next round.
      if (!user) return { id, '@removed': { reason: 'changed' } };
      const item: Record<string, unknown> = {};
      for (const p of round.select) {
        if (user[p] !== undefined) item[p] = user[p];
      }
      item.id = id;
      return item;
    });
    const page: Record<string, unknown> = {
      '@odata.context': `${this.baseUrl}/$metadata#users`,
      value,
    };
    if (offset + size < round.items.length) {
      page['@odata.nextLink'] = `${this.baseUrl}/users/delta?$skiptoken=${roundId}.${offset + size}`;
    } else {
      this.rounds.delete(roundId);
      const token = encodeToken({ v: round.toVersion, s: round.select, e: this.epoch });
      page['@odata.deltaLink'] = `${this.baseUrl}/users/delta?$deltatoken=${token}`;
    }
    return [200, page];
  }

  private listGroups(url: URL, headers: IncomingMessage['headers']): [number, unknown] {
    const params = url.searchParams;
    const skip = params.get('$skiptoken');
    const query = skip
      ? new URLSearchParams(Buffer.from(skip.split('.')[0]!, 'base64url').toString())
      : params;
    const offset = skip ? Number(skip.split('.')[1]) : 0;
    let groups = [...this.groups.values()];
    const search = query.get('$search');
    const filter = query.get('$filter');
    if (search) {
      if (String(headers.consistencylevel ?? '').toLowerCase() !== 'eventual')
        return [
          400,
          graphError(
            'Request_UnsupportedQuery',
            "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
          ),
        ];
      const m = /^"displayName:(.*)"$/.exec(search);
      if (!m) return [400, graphError('Request_UnsupportedQuery', 'Unsupported $search.')];
      const terms = words(m[1]!);
      groups = groups.filter((g) => {
        const name = words(g.displayName);
        return terms.every((t) => name.some((w) => w.startsWith(t)));
      });
    } else if (filter) {
      const m = /^startswith\(displayName,\s*'((?:[^']|'')*)'\)$/i.exec(filter);
      if (!m) return [400, graphError('Request_UnsupportedQuery', 'Unsupported filter.')];
      const prefix = m[1]!.replace(/''/g, "'").toLowerCase();
      groups = groups.filter((g) => g.displayName.toLowerCase().startsWith(prefix));
    }
    groups.sort((a, b) => a.displayName.localeCompare(b.displayName));
    const top = Math.min(999, Number(query.get('$top') ?? 100) || 100);
    const select = (query.get('$select') ?? 'id,displayName').split(',');
    const value = groups
      .slice(offset, offset + top)
      .map((g) => pick({ id: g.id, displayName: g.displayName }, select));
    const page: Record<string, unknown> = { value };
    if (offset + top < groups.length) {
      const q = Buffer.from(query.toString()).toString('base64url');
      page['@odata.nextLink'] = `${this.baseUrl}/groups?$skiptoken=${q}.${offset + top}`;
    }
    return [200, page];
  }

  private transitiveMembers(groupId: string, usersOnly: boolean, url: URL): [number, unknown] {
    const group = this.groups.get(groupId);
    if (!group)
      return [
        404,
        graphError(
          'Request_ResourceNotFound',
          `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`,
        ),
      ];
    const params = url.searchParams;
    const skip = params.get('$skiptoken');
    const query = skip
      ? new URLSearchParams(Buffer.from(skip.split('.')[0]!, 'base64url').toString())
      : params;
    const offset = skip ? Number(skip.split('.')[1]) : 0;
    // Breadth first, each member once: users and the nested groups themselves.
    const members: string[] = [];
    const seen = new Set<string>([groupId]);
    const queue = [...group.members];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const nested = this.groups.get(id);
      if (nested) {
        if (!usersOnly) members.push(id);
        queue.push(...nested.members);
      } else if (this.users.has(id)) {
        members.push(id);
      }
    }
    const top = Math.min(999, Number(query.get('$top') ?? 100) || 100);
    const select = (query.get('$select') ?? 'id').split(',');
    const value = members.slice(offset, offset + top).map((id) => {
      const nested = this.groups.get(id);
      if (nested)
        return {
          '@odata.type': '#microsoft.graph.group',
          ...pick({ id, displayName: nested.displayName }, select),
        };
      const u = this.users.get(id)!.user;
      return {
        '@odata.type': '#microsoft.graph.user',
        ...pick(
          {
            id,
            accountEnabled: u.accountEnabled,
            userType: u.userType,
            companyName: u.companyName,
            department: u.department,
            officeLocation: u.officeLocation,
          },
          select,
        ),
      };
    });
    const page: Record<string, unknown> = { value };
    if (offset + top < members.length) {
      const q = Buffer.from(query.toString()).toString('base64url');
      const cast = usersOnly ? '/microsoft.graph.user' : '';
      page['@odata.nextLink'] =
        `${this.baseUrl}/groups/${groupId}/transitiveMembers${cast}?$skiptoken=${q}.${offset + top}`;
    }
    return [200, page];
  }

  /** 404 for an unknown user, 403 without a Teams licence, else undefined (go on). */
  private teamsUserError(userId: string): [number, unknown] | undefined {
    const state = this.users.get(userId);
    if (!state) return [404, graphError('NotFound', `Failed to find the user '${userId}' in the directory.`)];
    if (state.user.teamsLicensed === false) return [403, graphError('Forbidden', LICENCE_ERROR)];
    return undefined;
  }

  private listInstalledApps(userId: string, url: URL): [number, unknown] {
    const refused = this.teamsUserError(userId);
    if (refused) return refused;
    const filter = url.searchParams.get('$filter');
    const expand = (url.searchParams.get('$expand') ?? '').split(',');
    let wanted: string | undefined;
    if (filter) {
      const m = /^teamsApp\/id eq '([^']*)'$/.exec(filter);
      if (!m) return [400, graphError('BadRequest', 'Unsupported filter.')];
      wanted = m[1];
    }
    const installationId = this.installations.get(userId);
    const value =
      installationId && (wanted === undefined || wanted === this.catalogAppId)
        ? [
            {
              id: installationId,
              ...(expand.includes('teamsApp')
                ? {
                    teamsApp: {
                      id: this.catalogAppId,
                      externalId: 'puls-manifest-id',
                      displayName: 'Puls',
                      distributionMethod: 'organization',
                    },
                  }
                : {}),
            },
          ]
        : [];
    return [200, { value }];
  }

  private installApp(userId: string, body: Record<string, unknown>): [number, unknown] {
    const bind = body['teamsApp@odata.bind'];
    const appId =
      typeof bind === 'string' ? /\/appCatalogs\/teamsApps\/([^/?]+)$/.exec(bind)?.[1] : undefined;
    if (!appId)
      return [400, graphError('BadRequest', "The request body must contain 'teamsApp@odata.bind'.")];
    const refused = this.teamsUserError(userId);
    if (refused) return refused;
    if (appId !== this.catalogAppId)
      return [404, graphError('NotFound', `The app '${appId}' was not found in the app catalog.`)];
    if (this.installations.has(userId)) {
      this.conflicts++;
      return [
        409,
        graphError(
          'Conflict',
          `AppEntitlement id: '${appId}' already exists in thread '${this.chatIdOf(userId)}'.`,
        ),
      ];
    }
    this.install(userId);
    this.installsCreated++;
    return [201, undefined];
  }

  private installationChat(userId: string, installationId: string): [number, unknown] {
    const refused = this.teamsUserError(userId);
    if (refused) return refused;
    if (this.installations.get(userId) !== installationId)
      return [404, graphError('NotFound', `The app installation '${installationId}' was not found.`)];
    return [200, { '@odata.context': `${this.baseUrl}/$metadata#chats/$entity`, id: this.chatIdOf(userId) }];
  }

  private answer(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    this.statuses.add(String(status));
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...(text ? { 'content-type': 'application/json' } : {}),
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }
}

interface Route {
  name: SimRoute;
  id?: string;
  installationId?: string;
  usersOnly?: boolean;
}

function routeOf(method: string, p: string[]): Route {
  if (method === 'GET' && p[0] === 'users' && p[1] === 'delta' && p.length === 2)
    return { name: 'users-delta' };
  if (method === 'GET' && p[0] === 'groups' && p.length === 1) return { name: 'groups' };
  if (method === 'GET' && p[0] === 'groups' && p[2] === 'transitiveMembers') {
    if (p.length === 3) return { name: 'transitive-members', id: p[1] };
    if (p.length === 4 && p[3] === 'microsoft.graph.user')
      return { name: 'transitive-members', id: p[1], usersOnly: true };
  }
  if (p[0] === 'users' && p[2] === 'teamwork' && p[3] === 'installedApps') {
    if (p.length === 4 && method === 'GET') return { name: 'installed-apps-list', id: p[1] };
    if (p.length === 4 && method === 'POST') return { name: 'installed-apps-install', id: p[1] };
    if (p.length === 6 && p[5] === 'chat' && method === 'GET')
      return { name: 'installation-chat', id: p[1], installationId: p[4] };
  }
  return { name: 'unknown' };
}

function categoryOf(route: SimRoute): SimCategory {
  if (route === 'installed-apps-install') return 'teams-write';
  if (route === 'installed-apps-list' || route === 'installation-chat') return 'teams-read';
  return 'directory';
}

/** Entra's resource-unit cost of a request (Teams requests count 1 each). */
function costOf(route: SimRoute, params: URLSearchParams): number {
  if (categoryOf(route) !== 'directory') return 1;
  let cost = route === 'transitive-members' ? 5 : 1;
  if (params.has('$select')) cost -= 1;
  if (params.has('$expand')) cost += 1;
  const top = Number(params.get('$top'));
  if (params.has('$top') && top < 20) cost -= 1;
  return Math.max(1, cost);
}

/** Graph's installation ids are base64 of "{userId}##{teamsAppId}". */
export function installationIdOf(userId: string, appId: string): string {
  return Buffer.from(`${userId}##${appId}`).toString('base64');
}

function encodeToken(t: { v: number; s: UserProperty[]; e: number }): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(token: string): { v: number; s: UserProperty[]; e: number } | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString()) as {
      v: number;
      s: UserProperty[];
      e: number;
    };
    return typeof t.v === 'number' && Array.isArray(t.s) ? t : undefined;
  } catch {
    return undefined;
  }
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function graphError(code: string, message: string): { error: { code: string; message: string } } {
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

// --- a simulated city ---------------------------------------------------------------------------

/** The companyName each district's staff carry in the simulated directory (matches config/district-mapping.json). */
export const SIMULATED_COMPANY_NAMES = {
  altona: 'Bezirksamt Altona',
  bergedorf: 'Bezirksamt Bergedorf',
  eimsbuettel: 'Bezirksamt Eimsbüttel',
  'hamburg-mitte': 'Bezirksamt Hamburg-Mitte',
  'hamburg-nord': 'Bezirksamt Hamburg-Nord',
  harburg: 'Bezirksamt Harburg',
  wandsbek: 'Bezirksamt Wandsbek',
  other: 'Behörde für Schule und Berufsbildung',
} as const;

export interface SimulatedCityOptions {
  users: number;
  /** Share of disabled accounts (default 0.03). */
  disabledShare?: number;
  /** Share of guests (default 0.02). */
  guestShare?: number;
  /** Share without a companyName (default 0.02). */
  unmappedShare?: number;
  /** Share without a Teams licence (default 0.03). */
  unlicensedShare?: number;
  /** How many groups (default 3): group 0 nests group 1; members drawn across districts. */
  groups?: number;
  /** Members per group (default users / 20, at least 5). */
  groupSize?: number;
  seed?: number;
}

export interface SimulatedCity {
  users: SimUser[];
  groups: SimGroup[];
}

/** A repeatable directory: users spread over the eight districts, a few disabled, guests, unmapped and unlicensed. */
export function simulatedCity(o: SimulatedCityOptions): SimulatedCity {
  const random = seeded(o.seed ?? 7);
  const names = Object.values(SIMULATED_COMPANY_NAMES);
  const users: SimUser[] = [];
  for (let i = 0; i < o.users; i++) {
    const id = uuidFrom(random);
    const r = random();
    users.push({
      id,
      accountEnabled: random() >= (o.disabledShare ?? 0.03),
      userType: random() < (o.guestShare ?? 0.02) ? 'Guest' : 'Member',
      companyName: r < (o.unmappedShare ?? 0.02) ? undefined : names[i % names.length]!,
      department: `Fachamt ${1 + Math.floor(random() * 20)}`,
      teamsLicensed: random() >= (o.unlicensedShare ?? 0.03),
    });
  }
  const groupCount = o.groups ?? 3;
  const size = o.groupSize ?? Math.max(5, Math.floor(o.users / 20));
  const groups: SimGroup[] = [];
  for (let g = 0; g < groupCount; g++) {
    const members = new Set<string>();
    while (members.size < Math.min(size, users.length))
      members.add(users[Math.floor(random() * users.length)]!.id);
    groups.push({
      id: uuidFrom(random),
      displayName:
        ['Digitalisierungsbeauftragte', 'Projektgruppe E-Akte', 'Führungskräfte Bezirke', 'Team'][g % 4]! +
        (g >= 4 ? ` ${g}` : ''),
      members: [...members],
    });
  }
  // Group 0 contains group 1 (nested): its transitive members include group 1's.
  if (groups.length > 1) groups[0]!.members.push(groups[1]!.id);
  return { users, groups };
}

/** A small seeded PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
