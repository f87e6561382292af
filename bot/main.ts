// The process: reads the environment, opens the tables (an Azure account, or the embedded Azurite
// for local runs), builds the app (bot/app.ts), schedules the background jobs and handles signals.
// Production runs the compiled file: node dist/bot/main.js (npm run build).
import { DefaultAzureCredential } from '@azure/identity';
import type { DestinationStream } from 'pino';
import { ConfigError, describeMode, loadConfig, loadEnvFile, secretsOf, type Config } from '../src/config';
import { createLogger, type Logger } from '../src/logger';
import type { TableConnection } from '../src/storage/tables';
import { noTelemetry, type Telemetry } from '../src/telemetry';
import { createApp } from './app';

/** A start-up failure an operator can act on: printed as one line. */
class StartupError extends Error {}

interface OpenedStorage {
  connection: TableConnection;
  stop(): Promise<void>;
}

async function openStorage(config: Config, logger: Logger): Promise<OpenedStorage> {
  const s = config.storage;
  if (s.kind === 'entra-id') {
    // Managed identity in Azure (AZURE_CLIENT_ID picks a user-assigned one); a developer's
    // `az login` elsewhere. The account needs no key.
    const credential = new DefaultAzureCredential(
      s.managedIdentityClientId ? { managedIdentityClientId: s.managedIdentityClientId } : {},
    );
    return { connection: { url: s.tableUrl!, credential }, stop: async () => {} };
  }
  if (s.kind === 'connection-string') {
    return { connection: { connectionString: s.connectionString! }, stop: async () => {} };
  }
  // Loaded only here: a production install (npm ci --omit=dev) has no Azurite.
  let azuriteModule: typeof import('../src/storage/azurite');
  try {
    azuriteModule = await import('../src/storage/azurite');
  } catch (err) {
    throw new StartupError(`cannot load the embedded storage: ${String(err)}`);
  }
  if (!azuriteModule.isAzuriteInstalled()) {
    throw new StartupError(
      'No storage is configured and the embedded Azurite is not installed (a production install): ' +
        'set AZURE_STORAGE_TABLE_URL (managed identity) or AZURE_STORAGE_CONNECTION_STRING, ' +
        'or run `npm install` for a local trial.',
    );
  }
  const azurite = await azuriteModule.startAzurite({ location: s.azuriteLocation, port: s.azuritePort });
  if (s.embeddedOptIn) {
    logger.warn(
      { port: azurite.port, location: s.azuriteLocation },
      'PULS_EMBEDDED_STORAGE=true: Teams traffic is stored in the embedded Azurite on this machine. ' +
        'A TRIAL ONLY: answers are lost with this disk, several instances cannot share it, and nothing is backed up.',
    );
  } else {
    logger.info(
      { port: azurite.port, location: s.azuriteLocation },
      'no storage configured: started the embedded Azurite table service',
    );
  }
  // Every write is saved to the data folder before it is confirmed (see src/storage/azurite.ts).
  return {
    connection: { connectionString: azurite.connectionString, afterWrite: () => azurite.flush() },
    stop: () => azurite.stop(),
  };
}

/** Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set; else nothing is loaded or recorded. */
async function startTelemetry(config: Config): Promise<Telemetry> {
  const connectionString = config.telemetry.connectionString;
  if (!connectionString) return noTelemetry;
  const { startAzureMonitor } = await import('../src/telemetry/azure-monitor');
  return startAzureMonitor(connectionString);
}

/** pino-pretty when a person watches a terminal (a dev dependency); JSON lines otherwise. */
async function terminalDestination(): Promise<DestinationStream | undefined> {
  if (!process.stdout.isTTY) return undefined;
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app' });
  } catch {
    return undefined; // a production install: JSON it is
  }
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

async function main(): Promise<void> {
  let config: Config;
  try {
    loadEnvFile();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({
    level: config.logLevel,
    secrets: secretsOf(config),
    destination: await terminalDestination(),
  });
  if (config.pseudonymKeyIsDevelopmentDefault) {
    logger.warn('PSEUDONYM_KEY is not set: using the local development key (never for real answers)');
  }
  if (config.bot.appId && config.bot.appType === 'MultiTenant') {
    logger.warn(
      'MicrosoftAppType=MultiTenant: new multi-tenant bots can no longer be registered; use SingleTenant or UserAssignedMSI',
    );
  }

  const telemetry = await startTelemetry(config);
  const storage = await openStorage(config, logger);
  const app = createApp({ config, storage: storage.connection, logger, telemetry });
  let port: number;
  try {
    port = await app.start();
  } catch (err) {
    await storage.stop().catch(() => undefined);
    const message = oneLine(err instanceof Error ? err.message : String(err));
    if ((err as { code?: unknown }).code === 'EADDRINUSE') {
      throw new StartupError(`PORT ${config.port} is already in use on ${config.host}: ${message}`);
    }
    throw new StartupError(`cannot open the tables (${config.storage.kind}): ${message}`);
  }
  const mode = describeMode(config, app.instanceId);
  logger.info(
    { mode },
    `Puls mode: storage ${mode.storage}; auth ${mode.auth}; tenants ${mode.tenants}; ` +
      `instance ${mode.instanceId}; sending up to ${mode.sendRatePerSecond}/s; telemetry ${mode.telemetry}`,
  );
  app.retention.start();
  app.reminders.start();
  app.sealer.start();
  app.scheduleScheduler.start();
  app.resumeDeliveries();
  if (config.digest.enabled) {
    app.digestScheduler.start();
    logger.info({ cron: config.digest.cron, timezone: 'Europe/Berlin' }, 'weekly digest scheduled');
  }
  logger.info({ port }, `Puls listening on http://${config.host}:${port}/api/messages`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing the turns in flight');
    try {
      await app.stop();
      await storage.stop();
      // The last telemetry gets 5 s to reach Azure Monitor; an unreachable endpoint does not hold the exit.
      await Promise.race([
        telemetry.shutdown().catch((err: unknown) => logger.warn({ err }, 'telemetry did not flush')),
        new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
      ]);
      logger.info('stopped');
      logger.flush();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`Puls failed to start: ${oneLine(message)}\n`);
    process.exit(1);
  });
}
