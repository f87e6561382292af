// What every handler needs to know about the current turn: who, in which language, with which rights.
import { TurnContext, type ConversationReference } from 'botbuilder';
import type { Locale } from '../src/i18n';
import type { InstallationService } from '../src/installation/installation-service';
import type { UserProfile } from '../src/storage/user-repository';
import type { UserDirectory } from '../src/users/user-directory';
import { resolveLocale } from '../src/users/settings-service';

export type Scope = 'personal' | 'channel' | 'groupChat';

export interface Turn {
  context: TurnContext;
  /** The user's AAD object id when Teams sends one, else the Teams user id. */
  userId: string;
  user: UserProfile | undefined;
  locale: Locale;
  isOfficer: boolean;
  scope: Scope;
}

export interface TurnLoaderOptions {
  users: UserDirectory;
  installation: InstallationService;
  /** Lower-cased AAD object ids. */
  officerAadIds: ReadonlySet<string>;
  defaultLocale: Locale;
}

export function scopeOf(context: TurnContext): Scope {
  const type = context.activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat') return 'groupChat';
  return 'personal';
}

/**
 * The reference Puls keeps for proactive messages. Without the activity id, so that a later message
 * is a new post rather than a reply to whatever the user last wrote (in a channel: a new thread).
 */
export function referenceOf(context: TurnContext): Partial<ConversationReference> {
  const { activityId: _activityId, ...reference } = TurnContext.getConversationReference(context.activity);
  return reference;
}

export function userIdOf(context: TurnContext): string {
  const from = context.activity.from;
  return from?.aadObjectId || from?.id || '';
}

export class TurnLoader {
  constructor(private readonly options: TurnLoaderOptions) {}

  /** Loads the user; in 1:1, a first contact stores the conversation reference. */
  async load(context: TurnContext): Promise<Turn> {
    const userId = userIdOf(context);
    const scope = scopeOf(context);
    let user = userId ? await this.options.users.get(userId) : undefined;
    if (!user && userId && scope === 'personal') {
      await this.options.installation.recordUserContact(
        userId,
        referenceOf(context),
        context.activity.locale,
      );
      user = await this.options.users.get(userId);
    }
    const aad = context.activity.from?.aadObjectId?.toLowerCase();
    return {
      context,
      userId,
      user,
      locale: resolveLocale(user, context.activity.locale, this.options.defaultLocale),
      isOfficer: aad !== undefined && this.options.officerAadIds.has(aad),
      scope,
    };
  }
}
