// Proactive messages through the CloudAdapter: the bot writes into a stored conversation.
import { type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ProactiveMessenger } from '../src/delivery/delivery';

export class AdapterMessenger implements ProactiveMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async send(
    reference: Partial<ConversationReference>,
    activity: Partial<Activity>,
  ): Promise<string | undefined> {
    let id: string | undefined;
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      // The adapter hands errors thrown here to onTurnError and swallows them; the caller must
      // see a refused send (403 blocked, 429 throttled) to record or retry it.
      try {
        id = (await context.sendActivity(activity))?.id;
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) throw failure;
    return id;
  }
}
