// Idea commands and card actions: parse, call IdeaService, render. A list card carries what it
// shows (its view: filters and page, or the similar ideas) in its buttons, so that a support, a
// follow or a review draws the same list again in place instead of collapsing it to one idea.
import { CardFactory, type Activity } from 'botbuilder';
import { renderNotice, type AdaptiveCard } from '../cards';
import { renderIdeaForm, renderIdeaList, renderIdeaReview, type IdeaListItem } from '../cards/ideas';
import type { Clock } from '../src/clock';
import { format, type Locale } from '../src/i18n';
import { commandWord } from '../src/i18n/command-words';
import { ideaMessages } from '../src/i18n/ideas';
import type { IdeaService } from '../src/ideas/idea-service';
import { isFinal, type Idea, type IdeaHistoryEntry } from '../src/ideas/model';
import type { IdeaFilter } from '../src/storage/idea-repository';
import { sendCard } from './commands';
import type { ActionSpec, CommandSpec } from './router';
import type { Turn } from './turn';
import { DISTRICTS, FIELDS_OF_ACTION, type District, type FieldOfAction } from '../src/domain/vocabulary';

export interface IdeaHandlerDependencies {
  ideas: IdeaService;
  /** Marks recent status changes as new on list cards (without a clock, none is). */
  clock?: Clock;
}

/** The message a submitter gets when an officer changes the status of their idea. */
export function ideaStatusActivity(idea: Idea, entry: IdeaHistoryEntry, locale: Locale): Partial<Activity> {
  const m = ideaMessages(locale);
  const card = renderNotice({
    title: m.notify.title,
    text:
      entry.to === 'merged' && idea.mergedInto
        ? format(m.notify.merged, { title: idea.title, target: idea.mergedInto.title })
        : format(m.notify.text, { title: idea.title, status: m.statuses[entry.to] }),
    tone: entry.to === 'rejected' ? 'warning' : 'good',
    facts: entry.feedback ? [{ title: m.notify.feedback, value: entry.feedback }] : [],
    buttons: [{ title: m.list.mine, command: commandWord('myIdeas', locale) }],
  });
  return { attachments: [CardFactory.adaptiveCard(card)], summary: m.notify.title };
}

/**
 * The message a supporter who asked for news gets when the idea's status changes. The officer's
 * feedback is left out: it was written to the submitter.
 */
export function ideaNewsActivity(idea: Idea, entry: IdeaHistoryEntry, locale: Locale): Partial<Activity> {
  const m = ideaMessages(locale);
  const ideas = commandWord('ideas', locale);
  const card = renderNotice({
    title: m.news.title,
    text: [
      entry.to === 'merged' && idea.mergedInto
        ? format(m.news.merged, { title: idea.title, target: idea.mergedInto.title })
        : format(m.news.text, { title: idea.title, status: m.statuses[entry.to] }),
      isFinal(entry.to) && entry.to !== 'merged' ? m.news.final : format(m.news.why, { ideas }),
    ].join(' '),
    tone: entry.to === 'rejected' ? 'warning' : 'good',
    buttons: [{ title: m.list.title, command: ideas }],
  });
  return { attachments: [CardFactory.adaptiveCard(card)], summary: m.news.title };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

// --- views: what a list card shows, carried in its buttons -------------------------------------

type BrowseView = {
  kind: 'browse';
  sort: 'newest' | 'support';
  field: FieldOfAction | 'all';
  district: District | 'all';
  /** Officers' "neue ideen": only ideas not reviewed yet. */
  submitted: boolean;
  /** The token that produced this page ('' for the first). */
  page: string;
};
type ListView =
  | BrowseView
  | { kind: 'mine'; page: string }
  /** The ideas found similar to one being submitted. */
  | { kind: 'similar'; ids: string[] };

const FIRST_PAGE: BrowseView = {
  kind: 'browse',
  sort: 'newest',
  field: 'all',
  district: 'all',
  submitted: false,
  page: '',
};

/** The view as button data. Its keys start with "v", apart from the card's filter inputs. */
function viewData(view: ListView): Record<string, string> {
  switch (view.kind) {
    case 'browse':
      return {
        v: 'browse',
        vSort: view.sort,
        vField: view.field,
        vDistrict: view.district,
        ...(view.submitted ? { vStatus: 'submitted' } : {}),
        ...(view.page ? { vPage: view.page } : {}),
      };
    case 'mine':
      return { v: 'mine', ...(view.page ? { vPage: view.page } : {}) };
    case 'similar':
      return { v: 'similar', vIds: view.ids.join(',') };
  }
}

function browseView(
  sort: unknown,
  field: unknown,
  district: unknown,
  submitted: boolean,
  page: unknown,
): BrowseView {
  return {
    kind: 'browse',
    sort: sort === 'support' ? 'support' : 'newest',
    field: (FIELDS_OF_ACTION as readonly unknown[]).includes(field) ? (field as FieldOfAction) : 'all',
    district: (DISTRICTS as readonly unknown[]).includes(district) ? (district as District) : 'all',
    submitted,
    page: str(page).slice(0, 1000),
  };
}

/** The view a button carries; undefined for buttons without one (cards sent before views existed). */
function viewFrom(data: Record<string, unknown>): ListView | undefined {
  switch (data.v) {
    case 'browse':
      return browseView(data.vSort, data.vField, data.vDistrict, data.vStatus === 'submitted', data.vPage);
    case 'mine':
      return { kind: 'mine', page: str(data.vPage).slice(0, 20) };
    case 'similar':
      return {
        kind: 'similar',
        ids: str(data.vIds)
          .split(',')
          .filter((id) => /^[0-9a-z-]{1,40}$/.test(id))
          .slice(0, 5),
      };
    default:
      return undefined;
  }
}

/** "Anzeigen" (the filter inputs) and buttons of older cards: a browse view from plain fields. */
function browseFromInputs(data: Record<string, unknown>): BrowseView {
  return browseView(data.sort, data.field, data.district, data.status === 'submitted', data.token);
}

interface ItemAction {
  verb: string;
  title: string;
  data: Record<string, string>;
}

function reviewAction(idea: Idea, locale: Locale, view: ListView): ItemAction {
  return {
    verb: 'idea.review',
    title: ideaMessages(locale).list.review,
    data: { verb: 'idea.review', ideaId: idea.ideaId, ...viewData(view) },
  };
}

async function itemFor(
  turn: Turn,
  deps: IdeaHandlerDependencies,
  idea: Idea,
  view: ListView,
): Promise<IdeaListItem> {
  const m = ideaMessages(turn.locale);
  const state = await deps.ideas.viewerState(idea, turn.userId);
  const actions: ItemAction[] = [];
  const data = (verb: string, want: boolean) => ({
    verb,
    ideaId: idea.ideaId,
    want: String(want),
    ...viewData(view),
  });
  if (!state.own && !state.closed) {
    const support = view.kind === 'similar' && !state.supported ? m.similar.supportInstead : m.list.support;
    actions.push({
      verb: 'idea.support',
      title: state.supported ? m.list.withdraw : support,
      data: data('idea.support', !state.supported),
    });
    if (state.supported) {
      actions.push({
        verb: 'idea.follow',
        title: state.following ? m.list.unfollow : m.list.follow,
        data: data('idea.follow', !state.following),
      });
    }
  }
  if (turn.isOfficer) actions.push(reviewAction(idea, turn.locale, view));
  return { idea, actions, following: state.following };
}

/** Draws a list view: the same page with fresh figures and buttons, and an optional notice. */
async function listCard(
  turn: Turn,
  deps: IdeaHandlerDependencies,
  view: ListView,
  extra: { notice?: string; noticeStyle?: 'good' | 'warning'; footer?: ItemAction[] } = {},
): Promise<AdaptiveCard> {
  const m = ideaMessages(turn.locale);
  const now = deps.clock?.now();
  const more = (next: string | undefined, v: ListView): ItemAction[] =>
    next ? [{ verb: 'idea.list', title: m.list.more, data: { verb: 'idea.list', ...viewData(v) } }] : [];
  switch (view.kind) {
    case 'browse': {
      const submitted = view.submitted && turn.isOfficer;
      const filter: IdeaFilter = {};
      if (view.field !== 'all') filter.field = view.field;
      if (view.district !== 'all') filter.district = view.district;
      if (submitted) filter.status = 'submitted';
      const page = await deps.ideas.list(filter, view.sort, view.page || undefined);
      const shown = { ...view, submitted };
      return renderIdeaList(turn.locale, {
        title: submitted ? m.list.newIdeas : m.list.title,
        items: await Promise.all(page.ideas.map((idea) => itemFor(turn, deps, idea, shown))),
        filters: submitted ? undefined : { sort: view.sort, field: view.field, district: view.district },
        now,
        ...extra,
        footer: [
          ...(extra.footer ?? []),
          // The filter inputs fill in sort, field and district.
          ...(submitted ? [] : [{ verb: 'idea.list', title: m.list.show, data: { verb: 'idea.list' } }]),
          ...more(page.next, { ...shown, page: page.next ?? '' }),
        ],
      });
    }
    case 'mine': {
      const page = await deps.ideas.myIdeas(turn.userId, view.page || undefined);
      const items = await Promise.all(
        page.ideas.map(async (idea) => {
          const last = (await deps.ideas.history(idea.ideaId)).filter((h) => h.feedback).at(-1);
          return { idea, actions: [], feedback: last?.feedback };
        }),
      );
      return renderIdeaList(turn.locale, {
        title: m.list.mine,
        items,
        intro: items.length === 0 && !view.page ? m.list.mineEmpty : '',
        now,
        ...extra,
        footer: [...(extra.footer ?? []), ...more(page.next, { kind: 'mine', page: page.next ?? '' })],
      });
    }
    case 'similar': {
      const ideas = (await Promise.all(view.ids.map((id) => deps.ideas.get(id)))).filter(
        (i): i is Idea => i !== undefined,
      );
      return renderIdeaList(turn.locale, {
        title: m.similar.title,
        items: await Promise.all(ideas.map((idea) => itemFor(turn, deps, idea, view))),
        now,
        ...extra,
        footer: extra.footer ?? [{ verb: 'idea.list', title: m.list.title, data: { verb: 'idea.list' } }],
      });
    }
  }
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

/** "true"/"false" as the card sends them (or as booleans); anything else is undefined. */
function wantOf(data: Record<string, unknown>): boolean | undefined {
  return data.want === 'true' || data.want === true
    ? true
    : data.want === 'false' || data.want === false
      ? false
      : undefined;
}

export function ideaCommands(deps: IdeaHandlerDependencies): CommandSpec[] {
  return [
    {
      id: 'idea',
      describe: (m) => m.commands.idea,
      handle: (turn) =>
        sendCard(turn.context, renderIdeaForm(turn.locale, { district: turn.user?.settings.district })),
    },
    {
      id: 'ideas',
      describe: (m) => m.commands.ideas,
      handle: async (turn) => sendCard(turn.context, await listCard(turn, deps, FIRST_PAGE)),
    },
    {
      id: 'myIdeas',
      describe: (m) => m.commands.myIdeas,
      handle: async (turn) => sendCard(turn.context, await listCard(turn, deps, { kind: 'mine', page: '' })),
    },
    {
      id: 'newIdeas',
      describe: (m) => m.commands.newIdeas,
      officerOnly: true,
      handle: async (turn) =>
        sendCard(turn.context, await listCard(turn, deps, { ...FIRST_PAGE, submitted: true })),
    },
  ];
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
            return listCard(
              turn,
              deps,
              { kind: 'similar', ids: result.similar.map((i) => i.ideaId) },
              {
                notice: m.similar.intro,
                noticeStyle: 'good',
                // The form goes once, in this button; after a support the card shows the ideas only.
                footer: [
                  {
                    verb: 'idea.submit',
                    title: m.similar.submitAnyway,
                    data: { verb: 'idea.submit', ...form, confirm: 'true' },
                  },
                ],
              },
            );
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
              buttons: [{ title: m.list.mine, command: commandWord('myIdeas', turn.locale) }],
            });
        }
      },
    },
    {
      verb: 'idea.support',
      handle: toggle(
        deps,
        (id, user, want) => deps.ideas.support(id, user, want),
        (result, m) =>
          result.kind === 'own'
            ? m.supported.own
            : result.kind === 'closed'
              ? m.supported.closed
              : result.supported
                ? m.supported.addedAsk
                : m.supported.withdrawn,
      ),
    },
    {
      verb: 'idea.follow',
      handle: toggle(
        deps,
        (id, user, want) => deps.ideas.follow(id, user, want),
        (result, m) =>
          result.kind === 'own'
            ? m.supported.own
            : result.kind === 'closed'
              ? m.supported.closed
              : result.kind === 'not_supported'
                ? m.followed.notSupported
                : result.following
                  ? m.followed.on
                  : m.followed.off,
      ),
    },
    {
      verb: 'idea.list',
      handle: (turn, data) => listCard(turn, deps, viewFrom(data) ?? browseFromInputs(data)),
    },
    {
      verb: 'idea.review',
      officerOnly: true,
      handle: async (turn, data) => {
        const idea = await deps.ideas.get(str(data.ideaId));
        if (!idea) return notFoundCard(turn.locale);
        const view = viewFrom(data);
        if (!view) return reviewCard(turn, deps, idea);
        // The review card opens as a message of its own beside the list, which stays as it was.
        await sendCard(turn.context, await reviewCard(turn, deps, idea));
        return listCard(turn, deps, view);
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

/**
 * A support or follow click: the wish checked, the idea changed, and the same list page drawn again
 * with what came of it (good on success, a warning otherwise).
 */
function toggle<R extends { kind: string }>(
  deps: IdeaHandlerDependencies,
  act: (ideaId: string, userId: string, want: boolean) => Promise<R | { kind: 'not_found' }>,
  noticeOf: (result: R, m: ReturnType<typeof ideaMessages>) => string,
): (turn: Turn, data: Record<string, unknown>) => Promise<AdaptiveCard> {
  return async (turn, data) => {
    const m = ideaMessages(turn.locale);
    const want = wantOf(data);
    if (want === undefined)
      return renderNotice({ title: m.list.title, text: m.supported.invalid, tone: 'warning' });
    const result = await act(str(data.ideaId), turn.userId, want);
    if (result.kind === 'not_found') return notFoundCard(turn.locale);
    return listCard(turn, deps, viewFrom(data) ?? FIRST_PAGE, {
      notice: noticeOf(result as R, m),
      noticeStyle: result.kind === 'ok' ? 'good' : 'warning',
    });
  };
}
