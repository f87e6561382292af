// Entra groups as audiences: find groups by name (for the officer's picker) and resolve a group's
// transitive members (nested groups included) to the enabled member accounts, for freezing into a run.
import { type GraphClient } from './graph-client';

export interface GroupSummary {
  id: string;
  displayName: string;
}

interface MemberObject {
  '@odata.type'?: string;
  id: string;
  accountEnabled?: boolean | null;
  userType?: string | null;
}

/** What audiences need from groups (the resolver and the picker depend on this, not on Graph). */
export interface GroupDirectory {
  search(text: string, limit?: number): Promise<GroupSummary[]>;
  /** Enabled member accounts (lower-case object ids) in the group, through nested groups. */
  members(groupId: string): Promise<Set<string>>;
}

export class EntraGroups implements GroupDirectory {
  constructor(private readonly graph: GraphClient) {}

  /**
   * Groups whose name has words starting with the words typed ("bergedorf dig" finds "BA Bergedorf –
   * Digitalisierung"), through Graph's $search (an advanced query: ConsistencyLevel: eventual).
   */
  async search(text: string, limit = 20): Promise<GroupSummary[]> {
    // Quotes and backslashes would end the search expression; Graph tokenises on the rest itself.
    const term = text.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
    if (!term) return [];
    const params = new URLSearchParams({
      $search: `"displayName:${term}"`,
      $select: 'id,displayName',
      $top: String(Math.max(1, Math.min(limit, 100))),
      // An advanced query: Graph wants $count with ConsistencyLevel: eventual.
      $count: 'true',
    });
    const page = await this.graph.json<{ value?: GroupSummary[] }>({
      url: `/groups?${params.toString()}`,
      headers: { ConsistencyLevel: 'eventual' },
    });
    return (page.value ?? []).map((g) => ({ id: g.id, displayName: g.displayName }));
  }

  async members(groupId: string): Promise<Set<string>> {
    const params = new URLSearchParams({ $select: 'id,accountEnabled,userType', $top: '999' });
    const members = new Set<string>();
    // transitiveMembers costs 5 resource units, $select takes one off.
    for await (const page of this.graph.pages<MemberObject>({
      url: `/groups/${encodeURIComponent(groupId)}/transitiveMembers?${params.toString()}`,
      cost: 4,
    })) {
      for (const m of page.value) {
        // Nested groups (and devices, contacts) are listed too: only people count.
        if (m['@odata.type'] !== '#microsoft.graph.user') continue;
        if (m.accountEnabled === true && m.userType === 'Member') members.add(m.id.toLowerCase());
      }
    }
    return members;
  }
}
