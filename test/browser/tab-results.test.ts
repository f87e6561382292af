// The results view with figures, in Chromium: until the disclosure module feeds the real API
// (TODO(lead)), a fixture data source behind the real routes and bundle shows what the view does
// with closed-run results: every chart has alt text and a data table, suppressed cells say so, and
// axe finds no serious or critical violation in any theme. Screenshots go to build/screenshots/.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import restify from 'restify';
import { chromium, type Browser } from 'playwright-core';
import { mountTab } from '../../bot/tab';
import { createLogger } from '../../src/logger';
import { LOCAL_OFFICER } from '../../src/tab/auth';
import { TabBundle } from '../../src/tab/bundle';
import type { TabDataSource } from '../../src/tab/data-source';
import type { RunResultsView, RunSummaryView } from '../../src/tab/view-types';
import { axeAnalyze, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, seriousViolations, waitForView } from './support';

const RUN: RunSummaryView = {
  runId: 'kulturwandel-0112-abcd',
  surveyId: 'kulturwandel',
  surveyTitle: { de: 'Kulturwandel', en: 'Culture change' },
  audience: { kind: 'all' },
  startedAt: '2026-11-16T08:00:00.000Z',
  closesAt: '2026-11-30T22:59:59.999Z',
  closedAt: '2026-11-30T22:59:59.999Z',
  open: false,
  participation: {
    available: true,
    value: {
      reach: { installed: 60, delivered: 58, audience: undefined },
      overall: { answered: 42, rate: 42 / 58 },
      byDistrict: [],
    },
  },
};

/** Figures as the disclosure module would hand them over, a suppressed cell among them. */
const RESULTS: RunResultsView = {
  runId: RUN.runId,
  surveyId: RUN.surveyId,
  surveyTitle: RUN.surveyTitle,
  closedAt: RUN.closesAt,
  kMin: 5,
  kText: 10,
  participation: { audience: 60, delivered: 58, respondents: 42, rate: 42 / 58 },
  fieldIndex: [
    { field: 'digitales-arbeiten', items: 2, index: 63.5, change: 5.5 },
    { field: 'zusammenarbeit-vernetzung', items: 1, index: 71, change: null },
    { field: 'digitale-kompetenzen', items: 1, index: null, change: null },
  ],
  trend: {
    runs: [
      { runId: 'kulturwandel-0109-aaaa', closesAt: '2026-09-30T21:59:59.999Z', shown: true },
      { runId: RUN.runId, closesAt: RUN.closesAt, shown: true },
    ],
    fields: [
      { field: 'digitales-arbeiten', values: [58, 63.5] },
      { field: 'zusammenarbeit-vernetzung', values: [null, 71] },
    ],
  },
  questions: [
    {
      questionId: 'tools',
      text: {
        de: 'Meine digitalen Werkzeuge helfen mir bei der Arbeit.',
        en: 'My digital tools help me at work.',
      },
      type: 'likert5',
      field: 'digitales-arbeiten',
      hidden: false,
      answered: 42,
      mean: 3.4,
      nps: null,
      change: 0.2,
      distribution: [
        { key: '1', label: { de: '1 – trifft gar nicht zu', en: '1 – not at all' }, count: 3 },
        { key: '2', label: { de: '2', en: '2' }, count: 5 },
        { key: '3', label: { de: '3', en: '3' }, count: 9 },
        { key: '4', label: { de: '4', en: '4' }, count: 14 },
        { key: '5', label: { de: '5 – trifft voll zu', en: '5 – fully' }, count: 9 },
        { key: '0', label: { de: 'keine Angabe', en: 'prefer not to say' }, count: 2 },
      ],
      texts: [],
    },
    {
      questionId: 'skills',
      text: { de: 'Eine selten beantwortete Frage.', en: 'A rarely answered question.' },
      type: 'likert5',
      field: 'digitale-kompetenzen',
      hidden: 'too_few',
      answered: null,
      mean: null,
      nps: null,
      change: null,
      distribution: [],
      texts: [],
    },
  ],
  heatmap: {
    columns: [
      { id: 'f.digitales-arbeiten', kind: 'index', label: { de: 'Digitales Arbeiten', en: 'Digital work' } },
      { id: 'q.tools', kind: 'mean', label: { de: 'Werkzeuge', en: 'Tools' } },
    ],
    rows: [
      { district: 'altona', respondents: 14, hidden: false, cells: [62, 3.5] },
      { district: 'wandsbek', respondents: 20, hidden: false, cells: [70, null] },
      { district: 'harburg', respondents: null, hidden: 'too_few', cells: [null, null] },
    ],
    withheld: false,
  },
  explanations: ['too_few'],
};

function fixtureData(): TabDataSource {
  const unused = async (): Promise<never> => {
    throw new Error('not used by this test');
  };
  return {
    listRuns: async () => ({ runs: [RUN] }),
    listSurveyOptions: async () => [],
    startRun: unused,
    closePreview: unused,
    closeRun: unused,
    exportRun: unused,
    remindRun: unused,
    runResults: async (runId) => (runId === RUN.runId ? { available: true, value: RESULTS } : undefined),
    ideaBoard: unused,
    ideaDetail: unused,
    reviewIdea: unused,
    mergeIdea: unused,
    surveyLibrary: unused,
    getDraft: unused,
    saveDraft: unused,
    deleteDraft: unused,
    publishDraft: unused,
    listSchedules: unused,
    saveSchedule: unused,
    deleteSchedule: unused,
  };
}

describe('results view with figures (fixture data source) in Chromium', () => {
  let server: restify.Server;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    server = restify.createServer({ name: 'puls-tab-fixture' });
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    mountTab(server, {
      data: fixtureData(),
      bundle: new TabBundle(),
      logger: createLogger({
        level: 'silent',
        destination: new Writable({ write: (_c, _e, done) => done() }),
      }),
      authenticate: async () => ({ ok: true, officer: LOCAL_OFFICER }),
      mode: 'local',
      kMin: 5,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  for (const theme of ['default', 'dark', 'contrast'] as const) {
    it(`when a closed run's results are shown in the ${theme} theme, then each chart has alt text and a table, and axe finds nothing serious`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(10000);
      try {
        await page.goto(`${url}/tab/?host=none&theme=${theme}&view=results`);
        await waitForView(page, 'Ergebnisse');
        await page.getByRole('heading', { name: 'Kulturwandel – 42 Antworten' }).waitFor();
        const figures = page.locator('figure');
        expect(await figures.count()).toBe(3);
        for (let i = 0; i < 3; i++) {
          const figure = figures.nth(i);
          expect(await figure.getByRole('img').getAttribute('aria-label')).toMatch(
            /^Balkendiagramm „.+“ mit \d+ Balken/,
          );
          expect(await figure.getByRole('table').count()).toBe(1);
        }
        const index = page.getByRole('table', { name: 'Index je Gestaltungsfeld (0–100)' });
        expect(await index.getByRole('row', { name: /Digitale Kompetenzen/ }).innerText()).toMatch(
          /unterdrückt/,
        );
        expect(await index.getByRole('row', { name: /Digitales Arbeiten/ }).innerText()).toMatch(/63,5/);
        const heat = page.getByRole('table', { name: 'Bereiche' });
        expect(await heat.getByRole('row', { name: /Harburg/ }).innerText()).toMatch(/unterdrückt/);
        expect(seriousViolations(await axeAnalyze(page))).toEqual([]);
        if (theme !== 'contrast') {
          await page.screenshot({
            path: path.join(SCREENSHOTS, `results-with-figures-${theme === 'default' ? 'light' : theme}.png`),
            fullPage: true,
          });
        }
      } finally {
        await context.close();
      }
    }, 90000);
  }
});
