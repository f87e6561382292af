// The schedules view in Chromium (local mode): the officer creates a recurring schedule with the
// form, sees it in the list with its next start, pauses it and deletes it after the confirmation.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ScheduleListView } from '../../src/tab/view-types';
import { startHarness, type Harness } from '../support/harness';
import { axeAnalyze, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, seriousViolations, waitForView } from './support';

describe('schedules view in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;

  const schedules = async () =>
    ((await (await fetch(`${h.botUrl}/api/tab/schedules`)).json()) as ScheduleListView).schedules;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    h = await startHarness();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' })
    ).newPage();
    page.setDefaultTimeout(20000);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('when the officer creates a schedule, then it is listed with its next start, and pausing and deleting it work', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=schedules`);
    await waitForView(page, 'Zeitpläne');
    await page.getByText('Noch keine Zeitpläne.').waitFor();

    await page.getByRole('combobox', { name: /^Umfrage/ }).selectOption('kulturwandel');
    await page.getByRole('combobox', { name: /^Rhythmus/ }).selectOption('quarterly');
    await page.getByLabel(/^Erster Termin/).fill('2026-12-01');
    await page.getByLabel(/^Offen für Tage/).fill('14');
    await page.getByRole('button', { name: 'Zeitplan anlegen' }).click();
    // Tuesday 1 December 2026, 09:00 in Hamburg.
    await page.getByText('Zeitplan angelegt. Nächster Start: 01.12.2026, 09:00 Uhr.').waitFor();
    const row = page.getByRole('row', { name: /Kulturwandel/ });
    await row.getByText('Vierteljährlich').waitFor();
    await row.getByText('14 Tage').waitFor();
    expect(await schedules()).toEqual([
      expect.objectContaining({
        surveyId: 'kulturwandel',
        cadence: { unit: 'months', every: 3 },
        firstDate: '2026-12-01',
        time: '09:00',
        openDays: 14,
        active: true,
        nextStart: '2026-12-01T08:00:00.000Z',
      }),
    ]);
    expect(seriousViolations(await axeAnalyze(page))).toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'tab-schedules.png'), fullPage: true });

    await page.getByRole('button', { name: 'Pausieren: Kulturwandel' }).click();
    await page.getByText('Zeitplan pausiert.').waitFor();
    await row.getByText('Pausiert').waitFor();
    expect((await schedules())[0]).toMatchObject({ active: false, nextStart: null });

    await page.getByRole('button', { name: 'Löschen: Kulturwandel' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Löschen', exact: true }).click();
    await page.getByText('Zeitplan gelöscht.').waitFor();
    await page.getByText('Noch keine Zeitpläne.').waitFor();
    expect(await schedules()).toEqual([]);
  }, 120_000);
});
