// The weekly digest card for the officers' channel: participation per run, and for closed runs the
// final figures — per question the distribution (a Teams chart where the client has one, always as
// text lines beside it), mean / NPS with the change since the last run, field-of-action indexes, a
// district table — and the week's ideas. Every figure comes from the disclosure module (RunFigures),
// as on every surface; this file only lays it out. User text sits in TextRuns, never in markdown.
// Kept under 28 KB by degrading detail step by step (charts → distributions → fewer questions).
import { format, formatDate, pick, type Locale, truncate } from '../src/i18n';
import type { QuestionFigures, RunFigures } from '../src/privacy/disclosure';
import { decimal, figureIds, integer, NPS_GROUPS, percent, shareOf, signed } from './format';
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
  /** Teams charts beside the text lines, or the text lines only. */
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
   * Teams charts (Chart.VerticalBar / Chart.HorizontalBar, dropped by clients without them; the text
   * lines beside them carry the same figures). Default true. The adaptivecards library used to
   * validate cards does not know these types: it reports "Unknown element type …" for each of them.
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
    card = barsWithoutAxis(expand(digestTemplate, cardData(locale, digest, level)));
    if (Buffer.byteLength(JSON.stringify(card), 'utf8') <= DIGEST_CARD_BUDGET_BYTES) return card;
  }
  return card!;
}

/**
 * Horizontal bars (choice questions) are drawn without an axis: each bar then shows its share, and
 * no tick label can be cut (the Agents Playground cut the ticks of a 446 px chart to "6.…", "13…").
 * Teams' Chart.HorizontalBar shows bar values only in this mode.
 */
function barsWithoutAxis(card: AdaptiveCard): AdaptiveCard {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Chart.HorizontalBar') o.displayMode = 'AbsoluteNoAxis';
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return card;
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
      value: ` · ${
        r.participation.withheld
          ? format(s.smallAudience, { k: r.kMin })
          : participationLines(r, '', locale, s)
              .map((p) => p.text)
              .join(' · ')
      }`,
    })),
    runs: explainFieldsOnce(
      runs.map((r, i) => runView(r, `r${i}.`, locale, s, level)),
      s.fieldsHint,
    ),
    changeHint: anyChange ? s.changeHint : '',
    ideas: ideasView(view.ideas, locale, s),
    privacyNote: format(s.privacyNote, { k: Number.isFinite(kMin) ? kMin : 5 }),
  };
}

/** "Gestaltungsfeld" is explained once: under the first run's field indexes. */
function explainFieldsOnce<T extends { fields: unknown[]; fieldsHint: string }>(
  runs: T[],
  hint: string,
): T[] {
  const first = runs.findIndex((r) => r.fields.length > 0);
  return runs.map((r, i) => (i === first ? { ...r, fieldsHint: hint } : r));
}

/** "12 Teilnehmende", "40 % Beteiligung (12 von 30)": what may be shown of participation. */
function participationLines(r: RunFigures, prefix: string, locale: Locale, s: DigestMessages) {
  const p = r.participation;
  const lines: { id: string; text: string }[] = [];
  if (p.respondents === undefined) return lines;
  lines.push({
    id: figureIds.participation(prefix, 'respondents'),
    text: format(plural(s.respondents, p.respondents, locale), { n: integer(p.respondents, locale) }),
  });
  if (p.responseRate !== undefined) {
    lines.push({
      id: figureIds.participation(prefix, 'rate'),
      text: format(s.rate, {
        rate: percent(p.responseRate, locale),
        respondents: integer(p.respondents, locale),
        delivered: integer(p.delivered, locale),
      }),
    });
  }
  return lines;
}

function runView(r: RunFigures, prefix: string, locale: Locale, s: DigestMessages, level: Level) {
  const k = r.kMin;
  const final = r.results === 'final';
  const notice =
    r.results === 'openRun'
      ? format(s.openRun, { date: formatDate(r.closesAt, locale) })
      : r.results === 'tooFewRespondents'
        ? format(s.tooFewRespondents, { k })
        : r.results === 'smallAudience'
          ? format(s.smallAudience, { k })
          : '';
  const shownQuestions = r.questions.slice(0, level.questionsPerRun);
  const hiddenQuestionCount = r.questions.length - shownQuestions.length;
  const table = level.districts ? districtTable(r, prefix, locale, s) : undefined;
  const footnotes: string[] = [];
  if (table?.hasHidden) footnotes.push(format(s.hiddenFootnote, { k }));
  if (table?.hasComplementary) footnotes.push(s.complementaryFootnote);
  const fieldNames = ideaMessages(locale).fields;
  return {
    title: truncate(pick(r.title, locale), DIGEST_LIMITS.titleChars),
    status: `${r.open ? s.open : s.closed} · ${formatDate(r.closesAt, locale)}`,
    participation: participationLines(r, prefix, locale, s),
    notice,
    questions: shownQuestions.map((q, i) => questionView(q, i, r, prefix, locale, s, level)),
    more:
      hiddenQuestionCount > 0 && final
        ? format(plural(s.moreQuestions, hiddenQuestionCount, locale), {
            n: hiddenQuestionCount,
            runId: r.runId,
          })
        : '',
    fieldsTitle: s.fieldsTitle,
    fieldsHint: '',
    fields: final
      ? r.fields.map((f) => ({
          id: figureIds.field(prefix, f.field),
          text: `${fieldNames[f.field]}: ${
            f.index === undefined
              ? s.hiddenCell
              : `${integer(f.index, locale)}${trend(f.change, 0, locale, s)}`
          }`,
        }))
      : [],
    districtsTitle: final && level.districts ? s.districtsTitle : '',
    districtsNote:
      final && level.districts && (r.districtsWithheld || r.districts.length === 0) ? s.districtsNone : '',
    tableHeader: table ? [table.header] : [],
    tableRows: table?.rows ?? [],
    footnotes,
  };
}

function questionView(
  q: QuestionFigures,
  index: number,
  r: RunFigures,
  prefix: string,
  locale: Locale,
  s: DigestMessages,
  level: Level,
) {
  const text = `${index + 1}. ${truncate(pick(q.text, locale), DIGEST_LIMITS.questionChars)}`;
  const view = {
    text,
    chart: false,
    chartType: 'Chart.VerticalBar',
    chartTitle: '',
    chartAlt: '',
    bars: [] as { x: string; y: number }[],
    lines: [] as { id: string; text: string }[],
    figures: [] as { id: string; text: string }[],
    note: '',
  };
  if (q.hidden) {
    view.note =
      q.hidden === 'tooFewTexts'
        ? format(s.textsHidden, { k: r.kText })
        : format(s.questionHidden, { k: r.kMin });
    return view;
  }
  const answered = q.answered ?? 0;
  const answers = {
    id: figureIds.stat(prefix, q.questionId, 'answered'),
    text: format(plural(s.answers, answered, locale), { n: integer(answered, locale) }),
  };
  let bars: { key: string; label: string; count: number }[] = [];
  switch (q.type) {
    case 'likert5': {
      const ends = q.scale && { '1': pick(q.scale.low, locale), '5': pick(q.scale.high, locale) };
      bars = q.distribution.map((d) => {
        const end = ends?.[d.key as '1' | '5'];
        return {
          key: d.key,
          label: end ? `${d.key} – ${end}` : d.key,
          count: d.count,
        };
      });
      if (q.noAnswer) bars.push({ key: '0', label: s.noAnswer, count: q.noAnswer });
      if (q.mean !== undefined) {
        view.figures.push({
          id: figureIds.stat(prefix, q.questionId, 'mean'),
          text: format(s.mean, { value: decimal(q.mean, locale) }),
        });
      }
      break;
    }
    case 'nps': {
      bars = NPS_GROUPS.map((g) => ({
        key: g.key,
        label: s.npsGroups[g.name],
        count: q.distribution
          .filter((d) => Number(d.key) >= g.from && Number(d.key) <= g.to)
          .reduce((a, d) => a + d.count, 0),
      }));
      if (q.npsScore !== undefined) {
        view.figures.push({
          id: figureIds.stat(prefix, q.questionId, 'nps'),
          text: format(s.nps, { value: signed(q.npsScore, locale) }),
        });
      }
      break;
    }
    case 'single':
    case 'multi': {
      view.chartType = 'Chart.HorizontalBar';
      const shown = q.distribution.slice(0, DIGEST_LIMITS.optionsPerQuestion);
      bars = shown.map((d) => ({
        key: d.key,
        label: d.label ? pick(d.label, locale) : d.key,
        count: d.count,
      }));
      if (q.distribution.length > shown.length)
        view.note = format(plural(s.moreOptions, q.distribution.length - shown.length, locale), {
          n: q.distribution.length - shown.length,
        });
      break;
    }
    case 'text':
      view.figures.push({
        id: figureIds.stat(prefix, q.questionId, 'texts'),
        text: format(s.textsWhere, { n: integer(answered, locale), runId: r.runId }),
      });
      return view;
  }
  if (q.change !== undefined) {
    view.figures.push({
      id: figureIds.stat(prefix, q.questionId, 'change'),
      text: trend(q.change, q.type === 'likert5' ? 1 : 0, locale, s).trim(),
    });
  }
  view.figures.push(answers);
  if (!level.distributions || bars.length === 0) return view;
  view.chart = level.charts;
  // The bars are shares: the title says so; the alt text reads out every bar as the lines beside do.
  view.chartTitle = `${text} (%)`;
  // Likert axes show the values only; the lines beside the chart name the scale's ends. Axis labels
  // are cut to fit; the lines beside and the alt text carry every label in full.
  view.bars = bars.map((b) => ({
    x:
      q.type === 'likert5'
        ? b.key === '0'
          ? s.noAnswer
          : b.key
        : truncate(b.label, DIGEST_LIMITS.optionChars),
    y: answered > 0 ? Math.round((100 * b.count) / answered) : 0,
  }));
  view.lines = bars.map((b) => ({
    id: figureIds.count(prefix, q.questionId, b.key),
    text: `${b.label}: ${integer(b.count, locale)} (${shareOf(b.count, answered, locale)})`,
  }));
  view.chartAlt = `${text}${/[.?!:]$/.test(text) ? '' : ':'} ${view.lines.map((l) => l.text).join('; ')}`;
  return view;
}

interface TableCell {
  id: string;
  text: string;
  width: string;
}

/** Header + one row per district; metrics are the shown field indexes, else the NPS questions. */
function districtTable(r: RunFigures, prefix: string, locale: Locale, s: DigestMessages) {
  if (r.results !== 'final' || r.districts.length === 0 || r.districtsWithheld) return undefined;
  const metrics: {
    key: string;
    header: string;
    value: (d: RunFigures['districts'][number]) => string | undefined;
  }[] = [];
  for (const f of r.fields) {
    if (f.index === undefined) continue;
    metrics.push({
      key: `f.${f.field}`,
      header: s.fieldsShort[f.field],
      value: (d) => (d.fields[f.field] === undefined ? undefined : integer(d.fields[f.field]!, locale)),
    });
  }
  for (const q of r.questions) {
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
  const shownMetrics = metrics.slice(0, DIGEST_LIMITS.tableMetrics);
  const cell = (id: string, text: string, width: string): TableCell => ({ id, text, width });
  const header = {
    cells: [
      cell('', s.districtColumn, '3'),
      cell('', s.countColumn, '1'),
      ...shownMetrics.map((m) => cell('', m.header, '2')),
    ],
  };
  let hasHidden = false;
  const rows = r.districts.map((d) => {
    const values = shownMetrics.map((m) => (d.hidden ? undefined : m.value(d)));
    if (d.hidden || values.some((v) => v === undefined)) hasHidden = true;
    return {
      cells: [
        cell(figureIds.district(prefix, d.district, 'name'), districtName(d.district, s), '3'),
        cell(
          figureIds.district(prefix, d.district, 'respondents'),
          d.respondents === undefined ? s.hiddenCell : integer(d.respondents, locale),
          '1',
        ),
        ...values.map((v, i) =>
          cell(figureIds.district(prefix, d.district, shownMetrics[i]!.key), v ?? s.hiddenCell, '2'),
        ),
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
      detail: ` · ${format(plural(s.supporters, i.supportCount, locale), { n: i.supportCount })} · ${im.statuses[i.status]}`,
    })),
    changes: changes.map((c) => ({
      title: truncate(c.title, DIGEST_LIMITS.titleChars),
      detail: ` · ${c.from ? `${im.statuses[c.from]} → ` : ''}${im.statuses[c.to]}`,
    })),
    more: moreChanges > 0 ? format(s.moreIdeas, { n: moreChanges }) : '',
  };
}

/** " ▲ +0,3" / " ▼ −5" / " ► ±0": empty without a change. `digits`: 1 for means, 0 for NPS / index. */
function trend(change: number | undefined, digits: number, locale: Locale, s: DigestMessages): string {
  if (change === undefined) return '';
  const rounded = Number(change.toFixed(digits));
  const arrow = rounded > 0 ? s.trend.up : rounded < 0 ? s.trend.down : s.trend.same;
  return ` ${arrow} ${signed(rounded, locale, digits)}`;
}
