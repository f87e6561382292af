// Proactive installation through Graph, per recipient: for a person Puls has no conversation with,
// install the app from the organisation's catalog (TEAMS_CATALOG_APP_ID; 409 = installed already),
// look up the installation and its 1:1 chat, and return a conversation reference the bot can send to.
// A person without a Teams licence, or unknown to Teams, is recorded as unreachable with the reason.
// Graph's Teams limits are kept by the client's own rate limiter (installedApps: 30 GET and 30 POST
// per second per app and tenant); a throttled or failing Graph is retried there.
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { DirectoryRepository, UnreachableReason } from '../storage/directory-repository';
import { GraphError, type GraphClient } from './graph-client';

/** The public Teams endpoint for proactive messages, used only while no conversation has given one. */
export const TEAMS_PUBLIC_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

/** A Bot Framework conversation reference for the 1:1 chat (assignable to Partial<ConversationReference>). */
export interface ChatReference {
  serviceUrl: string;
  channelId: 'msteams';
  conversation: { id: string; conversationType: 'personal'; isGroup: false; tenantId: string; name: string };
  bot: { id: string; name: string };
  user: { id: string; aadObjectId: string; name: string };
}

export type InstallOutcome =
  | {
      kind: 'reachable';
      reference: ChatReference;
      /** True when this call installed the app; false when it was installed already. */
      installedNow: boolean;
    }
  | { kind: 'unreachable'; reason: UnreachableReason; detail: string };

/** What the delivery engine calls per recipient that has no conversation reference. */
export interface RecipientInstaller {
  /**
   * Installs Puls for the user if needed and answers how to reach them. Rejects with a transient
   * GraphError when Graph stays throttled or unavailable (try the recipient again later).
   */
  install(userId: string): Promise<InstallOutcome>;
}

export interface GraphInstallerOptions {
  graph: GraphClient;
  repository: DirectoryRepository;
  /** TEAMS_CATALOG_APP_ID: the app's id in the organisation's app catalog. */
  catalogAppId: string;
  /** MicrosoftAppId (the bot's id in the reference is 28:<appId>). */
  botAppId: string;
  tenantId: string;
  /** The Bot Connector's service URL for this tenant, e.g. from a stored reference; default the public one. */
  serviceUrl?: () => Promise<string | undefined>;
  clock: Clock;
  logger: Logger;
  /** How often to look for an installation that Graph has not listed yet (default 3). */
  lookupAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface Installation {
  id: string;
  teamsApp?: { id?: string };
}

const LICENCE = /licen[cs]e/i;
const MISSING_PERMISSION = /Authorization_RequestDenied|scope|permission|not allowed to manage/i;

export class GraphInstaller implements RecipientInstaller {
  private readonly sleep: (ms: number) => Promise<void>;
  private unreachableIds: Promise<Set<string>> | undefined;
  /** Installs made, 409s met, people recorded unreachable (since start). */
  readonly stats = { installed: 0, alreadyInstalled: 0, unreachable: 0 };

  constructor(private readonly o: GraphInstallerOptions) {
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async install(userId: string): Promise<InstallOutcome> {
    const id = userId.toLowerCase();
    const user = encodeURIComponent(id);
    const res = await this.o.graph.send({
      method: 'POST',
      url: `/users/${user}/teamwork/installedApps`,
      body: {
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${this.o.catalogAppId}`,
      },
    });
    let installedNow = false;
    if (res.status === 201 || res.status === 200) {
      installedNow = true;
      this.stats.installed++;
    } else if (res.status === 409) {
      this.stats.alreadyInstalled++;
    } else {
      return this.unreachable(id, res.status, res.body);
    }

    const installationId = await this.findInstallation(user);
    if (!installationId)
      throw new GraphError(404, 'InstallationNotListed', 'the installation is not listed yet', true);
    const chat = await this.o.graph.send<{ id?: string }>({
      url: `/users/${user}/teamwork/installedApps/${encodeURIComponent(installationId)}/chat?$select=id`,
    });
    if (chat.status !== 200 || !chat.body?.id) {
      if (chat.status === 403 || chat.status === 404) return this.unreachable(id, chat.status, chat.body);
      throw new GraphError(
        chat.status,
        'NoChat',
        `the installation's chat could not be read (${chat.status})`,
        true,
      );
    }
    const unreachable = await this.knownUnreachable();
    if (unreachable.delete(id)) await this.o.repository.clearUnreachable(id);
    return { kind: 'reachable', installedNow, reference: await this.referenceFor(id, chat.body.id) };
  }

  /** Who is recorded as unreachable, read once: a reached person's record goes without a storage call per person. */
  private knownUnreachable(): Promise<Set<string>> {
    this.unreachableIds ??= this.o.repository.unreachable().then((m) => new Set(m.keys()));
    this.unreachableIds.catch(() => (this.unreachableIds = undefined));
    return this.unreachableIds;
  }

  /** The installation of this app for the user; Graph may list a fresh one a moment late. */
  private async findInstallation(user: string): Promise<string | undefined> {
    const filter = encodeURIComponent(`teamsApp/id eq '${this.o.catalogAppId.replace(/'/g, "''")}'`);
    const attempts = this.o.lookupAttempts ?? 3;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await this.sleep(500 * 2 ** attempt);
      const page = await this.o.graph.json<{ value?: Installation[] }>({
        url: `/users/${user}/teamwork/installedApps?$expand=teamsApp&$filter=${filter}`,
      });
      const found = page.value?.find((i) => !i.teamsApp?.id || i.teamsApp.id === this.o.catalogAppId);
      if (found) return found.id;
    }
    return undefined;
  }

  private async referenceFor(userId: string, chatId: string): Promise<ChatReference> {
    const serviceUrl = (await this.o.serviceUrl?.()) ?? TEAMS_PUBLIC_SERVICE_URL;
    return {
      serviceUrl,
      channelId: 'msteams',
      conversation: {
        id: chatId,
        conversationType: 'personal',
        isGroup: false,
        tenantId: this.o.tenantId,
        name: '',
      },
      bot: { id: `28:${this.o.botAppId}`, name: 'Puls' },
      user: { id: userId, aadObjectId: userId, name: '' },
    };
  }

  private async unreachable(userId: string, status: number, body: unknown): Promise<InstallOutcome> {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    const detail = `${status} ${error?.code ?? ''}: ${error?.message ?? ''}`.trim().slice(0, 300);
    // 403 naming the licence: no Teams licence. 404: Teams does not know the person (or the app is
    // missing from the catalog, which the log makes plain because then everyone fails alike).
    const reason: UnreachableReason =
      status === 403 && LICENCE.test(error?.message ?? '')
        ? 'no_teams_licence'
        : status === 404
          ? 'not_found'
          : 'refused';
    if (status === 401 || (status === 403 && MISSING_PERMISSION.test(`${error?.code} ${error?.message}`))) {
      // The bot identity lacks the permission: that is the operator's problem, not the person's.
      throw new GraphError(
        status,
        error?.code ?? `Http${status}`,
        `proactive installation refused (${detail}); is TeamsAppInstallation.ReadWriteSelfForUser.All granted?`,
        false,
      );
    }
    this.stats.unreachable++;
    await this.o.repository.markUnreachable(userId, reason, this.o.clock.now());
    (await this.knownUnreachable()).add(userId);
    this.o.logger.debug({ reason, status }, 'person cannot be reached through Teams');
    return { kind: 'unreachable', reason, detail };
  }
}
