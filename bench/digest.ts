// Digest aggregation at city scale: a run with 72,000 responses of 12 questions in Azurite (seeded
// once into .data/bench and reused), aggregated by streaming the 16 shards in parallel, against a
// bare scan of the same rows. The ratio is the figure that counts (target ≤ 1.3×), and peak memory.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { TableClient, type TransactionAction } from '@azure/data-tables';
import { ManualClock } from '../src/clock';
import { createLogger } from '../src/logger';
import { DigestService } from '../src/digest/digest-service';
import { Pseudonymizer } from '../src/privacy/pseudonym';
import { DeliveryRepository } from '../src/storage/delivery-repository';
import { DigestRepository } from '../src/storage/digest-repository';
import { IdeaRepository } from '../src/storage/idea-repository';
import { RESPONSE_BUCKETS, ResponseRepository, responsePartition } from '../src/storage/response-repository';
import { RunRepository } from '../src/storage/run-repository';
import { TableStore } from '../src/storage/tables';
import { surveySchema, type Survey } from '../src/surveys/definition';
import type { Run } from '../src/surveys/model';
import { fmt, sampleMemory, startAzuriteProcess } from './support';
import { DISTRICTS } from '../src/domain/vocabulary';

const RESPONSES = 72_000;
const RUN_ID = 'bench-digest-run';
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

async function seed(store: TableStore): Promise<void> {
  const runs = new RunRepository(store);
  const run: Run = {
    runId: RUN_ID,
    survey: SURVEY,
    audience: { kind: 'all' },
    startedAt: new Date('2026-11-02T08:00:00Z'),
    closesAt: new Date('2026-11-20T23:00:00Z'),
    closedAt: undefined,
    startedBy: 'bench',
  };
  if (await runs.get(RUN_ID)) return;
  const started = performance.now();
  const pseudonyms = new Pseudonymizer('bench-seed-key-0123456789abcdef0123456789');
  const byPartition = new Map<string, TransactionAction[]>();
  for (let i = 0; i < RESPONSES; i++) {
    const p = pseudonyms.forRun(RUN_ID, `user-${i}`);
    const pk = responsePartition(RUN_ID, parseInt(p.slice(0, 4), 16) % RESPONSE_BUCKETS);
    const list = byPartition.get(pk) ?? [];
    list.push([
      'upsert',
      {
        partitionKey: pk,
        rowKey: p,
        district: DISTRICTS[i % DISTRICTS.length],
        day: '2026-11-10',
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
    `  seeded ${RESPONSES} responses in ${((performance.now() - started) / 1000).toFixed(1)} s (kept in .data/bench)`,
  );
}

async function bareScan(client: TableClient): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: RESPONSE_BUCKETS }, async (_, b) => {
      let n = 0;
      const pages = client
        .listEntities({ queryOptions: { filter: `PartitionKey eq '${responsePartition(RUN_ID, b)}'` } })
        .byPage({ maxPageSize: 1000 });
      for await (const page of pages) n += page.length;
      return n;
    }),
  );
  return counts.reduce((x, y) => x + y, 0);
}

export async function benchDigest(): Promise<void> {
  const location = path.join(__dirname, '..', '.data', 'bench');
  mkdirSync(location, { recursive: true });
  const azurite = await startAzuriteProcess(location);
  try {
    const store = new TableStore({ connectionString: azurite.connectionString, prefix: 'benchdigest' });
    await store.ensureTables();
    await seed(store);
    const clock = new ManualClock('2026-11-23T07:00:00Z');
    const service = new DigestService({
      runs: new RunRepository(store),
      responses: new ResponseRepository(store),
      deliveries: new DeliveryRepository(store),
      ideas: new IdeaRepository(store),
      digests: new DigestRepository(store),
      clock,
      logger: createLogger({ level: 'silent' }),
      privacy: { kMin: 5, kText: 10 },
    });
    const run = (await new RunRepository(store).get(RUN_ID))!;
    const client = store.client('responses');

    const memory = sampleMemory(20);
    const baseHeap = process.memoryUsage().heapUsed;
    const bare: number[] = [];
    const digest: number[] = [];
    let rows = 0;
    let respondents = 0;
    // Alternate, three rounds each, after one warm-up of both.
    await bareScan(client);
    await service.runFigures(run, false);
    for (let round = 0; round < 3; round++) {
      let t0 = performance.now();
      rows = await bareScan(client);
      bare.push(performance.now() - t0);
      t0 = performance.now();
      respondents = (await service.runFigures(run, false)).respondents;
      digest.push(performance.now() - t0);
    }
    const { peakRss, peakHeap } = memory.stop();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      `\nDigest of one run (${RESPONSES} responses × ${SURVEY.questions.length} questions, ${RESPONSE_BUCKETS} shards, Azurite in its own process)`,
    );
    console.log(
      `  bare partition scan:  median ${fmt(median(bare))}  (${rows} rows; runs ${bare.map(fmt).join(', ')})`,
    );
    console.log(
      `  digest aggregation:   median ${fmt(median(digest))}  (${respondents} respondents; runs ${digest.map(fmt).join(', ')})`,
    );
    console.log(`  ratio digest/bare = ${(median(digest) / median(bare)).toFixed(2)}  (target ≤ 1.3)`);
    console.log(
      `  peak heap ${(peakHeap / 1048576).toFixed(0)} MB (${((peakHeap - baseHeap) / 1048576).toFixed(0)} MB above the start), peak RSS ${(peakRss / 1048576).toFixed(0)} MB`,
    );
  } finally {
    azurite.stop();
  }
}
