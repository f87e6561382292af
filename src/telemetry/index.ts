// What Puls tells operators about itself: a trace per turn (with its storage calls), per delivery
// job and per digest, and a few metrics. Only this closed vocabulary of names and values ever
// reaches telemetry: never a user id, name, conversation id, run or idea id, or anything a person
// wrote (test/integration/telemetry.test.ts checks every exported span and metric after realistic
// traffic).
//
// Without APPLICATIONINSIGHTS_CONNECTION_STRING the no-op below is used: no OpenTelemetry package
// is even loaded. With it, bot/main.ts starts Azure Monitor (./azure-monitor.ts) and passes the
// OpenTelemetry-backed implementation (./otel.ts) into the app.
import type { DeliveryEngine, DeliveryProgress, ProactiveMessenger } from '../delivery/delivery';
import type { ResponseRepository } from '../storage/response-repository';

/** The activity types Teams sends; anything else is counted as 'other'. */
export const ACTIVITY_TYPES = [
  'message',
  'invoke',
  'installationUpdate',
  'conversationUpdate',
  'messageReaction',
  'typing',
  'event',
] as const;
export type ActivityKind = (typeof ACTIVITY_TYPES)[number] | 'other';

/** How a request to /api/messages ended. */
export type TurnOutcome =
  | 'ok'
  /** 4xx: a malformed activity or an invoke Puls does not handle. */
  | 'rejected'
  | 'unauthenticated'
  /** Answered with the "not stored, please try again" card. */
  | 'storage_unavailable'
  | 'error';

export type StorageFailureKind = 'timeout' | 'unreachable' | 'throttled' | 'server';

/** The facts about one turn that may be recorded. `action` must be a verb from the action table. */
export interface TurnFacts {
  activityType: ActivityKind;
  /** A card action's verb name from the action table (never its argument), else undefined. */
  action?: string;
}

export interface TurnRecord {
  /** Sets the action once the bot has matched the verb against its table. */
  setAction(action: string): void;
  setOutcome(outcome: TurnOutcome, httpStatus: number): void;
}

/** One storage call as telemetry may name it: the table without prefix, and the HTTP method. */
export interface StorageCall {
  /** A name from TABLE_NAMES, 'tables' (the table list), 'batch' (a transaction) or 'other'. */
  table: string;
  operation: string;
}

/** Delivery jobs, observed from outside the engine (see observedDelivery). */
export interface DeliveryMetrics {
  /** Runs one delivery job's work on this instance inside a "puls.delivery.job" span. */
  job<T>(work: () => Promise<T>): Promise<T>;
  /** Rows of a job this instance works that are not yet sent or failed (the outbox depth gauge). */
  outboxDepth(jobKey: string, pending: number): void;
}

export interface Telemetry {
  readonly enabled: boolean;
  /** Runs one request to /api/messages as a traced turn; invokes also feed the latency histogram. */
  turn<T>(facts: TurnFacts, work: (record: TurnRecord) => Promise<T>): Promise<T>;
  /** One survey answer stored (feeds answers per minute). */
  answerStored(): void;
  /** One proactive send: delivered, refused for good, or throttled (429). */
  delivered(outcome: 'sent' | 'failed' | 'throttled'): void;
  storageFailed(kind: StorageFailureKind): void;
  /** Runs one storage call: a span when inside a turn, and the storage duration metric. */
  storageCall<T>(call: StorageCall, work: () => Promise<T>): Promise<T>;
  /** Times a digest post (the histogram of digest durations). */
  digest<T>(work: () => Promise<T>): Promise<T>;
  readonly delivery: DeliveryMetrics;
  /** Flushes what is buffered; called on shutdown. */
  shutdown(): Promise<void>;
}

const noRecord: TurnRecord = { setAction() {}, setOutcome() {} };

/** Telemetry that records nothing and costs nothing: the default without a connection string. */
export const noTelemetry: Telemetry = {
  enabled: false,
  turn: (_facts, work) => work(noRecord),
  answerStored() {},
  delivered() {},
  storageFailed() {},
  storageCall: (_call, work) => work(),
  digest: (work) => work(),
  delivery: { job: (work) => work(), outboxDepth() {} },
  shutdown: async () => {},
};

export function activityKindOf(type: unknown): ActivityKind {
  return (ACTIVITY_TYPES as readonly unknown[]).includes(type) ? (type as ActivityKind) : 'other';
}

/** Where the server leaves the turn's record for the bot (TurnContext.turnState). */
export const TURN_RECORD = Symbol('puls.turnRecord');

/** The delivery engine's messenger, counting what each send came to (delivery rate and 429s). */
export function meteredMessenger(messenger: ProactiveMessenger, telemetry: Telemetry): ProactiveMessenger {
  if (!telemetry.enabled) return messenger;
  return {
    async send(reference, activity) {
      try {
        const id = await messenger.send(reference, activity);
        telemetry.delivered('sent');
        return id;
      } catch (err) {
        const status = (err as { statusCode?: unknown } | null)?.statusCode;
        telemetry.delivered(status === 429 ? 'throttled' : 'failed');
        throw err;
      }
    },
  };
}

/** The survey service's view of the responses table, counting every answer stored. */
export function countingAnswers(responses: ResponseRepository, telemetry: Telemetry): ResponseRepository {
  if (!telemetry.enabled) return responses;
  const counted = Object.create(responses) as ResponseRepository;
  counted.put = async (response) => {
    await responses.put(response);
    telemetry.answerStored();
  };
  return counted;
}

/**
 * The delivery engine with each job traced and its outbox depth observed, from outside: the
 * engine's own code stays as it is. Progress reports carry the pending count.
 */
export function observedDelivery<E extends DeliveryEngine>(engine: E, telemetry: Telemetry): E {
  if (!telemetry.enabled) return engine;
  const metrics = telemetry.delivery;
  const observe = (jobId: string, forward?: (p: DeliveryProgress) => Promise<void>) => {
    return async (progress: DeliveryProgress) => {
      metrics.outboxDepth(jobId, progress.done ? 0 : progress.pending);
      if (forward) await forward(progress);
    };
  };
  const observed = Object.create(engine) as E;
  observed.deliver = (job) => {
    const watched = Object.create(job) as typeof job;
    watched.onProgress = observe(job.runId, job.onProgress?.bind(job));
    return metrics
      .job(() => engine.deliver.call(observed, watched))
      .finally(() => metrics.outboxDepth(job.runId, 0));
  };
  observed.resume = (jobId, onProgress, baseline) =>
    metrics
      .job(() =>
        engine.resume.call(observed, jobId, baseline ? observe(jobId, onProgress) : onProgress, baseline),
      )
      .finally(() => metrics.outboxDepth(jobId, 0));
  return observed;
}
