// The process: reads the environment, starts the embedded Azurite when no storage is configured,
// builds the app (bot/app.ts), schedules the background jobs and handles signals.
import { ConfigError, loadConfig, loadEnvFile, secretsOf, type Config } from '../src/config';
import { createLogger } from '../src/logger';
import { startAzurite, type RunningAzurite } from '../src/storage/azurite';
import { createApp } from './app';

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
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  if (config.pseudonymKeyIsDevelopmentDefault) {
    logger.warn('PSEUDONYM_KEY is not set: using the local development key (never for real answers)');
  }

  let azurite: RunningAzurite | undefined;
  let connectionString = config.storage.connectionString;
  if (!connectionString) {
    azurite = await startAzurite({
      location: config.storage.azuriteLocation,
      port: config.storage.azuritePort,
    });
    connectionString = azurite.connectionString;
    logger.info(
      { port: azurite.port, location: config.storage.azuriteLocation },
      'AZURE_STORAGE_CONNECTION_STRING is unset: started the embedded Azurite table service',
    );
  }

  const app = createApp({ config, connectionString, logger });
  const port = await app.start();
  app.retention.start();
  app.reminders.start();
  app.sealer.start();
  app.resumeDeliveries();
  if (config.digest.enabled) {
    app.digestScheduler.start();
    logger.info({ cron: config.digest.cron, timezone: 'Europe/Berlin' }, 'weekly digest scheduled');
  }
  logger.info(
    { port, authentication: config.bot.appId ? 'Bot Framework JWT' : 'none (local only)' },
    `Puls listening on http://${config.host}:${port}/api/messages`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing the turns in flight');
    try {
      await app.stop();
      await azurite?.stop();
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
    process.stderr.write(`Puls failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
