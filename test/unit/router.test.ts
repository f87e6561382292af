// Routing on its own, in milliseconds (#15.6): the command and verb tables (bot/router.ts), the
// real command table of the app, and the bot's dispatch of messages and card actions driven through
// botbuilder's TestAdapter with plain fakes for the turn loader and the handlers.
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { renderNotice, type AdaptiveCard } from '../../cards';
import { createCommands } from '../../bot/commands';
import { digestCommands } from '../../bot/digest';
import { ideaCommands } from '../../bot/ideas';
import { PulsBot } from '../../bot/puls-bot';
import {
  ActionRouter,
  CommandRouter,
  normaliseText,
  type ActionSpec,
  type CommandSpec,
} from '../../bot/router';
import { surveyCommands } from '../../bot/surveys';
import type { Turn, TurnLoader } from '../../bot/turn';
import { messages } from '../../src/i18n';
import { COMMAND_WORDS, type CommandId } from '../../src/i18n/command-words';
import { createLogger } from '../../src/logger';
import { cardText } from '../support/connector';

/** A command that records what it was called with and answers with a text. */
function command(id: CommandId, calls: string[], officerOnly = false): CommandSpec {
  return {
    id,
    describe: () => `describes ${id}`,
    officerOnly,
    handle: async (turn, args) => {
      calls.push(`${id}(${args})`);
      await turn.context.sendActivity(`ran ${id}`);
    },
  };
}

describe('normaliseText', () => {
  it.each([
    ['  Hilfe  ', 'hilfe'],
    ['/umfragen', 'umfragen'],
    ['Meine   Ideen!', 'meine ideen'],
    ['meine\u00a0ideen?', 'meine ideen'],
    ['<at>Puls</at> Ergebnisse kulturwandel-0112-ab12.', 'ergebnisse kulturwandel-0112-ab12'],
  ])('when the text is %j, then it reads %j', (text, normalised) => {
    expect(normaliseText(text)).toBe(normalised);
  });
});

describe('CommandRouter', () => {
  const calls: string[] = [];
  const router = new CommandRouter([
    command('help', calls),
    command('survey', calls),
    command('startSurvey', calls, true),
    command('results', calls, true),
    command('ideas', calls),
    command('myIdeas', calls),
  ]);
  const idOf = (text: string) => router.match(text)?.spec.id;

  it('when a longer command starts with a shorter one, then the longer wins', () => {
    expect(idOf('umfrage starten')).toBe('startSurvey');
    expect(idOf('umfrage')).toBe('survey');
    expect(idOf('meine ideen')).toBe('myIdeas');
    expect(idOf('ideen')).toBe('ideas');
  });

  it('when a command has arguments, then they follow it, normalised', () => {
    expect(router.match('Ergebnisse  Kulturwandel-0112-AB12')).toMatchObject({
      spec: { id: 'results' },
      args: 'kulturwandel-0112-ab12',
    });
  });

  it('when a word is in either language or an alias, then it matches; a word inside another does not', () => {
    expect(idOf('HELP')).toBe('help');
    expect(idOf('start')).toBe('help');
    expect(idOf('my ideas')).toBe('myIdeas');
    expect(idOf('ergebnis')).toBe('results');
    expect(idOf('umfragestarten')).toBeUndefined();
    expect(idOf('hilfeee')).toBeUndefined();
    expect(idOf('')).toBeUndefined();
  });

  it('when two specs share an id (and so its words), then the table is refused', () => {
    expect(() => new CommandRouter([command('help', calls), command('help', calls)])).toThrow(
      'Command word "hilfe" is used twice',
    );
  });

  it('when help entries are listed, then officers see their commands and others do not, in their language', () => {
    const m = messages('en');
    expect(router.helpEntries('en', m, false)).toEqual({
      employeeCommands: [
        { word: 'help', description: 'describes help' },
        { word: 'survey', description: 'describes survey' },
        { word: 'ideas', description: 'describes ideas' },
        { word: 'my ideas', description: 'describes myIdeas' },
      ],
      officerCommands: [],
    });
    expect(router.helpEntries('de', messages('de'), true).officerCommands.map((e) => e.word)).toEqual([
      'umfrage starten',
      'ergebnisse',
    ]);
  });

  it("when the app's command table is built, then every command word belongs to exactly one command", () => {
    const none = {} as never;
    const app = createCommands({
      config: none,
      users: none,
      installation: none,
      extra: [...surveyCommands(none), ...ideaCommands(none), ...digestCommands(none)],
    });
    expect(app.specs.map((s) => s.id).sort()).toEqual(Object.keys(COMMAND_WORDS).sort());
  });
});

describe('ActionRouter', () => {
  const spec = (verb: string): ActionSpec => ({
    verb,
    handle: () => Promise.resolve(renderNotice({ title: verb, text: '' })),
  });
  const router = new ActionRouter([spec('survey.answer'), spec('idea.status'), spec('idea.list')]);

  it('when a verb carries arguments after a colon, then the first colon splits them off', () => {
    expect(router.match('survey.answer:kulturwandel-0112-ab12')).toMatchObject({
      spec: { verb: 'survey.answer' },
      argument: 'kulturwandel-0112-ab12',
    });
    expect(router.match('idea.status:8204573999999-abcd:submitted')?.argument).toBe(
      '8204573999999-abcd:submitted',
    );
    expect(router.match('idea.list')).toMatchObject({ spec: { verb: 'idea.list' }, argument: undefined });
  });

  it('when a verb is unknown or only similar, then nothing matches', () => {
    expect(router.match('idea.delete')).toBeUndefined();
    expect(router.match('idea')).toBeUndefined();
    expect(router.match('')).toBeUndefined();
  });

  it('when two specs share a verb, then the table is refused', () => {
    expect(() => new ActionRouter([spec('idea.list'), spec('idea.list')])).toThrow(
      'Card verb "idea.list" is used twice',
    );
  });
});

describe('PulsBot dispatch (TestAdapter)', () => {
  const calls: string[] = [];
  let officer = false;
  const seen: { data: Record<string, unknown>; argument: string | undefined }[] = [];
  const card = (title: string): AdaptiveCard => renderNotice({ title, text: '' });
  const actions = new ActionRouter([
    {
      verb: 'echo',
      handle: (_turn, data, argument) => {
        seen.push({ data, argument });
        return Promise.resolve(card('echoed'));
      },
    },
    { verb: 'boom', handle: () => Promise.reject(new Error('storage down')) },
    { verb: 'secret', officerOnly: true, handle: () => Promise.resolve(card('secret')) },
  ]);
  const commands = new CommandRouter([command('help', calls), command('surveys', calls, true)]);
  const logged: string[] = [];
  const turns = {
    load: (context: Turn['context']): Promise<Turn> =>
      Promise.resolve({
        context,
        userId: 'u1',
        user: undefined,
        locale: 'de',
        isOfficer: officer,
        scope: 'personal',
      }),
  } as unknown as TurnLoader;
  const bot = (allowedTenantIds?: ReadonlySet<string>) =>
    new PulsBot({
      turns,
      commands,
      actions,
      installation: {} as never,
      logger: createLogger({ level: 'error', destination: { write: (s: string) => void logged.push(s) } }),
      defaultLocale: 'de',
      allowedTenantIds,
    });
  const adapter = new TestAdapter();

  /** One turn; resolves with what the bot sent (messages, invoke responses). */
  async function turnOf(activity: Partial<Activity>, pulsBot = bot()): Promise<Partial<Activity>[]> {
    adapter.activeQueue.length = 0;
    await adapter.processActivity({ channelData: { tenant: { id: 'tenant-a' } }, ...activity }, (context) =>
      pulsBot.run(context),
    );
    return [...adapter.activeQueue];
  }
  const textOf = (a: Partial<Activity> | undefined) =>
    a?.text ??
    cardText(
      (a?.attachments?.[0]?.content as unknown) ?? (a?.value as { body?: { value?: unknown } })?.body?.value,
    );
  const invoke = (verb: string, data: Record<string, unknown> = {}) =>
    turnOf({
      type: ActivityTypes.Invoke,
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data: { verb, msteams: { x: 1 }, ...data } } },
    });

  beforeEach(() => {
    calls.length = 0;
    seen.length = 0;
    logged.length = 0;
    officer = false;
  });

  it('when a command is typed, then its handler runs with the arguments', async () => {
    officer = true;
    const sent = await turnOf({ type: 'message', text: 'Umfragen bitte' });
    expect(calls).toEqual(['surveys(bitte)']);
    expect(sent.map((a) => a.text)).toEqual(['ran surveys']);
  });

  it('when an officer command is typed by someone else, then a polite refusal comes and the handler does not run', async () => {
    const sent = await turnOf({ type: 'message', text: 'umfragen' });
    expect(calls).toEqual([]);
    expect(textOf(sent[0])).toContain('Nur für Digitalisierungsbeauftragte');
  });

  it('when the text is not a command, then the help card says so', async () => {
    const sent = await turnOf({ type: 'message', text: 'Wie spät ist es?' });
    expect(calls).toEqual([]);
    expect(textOf(sent[0])).toContain('Das habe ich nicht verstanden');
    expect(textOf(sent[0])).toContain('hilfe');
  });

  it('when a navigation button posts a command (Action.Submit), then it runs as if typed', async () => {
    await turnOf({ type: 'message', value: { command: 'hilfe' } });
    expect(calls).toEqual(['help()']);
  });

  it('when a card action is pressed, then the handler gets its inputs without the envelope and the card comes back in the invoke response', async () => {
    const sent = await invoke('echo:run-1', { answer: '4' });
    expect(seen).toEqual([{ data: { answer: '4' }, argument: 'run-1' }]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      type: 'invokeResponse',
      value: { status: 200, body: { statusCode: 200 } },
    });
    expect(textOf(sent[0])).toContain('echoed');
  });

  it('when a card action is unknown, then the card says it is no longer available', async () => {
    expect(textOf((await invoke('survey.vote'))[0])).toContain('nicht mehr verfügbar');
  });

  it('when an officer-only card action comes from someone else, then it is refused', async () => {
    expect(textOf((await invoke('secret'))[0])).toContain('Nur für Digitalisierungsbeauftragte');
    officer = true;
    expect(textOf((await invoke('secret'))[0])).toContain('secret');
  });

  it('when a card action fails, then the user gets the apology card, never the error, and the error is logged', async () => {
    const sent = await invoke('boom');
    expect(textOf(sent[0])).toContain('Das hat leider nicht geklappt');
    expect(JSON.stringify(sent)).not.toContain('storage down');
    expect(logged.join('')).toContain('storage down');
  });

  it('when the Action.Submit fallback is pressed, then the card it came from is replaced in place', async () => {
    adapter.activeQueue.length = 0;
    adapter.activeQueue.push({ type: 'message', id: 'card-1', text: 'old card' } as Activity);
    await adapter.processActivity(
      {
        type: 'message',
        value: { verb: 'echo', answer: '5' },
        replyToId: 'card-1',
        channelData: { tenant: { id: 'tenant-a' } },
      },
      (context) => bot().run(context),
    );
    expect(seen).toEqual([{ data: { answer: '5' }, argument: undefined }]);
    expect(adapter.activeQueue).toHaveLength(1);
    expect(adapter.activeQueue[0]).toMatchObject({ id: 'card-1' });
    expect(textOf(adapter.activeQueue[0])).toContain('echoed');
  });

  it('when the activity comes from a tenant Puls does not serve, then it is refused before any handler', async () => {
    officer = true;
    const sent = await turnOf({ type: 'message', text: 'umfragen' }, bot(new Set(['tenant-b'])));
    expect(calls).toEqual([]);
    expect(textOf(sent[0])).toContain('nicht freigegeben');
  });
});
