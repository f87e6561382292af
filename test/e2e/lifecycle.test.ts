// Start-up and shutdown as an operator sees them: the real entry point in a child process, and a
// graceful stop that lets the turns in flight finish.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { cardOf, cardText } from '../support/connector';
import { startHarness } from '../support/harness';
import { loggedPort, spawnTs } from '../support/processes';
import { makeUser, message, personalConversationId } from '../support/teams';
import { waitUntil } from '../support/wait';

// The real entry point compiles and starts in a child process: on a busy two-core machine that
// alone has taken over 30 s, so these tests wait longer than the default.
jest.setTimeout(120_000);

function startEntryPoint(env: Record<string, string>) {
  return spawnTs('bot/main.ts', env);
}

/** Waits until the child listens and returns the port it reported; a timeout shows its output. */
async function listeningPort(run: ReturnType<typeof spawnTs>): Promise<number> {
  await waitUntil(
    () => loggedPort(run.output(), 'Puls listening') !== undefined,
    'the bot to listen',
    90_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; its output so far:\n${run.output().slice(-3000)}`);
  });
  return loggedPort(run.output(), 'Puls listening')!;
}

describe('the entry point (npm start)', () => {
  it('when started with no configuration, then it runs on its own Azurite, serves /healthz and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'puls-data-'));
    // Port 0 for both: each reports the port it got (no port picked beforehand that another process
    // could take while the child compiles).
    const run = startEntryPoint({
      PORT: '0',
      AZURITE_LOCATION: dataDir,
      AZURITE_TABLE_PORT: '0',
    });
    try {
      const port = await listeningPort(run);
      const azuritePort = loggedPort(run.output(), 'no storage configured: started the embedded Azurite');
      expect(azuritePort).toBeDefined();
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', storage: 'ok' });
      expect(run.output()).toContain('started the embedded Azurite');
      // One line states the effective mode, as JSON when no terminal is attached.
      const mode = run
        .output()
        .split('\n')
        .filter((l) => l.includes('"msg":"Puls mode:'));
      expect(mode).toHaveLength(1);
      expect(JSON.parse(mode[0]!)).toMatchObject({
        level: 30,
        mode: {
          storage: `embedded Azurite in ${dataDir}`,
          auth: 'none: no MicrosoftAppId, unauthenticated local mode',
          sendRatePerSecond: 45,
        },
      });

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('"msg":"stopped"');
      // Azurite was closed with the bot: its port is free again.
      await new Promise<void>((resolve, reject) => {
        const srv = net.createServer().once('error', reject);
        srv.listen(azuritePort, '127.0.0.1', () => srv.close(() => resolve()));
      });
    } finally {
      run.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  const production = {
    MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
    MicrosoftAppPassword: 'not-a-real-secret-value',
    MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555',
    PUBLIC_BASE_URL: 'https://puls.example.org',
    PSEUDONYM_KEY: 'k'.repeat(44),
    OFFICERS_TEAM_ID: '19:officers@thread.tacv2',
  };

  it('when MicrosoftAppId is set but no storage, then start-up refuses with one line naming the variable', async () => {
    const run = startEntryPoint({ ...production, PORT: '0' });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toMatch(
      /^Invalid configuration: AZURE_STORAGE_TABLE_URL is required [^\n]*$/,
    );
  });

  it('when MicrosoftAppId is set without PUBLIC_BASE_URL, then start-up refuses with one line naming it', async () => {
    const run = startEntryPoint({
      ...production,
      PUBLIC_BASE_URL: '',
      AZURE_STORAGE_TABLE_URL: 'https://pulsdata.table.core.windows.net',
    });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toMatch(/^Invalid configuration: PUBLIC_BASE_URL is required [^\n]*$/);
  });

  it('when a trial opts into the embedded storage with a MicrosoftAppId, then it runs and says loudly that it is a trial', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'puls-trial-'));
    const run = startEntryPoint({
      ...production,
      PULS_EMBEDDED_STORAGE: 'true',
      HOST: '127.0.0.1',
      PORT: '0',
      AZURITE_LOCATION: dataDir,
      AZURITE_TABLE_PORT: '0',
      DIGEST_ENABLED: 'false',
    });
    try {
      const port = await listeningPort(run);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const warning = run
        .output()
        .split('\n')
        .find((l) => l.includes('PULS_EMBEDDED_STORAGE=true: Teams traffic'));
      expect(JSON.parse(warning!)).toMatchObject({ level: 40 });
      expect(warning).toContain('A TRIAL ONLY');
      expect(run.output()).not.toContain('not-a-real-secret-value');
    } finally {
      run.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('when a variable is invalid, then start-up stops with one line naming it', async () => {
    const run = startEntryPoint({ PORT: 'not-a-port' });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toMatch(/^Invalid configuration: PORT [^\n]*$/);
  });
});

describe('graceful stop', () => {
  it('when the bot is stopped during a turn, then the turn finishes and new requests are refused', async () => {
    let reached = false;
    const h = await startHarness({
      connector: {
        delayMs: () => {
          reached = true;
          return 400;
        },
      },
    });
    const user = makeUser('Langsam');
    const inFlight = h.send(message(user, 'hilfe', h.serviceUrl));
    // Stop only once the turn is inside the slow connector (a fixed sleep lost that race on a busy machine).
    await waitUntil(() => reached, 'the turn to reach the connector', 20_000);
    const stopped = h.app.stop();
    const late = await fetch(`${h.botUrl}/healthz`)
      .then((r) => r.status)
      .catch(() => 'refused');
    expect([503, 'refused']).toContain(late);
    expect((await inFlight).status).toBe(200);
    await stopped;
    expect(cardText(cardOf(h.connector.messagesIn(personalConversationId(user))[0]))).toContain(
      'Was Puls kann',
    );
    await h.connector.stop();
  });
});
