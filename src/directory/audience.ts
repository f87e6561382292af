// Audiences from the directory: everyone, districts (from the synced directory table) and Entra groups
// (resolved through Graph), always enabled member accounts only; and how many of them Puls can reach.
import type { District } from '../domain/vocabulary';
import type { DirectoryRepository } from '../storage/directory-repository';
import type { GroupDirectory } from './groups';

export interface AudienceSpec {
  /** Every enabled member account in the directory ("Alle Beschäftigten"). */
  everyone?: boolean;
  districts?: readonly District[];
  /** Entra group object ids; members through nested groups count. */
  groupIds?: readonly string[];
}

/** What the start card says up front. */
export interface ReachEstimate {
  /** People in the audience. */
  total: number;
  /** Puls has a conversation with them (installed, reference stored). */
  installed: number;
  /** Not installed yet; a proactive installation will be tried. */
  installable: number;
  /** Recorded as unreachable by an earlier installation (no Teams licence, unknown to Teams). */
  unreachable: number;
}

export interface AudienceResolver {
  /** The directory user ids (lower-case Entra object ids) of the audience: the union of its parts. */
  resolve(spec: AudienceSpec): Promise<ReadonlySet<string>>;
  /** The reach of an audience, or of an already resolved set of ids. */
  estimate(audience: AudienceSpec | ReadonlySet<string>): Promise<ReachEstimate>;
}

export interface DirectoryAudienceResolverOptions {
  repository: DirectoryRepository;
  groups: GroupDirectory;
  /** Lower-case ids of the users Puls has a conversation reference for (the users table). */
  installedUserIds(): Promise<ReadonlySet<string>>;
}

export class DirectoryAudienceResolver implements AudienceResolver {
  constructor(private readonly o: DirectoryAudienceResolverOptions) {}

  async resolve(spec: AudienceSpec): Promise<ReadonlySet<string>> {
    const ids = new Set<string>();
    const districts = spec.everyone ? undefined : (spec.districts ?? []);
    if (spec.everyone || (districts && districts.length > 0)) {
      for await (const u of this.o.repository.list(districts ? { districts } : {})) ids.add(u.userId);
    }
    // Groups one after the other: each is paged and rate-limited anyway, and a large city has few.
    for (const groupId of new Set(spec.groupIds ?? [])) {
      for (const id of await this.o.groups.members(groupId)) ids.add(id);
    }
    return ids;
  }

  async estimate(audience: AudienceSpec | ReadonlySet<string>): Promise<ReachEstimate> {
    const ids = audience instanceof Set ? audience : await this.resolve(audience as AudienceSpec);
    const [installedIds, unreachableIds] = await Promise.all([
      this.o.installedUserIds(),
      this.o.repository.unreachable(),
    ]);
    let installed = 0;
    let unreachable = 0;
    for (const id of ids) {
      if (installedIds.has(id)) installed++;
      else if (unreachableIds.has(id)) unreachable++;
    }
    return { total: ids.size, installed, installable: ids.size - installed - unreachable, unreachable };
  }
}

/** The ids of installed users from the users table's profiles (no conversation references are read). */
export function installedUserIdsFrom(users: {
  profiles(): AsyncIterable<{ userId: string }>;
}): () => Promise<ReadonlySet<string>> {
  return async () => {
    const ids = new Set<string>();
    for await (const p of users.profiles()) ids.add(p.userId.toLowerCase());
    return ids;
  };
}
