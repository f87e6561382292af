// The runs view's group picker (#14) in Chromium: with a directory (the Graph simulator) the officer
// searches a group, picks it, sees the reach ("erreicht: n installiert, m werden installiert, k nicht
// erreichbar") computed from the simulator's data, and starts a run that reaches the group's members;
// without a directory the picker is hidden behind a short note.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ManualClock } from '../../src/clock';
import { GRAPH_DOCUMENTED_LIMITS } from '../../src/directory/rate-limit';
import { bankOf, TEST_SURVEY } from '../support/fixtures';
import { GraphSimulator, simulatedCity, type SimUser } from '../support/graph-simulator';
import { startHarness, type Harness } from '../support/harness';
import { installPersonal, type TeamsUser } from '../support/teams';
import { axeAnalyze, CHROMIUM, CHROMIUM_ARGS, seriousViolations, waitForView } from './support';

jest.setTimeout(180_000);

const teamsUserOf = (u: SimUser): TeamsUser => ({
  id: `29:${u.id}`,
  aadObjectId: u.id,
  name: '',
  locale: 'de-DE',
});

describe('group picker in the runs view (Chromium)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  beforeEach(async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
    page = await context.newPage();
    page.setDefaultTimeout(20000);
  });
  afterEach(async () => {
    await page?.context().close();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('with the directory', () => {
    let h: Harness;
    let graphSim: GraphSimulator;
    const city = simulatedCity({ users: 90, groups: 1, groupSize: 10, seed: 11 });
    const group = {
      id: '0000000a-1111-4222-8333-444444444444',
      displayName: 'Projektgruppe E-Akte',
      members: city.users.slice(0, 24).map((u) => u.id),
    };
    const installed = city.users.filter((_, i) => i % 2 === 0);
    const isMember = (u: SimUser) => u.accountEnabled && u.userType === 'Member';

    beforeAll(async () => {
      graphSim = new GraphSimulator({ scale: 20, catalogAppId: 'puls-catalog' });
      await graphSim.start();
      graphSim.addUsers(city.users);
      for (const g of [...city.groups, group]) graphSim.addGroup(g);
      h = await startHarness({
        clock: new ManualClock('2026-11-23T09:00:00Z'),
        questionBank: bankOf(TEST_SURVEY),
        env: {
          GRAPH_BASE_URL: graphSim.baseUrl,
          TEAMS_CATALOG_APP_ID: 'puls-catalog',
          LOG_LEVEL: 'warn',
          K_MIN: '3',
        },
        app: {
          graphLimits: {
            directoryUnitsPer10s: GRAPH_DOCUMENTED_LIMITS.directoryUnitsPer10s * 20 * 0.9,
            teamsReadPerSecond: GRAPH_DOCUMENTED_LIMITS.teamsReadPerSecond * 20 * 0.9,
            teamsWritePerSecond: GRAPH_DOCUMENTED_LIMITS.teamsWritePerSecond * 20 * 0.9,
          },
        },
      });
      for (const u of installed) await h.send(installPersonal(teamsUserOf(u), h.serviceUrl));
      await h.app.directory!.sync.tick();
    });
    afterAll(async () => {
      await h?.stop();
      await graphSim?.stop();
    });

    it('when the officer searches and picks a group, then the reach is shown and the run starts for its members', async () => {
      const members = city.users.filter((u) => group.members.includes(u.id) && isMember(u));
      const installedMembers = members.filter((u) => installed.includes(u)).length;
      await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=runs`);
      await waitForView(page, 'Umfragen');
      const picker = page.getByRole('combobox', { name: 'Gruppen aus dem Verzeichnis' });
      await picker.click();
      await picker.pressSequentially('Projekt');
      const option = page.getByRole('option', { name: 'Projektgruppe E-Akte' });
      await option.waitFor();
      await option.click();
      await page.getByRole('button', { name: 'Gruppe Projektgruppe E-Akte entfernen' }).waitFor();
      await page
        .getByText(
          `erreicht: ${installedMembers} installiert, ${members.length - installedMembers} werden installiert, 0 nicht erreichbar`,
        )
        .waitFor();
      const axe = await axeAnalyze(page, 'form');
      expect(seriousViolations(axe)).toEqual([]);

      await page.getByRole('combobox', { name: /^Umfrage/ }).selectOption(TEST_SURVEY.id);
      await page.getByLabel(/^Endet am/).fill('2026-12-07');
      await page.getByRole('button', { name: 'Starten' }).click();
      await page.getByText(`an ${members.length} Personen`).waitFor();
      // The list names the group as the run's audience.
      await page.getByRole('cell', { name: 'Projektgruppe E-Akte' }).waitFor();
      await h.app.background.idle();
      const runs = await h.app.repositories.runs.list();
      expect(runs).toHaveLength(1);
      expect(runs[0]!.audience).toMatchObject({
        kind: 'directory',
        groups: [{ id: group.id, name: 'Projektgruppe E-Akte' }],
      });
    });
  });

  describe('without the directory', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ questionBank: bankOf(TEST_SURVEY) });
    });
    afterAll(() => h?.stop());

    it('when there is no directory, then the picker is hidden and a note says why', async () => {
      await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=runs`);
      await waitForView(page, 'Umfragen');
      await page.getByText('Gruppen lassen sich nur mit dem Verzeichnis (Entra ID) wählen').waitFor();
      expect(await page.getByRole('combobox', { name: 'Gruppen aus dem Verzeichnis' }).count()).toBe(0);
    });
  });
});
