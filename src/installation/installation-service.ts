// Installation and removal of Puls for users (1:1) and teams (the officers' channel).
import type { ConversationReference } from 'botbuilder';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ChannelRepository, TeamChannel } from '../storage/channel-repository';
import type { UserRepository } from '../storage/user-repository';

export interface InstallationServiceOptions {
  users: UserRepository;
  /** Uninstalling Puls erases the person's data (src/privacy/erasure.ts). */
  erase(userId: string): Promise<unknown>;
  channels: ChannelRepository;
  /**
   * OFFICERS_TEAM_ID (always set with a MicrosoftAppId). Unset, on a local run only, the first team
   * Puls is added to becomes the officers' team for good.
   */
  officersTeamId: string | undefined;
  clock: Clock;
  logger: Logger;
}

export class InstallationService {
  constructor(private readonly options: InstallationServiceOptions) {}

  /** Stores (or refreshes) a user's conversation reference. True on first contact. */
  async recordUserContact(
    userId: string,
    reference: Partial<ConversationReference>,
    teamsLocale: string | undefined,
  ): Promise<boolean> {
    const created = await this.options.users.saveReference(
      userId,
      reference,
      teamsLocale,
      this.options.clock.now(),
    );
    if (created) this.options.logger.info('user installed Puls');
    return created;
  }

  /** Uninstalling erases what names the person: profile, reference, delivery rows, idea links. */
  async removeUser(userId: string): Promise<void> {
    await this.options.erase(userId);
    this.options.logger.info('user removed Puls; their data was erased');
  }

  /**
   * Stores the team's channel reference. The officers' team is OFFICERS_TEAM_ID (matched against the
   * Teams team id or its Microsoft 365 group id) or, when that is unset, the first team Puls joins.
   */
  async addTeam(team: {
    teamId: string;
    aadGroupId: string | undefined;
    teamName: string | undefined;
    reference: Partial<ConversationReference>;
  }): Promise<{ isNew: boolean; isOfficersTeam: boolean }> {
    const { channels, logger, officersTeamId } = this.options;
    const { teamId, aadGroupId } = team;
    const isNew = await channels.saveTeam({
      teamId,
      teamName: team.teamName,
      reference: team.reference,
      addedAt: this.options.clock.now(),
    });
    let isOfficersTeam: boolean;
    if (officersTeamId) {
      isOfficersTeam = officersTeamId === teamId || officersTeamId === aadGroupId;
      if (isOfficersTeam) await channels.setOfficersTeam(teamId);
      if (isNew)
        logger.info(
          { teamId, isOfficersTeam },
          isOfficersTeam
            ? "Puls added to the officers' team (OFFICERS_TEAM_ID)"
            : 'Puls added to a team that is not OFFICERS_TEAM_ID',
        );
    } else {
      const officers = await channels.claimOfficersTeam(teamId);
      isOfficersTeam = officers === teamId;
      if (isNew)
        logger.info(
          { teamId, officersTeamId: officers },
          isOfficersTeam
            ? "OFFICERS_TEAM_ID is unset: this first team becomes the officers' team"
            : "Puls added to another team; the officers' team was named before",
        );
    }
    return { isNew, isOfficersTeam };
  }

  /**
   * The team's channel reference goes. The officers' team stays the officers' team: when it adds
   * Puls again it gets its channel back, and no other team ever takes its place by being first.
   */
  async removeTeam(teamId: string): Promise<void> {
    await this.options.channels.deleteTeam(teamId);
    this.options.logger.info({ teamId }, 'Puls removed from a team');
  }

  /** The officers' channel, once Puls has been added to the officers' team. */
  async officersChannel(): Promise<TeamChannel | undefined> {
    const officers = await this.options.channels.getOfficersTeamId();
    return officers ? this.options.channels.getTeam(officers) : undefined;
  }
}
