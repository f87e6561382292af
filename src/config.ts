// The only reader of process.env. Validates once at start-up and hands out a frozen, typed object.
import { existsSync } from 'node:fs';
import { Cron } from 'croner';
import { z } from 'zod';

const emptyToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const csvList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(z.string()).default([]),
);
const boolFlag = z.preprocess(
  (v) => (typeof v === 'string' ? ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase()) : v),
  z.boolean(),
);
const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const intIn = (min: number, max: number, dflt: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(dflt));

const envSchema = z
  .object({
    PORT: intIn(0, 65535, 3978),
    HOST: optionalString,
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    MicrosoftAppId: optionalString,
    MicrosoftAppPassword: optionalString,
    MicrosoftAppType: z.preprocess(
      emptyToUndefined,
      z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
    ),
    MicrosoftAppTenantId: optionalString,
    AZURE_STORAGE_CONNECTION_STRING: optionalString,
    AZURE_STORAGE_TABLE_URL: z.preprocess(
      emptyToUndefined,
      z
        .url({
          protocol: /^https$/,
          error: 'must be an https address such as https://<account>.table.core.windows.net',
        })
        .optional(),
    ),
    AZURE_CLIENT_ID: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(GUID, 'must be the client id (a GUID) of the user-assigned managed identity')
        .optional(),
    ),
    PULS_EMBEDDED_STORAGE: z.preprocess(emptyToUndefined, boolFlag.default(false)),
    TABLE_PREFIX: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9]{0,19}$/, 'letters and digits only, starting with a letter, at most 20')
        .default('puls'),
    ),
    AZURITE_LOCATION: z.preprocess(emptyToUndefined, z.string().default('.data')),
    AZURITE_TABLE_PORT: intIn(0, 65535, 10002),
    PSEUDONYM_KEY: optionalString,
    OFFICER_AAD_IDS: csvList,
    OFFICERS_TEAM_ID: optionalString,
    ALLOWED_TENANT_IDS: csvList,
    TAB_APP_ID_URI: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^api:\/\/\S+$/, 'must be the Application ID URI, api://…')
        .optional(),
    ),
    OFFICER_GROUP_ID: z.preprocess(emptyToUndefined, z.guid().optional()),
    ENTRA_JWKS_URL: z.preprocess(
      emptyToUndefined,
      z.url({ protocol: /^https?$/ }).default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
    ),
    PRIVACY_CONTROLLER: optionalString,
    PRIVACY_DPO_CONTACT: optionalString,
    PRIVACY_LEGAL_BASIS: optionalString,
    PRIVACY_CONTACT: optionalString,
    K_MIN: intIn(3, 1000, 5),
    K_TEXT: intIn(3, 1000, 10),
    RETENTION_MONTHS: intIn(1, 120, 24),
    DEFAULT_LOCALE: z.preprocess(emptyToUndefined, z.enum(['de', 'en']).default('de')),
    SHUTDOWN_TIMEOUT_MS: intIn(0, 120000, 10000),
    SEND_RATE_PER_S: intIn(1, 1000, 45),
    SEND_MAX_ATTEMPTS: intIn(1, 50, 8),
    REMINDER_DAYS_BEFORE_CLOSE: intIn(0, 60, 1),
    REMINDER_AT_HALF_TIME: z.preprocess(emptyToUndefined, boolFlag.default(true)),
    DIGEST_CRON: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default('0 8 * * 1')
        .refine((v) => isValidCron(v), 'is not a valid cron pattern (minute hour day month weekday)'),
    ),
    DIGEST_LOCALE: z.preprocess(emptyToUndefined, z.enum(['de', 'en']).default('de')),
    DIGEST_ENABLED: z.preprocess(emptyToUndefined, boolFlag.default(true)),
    PUBLIC_BASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
    PULS_REQUIRE_SECRETS: z.preprocess(emptyToUndefined, boolFlag.default(false)),
    GRAPH_ENABLED: z.preprocess(emptyToUndefined, boolFlag.optional()),
    GRAPH_BASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
    DISTRICT_SOURCE_ATTRIBUTE: z.preprocess(
      emptyToUndefined,
      z.enum(['companyName', 'department', 'officeLocation']).default('companyName'),
    ),
    DISTRICT_MAPPING_FILE: z.preprocess(emptyToUndefined, z.string().default('config/district-mapping.json')),
    TEAMS_CATALOG_APP_ID: optionalString,
    DIRECTORY_SYNC_HOURS: intIn(1, 168, 6),
  })
  .superRefine((env, ctx) => {
    if (env.MicrosoftAppId && !env.MicrosoftAppPassword && env.MicrosoftAppType !== 'UserAssignedMSI') {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppPassword'],
        message: 'is required when MicrosoftAppId is set (unless MicrosoftAppType=UserAssignedMSI)',
      });
    }
    if (env.MicrosoftAppType !== 'MultiTenant' && env.MicrosoftAppId && !env.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: `is required when MicrosoftAppType=${env.MicrosoftAppType} (the default; your Entra tenant id)`,
      });
    }
    if (env.MicrosoftAppType === 'UserAssignedMSI' && env.MicrosoftAppId && !GUID.test(env.MicrosoftAppId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppId'],
        message:
          'must be the client id (a GUID) of the managed identity when MicrosoftAppType=UserAssignedMSI',
      });
    }
    if (env.AZURE_STORAGE_CONNECTION_STRING && env.AZURE_STORAGE_TABLE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['AZURE_STORAGE_TABLE_URL'],
        message: 'and AZURE_STORAGE_CONNECTION_STRING are both set: keep only one',
      });
    }
    if (env.PULS_EMBEDDED_STORAGE && (env.AZURE_STORAGE_CONNECTION_STRING || env.AZURE_STORAGE_TABLE_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['PULS_EMBEDDED_STORAGE'],
        message: 'is true but a storage account is configured as well: keep only one',
      });
    }
    // App Service passes a Key Vault reference through unchanged when it cannot resolve it (secret
    // missing, no access): never take the reference text itself for the secret.
    for (const name of ['PSEUDONYM_KEY', 'MicrosoftAppPassword'] as const) {
      if (env[name]?.startsWith('@Microsoft.KeyVault(')) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message:
            'is an unresolved Key Vault reference: check that the secret exists and that the app identity may read it (Key Vault Secrets User)',
        });
      }
    }
    if (env.PSEUDONYM_KEY !== undefined && env.PSEUDONYM_KEY.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['PSEUDONYM_KEY'], message: 'must be at least 32 characters' });
    }
    if ((env.MicrosoftAppId || env.PULS_REQUIRE_SECRETS) && !env.PSEUDONYM_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['PSEUDONYM_KEY'],
        message: 'is required when the bot runs with a MicrosoftAppId (real Teams traffic)',
      });
    }
    if (
      env.MicrosoftAppId &&
      !env.AZURE_STORAGE_TABLE_URL &&
      !env.AZURE_STORAGE_CONNECTION_STRING &&
      !env.PULS_EMBEDDED_STORAGE
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['AZURE_STORAGE_TABLE_URL'],
        message:
          'is required when MicrosoftAppId is set (or AZURE_STORAGE_CONNECTION_STRING; PULS_EMBEDDED_STORAGE=true runs a trial on the local emulator)',
      });
    }
    if (env.MicrosoftAppId && !env.PUBLIC_BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_BASE_URL'],
        message:
          'is required when MicrosoftAppId is set (the https address Teams reaches, e.g. https://puls.example.org)',
      });
    }
    if (env.MicrosoftAppId && env.PUBLIC_BASE_URL && !env.PUBLIC_BASE_URL.startsWith('https://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_BASE_URL'],
        message: 'must be an https address when MicrosoftAppId is set',
      });
    }
    if (env.MicrosoftAppId && !env.OFFICERS_TEAM_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['OFFICERS_TEAM_ID'],
        message:
          "is required when MicrosoftAppId is set (the officers' channel is never taken from whichever team adds Puls first)",
      });
    }
    if (env.MicrosoftAppId && env.ALLOWED_TENANT_IDS.length === 0 && !env.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOWED_TENANT_IDS'],
        message: 'is required when MicrosoftAppId is set (the Entra tenant ids whose staff Puls serves)',
      });
    }
    if (env.GRAPH_BASE_URL && /^http:/i.test(env.GRAPH_BASE_URL) && !isLoopbackUrl(env.GRAPH_BASE_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['GRAPH_BASE_URL'],
        message: 'must use https (plain http only for a local simulator on 127.0.0.1 or localhost)',
      });
    }
    if (env.GRAPH_ENABLED && !env.MicrosoftAppId && !env.GRAPH_BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['GRAPH_ENABLED'],
        message:
          'needs MicrosoftAppId (the bot identity reads the directory), or GRAPH_BASE_URL for a simulator',
      });
    }
    if (env.GRAPH_ENABLED && env.MicrosoftAppId && !hasGraphCredential(env)) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message:
          'is required for the directory (Microsoft Graph) unless ALLOWED_TENANT_IDS names exactly one tenant',
      });
    }
    if (env.K_TEXT < env.K_MIN) {
      ctx.addIssue({ code: 'custom', path: ['K_TEXT'], message: 'must not be smaller than K_MIN' });
    }
  });

/** Every environment variable Puls reads (the infrastructure test checks the templates against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly bot: {
    readonly appId: string;
    readonly appPassword: string;
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    readonly tenantId: string;
  };
  readonly storage: {
    /**
     * Where the tables are: an https endpoint with a Microsoft Entra token (managed identity, the
     * production path), a connection string (Azurite, or an account key), or the embedded Azurite.
     */
    readonly kind: 'entra-id' | 'connection-string' | 'embedded';
    readonly connectionString: string | undefined;
    /** AZURE_STORAGE_TABLE_URL, for kind 'entra-id'. */
    readonly tableUrl: string | undefined;
    /**
     * Client id of the user-assigned managed identity for the tables: AZURE_CLIENT_ID, else the bot's
     * MicrosoftAppId when it is that identity (UserAssignedMSI); undefined = system-assigned or
     * whatever DefaultAzureCredential finds (e.g. `az login` on a developer machine).
     */
    readonly managedIdentityClientId: string | undefined;
    /** The embedded Azurite runs although a MicrosoftAppId is set (PULS_EMBEDDED_STORAGE=true: trials only). */
    readonly embeddedOptIn: boolean;
    readonly tablePrefix: string;
    readonly azuriteLocation: string;
    readonly azuritePort: number;
  };
  /** HMAC key for pseudonyms. A development key is derived when unset locally (never with a MicrosoftAppId). */
  readonly pseudonymKey: string;
  readonly pseudonymKeyIsDevelopmentDefault: boolean;
  readonly officerAadIds: ReadonlySet<string>;
  readonly officersTeamId: string | undefined;
  /** The officers' tab: who may sign in (Teams SSO tokens) and where Entra's signing keys are. */
  readonly tab: {
    /** TAB_APP_ID_URI, else api://<host of PUBLIC_BASE_URL>/<MicrosoftAppId>; empty in local mode. */
    readonly appIdUri: string;
    /** Lower-cased Entra group id whose members are officers too (the token's `groups` claim). */
    readonly officerGroupId: string | undefined;
    readonly jwksUrl: string;
  };
  /** Lower-cased Entra tenant ids served; undefined = every tenant (local mode only). */
  readonly allowedTenantIds: ReadonlySet<string> | undefined;
  /** What the privacy card names: placeholders until configured. */
  readonly privacyNotice: {
    readonly controller: string | undefined;
    readonly dpoContact: string | undefined;
    readonly legalBasis: string | undefined;
    readonly contact: string | undefined;
  };
  readonly privacy: { readonly kMin: number; readonly kText: number; readonly retentionMonths: number };
  readonly defaultLocale: 'de' | 'en';
  readonly shutdownTimeoutMs: number;
  readonly delivery: {
    readonly ratePerSecond: number;
    readonly maxAttempts: number;
    /** 0 turns the reminder before the close off. */
    readonly reminderDaysBeforeClose: number;
    /** A reminder at half time as well (never two within 12 hours). */
    readonly reminderAtHalfTime: boolean;
  };
  readonly digest: { readonly cron: string; readonly locale: 'de' | 'en'; readonly enabled: boolean };
  /** Where people reach this bot (export links): PUBLIC_BASE_URL, else http://HOST:PORT. */
  readonly publicBaseUrl: string;
  /** Entra ID through Microsoft Graph: directory sync, Entra groups, proactive installation. */
  readonly directory: {
    /** GRAPH_ENABLED, else on with a MicrosoftAppId that can get a Graph token, or with a GRAPH_BASE_URL (simulator). */
    readonly enabled: boolean;
    /** GRAPH_BASE_URL without a trailing slash; default https://graph.microsoft.com/v1.0. */
    readonly graphBaseUrl: string;
    /** The tenant whose directory is read (client-secret credential): MicrosoftAppTenantId or the one allowed tenant. */
    readonly tenantId: string | undefined;
    readonly districtSourceAttribute: 'companyName' | 'department' | 'officeLocation';
    readonly districtMappingFile: string;
    /** The app's id in the organisation's app catalog; unset = no proactive installation. */
    readonly catalogAppId: string | undefined;
    readonly syncIntervalMs: number;
  };
}

/** The key used when no PSEUDONYM_KEY is configured on a local, unauthenticated run. Never used in Teams. */
const DEVELOPMENT_PSEUDONYM_KEY = 'puls-local-development-key-not-for-production-use';

function isValidCron(pattern: string): boolean {
  try {
    new Cron(pattern, { timezone: 'Europe/Berlin', paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads a local .env file into process.env when there is one (values already set win). */
export function loadEnvFile(file = '.env'): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}

/** Parses an environment (process.env by default). Throws ConfigError with one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = issue.path.join('.') || 'environment';
    throw new ConfigError(`Invalid configuration: ${name} ${describeIssue(issue)}`);
  }
  const e = parsed.data;
  const config: Config = {
    port: e.PORT,
    // Without a MicrosoftAppId nothing authenticates requests: listen on loopback only, unless told.
    host: e.HOST ?? (e.MicrosoftAppId ? '0.0.0.0' : '127.0.0.1'),
    logLevel: e.LOG_LEVEL,
    bot: {
      appId: e.MicrosoftAppId ?? '',
      appPassword: e.MicrosoftAppPassword ?? '',
      // Without an app id nothing is authenticated, and botbuilder only accepts that as MultiTenant.
      appType: e.MicrosoftAppId ? e.MicrosoftAppType : 'MultiTenant',
      tenantId: e.MicrosoftAppTenantId ?? '',
    },
    storage: {
      kind: e.AZURE_STORAGE_TABLE_URL
        ? 'entra-id'
        : e.AZURE_STORAGE_CONNECTION_STRING
          ? 'connection-string'
          : 'embedded',
      connectionString: e.AZURE_STORAGE_CONNECTION_STRING,
      tableUrl: e.AZURE_STORAGE_TABLE_URL?.replace(/\/+$/, ''),
      managedIdentityClientId:
        e.AZURE_CLIENT_ID ?? (e.MicrosoftAppType === 'UserAssignedMSI' ? e.MicrosoftAppId : undefined),
      embeddedOptIn: e.PULS_EMBEDDED_STORAGE && Boolean(e.MicrosoftAppId),
      tablePrefix: e.TABLE_PREFIX,
      azuriteLocation: e.AZURITE_LOCATION,
      azuritePort: e.AZURITE_TABLE_PORT,
    },
    pseudonymKey: e.PSEUDONYM_KEY ?? DEVELOPMENT_PSEUDONYM_KEY,
    pseudonymKeyIsDevelopmentDefault: e.PSEUDONYM_KEY === undefined,
    officerAadIds: new Set(e.OFFICER_AAD_IDS.map((id) => id.toLowerCase())),
    officersTeamId: e.OFFICERS_TEAM_ID,
    tab: {
      appIdUri: e.TAB_APP_ID_URI ?? defaultAppIdUri(e),
      officerGroupId: e.OFFICER_GROUP_ID?.toLowerCase(),
      jwksUrl: e.ENTRA_JWKS_URL,
    },
    allowedTenantIds: allowedTenants(e),
    privacyNotice: {
      controller: e.PRIVACY_CONTROLLER,
      dpoContact: e.PRIVACY_DPO_CONTACT,
      legalBasis: e.PRIVACY_LEGAL_BASIS,
      contact: e.PRIVACY_CONTACT,
    },
    privacy: { kMin: e.K_MIN, kText: e.K_TEXT, retentionMonths: e.RETENTION_MONTHS },
    defaultLocale: e.DEFAULT_LOCALE,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    delivery: {
      ratePerSecond: e.SEND_RATE_PER_S,
      maxAttempts: e.SEND_MAX_ATTEMPTS,
      reminderDaysBeforeClose: e.REMINDER_DAYS_BEFORE_CLOSE,
      reminderAtHalfTime: e.REMINDER_AT_HALF_TIME,
    },
    digest: { cron: e.DIGEST_CRON, locale: e.DIGEST_LOCALE, enabled: e.DIGEST_ENABLED },
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ''),
    directory: {
      enabled: directoryEnabled(e),
      graphBaseUrl: (e.GRAPH_BASE_URL ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, ''),
      tenantId: graphTenantOf(e),
      districtSourceAttribute: e.DISTRICT_SOURCE_ATTRIBUTE,
      districtMappingFile: e.DISTRICT_MAPPING_FILE,
      catalogAppId: e.TEAMS_CATALOG_APP_ID,
      syncIntervalMs: e.DIRECTORY_SYNC_HOURS * 3_600_000,
    },
  };
  return deepFreeze(config);
}

/** Teams SSO's usual Application ID URI for an app with a bot and a tab: api://<domain>/<app id>. */
function defaultAppIdUri(e: z.infer<typeof envSchema>): string {
  if (!e.MicrosoftAppId) return '';
  const host = new URL(e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${e.PORT}`).host;
  return `api://${host}/${e.MicrosoftAppId}`;
}

/**
 * ALLOWED_TENANT_IDS, else the app's own tenant. Without a MicrosoftAppId (local, Agents Playground)
 * and without a list, every tenant is served: nothing authenticates there anyway.
 */
function allowedTenants(e: z.infer<typeof envSchema>): ReadonlySet<string> | undefined {
  const ids =
    e.ALLOWED_TENANT_IDS.length > 0
      ? e.ALLOWED_TENANT_IDS
      : e.MicrosoftAppTenantId
        ? [e.MicrosoftAppTenantId]
        : [];
  if (ids.length === 0) return undefined;
  return new Set(ids.map((id) => id.toLowerCase()));
}

/** The variables the directory settings depend on (the schema's output for them). */
interface DirectoryEnv {
  GRAPH_ENABLED?: boolean | undefined;
  GRAPH_BASE_URL?: string | undefined;
  MicrosoftAppId?: string | undefined;
  MicrosoftAppTenantId?: string | undefined;
  MicrosoftAppType: string;
  ALLOWED_TENANT_IDS: string[];
}

/**
 * Directory features: GRAPH_ENABLED when given; else on when the bot identity can get a Graph token
 * (a MicrosoftAppId with a managed identity or a known tenant), or when GRAPH_BASE_URL names a simulator.
 */
function directoryEnabled(e: DirectoryEnv): boolean {
  return e.GRAPH_ENABLED ?? Boolean((e.MicrosoftAppId && hasGraphCredential(e)) || e.GRAPH_BASE_URL);
}

/** A managed identity needs no tenant; a client secret needs the directory's tenant. */
function hasGraphCredential(e: DirectoryEnv): boolean {
  return e.MicrosoftAppType === 'UserAssignedMSI' || graphTenantOf(e) !== undefined;
}

function graphTenantOf(e: DirectoryEnv): string | undefined {
  return e.MicrosoftAppTenantId ?? (e.ALLOWED_TENANT_IDS.length === 1 ? e.ALLOWED_TENANT_IDS[0] : undefined);
}

function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `must be one of ${issue.values.map(String).join(', ')}`;
  }
  if (issue.code === 'invalid_type') return `has the wrong type (expected ${issue.expected})`;
  if (issue.code === 'too_small' && 'minimum' in issue) return `must be at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && 'maximum' in issue) return `must be at most ${String(issue.maximum)}`;
  return issue.message;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Set)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Values that must never reach a log line. */
export function secretsOf(config: Config): string[] {
  const cs = config.storage.connectionString ?? '';
  const accountKey = /AccountKey=([^;]+)/i.exec(cs)?.[1];
  const sas = /SharedAccessSignature=([^;]+)/i.exec(cs)?.[1];
  return [config.bot.appPassword, config.pseudonymKey, cs, accountKey, sas].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
}

export interface EffectiveMode {
  storage: string;
  auth: string;
  tenants: string;
  instanceId: string;
  sendRatePerSecond: number;
  listen: string;
}

/** What this instance runs as, for the one start-up log line: never a secret. */
export function describeMode(config: Config, instanceId: string): EffectiveMode {
  const s = config.storage;
  let storage: string;
  if (s.kind === 'entra-id') {
    const identity = s.managedIdentityClientId
      ? `managed identity ${s.managedIdentityClientId}`
      : 'DefaultAzureCredential (system-assigned identity, or a developer login)';
    storage = `Table endpoint ${s.tableUrl} with Microsoft Entra tokens of ${identity}`;
  } else if (s.kind === 'connection-string') {
    const cs = s.connectionString ?? '';
    const account =
      /AccountName=([^;]+)/i.exec(cs)?.[1] ??
      (/UseDevelopmentStorage=true/i.test(cs) ? 'devstoreaccount1' : '?');
    const endpoint = /TableEndpoint=([^;]+)/i.exec(cs)?.[1];
    storage = `connection string for account ${account}${endpoint ? ` at ${endpoint}` : ''}`;
  } else {
    storage = `embedded Azurite in ${s.azuriteLocation}${s.embeddedOptIn ? ' (PULS_EMBEDDED_STORAGE=true: a trial, not for real answers)' : ''}`;
  }
  const b = config.bot;
  const auth = b.appId
    ? `${b.appType} bot ${b.appId}${b.tenantId ? ` in tenant ${b.tenantId}` : ''}`
    : 'none: no MicrosoftAppId, unauthenticated local mode';
  const tenants = config.allowedTenantIds ? [...config.allowedTenantIds].join(',') : 'any (local mode)';
  return {
    storage,
    auth,
    tenants,
    instanceId,
    sendRatePerSecond: config.delivery.ratePerSecond,
    listen: `${config.host}:${config.port}`,
  };
}
