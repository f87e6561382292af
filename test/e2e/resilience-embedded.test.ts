// The embedded store keeps what it confirmed: the real entry point (bot/main.ts) on its embedded
// Azurite with a data folder is killed with SIGKILL right after answers were thanked with "Danke",
// and after a restart on the same folder every one of them is there. (LokiJS, inside Azurite, used
// to write its file only every 5 s: such answers were lost.)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { azuriteConnectionString } from '../../src/storage/azurite';
import { defaultSurveysDir, loadQuestionBank } from '../../src/surveys/question-bank';
import { cardText, CaptureConnector } from '../support/connector';
import { loggedPort, spawnTs } from '../support/processes';
import { cardAction, installPersonal, makeUser, type TeamsUser } from '../support/teams';
import { waitUntil } from '../support/wait';

const SURVEY_ID = 'digitales-arbeiten';
const THANKS = 'Danke – Ihre Antwort ist gespeichert';

/** A date `days` from now, as the start card's date input sends it (the process runs on real time). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A complete, valid answer to every question of the survey, with one free text of one's own. */
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
            ? `Antwort ${n}, kurz vor dem Absturz`
            : q.choices[0]!.id;
  }
  return data;
}

describe('the embedded store after a crash', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'puls-durable-'));
  const connector = new CaptureConnector();
  let serviceUrl: string;
  // Each start reports its ports (port 0: none picked beforehand that another process could take
  // while the child compiles, or between the kill and the restart).
  let port: number;
  let azuritePort: number;
  const officer = makeUser('Olaf Officer');
  const staff = Array.from({ length: 6 }, (_, i) => makeUser(`Absturz ${i}`));

  const start = () => {
    const run = spawnTs('bot/main.ts', {
      PORT: '0',
      AZURITE_LOCATION: dataDir,
      AZURITE_TABLE_PORT: '0',
      OFFICER_AAD_IDS: officer.aadObjectId,
      DIGEST_ENABLED: 'false',
      // info: the lines that name the ports.
      LOG_LEVEL: 'info',
    });
    return run;
  };
  /** Until the process listens; then `port` and `azuritePort` are the ones it reported. */
  const listening = async (run: ReturnType<typeof spawnTs>, what: string) => {
    await waitUntil(() => loggedPort(run.output(), 'Puls listening') !== undefined, what, 120_000).catch(
      (err: Error) => {
        throw new Error(`${err.message}; its output so far:\n${run.output().slice(-3000)}`);
      },
    );
    port = loggedPort(run.output(), 'Puls listening')!;
    azuritePort = loggedPort(run.output(), 'no storage configured: started the embedded Azurite')!;
    expect(azuritePort).toBeDefined();
    await waitUntil(healthy, `${what}: /healthz`, 20_000);
  };
  const post = async (activity: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as { value?: unknown }) : undefined };
  };
  const invoke = async (user: TeamsUser, verb: string, data: Record<string, unknown>) =>
    (await post(cardAction(user, verb, data, serviceUrl))).body?.value;
  const healthy = async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    serviceUrl = await connector.start();
  });
  afterAll(async () => {
    await connector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the process is killed right after "Danke", then every thanked answer is there after a restart', async () => {
    const first = start();
    let runId: string;
    try {
      await listening(first, 'the bot to start');
      for (const user of [officer, ...staff]) {
        await post(installPersonal(user, serviceUrl));
        await invoke(user, 'settings.save', { language: 'de', district: 'altona', reminders: 'true' });
      }
      const started = cardText(
        await invoke(officer, 'run.start', {
          surveyId: SURVEY_ID,
          closesAt: inDays(30),
          districts: 'altona',
        }),
      );
      runId = /digitales-arbeiten-\d{4}-[a-z0-9]{4}/.exec(started)![0];
      // Everyone answers at once; the process is killed the moment the last "Danke" is in.
      const cards = await Promise.all(
        staff.map((user, i) => invoke(user, `survey.answer:${runId}`, answerFor(i))),
      );
      first.child.kill('SIGKILL');
      for (const card of cards) expect(cardText(card)).toContain(THANKS);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }

    const second = start();
    try {
      await listening(second, 'the bot to start again');
      const responses = TableClient.fromConnectionString(
        azuriteConnectionString('127.0.0.1', azuritePort),
        'pulsresponses',
        { allowInsecureConnection: true },
      );
      const texts: string[] = [];
      for await (const row of responses.listEntities<{ answers: string }>()) {
        if (String(row.partitionKey).startsWith(runId)) texts.push(row.answers);
      }
      expect(texts).toHaveLength(staff.length);
      for (let i = 0; i < staff.length; i++) {
        expect(texts.filter((t) => t.includes(`Antwort ${i}, kurz vor dem Absturz`))).toHaveLength(1);
      }
    } finally {
      second.child.kill('SIGKILL');
      await second.exited;
    }
  }, 360_000);
});
