// Start-up and shutdown as an operator sees them: the real entry point in a child process, and a
// graceful stop that lets the turns in flight finish.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { cardOf, cardText } from '../support/connector';
import { startHarness } from '../support/harness';
import { freePort, spawnTs } from '../support/processes';
import { makeUser, message, personalConversationId } from '../support/teams';

function startEntryPoint(env: Record<string, string>) {
  return spawnTs('bot/main.ts', env);
}

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the entry point (npm start)', () => {
  it('when started with no configuration, then it runs on its own Azurite, serves /healthz and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'puls-data-'));
    const [port, azuritePort] = [await freePort(), await freePort()];
    const run = startEntryPoint({
      PORT: String(port),
      AZURITE_LOCATION: dataDir,
      AZURITE_TABLE_PORT: String(azuritePort),
    });
    try {
      await waitUntil(() => run.output().includes('Puls listening'), 'the bot to listen');
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', storage: 'ok' });
      expect(run.output()).toContain('started the embedded Azurite');

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

  it('when a variable is invalid, then start-up stops with one line naming it', async () => {
    const run = startEntryPoint({ PORT: 'not-a-port' });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toMatch(/^Invalid configuration: PORT [^\n]*$/);
  });
});

describe('graceful stop', () => {
  it('when the bot is stopped during a turn, then the turn finishes and new requests are refused', async () => {
    const h = await startHarness({ connector: { delayMs: () => 400 } });
    const user = makeUser('Langsam');
    const inFlight = h.send(message(user, 'hilfe', h.serviceUrl));
    await new Promise((r) => setTimeout(r, 100)); // let the turn reach the slow connector
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
