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
import type { RunAudiences } from '../src/directory/run-audience';
import { format, formatDate, messages } from '../src/i18n';
import { directoryMessages } from '../src/i18n/directory';
import { integer } from '../cards/format';
import type { InstallationService } from '../src/installation/installation-service';
import type { UserRepository } from '../src/storage/user-repository';
import { DEFAULT_SETTINGS } from '../src/users/settings-service';
import { CommandRouter, type CommandSpec } from './router';
import type { Turn } from './turn';

export async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
}

export interface CommandDependencies {
  config: Pick<Config, 'privacy' | 'privacyNotice'> & {
    directory?: Pick<Config['directory'], 'districtSourceAttribute'>;
  };
  users: UserRepository;
  installation: InstallationService;
  /** The directory (Entra ID), when configured: districts, and reach for `status`. */
  directory?: RunAudiences;
  /** Commands of the feature modules (surveys, ideas, …), after the core ones. */
  extra: CommandSpec[];
}

export function createCommands(deps: CommandDependencies): CommandRouter {
  const specs: CommandSpec[] = [
    {
      id: 'help',
      describe: (m) => m.commands.help,
      handle: (turn) => sendCard(turn.context, helpCard(turn, router, false)),
    },
    {
      id: 'settings',
      describe: (m) => m.commands.settings,
      handle: async (turn) =>
        sendCard(
          turn.context,
          renderSettings(turn.locale, {
            settings: turn.user?.settings ?? DEFAULT_SETTINGS,
            kMin: deps.config.privacy.kMin,
            directoryDistrict: await deps.directory?.districtOf(turn.userId),
          }),
        ),
    },
    {
      id: 'privacy',
      describe: (m) => m.commands.privacy,
      handle: (turn) =>
        sendCard(
          turn.context,
          renderPrivacy(turn.locale, {
            kMin: deps.config.privacy.kMin,
            kText: deps.config.privacy.kText,
            retentionMonths: deps.config.privacy.retentionMonths,
            notice: deps.config.privacyNotice,
            directoryAttribute: deps.directory ? deps.config.directory?.districtSourceAttribute : undefined,
          }),
        ),
    },
    {
      id: 'erase',
      describe: (m) => m.commands.erase,
      handle: (turn) => sendCard(turn.context, renderEraseConfirm(turn.locale)),
    },
    {
      id: 'status',
      describe: (m) => m.commands.status,
      officerOnly: true,
      handle: async (turn) => {
        const m = messages(turn.locale);
        const d = directoryMessages(turn.locale);
        const [count, channel, directory] = await Promise.all([
          deps.users.count(),
          deps.installation.officersChannel(),
          deps.directory?.status(),
        ]);
        // Reach made visible: "Alle Beschäftigten" against those Puls can reach.
        const reach = !deps.directory
          ? [
              {
                title: d.statusDirectory,
                value: format(d.statusDirectoryOff, { installed: integer(count, turn.locale) }),
              },
            ]
          : !directory
            ? [{ title: d.statusDirectory, value: d.statusDirectoryNotSynced }]
            : [
                {
                  title: d.statusDirectory,
                  value: format(d.statusDirectoryValue, {
                    members: integer(directory.members, turn.locale),
                    installed: integer(directory.installed, turn.locale),
                    unreachable: integer(directory.unreachable, turn.locale),
                  }),
                },
                ...(directory.lastSyncAt
                  ? [{ title: d.statusLastSync, value: formatDate(directory.lastSyncAt, turn.locale) }]
                  : []),
              ];
        await sendCard(
          turn.context,
          renderNotice({
            title: m.status.title,
            text: '',
            facts: [
              { title: m.status.users, value: String(count) },
              ...reach,
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
