// Directory sync: Graph's delta query over users, reduced to what audiences need (enabled member
// accounts and their district), at start and then every DIRECTORY_SYNC_HOURS, exactly once across
// instances: the round runs under an ETag-guarded lease in the directory table, and the delta link it
// ends with is stored for the next round. A full round (first run, new attribute or mapping, or Graph
// asking for a resync with 410) also removes the rows of people Graph no longer lists.
import type { Clock } from '../clock';
import { ConflictError } from '../errors';
import type { Logger } from '../logger';
import type { DirectoryRepository, DirectoryUser } from '../storage/directory-repository';
import type { DistrictMapping } from './district-mapping';
import { GraphError, type GraphClient } from './graph-client';

/** Changes written to the table at once (about 60 rows per partition and transaction). */
const FLUSH_ROWS = 2_000;

export type DistrictAttribute = 'companyName' | 'department' | 'officeLocation';

export interface DirectorySyncOptions {
  graph: GraphClient;
  repository: DirectoryRepository;
  mapping: DistrictMapping;
  /** DISTRICT_SOURCE_ATTRIBUTE */
  attribute: DistrictAttribute;
  clock: Clock;
  logger: Logger;
  /** Names this instance in the lease (host + pid + random). */
  instanceId: string;
  /** DIRECTORY_SYNC_HOURS in ms. */
  intervalMs: number;
  /** How long a lease holds without renewal (default 10 minutes; renewed while pages arrive). */
  leaseMs?: number;
  /** How often start() checks whether a round is due (default 5 minutes). */
  recheckMs?: number;
}

export type SyncOutcome = 'not_due' | 'synced' | 'claimed_elsewhere' | 'failed';

export interface SyncReport {
  outcome: SyncOutcome;
  full: boolean;
  /** Rows written (enabled members seen in this round). */
  members: number;
  /** Rows removed (disabled, guests, deleted, or no longer listed). */
  removed: number;
  pages: number;
}

interface DeltaUser {
  id: string;
  accountEnabled?: boolean | null;
  userType?: string | null;
  companyName?: string | null;
  department?: string | null;
  officeLocation?: string | null;
  '@removed'?: { reason?: string };
}

/** Graph asks for a full resync: 410 Gone, or an expired delta token. */
function needsResync(err: unknown): boolean {
  if (!(err instanceof GraphError)) return false;
  return (
    err.status === 410 ||
    /syncStateNotFound|resyncRequired|syncStateInvalid/i.test(err.code) ||
    (err.status === 400 && /token/i.test(err.message) && /expired|invalid/i.test(err.message))
  );
}

export class DirectorySync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SyncReport> | undefined;

  constructor(private readonly o: DirectorySyncOptions) {}

  /** What the rows are computed with: a change means a full round. */
  get configKey(): string {
    return `${this.o.attribute}:${this.o.mapping.version}`;
  }

  /** Syncs now if due, then checks every recheckMs. */
  start(): void {
    this.timer = setInterval(() => void this.tick(), this.o.recheckMs ?? 5 * 60_000);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Runs a round when one is due and no other instance runs it. Safe to call at any time, from any instance. */
  tick(): Promise<SyncReport> {
    return this.once(false);
  }

  /** Runs a round now, due or not (still only one instance at a time). */
  syncNow(): Promise<SyncReport> {
    return this.once(true);
  }

  private once(force: boolean): Promise<SyncReport> {
    this.running ??= this.run(force).finally(() => (this.running = undefined));
    return this.running;
  }

  private isDue(state: Awaited<ReturnType<DirectoryRepository['getSyncState']>>, now: Date): boolean {
    return (
      !state?.lastCompletedAt ||
      !state.deltaLink ||
      state.configKey !== this.configKey ||
      now.getTime() - state.lastCompletedAt.getTime() >= this.o.intervalMs
    );
  }

  private async run(force: boolean): Promise<SyncReport> {
    const { repository, clock, logger } = this.o;
    const idle = (outcome: SyncOutcome): SyncReport => ({
      outcome,
      full: false,
      members: 0,
      removed: 0,
      pages: 0,
    });
    const leaseMs = this.o.leaseMs ?? 10 * 60_000;
    let etag: string | undefined;
    try {
      const before = await repository.getSyncState();
      if (!force && !this.isDue(before, clock.now())) return idle('not_due');
      etag = await repository.claimSync(this.o.instanceId, clock.now(), leaseMs);
      if (!etag) return idle('claimed_elsewhere');
      // Another instance may have finished a round between the first read and the claim.
      const state = await repository.getSyncState();
      if (!force && !this.isDue(state, clock.now())) {
        await repository.releaseSync(etag, clock.now());
        return idle('not_due');
      }
      const lease = { etag, renewAt: clock.now().getTime() + leaseMs / 2 };
      const started = performance.now();
      const full = !state?.deltaLink || state.configKey !== this.configKey;
      let report: SyncReport & { deltaLink: string };
      try {
        report = await this.round(full ? undefined : state.deltaLink, lease, leaseMs);
      } catch (err) {
        if (full || !needsResync(err)) throw err;
        logger.warn({ code: (err as GraphError).code }, 'directory delta token no longer valid; full sync');
        report = await this.round(undefined, lease, leaseMs);
      }
      await repository.finishSync(
        lease.etag,
        { deltaLink: report.deltaLink, configKey: this.configKey, full: report.full },
        clock.now(),
      );
      etag = undefined;
      logger.info(
        {
          full: report.full,
          members: report.members,
          removed: report.removed,
          pages: report.pages,
          ms: Math.round(performance.now() - started),
        },
        'directory synced',
      );
      const { deltaLink: _link, ...result } = report;
      return result;
    } catch (err) {
      if (etag) await repository.releaseSync(etag, clock.now()).catch(() => undefined);
      if (err instanceof ConflictError) {
        logger.warn('directory sync lease lost to another instance; its round goes on there');
      } else if (err instanceof GraphError && (err.status === 401 || err.status === 403)) {
        logger.error(
          { status: err.status, code: err.code },
          'directory sync refused by Microsoft Graph: is User.Read.All granted (admin consent) to the bot identity? See docs/directory.md',
        );
      } else {
        logger.error({ err }, 'directory sync failed; the next check tries again');
      }
      return idle('failed');
    }
  }

  /** One delta round (full when `deltaLink` is undefined), page by page, renewing the lease as it goes. */
  private async round(
    deltaLink: string | undefined,
    lease: { etag: string; renewAt: number },
    leaseMs: number,
  ): Promise<SyncReport & { deltaLink: string }> {
    const { graph, repository, mapping, attribute, clock } = this.o;
    const full = deltaLink === undefined;
    const url = deltaLink ?? `/users/delta?$select=id,accountEnabled,userType,${attribute}`;
    // A full round replaces the table: rows of people Graph no longer lists go at the end.
    const known = new Set<string>();
    if (full) for await (const u of repository.list()) known.add(u.userId);
    const seen = new Set<string>();
    const report = {
      outcome: 'synced' as SyncOutcome,
      full,
      members: 0,
      removed: 0,
      pages: 0,
      deltaLink: '',
    };
    // Changes are buffered over pages so that each table transaction carries many rows of its partition
    // (a page of 200 people spreads over 32 partitions); the last change of a person in the round wins.
    const pending = new Map<string, DirectoryUser | 'remove'>();
    const flush = async () => {
      const upserts: DirectoryUser[] = [];
      const removals: string[] = [];
      for (const [id, change] of pending) {
        if (change === 'remove') removals.push(id);
        else upserts.push(change);
      }
      pending.clear();
      await repository.upsertMany(upserts);
      report.members += upserts.length;
      report.removed += await repository.deleteMany(removals);
    };
    for await (const page of graph.pages<DeltaUser>({ url, cost: 1 })) {
      report.pages++;
      for (const item of page.value) {
        const id = item.id.toLowerCase();
        // Disabled accounts and guests are never in an audience: they have no row.
        if (!item['@removed'] && item.accountEnabled === true && item.userType === 'Member') {
          pending.set(id, { userId: id, district: mapping.resolve(item[attribute]) });
          seen.add(id);
        } else {
          seen.delete(id);
          if (!full || known.has(id)) pending.set(id, 'remove');
          else pending.delete(id);
        }
      }
      if (pending.size >= FLUSH_ROWS) await flush();
      if (clock.now().getTime() >= lease.renewAt) {
        lease.etag = await repository.renewSync(lease.etag, clock.now(), leaseMs);
        lease.renewAt = clock.now().getTime() + leaseMs / 2;
      }
      if (page.deltaLink) report.deltaLink = page.deltaLink;
    }
    await flush();
    if (!report.deltaLink)
      throw new GraphError(undefined, 'NoDeltaLink', 'the delta round ended without a deltaLink', true);
    if (full) {
      const stale = [...known].filter((id) => !seen.has(id));
      report.removed += await repository.deleteMany(stale);
    }
    return report;
  }
}
