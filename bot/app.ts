// The composition root: config → table clients → repositories → services → bot → HTTP server.
// It wires and holds no business logic. bot/main.ts (the process) and the tests call createApp().
import { CardFactory, CloudAdapter, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { systemClock, type Clock } from '../src/clock';
import type { Config } from '../src/config';
import { localeFrom } from '../src/i18n';
import { InstallationService } from '../src/installation/installation-service';
import type { Logger } from '../src/logger';
import { ChannelRepository } from '../src/storage/channel-repository';
import { TableStore } from '../src/storage/tables';
import { UserRepository } from '../src/storage/user-repository';
import { SettingsService } from '../src/users/settings-service';
import { UserDirectory } from '../src/users/user-directory';
import { BackgroundTasks } from '../src/background';
import { OutboxDeliveryEngine } from '../src/delivery/outbox-engine';
import { SharedSendBudget } from '../src/delivery/send-budget';
import { SendBudgetRepository } from '../src/storage/send-budget-repository';
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
import { RunExport } from '../src/digest/run-export';
import { DigestScheduler } from '../src/digest/scheduler';
import { DigestRepository } from '../src/storage/digest-repository';
import { createActions } from './actions';
import { createDigestPoster, digestCommands } from './digest';
import { ChannelPoster } from './proactive';
import { ideaActions, ideaCommands, ideaStatusActivity } from './ideas';
import { createAdapter } from './auth';
import { AdapterMessenger } from './proactive';
import { progressCard, reminderActivity, surveyActions, surveyCardActivity, surveyCommands } from './surveys';
import { ReminderService } from '../src/surveys/reminders';
import { createJobRenderer } from '../src/surveys/jobs';
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
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const delivery = new OutboxDeliveryEngine({
    outbox: new OutboxRepository(store),
    messenger: new AdapterMessenger(engineAdapter, config.bot.appId),
    // Sending runs on real time, whatever clock the domain uses.
    clock: systemClock,
    logger,
    // SEND_RATE_PER_S is the tenant's total, shared with every other instance through storage.
    limiter: new SharedSendBudget({
      repository: new SendBudgetRepository(store),
      instanceId,
      ratePerSecond: config.delivery.ratePerSecond,
      logger,
    }),
    instanceId,
    maxAttempts: config.delivery.maxAttempts,
    renderFor: createJobRenderer({
      getRun: (runId) => runs.get(runId),
      renderSurveyCard: surveyCardActivity,
      renderReminder: reminderActivity,
    }),
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
  const postDigest = createDigestPoster({
    digest: digestService,
    installation,
    poster: new ChannelPoster(adapter, config.bot.appId),
    locale: config.digest.locale,
  });
  const exports = new RunExport({
    tokens: exportTokens,
    digest: digestService,
    getRun: (runId) => surveys.getRun(runId),
    locale: config.digest.locale,
    publicBaseUrl: config.publicBaseUrl,
  });
  const digestScheduler = new DigestScheduler({
    cron: config.digest.cron,
    clock,
    digests,
    instanceId,
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
        exports,
        postNow: postDigest,
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
    exportCsv: (token) => exports.csv(token),
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
        surveys.resumeOpenRuns().catch((err: unknown) => logger.error({ err }, 'resuming deliveries failed')),
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
      // Deliveries still running are handed to the other instances; the send share is given back.
      await delivery.stop();
    },
  };
}
