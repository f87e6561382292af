// The figures of a closed run at city scale: a run with 72,000 responses of 12 questions in Azurite
// (seeded once into .data/bench and reused), read by ResultsService.figures — every surface's one
// path: the 16 shards streamed in parallel into RunAggregator, then discloseRun — against a bare
// scan of the same rows. The ratio is the figure that counts (target ≤ 1.3×), and peak memory.
// BENCH_RESPONSES=<n> seeds and measures a run of n responses instead (each size its own run).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { TableClient, type TransactionAction } from '@azure/data-tables';
import { ManualClock } from '../src/clock';
import { pseudonymOf } from '../src/privacy/keys';
import { ResultsService } from '../src/results/results-service';
import { DeliveryRepository } from '../src/storage/delivery-repository';
import { RESPONSE_BUCKETS, ResponseRepository, responsePartition } from '../src/storage/response-repository';
import { RunRepository } from '../src/storage/run-repository';
import { TableStore } from '../src/storage/tables';
import { surveySchema, type Survey } from '../src/surveys/definition';
import type { Run } from '../src/surveys/model';
import { fmt, sampleMemory, startAzuriteProcess } from './support';
import { DISTRICTS } from '../src/domain/vocabulary';

/** The run measured: its size, and its id (each size a run of its own in the kept data). */
interface BenchRun {
  responses: number;
  runId: string;
}

/** Read when the bench runs (not on import), so that a bad value stops this bench only. */
function benchRun(): BenchRun {
  const responses = responsesToSeed();
  return { responses, runId: `bench-figures-${responses}` };
}

function responsesToSeed(): number {
  const raw = process.env.BENCH_RESPONSES;
  if (raw === undefined || raw === '') return 72_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
    throw new Error(`BENCH_RESPONSES must be a whole number from 1 to 1,000,000, not "${raw}"`);
  }
  return n;
}
const t = (s: string) => ({ de: s, en: s });

/** Twelve questions: eight likert, a single, a multi, an NPS and a free text. */
const SURVEY: Survey = surveySchema.parse({
  id: 'bench-digest',
  version: 1,
  title: t('Benchmark'),
  intro: t('Benchmark survey'),
  minutes: 2,
  questions: [
    ...Array.from({ length: 8 }, (_, i) => ({
      id: `l${i}`,
      type: 'likert5',
      field: [
        'digitale-kompetenzen',
        'digitales-arbeiten',
        'zusammenarbeit-vernetzung',
        'rollen-organisation',
      ][i % 4],
      text: t(`Aussage ${i}`),
      labels: { low: t('gar nicht'), high: t('voll') },
      allowNoAnswer: true,
    })),
    {
      id: 's',
      type: 'single',
      field: 'digitales-arbeiten',
      text: t('Ort'),
      choices: ['a', 'b', 'c'].map((id) => ({ id, label: t(id) })),
    },
    {
      id: 'm',
      type: 'multi',
      field: 'digitales-arbeiten',
      text: t('Formate'),
      choices: ['a', 'b', 'c', 'd'].map((id) => ({ id, label: t(id) })),
      min: 0,
      max: 3,
    },
    { id: 'n', type: 'nps', field: 'digitale-kompetenzen', text: t('Empfehlung') },
    { id: 'x', type: 'text', field: 'sonstiges', text: t('Anmerkung'), required: false, maxLength: 500 },
  ],
});

function answersFor(i: number): Record<string, unknown> {
  const a: Record<string, unknown> = {};
  for (let q = 0; q < 8; q++) a[`l${q}`] = (i * 7 + q * 3) % 6; // 0 = keine Angabe, 1–5
  a.s = ['a', 'b', 'c'][i % 3];
  a.m = [['a'], ['b', 'c'], ['a', 'd']][i % 3];
  a.n = i % 11;
  if (i % 9 === 0) a.x = 'Mehr Fortbildungen zu digitalen Werkzeugen wären hilfreich.';
  return a;
}

async function seed(store: TableStore, { responses, runId }: BenchRun): Promise<void> {
  const runs = new RunRepository(store);
  const run: Run = {
    runId,
    survey: SURVEY,
    audience: { kind: 'all' },
    startedAt: new Date('2026-11-02T08:00:00Z'),
    closesAt: new Date('2026-11-20T23:00:00Z'),
    closedAt: undefined,
    startedBy: 'bench',
    audienceSize: responses,
    // Closed and sealed: its secret is gone, as for every run whose final figures are read.
    sealedAt: new Date('2026-11-21T00:00:00Z'),
  };
  if (await runs.get(runId)) return;
  const started = performance.now();
  // A random run secret, never stored: the pseudonyms are as unlinkable as after sealing.
  const secret = randomBytes(32);
  const byPartition = new Map<string, TransactionAction[]>();
  for (let i = 0; i < responses; i++) {
    const p = pseudonymOf(secret, `user-${i}`);
    const pk = responsePartition(runId, parseInt(p.slice(0, 4), 16) % RESPONSE_BUCKETS);
    const list = byPartition.get(pk) ?? [];
    list.push([
      'upsert',
      {
        partitionKey: pk,
        rowKey: p,
        district: DISTRICTS[i % DISTRICTS.length],
        answers: JSON.stringify(answersFor(i)),
      },
      'Replace',
    ]);
    byPartition.set(pk, list);
  }
  const client = store.client('responses');
  await Promise.all(
    [...byPartition.values()].map(async (actions) => {
      for (let i = 0; i < actions.length; i += 100) await client.submitTransaction(actions.slice(i, i + 100));
    }),
  );
  // The run row last: it marks the data as complete for the next benchmark run.
  await runs.create(run);
  console.log(
    `  seeded ${responses} responses in ${((performance.now() - started) / 1000).toFixed(1)} s (kept in .data/bench)`,
  );
}

async function bareScan(client: TableClient, runId: string): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: RESPONSE_BUCKETS }, async (_, b) => {
      let n = 0;
      const pages = client
        .listEntities({ queryOptions: { filter: `PartitionKey eq '${responsePartition(runId, b)}'` } })
        .byPage({ maxPageSize: 1000 });
      for await (const page of pages) n += page.length;
      return n;
    }),
  );
  return counts.reduce((x, y) => x + y, 0);
}

export async function benchDigest(): Promise<void> {
  const bench = benchRun();
  const location = path.join(__dirname, '..', '.data', 'bench');
  mkdirSync(location, { recursive: true });
  const azurite = await startAzuriteProcess(location);
  try {
    // Not the 'benchdigest' tables of earlier versions: their run rows have no audience size.
    const store = new TableStore({ connectionString: azurite.connectionString, prefix: 'benchfigures' });
    await store.ensureTables();
    await seed(store, bench);
    const clock = new ManualClock('2026-11-23T07:00:00Z');
    const runs = new RunRepository(store);
    const responses = new ResponseRepository(store);
    const deliveries = new DeliveryRepository(store);
    // A closed run's figures are kept once computed: each timed call gets a fresh service, so that
    // every round reads and aggregates all rows, as the first view after a restart does.
    const service = () =>
      new ResultsService({ runs, responses, deliveries, clock, privacy: { kMin: 5, kText: 10 } });
    const run = (await runs.get(bench.runId))!;
    const client = store.client('responses');

    const memory = sampleMemory(20);
    const baseHeap = process.memoryUsage().heapUsed;
    const bare: number[] = [];
    const figures: number[] = [];
    let rows = 0;
    let last: Awaited<ReturnType<ResultsService['figures']>> | undefined;
    // Alternate, three rounds each, after one warm-up of both.
    await bareScan(client, bench.runId);
    await service().figures(run);
    for (let round = 0; round < 3; round++) {
      let t0 = performance.now();
      rows = await bareScan(client, bench.runId);
      bare.push(performance.now() - t0);
      t0 = performance.now();
      last = await service().figures(run);
      figures.push(performance.now() - t0);
    }
    const { peakRss, peakHeap } = memory.stop();
    const kept = service();
    await kept.figures(run);
    const t0 = performance.now();
    await kept.figures(run);
    const cachedMs = performance.now() - t0;
    const shown = last!;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      `\nFigures of one closed run (${bench.responses} responses × ${SURVEY.questions.length} questions, ${RESPONSE_BUCKETS} shards, Azurite in its own process)`,
    );
    console.log(
      `  bare partition scan:      median ${fmt(median(bare))}  (${rows} rows; runs ${bare.map(fmt).join(', ')})`,
    );
    console.log(
      `  ResultsService.figures:   median ${fmt(median(figures))}  (results ${shown.results}, ${shown.participation.respondents} respondents, ${shown.questions.filter((q) => !q.hidden).length} questions shown; runs ${figures.map(fmt).join(', ')})`,
    );
    console.log(`  ratio figures/bare = ${(median(figures) / median(bare)).toFixed(2)}  (target ≤ 1.3)`);
    console.log(`  the same run asked again (kept final figures): ${fmt(cachedMs)}`);
    console.log(
      `  peak heap ${(peakHeap / 1048576).toFixed(0)} MB (${((peakHeap - baseHeap) / 1048576).toFixed(0)} MB above the start), peak RSS ${(peakRss / 1048576).toFixed(0)} MB`,
    );
  } finally {
    azurite.stop();
  }
}
