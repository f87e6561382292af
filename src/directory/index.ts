// The directory features in one place for the composition root: the Graph client with the bot's own
// identity, the sync, group search, audiences and proactive installation. Off (undefined) unless
// config.directory.enabled.
import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { DirectoryRepository } from '../storage/directory-repository';
import type { TableStore } from '../storage/tables';
import { DirectoryAudienceResolver, installedUserIdsFrom } from './audience';
import { DirectorySync } from './directory-sync';
import { loadDistrictMapping } from './district-mapping';
import { GraphClient } from './graph-client';
import { EntraGroups } from './groups';
import { GraphInstaller } from './installer';
import type { GraphLimits } from './rate-limit';

export type { AudienceResolver, AudienceSpec, ReachEstimate } from './audience';
export type { GroupDirectory, GroupSummary } from './groups';
export type { ChatReference, InstallOutcome, RecipientInstaller } from './installer';
export type { SyncOutcome, SyncReport } from './directory-sync';

export interface Directory {
  readonly graph: GraphClient;
  readonly repository: DirectoryRepository;
  readonly sync: DirectorySync;
  readonly groups: EntraGroups;
  readonly audiences: DirectoryAudienceResolver;
  /** Undefined without TEAMS_CATALOG_APP_ID. */
  readonly installer: GraphInstaller | undefined;
}

export interface DirectoryOptions {
  config: Config;
  store: TableStore;
  /** The users table, read only: who has a conversation reference, and a service URL to reuse. */
  users: {
    profiles(): AsyncIterable<{ userId: string }>;
    list(): AsyncIterable<{ reference: { serviceUrl?: string } }>;
  };
  clock: Clock;
  logger: Logger;
  instanceId: string;
  /** Default: the bot's identity (managed identity for UserAssignedMSI, else its client secret). */
  credential?: TokenCredential;
  graphLimits?: Partial<GraphLimits>;
}

/** The bot's own identity as a Graph credential. */
export function createGraphCredential(config: Config): TokenCredential {
  const { appId, appPassword, appType } = config.bot;
  if (appType === 'UserAssignedMSI') return new ManagedIdentityCredential({ clientId: appId });
  const tenantId = config.directory.tenantId;
  if (!appId || !appPassword || !tenantId)
    throw new Error('Graph needs MicrosoftAppId, MicrosoftAppPassword and the tenant (MicrosoftAppTenantId)');
  return new ClientSecretCredential(tenantId, appId, appPassword);
}

export function createDirectory(o: DirectoryOptions): Directory | undefined {
  const { config, logger } = o;
  if (!config.directory.enabled) return undefined;
  const graph = new GraphClient({
    baseUrl: config.directory.graphBaseUrl,
    credential: o.credential ?? createGraphCredential(config),
    limits: o.graphLimits,
  });
  const repository = new DirectoryRepository(o.store);
  const mapping = loadDistrictMapping(config.directory.districtMappingFile);
  const sync = new DirectorySync({
    graph,
    repository,
    mapping,
    attribute: config.directory.districtSourceAttribute,
    clock: o.clock,
    logger,
    instanceId: o.instanceId,
    intervalMs: config.directory.syncIntervalMs,
  });
  const groups = new EntraGroups(graph);
  const audiences = new DirectoryAudienceResolver({
    repository,
    groups,
    installedUserIds: installedUserIdsFrom(o.users),
  });
  const catalogAppId = config.directory.catalogAppId;
  const installer = catalogAppId
    ? new GraphInstaller({
        graph,
        repository,
        catalogAppId,
        botAppId: config.bot.appId,
        tenantId: config.directory.tenantId ?? '',
        serviceUrl: serviceUrlFrom(o.users),
        clock: o.clock,
        logger,
      })
    : undefined;
  if (!catalogAppId) logger.info('TEAMS_CATALOG_APP_ID is unset: no proactive installation');
  return { graph, repository, sync, groups, audiences, installer };
}

/** The service URL of any stored conversation (one tenant, one region), remembered once found. */
export function serviceUrlFrom(users: {
  list(): AsyncIterable<{ reference: { serviceUrl?: string } }>;
}): () => Promise<string | undefined> {
  let found: string | undefined;
  return async () => {
    if (found) return found;
    for await (const u of users.list()) {
      if (u.reference.serviceUrl) {
        found = u.reference.serviceUrl;
        break;
      }
    }
    return found;
  };
}
