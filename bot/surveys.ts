// Survey commands and card actions: parse, call SurveyService, render.
import { CardFactory, type Activity } from 'botbuilder';
import type { DeliveryProgress } from '../src/delivery/delivery';
import { navigationButtons, renderNotice, type AdaptiveCard } from '../cards';
import { renderResults, renderResultsBack } from '../cards/results';
import { renderCloseConfirm, renderResultsAsk } from '../cards/run-close';
import type { ResultsService } from '../src/results/results-service';
import type { ResultsBackService } from '../src/surveys/results-back';
import type { RunFigures } from '../src/privacy/disclosure';
import { resultsMessages } from '../src/i18n/results';
import { directoryMessages } from '../src/i18n/directory';
import { integer } from '../cards/format';
import {
  audienceText,
  reachText,
  renderRunStart,
  type ReachPreview,
  renderRuns,
  renderSurveyStep,
  renderSurveySummary,
  renderSurveyThanks,
} from '../cards/surveys';
import type { Clock } from '../src/clock';
import { berlinDate } from '../src/domain/berlin-time';
import { format, formatDate, messages, pick, type Locale } from '../src/i18n';
import { commandText, commandWord } from '../src/i18n/command-words';
import { carryAnswers, parseCarried, validateStep, type CarriedAnswers } from '../src/surveys/answers';
import type { Run } from '../src/surveys/model';
import { MAX_RUN_DAYS, type SurveyService } from '../src/surveys/survey-service';
import { sendCard } from './commands';
import type { ActionSpec, CommandSpec } from './router';
import { referenceOf, type Turn } from './turn';

export interface SurveyHandlerDependencies {
  surveys: SurveyService;
  results: ResultsService;
  resultsBack: ResultsBackService;
  clock: Clock;
  privacy: { kMin: number };
}

/** The officer's card while a run is being sent: sent / failed / pending and the time left. */
export function progressCard(locale: Locale, run: Run, p: DeliveryProgress): AdaptiveCard {
  const r = messages(locale).runs;
  const minutes = p.ratePerSecond > 0 ? Math.max(1, Math.ceil(p.pending / p.ratePerSecond / 60)) : 0;
  return renderNotice({
    title: p.done ? r.sentTitle : r.sendingTitle,
    text: pick(run.survey.title, locale),
    tone: p.done ? 'good' : 'accent',
    facts: [
      { title: r.runId, value: run.runId },
      { title: r.delivered, value: format(r.progressSent, { sent: p.sent, total: p.total }) },
      { title: r.failed, value: String(p.failed) },
      { title: r.pending, value: String(p.pending) },
      ...(p.done ? [] : [{ title: r.timeLeft, value: format(r.timeLeftValue, { minutes }) }]),
    ],
    buttons: [{ title: r.listTitle, command: commandWord('surveys', locale) }],
  });
}

export function surveyCardActivity(run: Run, locale: Locale): Partial<Activity> {
  return {
    attachments: [CardFactory.adaptiveCard(renderSurveyStep(locale, { run, step: 0, answers: {} }))],
    summary: pick(run.survey.title, locale),
  };
}

/** The reminder: the survey card itself, with a note on top. */
export function reminderActivity(run: Run, locale: Locale): Partial<Activity> {
  const s = messages(locale).survey;
  const notice = format(s.reminder, { date: formatDate(run.closesAt, locale), minutes: run.survey.minutes });
  return {
    attachments: [CardFactory.adaptiveCard(renderSurveyStep(locale, { run, step: 0, answers: {}, notice }))],
    summary: pick(run.survey.title, locale),
  };
}

/** The card every member of a closed run's audience gets with its results. */
export function resultsBackActivity(run: Run, figures: RunFigures, locale: Locale): Partial<Activity> {
  const title = format(resultsMessages(locale).back.title, { title: pick(run.survey.title, locale) });
  return {
    attachments: [
      CardFactory.adaptiveCard(renderResultsBack(locale, figures, run.resultsShared?.statement ?? '')),
    ],
    summary: title,
  };
}

/** The officer who started a run is asked for the statement once it has closed. */
export function resultsAskActivity(run: Run, figures: RunFigures, locale: Locale): Partial<Activity> {
  return { attachments: [CardFactory.adaptiveCard(renderResultsAsk(locale, run, figures))] };
}

export function surveyCommands(deps: SurveyHandlerDependencies): CommandSpec[] {
  const { surveys } = deps;
  return [
    {
      id: 'survey',
      describe: (m) => m.commands.survey,
      handle: async (turn) => {
        const runs = turn.user ? await surveys.openRunsFor(turn.user) : [];
        if (runs.length === 0) {
          const s = messages(turn.locale).survey;
          await sendCard(
            turn.context,
            renderNotice({ title: s.noneOpenTitle, text: s.noneOpenText, tone: 'good' }),
          );
          // What came of the surveys this person was sent: the latest shared results.
          for (const { run, figures } of await pastResults(turn, deps)) {
            await turn.context.sendActivity(resultsBackActivity(run, figures, turn.locale));
          }
          return;
        }
        // Nothing is recorded about fetching a card: a write now would tell when this person
        // is about to answer.
        for (const run of runs.slice(0, 5))
          await turn.context.sendActivity(surveyCardActivity(run, turn.locale));
      },
    },
    {
      id: 'startSurvey',
      describe: (m) => m.commands.startSurvey,
      officerOnly: true,
      handle: async (turn) => sendCard(turn.context, await runStartCard(turn, deps)),
    },
    {
      id: 'closeSurvey',
      describe: (m) => m.commands.closeSurvey,
      officerOnly: true,
      handle: async (turn, args) => {
        if (args) {
          await sendCard(turn.context, await closeConfirmCard(turn, args, deps));
          return;
        }
        await sendCard(turn.context, await runsCard(turn, deps, { openOnly: true }));
      },
    },
    {
      id: 'surveys',
      describe: (m) => m.commands.surveys,
      officerOnly: true,
      handle: async (turn) => sendCard(turn.context, await runsCard(turn, deps, {})),
    },
    {
      id: 'results',
      describe: (m) => m.commands.results,
      officerOnly: true,
      handle: async (turn, args) => {
        if (!args) {
          await sendCard(turn.context, await runsCard(turn, deps, { pick: true }));
          return;
        }
        const run = await surveys.getRun(args);
        if (!run) {
          await sendCard(turn.context, runNotFoundCard(turn.locale, args));
          return;
        }
        await sendCard(turn.context, renderResults(turn.locale, await surveys.results(run)));
      },
    },
  ];
}

export function surveyActions(deps: SurveyHandlerDependencies): ActionSpec[] {
  const { surveys } = deps;
  return [
    {
      // The last step's "Antwort senden" (and the whole-form cards sent before the stepped card):
      // the only action that stores, through SurveyService.submit.
      verb: 'survey.answer',
      handle: async (turn, data, runId) => {
        const result = await surveys.submit(runId ?? '', turn.userId, turn.user, data);
        const s = messages(turn.locale).survey;
        switch (result.kind) {
          case 'saved':
            return renderSurveyThanks(turn.locale, {
              run: result.run,
              answers: result.answers,
              kMin: deps.privacy.kMin,
            });
          case 'invalid': {
            const { run, validation } = result;
            if (validation.unknownFields.length > 0)
              return renderSurveyStep(turn.locale, { run, step: 0, answers: {}, notice: s.unknownFields });
            // Back to the first question that is not right; the valid answers stay on the card.
            const answers = parseCarried(
              run.survey,
              Object.fromEntries(
                run.survey.questions
                  .filter(
                    (q) => validation.errors[q.id] === undefined && validation.entered[q.id] !== undefined,
                  )
                  .map((q) => [q.id, validation.entered[q.id]!]),
              ),
            );
            const step = Math.max(
              0,
              run.survey.questions.findIndex((q) => validation.errors[q.id] !== undefined),
            );
            const q = run.survey.questions[step]!;
            return renderSurveyStep(turn.locale, {
              run,
              step,
              answers: answers ?? {},
              error: validation.errors[q.id],
              entered: validation.entered[q.id],
              notice: s.invalidSummary,
            });
          }
          default:
            return accessCard(turn.locale, result);
        }
      },
    },
    {
      // Back, next, a choice pressed, or a jump from the summary: validates the step and renders the
      // next one. Stores nothing: the answers so far travel in the card.
      verb: 'survey.step',
      handle: async (turn, data, runId) => {
        const access = await surveys.access(runId ?? '', turn.userId, turn.user);
        if (access.kind !== 'ok') return accessCard(turn.locale, access);
        const { run } = access;
        const step = validateStep(run.survey, data);
        switch (step.kind) {
          case 'tampered':
            return renderSurveyStep(turn.locale, {
              run,
              step: 0,
              answers: {},
              notice: messages(turn.locale).survey.tampered,
            });
          case 'invalid':
            return renderSurveyStep(turn.locale, {
              run,
              step: step.at,
              answers: step.answers,
              review: step.review,
              error: step.error,
              entered: step.entered,
            });
          case 'ok':
            return step.to === run.survey.questions.length
              ? renderSurveySummary(turn.locale, { run, answers: step.answers, mode: 'confirm' })
              : renderSurveyStep(turn.locale, {
                  run,
                  step: step.to,
                  answers: step.answers,
                  review: step.review,
                });
        }
      },
    },
    {
      verb: 'runs.page',
      officerOnly: true,
      handle: (turn, data) =>
        runsCard(turn, deps, {
          offset: Number(data.offset),
          openOnly: data.openOnly === true || data.openOnly === 'true',
          pick: data.pick === true || data.pick === 'true',
        }),
    },
    {
      verb: 'survey.edit',
      handle: async (turn, data, runId) => {
        const access = await surveys.access(runId ?? '', turn.userId, turn.user);
        if (access.kind === 'closed') {
          // The run has ended: the saved answer stands. Its secret is gone, so the summary comes
          // from the card (the answer as it was saved), checked like any card data.
          const carried = parseCarried(access.run.survey, data.answers);
          return closedEditCard(turn.locale, access.run, carried);
        }
        if (access.kind !== 'ok') return accessCard(turn.locale, access);
        const answers = carryAnswers(access.run.survey, await surveys.ownAnswers(access.run, turn.userId));
        if (Object.keys(answers).length === 0)
          return renderSurveyStep(turn.locale, { run: access.run, step: 0, answers });
        return renderSurveySummary(turn.locale, { run: access.run, answers, mode: 'edit' });
      },
    },
    {
      verb: 'run.start',
      officerOnly: true,
      handle: async (turn, data) => {
        // The card the officer pressed "Starten" on becomes the progress card, updated in place.
        const cardId = turn.context.activity.replyToId;
        const result = await surveys.startRun(
          data,
          turn.userId,
          cardId
            ? { reference: referenceOf(turn.context), activityId: cardId, locale: turn.locale }
            : undefined,
        );
        const r = messages(turn.locale).runs;
        if (!result.ok) {
          const error =
            result.error === 'survey'
              ? r.surveyRequired
              : result.error === 'districts'
                ? r.districtsInvalid
                : result.error === 'groups'
                  ? directoryMessages(turn.locale).groupsInvalid
                  : result.error === 'audience'
                    ? format(r.audienceTooSmall, {
                        count: result.recipients ?? 0,
                        k: result.kMin ?? deps.privacy.kMin,
                      })
                    : r.closesAtRequired;
          return runStartCard(turn, deps, { ...result.input, error, groupNames: data.groupNames });
        }
        const { run, reach } = result;
        const d = directoryMessages(turn.locale);
        return renderNotice({
          title: r.startedTitle,
          text: format(r.startedText, { count: result.recipients }),
          tone: 'good',
          facts: [
            { title: r.survey, value: pick(run.survey.title, turn.locale) },
            { title: r.runId, value: run.runId },
            { title: r.recipients, value: `${result.recipients} (${audienceText(run, turn.locale)})` },
            {
              title: d.reachLabel,
              value:
                run.audience.kind === 'directory'
                  ? format(d.startedReach, {
                      installed: integer(reach.installed, turn.locale),
                      audience: integer(reach.audience, turn.locale),
                      installing: integer(reach.installing, turn.locale),
                      unreachable: integer(reach.unreachable, turn.locale),
                    })
                  : format(d.startedInstalledOnly, { installed: integer(reach.installed, turn.locale) }),
            },
            { title: r.until, value: formatDate(run.closesAt, turn.locale) },
          ],
          buttons: [{ title: r.listTitle, command: commandWord('surveys', turn.locale) }],
        });
      },
    },
    {
      // The start card again, with the groups matching the search text and the reach of the selection.
      verb: 'run.preview',
      officerOnly: true,
      handle: async (turn, data) => {
        const text = typeof data.groupSearch === 'string' ? data.groupSearch.trim().slice(0, 100) : '';
        return runStartCard(turn, deps, {
          surveyId: typeof data.surveyId === 'string' ? data.surveyId : undefined,
          closesAt: typeof data.closesAt === 'string' ? data.closesAt : undefined,
          districts: listValue(data.districts),
          groupIds: listValue(data.groupIds),
          groupNames: data.groupNames,
          groupSearch: text,
        });
      },
    },
    {
      verb: 'run.close',
      officerOnly: true,
      handle: (turn, data, runId) =>
        data.confirm === 'yes'
          ? closeRunCard(turn, runId ?? '', deps)
          : data.confirm === 'no'
            ? Promise.resolve(
                renderNotice({
                  title: messages(turn.locale).runs.listTitle,
                  text: messages(turn.locale).runs.closeCancelled,
                }),
              )
            : closeConfirmCard(turn, runId ?? '', deps),
    },
    {
      verb: 'run.share',
      officerOnly: true,
      handle: async (turn, data, runId) => {
        const r = messages(turn.locale).runs;
        const result = await deps.resultsBack.share(runId ?? '', data.statement, turn.userId);
        switch (result.kind) {
          case 'not_found':
            return runNotFoundCard(turn.locale, runId ?? '');
          case 'open':
            return renderNotice({ title: r.listTitle, text: r.stillOpen, tone: 'warning' });
          case 'no_results':
            return renderNotice({ title: r.listTitle, text: r.noResultsToShare, tone: 'warning' });
          case 'already':
            return renderNotice({ title: r.listTitle, text: r.alreadyShared, tone: 'warning' });
          case 'invalid': {
            const error =
              result.problem === 'empty'
                ? r.statementRequired
                : result.problem === 'too_long'
                  ? r.statementTooLong
                  : r.statementMarkup;
            const figures = await deps.results.figures(result.run);
            return renderResultsAsk(turn.locale, result.run, figures, {
              statement: typeof data.statement === 'string' ? data.statement.slice(0, 2000) : '',
              error,
            });
          }
          case 'sent':
            return renderNotice({
              title: r.sharedTitle,
              text: format(r.sharedText, { count: result.recipients }),
              tone: 'good',
            });
        }
      },
    },
  ];
}

/**
 * The start card: survey, closing date, districts and (with the directory) a group search, and how
 * many people the selection reaches. The groups chosen so far stay offered with their names.
 */
async function runStartCard(
  turn: Turn,
  deps: SurveyHandlerDependencies,
  previous: {
    surveyId?: string;
    closesAt?: string;
    districts?: string[];
    groupIds?: string[];
    groupNames?: unknown;
    groupSearch?: string;
    error?: string;
  } = {},
): Promise<AdaptiveCard> {
  const { surveys } = deps;
  const now = deps.clock.now();
  const day = (offset: number) => berlinDate(now, offset);
  const d = directoryMessages(turn.locale);
  const known = namesOf(previous.groupNames);
  const groupIds = previous.groupIds ?? [];
  const choices = new Map<string, string>(groupIds.map((id) => [id, known[id] ?? id]));
  let groupNote = '';
  if (previous.groupSearch) {
    const found = await surveys.searchGroups(previous.groupSearch).catch(() => undefined);
    if (!found) groupNote = d.groupsSlow;
    else if (found.length === 0) groupNote = format(d.groupsNone, { text: previous.groupSearch });
    for (const g of found ?? []) if (!choices.has(g.id)) choices.set(g.id, g.name);
  }
  const preview: ReachPreview = await surveys
    .previewReach({ districts: previous.districts, groupIds })
    .then((p): ReachPreview =>
      p.kind === 'installed' && surveys.hasDirectory ? { ...p, notSynced: true } : p,
    )
    .catch((): ReachPreview => ({ kind: 'pending' }));
  return renderRunStart(turn.locale, {
    surveys: await surveys.availableSurveys(),
    minDate: day(1),
    maxDate: day(MAX_RUN_DAYS - 1),
    closesAt: previous.closesAt || day(14),
    surveyId: previous.surveyId,
    districts: previous.districts,
    error: previous.error,
    directory: surveys.hasDirectory,
    groupSearch: previous.groupSearch,
    groupChoices: [...choices].map(([id, name]) => ({ id, name })),
    groupIds,
    groupNote,
    reach: reachText(turn.locale, preview),
  });
}

/** A card's comma-separated multi-select value. */
function listValue(value: unknown): string[] {
  return typeof value === 'string' && value.trim() !== ''
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : [];
}

/** The group names the previous card carried (a JSON object of id → name). */
function namesOf(value: unknown): Record<string, string> {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {};
    }
  }
  const out: Record<string, string> = {};
  if (parsed && typeof parsed === 'object')
    for (const [id, name] of Object.entries(parsed as Record<string, unknown>))
      if (typeof name === 'string') out[id] = name.slice(0, 120);
  return out;
}

/** A page of the runs list: every run, the open ones (to close one), or a pick for `ergebnisse`. */
async function runsCard(
  turn: Turn,
  deps: SurveyHandlerDependencies,
  options: { offset?: number; openOnly?: boolean; pick?: boolean },
): Promise<AdaptiveCard> {
  const offset = Number.isFinite(options.offset) ? Math.max(0, Math.floor(options.offset!)) : 0;
  const page = await deps.surveys.listRuns({ offset, openOnly: options.openOnly });
  const r = messages(turn.locale).runs;
  const intro = options.pick
    ? format(r.whichRun, { example: page.items[0]?.run.runId ?? 'kulturwandel-0112-ab12' })
    : undefined;
  return renderRuns(turn.locale, {
    items: page.items,
    intro,
    closable: !options.pick,
    kMin: deps.privacy.kMin,
    more:
      page.next === undefined
        ? undefined
        : {
            verb: 'runs.page',
            offset: page.next,
            openOnly: options.openOnly === true,
            pick: options.pick === true,
          },
  });
}

/** "Close now?": how many answers become final (as far as participation may be shown). */
async function closeConfirmCard(
  turn: Turn,
  runId: string,
  deps: SurveyHandlerDependencies,
): Promise<AdaptiveCard> {
  const run = await deps.surveys.getRun(runId);
  if (!run) return runNotFoundCard(turn.locale, runId);
  if (!deps.surveys.isOpen(run)) return closedAlreadyCard(turn, run);
  const { participation } = await deps.results.participation(run);
  return renderCloseConfirm(turn.locale, run, participation.respondents);
}

async function closeRunCard(
  turn: Turn,
  runId: string,
  deps: SurveyHandlerDependencies,
): Promise<AdaptiveCard> {
  const run = await deps.surveys.closeRun(runId);
  if (!run) return runNotFoundCard(turn.locale, runId);
  // With final results, the officer is asked at once for the statement that goes back to the staff.
  if (!run.resultsShared) {
    const figures = await deps.results.figures(run);
    if (figures.results === 'final') return renderResultsAsk(turn.locale, run, figures);
  }
  return closedAlreadyCard(turn, run);
}

function closedAlreadyCard(turn: Turn, run: Run): AdaptiveCard {
  const r = messages(turn.locale).runs;
  return renderNotice({
    title: r.closedTitle,
    text: format(r.closedText, { runId: run.runId }),
    tone: 'good',
    buttons: [{ title: r.results, command: commandText('results', turn.locale, run.runId) }],
  });
}

/** Shared results of the latest closed runs this person was sent (at most two). */
async function pastResults(
  turn: Turn,
  deps: SurveyHandlerDependencies,
): Promise<{ run: Run; figures: RunFigures }[]> {
  const out: { run: Run; figures: RunFigures }[] = [];
  const closed = (await deps.surveys.listAllRuns()).filter(
    (run) => !deps.surveys.isOpen(run) && run.resultsShared,
  );
  for (const run of closed) {
    if (out.length >= 2) break;
    if (!(await deps.resultsBack.wasInvited(run, turn.userId))) continue;
    const figures = await deps.results.figures(run);
    if (figures.results === 'final') out.push({ run, figures });
  }
  return out;
}

function runNotFoundCard(locale: Locale, runId: string): AdaptiveCard {
  const r = messages(locale).runs;
  return renderNotice({
    title: r.listTitle,
    text: format(r.notFound, { runId: runId.slice(0, 60) }),
    tone: 'warning',
  });
}

/** "Antwort ändern" after the run has ended: it says so, and that the saved answer stands. */
function closedEditCard(locale: Locale, run: Run, carried: CarriedAnswers | undefined): AdaptiveCard {
  if (carried && Object.keys(carried).length > 0)
    return renderSurveySummary(locale, { run, answers: carried, mode: 'closed' });
  const s = messages(locale).survey;
  return renderNotice({
    title: s.closedTitle,
    text: format(s.closedEditText, { date: formatDate(run.closedAt ?? run.closesAt, locale) }),
    tone: 'warning',
  });
}

function accessCard(
  locale: Locale,
  result: { kind: 'closed'; run: Run } | { kind: 'outsider'; run: Run } | { kind: 'not_found' },
): AdaptiveCard {
  const s = messages(locale).survey;
  switch (result.kind) {
    case 'closed':
      return renderNotice({
        title: s.closedTitle,
        text: format(s.closedText, { date: formatDate(result.run.closedAt ?? result.run.closesAt, locale) }),
        tone: 'warning',
      });
    case 'outsider':
      return renderNotice({
        title: s.outsiderTitle,
        text: s.outsiderText,
        tone: 'warning',
        buttons: navigationButtons(locale, ['settings']),
      });
    case 'not_found':
      return renderNotice({ title: s.notFoundTitle, text: s.notFoundText, tone: 'warning' });
  }
}
