// The typed commands of Puls. Each handler parses, calls a service and renders a card.
import { CardFactory, type TurnContext } from 'botbuilder';
import {
  navigationButtons,
  renderHelp,
  renderNotice,
  renderEraseConfirm,
  renderPrivacy,
  renderSettings,
  type AdaptiveCard,
} from '../cards';
import type { Config } from '../src/config';
import { messages } from '../src/i18n';
import type { InstallationService } from '../src/installation/installation-service';
import type { UserRepository } from '../src/storage/user-repository';
import { DEFAULT_SETTINGS } from '../src/users/settings-service';
import { CommandRouter, type CommandSpec } from './router';
import type { Turn } from './turn';

export async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
}

export interface CommandDependencies {
  config: Pick<Config, 'privacy' | 'privacyNotice'>;
  users: UserRepository;
  installation: InstallationService;
  /** Commands of the feature modules (surveys, ideas, …), after the core ones. */
  extra: CommandSpec[];
}

export function createCommands(deps: CommandDependencies): CommandRouter {
  const specs: CommandSpec[] = [
    {
      id: 'help',
      words: { de: ['hilfe', '?', 'start'], en: ['help', 'menu'] },
      describe: (m) => m.commands.help,
      handle: (turn) => sendCard(turn.context, helpCard(turn, router, false)),
    },
    {
      id: 'settings',
      words: { de: ['einstellungen', 'einstellung'], en: ['settings', 'setting'] },
      describe: (m) => m.commands.settings,
      handle: (turn) =>
        sendCard(
          turn.context,
          renderSettings(turn.locale, {
            settings: turn.user?.settings ?? DEFAULT_SETTINGS,
            kMin: deps.config.privacy.kMin,
          }),
        ),
    },
    {
      id: 'privacy',
      words: { de: ['datenschutz'], en: ['privacy'] },
      describe: (m) => m.commands.privacy,
      handle: (turn) =>
        sendCard(
          turn.context,
          renderPrivacy(turn.locale, {
            kMin: deps.config.privacy.kMin,
            kText: deps.config.privacy.kText,
            retentionMonths: deps.config.privacy.retentionMonths,
            notice: deps.config.privacyNotice,
          }),
        ),
    },
    {
      id: 'erase',
      words: { de: ['meine daten löschen', 'daten löschen'], en: ['delete my data'] },
      describe: (m) => m.commands.erase,
      handle: (turn) => sendCard(turn.context, renderEraseConfirm(turn.locale)),
    },
    {
      id: 'status',
      words: { de: ['status'], en: ['status'] },
      describe: (m) => m.commands.status,
      officerOnly: true,
      handle: async (turn) => {
        const m = messages(turn.locale);
        const [count, channel] = await Promise.all([deps.users.count(), deps.installation.officersChannel()]);
        await sendCard(
          turn.context,
          renderNotice({
            title: m.status.title,
            text: '',
            facts: [
              { title: m.status.users, value: String(count) },
              {
                title: m.status.officersChannel,
                value: channel ? (channel.teamName ?? channel.teamId) : m.status.notConfigured,
              },
            ],
          }),
        );
      },
    },
  ];
  const router = new CommandRouter([...specs, ...deps.extra]);
  return router;
}

export function helpCard(turn: Turn, router: CommandRouter, unknownInput: boolean): AdaptiveCard {
  const m = messages(turn.locale);
  return renderHelp(turn.locale, { ...router.helpEntries(turn.locale, m, turn.isOfficer), unknownInput });
}

export function officerOnlyCard(turn: Turn): AdaptiveCard {
  const m = messages(turn.locale);
  return renderNotice({
    title: m.notices.officerOnlyTitle,
    text: m.notices.officerOnly,
    tone: 'warning',
    buttons: navigationButtons(turn.locale, ['help']),
  });
}
