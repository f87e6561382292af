// Idea cards: the submission form, lists (browse, mine, new, similar), the officers' review card.
// Everything a person typed (titles, descriptions, feedback) goes into TextRuns, never markdown.
import { format, formatDate, messages, type Locale } from '../src/i18n';
import { ideaMessages } from '../src/i18n/ideas';
import { plural } from '../src/i18n/results';
import type { IdeaFieldError, IdeaInput } from '../src/ideas/idea-service';
import { DESCRIPTION_MAX, FEEDBACK_MAX, TITLE_MAX } from '../src/ideas/idea-service';
import { TRANSITIONS, type Idea, type IdeaHistoryEntry } from '../src/ideas/model';
import ideaFormTemplate from './idea-form.json';
import ideaListTemplate from './idea-list.json';
import ideaReviewTemplate from './idea-review.json';
import { expand, type AdaptiveCard } from './index';
import { DISTRICTS, FIELDS_OF_ACTION } from '../src/domain/vocabulary';

export interface IdeaFormOptions {
  entered?: Partial<Record<keyof IdeaInput, string>>;
  errors?: Partial<Record<keyof IdeaInput, IdeaFieldError>>;
  notice?: string;
  /** Pre-fills the district from the user's settings. */
  district?: string;
}

export function renderIdeaForm(locale: Locale, options: IdeaFormOptions = {}): AdaptiveCard {
  const m = ideaMessages(locale);
  const f = m.form;
  const entered = options.entered ?? {};
  const error = (k: keyof IdeaInput) => {
    const e = options.errors?.[k];
    return e ? format(f.errors[e], { max: k === 'title' ? TITLE_MAX : DESCRIPTION_MAX }) : '';
  };
  return expand(ideaFormTemplate, {
    title: f.title,
    intro: f.intro,
    notice: options.notice ?? '',
    requiredMessage: f.errors.required,
    titleLabel: f.ideaTitle,
    titlePlaceholder: f.ideaTitlePlaceholder,
    titleMax: TITLE_MAX,
    titleValue: entered.title ?? '',
    titleError: error('title'),
    descriptionLabel: f.description,
    descriptionPlaceholder: f.descriptionPlaceholder,
    descriptionMax: DESCRIPTION_MAX,
    descriptionValue: entered.description ?? '',
    descriptionError: error('description'),
    fieldLabel: f.field,
    choose: messages(locale).survey.choose,
    fieldValue: entered.field ?? '',
    fields: FIELDS_OF_ACTION.map((value) => ({ value, title: m.fields[value] })),
    fieldError: error('field'),
    districtLabel: f.district,
    districtValue: entered.district ?? options.district ?? '',
    districts: DISTRICTS.map((value) => ({ value, title: messages(locale).districts[value] })),
    districtError: error('district'),
    anonymousLabel: f.anonymous,
    anonymousValue: entered.anonymous === 'true' ? 'true' : 'false',
    submit: f.submit,
  });
}

interface CardAction {
  verb: string;
  title: string;
  data: Record<string, string>;
}

export interface IdeaListItem {
  idea: Idea;
  actions: CardAction[];
  /** The latest officer feedback, shown under the idea and labelled as theirs (own ideas). */
  feedback?: string;
  /** The viewer asked for news of this idea. */
  following?: boolean;
}

export interface IdeaListOptions {
  title: string;
  intro?: string;
  notice?: string;
  noticeStyle?: 'good' | 'attention' | 'warning' | 'default';
  items: IdeaListItem[];
  /** Filter inputs and their current values (browse view). */
  filters?: { sort: string; field: string; district: string };
  footer?: CardAction[];
  /** Now: a status that changed within NEW_STATUS_DAYS is marked as new. */
  now?: Date;
}

/** How long a status change is shown as new on list cards. */
export const NEW_STATUS_DAYS = 14;

/** Field, district, supporters, submitter and date; the status too unless it has a line of its own. */
export function ideaMeta(idea: Idea, locale: Locale, withStatus = true): string {
  const m = ideaMessages(locale);
  const who = idea.submitterGone
    ? m.list.formerEmployee
    : idea.anonymous || !idea.submitterName
      ? m.list.anonymous
      : idea.submitterName;
  return [
    m.fields[idea.field],
    idea.district ? messages(locale).districts[idea.district] : undefined,
    withStatus ? m.statuses[idea.status] : undefined,
    format(plural(m.list.supporters, idea.supportCount, locale), { n: idea.supportCount }),
    `${who}, ${formatDate(idea.createdAt, locale)}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** "Neu: angenommen (seit 24.11.2026)" for a recent change, else "Status: … (seit …)". */
export function ideaStatusLine(idea: Idea, locale: Locale, now?: Date): { text: string; isNew: boolean } {
  const m = ideaMessages(locale).list;
  if (idea.status === 'submitted') return { text: m.statusSubmitted, isNew: false };
  if (idea.status === 'merged' && idea.mergedInto) {
    const target = { target: idea.mergedInto.title, date: formatDate(idea.updatedAt, locale) };
    return { text: format(m.statusMerged, target), isNew: false };
  }
  const values = {
    status: ideaMessages(locale).statuses[idea.status],
    date: formatDate(idea.updatedAt, locale),
  };
  const isNew = now !== undefined && now.getTime() - idea.updatedAt.getTime() < NEW_STATUS_DAYS * 86_400_000;
  return { text: format(isNew ? m.statusNew : m.statusSince, values), isNew };
}

export function renderIdeaList(locale: Locale, options: IdeaListOptions): AdaptiveCard {
  const m = ideaMessages(locale);
  const all = (label: string) => [{ value: 'all', title: label }];
  return expand(ideaListTemplate, {
    title: options.title,
    intro: options.intro ?? (options.items.length === 0 ? m.list.empty : ''),
    notice: options.notice ?? '',
    noticeStyle: options.noticeStyle ?? 'good',
    ideas: options.items.map(({ idea, actions, feedback, following }) => {
      const status = ideaStatusLine(idea, locale, options.now);
      return {
        title: idea.title,
        // The word "Neu" says it; the colour only repeats it.
        status: status.text,
        statusWeight: status.isNew ? 'Bolder' : 'Default',
        statusColor: status.isNew ? 'Accent' : 'Default',
        meta: ideaMeta(idea, locale, false),
        excerpt: idea.description.length > 280 ? `${idea.description.slice(0, 277)}…` : idea.description,
        feedback: feedback ?? '',
        feedbackLabel: m.list.feedbackLabel,
        following: following ? m.list.following : '',
        actions,
      };
    }),
    showFilters: options.filters !== undefined,
    sortLabel: m.list.sort,
    sort: options.filters?.sort ?? 'newest',
    sorts: [
      { value: 'newest', title: m.list.newest },
      { value: 'support', title: m.list.mostSupported },
    ],
    fieldLabel: m.form.field,
    field: options.filters?.field ?? 'all',
    fields: [
      ...all(m.list.allFields),
      ...FIELDS_OF_ACTION.map((value) => ({ value, title: m.fields[value] })),
    ],
    districtLabel: m.form.district,
    district: options.filters?.district ?? 'all',
    districts: [
      ...all(m.list.allDistricts),
      ...DISTRICTS.map((value) => ({ value, title: messages(locale).districts[value] })),
    ],
    footer: options.footer ?? [],
  });
}

export interface IdeaReviewOptions {
  idea: Idea;
  history: IdeaHistoryEntry[];
  notice?: string;
  noticeStyle?: 'good' | 'attention' | 'warning';
  entered?: { status?: string; feedback?: string };
}

export function reviewVerb(idea: Idea): string {
  return `idea.status:${idea.ideaId}:${idea.status}`;
}

export function renderIdeaReview(locale: Locale, options: IdeaReviewOptions): AdaptiveCard {
  const m = ideaMessages(locale);
  const r = m.review;
  const { idea } = options;
  const next = TRANSITIONS[idea.status];
  return expand(ideaReviewTemplate, {
    heading: r.title,
    notice: options.notice ?? (next.length === 0 ? r.final : ''),
    noticeStyle: options.noticeStyle ?? 'warning',
    title: idea.title,
    meta: ideaMeta(idea, locale),
    description: idea.description,
    historyLabel: r.history,
    history: options.history.map((h) => ({
      line: `${formatDate(h.at, locale)}: ${h.from ? `${m.statuses[h.from]} → ` : ''}${m.statuses[h.to]}${h.byName ? ` (${h.byName})` : ''}`,
      feedback: h.feedback,
    })),
    canChange: next.length > 0,
    newStatusLabel: r.newStatus,
    statusValue: options.entered?.status ?? '',
    statuses: next.map((value) => ({ value, title: m.statuses[value] })),
    feedbackLabel: r.feedback,
    feedbackPlaceholder: r.feedbackPlaceholder,
    feedbackMax: FEEDBACK_MAX,
    feedbackValue: options.entered?.feedback ?? '',
    save: r.save,
    verb: reviewVerb(idea),
  });
}
