// The results card officers get for one run (`ergebnisse`): participation, and — once the run has
// closed with enough respondents — per question a table of counts and shares, the mean / NPS and the
// change since the last run, the free texts (in TextRuns, so nothing a respondent wrote is read as
// markdown), the fields of action and the district table. Every figure comes from the disclosure
// module (RunFigures); this file only lays it out. Free texts are capped to stay under 28 KB.
import { format, formatDate, pick, truncate, type Locale } from '../src/i18n';
import { ideaMessages } from '../src/i18n/ideas';
import { digestMessages } from '../src/i18n/digest';
import { plural, resultsMessages } from '../src/i18n/results';
import type { QuestionFigures, RunFigures } from '../src/privacy/disclosure';
import { decimal, figureIds, integer, NPS_GROUPS, percent, shareOf, signed } from './format';
import { expand, type AdaptiveCard } from './index';
import resultsTemplate from './run-results.json';
import resultsBackTemplate from './results-back.json';
import { highlightsOf } from '../src/surveys/results-back';

/** Teams drops cards over ~28 KB on some clients; this leaves room for the activity around it. */
export const RESULTS_CARD_BUDGET_BYTES = 27 * 1024;

/** How many free texts (per question) are listed, and how long each may be: tried in this order. */
const TEXT_LIMITS: readonly { count: number; chars: number }[] = [
  { count: 20, chars: 300 },
  { count: 12, chars: 300 },
  { count: 10, chars: 200 },
  { count: 5, chars: 200 },
  { count: 3, chars: 120 },
  { count: 0, chars: 0 },
];

export function renderResults(locale: Locale, figures: RunFigures): AdaptiveCard {
  let card: AdaptiveCard | undefined;
  for (const limit of TEXT_LIMITS) {
    card = expand(resultsTemplate, cardData(locale, figures, limit));
    if (Buffer.byteLength(JSON.stringify(card), 'utf8') <= RESULTS_CARD_BUDGET_BYTES) return card;
  }
  return card!;
}

/** The participation lines every surface shows the same way. */
export function participationRows(locale: Locale, f: RunFigures, prefix = '') {
  const s = resultsMessages(locale);
  const p = f.participation;
  const rows = [
    {
      label: s.audience,
      id: figureIds.participation(prefix, 'audience'),
      value: integer(p.audience, locale),
    },
    {
      label: s.delivered,
      id: figureIds.participation(prefix, 'delivered'),
      value: integer(p.delivered, locale),
    },
  ];
  if (p.respondents !== undefined) {
    rows.push({
      label: s.respondents,
      id: figureIds.participation(prefix, 'respondents'),
      value: integer(p.respondents, locale),
    });
  }
  if (p.responseRate !== undefined) {
    rows.push({
      label: s.rate,
      id: figureIds.participation(prefix, 'rate'),
      value: percent(p.responseRate, locale),
    });
  }
  return rows;
}

function cardData(locale: Locale, f: RunFigures, limit: { count: number; chars: number }) {
  const s = resultsMessages(locale);
  const date = formatDate(f.closesAt, locale);
  const notice =
    f.results === 'openRun'
      ? format(s.openRun, { date })
      : f.results === 'tooFewRespondents'
        ? format(s.tooFewRespondents, { kMin: f.kMin })
        : f.results === 'smallAudience'
          ? format(s.smallAudience, { kMin: f.kMin })
          : '';
  const fieldNames = ideaMessages(locale).fields;
  return {
    title: pick(f.title, locale),
    subtitle: [s.heading, f.runId, format(f.open ? s.open : s.closed, { date })].join(' · '),
    participation: participationRows(locale, f),
    notice,
    answerColumn: s.answerColumn,
    countColumn: s.countColumn,
    shareColumn: s.shareColumn,
    questions: f.questions.map((q, i) => questionView(q, i, locale, f, limit)),
    fieldsTitle: s.fieldsTitle,
    fields: f.fields
      .filter((field) => field.index !== undefined)
      .map((field) => ({
        label: fieldNames[field.field],
        id: figureIds.field('', field.field),
        value:
          integer(field.index!, locale) +
          (field.change === undefined ? '' : ` (${signed(field.change, locale)})`),
      })),
    ...districtTable(locale, f),
  };
}

function questionView(
  q: QuestionFigures,
  index: number,
  locale: Locale,
  f: RunFigures,
  limit: { count: number; chars: number },
) {
  const s = resultsMessages(locale);
  const view = {
    text: `${index + 1}. ${pick(q.text, locale)}`,
    hint: '',
    rows: [] as { label: string; count: string; share: string; countId: string; shareId: string }[],
    figures: [] as { id: string; text: string }[],
    texts: [] as { text: string }[],
    note: '',
  };
  if (q.hidden) {
    view.note =
      q.hidden === 'tooFewTexts'
        ? format(s.textsHidden, { kText: f.kText })
        : format(s.questionHidden, { kMin: f.kMin });
    return view;
  }
  const answered = q.answered ?? 0;
  const answeredText = format(plural(s.questionAnswered, answered, locale), { n: integer(answered, locale) });
  const row = (key: string, label: string, count: number) => ({
    label,
    count: integer(count, locale),
    share: shareOf(count, answered, locale),
    countId: figureIds.count('', q.questionId, key),
    shareId: figureIds.share('', q.questionId, key),
  });
  switch (q.type) {
    case 'text': {
      const texts = q.texts ?? [];
      const shown = texts.slice(0, limit.count);
      view.hint = format(plural(s.textsShown, answered, locale), { n: integer(answered, locale) });
      view.texts = shown.map((text) => ({ text: truncate(text, limit.chars) }));
      if (texts.length > shown.length) view.note = format(s.textsMore, { n: texts.length - shown.length });
      return view;
    }
    case 'likert5': {
      view.hint = answeredText;
      const ends = q.scale && { '1': pick(q.scale.low, locale), '5': pick(q.scale.high, locale) };
      view.rows = q.distribution.map((d) => {
        const end = ends?.[d.key as '1' | '5'];
        return row(d.key, end ? `${d.key} – ${end}` : d.key, d.count);
      });
      if (q.noAnswer) view.rows.push(row('0', s.noAnswer, q.noAnswer));
      if (q.mean !== undefined) {
        view.figures.push({
          id: figureIds.stat('', q.questionId, 'mean'),
          text: format(s.mean, { value: decimal(q.mean, locale) }),
        });
      }
      break;
    }
    case 'nps': {
      view.hint = answeredText;
      view.rows = NPS_GROUPS.map((g) =>
        row(
          g.key,
          s.npsGroups[g.name],
          q.distribution
            .filter((d) => Number(d.key) >= g.from && Number(d.key) <= g.to)
            .reduce((a, d) => a + d.count, 0),
        ),
      );
      if (q.npsScore !== undefined) {
        view.figures.push({
          id: figureIds.stat('', q.questionId, 'nps'),
          text: format(s.nps, { value: signed(q.npsScore, locale) }),
        });
      }
      if (q.mean !== undefined) {
        view.figures.push({
          id: figureIds.stat('', q.questionId, 'mean'),
          text: format(s.meanNps, { value: decimal(q.mean, locale) }),
        });
      }
      view.note = s.npsExplained;
      break;
    }
    case 'single':
    case 'multi':
      view.hint = q.type === 'multi' ? format(s.multiHint, { n: integer(answered, locale) }) : answeredText;
      view.rows = q.distribution.map((d) => row(d.key, d.label ? pick(d.label, locale) : d.key, d.count));
      break;
  }
  if (q.change !== undefined) {
    view.figures.push({
      id: figureIds.stat('', q.questionId, 'change'),
      text: format(s.change, { value: signed(q.change, locale, q.type === 'likert5' ? 1 : 0) }),
    });
  }
  return view;
}

/** The district table: respondents, then the field indexes (or NPS scores) that are shown. */
function districtTable(locale: Locale, f: RunFigures) {
  const s = resultsMessages(locale);
  const empty = {
    districtsTitle: '',
    districtColumns: [],
    districtHeader: [],
    districtRows: [],
    districtFootnote: '',
  };
  if (f.results !== 'final' || f.districts.length === 0 || f.districtsWithheld) return empty;
  const fieldNames = ideaMessages(locale).fields;
  const metrics: {
    key: string;
    header: string;
    value: (d: RunFigures['districts'][number]) => string | undefined;
  }[] = [];
  for (const field of f.fields) {
    if (field.index === undefined) continue;
    metrics.push({
      key: `f.${field.field}`,
      header: fieldNames[field.field],
      value: (d) =>
        d.fields[field.field] === undefined ? undefined : integer(d.fields[field.field]!, locale),
    });
  }
  for (const q of f.questions) {
    if (q.type !== 'nps' || q.npsScore === undefined) continue;
    metrics.push({
      key: `q.${q.questionId}.nps`,
      header: 'NPS',
      value: (d) => {
        const v = d.questions[q.questionId]?.npsScore;
        return v === undefined ? undefined : signed(v, locale);
      },
    });
  }
  let hidden = false;
  const names = digestMessages(locale).districts;
  const districtRows = f.districts.map((d) => {
    if (d.hidden) hidden = true;
    const cells = [
      { id: figureIds.district('', d.district, 'name'), text: names[d.district] },
      {
        id: figureIds.district('', d.district, 'respondents'),
        text: d.respondents === undefined ? s.hiddenCell : integer(d.respondents, locale),
      },
      ...metrics.map((m) => {
        const v = d.hidden ? undefined : m.value(d);
        if (v === undefined) hidden = true;
        return { id: figureIds.district('', d.district, m.key), text: v ?? s.hiddenCell };
      }),
    ];
    return { cells };
  });
  return {
    districtsTitle: s.districtsTitle,
    districtColumns: [{ width: 3 }, { width: 1 }, ...metrics.map(() => ({ width: 2 }))],
    districtHeader: [
      { text: s.districtColumn },
      { text: s.respondents },
      ...metrics.map((m) => ({ text: m.header })),
    ],
    districtRows,
    districtFootnote: hidden ? format(s.hiddenFootnote, { kMin: f.kMin }) : '',
  };
}

/**
 * The card every member of a closed run's audience gets: participation, the two or three clearest
 * results and the officer's statement. Final figures only (the disclosure module's).
 */
export function renderResultsBack(locale: Locale, figures: RunFigures, statement: string): AdaptiveCard {
  const s = resultsMessages(locale).back;
  const p = figures.participation;
  const participation: { id: string; text: string }[] = [];
  if (p.respondents !== undefined) {
    participation.push({
      id: figureIds.participation('', 'respondents'),
      text: format(plural(s.respondents, p.respondents, locale), { n: integer(p.respondents, locale) }),
    });
  }
  if (p.responseRate !== undefined) {
    participation.push({
      id: figureIds.participation('', 'rate'),
      text: format(s.rate, { rate: percent(p.responseRate, locale) }),
    });
  }
  return expand(resultsBackTemplate, {
    title: format(s.title, { title: pick(figures.title, locale) }),
    intro: s.intro,
    participation,
    highlightsTitle: s.highlightsTitle,
    highlights: highlightsOf(figures).map((h) => ({
      label: s[h.kind],
      question: locale === 'en' ? `“${pick(h.question.text, locale)}”` : `„${pick(h.question.text, locale)}“`,
      id: figureIds.stat('', h.question.questionId, h.kind === 'nps' ? 'nps' : 'mean'),
      figure:
        h.kind === 'nps'
          ? format(s.npsValue, { value: signed(h.question.npsScore!, locale) })
          : format(s.meanOf5, { value: decimal(h.question.mean!, locale) }),
    })),
    statementTitle: s.statementTitle,
    statement,
    privacyNote: format(s.privacyNote, { kMin: figures.kMin }),
  });
}
