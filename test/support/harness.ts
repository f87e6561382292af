// Starts Puls in-process over HTTP on a free port, against the test Azurite with a fresh table
// prefix, with a CaptureConnector as the Teams service. Tests post activities as Teams does.
import type { Activity } from 'botbuilder';
import { Writable } from 'node:stream';
import { createApp, type App, type AppOptions } from '../../bot/app';
import { ManualClock, type Clock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import type { StorageLimits } from '../../src/storage/tables';
import type { QuestionBank } from '../../src/surveys/question-bank';
import type { Telemetry } from '../../src/telemetry';
import { createLogger } from '../../src/logger';
import { CaptureConnector, type ConnectorOptions } from './connector';
import { TEST_STORAGE_LIMITS, testConnectionString, uniquePrefix } from './storage';
import { cardAction, type TeamsUser } from './teams';

export interface HarnessOptions {
  env?: Record<string, string>;
  clock?: Clock;
  connector?: ConnectorOptions;
  questionBank?: QuestionBank;
  /** Further app options (e.g. the Graph limits of a scaled simulator). */
  app?: Pick<AppOptions, 'graphCredential' | 'graphLimits'>;
  telemetry?: Telemetry;
  /** Storage limits; default TEST_STORAGE_LIMITS (pass STORAGE_LIMITS to test the production bounds). */
  storageLimits?: StorageLimits;
}

export interface Harness {
  app: App;
  connector: CaptureConnector;
  /** The connector's URL: put it in every activity's serviceUrl. */
  serviceUrl: string;
  botUrl: string;
  clock: Clock;
  logs: string[];
  /** POSTs an activity to /api/messages; resolves with the HTTP status and body. */
  send(
    activity: Partial<Activity>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown }>;
  /** Presses an Action.Execute button as `user`; resolves with the card the bot answers with. */
  invoke(user: TeamsUser, verb: string, data?: Record<string, unknown>): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export const TEST_PSEUDONYM_KEY = 'test-pseudonym-key-0123456789abcdef0123456789';

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const connector = new CaptureConnector(options.connector);
  const serviceUrl = await connector.start();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TABLE_PREFIX: uniquePrefix(),
    PSEUDONYM_KEY: TEST_PSEUDONYM_KEY,
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '2000',
    AZURE_STORAGE_CONNECTION_STRING: testConnectionString(),
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: config.logLevel,
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    }),
  });
  const clock = options.clock ?? new ManualClock('2026-11-23T09:00:00Z');
  const app = createApp({
    config,
    storage: { connectionString: config.storage.connectionString! },
    logger,
    clock,
    questionBank: options.questionBank,
    storageLimits: options.storageLimits ?? TEST_STORAGE_LIMITS,
    ...options.app,
    telemetry: options.telemetry,
  });
  const port = await app.start(0, '127.0.0.1');
  const botUrl = `http://127.0.0.1:${port}`;

  const send: Harness['send'] = async (activity, headers = {}) => {
    const res = await fetch(`${botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  return {
    app,
    connector,
    serviceUrl,
    botUrl,
    clock,
    logs,
    send,
    async invoke(user, verb, data = {}) {
      const res = await send(cardAction(user, verb, data, serviceUrl));
      if (res.status !== 200) throw new Error(`invoke ${verb} answered HTTP ${res.status}`);
      return (res.body as { value: Record<string, unknown> }).value;
    },
    async stop() {
      await app.stop();
      await connector.stop();
    },
  };
}
