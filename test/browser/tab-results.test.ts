// The results view with figures, in Chromium: until the disclosure module feeds the real API
// (TODO(lead)), a fixture data source behind the real routes and bundle shows what the view does
// with closed-run results: every chart has alt text and a data table, suppressed cells say so, and
// axe finds no serious or critical violation in any theme. Screenshots go to build/screenshots/.
import AxeBuilder from '@axe-core/playwright';
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
import { CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, seriousViolations, waitForView } from './support';

const RUN: RunSummaryView = {
  runId: 'kulturwandel-0112-abcd',
  surveyId: 'kulturwandel',
  surveyTitle: { de: 'Kulturwandel', en: 'Culture change' },
  audience: { kind: 'all' },
  startedAt: '2026-11-16T08:00:00.000Z',
  closesAt: '2026-11-30T22:59:59.999Z',
  closedAt: '2026-11-30T22:59:59.999Z',
  open: false,
  participation: { available: false, reason: 'not_implemented' },
};

/** Figures as the disclosure module would hand them over, a suppressed cell among them. */
const RESULTS: RunResultsView = {
  runId: RUN.runId,
  surveyTitle: RUN.surveyTitle,
  respondents: 42,
  fieldIndex: [
    { field: 'digitales-arbeiten', index: 63.5 },
    { field: 'zusammenarbeit-vernetzung', index: 71 },
    { field: 'digitale-kompetenzen', index: null },
  ],
  trend: [
    { runId: 'kulturwandel-0109-aaaa', closesAt: '2026-09-30T21:59:59.999Z', index: 58 },
    { runId: RUN.runId, closesAt: RUN.closesAt, index: 66 },
  ],
  questions: [
    {
      questionId: 'tools',
      text: {
        de: 'Meine digitalen Werkzeuge helfen mir bei der Arbeit.',
        en: 'My digital tools help me at work.',
      },
      type: 'likert5',
      answered: 40,
      score: 3.6,
      suppressed: false,
      distribution: {
        series: ['Anzahl'],
        rows: [
          { label: 'trifft gar nicht zu', values: [3] },
          { label: 'trifft eher nicht zu', values: [5] },
          { label: 'teils, teils', values: [9] },
          { label: 'trifft eher zu', values: [14] },
          { label: 'trifft voll zu', values: [9] },
          { label: 'keine Angabe', values: [null] },
        ],
      },
    },
  ],
  heatmap: {
    districts: ['altona', 'wandsbek', 'harburg'],
    questions: ['tools'],
    cells: [[62], [70], [null]],
  },
};

function fixtureData(): TabDataSource {
  const unused = async (): Promise<never> => {
    throw new Error('not used by this test');
  };
  return {
    listRuns: async () => ({ runs: [RUN] }),
    listSurveyOptions: async () => [],
    startRun: unused,
    closeRun: unused,
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
        expect(seriousViolations(await new AxeBuilder({ page }).analyze())).toEqual([]);
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
