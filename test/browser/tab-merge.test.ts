// The ideas view merges a duplicate (#13) in Chromium: the officer opens an idea, picks the target,
// confirms, and reads the outcome (supports carried over once per person); the board then shows
// the duplicate as merged, the submitter has the news card, and axe finds nothing serious.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cardOf, cardText } from '../support/connector';
import { startHarness, type Harness } from '../support/harness';
import { installPersonal, makeUser, personalConversationId, type TeamsUser } from '../support/teams';
import { waitUntil } from '../support/wait';
import { axeAnalyze, CHROMIUM, CHROMIUM_ARGS, seriousViolations, waitForView } from './support';

describe('merging ideas in the tab (Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const staff: TeamsUser[] = [];

  async function submit(i: number, title: string): Promise<string> {
    const r = await h.app.ideas.submit(
      { userId: staff[i]!.aadObjectId, name: `Kollege ${i}` },
      {
        title,
        description: `${title}: was dadurch besser würde.`,
        field: 'digitales-arbeiten',
        district: 'altona',
        anonymous: 'false',
        confirm: 'true',
      },
    );
    if (r.kind !== 'saved') throw new Error(`idea ${title}: ${r.kind}`);
    return r.idea.ideaId;
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    h = await startHarness();
    for (let i = 0; i < 6; i++) {
      const user = makeUser(`Kollege ${i}`);
      staff.push(user);
      await h.send(installPersonal(user, h.serviceUrl));
      await h.invoke(user, 'settings.save', { language: 'de', district: 'altona', reminders: 'true' });
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);

  beforeEach(async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
    page = await context.newPage();
    page.setDefaultTimeout(15000);
  });
  afterEach(async () => {
    await page?.context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('when the officer merges a duplicate by keyboard and confirms, then the outcome counts each supporter once and the submitter is told', async () => {
    const dup = await submit(0, 'Scanstraße für Posteingang');
    const target = await submit(1, 'Posteingang digitalisieren');
    // Kollege 2 and 3 support the duplicate, 3 and 4 the target: 3 counts once.
    for (const i of [2, 3]) await h.app.ideas.support(dup, staff[i]!.aadObjectId, true);
    for (const i of [3, 4]) await h.app.ideas.support(target, staff[i]!.aadObjectId, true);

    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=ideas`);
    await waitForView(page, 'Ideen');
    await page.getByRole('button', { name: 'Öffnen: Scanstraße für Posteingang' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Als Dublette zusammenführen' }).waitFor();
    const picker = dialog.getByLabel('Zusammenführen mit');
    await picker.locator('option', { hasText: 'Posteingang digitalisieren' }).waitFor({ state: 'attached' });
    await picker.selectOption(target);
    await dialog.getByRole('button', { name: 'Zusammenführen', exact: true }).click();
    // The confirmation takes the focus; Enter on it merges.
    const confirm = dialog.getByRole('button', { name: 'Ja, zusammenführen' });
    await confirm.waitFor();
    await dialog
      .getByText('„Scanstraße für Posteingang“ mit „Posteingang digitalisieren“ zusammenführen?')
      .waitFor();
    const axe = await axeAnalyze(page, '[role="dialog"]');
    expect(seriousViolations(axe)).toEqual([]);
    await page.keyboard.press('Enter');

    const outcome = dialog.getByText(
      'Zusammengeführt mit „Posteingang digitalisieren“: 1 Unterstützungen übernommen, 1 zählten dort schon.',
    );
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('Die einreichende Person wurde benachrichtigt.');
    await dialog.getByText('Zusammengeführt mit „Posteingang digitalisieren“.').waitFor();

    expect((await h.app.repositories.ideas.get(target))!.supportCount).toBe(3);
    await waitUntil(
      () =>
        h.connector
          .messagesIn(personalConversationId(staff[0]!))
          .some((m) => cardText(cardOf(m)).includes('zusammengeführt')),
      'the submitter to be told',
    );

    // Closing the dialog redraws the board: the duplicate sits in the "zusammengeführt" column.
    await dialog.getByRole('button', { name: 'Schließen' }).last().click();
    const column = page.getByRole('region', { name: /zusammengeführt/ });
    await column.getByText('Scanstraße für Posteingang').waitFor();
  }, 90_000);
});
