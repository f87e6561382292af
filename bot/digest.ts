// Digest commands for officers: a preview in the 1:1 chat, a post to the channel now, and exports.
import { CardFactory, type Activity } from 'botbuilder';
import { renderNotice } from '../cards';
import { renderDigest } from '../cards/digest';
import { format, formatDate, type Locale } from '../src/i18n';
import { digestCommandMessages as digestMessages } from '../src/i18n/digest-commands';
import type { DigestService } from '../src/digest/digest-service';
import type { RunExport } from '../src/digest/run-export';
import type { InstallationService } from '../src/installation/installation-service';
import type { ChannelPoster } from './proactive';
import type { SurveyService } from '../src/surveys/survey-service';
import { sendCard } from './commands';
import type { ActionSpec, CommandSpec } from './router';
import type { TickOutcome } from '../src/digest/scheduler';
import type { AdaptiveCard } from '../cards';

export interface DigestHandlerDependencies {
  digest: DigestService;
  surveys: SurveyService;
  exports: RunExport;
  /** Posts the digest now as this week's (`again`: also when this week's was posted already). */
  sendNow(again: boolean): Promise<{ outcome: TickOutcome; postedAt?: Date }>;
}

/** Posts the digest as a new thread in the officers' channel; undefined while Puls is not in that team. */
export function createDigestPoster(o: {
  digest: DigestService;
  installation: InstallationService;
  poster: ChannelPoster;
  locale: Locale;
}): () => Promise<string | undefined> {
  return async () => {
    const channel = await o.installation.officersChannel();
    if (!channel) return undefined;
    return o.poster.post(channel.reference, await digestActivity(o.digest, o.locale));
  };
}

export async function digestActivity(digest: DigestService, locale: Locale): Promise<Partial<Activity>> {
  const view = await digest.build(locale);
  return {
    attachments: [CardFactory.adaptiveCard(renderDigest(locale, view))],
    summary: `${digestMessages(locale).title} · ${view.weekLabel}`,
  };
}

/** Sends the digest now and says what happened; asks first when this week's was posted already. */
async function sendNowCard(
  locale: Locale,
  deps: DigestHandlerDependencies,
  again: boolean,
): Promise<AdaptiveCard> {
  const m = digestMessages(locale);
  const { outcome, postedAt } = await deps.sendNow(again);
  switch (outcome) {
    case 'posted':
      return renderNotice({ title: m.sentTitle, text: m.sentText, tone: 'good' });
    case 'no_channel':
      return renderNotice({ title: m.noChannelTitle, text: m.noChannelText, tone: 'warning' });
    case 'already_posted':
      return {
        ...renderNotice({
          title: m.alreadyTitle,
          text: format(m.alreadyText, { date: postedAt ? formatDate(postedAt, locale) : '–' }),
          tone: 'warning',
        }),
        actions: [
          {
            type: 'Action.Execute',
            verb: 'digest.send',
            title: m.again,
            data: { verb: 'digest.send', again: 'yes' },
            fallback: { type: 'Action.Submit', title: m.again, data: { verb: 'digest.send', again: 'yes' } },
          },
        ],
      };
    default:
      return renderNotice({ title: m.title, text: m.busyText, tone: 'default' });
  }
}

export function digestActions(deps: DigestHandlerDependencies): ActionSpec[] {
  return [
    {
      verb: 'digest.send',
      officerOnly: true,
      handle: (turn, data) => sendNowCard(turn.locale, deps, data.again === 'yes'),
    },
  ];
}

export function digestCommands(deps: DigestHandlerDependencies): CommandSpec[] {
  return [
    {
      id: 'digest',
      words: { de: ['digest', 'wochenübersicht'], en: ['weekly digest'] },
      describe: (m) => m.commands.digest,
      officerOnly: true,
      // The same figures as the channel digest: a preview changes nothing.
      handle: async (turn) => {
        await turn.context.sendActivity(await digestActivity(deps.digest, turn.locale));
      },
    },
    {
      id: 'digestSend',
      words: { de: ['digest senden'], en: ['send digest'] },
      describe: (m) => m.commands.digestSend,
      officerOnly: true,
      handle: async (turn) => sendCard(turn.context, await sendNowCard(turn.locale, deps, false)),
    },
    {
      id: 'export',
      words: { de: ['export'], en: ['export'] },
      describe: (m) => m.commands.export,
      officerOnly: true,
      handle: async (turn, args) => {
        const m = digestMessages(turn.locale);
        const run = args ? await deps.surveys.getRun(args) : undefined;
        if (!run) {
          await sendCard(
            turn.context,
            renderNotice({ title: m.exportTitle, text: m.exportWhich, tone: 'warning' }),
          );
          return;
        }
        const url = deps.exports.link(run.runId);
        await sendCard(turn.context, {
          ...renderNotice({
            title: m.exportTitle,
            text: format(m.exportText, { runId: run.runId }),
            tone: 'accent',
          }),
          actions: [{ type: 'Action.OpenUrl', title: m.exportOpen, url }],
        });
      },
    },
  ];
}
