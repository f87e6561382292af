// Idea commands and card actions: parse, call IdeaService, render.
import { CardFactory, type Activity } from 'botbuilder';
import { renderNotice, type AdaptiveCard } from '../cards';
import { renderIdeaForm, renderIdeaList, renderIdeaReview, type IdeaListItem } from '../cards/ideas';
import { format, type Locale } from '../src/i18n';
import { ideaMessages } from '../src/i18n/ideas';
import type { IdeaService } from '../src/ideas/idea-service';
import type { Idea, IdeaHistoryEntry } from '../src/ideas/model';
import type { IdeaFilter } from '../src/storage/idea-repository';
import { sendCard } from './commands';
import type { ActionSpec, CommandSpec } from './router';
import type { Turn } from './turn';
import { DISTRICTS, FIELDS_OF_ACTION, type District, type FieldOfAction } from '../src/domain/vocabulary';

export interface IdeaHandlerDependencies {
  ideas: IdeaService;
}

/** The message a submitter gets when an officer changes the status of their idea. */
export function ideaStatusActivity(idea: Idea, entry: IdeaHistoryEntry, locale: Locale): Partial<Activity> {
  const m = ideaMessages(locale);
  const card = renderNotice({
    title: m.notify.title,
    text: format(m.notify.text, { title: idea.title, status: m.statuses[entry.to] }),
    tone: entry.to === 'rejected' ? 'warning' : 'good',
    facts: entry.feedback ? [{ title: m.notify.feedback, value: entry.feedback }] : [],
    buttons: [{ title: m.list.mine, command: locale === 'en' ? 'my ideas' : 'meine ideen' }],
  });
  return { attachments: [CardFactory.adaptiveCard(card)], summary: m.notify.title };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function filterFrom(data: Record<string, unknown>): {
  filter: IdeaFilter;
  sort: 'newest' | 'support';
  field: string;
  district: string;
} {
  const field = str(data.field);
  const district = str(data.district);
  const filter: IdeaFilter = {};
  if ((FIELDS_OF_ACTION as readonly string[]).includes(field)) filter.field = field as FieldOfAction;
  if ((DISTRICTS as readonly string[]).includes(district)) filter.district = district as District;
  return {
    filter,
    sort: data.sort === 'support' ? 'support' : 'newest',
    field: filter.field ?? 'all',
    district: filter.district ?? 'all',
  };
}

export function ideaCommands(deps: IdeaHandlerDependencies): CommandSpec[] {
  return [
    {
      id: 'idea',
      words: { de: ['idee'], en: ['idea'] },
      describe: (m) => m.commands.idea,
      handle: (turn) =>
        sendCard(turn.context, renderIdeaForm(turn.locale, { district: turn.user?.settings.district })),
    },
    {
      id: 'ideas',
      words: { de: ['ideen'], en: ['ideas'] },
      describe: (m) => m.commands.ideas,
      handle: async (turn) => sendCard(turn.context, await listCard(turn, deps, {})),
    },
    {
      id: 'myIdeas',
      words: { de: ['meine ideen'], en: ['my ideas'] },
      describe: (m) => m.commands.myIdeas,
      handle: async (turn) => {
        const m = ideaMessages(turn.locale);
        const mine = await deps.ideas.mine(turn.userId);
        const items = await Promise.all(
          mine.map(async (idea) => {
            const last = (await deps.ideas.history(idea.ideaId)).filter((h) => h.feedback).at(-1);
            return { idea, actions: [], feedback: last?.feedback };
          }),
        );
        await sendCard(
          turn.context,
          renderIdeaList(turn.locale, {
            title: m.list.mine,
            items,
            intro: items.length === 0 ? m.list.mineEmpty : '',
          }),
        );
      },
    },
    {
      id: 'newIdeas',
      words: { de: ['neue ideen'], en: ['new ideas'] },
      describe: (m) => m.commands.newIdeas,
      officerOnly: true,
      handle: async (turn) => {
        const page = await deps.ideas.list({ status: 'submitted' }, 'newest', undefined);
        const m = ideaMessages(turn.locale);
        await sendCard(
          turn.context,
          renderIdeaList(turn.locale, {
            title: m.list.newIdeas,
            items: page.ideas.map((idea) => ({ idea, actions: [reviewAction(idea, turn.locale)] })),
            footer: page.next
              ? [
                  {
                    verb: 'idea.list',
                    title: m.list.more,
                    data: { verb: 'idea.list', status: 'submitted', token: page.next },
                  },
                ]
              : [],
          }),
        );
      },
    },
  ];
}

interface ItemAction {
  verb: string;
  title: string;
  data: Record<string, string>;
}

function reviewAction(idea: Idea, locale: Locale): ItemAction {
  return {
    verb: 'idea.review',
    title: ideaMessages(locale).list.review,
    data: { verb: 'idea.review', ideaId: idea.ideaId },
  };
}

function supportAction(idea: Idea, supported: boolean, locale: Locale): ItemAction {
  const m = ideaMessages(locale).list;
  return {
    verb: 'idea.support',
    title: supported ? m.withdraw : m.support,
    data: { verb: 'idea.support', ideaId: idea.ideaId, want: supported ? 'false' : 'true' },
  };
}

async function itemFor(turn: Turn, deps: IdeaHandlerDependencies, idea: Idea): Promise<IdeaListItem> {
  const state = await deps.ideas.viewerState(idea, turn.userId);
  const actions = state.own || state.closed ? [] : [supportAction(idea, state.supported, turn.locale)];
  if (turn.isOfficer) actions.push(reviewAction(idea, turn.locale));
  return { idea, actions };
}

async function listCard(
  turn: Turn,
  deps: IdeaHandlerDependencies,
  data: Record<string, unknown>,
): Promise<AdaptiveCard> {
  const m = ideaMessages(turn.locale);
  const { filter, sort, field, district } = filterFrom(data);
  if (turn.isOfficer && data.status === 'submitted') filter.status = 'submitted';
  const page = await deps.ideas.list(filter, sort, str(data.token) || undefined);
  const items = await Promise.all(page.ideas.map((idea) => itemFor(turn, deps, idea)));
  const listData = { verb: 'idea.list', sort, field, district };
  return renderIdeaList(turn.locale, {
    title: filter.status ? m.list.newIdeas : m.list.title,
    items,
    filters: filter.status ? undefined : { sort, field, district },
    footer: [
      ...(filter.status ? [] : [{ verb: 'idea.list', title: m.list.show, data: listData }]),
      ...(page.next
        ? [
            {
              verb: 'idea.list',
              title: m.list.more,
              data: { ...listData, ...(filter.status ? { status: 'submitted' } : {}), token: page.next },
            },
          ]
        : []),
    ],
  });
}

async function reviewCard(
  turn: Turn,
  deps: IdeaHandlerDependencies,
  idea: Idea,
  extra: {
    notice?: string;
    noticeStyle?: 'good' | 'attention' | 'warning';
    entered?: { status?: string; feedback?: string };
  } = {},
): Promise<AdaptiveCard> {
  return renderIdeaReview(turn.locale, { idea, history: await deps.ideas.history(idea.ideaId), ...extra });
}

function notFoundCard(locale: Locale): AdaptiveCard {
  return renderNotice({
    title: ideaMessages(locale).list.title,
    text: ideaMessages(locale).review.notFound,
    tone: 'warning',
  });
}

export function ideaActions(deps: IdeaHandlerDependencies): ActionSpec[] {
  return [
    {
      verb: 'idea.submit',
      handle: async (turn, data) => {
        const m = ideaMessages(turn.locale);
        const name = turn.context.activity.from?.name ?? '';
        const result = await deps.ideas.submit({ userId: turn.userId, name }, data);
        switch (result.kind) {
          case 'invalid':
            return renderIdeaForm(turn.locale, {
              entered: result.validation.entered,
              errors: result.validation.errors,
              notice: result.validation.unknownFields.length > 0 ? m.form.unknownFields : m.form.invalid,
            });
          case 'similar': {
            const { input } = result;
            const form = {
              title: input.title,
              description: input.description,
              field: input.field,
              district: input.district ?? '',
              anonymous: String(input.anonymous),
            };
            return renderIdeaList(turn.locale, {
              title: m.similar.title,
              intro: m.similar.intro,
              items: result.similar.map((idea) => ({
                idea,
                actions: [
                  {
                    verb: 'idea.support',
                    title: m.similar.supportInstead,
                    data: { verb: 'idea.support', ideaId: idea.ideaId, want: 'true' },
                  },
                ],
              })),
              footer: [
                {
                  verb: 'idea.submit',
                  title: m.similar.submitAnyway,
                  data: { verb: 'idea.submit', ...form, confirm: 'true' },
                },
              ],
            });
          }
          case 'saved':
            return renderNotice({
              title: m.submitted.title,
              text: result.idea.anonymous ? `${m.submitted.text} ${m.submitted.anonymous}` : m.submitted.text,
              tone: 'good',
              facts: [
                { title: m.form.ideaTitle, value: result.idea.title },
                { title: m.form.field, value: m.fields[result.idea.field] },
              ],
              buttons: [{ title: m.list.mine, command: turn.locale === 'en' ? 'my ideas' : 'meine ideen' }],
            });
        }
      },
    },
    {
      verb: 'idea.support',
      handle: async (turn, data) => {
        const m = ideaMessages(turn.locale);
        // "true"/"false" as the card sends them (or as booleans); anything else changes nothing.
        const want =
          data.want === 'true' || data.want === true
            ? true
            : data.want === 'false' || data.want === false
              ? false
              : undefined;
        if (want === undefined) {
          return renderNotice({ title: m.list.title, text: m.supported.invalid, tone: 'warning' });
        }
        const result = await deps.ideas.support(str(data.ideaId), turn.userId, want);
        if (result.kind === 'not_found') return notFoundCard(turn.locale);
        const notice =
          result.kind === 'own'
            ? m.supported.own
            : result.kind === 'closed'
              ? m.supported.closed
              : result.supported
                ? m.supported.added
                : m.supported.withdrawn;
        const item = await itemFor(turn, deps, result.idea);
        return renderIdeaList(turn.locale, {
          title: m.list.title,
          notice,
          noticeStyle: result.kind === 'ok' ? 'good' : 'warning',
          items: [item],
          footer: [{ verb: 'idea.list', title: m.list.title, data: { verb: 'idea.list' } }],
        });
      },
    },
    {
      verb: 'idea.list',
      handle: (turn, data) => listCard(turn, deps, data),
    },
    {
      verb: 'idea.review',
      officerOnly: true,
      handle: async (turn, data) => {
        const idea = await deps.ideas.get(str(data.ideaId));
        return idea ? reviewCard(turn, deps, idea) : notFoundCard(turn.locale);
      },
    },
    {
      verb: 'idea.status',
      officerOnly: true,
      handle: async (turn, data, argument) => {
        const m = ideaMessages(turn.locale);
        const [ideaId = '', from = ''] = (argument ?? '').split(':');
        const officer = { id: turn.userId, name: turn.context.activity.from?.name ?? '' };
        const result = await deps.ideas.setStatus(ideaId, officer, from, data);
        const entered = { status: str(data.status), feedback: str(data.feedback) };
        switch (result.kind) {
          case 'not_found':
            return notFoundCard(turn.locale);
          case 'stale':
            return reviewCard(turn, deps, result.idea, { notice: m.review.stale, noticeStyle: 'warning' });
          case 'invalid':
            return reviewCard(turn, deps, result.idea, {
              notice:
                result.problem === 'feedback'
                  ? m.review.feedbackRequired
                  : result.problem === 'final'
                    ? m.review.final
                    : m.review.invalidStatus,
              noticeStyle: 'attention',
              entered,
            });
          case 'saved':
            return reviewCard(turn, deps, result.idea, {
              notice: format(result.notified ? m.review.saved : m.review.savedNotNotified, {
                status: m.statuses[result.idea.status],
              }),
              noticeStyle: 'good',
            });
        }
      },
    },
  ];
}
