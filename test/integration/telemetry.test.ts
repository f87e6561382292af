// Telemetry as exported: Puls runs over HTTP with the OpenTelemetry implementation on in-memory
// exporters (the same tracer and meter calls Azure Monitor gets), an officer starts a run, Teams
// throttles one send, six people answer with free texts of their own. The exported spans and
// metrics show the turns, their storage calls, the delivery job and the sends, and no attribute
// anywhere holds a person's id, name, conversation, answer, or the run's id.
import {
  AggregationTemporality,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { TABLE_NAMES, storageCallOf } from '../../src/storage/tables';
import { createOtelTelemetry, METRICS, SPANS } from '../../src/telemetry/otel';
import { cardText } from '../support/connector';
import { answerData, bankOf, TEST_SURVEY } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import {
  installPersonal,
  makeUser,
  personalConversationId,
  TENANT_ID,
  type TeamsUser,
} from '../support/teams';

/** Collects on demand (the periodic reader would need a timer). */
class OnDemandReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** Every attribute key Puls may record: a closed list, so that a new one is a decision. */
const ALLOWED_ATTRIBUTES = new Set([
  'puls.activity.type',
  'puls.action',
  'puls.outcome',
  'http.response.status_code',
  'puls.storage.table',
  'puls.storage.operation',
  'puls.storage.failure',
  'puls.delivery.sent',
  'puls.delivery.failed',
  'puls.delivery.retried',
  'puls.delivery.throttled',
  'error.type',
]);

describe('telemetry', () => {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const officer = makeUser('Olga Officer');
  const staff = Array.from({ length: 6 }, (_, i) => makeUser(`Mitarbeiterin Nummer ${i}`));
  const secretText = (i: number) => `Mein Vorgesetzter Herr Beispiel ${i} macht alles falsch`;
  let h: Harness;
  let runId: string;
  let throttleArmed = false;
  let throttledOnce = false;

  const invoke = (user: TeamsUser, verb: string, data: Record<string, unknown> = {}) =>
    h.invoke(user, verb, data);

  async function metricsNow(): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    return resourceMetrics;
  }
  const pointsOf = (rm: ResourceMetrics, name: string) =>
    rm.scopeMetrics
      .flatMap((s) => s.metrics.filter((m) => m.descriptor.name === name))
      .flatMap((m) => m.dataPoints as DataPoint<unknown>[]);

  beforeAll(async () => {
    h = await startHarness({
      questionBank: bankOf(TEST_SURVEY),
      env: { OFFICER_AAD_IDS: officer.aadObjectId },
      telemetry: createOtelTelemetry({
        tracer: tracerProvider.getTracer('puls'),
        meter: meterProvider.getMeter('puls'),
      }),
      connector: {
        // Teams throttles the survey card to the first person once.
        respond: (call) => {
          if (!throttleArmed || throttledOnce || call.kind === 'update') return undefined;
          if (call.conversationId !== personalConversationId(staff[0]!)) return undefined;
          throttledOnce = true;
          return { status: 429, headers: { 'Retry-After': '1' } };
        },
      },
    });
    for (const user of [officer, ...staff]) {
      await h.send(installPersonal(user, h.serviceUrl));
      const district = user === officer ? 'hamburg-nord' : 'altona';
      await invoke(user, 'settings.save', { language: 'de', district, reminders: 'true' });
    }
    throttleArmed = true;
    const started = cardText(
      await invoke(officer, 'run.start', {
        surveyId: TEST_SURVEY.id,
        closesAt: '2026-12-07',
        districts: 'altona',
      }),
    );
    runId = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(started)![0];
    await h.app.background.idle();
    for (const [i, user] of staff.entries()) {
      const thanks = await invoke(user, `survey.answer:${runId}`, answerData({ q_comment: secretText(i) }));
      expect(cardText(thanks)).toContain('Danke');
    }
  }, 120_000);
  afterAll(async () => {
    await h.stop();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
  });

  it('when someone answers, then there is a turn span for the answer with its storage calls inside', () => {
    const finished = spans.getFinishedSpans();
    const answerTurns = finished.filter(
      (s) => s.name === SPANS.turn && s.attributes['puls.action'] === 'survey.answer',
    );
    expect(answerTurns).toHaveLength(staff.length);
    for (const turn of answerTurns) {
      expect(turn.attributes).toMatchObject({
        'puls.activity.type': 'invoke',
        'puls.outcome': 'ok',
        'http.response.status_code': 200,
      });
      const inside = finished.filter(
        (s) => s.spanContext().traceId === turn.spanContext().traceId && s.name === SPANS.storage,
      );
      expect(inside.map((s) => s.attributes['puls.storage.table'])).toContain('responses');
      for (const call of inside) {
        expect(call.parentSpanContext?.spanId).toBe(turn.spanContext().spanId);
        expect(TABLE_NAMES as readonly unknown[]).toContain(call.attributes['puls.storage.table']);
      }
    }
    // Other activities are turns too: the installations and the settings saves.
    expect(
      finished.filter(
        (s) => s.name === SPANS.turn && s.attributes['puls.activity.type'] === 'installationUpdate',
      ),
    ).toHaveLength(staff.length + 1);
  });

  it('when a survey goes out, then the delivery job is one trace of its own and every send is counted, 429 included', async () => {
    const jobs = spans.getFinishedSpans().filter((s) => s.name === SPANS.deliveryJob);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.parentSpanContext).toBeUndefined();
    expect(jobs[0]!.attributes).toMatchObject({
      'puls.delivery.sent': staff.length,
      'puls.delivery.failed': 0,
    });
    expect(throttledOnce).toBe(true);

    const rm = await metricsNow();
    const sends = Object.fromEntries(
      pointsOf(rm, METRICS.sends).map((p) => [String(p.attributes['puls.outcome']), p.value]),
    );
    expect(sends).toEqual({ sent: staff.length, throttled: 1 });
    expect(pointsOf(rm, METRICS.answers).map((p) => p.value)).toEqual([staff.length]);
    const answerLatency = pointsOf(rm, METRICS.invokeDuration).find(
      (p) => p.attributes['puls.action'] === 'survey.answer',
    );
    expect((answerLatency?.value as { count: number } | undefined)?.count).toBe(staff.length);
    const storage = pointsOf(rm, METRICS.storageDuration);
    expect(storage.some((p) => p.attributes['puls.storage.table'] === 'deliveries')).toBe(true);
    // The job is over: nothing waits in its outbox.
    expect(pointsOf(rm, METRICS.outboxDepth).map((p) => p.value)).toEqual([0]);
  });

  it('when everything exported is searched, then no id, name, conversation, answer or run id is in it', async () => {
    const people = [officer, ...staff];
    const forbidden = [
      ...people.flatMap((u) => [u.id, u.aadObjectId, u.name, personalConversationId(u)]),
      ...staff.map((_, i) => secretText(i)),
      'Beispiel',
      runId,
      TENANT_ID,
    ];
    const attributeSets: Record<string, unknown>[] = [];
    for (const span of spans.getFinishedSpans() as ReadableSpan[]) {
      attributeSets.push(span.attributes, ...span.events.map((e) => e.attributes ?? {}));
      expect(span.name.startsWith('puls.')).toBe(true);
      expect(JSON.stringify([span.name, span.status, span.links])).not.toMatch(/29:|aaaaaaaa-|personal/);
    }
    const rm = await metricsNow();
    for (const scope of rm.scopeMetrics) {
      for (const metric of scope.metrics) {
        expect(metric.descriptor.name.startsWith('puls.')).toBe(true);
        attributeSets.push(...metric.dataPoints.map((p) => p.attributes));
      }
    }
    expect(attributeSets.length).toBeGreaterThan(50);
    const keys = new Set(attributeSets.flatMap((a) => Object.keys(a)));
    expect([...keys].filter((k) => !ALLOWED_ATTRIBUTES.has(k))).toEqual([]);
    const everything = JSON.stringify(attributeSets);
    for (const value of forbidden) expect(everything).not.toContain(value);
  });

  it('when a storage URL carries keys and a filter, then telemetry gets only the table and the method', () => {
    const user = staff[0]!;
    const base = 'http://127.0.0.1:10002/devstoreaccount1';
    expect(
      storageCallOf(
        `${base}/t1users(PartitionKey='u',RowKey='${encodeURIComponent(user.aadObjectId)}')`,
        'GET',
        't1',
      ),
    ).toEqual({ table: 'users', operation: 'GET' });
    expect(
      storageCallOf(
        `https://acct.table.core.windows.net/t1responses()?$filter=PartitionKey%20eq%20'${runId}'`,
        'get',
        't1',
      ),
    ).toEqual({ table: 'responses', operation: 'GET' });
    expect(storageCallOf(`${base}/$batch`, 'POST', 't1')).toEqual({ table: 'batch', operation: 'POST' });
    expect(storageCallOf(`${base}/Tables`, 'POST', 't1')).toEqual({ table: 'tables', operation: 'POST' });
    expect(storageCallOf(`${base}/otherprefixusers()`, 'GET', 't1')).toEqual({
      table: 'other',
      operation: 'GET',
    });
  });
});
