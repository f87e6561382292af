// The bot's proactive messenger against a stand-in Bot Connector: a refused send or card update
// reaches the caller (which retries or reports it) instead of vanishing into onTurnError (#15.2).
import type { ConversationReference } from 'botbuilder';
import { createAdapter } from '../../bot/auth';
import { AdapterMessenger } from '../../bot/proactive';
import { CaptureConnector } from '../support/connector';

describe('AdapterMessenger', () => {
  let refuse: number | undefined;
  const connector = new CaptureConnector({ respond: () => refuse });
  const adapter = createAdapter({}, { proactiveRetries: true });
  const turnErrors: unknown[] = [];
  adapter.onTurnError = (_context, error) => {
    turnErrors.push(error);
    return Promise.resolve();
  };
  const messenger = new AdapterMessenger(adapter, '');
  let reference: Partial<ConversationReference>;

  beforeAll(async () => {
    const serviceUrl = await connector.start();
    reference = {
      serviceUrl,
      channelId: 'msteams',
      conversation: { id: 'a:officer-chat' } as ConversationReference['conversation'],
    };
  });
  afterAll(() => connector.stop());
  beforeEach(() => {
    refuse = undefined;
    turnErrors.length = 0;
    connector.clear();
  });

  it('when Teams accepts a card update, then update resolves and the message is replaced', async () => {
    await messenger.update(reference, 'msg-progress', { text: '12 von 40 gesendet' });
    expect(connector.calls).toMatchObject([
      { kind: 'update', conversationId: 'a:officer-chat', activityId: 'msg-progress' },
    ]);
    expect(connector.calls[0]!.activity.text).toBe('12 von 40 gesendet');
  });

  it.each([403, 404])(
    'when Teams refuses a card update with %i, then update rejects with that status and onTurnError stays silent',
    async (status) => {
      refuse = status;
      await expect(messenger.update(reference, 'msg-progress', { text: 'x' })).rejects.toMatchObject({
        statusCode: status,
      });
      expect(turnErrors).toEqual([]);
    },
  );

  it('when Teams refuses a send, then send rejects with that status (as before)', async () => {
    refuse = 403;
    await expect(messenger.send(reference, { text: 'x' })).rejects.toMatchObject({ statusCode: 403 });
    expect(turnErrors).toEqual([]);
  });
});
