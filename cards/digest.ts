// The weekly digest card for the officers' channel: participation per run, per run its questions
// (distribution as a Teams chart with a text-bar fallback, mean / NPS with the change since the last
// closed run), field-of-action indexes, a district table, and the week's ideas. The figures come
// from src/digest (privacy rules applied there); this file only lays them out. User text (survey and
// idea titles, question texts) sits in TextRuns, never in markdown. Kept under 28 KB by degrading
// detail step by step (charts → text bars → summaries only → fewer questions).
import type { QuestionDigest, RunDigest } from '../src/digest/aggregate';
import { format, pick, type Locale, truncate } from '../src/i18n';
import { digestMessages, type DigestMessages } from '../src/i18n/digest';
import { ideaMessages } from '../src/i18n/ideas';
import { plural } from '../src/i18n/results';
import digestTemplate from './weekly-digest.json';
import type { DigestViewData } from '../src/digest/digest-service';
import { expand, type AdaptiveCard } from './index';
import type { District } from '../src/domain/vocabulary';

/** What the digest card shows: built by DigestService. */
export type DigestView = DigestViewData;

/** Teams drops cards over ~28 KB on some clients; this leaves room for the activity around it. */
export const DIGEST_CARD_BUDGET_BYTES = 27 * 1024;

/** Hard caps, whatever the budget: a digest is read on a phone. */
export const DIGEST_LIMITS = {
  runs: 5,
  questionsPerRun: 8,
  optionsPerQuestion: 6,
  tableMetrics: 3,
  topIdeas: 5,
  statusChanges: 5,
  titleChars: 120,
  questionChars: 160,
  optionChars: 30,
};

interface Level {
  /** Teams charts (with text-bar fallback) or text bars only. */
  charts: boolean;
  /** Distributions at all, or the summary line only. */
  distributions: boolean;
  questionsPerRun: number;
  /** The district table. */
  districts: boolean;
}

/** Tried in order until the card fits the budget. */
const LEVELS: readonly Level[] = [
  { charts: true, distributions: true, questionsPerRun: DIGEST_LIMITS.questionsPerRun, districts: true },
  { charts: false, distributions: true, questionsPerRun: DIGEST_LIMITS.questionsPerRun, districts: true },
  { charts: false, distributions: false, questionsPerRun: DIGEST_LIMITS.questionsPerRun, districts: true },
  { charts: false, distributions: false, questionsPerRun: 4, districts: true },
  { charts: false, distributions: false, questionsPerRun: 4, districts: false },
  { charts: false, distributions: false, questionsPerRun: 0, districts: false },
];

export interface DigestCardOptions {
  /**
   * Teams charts (Chart.VerticalBar / Chart.HorizontalBar, with a text-bar fallback). Default true.
   * The adaptivecards library used to validate cards does not know these types: it reports
   * "Unknown element type … Fallback will be used if present." for each of them.
   */
  charts?: boolean;
}

export function renderDigest(
  locale: Locale,
  digest: DigestView,
  options: DigestCardOptions = {},
): AdaptiveCard {
  let card: AdaptiveCard | undefined;
  for (const level of LEVELS) {
    if (level.charts && options.charts === false) continue;
    card = expand(digestTemplate, cardData(locale, digest, level));
    if (Buffer.byteLength(JSON.stringify(card), 'utf8') <= DIGEST_CARD_BUDGET_BYTES) return card;
  }
  return card!;
}

function cardData(locale: Locale, view: DigestView, level: Level) {
  const s = digestMessages(locale);
  const runs = view.runs.slice(0, DIGEST_LIMITS.runs);
  const kMin = Math.min(...view.runs.map((r) => r.kMin), Infinity);
  const anyChange = runs.some(
    (r) => r.questions.some((q) => q.change !== undefined) || r.fields.some((f) => f.change !== undefined),
  );
  return {
    headline: s.headline,
    weekLabel: view.weekLabel,
    participationTitle: s.participation,
    noRunsText: runs.length === 0 ? s.noRuns : '',
    participation: runs.map((r) => ({
      title: truncate(pick(r.title, locale), DIGEST_LIMITS.titleChars),
      value: ` · ${participation(r, locale, s)}`,
    })),
    runs: runs.map((r) => runView(r, locale, s, level)),
    changeHint: anyChange ? s.changeHint : '',
    ideas: ideasView(view.ideas, locale, s),
    privacyNote: format(s.privacyNote, { k: Number.isFinite(kMin) ? kMin : 5 }),
  };
}

function participation(r: RunDigest, locale: Locale, s: DigestMessages): string {
  const parts = [format(plural(s.respondents, r.respondents), { n: r.respondents })];
  if (r.responseRate !== undefined) {
    parts.push(
      format(s.rate, {
        rate: format(s.percent, { n: Math.round(r.responseRate * 100) }),
        answered: integer(r.answered, locale),
        delivered: integer(r.delivered, locale),
      }),
    );
  }
  return parts.join(' · ');
}

function runView(r: RunDigest, locale: Locale, s: DigestMessages, level: Level) {
  const k = r.kMin;
  const notice =
    r.withheld === 'tooFewRespondents'
      ? format(s.tooFewRespondents, { k })
      : r.withheld === 'tooFewNew'
        ? format(s.tooFewNew, { k })
        : '';
  const shownQuestions = r.questions.slice(0, level.questionsPerRun);
  const hiddenQuestionCount = r.questions.length - shownQuestions.length;
  const table = level.districts ? districtTable(r, locale, s) : undefined;
  const footnotes: string[] = [];
  if (table?.hasHidden) footnotes.push(format(s.hiddenFootnote, { k }));
  if (table?.hasComplementary) footnotes.push(s.complementaryFootnote);
  const fieldNames = ideaMessages(locale).fields;
  return {
    title: truncate(pick(r.title, locale), DIGEST_LIMITS.titleChars),
    status: [r.open ? s.open : s.closed, participation(r, locale, s)].join(' · '),
    notice,
    questions: shownQuestions.map((q, i) => questionView(q, i, r, locale, s, level)),
    more:
      hiddenQuestionCount > 0 && r.published
        ? format(s.moreQuestions, { n: hiddenQuestionCount, runId: r.runId })
        : '',
    fieldsTitle: s.fieldsTitle,
    fields: r.published
      ? r.fields.map((f) => ({
          title: fieldNames[f.field],
          value:
            f.index === undefined
              ? s.hiddenCell
              : `${integer(f.index, locale)}${trend(f.change, 0, locale, s)}`,
        }))
      : [],
    districtsTitle: r.published ? s.districtsTitle : '',
    districtsNote: !r.published
      ? ''
      : r.districtsWithheld === 'openRun'
        ? s.districtsOpen
        : r.districtsWithheld === 'tooFewRespondents' || r.districts.length === 0
          ? s.districtsNone
          : '',
    tableHeader: table ? [table.header] : [],
    tableRows: table?.rows ?? [],
    footnotes,
  };
}

function questionView(
  q: QuestionDigest,
  index: number,
  r: RunDigest,
  locale: Locale,
  s: DigestMessages,
  level: Level,
) {
  const text = `${index + 1}. ${truncate(pick(q.text, locale), DIGEST_LIMITS.questionChars)}`;
  const view = {
    text,
    chart: false,
    chartType: 'Chart.VerticalBar',
    bars: [] as { x: string; y: number }[],
    lines: [] as string[],
    summary: '',
  };
  const answers = format(plural(s.respondents, q.count), { n: q.count });
  if (q.hidden) {
    view.summary =
      q.hidden === 'tooFewNew'
        ? s.questionTooFewNew
        : q.hidden === 'tooFewTexts'
          ? format(s.textsHidden, { k: r.kText })
          : format(s.questionHidden, { k: r.kMin });
    return view;
  }
  let bars: { label: string; count: number }[] = [];
  let extra = '';
  switch (q.type) {
    case 'likert5': {
      bars = q.distribution.map((d) => ({ label: d.key, count: d.count }));
      const parts = [
        q.mean === undefined
          ? format(s.meanHidden, { k: r.kMin })
          : `${format(s.mean, { value: decimal(q.mean, locale) })}${trend(q.change, 1, locale, s)}`,
        answers,
      ];
      if (q.noAnswer) parts.push(`${s.noAnswer} ${q.noAnswer}`);
      view.summary = parts.join(' · ');
      break;
    }
    case 'nps': {
      const c = (from: number, to: number) =>
        q.distribution
          .filter((d) => Number(d.key) >= from && Number(d.key) <= to)
          .reduce((a, d) => a + d.count, 0);
      bars = [
        { label: s.npsGroups.detractors, count: c(0, 6) },
        { label: s.npsGroups.passives, count: c(7, 8) },
        { label: s.npsGroups.promoters, count: c(9, 10) },
      ];
      const score = q.npsScore === undefined ? s.hiddenCell : signed(q.npsScore, locale);
      view.summary = [`${format(s.nps, { value: score })}${trend(q.change, 0, locale, s)}`, answers].join(
        ' · ',
      );
      break;
    }
    case 'single':
    case 'multi': {
      view.chartType = 'Chart.HorizontalBar';
      const shown = q.distribution.slice(0, DIGEST_LIMITS.optionsPerQuestion);
      bars = shown.map((d) => ({
        label: truncate(d.label ? pick(d.label, locale) : d.key, DIGEST_LIMITS.optionChars),
        count: d.count,
      }));
      if (q.distribution.length > shown.length) {
        extra = format(s.moreOptions, { n: q.distribution.length - shown.length });
      }
      view.summary = [answers, extra].filter((x) => x !== '').join(' · ');
      break;
    }
    case 'text':
      view.summary = format(plural(s.texts, q.textCount ?? q.count), { n: q.textCount ?? q.count });
      return view;
  }
  if (!level.distributions || bars.length === 0) return view;
  const base = q.count;
  const pct = (n: number) => (base > 0 ? Math.round((100 * n) / base) : 0);
  view.chart = level.charts;
  view.bars = bars.map((b) => ({ x: b.label, y: pct(b.count) }));
  const labelWidth =
    q.type === 'single' || q.type === 'multi' ? 0 : Math.max(...bars.map((b) => b.label.length));
  view.lines = bars.map((b) => {
    const share = format(s.percent, { n: String(pct(b.count)).padStart(3, FIGURE_SPACE) });
    const bar = textBar(base > 0 ? b.count / base : 0);
    return labelWidth > 0
      ? `${b.label.padEnd(labelWidth, FIGURE_SPACE)} ${bar} ${share}`
      : `${bar} ${share} ${b.label}`;
  });
  return view;
}

interface TableCell {
  text: string;
  width: string;
}

/** Header + one row per district; metrics are the shown field indexes, else the NPS questions. */
function districtTable(r: RunDigest, locale: Locale, s: DigestMessages) {
  if (!r.published || r.districts.length === 0 || r.districtsWithheld) return undefined;
  const metrics: { header: string; value: (d: RunDigest['districts'][number]) => string | undefined }[] = [];
  for (const f of r.fields) {
    if (f.index === undefined) continue;
    metrics.push({
      header: s.fieldsShort[f.field],
      value: (d) => (d.fields[f.field] === undefined ? undefined : integer(d.fields[f.field]!, locale)),
    });
  }
  for (const q of r.questions) {
    if (q.type !== 'nps' || q.npsScore === undefined) continue;
    metrics.push({
      header: 'NPS',
      value: (d) => {
        const v = d.questions[q.questionId]?.npsScore;
        return v === undefined ? undefined : signed(v, locale);
      },
    });
  }
  const shownMetrics = metrics.slice(0, DIGEST_LIMITS.tableMetrics);
  const cell = (text: string, width: string): TableCell => ({ text, width });
  const header = {
    cells: [
      cell(s.districtColumn, '3'),
      cell(s.countColumn, '1'),
      ...shownMetrics.map((m) => cell(m.header, '2')),
    ],
  };
  let hasHidden = false;
  const rows = r.districts.map((d) => {
    const values = shownMetrics.map((m) => (d.hidden ? undefined : m.value(d)));
    if (d.hidden || values.some((v) => v === undefined)) hasHidden = true;
    return {
      cells: [
        cell(districtName(d.district, s), '3'),
        cell(d.respondents === undefined ? s.hiddenCell : integer(d.respondents, locale), '1'),
        ...values.map((v) => cell(v ?? s.hiddenCell, '2')),
      ],
    };
  });
  return { header, rows, hasHidden, hasComplementary: r.districts.some((d) => d.hidden === 'complementary') };
}

function districtName(d: District, s: DigestMessages): string {
  return s.districts[d];
}

function ideasView(ideas: DigestView['ideas'], locale: Locale, s: DigestMessages) {
  const im = ideaMessages(locale);
  const top = ideas.topSupported.slice(0, DIGEST_LIMITS.topIdeas);
  const changes = ideas.statusChanges.slice(0, DIGEST_LIMITS.statusChanges);
  const moreChanges = ideas.statusChanges.length - changes.length;
  return {
    title: s.ideasTitle,
    newTitle: s.newIdeas,
    topTitle: s.topSupported,
    changesTitle: s.statusChanges,
    none: s.noNewIdeas,
    newByField: ideas.newByField
      .filter((n) => n.count > 0)
      .map((n) => ({ title: im.fields[n.field], value: integer(n.count, locale) })),
    top: top.map((i) => ({
      title: truncate(i.title, DIGEST_LIMITS.titleChars),
      detail: ` · ${format(plural(s.supporters, i.supportCount), { n: i.supportCount })} · ${im.statuses[i.status]}`,
    })),
    changes: changes.map((c) => ({
      title: truncate(c.title, DIGEST_LIMITS.titleChars),
      detail: ` · ${c.from ? `${im.statuses[c.from]} → ` : ''}${im.statuses[c.to]}`,
    })),
    more: moreChanges > 0 ? format(s.moreIdeas, { n: moreChanges }) : '',
  };
}

const FIGURE_SPACE = '\u2007';
const BAR_WIDTH = 8;

/** "█████░░░": a share 0…1 as eight cells. */
export function textBar(share: number): string {
  const filled = Math.max(0, Math.min(BAR_WIDTH, Math.round(share * BAR_WIDTH)));
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

/** " ▲ +0,3" / " ▼ −5" / " ► ±0": empty without a change. `digits`: 1 for means, 0 for NPS / index. */
function trend(change: number | undefined, digits: number, locale: Locale, s: DigestMessages): string {
  if (change === undefined) return '';
  const rounded = Number(change.toFixed(digits));
  const arrow = rounded > 0 ? s.trend.up : rounded < 0 ? s.trend.down : s.trend.same;
  const value = new Intl.NumberFormat(numberLocale(locale), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: 'exceptZero',
  }).format(rounded);
  return ` ${arrow} ${value}`;
}

function numberLocale(locale: Locale): string {
  return locale === 'en' ? 'en-GB' : 'de-DE';
}

function decimal(n: number, locale: Locale): string {
  return new Intl.NumberFormat(numberLocale(locale), {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(n);
}

function integer(n: number, locale: Locale): string {
  return new Intl.NumberFormat(numberLocale(locale), { maximumFractionDigits: 0 }).format(n);
}

function signed(n: number, locale: Locale): string {
  return new Intl.NumberFormat(numberLocale(locale), {
    signDisplay: 'exceptZero',
    maximumFractionDigits: 0,
  }).format(n);
}
