// The officer's cards around the end of a run: "close now?" with what becomes final, and the card
// that asks for the statement that goes back to the staff with the results.
import { format, messages, pick, type Locale } from '../src/i18n';
import { plural } from '../src/i18n/results';
import type { RunFigures } from '../src/privacy/disclosure';
import type { Run } from '../src/surveys/model';
import { STATEMENT_MAX } from '../src/surveys/results-back';
import { integer } from './format';
import { renderNotice, type AdaptiveCard } from './index';

function execute(
  verb: string,
  title: string,
  data: Record<string, unknown>,
  style?: 'destructive' | 'positive',
) {
  return {
    type: 'Action.Execute',
    verb,
    title,
    ...(style ? { style } : {}),
    data: { verb, ...data },
    fallback: { type: 'Action.Submit', title, data: { verb, ...data } },
  };
}

/** "Close the survey now?" — says how many answers become final (when that may be shown). */
export function renderCloseConfirm(locale: Locale, run: Run, respondents: number | undefined): AdaptiveCard {
  const r = messages(locale).runs;
  const answers =
    respondents === undefined
      ? r.closeConfirmAnswersHidden
      : format(plural(r.closeConfirmAnswers, respondents, locale), { n: integer(respondents, locale) });
  const verb = `run.close:${run.runId}`;
  return {
    ...renderNotice({
      title: r.closeConfirmTitle,
      text: format(r.closeConfirmText, { title: pick(run.survey.title, locale), runId: run.runId, answers }),
      tone: 'warning',
    }),
    actions: [
      execute(verb, r.closeNow, { confirm: 'yes' }, 'destructive'),
      execute(verb, r.cancel, { confirm: 'no' }),
    ],
  };
}

/** Asks for the statement ("Was wir daraus machen") and sends the results to everyone. */
export function renderResultsAsk(
  locale: Locale,
  run: Run,
  figures: RunFigures,
  options: { statement?: string; error?: string } = {},
): AdaptiveCard {
  const r = messages(locale).runs;
  const card = renderNotice({
    title: format(r.askTitle, { title: pick(run.survey.title, locale) }),
    text: format(r.askText, { n: integer(figures.participation.respondents ?? 0, locale) }),
    tone: 'good',
  });
  return {
    ...card,
    body: [
      ...card.body,
      {
        type: 'Input.Text',
        id: 'statement',
        label: r.statementLabel,
        isMultiline: true,
        maxLength: STATEMENT_MAX,
        isRequired: true,
        errorMessage: r.statementRequired,
        value: options.statement ?? '',
      },
      ...(options.error
        ? [{ type: 'TextBlock', text: options.error, color: 'attention', wrap: true, weight: 'Bolder' }]
        : []),
    ],
    actions: [
      execute(`run.share:${run.runId}`, r.shareNow, {}, 'positive'),
      {
        type: 'Action.Submit',
        title: r.results,
        data: { command: `${locale === 'en' ? 'results' : 'ergebnisse'} ${run.runId}` },
      },
    ],
  };
}
