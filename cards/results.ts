// The results card officers get for one run: counts, then per question text bars, mean / NPS, and
// free texts (in TextRuns, so that nothing a respondent wrote is read as markdown). Below K it shows
// the counts and a notice only. Free texts are capped so that the card stays under 28 KB.
import { format, formatDate, pick, type Locale, truncate } from '../src/i18n';
import { plural, resultsMessages, type ResultsMessages } from '../src/i18n/results';
import type { QuestionResult, RunResults } from '../src/surveys/results';
import { expand, type AdaptiveCard } from './index';
import resultsTemplate from './run-results.json';

export interface ResultsCardView {
  runId: string;
  /** The survey's title in the reader's language. */
  title: string;
  results: RunResults;
  /** When the run closes (open) or closed. */
  closesAt: Date;
  open: boolean;
}

/** Teams drops cards over ~28 KB on some clients; this leaves room for the activity around it. */
export const RESULTS_CARD_BUDGET_BYTES = 27 * 1024;
const BAR_WIDTH = 10;
const FIGURE_SPACE = '\u2007';

/** How many free texts (per question) are listed, and how long each may be: tried in this order. */
const TEXT_LIMITS: readonly TextLimit[] = [
  { count: 20, chars: 300 },
  { count: 12, chars: 300 },
  { count: 10, chars: 200 },
  { count: 5, chars: 200 },
  { count: 3, chars: 120 },
  { count: 0, chars: 0 },
];
interface TextLimit {
  count: number;
  chars: number;
}

interface Line {
  text: string;
  fontType: 'Default' | 'Monospace';
  spacing: 'None' | 'Small';
}

interface QuestionView {
  text: string;
  hint: string;
  lines: Line[];
  summary: string;
  texts: { text: string }[];
  note: string;
}

export function renderResults(locale: Locale, view: ResultsCardView): AdaptiveCard {
  let card: AdaptiveCard | undefined;
  for (const limit of TEXT_LIMITS) {
    card = expand(resultsTemplate, cardData(locale, view, limit));
    if (Buffer.byteLength(JSON.stringify(card), 'utf8') <= RESULTS_CARD_BUDGET_BYTES) return card;
  }
  return card!;
}

function cardData(locale: Locale, view: ResultsCardView, limit: TextLimit) {
  const s = resultsMessages(locale);
  const { results } = view;
  const date = formatDate(view.closesAt, locale);
  return {
    title: view.title,
    subtitle: [s.heading, view.runId, format(view.open ? s.open : s.closed, { date })].join(' · '),
    facts: [
      { title: s.respondents, value: String(results.respondents) },
      { title: s.delivered, value: String(results.delivered) },
      {
        title: s.rate,
        value: results.responseRate === undefined ? '–' : percent(Math.round(results.responseRate * 100), s),
      },
    ],
    suppressedText: results.suppressed
      ? format(results.withheld === 'tooFewNew' ? s.tooFewNew : s.suppressed, { kMin: results.kMin })
      : '',
    questions: results.suppressed
      ? []
      : results.questions.map((q, i) => questionView(q, i, locale, results, limit)),
  };
}

function questionView(
  q: QuestionResult,
  index: number,
  locale: Locale,
  results: RunResults,
  limit: TextLimit,
): QuestionView {
  const s = resultsMessages(locale);
  const v: QuestionView = {
    text: `${index + 1}. ${pick(q.text, locale)}`,
    hint: '',
    lines: [],
    summary: '',
    texts: [],
    note: '',
  };
  const answeredText = format(plural(s.questionAnswered, q.answered), { n: q.answered });

  if (q.type === 'text') {
    if (q.texts.length === 0) {
      v.note = format(plural(s.textsHidden, q.textCount), { n: q.textCount, kText: results.kText });
      return v;
    }
    const shown = q.texts.slice(0, limit.count);
    v.hint = format(plural(s.textsShown, q.textCount), { n: q.textCount });
    v.texts = shown.map((text) => ({ text: truncate(text, limit.chars) }));
    if (q.texts.length > shown.length) v.note = format(s.textsMore, { n: q.texts.length - shown.length });
    return v;
  }

  if (q.suppressed) {
    v.note = format(plural(s.questionSuppressed, q.answered), { n: q.answered, kMin: results.kMin });
    return v;
  }

  switch (q.type) {
    case 'likert5': {
      const scale = format(s.scale, { low: pick(q.labels.low, locale), high: pick(q.labels.high, locale) });
      v.hint = `${answeredText} · ${scale}`;
      v.lines = q.distribution.map((d) => barLine(String(d.value), d.count, q.answered, s));
      if (q.noAnswer > 0) v.lines.push(...labelledBar(s.noAnswer, q.noAnswer, q.answered, s));
      if (q.mean !== undefined) v.summary = format(s.mean, { value: decimal(q.mean, locale) });
      return v;
    }
    case 'nps': {
      const ends = q.labels
        ? ` · 0 = ${pick(q.labels.low, locale)} · 10 = ${pick(q.labels.high, locale)}`
        : '';
      v.hint = answeredText + ends;
      v.lines = q.distribution.map((d) =>
        barLine(String(d.value).padStart(2, FIGURE_SPACE), d.count, q.answered, s),
      );
      const parts: string[] = [];
      if (q.npsScore !== undefined) parts.push(format(s.nps, { value: signed(q.npsScore, locale) }));
      if (q.mean !== undefined) parts.push(format(s.mean, { value: decimal(q.mean, locale) }));
      v.summary = parts.join(' · ');
      v.note = s.npsExplained;
      return v;
    }
    case 'single':
    case 'multi':
      v.hint = q.type === 'multi' ? format(s.multiHint, { n: q.answered }) : answeredText;
      v.lines = q.distribution.flatMap((d) => labelledBar(pick(d.label, locale), d.count, q.answered, s));
      return v;
  }
}

/** "█████░░░░░ 50 % (4)": a bar of ten cells, the rounded share, and the count. */
function bar(count: number, base: number, s: ResultsMessages): string {
  const share = base > 0 ? count / base : 0;
  const filled = Math.round(share * BAR_WIDTH);
  const pct = String(Math.round(share * 100)).padStart(3, FIGURE_SPACE);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${percent(pct, s)} (${count})`;
}

function barLine(prefix: string, count: number, base: number, s: ResultsMessages): Line {
  return { text: `${prefix} ${bar(count, base, s)}`, fontType: 'Monospace', spacing: 'None' };
}

/** An option's label on its own line (it may be long), the bar below it. */
function labelledBar(label: string, count: number, base: number, s: ResultsMessages): Line[] {
  return [
    { text: label, fontType: 'Default', spacing: 'Small' },
    { text: bar(count, base, s), fontType: 'Monospace', spacing: 'None' },
  ];
}

function percent(n: number | string, s: ResultsMessages): string {
  return format(s.percent, { n });
}

/** One decimal in the reader's convention: 3,8 (de) / 3.8 (en). */
function decimal(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'de-DE', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(n);
}

/** +12, 0, -12. */
function signed(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'de-DE', { signDisplay: 'exceptZero' }).format(n);
}
