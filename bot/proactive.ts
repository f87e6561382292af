// Proactive messages through the CloudAdapter: the bot writes into a stored conversation.
import {
  type Activity,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
} from 'botbuilder';
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

  /** Replaces a message the bot sent earlier (a card updated in place). */
  async update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      // As in send: an error thrown here would end in onTurnError and never reach the caller.
      try {
        await context.updateActivity({ ...activity, type: 'message', id: activityId });
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) throw failure;
  }
}

/** The audience of tokens for Bot Framework channels (the public cloud). */
const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

/** Starts a new post (thread) in a team channel, as Teams expects for announcements. */
export class ChannelPoster {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  /** Resolves with the new thread's conversation id (in Teams it ends in ";messageid=<post id>"). */
  async post(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string> {
    const channelId = reference.conversation?.id?.split(';')[0];
    if (!reference.serviceUrl || !channelId)
      throw new Error('The channel reference has no service URL or channel id');
    let created = '';
    await this.adapter.createConversationAsync(
      this.appId,
      reference.channelId ?? 'msteams',
      reference.serviceUrl,
      BOT_FRAMEWORK_AUDIENCE,
      {
        isGroup: true,
        bot: reference.bot as ConversationParameters['bot'],
        tenantId: reference.conversation?.tenantId,
        channelData: { channel: { id: channelId }, tenant: { id: reference.conversation?.tenantId } },
        activity: activity as Activity,
        members: [],
      },
      async (context) => {
        created = context.activity.conversation.id;
      },
    );
    return created;
  }
}
