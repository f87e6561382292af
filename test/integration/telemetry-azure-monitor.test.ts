// The Azure Monitor path as it leaves the process: the real entry point (bot/main.ts) with
// APPLICATIONINSIGHTS_CONNECTION_STRING pointing at a local https ingestion endpoint; people
// install Puls and answer a survey, the process is stopped with SIGTERM and the distro posts its
// envelopes here on shutdown. They hold Puls' turn requests and metrics, nothing of the automatic
// HTTP or Azure SDK instrumentations, and no id, name or answer of anyone.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { defaultSurveysDir, loadQuestionBank } from '../../src/surveys/question-bank';
import { cardText, CaptureConnector } from '../support/connector';
import { createTestCertificate } from '../support/entra';
import { freePort, spawnTs } from '../support/processes';
import {
  cardAction,
  installPersonal,
  makeUser,
  personalConversationId,
  type TeamsUser,
} from '../support/teams';
import { waitUntil } from '../support/wait';

interface Envelope {
  name: string;
  tags?: Record<string, string>;
  data?: { baseType?: string; baseData?: Record<string, unknown> };
}

const SURVEY_ID = 'digitales-arbeiten';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const secretOf = (n: number) => `Ganz persönliche Antwort Nummer ${n} von Frau Muster`;

function answerFor(n: number): Record<string, string> {
  const survey = loadQuestionBank(defaultSurveysDir()).get(SURVEY_ID)!;
  const data: Record<string, string> = {};
  for (const q of survey.questions) {
    data[`q_${q.id}`] =
      q.type === 'likert5'
        ? '4'
        : q.type === 'nps'
          ? '8'
          : q.type === 'text'
            ? secretOf(n)
            : q.choices[0]!.id;
  }
  return data;
}

describe('telemetry through Azure Monitor', () => {
  const received: Envelope[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'puls-ingestion-'));
  const cert = createTestCertificate(dir);
  // The exporter speaks https only: a local ingestion endpoint with a self-signed certificate,
  // which the child process trusts through NODE_EXTRA_CA_CERTS.
  const ingestion = https.createServer(
    { cert: cert.certPem, key: readFileSync(cert.keyPath, 'utf8') },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const text = body.toString('utf8').trim();
        // The exporter posts a JSON array, or newline-delimited JSON.
        const parsed = text.startsWith('[')
          ? (JSON.parse(text) as Envelope[])
          : text.split('\n').map((line) => JSON.parse(line) as Envelope);
        received.push(...parsed);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: parsed.length, itemsAccepted: parsed.length, errors: [] }));
      });
    },
  );
  const connector = new CaptureConnector();
  const officer = makeUser('Otto Officer');
  const staff = Array.from({ length: 5 }, (_, i) => makeUser(`Beschäftigte Nummer ${i}`));
  let runId = '';

  beforeAll(async () => {
    const serviceUrl = await connector.start();
    await new Promise<void>((resolve) => ingestion.listen(0, '127.0.0.1', resolve));
    const ingestionPort = (ingestion.address() as AddressInfo).port;
    const [port, azuritePort] = [await freePort(), await freePort()];
    const bot = spawnTs('bot/main.ts', {
      PORT: String(port),
      AZURITE_LOCATION: path.join(dir, 'data'),
      AZURITE_TABLE_PORT: String(azuritePort),
      OFFICER_AAD_IDS: officer.aadObjectId,
      DIGEST_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=https://127.0.0.1:${ingestionPort}/`,
      NODE_EXTRA_CA_CERTS: cert.certPath,
      // No usage report of the SDK itself to Microsoft from a test machine.
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
    });
    try {
      const post = async (activity: unknown) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(activity),
        });
        const text = await res.text();
        return text ? (JSON.parse(text) as { value?: unknown }).value : undefined;
      };
      const invoke = (user: TeamsUser, verb: string, data: Record<string, unknown>) =>
        post(cardAction(user, verb, data, serviceUrl));
      const healthy = async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
        } catch {
          return false;
        }
      };
      await waitUntil(healthy, 'the bot to start', 120_000);
      for (const user of [officer, ...staff]) {
        await post(installPersonal(user, serviceUrl));
        const district = user === officer ? 'hamburg-nord' : 'altona';
        await invoke(user, 'settings.save', { language: 'de', district, reminders: 'true' });
      }
      const started = cardText(
        await invoke(officer, 'run.start', {
          surveyId: SURVEY_ID,
          closesAt: inDays(30),
          districts: 'altona',
        }),
      );
      runId = /digitales-arbeiten-\d{4}-[a-z0-9]{4}/.exec(started)![0];
      for (const [i, user] of staff.entries()) {
        expect(cardText(await invoke(user, `survey.answer:${runId}`, answerFor(i)))).toContain('Danke');
      }
      bot.child.kill('SIGTERM'); // shutdown flushes the telemetry
      expect(await bot.exited).toBe(0);
    } finally {
      bot.child.kill('SIGKILL');
      await bot.exited;
    }
  }, 300_000);
  afterAll(async () => {
    await connector.stop();
    ingestion.closeAllConnections();
    await new Promise((resolve) => ingestion.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('when Puls has run, then Azure Monitor got its turn requests and metrics, and nothing of the automatic instrumentations', () => {
    const requests = received.filter((e) => e.data?.baseType === 'RequestData');
    expect(requests.map((e) => e.data?.baseData?.name)).toContain('puls.turn');
    // Traces are sampled (the distro keeps about 5 per second); metrics count every answer.
    const actions = requests.map(
      (e) => (e.data?.baseData?.properties as Record<string, string> | undefined)?.['puls.action'],
    );
    // Which turns survive sampling varies from run to run; every one that does names a known action.
    for (const a of actions)
      if (a !== undefined) expect(['settings.save', 'run.start', 'survey.answer']).toContain(a);
    for (const e of requests) expect(e.tags?.['ai.cloud.role']).toBe('puls');
    // Only Puls' own spans: no HTTP call to Teams or to storage recorded by its URL.
    for (const e of received.filter(
      (x) => x.data?.baseType === 'RemoteDependencyData' || x.data?.baseType === 'RequestData',
    )) {
      expect(String(e.data?.baseData?.name)).toMatch(/^puls\./);
    }
    const metrics = received
      .filter((e) => e.data?.baseType === 'MetricData')
      .flatMap((e) =>
        (
          (e.data?.baseData?.metrics as { name: string; value: number; count?: number }[] | undefined) ?? []
        ).map((m) => ({ ...m, properties: (e.data?.baseData?.properties ?? {}) as Record<string, string> })),
      );
    const sum = (name: string, where: Record<string, string> = {}) =>
      metrics
        .filter((m) => m.name === name && Object.entries(where).every(([k, v]) => m.properties[k] === v))
        .reduce((n, m) => n + (m.count !== undefined && name.endsWith('duration') ? m.count : m.value), 0);
    expect(sum('puls.answers')).toBe(staff.length);
    expect(sum('puls.delivery.sends', { 'puls.outcome': 'sent' })).toBe(staff.length);
    expect(sum('puls.invoke.duration', { 'puls.action': 'survey.answer' })).toBe(staff.length);
    // No metric of the automatic instrumentations (their attributes name addresses and ports).
    expect(metrics.filter((m) => m.name.startsWith('http.'))).toEqual([]);
  });

  it('when every envelope is searched, then no id, name, conversation, answer or run id is in it', () => {
    const everything = JSON.stringify(received);
    for (const user of [officer, ...staff]) {
      for (const value of [user.id, user.aadObjectId, user.name, personalConversationId(user)]) {
        expect(everything).not.toContain(value);
      }
    }
    for (let i = 0; i < staff.length; i++) expect(everything).not.toContain(secretOf(i));
    expect(everything).not.toContain('Muster');
    expect(everything).not.toContain(runId);
  });
});
