// What a survey run needs from the directory, in one port: the audience an officer chose resolved to
// directory user ids (frozen into the run at start), who is known to be unreachable, whether people
// without a conversation can be installed for, and a person's district for their answer (cached, so
// that an answer costs at most one point read here, and none while the entry is fresh).
import type { District } from '../domain/vocabulary';
import type { DirectoryRepository } from '../storage/directory-repository';
import type { AudienceResolver, AudienceSpec, ReachEstimate } from './audience';
import type { GroupDirectory, GroupSummary } from './groups';

export interface RunAudiences {
  /** True once a directory sync has completed: until then audiences come from the users table. */
  ready(): Promise<boolean>;
  /** Lower-case directory user ids of the audience (enabled members only). */
  resolve(spec: AudienceSpec): Promise<ReadonlySet<string>>;
  /** What the start card says up front. */
  estimate(audience: AudienceSpec | ReadonlySet<string>): Promise<ReachEstimate>;
  /** Ids an earlier proactive installation recorded as unreachable. */
  unreachable(): Promise<ReadonlySet<string>>;
  /** Whether Puls installs itself for people it has no conversation with (TEAMS_CATALOG_APP_ID). */
  readonly canInstall: boolean;
  /** The person's district in the directory; undefined when the directory has none for them. */
  districtOf(userId: string): Promise<District | undefined>;
  /** Groups by name, for the start card's picker. */
  searchGroups(text: string): Promise<GroupSummary[]>;
  /** For `status`: the directory's members against those Puls reaches; undefined before the first sync. */
  status(): Promise<DirectoryStatus | undefined>;
}

export interface DirectoryStatus {
  /** Enabled member accounts in the directory ("Alle Beschäftigten"). */
  members: number;
  /** Of them, with a conversation (installed). */
  installed: number;
  /** Of them, recorded as unreachable. */
  unreachable: number;
  lastSyncAt: Date | undefined;
}

export interface DirectoryRunAudiencesOptions {
  repository: DirectoryRepository;
  resolver: AudienceResolver;
  groups: GroupDirectory;
  canInstall: boolean;
  /** How long a person's district is trusted (default 10 minutes; the sync runs every few hours). */
  districtTtlMs?: number;
  now?: () => number;
}

/** Districts kept in memory at most (about 100 bytes each). */
const MAX_CACHED = 100_000;

export class DirectoryRunAudiences implements RunAudiences {
  readonly canInstall: boolean;
  private readonly districts = new Map<string, { district: District | undefined; until: number }>();
  private syncedOnce = false;

  constructor(private readonly o: DirectoryRunAudiencesOptions) {
    this.canInstall = o.canInstall;
  }

  async ready(): Promise<boolean> {
    if (this.syncedOnce) return true;
    this.syncedOnce = (await this.o.repository.getSyncState())?.lastCompletedAt !== undefined;
    return this.syncedOnce;
  }

  resolve(spec: AudienceSpec): Promise<ReadonlySet<string>> {
    return this.o.resolver.resolve(spec);
  }

  estimate(audience: AudienceSpec | ReadonlySet<string>): Promise<ReachEstimate> {
    return this.o.resolver.estimate(audience);
  }

  async unreachable(): Promise<ReadonlySet<string>> {
    return new Set((await this.o.repository.unreachable()).keys());
  }

  async districtOf(userId: string): Promise<District | undefined> {
    const id = userId.toLowerCase();
    const now = (this.o.now ?? Date.now)();
    const cached = this.districts.get(id);
    if (cached && cached.until > now) return cached.district;
    const district = (await this.o.repository.get(id))?.district;
    if (this.districts.size >= MAX_CACHED) this.districts.clear();
    this.districts.set(id, { district, until: now + (this.o.districtTtlMs ?? 10 * 60_000) });
    return district;
  }

  searchGroups(text: string): Promise<GroupSummary[]> {
    return this.o.groups.search(text, 20);
  }

  async status(): Promise<DirectoryStatus | undefined> {
    const state = await this.o.repository.getSyncState();
    if (!state?.lastCompletedAt) return undefined;
    const e = await this.o.resolver.estimate({ everyone: true });
    return {
      members: e.total,
      installed: e.installed,
      unreachable: e.unreachable,
      lastSyncAt: state.lastCompletedAt,
    };
  }
}
