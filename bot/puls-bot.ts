// The Teams edge: turns activities into calls on the routers and services. Thin by design.
import {
  ActivityTypes,
  CardFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type ChannelAccount,
  type InvokeResponse,
} from 'botbuilder';
import { navigationButtons, renderNotice, renderWelcome, type AdaptiveCard } from '../cards';
import { localeFrom, messages, type Locale } from '../src/i18n';
import type { InstallationService } from '../src/installation/installation-service';
import type { Logger } from '../src/logger';
import { helpCard, officerOnlyCard, sendCard } from './commands';
import type { ActionRouter, CommandRouter } from './router';
import { referenceOf, scopeOf, userIdOf, type Turn, type TurnLoader } from './turn';

export interface PulsBotOptions {
  turns: TurnLoader;
  commands: CommandRouter;
  actions: ActionRouter;
  installation: InstallationService;
  logger: Logger;
  defaultLocale: Locale;
  /** Lower-cased Entra tenant ids served (ALLOWED_TENANT_IDS); undefined = every tenant (local). */
  allowedTenantIds: ReadonlySet<string> | undefined;
}

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export class PulsBot extends TeamsActivityHandler {
  constructor(private readonly options: PulsBotOptions) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.handleAdded(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.handleRemoved(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      if (includesBot(context, context.activity.membersAdded)) await this.handleAdded(context);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      if (includesBot(context, context.activity.membersRemoved)) await this.handleRemoved(context);
      await next();
    });
  }

  /** Every activity passes the tenant check first: another tenant's gets a short refusal and writes nothing. */
  override async run(context: TurnContext): Promise<void> {
    if (this.servesTenantOf(context)) {
      await super.run(context);
      return;
    }
    const tenantId = tenantOf(context);
    this.options.logger.warn(
      { tenantId, activityType: context.activity.type },
      'activity from a tenant Puls does not serve',
    );
    const locale = localeFrom(context.activity.locale, this.options.defaultLocale);
    const n = messages(locale).notices;
    const card = renderNotice({ title: n.foreignTenantTitle, text: n.foreignTenant, tone: 'warning' });
    if (context.activity.type === ActivityTypes.Invoke) {
      const body: AdaptiveCardInvokeResponse = { statusCode: 200, type: CARD_CONTENT_TYPE, value: card };
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
    } else if (context.activity.type === ActivityTypes.Message) {
      await sendCard(context, card);
    }
  }

  private servesTenantOf(context: TurnContext): boolean {
    const allowed = this.options.allowedTenantIds;
    if (!allowed) return true;
    const tenantId = tenantOf(context);
    return tenantId !== undefined && allowed.has(tenantId.toLowerCase());
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    const value = asRecord(context.activity.value);
    const action = asRecord(value?.action);
    const verb = typeof action?.verb === 'string' ? action.verb : '';
    const card = await this.runAction(context, verb, asRecord(action?.data) ?? {});
    const body: AdaptiveCardInvokeResponse = { statusCode: 200, type: CARD_CONTENT_TYPE, value: card };
    return { status: 200, body };
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const submitted = asRecord(context.activity.value);
    if (submitted && typeof submitted.verb === 'string') {
      // Action.Submit fallback of a card action: same handler, the card is replaced in place.
      const card = await this.runAction(context, submitted.verb, submitted);
      await replaceCard(context, card);
      return;
    }
    const turn = await this.options.turns.load(context);
    // Navigation buttons (Action.Submit with a command) act as if the user had typed the command.
    const text = typeof submitted?.command === 'string' ? submitted.command : (context.activity.text ?? '');
    const match = this.options.commands.match(text);
    if (!match) {
      await sendCard(context, helpCard(turn, this.options.commands, true));
      return;
    }
    if (match.spec.officerOnly && !turn.isOfficer) {
      await sendCard(context, officerOnlyCard(turn));
      return;
    }
    await match.spec.handle(turn, match.args);
  }

  /** Runs a card action; bad, stale or failing actions get a clear card, never an exception. */
  private async runAction(
    context: TurnContext,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<AdaptiveCard> {
    let turn: Turn | undefined;
    try {
      turn = await this.options.turns.load(context);
      const match = this.options.actions.match(verb);
      if (!match) return actionUnavailableCard(turn.locale);
      if (match.spec.officerOnly && !turn.isOfficer) return officerOnlyCard(turn);
      const { verb: _verb, msteams: _msteams, ...inputs } = data;
      return await match.spec.handle(turn, inputs, match.argument);
    } catch (err) {
      this.options.logger.error(
        { err, activityId: context.activity.id, conversationId: context.activity.conversation?.id, verb },
        'card action failed',
      );
      return errorCard(turn?.locale ?? this.options.defaultLocale);
    }
  }

  private async handleAdded(context: TurnContext): Promise<void> {
    const reference = referenceOf(context);
    if (scopeOf(context) === 'personal') {
      const userId = userIdOf(context);
      if (!userId) return;
      const firstContact = await this.options.installation.recordUserContact(
        userId,
        reference,
        context.activity.locale,
      );
      if (firstContact) {
        const turn = await this.options.turns.load(context);
        await sendCard(context, renderWelcome(turn.locale));
      }
      return;
    }
    const team = teamOf(context);
    if (!team) return;
    const { isNew, isOfficersTeam } = await this.options.installation.addTeam({ ...team, reference });
    if (isNew) {
      const m = messages(localeFrom(context.activity.locale, this.options.defaultLocale)).teamWelcome;
      await sendCard(
        context,
        renderNotice({ title: m.title, text: isOfficersTeam ? m.officers : m.notOfficers, tone: 'accent' }),
      );
    }
  }

  private async handleRemoved(context: TurnContext): Promise<void> {
    if (scopeOf(context) === 'personal') {
      const userId = userIdOf(context);
      if (userId) await this.options.installation.removeUser(userId);
      return;
    }
    const team = teamOf(context);
    if (team) await this.options.installation.removeTeam(team.teamId);
  }
}

/** The Entra tenant of an activity: the conversation's, else Teams' channelData.tenant. */
function tenantOf(context: TurnContext): string | undefined {
  const fromConversation = context.activity.conversation?.tenantId;
  if (typeof fromConversation === 'string' && fromConversation !== '') return fromConversation;
  const tenant = asRecord(asRecord(context.activity.channelData)?.tenant);
  return typeof tenant?.id === 'string' && tenant.id !== '' ? tenant.id : undefined;
}

function includesBot(context: TurnContext, members: ChannelAccount[] | undefined): boolean {
  const botId = context.activity.recipient?.id;
  return (members ?? []).some((m) => m.id === botId);
}

function teamOf(
  context: TurnContext,
): { teamId: string; aadGroupId: string | undefined; teamName: string | undefined } | undefined {
  const team = asRecord(asRecord(context.activity.channelData)?.team);
  if (typeof team?.id !== 'string') return undefined;
  return {
    teamId: team.id,
    aadGroupId: typeof team.aadGroupId === 'string' ? team.aadGroupId : undefined,
    teamName: typeof team.name === 'string' ? team.name : undefined,
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Replaces the card the user acted on (Action.Submit), or sends a new one if that fails. */
async function replaceCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  const replyToId = context.activity.replyToId;
  const activity = { type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] };
  if (replyToId) {
    try {
      await context.updateActivity({ ...activity, id: replyToId });
      return;
    } catch {
      // The original message may be gone; fall through and send the card as a new message.
    }
  }
  await context.sendActivity(activity);
}

export function actionUnavailableCard(locale: Locale): AdaptiveCard {
  const m = messages(locale).notices;
  return renderNotice({
    title: m.actionUnavailableTitle,
    text: m.actionUnavailable,
    tone: 'warning',
    buttons: navigationButtons(locale, ['help']),
  });
}

export function errorCard(locale: Locale): AdaptiveCard {
  const m = messages(locale).notices;
  return renderNotice({ title: m.errorTitle, text: m.error, tone: 'attention' });
}
