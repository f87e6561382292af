// Builds activities the way Teams sends them to a bot.
import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';

export const TENANT_ID = '11111111-2222-3333-4444-555555555555';
export const BOT = { id: '28:puls-bot', name: 'Puls' };

export interface TeamsUser {
  /** The Teams user id ("29:…"). */
  id: string;
  aadObjectId: string;
  name: string;
  locale?: string;
}

let counter = 0;
export function makeUser(name: string, locale = 'de-DE'): TeamsUser {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return {
    id: `29:user-${hex}-${randomUUID().slice(0, 8)}`,
    aadObjectId: `aaaaaaaa-0000-4000-8000-${hex}`,
    name,
    locale,
  };
}

export function personalConversationId(user: TeamsUser): string {
  return `a:personal-${user.aadObjectId}`;
}

function base(user: TeamsUser, serviceUrl: string): Partial<Activity> {
  return {
    id: `act-${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date(),
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: BOT.id, name: BOT.name },
    conversation: {
      id: personalConversationId(user),
      conversationType: 'personal',
      tenantId: TENANT_ID,
      isGroup: false,
      name: '',
    },
    channelData: { tenant: { id: TENANT_ID } },
    locale: user.locale,
  };
}

export function installPersonal(user: TeamsUser, serviceUrl: string): Partial<Activity> {
  return { ...base(user, serviceUrl), type: 'installationUpdate', action: 'add' };
}

export function uninstallPersonal(user: TeamsUser, serviceUrl: string): Partial<Activity> {
  return { ...base(user, serviceUrl), type: 'installationUpdate', action: 'remove' };
}

export function botAddedPersonal(user: TeamsUser, serviceUrl: string): Partial<Activity> {
  return {
    ...base(user, serviceUrl),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id, name: BOT.name }],
  };
}

export function message(user: TeamsUser, text: string, serviceUrl: string): Partial<Activity> {
  return { ...base(user, serviceUrl), type: 'message', text, textFormat: 'plain' };
}

/** An Action.Execute press: an adaptiveCard/action invoke. */
export function cardAction(
  user: TeamsUser,
  verb: string,
  data: Record<string, unknown>,
  serviceUrl: string,
  replyToId = `msg-${randomUUID()}`,
): Partial<Activity> {
  return {
    ...base(user, serviceUrl),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data: { verb, ...data } }, trigger: 'manual' },
  };
}

/** An Action.Submit press (the fallback): a message whose value carries the card's data. */
export function cardSubmit(
  user: TeamsUser,
  data: Record<string, unknown>,
  serviceUrl: string,
  replyToId = `msg-${randomUUID()}`,
): Partial<Activity> {
  return { ...base(user, serviceUrl), type: 'message', value: data, replyToId };
}

export interface TeamsTeam {
  id: string;
  aadGroupId: string;
  name: string;
}

function teamBase(team: TeamsTeam, by: TeamsUser, serviceUrl: string): Partial<Activity> {
  return {
    ...base(by, serviceUrl),
    conversation: {
      id: team.id,
      conversationType: 'channel',
      tenantId: TENANT_ID,
      isGroup: true,
      name: team.name,
    },
    channelData: {
      tenant: { id: TENANT_ID },
      team: { id: team.id, name: team.name, aadGroupId: team.aadGroupId },
      channel: { id: team.id, name: 'General' },
    },
  };
}

export function installTeam(team: TeamsTeam, by: TeamsUser, serviceUrl: string): Partial<Activity> {
  return { ...teamBase(team, by, serviceUrl), type: 'installationUpdate', action: 'add' };
}

export function uninstallTeam(team: TeamsTeam, by: TeamsUser, serviceUrl: string): Partial<Activity> {
  return { ...teamBase(team, by, serviceUrl), type: 'installationUpdate', action: 'remove' };
}

export function channelMessage(
  team: TeamsTeam,
  by: TeamsUser,
  text: string,
  serviceUrl: string,
): Partial<Activity> {
  return {
    ...teamBase(team, by, serviceUrl),
    type: 'message',
    text: `<at>${BOT.name}</at> ${text}`,
    entities: [{ type: 'mention', mentioned: { id: BOT.id, name: BOT.name }, text: `<at>${BOT.name}</at>` }],
  };
}

export function makeTeam(name: string): TeamsTeam {
  const u = randomUUID();
  return { id: `19:${u.replace(/-/g, '')}@thread.tacv2`, aadGroupId: u, name };
}
