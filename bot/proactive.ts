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
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }
}
