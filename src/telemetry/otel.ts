// Telemetry on OpenTelemetry: the spans and metrics of ./index.ts, recorded with a tracer and a
// meter handed in (Azure Monitor's in production, see ./azure-monitor.ts; in-memory exporters in
// test/integration/telemetry.test.ts).
//
// Privacy: every attribute below is a closed vocabulary (activity types, verbs of the action
// table, table names, HTTP methods and status codes, outcomes, counts). Nothing from an activity's
// content, no id of a person, conversation, run or idea, and no error message (storage errors can
// carry partition and row keys) is ever set. A turn span says that someone did something at a time,
// never who: the same as the Bot Framework's own request logs.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Meter,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type {
  DeliveryMetrics,
  StorageCall,
  StorageFailureKind,
  Telemetry,
  TurnFacts,
  TurnOutcome,
  TurnRecord,
} from './index';

export interface OtelTelemetryOptions {
  tracer: Tracer;
  meter: Meter;
  /** Flushes and stops the exporters (Azure Monitor's shutdown). */
  shutdown?: () => Promise<void>;
}

/** The span names and metric names Puls records (documented in docs/operations.md). */
export const SPANS = {
  turn: 'puls.turn',
  storage: 'puls.storage',
  deliveryJob: 'puls.delivery.job',
  digest: 'puls.digest',
} as const;

export const METRICS = {
  invokeDuration: 'puls.invoke.duration',
  answers: 'puls.answers',
  sends: 'puls.delivery.sends',
  outboxDepth: 'puls.outbox.depth',
  digestDuration: 'puls.digest.duration',
  storageErrors: 'puls.storage.errors',
  storageDuration: 'puls.storage.duration',
} as const;

/** The turn a storage call belongs to (storage spans are recorded inside turns only). */
interface TurnScope {
  span: Span;
  ended: boolean;
}

class OtelTurnRecord implements TurnRecord {
  action: string | undefined;
  outcome: TurnOutcome | undefined;
  httpStatus: number | undefined;

  setAction(action: string): void {
    this.action = action;
  }

  setOutcome(outcome: TurnOutcome, httpStatus: number): void {
    // The bot marks "not stored" first; the server then reports the HTTP 200 that carried the card.
    if (this.outcome === 'storage_unavailable' && outcome === 'ok') {
      this.httpStatus = httpStatus;
      return;
    }
    this.outcome = outcome;
    this.httpStatus = httpStatus;
  }
}

export function createOtelTelemetry(options: OtelTelemetryOptions): Telemetry {
  const { tracer, meter } = options;
  const turns = new AsyncLocalStorage<TurnScope | undefined>();

  const invokeDuration = meter.createHistogram(METRICS.invokeDuration, {
    description: 'Time to answer a card action (Teams allows 10-15 s)',
    unit: 'ms',
  });
  const answers = meter.createCounter(METRICS.answers, { description: 'Survey answers stored' });
  const sends = meter.createCounter(METRICS.sends, {
    description: 'Proactive sends by outcome: sent, failed (for good), throttled (429)',
  });
  const digestDuration = meter.createHistogram(METRICS.digestDuration, {
    description: 'Time to compute and post the weekly digest',
    unit: 's',
  });
  const storageErrors = meter.createCounter(METRICS.storageErrors, {
    description: 'Storage calls that got no answer in time, by failure',
  });
  const storageDuration = meter.createHistogram(METRICS.storageDuration, {
    description: 'One table storage call, retries included',
    unit: 'ms',
  });
  // Rows not yet sent, per delivery job this instance works (the job ids never leave this map).
  const depth = new Map<string, number>();
  meter
    .createObservableGauge(METRICS.outboxDepth, {
      description: 'Recipients still to be sent in the delivery jobs this instance works',
    })
    .addCallback((result) => {
      let pending = 0;
      for (const n of depth.values()) pending += n;
      result.observe(pending);
    });

  const delivery: DeliveryMetrics = {
    job(work) {
      // A root span of its own, whichever turn started the job, and no storage spans inside it
      // (a job makes thousands of calls: they go to the storage metrics only).
      return turns.run(undefined, () =>
        tracer.startActiveSpan(SPANS.deliveryJob, { root: true }, ROOT_CONTEXT, async (span) => {
          try {
            const result = await work();
            span.setAttributes(countsOf(result));
            return result;
          } catch (err) {
            fail(span, err);
            throw err;
          } finally {
            span.end();
          }
        }),
      );
    },
    outboxDepth(jobKey, pending) {
      if (pending > 0) depth.set(jobKey, pending);
      else depth.delete(jobKey);
    },
  };

  return {
    enabled: true,
    async turn<T>(facts: TurnFacts, work: (record: TurnRecord) => Promise<T>): Promise<T> {
      const record = new OtelTurnRecord();
      if (facts.action) record.setAction(facts.action);
      const started = performance.now();
      const span = tracer.startSpan(
        SPANS.turn,
        { kind: SpanKind.SERVER, root: true, attributes: { 'puls.activity.type': facts.activityType } },
        ROOT_CONTEXT,
      );
      const scope: TurnScope = { span, ended: false };
      try {
        return await turns.run(scope, () =>
          context.with(trace.setSpan(ROOT_CONTEXT, span), () => work(record)),
        );
      } catch (err) {
        record.setOutcome('error', record.httpStatus ?? 500);
        throw err;
      } finally {
        scope.ended = true;
        const attributes: Attributes = {
          'puls.activity.type': facts.activityType,
          'puls.outcome': record.outcome ?? 'ok',
        };
        if (record.action) attributes['puls.action'] = record.action;
        if (record.httpStatus !== undefined) attributes['http.response.status_code'] = record.httpStatus;
        span.setAttributes(attributes);
        if (record.outcome === 'error' || record.outcome === 'storage_unavailable') {
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
        if (facts.activityType === 'invoke') {
          invokeDuration.record(performance.now() - started, {
            'puls.action': record.action ?? 'none',
            'puls.outcome': record.outcome ?? 'ok',
          });
        }
      }
    },
    answerStored() {
      answers.add(1);
    },
    delivered(outcome) {
      sends.add(1, { 'puls.outcome': outcome });
    },
    storageFailed(kind: StorageFailureKind) {
      storageErrors.add(1, { 'puls.storage.failure': kind });
    },
    async storageCall<T>(call: StorageCall, work: () => Promise<T>): Promise<T> {
      const started = performance.now();
      const scope = turns.getStore();
      const attributes: Attributes = {
        'puls.storage.table': call.table,
        'puls.storage.operation': call.operation,
      };
      const span =
        scope && !scope.ended
          ? tracer.startSpan(
              SPANS.storage,
              { kind: SpanKind.CLIENT, attributes },
              trace.setSpan(ROOT_CONTEXT, scope.span),
            )
          : undefined;
      let status: number | undefined;
      try {
        const result = await work();
        status = (result as { status?: unknown } | null)?.status as number | undefined;
        if (typeof status === 'number') span?.setAttribute('http.response.status_code', status);
        if (typeof status === 'number' && status >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
        return result;
      } catch (err) {
        if (span) fail(span, err);
        throw err;
      } finally {
        span?.end();
        storageDuration.record(performance.now() - started, {
          ...attributes,
          'puls.outcome': status === undefined ? 'error' : status < 400 ? 'ok' : String(status),
        });
      }
    },
    async digest<T>(work: () => Promise<T>): Promise<T> {
      const started = performance.now();
      let outcome = 'ok';
      return turns.run(undefined, () =>
        tracer.startActiveSpan(SPANS.digest, { root: true }, ROOT_CONTEXT, async (span) => {
          try {
            return await work();
          } catch (err) {
            outcome = 'error';
            fail(span, err);
            throw err;
          } finally {
            span.end();
            digestDuration.record((performance.now() - started) / 1000, { 'puls.outcome': outcome });
          }
        }),
      );
    },
    delivery,
    shutdown: options.shutdown ?? (async () => {}),
  };
}

/** Marks a span failed with the error's class only: messages can carry keys or ids. */
function fail(span: Span, err: unknown): void {
  const type = err instanceof Error ? err.name : typeof err;
  span.setAttribute('error.type', /^[A-Za-z0-9_.]{1,60}$/.test(type) ? type : 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** The sent/failed figures of a job's result, if it has them (counts only). */
function countsOf(result: unknown): Attributes {
  const attributes: Attributes = {};
  for (const key of ['sent', 'failed', 'retried', 'throttled']) {
    const value = (result as Record<string, unknown> | null)?.[key];
    if (typeof value === 'number') attributes[`puls.delivery.${key}`] = value;
  }
  return attributes;
}
