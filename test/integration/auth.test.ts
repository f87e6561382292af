// The caching Bot Framework authentication: one HTTP client per service URL instead of one per turn,
// proactive sends without the SDK's own retries (the delivery engine must see every 429), replies
// inside a turn with them.
import type { CloudAdapter, TurnContext } from 'botbuilder';
import { createAdapter } from '../../bot/auth';
import { AdapterMessenger } from '../../bot/proactive';
import { CaptureConnector } from '../support/connector';

function adapterWith(proactiveRetries = true): CloudAdapter {
  return createAdapter({}, { proactiveRetries });
}

function referenceTo(serviceUrl: string, conversationId: string) {
  return {
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: conversationId, conversationType: 'personal', isGroup: false, name: '' },
    bot: { id: '28:bot', name: 'Puls' },
    user: { id: '29:user', name: 'User' },
  };
}

describe('CachingBotFrameworkAuthentication', () => {
  let attempts: { conversationId: string; status: number }[];
  let statusFor: (conversationId: string, attempt: number) => number | undefined;
  const connector = new CaptureConnector({
    respond: (call) => {
      const attempt = attempts.filter((a) => a.conversationId === call.conversationId).length + 1;
      const status = statusFor(call.conversationId, attempt) ?? 200;
      attempts.push({ conversationId: call.conversationId, status });
      // Teams announces how long to wait; the SDK's throttling policy would honour it and retry.
      return status === 429 ? { status, headers: { 'retry-after': '0' } } : status;
    },
  });

  beforeAll(() => connector.start());
  afterAll(() => connector.stop());
  beforeEach(() => {
    attempts = [];
    statusFor = () => undefined;
    connector.clear();
  });

  it('reuses one connector client for every proactive message to the same service', async () => {
    const adapter = adapterWith();
    const clients = new Set<unknown>();
    for (const id of ['a:1', 'a:2', 'a:3']) {
      await adapter.continueConversationAsync('', referenceTo(connector.url, id), async (context) => {
        clients.add(context.turnState.get(adapter.ConnectorClientKey));
        await context.sendActivity('hallo');
      });
    }
    expect(clients.size).toBe(1);
    expect(connector.calls.map((c) => c.conversationId)).toEqual(['a:1', 'a:2', 'a:3']);
  });

  it("hands the delivery engine's 429 to it at once, without the SDK retrying it", async () => {
    statusFor = () => 429;
    const messenger = new AdapterMessenger(adapterWith(false), '');
    const failure = await messenger
      .send(referenceTo(connector.url, 'a:throttled'), { type: 'message', text: 'x' })
      .catch((err: unknown) => err);
    expect((failure as { statusCode?: number }).statusCode).toBe(429);
    expect(attempts).toEqual([{ conversationId: 'a:throttled', status: 429 }]);
  });

  it('still retries other proactive sends (a notification) that met a passing 429', async () => {
    statusFor = (_id, attempt) => (attempt === 1 ? 429 : undefined);
    const messenger = new AdapterMessenger(adapterWith(true), '');
    const id = await messenger.send(referenceTo(connector.url, 'a:notify'), { type: 'message', text: 'x' });
    expect(id).toMatch(/^msg-/);
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
  });

  it('still retries a reply inside a turn that met a passing 503', async () => {
    statusFor = (_id, attempt) => (attempt === 1 ? 503 : undefined);
    const adapter = adapterWith();
    let replied: string | undefined;
    const logic = async (context: TurnContext) => {
      replied = (await context.sendActivity('Antwort'))?.id;
    };
    const res = await processIncoming(adapter, connector.url, logic);
    expect(res).toBe(200);
    expect(attempts.map((a) => a.status)).toEqual([503, 200]);
    expect(replied).toMatch(/^msg-/);
  });
});

/** Feeds one incoming message through adapter.process as restify would, and returns the status. */
async function processIncoming(
  adapter: CloudAdapter,
  serviceUrl: string,
  logic: (context: TurnContext) => Promise<void>,
): Promise<number> {
  let status = 0;
  const req = {
    body: {
      type: 'message',
      id: 'm1',
      text: 'hilfe',
      channelId: 'msteams',
      serviceUrl,
      from: { id: '29:user', name: 'User' },
      recipient: { id: '28:bot', name: 'Puls' },
      conversation: { id: 'a:turn', conversationType: 'personal' },
    },
    headers: {},
    method: 'POST',
  };
  const res = {
    status(code: number) {
      status = code;
      return res;
    },
    header() {
      return res;
    },
    send() {
      return res;
    },
    end() {
      return res;
    },
  };
  await adapter.process(req as never, res as never, logic);
  return status;
}
