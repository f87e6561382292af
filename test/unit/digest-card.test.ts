// The weekly digest card: valid Adaptive Card 1.5 in both languages, Teams charts with a text-bar
// fallback, hidden cells as "–", user text only in TextRuns, and under 28 KB for a big week.
import { DIGEST_CARD_BUDGET_BYTES, renderDigest, textBar, type DigestView } from '../../cards/digest';
import { RunAggregator, summariseRun, type RunDigest } from '../../src/digest/aggregate';
import { surveySchema, type Survey } from '../../src/surveys/definition';
import type { Locale } from '../../src/i18n';
import { MAX_CARD_BYTES, validateCard } from '../support/adaptive-cards';
import { cardText } from '../support/connector';
import { TEST_SURVEY } from '../support/fixtures';
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

function bigRun(index: number, open: boolean, previous?: RunDigest): RunDigest {
  const agg = new RunAggregator(BIG_SURVEY);
  let n = 0;
  DISTRICTS.forEach((district, d) => {
    // One district too small, so that hidden cells (and a complement) appear.
    const size = d === 3 ? 2 : 6 + d * 3;
    for (let i = 0; i < size; i++, n++) {
      agg.add({
        district,
        answers: {
          l0: (n % 6) as number,
          l1: ((n + d) % 5) + 1,
          l2: ((n * 3) % 5) + 1,
          l3: (d % 5) + 1,
          l4: ((n + index) % 5) + 1,
          nps: (n + d) % 11,
          single: `c${n % 12}`,
          multi: [`m${n % 8}`, `m${(n + 3) % 8}`],
        },
      });
    }
  });
  return summariseRun(agg, {
    runId: `gross-2611-${index}`,
    title: t(`${'Pulsbefragung Digitalisierung Bezirksämter '.repeat(2)}${index} **fett** [x](y)`),
    open,
    delivered: 400,
    answered: n,
    kMin: 5,
    kText: 10,
    previous,
  });
}

function bigView(): DigestView {
  const previous = bigRun(0, false);
  return {
    weekLabel: 'KW 48 · 23.–29.11.2026',
    runs: [bigRun(1, false, previous), bigRun(2, false, previous), bigRun(3, true, previous)],
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

function smallView(): DigestView {
  const agg = new RunAggregator(TEST_SURVEY);
  const districts: District[] = ['altona', 'altona', 'wandsbek', 'harburg'];
  for (let i = 0; i < 24; i++) {
    agg.add({
      district: districts[i % 4 === 3 && i > 4 ? 0 : i % 4],
      answers: {
        tools: (i % 6) as number,
        mode: 'mobile',
        formats: ['chat'],
        recommend: i % 11,
        comment: 'x',
      },
    });
  }
  const closed = summariseRun(agg, {
    runId: 'testumfrage-1',
    title: t('Testumfrage'),
    open: false,
    delivered: 30,
    answered: 24,
    kMin: 5,
    kText: 10,
  });
  const withheld = summariseRun(agg, {
    runId: 'testumfrage-2',
    title: t('Offene Umfrage'),
    open: true,
    delivered: 30,
    answered: 24,
    kMin: 5,
    kText: 10,
    lastPublishedRespondents: 22,
  });
  return {
    weekLabel: 'KW 48 · 23.–29.11.2026',
    runs: [closed, withheld],
    ideas: {
      newByField: [],
      topSupported: [{ title: 'Digitale Terminvergabe **jetzt**', supportCount: 1, status: 'submitted' }],
      statusChanges: [],
    },
  };
}

const CHART = /^Chart\.(VerticalBar|HorizontalBar)$/;

/** Every element of a card (including fallbacks), depth first. */
function elements(node: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) node.forEach((n) => elements(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string') out.push(o);
    Object.values(o).forEach((v) => elements(v, out));
  }
  return out;
}

/** The card as a client without chart support renders it: every chart replaced by its fallback. */
function withoutCharts(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutCharts);
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && CHART.test(o.type)) return withoutCharts(o.fallback);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, withoutCharts(v)]));
  }
  return node;
}

/**
 * validateCard, accepting the one thing the adaptivecards library cannot know: Teams' chart types.
 * It reports each as "Unknown element type … Fallback will be used if present."; so every chart must
 * carry a fallback, and the card with charts replaced by their fallbacks must validate cleanly.
 */
function validateDigest(card: unknown): string[] {
  const problems = validateCard(card).filter(
    (p) =>
      !/^parse: Unknown element type "Chart\.(VerticalBar|HorizontalBar)"\. Fallback will be used if present\.$/.test(
        p,
      ),
  );
  for (const el of elements(card)) {
    if (CHART.test(el.type as string) && !el.fallback) problems.push(`${el.type as string} without fallback`);
  }
  problems.push(...validateCard(withoutCharts(card)).map((p) => `without charts: ${p}`));
  return problems;
}

const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');

describe('renderDigest', () => {
  it.each(['de', 'en'] as const)(
    'when rendered in %s, then it is a valid card with charts and fallbacks',
    (locale: Locale) => {
      const card = renderDigest(locale, smallView());
      expect(card.version).toBe('1.5');
      expect(validateDigest(card)).toEqual([]);
      const charts = elements(card).filter((e) => CHART.test(e.type as string));
      expect(charts.length).toBeGreaterThan(0);
      for (const chart of charts) {
        const data = chart.data as { x: string; y: number }[];
        expect(data.length).toBeGreaterThan(0);
        for (const point of data) expect(typeof point.y).toBe('number');
        expect(JSON.stringify(chart.fallback)).toMatch(/[█░]/);
      }
      expect(JSON.stringify(card)).not.toContain('${');
    },
  );

  it.each(['de', 'en'] as const)(
    'when charts are off in %s, then the card passes validateCard as it is',
    (locale: Locale) => {
      const card = renderDigest(locale, smallView(), { charts: false });
      expect(validateCard(card)).toEqual([]);
      expect(elements(card).some((e) => CHART.test(e.type as string))).toBe(false);
      expect(cardText(card)).toMatch(/█/);
    },
  );

  it.each(['de', 'en'] as const)(
    'when a big week is rendered in %s, then it stays under 28 KB and valid',
    (locale: Locale) => {
      const view = bigView();
      const card = renderDigest(locale, view);
      expect(bytes(card)).toBeLessThanOrEqual(DIGEST_CARD_BUDGET_BYTES);
      expect(bytes(card)).toBeLessThan(MAX_CARD_BYTES);
      expect(validateDigest(card)).toEqual([]);
      const text = cardText(card);
      // Headline figures of every run, and the ideas section, survive the degradation.
      for (const run of view.runs) expect(text).toContain(String(run.respondents));
      expect(text).toContain(locale === 'de' ? 'Meistunterstützt' : 'Most supported');
      expect(text).toContain('+2');
    },
  );

  it('when a district is hidden, then its cells show "–" with a footnote', () => {
    const card = renderDigest('de', smallView());
    const text = cardText(card);
    const json = JSON.stringify(card);
    expect(json).toContain('"text":"Harburg"');
    expect(text).toContain('– ausgeblendet (weniger als 5 Antworten)');
    // The hidden district's row: name, then only dashes.
    const rows = elements(card).filter((e) => e.type === 'ColumnSet');
    const harburg = rows.find((r) => JSON.stringify(r).includes('"Harburg"'))!;
    const cells = (harburg.columns as { items: { text: string }[] }[]).map((c) => c.items[0]!.text);
    expect(cells[0]).toBe('Harburg');
    expect(cells.slice(1).every((c) => c === '–')).toBe(true);
  });

  it('when a run has too few new answers, then the card says so and shows no figures for it', () => {
    const text = cardText(renderDigest('de', smallView()));
    expect(text).toContain('Noch zu wenige neue Antworten');
    expect(text).toContain('Offene Umfrage');
    expect(text).toContain('24 Antworten');
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

  it('when a mean moved since the previous run, then it has an arrow and the signed change', () => {
    const text = cardText(renderDigest('de', bigView()));
    expect(text).toMatch(/Ø \d,\d [▲▼►] (?:[+-]\d,\d|0,0)/);
    expect(text).toContain('Pfeile: Veränderung seit der letzten beendeten Umfrage');
  });

  it('when a share is drawn as text, then the bar has eight cells', () => {
    expect(textBar(0)).toBe('░░░░░░░░');
    expect(textBar(0.5)).toBe('████░░░░');
    expect(textBar(1)).toBe('████████');
  });
});
