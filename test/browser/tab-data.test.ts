// The officers' tab on real data, in Chromium: the bot started in-process (local mode), staff
// installed and answering through the bot over HTTP as Teams would. The officer starts a run in the
// tab, sees live participation (overall and by district), closes it through the confirmation that
// says how many answers become final, reads the results (the same figures as the API, which
// test/integration/tab-data.test.ts compares with the results card) and downloads the CSV and XLSX.
// Screenshots go to build/screenshots/tab-*.png (docs/screenshots/ holds the ones looked at).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Disclosed, RunListView, RunResultsView } from '../../src/tab/view-types';
import { startHarness, type Harness } from '../support/harness';
import { installPersonal, makeUser, type TeamsUser } from '../support/teams';
import { axeAnalyze, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, seriousViolations, waitForView } from './support';

const STAFF = 18;

describe('officers tab on real data in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const staff: TeamsUser[] = [];
  let runId = '';

  const api = async <T>(p: string): Promise<T> =>
    (await (await fetch(`${h.botUrl}/api/tab/${p}`)).json()) as T;
  const shot = (name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `tab-${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    h = await startHarness();
    for (let i = 0; i < STAFF; i++) {
      const user = makeUser(`Kollegin ${i}`);
      staff.push(user);
      await h.send(installPersonal(user, h.serviceUrl));
      // Altona 6, Wandsbek 6, Harburg 4, Bergedorf 2: the two small ones are hidden, and together
      // (5 of them answer) they are a group of K, so Altona and Wandsbek can be shown.
      const district = i < 6 ? 'altona' : i < 12 ? 'wandsbek' : i < 16 ? 'harburg' : 'bergedorf';
      await h.invoke(user, 'settings.save', { language: 'de', district, reminders: 'true' });
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  beforeEach(async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'de-DE',
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(10000);
  });
  afterEach(async () => {
    await page?.context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('when the officer starts a run in the tab and staff answer through the bot, then the runs view shows live participation overall and by district (groups of at least K only)', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=runs`);
    await waitForView(page, 'Umfragen');
    await page.getByRole('combobox', { name: /^Umfrage/ }).selectOption('kulturwandel');
    await page.getByLabel(/^Endet am/).fill('2026-11-30');
    await page.getByRole('button', { name: 'Starten' }).click();
    await page.getByText('Gestartet: Kulturwandel an 18 Personen.').waitFor();
    await h.app.background.idle();
    const list = await api<RunListView>('runs');
    runId = list.runs[0]!.runId;

    // Everyone but one in Harburg answers.
    for (let i = 0; i < STAFF; i++) {
      if (i === 15) continue;
      await h.invoke(staff[i]!, `survey.answer:${runId}`, {
        q_error_culture: String((i % 5) + 1),
        q_room_to_try: String(((i + 2) % 5) + 1),
        q_info_transparent: String(((i + 1) % 4) + 2),
        q_across_hierarchy: String((i % 3) + 2),
        q_across_districts: i % 4 === 0 ? '0' : String((i % 5) + 1),
        q_involved_early: ['before_decision', 'at_rollout', 'not_at_all'][i % 3],
        q_culture_wish: '',
      });
    }
    await page.reload();
    await waitForView(page, 'Umfragen');
    const row = page.getByRole('row', { name: new RegExp(runId) });
    const text = await row.innerText();
    expect(text).toMatch(/17 von 18 \(94 %\)/);
    expect(text).toMatch(/an 18 mit Puls · 18 zugestellt/);
    // The breakdown by district sits in the row below the run.
    await page
      .getByText(
        'Nach Bereichen (Kulturwandel): Bezirksamt Altona 6 · Bezirksamt Bergedorf verborgen · Bezirksamt Harburg verborgen · Bezirksamt Wandsbek 6',
      )
      .waitFor();
    expect(seriousViolations(await axeAnalyze(page))).toEqual([]);
    await shot('runs-light');
    await page.goto(`${h.botUrl}/tab/?host=none&theme=dark&view=runs`);
    await waitForView(page, 'Umfragen');
    await shot('runs-dark');
  }, 120_000);

  it('when the officer closes the run by keyboard, then the confirmation says how many answers become final', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=runs`);
    await waitForView(page, 'Umfragen');
    await page.getByRole('button', { name: 'Beenden: Kulturwandel' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('17 Antworten werden damit endgültig.').waitFor();
    expect(seriousViolations(await axeAnalyze(page))).toEqual([]);
    await shot('close-confirm-light');
    await dialog.getByRole('button', { name: 'Ja, beenden' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(/Beendet: Kulturwandel\. 17 Antworten sind endgültig/).waitFor();
    // The list reloads after the message: the row turns "beendet" once it has.
    const row = page.getByRole('row', { name: new RegExp(runId) });
    await row.getByText(/beendet/).waitFor();
    expect(await row.innerText()).toMatch(/beendet/);
    expect(await row.innerText()).not.toMatch(/läuft/);
  }, 60_000);

  for (const theme of ['default', 'dark', 'contrast'] as const) {
    it(`when the results of the closed run are shown in the ${theme} theme, then they are the API's figures, the small district is suppressed, and axe finds nothing serious`, async () => {
      const results = await api<Disclosed<RunResultsView>>(`runs/${runId}/results`);
      if (!results.available) throw new Error(`results withheld: ${results.reason}`);
      await page.goto(`${h.botUrl}/tab/?host=none&theme=${theme}&view=results`);
      await waitForView(page, 'Ergebnisse');
      await page.getByRole('heading', { name: 'Kulturwandel – 17 Antworten' }).waitFor();
      const q = results.value.questions.find((x) => x.questionId === 'error_culture')!;
      const mean = q.mean!.toLocaleString('de-DE', { maximumFractionDigits: 1 });
      await page.getByText(`Mittelwert ${mean}`, { exact: false }).first().waitFor();
      const heat = page.getByRole('table', { name: 'Bereiche' });
      expect(await heat.getByRole('row', { name: /Bergedorf/ }).innerText()).toMatch(/unterdrückt/);
      expect(await heat.getByRole('row', { name: /Altona/ }).innerText()).toMatch(/\b6\b/);
      // Every chart has alt text and its table.
      const figures = page.locator('figure');
      for (let i = 0; i < (await figures.count()); i++) {
        expect(await figures.nth(i).getByRole('img').getAttribute('aria-label')).toMatch(/^Balkendiagramm/);
        expect(await figures.nth(i).getByRole('table').count()).toBe(1);
      }
      expect(seriousViolations(await axeAnalyze(page))).toEqual([]);
      if (theme !== 'contrast') await shot(`results-${theme === 'default' ? 'light' : theme}`);
    }, 60_000);
  }

  it('when the officer downloads CSV and XLSX, then the files are what the API exports for the run', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=results`);
    await waitForView(page, 'Ergebnisse');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV herunterladen' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe(`puls-${runId}.csv`);
    const expected = Buffer.from(
      await (await fetch(`${h.botUrl}/api/tab/runs/${runId}/export?format=csv&lang=de`)).arrayBuffer(),
    );
    // Byte for byte, the BOM that German spreadsheet programs need included.
    expect(readFileSync((await csv.path())!).equals(expected)).toBe(true);
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Excel (XLSX) herunterladen' }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toBe(`puls-${runId}.xlsx`);
    // A zip (OOXML package): "PK".
    expect(
      readFileSync((await xlsx.path())!)
        .subarray(0, 2)
        .toString('latin1'),
    ).toBe('PK');
  }, 60_000);

  it('when the ideas board is filtered, then only matching ideas are shown', async () => {
    const ideas: [string, string][] = [
      ['Digitale Terminvergabe', 'nutzerorientierung'],
      ['E-Akte für Bauanträge', 'digitales-arbeiten'],
    ];
    for (const [i, [title, field]] of ideas.entries()) {
      const r = await h.app.ideas.submit(
        { userId: staff[i]!.id, name: `Kollegin ${i}` },
        {
          title,
          description: `${title}: was dadurch besser würde.`,
          field,
          district: 'altona',
          anonymous: 'false',
          confirm: 'true',
        },
      );
      if (r.kind !== 'saved') throw new Error(`idea ${title}: ${r.kind}`);
    }
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=ideas`);
    await waitForView(page, 'Ideen');
    await page.getByText('E-Akte für Bauanträge').first().waitFor();
    await shot('ideas-light');
    await page.getByLabel('Gestaltungsfeld').selectOption('nutzerorientierung');
    await page.getByText('E-Akte für Bauanträge').waitFor({ state: 'detached' });
    // The filtered board is drawn anew: wait for the matching idea instead of reading it at once.
    const matching = page.getByText('Digitale Terminvergabe').first();
    await matching.waitFor({ state: 'visible' });
    expect(await matching.isVisible()).toBe(true);
    await page.goto(`${h.botUrl}/tab/?host=none&theme=dark&view=ideas`);
    await waitForView(page, 'Ideen');
    await shot('ideas-dark');
  }, 60_000);

  it('when an officer creates a draft from a template and saves an edit, then the draft list shows it, and an invalid edit names the problem', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=surveys`);
    await waitForView(page, 'Umfragen gestalten');
    await page.getByRole('combobox', { name: 'Vorlage' }).selectOption('kulturwandel');
    await page.getByRole('button', { name: 'Entwurf anlegen' }).click();
    await page.getByText('Entwurf gespeichert.').waitFor();
    // The raw JSON is the advanced mode of the form editor (test/browser/tab-authoring.test.ts drives the form).
    await page.getByRole('switch', { name: /JSON bearbeiten/ }).check();
    const editor = page.getByRole('textbox', { name: /Umfrage als JSON/ });
    const definition = JSON.parse(await editor.inputValue()) as {
      title: { de: string };
      questions: unknown[];
    };
    definition.title.de = 'Kulturwandel 2027';
    await editor.fill(JSON.stringify(definition, null, 2));
    await page.getByRole('button', { name: 'Speichern', exact: true }).click();
    await page.getByRole('cell', { name: 'Kulturwandel 2027', exact: true }).waitFor();
    // An invalid edit: the question list emptied.
    await editor.fill(JSON.stringify({ ...definition, questions: [] }, null, 2));
    await page.getByRole('button', { name: 'Speichern', exact: true }).click();
    await page.getByText(/Der Entwurf ist nicht gültig/).waitFor();
    expect(
      await page
        .getByRole('listitem')
        .filter({ hasText: /^questions/ })
        .count(),
    ).toBeGreaterThan(0);
    expect(seriousViolations(await axeAnalyze(page))).toEqual([]);
    await shot('surveys-light');
    await page.goto(`${h.botUrl}/tab/?host=none&theme=dark&view=surveys`);
    await waitForView(page, 'Umfragen gestalten');
    await page.getByRole('button', { name: 'Bearbeiten: Kulturwandel 2027' }).click();
    await page.getByRole('heading', { name: /Entwurf bearbeiten/ }).waitFor();
    expect(seriousViolations(await axeAnalyze(page))).toEqual([]);
    await shot('surveys-dark');
    // The dark check runs axe on the form editor (7 questions): 20-35 s on a busy machine.
  }, 240_000);
});
