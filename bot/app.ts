// The composition root: config → table clients → repositories → services → bot → HTTP server.
// It wires and holds no business logic. bot/main.ts (the process) and the tests call createApp().
import { CardFactory, CloudAdapter, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { systemClock, type Clock } from '../src/clock';
import type { Config } from '../src/config';
import { localeFrom } from '../src/i18n';
import { InstallationService } from '../src/installation/installation-service';
import type { Logger } from '../src/logger';
import { ChannelRepository } from '../src/storage/channel-repository';
import { SurveyDraftRepository } from '../src/storage/survey-draft-repository';
import { PublishedSurveyRepository } from '../src/storage/published-survey-repository';
import { TableStore, type StorageLimits, type TableConnection } from '../src/storage/tables';
import { UserRepository } from '../src/storage/user-repository';
import { SettingsService } from '../src/users/settings-service';
import { UserDirectory } from '../src/users/user-directory';
import { BackgroundTasks } from '../src/background';
import { OutboxDeliveryEngine } from '../src/delivery/outbox-engine';
import { SharedSendBudget } from '../src/delivery/send-budget';
import { SendBudgetRepository } from '../src/storage/send-budget-repository';
import { OutboxRepository } from '../src/storage/outbox-repository';
import { PrivacyKeys } from '../src/privacy/keys';
import { Pseudonyms } from '../src/privacy/pseudonyms';
import { ErasureService } from '../src/privacy/erasure';
import { SecretRepository } from '../src/storage/secret-repository';
import { ResultsService } from '../src/results/results-service';
import { RunSealer } from '../src/surveys/run-sealer';
import { isRunOpen } from '../src/surveys/model';
import { DeliveryRepository } from '../src/storage/delivery-repository';
import { ResponseRepository } from '../src/storage/response-repository';
import { RunRepository } from '../src/storage/run-repository';
import {
  defaultSurveysDir,
  LiveQuestionBank,
  loadQuestionBank,
  type QuestionBank,
} from '../src/surveys/question-bank';
import { SurveyService } from '../src/surveys/survey-service';
import { IdeaNews, parseIdeaNewsJobId } from '../src/ideas/idea-news';
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
import { createDigestPoster, digestActions, digestCommands } from './digest';
import { ChannelPoster } from './proactive';
import { ideaActions, ideaCommands, ideaNewsActivity, ideaStatusActivity } from './ideas';
import { createAdapter } from './auth';
import { AdapterMessenger } from './proactive';
import {
  progressCard,
  reminderActivity,
  resultsAskActivity,
  resultsBackActivity,
  surveyActions,
  surveyCardActivity,
  surveyCommands,
} from './surveys';
import { ResultsBackService } from '../src/surveys/results-back';
import { ReminderService } from '../src/surveys/reminders';
import { createJobRenderer } from '../src/surveys/jobs';
import { createCommands } from './commands';
import { errorCard, PulsBot } from './puls-bot';
import { createHttpServer, type HttpServer } from './server';
import { mountTab, tabAuthenticator } from './tab';
import { TabBundle } from '../src/tab/bundle';
import { ServiceTabDataSource } from '../src/tab/service-data-source';
import { TurnLoader } from './turn';
import { createScheduleNotifier } from './schedules';
import { ScheduleRepository } from '../src/storage/schedule-repository';
import { ScheduleScheduler } from '../src/surveys/schedule-scheduler';
import { ScheduleService } from '../src/surveys/schedule-service';
import type { TokenCredential } from '@azure/identity';
import { createDirectory, type Directory } from '../src/directory';
import { InstallingMessenger } from '../src/directory/installing-messenger';
import { DirectoryRunAudiences } from '../src/directory/run-audience';
import type { GraphLimits } from '../src/directory/rate-limit';
import {
  countingAnswers,
  meteredMessenger,
  noTelemetry,
  observedDelivery,
  type Telemetry,
} from '../src/telemetry';

export interface AppOptions {
  config: Config;
  /** The tables: main() passes the configured account (connection string or endpoint + credential) or the embedded Azurite's. */
  storage: TableConnection;
  logger: Logger;
  clock?: Clock;
  /** Defaults to the surveys/ folder. */
  questionBank?: QuestionBank;
  /** The directory's Graph credential; default the bot's identity (tests: a simulator token). */
  graphCredential?: TokenCredential;
  /** Graph limits to keep; default 90 % of Graph's documented ones (tests: a scaled simulator). */
  graphLimits?: Partial<GraphLimits>;
  /** Traces and metrics (APPLICATIONINSIGHTS_CONNECTION_STRING); none by default. */
  telemetry?: Telemetry;
  /** How long a storage call may take; default STORAGE_LIMITS (tests on a slow machine: more). */
  storageLimits?: StorageLimits;
}

export interface App {
  readonly config: Config;
  /** This process among the instances sharing the storage (logs, digest claims). */
  readonly instanceId: string;
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
    secrets: SecretRepository;
  };
  readonly pseudonyms: Pseudonyms;
  readonly results: ResultsService;
  readonly surveys: SurveyService;
  readonly erasure: ErasureService;
  readonly installation: InstallationService;
  readonly ideas: IdeaService;
  /** Tells the supporters who asked for it when an idea's status changes. */
  readonly ideaNews: IdeaNews;
  readonly digest: DigestService;
  /** Started by main() when DIGEST_ENABLED; tests call tick() with their own clock. */
  readonly digestScheduler: DigestScheduler;
  readonly exportTokens: ExportTokens;
  /** Deletes individual answers after RETENTION_MONTHS; main() schedules it daily. */
  readonly retention: RetentionService;
  /** Sends due reminders; main() checks hourly. */
  readonly reminders: ReminderService;
  /** Destroys the secrets of closed runs; main() checks every minute. */
  readonly sealer: RunSealer;
  /** Work started by turns that outlives them (survey delivery). */
  readonly background: BackgroundTasks;
  /** Recurring schedules (the tab edits them). */
  readonly schedules: ScheduleService;
  /** Starts the runs of recurring schedules; main() starts it, tests call tick() with their own clock. */
  readonly scheduleScheduler: ScheduleScheduler;
  /** Entra ID through Graph (sync, groups, audiences, installation); undefined when not configured. */
  readonly directory: Directory | undefined;
  /** Creates the tables and listens; resolves with the bound port. */
  start(port?: number, host?: string): Promise<number>;
  /** Stops taking requests and finishes the turns in flight. */
  stop(): Promise<void>;
  resumeDeliveries(): void;
}

export function createApp(options: AppOptions): App {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const telemetry = options.telemetry ?? noTelemetry;

  const store = new TableStore({
    ...options.storage,
    prefix: config.storage.tablePrefix,
    ...(options.storageLimits ? { limits: options.storageLimits } : {}),
    observer: {
      storageFailed: (failure) => telemetry.storageFailed(failure),
      storageCall: (call, work) => telemetry.storageCall(call, work),
    },
  });
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const users = new UserRepository(store);
  const channels = new ChannelRepository(store);

  const settings = new SettingsService(users);
  const runs = new RunRepository(store);
  const responses = new ResponseRepository(store);
  const deliveries = new DeliveryRepository(store);
  const ideaRepository = new IdeaRepository(store);
  const digests = new DigestRepository(store);
  const background = new BackgroundTasks((err) => logger.error({ err }, 'background task failed'));
  const keys = new PrivacyKeys(config.pseudonymKey);
  const secrets = new SecretRepository(store);
  const pseudonyms = new Pseudonyms(keys, secrets, clock);
  const results = new ResultsService({ runs, responses, deliveries, clock, privacy: config.privacy });

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
  const surveyJobs = createJobRenderer({
    getRun: (runId) => runs.get(runId),
    isOpen: (run) => isRunOpen(run, clock.now()),
    renderSurveyCard: surveyCardActivity,
    renderReminder: reminderActivity,
    // Declared below; a job is only rendered once the app runs.
    renderResultsBack: (run): ReturnType<ResultsBackService['renderFor']> => resultsBack.renderFor(run),
  });
  const entra = createDirectory({
    config,
    store,
    users,
    clock,
    logger,
    instanceId,
    credential: options.graphCredential,
    graphLimits: options.graphLimits,
  });
  const runAudiences = entra
    ? new DirectoryRunAudiences({
        repository: entra.repository,
        resolver: entra.audiences,
        groups: entra.groups,
        canInstall: entra.installer !== undefined,
      })
    : undefined;
  const engineMessenger = meteredMessenger(new AdapterMessenger(engineAdapter, config.bot.appId), telemetry);
  const deliveryEngine = new OutboxDeliveryEngine({
    outbox: new OutboxRepository(store),
    // Recipients frozen into a run without a conversation are installed for first (Graph), then sent.
    messenger: entra?.installer
      ? new InstallingMessenger({
          inner: engineMessenger,
          installer: entra.installer,
          onReached: async (userId, reference) => {
            await users.saveReference(userId, reference, undefined, clock.now());
          },
        })
      : engineMessenger,
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
    // Idea news jobs are the ideas' own; every other job belongs to a survey run.
    renderFor: (jobId) => (parseIdeaNewsJobId(jobId) ? ideaNews.renderFor(jobId) : surveyJobs(jobId)),
  });
  const delivery = observedDelivery(deliveryEngine, telemetry);
  const publishedSurveys = new PublishedSurveyRepository(store);
  // The files plus what officers published in the tab (read from storage before each list or start).
  const bank = new LiveQuestionBank({
    builtIn: options.questionBank ?? loadQuestionBank(defaultSurveysDir()),
    published: publishedSurveys,
    logger,
  });
  const surveys = new SurveyService({
    bank,
    runs,
    responses: countingAnswers(responses, telemetry),
    deliveries,
    users,
    pseudonyms,
    results,
    delivery,
    clock,
    logger,
    privacy: config.privacy,
    defaultLocale: config.defaultLocale,
    renderSurveyCard: surveyCardActivity,
    updateProgressCard: (target, run, progress) =>
      messenger.update(target.reference, target.activityId, {
        attachments: [CardFactory.adaptiveCard(progressCard(target.locale, run, progress))],
      }),
    background: (task) => background.run(task),
    audiences: runAudiences,
  });
  const resultsBack: ResultsBackService = new ResultsBackService({
    render: resultsBackActivity,
    renderAsk: resultsAskActivity,
    messenger,
    claims: digests,
    instanceId,
    runs,
    deliveries,
    users,
    results,
    delivery,
    clock,
    logger,
    defaultLocale: config.defaultLocale,
    background: (task) => background.run(task),
  });
  const surveyDeps = {
    results,
    resultsBack,
    surveys,
    clock,
    privacy: config.privacy,
  };
  const digestService = new DigestService({ runs, results, ideas: ideaRepository, clock });
  const exportTokens = new ExportTokens(keys, clock);
  const reminders = new ReminderService({
    runs,
    deliveries,
    responses,
    users,
    pseudonyms,
    claims: digests,
    delivery,
    clock,
    logger,
    instanceId,
    daysBeforeClose: config.delivery.reminderDaysBeforeClose,
    atHalfTime: config.delivery.reminderAtHalfTime,
    defaultLocale: config.defaultLocale,
    renderReminder: reminderActivity,
  });
  const sealer = new RunSealer({
    runs,
    responses,
    deliveries,
    pseudonyms,
    clock,
    logger,
    onSealed: (run) => resultsBack.askOfficer(run),
  });
  const retention = new RetentionService({
    runs,
    responses,
    deliveries,
    claims: digests,
    pseudonyms,
    clock,
    logger,
    retentionMonths: config.privacy.retentionMonths,
  });
  const exports = new RunExport({
    tokens: exportTokens,
    results,
    getRun: (runId) => surveys.getRun(runId),
    locale: config.digest.locale,
    publicBaseUrl: config.publicBaseUrl,
  });
  const ideaNews: IdeaNews = new IdeaNews({
    ideas: ideaRepository,
    users,
    keys,
    claims: digests,
    deliveries,
    delivery,
    clock,
    logger,
    instanceId,
    defaultLocale: config.defaultLocale,
    render: ideaNewsActivity,
    background: (task) => background.run(task),
  });
  const ideas = new IdeaService({
    ideas: ideaRepository,
    users,
    pseudonyms,
    keys,
    messenger,
    renderStatusNotice: ideaStatusActivity,
    news: ideaNews,
    clock,
    logger,
    defaultLocale: config.defaultLocale,
  });
  const erasure = new ErasureService({
    users,
    runs,
    deliveries,
    responses,
    pseudonyms,
    ideas,
    clock,
    logger,
  });
  const installation = new InstallationService({
    users,
    channels,
    erase: (userId) => erasure.erase(userId, { withAnswers: false }),
    officersTeamId: config.officersTeamId,
    clock,
    logger,
  });

  const postDigestNow = createDigestPoster({
    digest: digestService,
    installation,
    poster: new ChannelPoster(adapter, config.bot.appId),
    locale: config.digest.locale,
  });
  const postDigest = () => telemetry.digest(postDigestNow);
  const digestScheduler = new DigestScheduler({
    cron: config.digest.cron,
    clock,
    digests,
    instanceId,
    logger,
    // Undefined while Puls is not in the officers' team: the scheduler warns once and tries later.
    post: postDigest,
  });
  const scheduleRepository = new ScheduleRepository(store);
  const schedules = new ScheduleService({
    schedules: scheduleRepository,
    clock,
    surveyExists: (surveyId) => surveys.listSurveys().some((s) => s.id === surveyId),
    hasDirectory: surveys.hasDirectory,
  });
  const scheduleScheduler = new ScheduleScheduler({
    schedules: scheduleRepository,
    startRun: (input, startedBy) => surveys.startRun(input, startedBy),
    findRun: async (scheduleId, from) =>
      (await runs.list()).find((r) => r.scheduleId === scheduleId && r.startedAt.getTime() >= from.getTime()),
    notify: createScheduleNotifier({
      installation,
      poster: new ChannelPoster(adapter, config.bot.appId),
      locale: config.digest.locale,
      kMin: config.privacy.kMin,
      surveyTitle: (surveyId) => surveys.listSurveys().find((s) => s.id === surveyId)?.title,
    }),
    background: (task) => background.run(task),
    clock,
    logger,
    instanceId,
  });
  const digestDeps = {
    digest: digestService,
    surveys,
    exports,
    sendNow: (again: boolean) => digestScheduler.sendNow(again),
  };
  const commands = createCommands({
    config,
    users,
    installation,
    directory: runAudiences,
    extra: [...surveyCommands(surveyDeps), ...ideaCommands({ ideas, clock }), ...digestCommands(digestDeps)],
  });
  const actions = createActions({
    config,
    settings,
    erasure,
    directory: runAudiences,
    extra: [...surveyActions(surveyDeps), ...ideaActions({ ideas, clock }), ...digestActions(digestDeps)],
  });
  const directory = new UserDirectory({ users, logger, clock });
  const turns = new TurnLoader({
    users: directory,
    installation,
    officerAadIds: config.officerAadIds,
    defaultLocale: config.defaultLocale,
  });
  const bot = new PulsBot({
    allowedTenantIds: config.allowedTenantIds,
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
    telemetry,
    checkStorage: (timeoutMs) => store.ping(timeoutMs),
    exportCsv: (token) => exports.csv(token),
  });
  const tabBundle = new TabBundle();
  mountTab(http.server, {
    data: new ServiceTabDataSource({
      surveys,
      results,
      remindNow: (run) => reminders.remindNow(run),
      drafts: new SurveyDraftRepository(store),
      publishing: { repository: publishedSurveys, bank },
      clock,
      background: (task) =>
        background.run(task.catch((err: unknown) => logger.error({ err }, 'tab background task failed'))),
      listRuns: () => runs.list(),
      ideas,
      listIdeas: (filter) => ideaRepository.list(filter),
      schedules,
    }),
    bundle: tabBundle,
    logger,
    ...tabAuthenticator(config),
    kMin: config.privacy.kMin,
  });

  return {
    config,
    instanceId,
    store,
    adapter,
    bot,
    http,
    repositories: { users, channels, runs, responses, deliveries, ideas: ideaRepository, digests, secrets },
    pseudonyms,
    results,
    surveys,
    erasure,
    installation,
    ideas,
    ideaNews,
    digest: digestService,
    digestScheduler,
    exportTokens,
    retention,
    reminders,
    sealer,
    background,
    schedules,
    scheduleScheduler,
    directory: entra,
    async start(port = config.port, host = config.host) {
      await store.ensureTables();
      // Builds the officers' tab when its bundle is missing or stale; the bot runs without it if that fails.
      await tabBundle
        .ensure()
        .catch((err: unknown) => logger.error({ err }, 'building the tab bundle failed'));
      directory.start();
      entra?.sync.start();
      return http.listen(port, host);
    },
    /** Picks up deliveries of open runs that a stopped or crashed instance left unfinished. */
    resumeDeliveries() {
      background.run(
        surveys.resumeOpenRuns().catch((err: unknown) => logger.error({ err }, 'resuming deliveries failed')),
      );
      background.run(
        ideaNews.resumeExpired().catch((err: unknown) => logger.error({ err }, 'resuming idea news failed')),
      );
      ideaNews.start();
    },
    async stop() {
      directory.stop();
      entra?.sync.stop();
      digestScheduler.stop();
      scheduleScheduler.stop();
      retention.stop();
      reminders.stop();
      sealer.stop();
      ideaNews.stop();
      await http.close(config.shutdownTimeoutMs);
      // Background work gets the same grace period; a delivery that does not finish is resumed by
      // the next instance.
      await Promise.race([
        background.idle(),
        new Promise((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref()),
      ]);
      // Deliveries still running are handed to the other instances; the send share is given back.
      await delivery.stop();
    },
  };
}
