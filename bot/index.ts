// The composition root: config → table clients → repositories → services → bot → HTTP server.
// `npm start` runs main(); tests call createApp() with their own config, clock and storage.
import { CardFactory, CloudAdapter, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { systemClock, type Clock } from '../src/clock';
import { ConfigError, loadConfig, loadEnvFile, secretsOf, type Config } from '../src/config';
import { localeFrom } from '../src/i18n';
import { InstallationService } from '../src/installation/installation-service';
import { createLogger, type Logger } from '../src/logger';
import { startAzurite, type RunningAzurite } from '../src/storage/azurite';
import { ChannelRepository } from '../src/storage/channel-repository';
import { TableStore } from '../src/storage/tables';
import { UserRepository } from '../src/storage/user-repository';
import { SettingsService } from '../src/users/settings-service';
import { UserDirectory } from '../src/users/user-directory';
import { BackgroundTasks } from '../src/background';
import { OutboxDeliveryEngine } from '../src/delivery/outbox-engine';
import { AdaptiveRateLimiter } from '../src/delivery/rate-limiter';
import { OutboxRepository } from '../src/storage/outbox-repository';
import { Pseudonymizer } from '../src/privacy/pseudonym';
import { DeliveryRepository } from '../src/storage/delivery-repository';
import { ResponseRepository } from '../src/storage/response-repository';
import { RunRepository } from '../src/storage/run-repository';
import { defaultSurveysDir, loadQuestionBank, type QuestionBank } from '../src/surveys/question-bank';
import { SurveyService } from '../src/surveys/survey-service';
import { ParticipationRecorder } from '../src/surveys/participation';
import { IdeaService } from '../src/ideas/idea-service';
import { IdeaRepository } from '../src/storage/idea-repository';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { DigestService } from '../src/digest/digest-service';
import { RetentionService } from '../src/privacy/retention';
import { ExportTokens } from '../src/digest/export-token';
import { runDigestCsv } from '../src/digest/export-csv';
import { DigestScheduler } from '../src/digest/scheduler';
import { DigestRepository } from '../src/storage/digest-repository';
import { createActions } from './actions';
import { digestActivity, digestCommands } from './digest';
import { ChannelPoster } from './proactive';
import { ideaActions, ideaCommands, ideaStatusActivity } from './ideas';
import { createAdapter } from './auth';
import { AdapterMessenger } from './proactive';
import { progressCard, reminderActivity, surveyActions, surveyCardActivity, surveyCommands } from './surveys';
import { REMINDER_SUFFIX, ReminderService } from '../src/surveys/reminders';
import { createCommands } from './commands';
import { errorCard, PulsBot } from './puls-bot';
import { createHttpServer, type HttpServer } from './server';
import { TurnLoader } from './turn';

export interface AppOptions {
  config: Config;
  /** The storage to use; main() passes the configured one or the embedded Azurite's. */
  connectionString: string;
  logger: Logger;
  clock?: Clock;
  /** Defaults to the surveys/ folder. */
  questionBank?: QuestionBank;
}

export interface App {
  readonly config: Config;
  readonly store: TableStore;
  readonly adapter: CloudAdapter;
  readonly bot: PulsBot;
  readonly http: HttpServer;
  readonly repositories: {
    users: UserRepository;
    channels: ChannelRepository;
    runs: RunRepository;
    responses: ResponseRepository;
    deliveries: DeliveryRepository;
    ideas: IdeaRepository;
    digests: DigestRepository;
  };
  readonly surveys: SurveyService;
  readonly participation: ParticipationRecorder;
  readonly ideas: IdeaService;
  readonly digest: DigestService;
  /** Started by main() when DIGEST_ENABLED; tests call tick() with their own clock. */
  readonly digestScheduler: DigestScheduler;
  readonly exportTokens: ExportTokens;
  /** Deletes individual answers after RETENTION_MONTHS; main() schedules it daily. */
  readonly retention: RetentionService;
  /** Sends due reminders; main() checks hourly. */
  readonly reminders: ReminderService;
  /** Work started by turns that outlives them (survey delivery). */
  readonly background: BackgroundTasks;
  /** Creates the tables and listens; resolves with the bound port. */
  start(port?: number, host?: string): Promise<number>;
  /** Stops taking requests and finishes the turns in flight. */
  stop(): Promise<void>;
  resumeDeliveries(): void;
}

export function createApp(options: AppOptions): App {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;

  const store = new TableStore({
    connectionString: options.connectionString,
    prefix: config.storage.tablePrefix,
  });
  const users = new UserRepository(store);
  const channels = new ChannelRepository(store);

  const installation = new InstallationService({
    users,
    channels,
    officersTeamId: config.officersTeamId,
    clock,
    logger,
  });
  const settings = new SettingsService(users);
  const runs = new RunRepository(store);
  const responses = new ResponseRepository(store);
  const deliveries = new DeliveryRepository(store);
  const ideaRepository = new IdeaRepository(store);
  const digests = new DigestRepository(store);
  const background = new BackgroundTasks();

  const authOptions: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  const adapter = createAdapter(authOptions, { proactiveRetries: true });
  // The delivery engine sends through an adapter of its own without the SDK's retries (it retries
  // itself and must see every 429); notifications, card updates and the digest keep them.
  const engineAdapter = createAdapter(authOptions, { proactiveRetries: false });

  const messenger = new AdapterMessenger(adapter, config.bot.appId);
  const pseudonyms = new Pseudonymizer(config.pseudonymKey);
  const delivery = new OutboxDeliveryEngine({
    outbox: new OutboxRepository(store),
    messenger: new AdapterMessenger(engineAdapter, config.bot.appId),
    // Sending runs on real time, whatever clock the domain uses.
    clock: systemClock,
    logger,
    limiter: new AdaptiveRateLimiter({ ratePerSecond: config.delivery.ratePerSecond }),
    maxAttempts: config.delivery.maxAttempts,
    renderFor: async (jobId) => {
      const reminder = jobId.endsWith(REMINDER_SUFFIX);
      const run = await runs.get(reminder ? jobId.slice(0, -REMINDER_SUFFIX.length) : jobId);
      if (!run) return undefined;
      return (r) => (reminder ? reminderActivity(run, r.locale) : surveyCardActivity(run, r.locale));
    },
  });
  const participation = new ParticipationRecorder({ deliveries, responses, pseudonyms, logger });
  const surveys = new SurveyService({
    bank: options.questionBank ?? loadQuestionBank(defaultSurveysDir()),
    runs,
    responses,
    deliveries,
    users,
    pseudonyms,
    delivery,
    clock,
    logger,
    privacy: config.privacy,
    defaultLocale: config.defaultLocale,
    published: digests,
    renderSurveyCard: surveyCardActivity,
    updateProgressCard: (target, run, progress) =>
      messenger.update(target.reference, target.activityId, {
        attachments: [CardFactory.adaptiveCard(progressCard(target.locale, run, progress))],
      }),
    participation,
    background: (task) => background.run(task),
  });
  const surveyDeps = {
    surveys,
    clock,
    privacy: config.privacy,
  };
  const digestService = new DigestService({
    runs,
    responses,
    deliveries,
    ideas: ideaRepository,
    digests,
    clock,
    logger,
    privacy: config.privacy,
  });
  const exportTokens = new ExportTokens(config.pseudonymKey, clock);
  const reminders = new ReminderService({
    runs,
    deliveries,
    users,
    claims: digests,
    delivery,
    clock,
    logger,
    daysBeforeClose: config.delivery.reminderDaysBeforeClose,
    defaultLocale: config.defaultLocale,
    renderReminder: reminderActivity,
    reconcileParticipation: (runId) => participation.reconcile(runId),
  });
  const retention = new RetentionService({
    runs,
    responses,
    deliveries,
    clock,
    logger,
    retentionMonths: config.privacy.retentionMonths,
  });
  const poster = new ChannelPoster(adapter, config.bot.appId);
  /** Posts the digest to the officers' channel; undefined when Puls is not in the officers' team yet. */
  const postDigest = async (): Promise<string | undefined> => {
    const channel = await installation.officersChannel();
    if (!channel) return undefined;
    return poster.post(channel.reference, await digestActivity(digestService, config.digest.locale, true));
  };
  const digestScheduler = new DigestScheduler({
    cron: config.digest.cron,
    clock,
    digests,
    instanceId: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    logger,
    // Undefined while Puls is not in the officers' team: the scheduler warns once and tries later.
    post: postDigest,
  });
  const ideas = new IdeaService({
    ideas: ideaRepository,
    users,
    pseudonyms,
    messenger,
    renderStatusNotice: ideaStatusActivity,
    clock,
    logger,
    defaultLocale: config.defaultLocale,
  });

  const commands = createCommands({
    config,
    users,
    installation,
    extra: [
      ...surveyCommands(surveyDeps),
      ...ideaCommands({ ideas }),
      ...digestCommands({
        digest: digestService,
        surveys,
        exportTokens,
        postNow: postDigest,
        publicBaseUrl: config.publicBaseUrl,
      }),
    ],
  });
  const actions = createActions({
    config,
    settings,
    extra: [...surveyActions(surveyDeps), ...ideaActions({ ideas })],
  });
  const directory = new UserDirectory({ users, logger });
  const turns = new TurnLoader({
    users: directory,
    installation,
    officerAadIds: config.officerAadIds,
    defaultLocale: config.defaultLocale,
  });
  const bot = new PulsBot({
    turns,
    commands,
    actions,
    installation,
    logger,
    defaultLocale: config.defaultLocale,
  });

  adapter.onTurnError = async (context, error) => {
    logger.error(
      {
        err: error,
        activityId: context.activity.id,
        activityType: context.activity.type,
        conversationId: context.activity.conversation?.id,
      },
      'unhandled error in turn',
    );
    if (context.activity.type === 'message') {
      try {
        const card = errorCard(localeFrom(context.activity.locale, config.defaultLocale));
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
      } catch (sendErr) {
        logger.warn({ err: sendErr }, 'could not send the apology');
      }
    }
  };

  const http = createHttpServer({
    adapter,
    bot,
    logger,
    checkStorage: () => store.ping(),
    exportCsv: async (token) => {
      const runId = exportTokens.verify(token);
      const run = runId ? await surveys.getRun(runId) : undefined;
      if (!run) return undefined;
      // An export is a publication like any other: the same thresholds and differencing rule.
      const figures = await digestService.runFigures(run, true);
      return { fileName: `puls-${run.runId}.csv`, csv: runDigestCsv(figures, config.digest.locale) };
    },
  });

  return {
    config,
    store,
    adapter,
    bot,
    http,
    repositories: { users, channels, runs, responses, deliveries, ideas: ideaRepository, digests },
    surveys,
    participation,
    ideas,
    digest: digestService,
    digestScheduler,
    exportTokens,
    retention,
    reminders,
    background,
    async start(port = config.port, host = config.host) {
      await store.ensureTables();
      directory.start();
      return http.listen(port, host);
    },
    /** Picks up deliveries of open runs that a stopped or crashed instance left unfinished. */
    resumeDeliveries() {
      background.run(
        (async () => {
          const open = (await runs.list()).filter((run) => surveys.isOpen(run));
          // Each run on its own: one that fails does not hold up the others. Sending first; the
          // participation flags a crashed instance left unwritten are restored alongside.
          await Promise.all(
            open.map(async (run) => {
              await Promise.all([
                surveys
                  .resumeDelivery(run)
                  .catch((err: unknown) =>
                    logger.error({ err, runId: run.runId }, 'resuming delivery failed'),
                  ),
                participation
                  .reconcile(run.runId)
                  .catch((err: unknown) =>
                    logger.warn({ err, runId: run.runId }, 'restoring participation flags failed'),
                  ),
              ]);
            }),
          );
        })().catch((err: unknown) => logger.error({ err }, 'resuming deliveries failed')),
      );
    },
    async stop() {
      directory.stop();
      digestScheduler.stop();
      retention.stop();
      reminders.stop();
      await http.close(config.shutdownTimeoutMs);
      // Queued participation flags and background work get the same grace period; a flag that
      // does not make it is restored from the responses by the next instance.
      await Promise.race([
        Promise.all([participation.stop(), background.idle()]),
        new Promise((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref()),
      ]);
    },
  };
}

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
