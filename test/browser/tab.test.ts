// The officers' tab in a real browser (Debian's Chromium through playwright-core), loaded from the
// bot's own HTTP server started in-process, in local mode (no Teams host: teams-js cannot connect,
// the page runs without it; `?host=none` skips the attempt, `?theme=` forces the theme Teams would
// give). Every view is reached by keyboard alone, axe finds no serious or critical violation on any
// view in the light, dark and high-contrast themes, and screenshots of every view go to
// build/screenshots/ (light and dark) for people to look at.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHarness, type Harness } from '../support/harness';
import {
  activeRole,
  axeAnalyze,
  activeText,
  CHROMIUM,
  CHROMIUM_ARGS,
  focusInPanel,
  pageTimings,
  seriousViolations,
  SCREENSHOTS,
  waitForView,
} from './support';

const VIEWS = ['runs', 'results', 'ideas', 'surveys', 'schedules'] as const;
const HEADINGS_DE: Record<(typeof VIEWS)[number], string> = {
  runs: 'Umfragen',
  results: 'Ergebnisse',
  ideas: 'Ideen',
  surveys: 'Umfragen gestalten',
  schedules: 'Zeitpläne',
};
const THEMES = ['default', 'dark', 'contrast'] as const;

describe('officers tab in Chromium (local mode)', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const metrics: Record<string, number> = {};

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does)`,
      );
    }
    h = await startHarness();
    await seed(h);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60000);

  beforeEach(async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
    page = await context.newPage();
    // Every wait in a step is bounded well under the test's own timeout, so a failure names its step.
    page.setDefaultTimeout(10000);
  });

  afterEach(async () => {
    await page?.context().close();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
    if (Object.keys(metrics).length > 0) {
      writeFileSync(path.join(SCREENSHOTS, 'metrics.json'), JSON.stringify(metrics, null, 2));
    }
  });

  it('when the tab is opened outside Teams, then it loads from the bot and says it runs in local mode', async () => {
    // No ?host=none: teams-js tries to reach a host, gives up within its bound, and the page goes on.
    const started = Date.now();
    await page.goto(`${h.botUrl}/tab/?theme=default`);
    await waitForView(page, 'Umfragen');
    metrics.timeToInteractiveWithTeamsAttemptMs = Date.now() - started;
    expect(await page.getByText('Lokaler Modus – nicht angemeldet').isVisible()).toBe(true);
    expect(await page.locator('h1').innerText()).toBe('Puls – Arbeitsplatz der Digitalisierungsbeauftragten');
  });

  it('when the tab is opened with a cold cache, then it is interactive quickly (figure in metrics.json)', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default`);
    await waitForView(page, 'Umfragen');
    const timings = await pageTimings(page);
    metrics.timeToInteractiveMs = Math.round(timings.now);
    metrics.domContentLoadedMs = Math.round(timings.domContentLoaded);
    metrics.scriptTransferBytes = timings.transfer;
    metrics.scriptDecodedBytes = timings.decoded;
    expect(metrics.scriptDecodedBytes).toBeGreaterThan(0);
    // Served compressed: the transfer is well under the script itself.
    expect(metrics.scriptTransferBytes).toBeLessThan(metrics.scriptDecodedBytes / 2);
    process.stdout.write(`tab metrics: ${JSON.stringify(metrics)}\n`);
  });

  it('when only the keyboard is used, then every view is reached and has its heading and a focusable control', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default`);
    await waitForView(page, HEADINGS_DE.runs);
    // Tab from the top of the page until the selected view tab has focus.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if ((await activeRole(page)) === 'tab') break;
    }
    expect(await activeText(page)).toBe(HEADINGS_DE.runs);
    for (const view of VIEWS.slice(1)) {
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await waitForView(page, HEADINGS_DE[view]);
      expect(new URL(page.url()).searchParams.get('view')).toBe(view);
      expect(await activeText(page)).toBe(HEADINGS_DE[view]);
    }
    // From the tab list, Tab moves into the view: the first control of the last view (Zeitpläne)…
    // and back through every view the same way, checking each has something to operate.
    for (const view of [...VIEWS].reverse()) {
      if (view !== 'schedules') {
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('Enter');
        await waitForView(page, HEADINGS_DE[view]);
      }
      await page.keyboard.press('Tab');
      const inPanel = await focusInPanel(page);
      expect({ view, inPanel }).toEqual({ view, inPanel: true });
      await page.keyboard.press('Shift+Tab');
    }
    // Bounded per step (10 s); the whole walk through five views needs more than jest's default on a
    // busy shared machine.
  }, 120_000);

  it('when an officer opens an idea and reviews it, then the board shows its new status and the history the review', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=ideas`);
    await waitForView(page, HEADINGS_DE.ideas);
    const open = page.getByRole('button', { name: 'Öffnen: Digitale Terminvergabe im Kundenzentrum' });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Verlauf' }).waitFor();
    await dialog.getByLabel('Neuer Status').selectOption('in_review');
    await dialog
      .getByLabel('Rückmeldung an die einreichende Person')
      .fill('Wir prüfen das mit dem Kundenzentrum.');
    await dialog.getByRole('button', { name: 'Speichern' }).focus();
    await page.keyboard.press('Enter');
    await dialog.getByText('Gespeichert.', { exact: false }).waitFor();
    await page.keyboard.press('Escape');
    const column = page.getByRole('region', { name: /in Prüfung/ });
    await column.getByText('Digitale Terminvergabe im Kundenzentrum').waitFor();
    const history = await h.app.ideas.history(
      (await ideaIdByTitle(h, 'Digitale Terminvergabe im Kundenzentrum'))!,
    );
    expect(history.map((e) => [e.to, e.byName, e.feedback])).toEqual([
      ['submitted', '', ''],
      ['in_review', 'Lokale:r Beauftragte:r', 'Wir prüfen das mit dem Kundenzentrum.'],
    ]);
  });

  it('when the language is English, then the tab speaks English', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&lang=en&view=ideas`);
    await waitForView(page, 'Ideas');
    expect(await page.getByText('Local mode – not signed in').isVisible()).toBe(true);
    expect(await page.getByRole('tab', { name: 'Survey authoring' }).isVisible()).toBe(true);
  });

  for (const theme of THEMES) {
    it(`when each view is shown in the ${theme} theme, then axe finds no serious or critical violation`, async () => {
      const found: Record<string, string[]> = {};
      for (const view of VIEWS) {
        await page.goto(`${h.botUrl}/tab/?host=none&theme=${theme}&view=${view}`);
        await waitForView(page, HEADINGS_DE[view]);
        const results = await axeAnalyze(page);
        found[view] = seriousViolations(results);
        if (theme !== 'contrast') {
          await page.screenshot({
            path: path.join(SCREENSHOTS, `${view}-${theme === 'default' ? 'light' : theme}.png`),
            fullPage: true,
          });
        }
      }
      expect(found).toEqual(Object.fromEntries(VIEWS.map((v) => [v, []])));
    }, 180000);
  }
});

async function seed(h: Harness): Promise<void> {
  const officer = 'local-officer';
  // A run needs an audience of at least K (5) people: staff in Altona and Wandsbek.
  for (let i = 0; i < 6; i++) {
    const userId = `staff-${i}`;
    await h.app.repositories.users.saveReference(
      userId,
      { conversation: { id: `c-${i}` } } as never,
      'de-DE',
      new Date(),
    );
    await h.app.repositories.users.saveSettings(userId, {
      language: 'de',
      district: i % 2 ? 'altona' : 'wandsbek',
      reminders: true,
    });
  }
  const open = await h.app.surveys.startRun({ surveyId: 'kulturwandel', closesAt: '2026-12-04' }, officer);
  const closed = await h.app.surveys.startRun(
    { surveyId: 'digitales-arbeiten', closesAt: '2026-11-30', districts: 'altona,wandsbek' },
    officer,
  );
  if (!open.ok || !closed.ok) throw new Error('seeding the runs failed');
  await h.app.surveys.closeRun(closed.run.runId);
  const ideas: [string, string, string][] = [
    ['Digitale Terminvergabe im Kundenzentrum', 'nutzerorientierung', 'false'],
    ['E-Akte für Bauanträge', 'digitales-arbeiten', 'true'],
    ['Lernpfad KI-Grundlagen', 'digitale-kompetenzen', 'false'],
  ];
  for (const [i, [title, field, anonymous]] of ideas.entries()) {
    const result = await h.app.ideas.submit(
      { userId: `29:user-${i}`, name: `Kollegin ${i + 1}` },
      {
        title,
        description: `${title}: eine Beschreibung, die erklärt, was besser würde.`,
        field,
        district: 'altona',
        anonymous,
        confirm: 'true',
      },
    );
    if (result.kind !== 'saved') throw new Error(`seeding idea ${title} failed: ${result.kind}`);
  }
}

async function ideaIdByTitle(h: Harness, title: string): Promise<string | undefined> {
  for await (const idea of h.app.repositories.ideas.list()) if (idea.title === title) return idea.ideaId;
  return undefined;
}
