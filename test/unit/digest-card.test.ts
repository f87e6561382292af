// The weekly digest card: it lays out the RunFigures of each run as the disclosure module gives them.
// Valid Adaptive Card 1.5 in both languages, Teams charts only beside text lines that carry the same
// figures (no block-character bars), every figure a TextBlock with an id unique on the card, hidden
// cells as "–", open runs with participation only, user text only in TextRuns, and under 28 KB for
// a week at the card's limits.
import { DIGEST_CARD_BUDGET_BYTES, DIGEST_LIMITS, renderDigest, type DigestView } from '../../cards/digest';
import { integer, shareOf } from '../../cards/format';
import type { RunFigures } from '../../src/privacy/disclosure';
import { surveySchema, type Survey } from '../../src/surveys/definition';
import type { Locale } from '../../src/i18n';
import { MAX_CARD_BYTES, validateCard } from '../support/adaptive-cards';
import { cardText } from '../support/connector';
import { runFigures, TEST_SURVEY, type FigureRow } from '../support/fixtures';
import { DISTRICTS, FIELDS_OF_ACTION, type District } from '../../src/domain/vocabulary';

const t = (de: string, en = de) => ({ de, en });
const LONG =
  'Wie zufrieden sind Sie mit den digitalen Werkzeugen, die Ihnen für Ihre tägliche Arbeit zur Verfügung stehen';

/** Eight questions of every scored kind, three fields of action. */
const BIG_SURVEY: Survey = surveySchema.parse({
  id: 'gross',
  version: 1,
  title: t('Große Umfrage'),
  intro: t('Intro'),
  minutes: 5,
  questions: [
    ...[0, 1, 2, 3, 4].map((i) => ({
      id: `l${i}`,
      type: 'likert5',
      field: FIELDS_OF_ACTION[i % 3],
      text: t(`${LONG} (${i})?`),
      labels: { low: t('gar nicht'), high: t('voll') },
      allowNoAnswer: true,
    })),
    { id: 'nps', type: 'nps', field: 'nutzerorientierung', text: t(`${LONG} – NPS?`) },
    {
      id: 'single',
      type: 'single',
      field: 'ressourcen',
      text: t(`${LONG} – Auswahl?`),
      choices: Array.from({ length: 12 }, (_, i) => ({
        id: `c${i}`,
        label: t(`Eine recht lange Option Nummer ${i}`),
      })),
    },
    {
      id: 'multi',
      type: 'multi',
      field: 'ressourcen',
      text: t(`${LONG} – Mehrfach?`),
      choices: Array.from({ length: 8 }, (_, i) => ({ id: `m${i}`, label: t(`Format ${i}`) })),
    },
  ],
});

/** A run of BIG_SURVEY in every district, one of them too small (so hidden cells and a complement). */
function bigRun(index: number, open: boolean, previous?: RunFigures): RunFigures {
  const rows: FigureRow[] = [];
  let n = 0;
  DISTRICTS.forEach((district, d) => {
    const size = d === 3 ? 2 : 6 + d * 3;
    for (let i = 0; i < size; i++, n++) {
      rows.push({
        district,
        answers: {
          l0: n % 6,
          l1: ((n + d) % 5) + 1,
          // The previous run (index 0) answered 2 throughout here: the later runs moved up.
          l2: index === 0 ? 2 : ((n * 3) % 5) + 1,
          l3: (d % 5) + 1,
          l4: ((n + index) % 5) + 1,
          nps: (n + d) % 11,
          single: `c${n % 12}`,
          multi: [`m${n % 8}`, `m${(n + 3) % 8}`],
        },
      });
    }
  });
  return runFigures(BIG_SURVEY, rows, {
    runId: `gross-2611-${index}`,
    title: t(`${'Pulsbefragung Digitalisierung Bezirksämter '.repeat(2)}${index} **fett** [x](y)`),
    open,
    audience: 400,
    delivered: 400,
    previous,
  });
}

/** A week at the card's limits: more runs than it lists, long titles, and more ideas than fit. */
function bigView(): DigestView {
  const previous = bigRun(0, false);
  return {
    weekLabel: 'KW 48 · 23.–29.11.2026',
    runs: [
      ...Array.from({ length: DIGEST_LIMITS.runs - 1 }, (_, i) => bigRun(i + 1, false, previous)),
      bigRun(DIGEST_LIMITS.runs, true),
      bigRun(DIGEST_LIMITS.runs + 1, false, previous),
    ],
    ideas: {
      newByField: [
        { field: 'nutzerorientierung', count: 3 },
        { field: 'ressourcen', count: 1 },
        { field: 'sonstiges', count: 0 },
      ],
      topSupported: Array.from({ length: 7 }, (_, i) => ({
        title: `Idee ${i}: **Terminvergabe** <b>online</b> [Link](https://example.org) ${'x'.repeat(150)}`,
        supportCount: 20 - i,
        status: 'in_review' as const,
      })),
      statusChanges: Array.from({ length: 7 }, (_, i) => ({
        title: `_Status_ ${i}`,
        from: i === 0 ? undefined : ('submitted' as const),
        to: 'accepted' as const,
      })),
    },
  };
}

/** altona 17, wandsbek 6, harburg 1: harburg hidden, wandsbek as its complement. */
function smallRows(): FigureRow[] {
  const districts: District[] = ['altona', 'altona', 'wandsbek', 'harburg'];
  return Array.from({ length: 24 }, (_, i) => ({
    district: districts[i % 4 === 3 && i > 4 ? 0 : i % 4],
    answers: { tools: i % 6, mode: 'mobile', formats: ['chat'], recommend: i % 11, comment: `Freitext ${i}` },
  }));
}

function smallView(): DigestView {
  const closed = runFigures(TEST_SURVEY, smallRows(), {
    runId: 'testumfrage-1',
    title: t('Testumfrage'),
    delivered: 30,
  });
  const open = runFigures(TEST_SURVEY, smallRows(), {
    runId: 'testumfrage-2',
    title: t('Offene Umfrage'),
    open: true,
    delivered: 30,
  });
  return {
    weekLabel: 'KW 48 · 23.–29.11.2026',
    runs: [closed, open],
    ideas: {
      newByField: [],
      topSupported: [{ title: 'Digitale Terminvergabe **jetzt**', supportCount: 1, status: 'submitted' }],
      statusChanges: [],
    },
  };
}

const CHART = /^Chart\.(VerticalBar|HorizontalBar)$/;

interface Element {
  type?: string;
  id?: string;
  text?: string;
  [key: string]: unknown;
}

/** Every element of a card, depth first. */
function elements(node: unknown, out: Element[] = []): Element[] {
  if (Array.isArray(node)) node.forEach((n) => elements(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Element;
    if (typeof o.type === 'string') out.push(o);
    Object.values(o).forEach((v) => elements(v, out));
  }
  return out;
}

/** The figure TextBlocks of a card, by id. */
function figureMap(card: unknown): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of elements(card)) if (e.type === 'TextBlock' && e.id) map.set(e.id, e.text ?? '');
  return map;
}

function figure(card: unknown, id: string): string {
  const text = figureMap(card).get(id);
  if (text === undefined) throw new Error(`no figure ${id} on the card`);
  return text;
}

/** The card as a client without chart support renders it: every chart dropped (its fallback). */
function withoutCharts(node: unknown): unknown {
  if (Array.isArray(node))
    return node
      .filter((n) => !(n && typeof n === 'object' && CHART.test(String((n as Element).type))))
      .map(withoutCharts);
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withoutCharts(v)]));
  }
  return node;
}

/**
 * validateCard, accepting the one thing the adaptivecards library cannot know: Teams' chart types.
 * It reports each as "Unknown element type … Fallback will be used if present."; so every chart must
 * carry a fallback, and the card with charts dropped must validate cleanly.
 */
function validateDigest(card: unknown): string[] {
  const problems = validateCard(card).filter(
    (p) =>
      !/^parse: Unknown element type "Chart\.(VerticalBar|HorizontalBar)"\. Fallback will be used if present\.$/.test(
        p,
      ),
  );
  for (const el of elements(card)) {
    if (CHART.test(el.type!) && !el.fallback) problems.push(`${el.type} without fallback`);
  }
  problems.push(...validateCard(withoutCharts(card)).map((p) => `without charts: ${p}`));
  return problems;
}

const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');

/** The ids of a card's elements, repeated ones included. */
const idsOf = (card: unknown) =>
  elements(card)
    .map((e) => e.id)
    .filter((id): id is string => id !== undefined);

describe('renderDigest', () => {
  it.each(['de', 'en'] as const)(
    'when rendered in %s, then it is a valid card whose charts stand beside text lines with the same figures',
    (locale: Locale) => {
      const card = renderDigest(locale, smallView());
      expect(card.version).toBe('1.5');
      expect(validateDigest(card)).toEqual([]);
      expect(JSON.stringify(card)).not.toContain('${');
      const containers = elements(card).filter(
        (e) => e.type === 'Container' && (e.items as Element[] | undefined)?.some((i) => CHART.test(i.type!)),
      );
      expect(containers.length).toBeGreaterThan(0);
      for (const c of containers) {
        const items = c.items as Element[];
        const chart = items.find((i) => CHART.test(i.type!))!;
        const lines = items.filter((i) => i.type === 'TextBlock' && /\.q\.[^.]+\.n\./.test(i.id ?? ''));
        const data = chart.data as { x: string; y: number }[];
        expect(chart.title).toEqual(expect.any(String));
        expect(data.length).toBe(lines.length);
        data.forEach((point, i) => {
          expect(typeof point.y).toBe('number');
          // "label: count (share)": the chart's bar is the share of the line beside it.
          // (A likert bar is labelled by its value; its line names the scale's end as well.)
          expect(lines[i]!.text).toMatch(
            new RegExp(`^${escape(point.x)}( – [^:]+)?: \\d+ \\(${point.y}\\s?%\\)$`),
          );
        });
      }
    },
  );

  it.each(['de', 'en'] as const)(
    'when charts are off in %s, then the card passes validateCard as it is and still carries every share as text',
    (locale: Locale) => {
      const card = renderDigest(locale, smallView(), { charts: false });
      expect(validateCard(card)).toEqual([]);
      expect(elements(card).some((e) => CHART.test(e.type!))).toBe(false);
      expect(figure(card, 'r0.q.mode.n.mobile')).toBe(
        locale === 'de' ? 'mobil: 24 (100\u00a0%)' : 'mobile: 24 (100%)',
      );
      expect(JSON.stringify(card)).not.toMatch(/[█░▓▒]/);
    },
  );

  it.each(['de', 'en'] as const)(
    "when a week at the limits is rendered in %s, then it stays under 28 KB, valid, with every listed run's headline figures",
    (locale: Locale) => {
      const view = bigView();
      const card = renderDigest(locale, view);
      expect(bytes(card)).toBeLessThanOrEqual(DIGEST_CARD_BUDGET_BYTES);
      expect(bytes(card)).toBeLessThan(MAX_CARD_BYTES);
      expect(validateDigest(card)).toEqual([]);
      const listed = view.runs.slice(0, DIGEST_LIMITS.runs);
      listed.forEach((run, i) => {
        expect(figure(card, `r${i}.p.respondents`)).toContain(
          integer(run.participation.respondents!, locale),
        );
      });
      // Runs beyond the limit are left out, not squeezed in.
      expect(figureMap(card).has(`r${DIGEST_LIMITS.runs}.p.respondents`)).toBe(false);
      const text = cardText(card);
      expect(text).toContain(locale === 'de' ? 'Meistunterstützt' : 'Most supported');
      expect(text).toContain(locale === 'de' ? '+2 weitere' : '+2 more');
    },
  );

  it('when choices are drawn as horizontal bars, then without an axis, so that each bar shows its share and no tick label is cut', () => {
    const card = renderDigest('de', smallView());
    const bars = elements(card).filter((e) => e.type === 'Chart.HorizontalBar');
    expect(bars.length).toBeGreaterThan(0);
    for (const b of bars) expect(b.displayMode).toBe('AbsoluteNoAxis');
    for (const v of elements(card).filter((e) => e.type === 'Chart.VerticalBar'))
      expect(v.displayMode).toBeUndefined();
  });

  it('when the figures are read back by id, then each equals what the disclosure module decided', () => {
    for (const locale of ['de', 'en'] as const) {
      const view = smallView();
      const card = renderDigest(locale, view, { charts: false });
      view.runs.forEach((run, r) => {
        const prefix = `r${r}.`;
        if (run.results !== 'final') return;
        for (const q of run.questions) {
          if (q.hidden || q.type === 'text' || q.type === 'nps') continue;
          for (const d of q.distribution) {
            expect(figure(card, `${prefix}q.${q.questionId}.n.${d.key}`)).toContain(
              `: ${integer(d.count, locale)} (${shareOf(d.count, q.answered!, locale)})`,
            );
          }
        }
        for (const d of run.districts) {
          expect(figure(card, `${prefix}d.${d.district}.respondents`)).toBe(
            d.respondents === undefined ? '–' : integer(d.respondents, locale),
          );
        }
      });
    }
  });

  it('when any digest is rendered, then every element id is unique on the card', () => {
    for (const card of [
      renderDigest('de', smallView()),
      renderDigest('en', bigView()),
      renderDigest('de', bigView(), { charts: false }),
      renderDigest('de', { ...smallView(), runs: [...smallView().runs, ...smallView().runs] }),
    ]) {
      const ids = idsOf(card);
      expect(ids.length).toBeGreaterThan(5);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
      for (const e of elements(card)) {
        if (e.type === 'TextBlock' && /\d\s?%/.test(e.text ?? '')) expect(e.id).toBeDefined();
      }
    }
  });

  it('when a district is hidden, then its cells show "–" with both footnotes', () => {
    const card = renderDigest('de', smallView());
    const text = cardText(card);
    expect(figure(card, 'r0.d.harburg.name')).toBe('Harburg');
    expect(figure(card, 'r0.d.harburg.respondents')).toBe('–');
    expect(figure(card, 'r0.d.wandsbek.respondents')).toBe('–');
    expect(figure(card, 'r0.d.altona.respondents')).toBe('17');
    expect(text).toContain('– ausgeblendet (weniger als 5 Antworten)');
    expect(text).toContain(
      '– auch ausgeblendet, wenn sich sonst ein kleiner Bereich aus der Gesamtzahl errechnen ließe',
    );
    // The hidden district's row: its name, then only dashes.
    const row = elements(card).find(
      (e) => e.type === 'ColumnSet' && JSON.stringify(e).includes('"r0.d.harburg.name"'),
    )!;
    const cells = (row.columns as { items: { text: string }[] }[]).map((c) => c.items[0]!.text);
    expect(cells[0]).toBe('Harburg');
    expect(cells.slice(1).every((c) => c === '–')).toBe(true);
  });

  it('when a run is open, then the card gives its participation and the "after close" notice, and no result', () => {
    for (const locale of ['de', 'en'] as const) {
      const card = renderDigest(locale, smallView());
      const text = cardText(card);
      expect(text).toContain('Offene Umfrage');
      expect(text).toContain(
        locale === 'de'
          ? 'Läuft bis 07.12.2026: Ergebnisse nach dem Ende, bis dahin nur die Beteiligung.'
          : 'Open until 07/12/2026: results after it closes, until then participation only.',
      );
      expect(figure(card, 'r1.p.respondents')).toBe(locale === 'de' ? '24 Teilnehmende' : '24 respondents');
      expect(figure(card, 'r1.p.rate')).toBe(
        locale === 'de' ? '80\u00a0% Beteiligung (24 von 30)' : '80% response rate (24 of 30)',
      );
      expect(idsOf(card).filter((id) => id.startsWith('r1.') && !id.startsWith('r1.p.'))).toEqual([]);
    }
  });

  it('when free texts were shown, then the digest points to `ergebnisse` instead of listing them', () => {
    const card = renderDigest('de', smallView());
    expect(figure(card, 'r0.q.comment.texts')).toBe('Freitexte: 24, zu lesen mit „ergebnisse testumfrage-1“');
    expect(JSON.stringify(card)).not.toContain('Freitext 3');
  });

  it('when titles contain markdown, then survey and idea titles appear only as TextRuns', () => {
    const card = renderDigest('de', bigView());
    const json = JSON.stringify(card);
    expect(json).toContain('{"type":"TextRun","text":"Idee 0: **Terminvergabe**');
    expect(json).toMatch(
      /\{"type":"TextRun","text":"Pulsbefragung[^"]*\*\*fett\*\* \[x\]\(y\)","weight":"Bolder"/,
    );
    for (const el of elements(card)) {
      if (el.type === 'TextRun') continue;
      for (const key of ['text', 'title', 'value']) {
        const v = el[key];
        if (typeof v === 'string') {
          expect(v).not.toContain('Terminvergabe');
          expect(v).not.toContain('**fett**');
          expect(v).not.toContain('_Status_');
        }
      }
      if (el.type === 'FactSet') {
        for (const f of el.facts as { title: string; value: string }[])
          expect(f.title + f.value).not.toContain('**');
      }
    }
  });

  it('when there are more ideas than fit, then the lists are capped and long titles cut', () => {
    const card = renderDigest('en', bigView());
    const json = JSON.stringify(card);
    expect(json).toContain('Idee 4');
    expect(json).not.toContain('Idee 5');
    expect(json).toContain('_Status_ 4');
    expect(json).not.toContain('_Status_ 5');
    expect(cardText(card)).toContain('+2 more');
    expect(json).toContain('…');
  });

  it('when the week had no runs and no ideas, then the card says so and stays valid', () => {
    const card = renderDigest('en', {
      weekLabel: 'CW 1',
      runs: [],
      ideas: { newByField: [], topSupported: [], statusChanges: [] },
    });
    expect(validateCard(card)).toEqual([]);
    expect(cardText(card)).toContain('No survey ran this week.');
  });

  it('when a mean moved since the previous run, then the change is a figure of its own with an arrow and a sign', () => {
    for (const locale of ['de', 'en'] as const) {
      const card = renderDigest(locale, bigView(), { charts: false });
      const changes = [...figureMap(card)].filter(([id]) => /^r\d\.q\.l\d\.change$/.test(id));
      expect(changes.length).toBeGreaterThan(0);
      const digit = locale === 'de' ? ',' : '.';
      for (const [, text] of changes)
        expect(text).toMatch(new RegExp(`^[▲▼►] (?:[+−]\\d\\${digit}\\d|0\\${digit}0)$`));
      expect(figure(card, 'r0.q.l0.mean')).toMatch(locale === 'de' ? /^Ø \d,\d$/ : /^Mean \d\.\d$/);
      expect(cardText(card)).toContain(
        locale === 'de'
          ? 'Pfeile: Veränderung seit der letzten beendeten Umfrage'
          : 'Arrows: change since the last closed survey',
      );
    }
    // The arrow is never the only carrier: the signed number stands beside it.
    const card = renderDigest('de', bigView(), { charts: false });
    const moved = bigView().runs[0]!.questions.find((q) => q.questionId === 'l2')!.change!;
    expect(Math.abs(moved)).toBeGreaterThan(0.05);
    expect(figure(card, 'r0.q.l2.change')).toBe(
      `${moved > 0 ? '▲' : '▼'} ${moved > 0 ? '+' : '−'}${Math.abs(moved).toFixed(1).replace('.', ',')}`,
    );
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
