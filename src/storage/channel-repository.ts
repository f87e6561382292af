// The channels table: the teams Puls was added to (with the channel's conversation reference) and
// the one marker row that names the officers' team.
import type { ConversationReference } from 'botbuilder';
import { decodeKey, deleteIfExists, encodeKey, getOrUndefined, statusOf, type TableStore } from './tables';

export interface TeamChannel {
  teamId: string;
  teamName: string | undefined;
  reference: Partial<ConversationReference>;
  addedAt: Date;
}

interface TeamEntity {
  partitionKey: string;
  rowKey: string;
  teamName?: string;
  reference: string;
  addedAt: Date;
}

interface MarkerEntity {
  partitionKey: string;
  rowKey: string;
  teamId: string;
}

const TEAM_PARTITION = 'team';
const MARKER_PARTITION = 'officers';
const MARKER_ROW = 'current';

export class ChannelRepository {
  constructor(private readonly store: TableStore) {}

  /** Stores the team's channel reference; true when the team was not known before. */
  async saveTeam(channel: TeamChannel): Promise<boolean> {
    const client = this.store.client('channels');
    const entity: TeamEntity = {
      partitionKey: TEAM_PARTITION,
      rowKey: encodeKey(channel.teamId),
      teamName: channel.teamName ?? '',
      reference: JSON.stringify(channel.reference),
      addedAt: channel.addedAt,
    };
    try {
      await client.createEntity(entity);
      return true;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const { addedAt: _keep, ...update } = entity;
    await client.upsertEntity(update, 'Merge');
    return false;
  }

  async getTeam(teamId: string): Promise<TeamChannel | undefined> {
    const e = await getOrUndefined(() =>
      this.store.client('channels').getEntity<TeamEntity>(TEAM_PARTITION, encodeKey(teamId)),
    );
    return e
      ? {
          teamId: decodeKey(e.rowKey),
          teamName: e.teamName || undefined,
          reference: JSON.parse(e.reference) as Partial<ConversationReference>,
          addedAt: new Date(e.addedAt),
        }
      : undefined;
  }

  async deleteTeam(teamId: string): Promise<void> {
    await deleteIfExists(() => this.store.client('channels').deleteEntity(TEAM_PARTITION, encodeKey(teamId)));
  }

  /**
   * Names this team the officers' team unless one is named already (first come, first served, safe
   * across instances). Returns the officers' team id after the call.
   */
  async claimOfficersTeam(teamId: string): Promise<string> {
    try {
      await this.store
        .client('channels')
        .createEntity<MarkerEntity>({ partitionKey: MARKER_PARTITION, rowKey: MARKER_ROW, teamId });
      return teamId;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    return (await this.getOfficersTeamId()) ?? teamId;
  }

  /** OFFICERS_TEAM_ID matched a team: record that team as the officers' team. */
  async setOfficersTeam(teamId: string): Promise<void> {
    await this.store
      .client('channels')
      .upsertEntity<MarkerEntity>({ partitionKey: MARKER_PARTITION, rowKey: MARKER_ROW, teamId }, 'Replace');
  }

  async getOfficersTeamId(): Promise<string | undefined> {
    const e = await getOrUndefined(() =>
      this.store.client('channels').getEntity<MarkerEntity>(MARKER_PARTITION, MARKER_ROW),
    );
    return e?.teamId;
  }
}
