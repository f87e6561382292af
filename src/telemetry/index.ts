// What Puls tells operators about itself: a trace per turn and per delivery batch, and a few
// metrics. Only this closed vocabulary of names and values ever reaches telemetry: never a user
// id, name, conversation id, run or idea id, or anything a person wrote (test/unit/telemetry.test.ts
// checks every exported span and metric after realistic traffic).
//
// Without APPLICATIONINSIGHTS_CONNECTION_STRING the no-op below is used: no OpenTelemetry package
// is even loaded. With it, bot/main.ts starts Azure Monitor (./azure-monitor.ts) and passes the
// OpenTelemetry-backed implementation (./otel.ts) into the app.
import type { ProactiveMessenger } from '../delivery/delivery';
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

/** The hook the delivery engine calls (see the report of issue #11 for the one-line change). */
export interface DeliveryMetrics {
  /** Runs one batch of sends (one pass over a job's due rows) inside a "puls.delivery.batch" span. */
  batch<T>(work: () => Promise<T>): Promise<T>;
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
  digest: (work) => work(),
  delivery: { batch: (work) => work(), outboxDepth() {} },
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
