// Survey authoring end to end, in Chromium on the real app (local mode): an officer makes a draft from
// a built-in template in the tab's form editor, edits a question, adds one, sees each question's preview
// and the schema's problems next to the field in German, publishes it, and starts it from the runs
// view. Staff answer through the bot over HTTP as Teams would; the officer sees live participation,
// closes the run, and the results the tab shows equal what `ergebnisse` shows in the bot.
// Screenshots go to build/screenshots/tab-authoring-*.png.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Run } from '../../src/surveys/model';
import type { Disclosed, RunListView, RunResultsView } from '../../src/tab/view-types';
import { cardOf } from '../support/connector';
import { startHarness, type Harness } from '../support/harness';
import { installPersonal, makeUser, message, personalConversationId, type TeamsUser } from '../support/teams';
import { waitUntil } from '../support/wait';
import { axeAnalyze, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, seriousViolations, waitForView } from './support';

const STAFF = 6;
const SURVEY_ID = 'pulstest-2027';
const TITLE = 'Pulstest 2027';
const EDITED = 'Meine Arbeitsmittel passen zu meinen Aufgaben – geändert im Tab.';
const ADDED = 'Wie oft arbeiten Sie mobil?';

/** A complete answer for any survey: likert and NPS values by person, the first choices, no free text. */
function answersFor(run: Run, i: number): Record<string, string> {
  const data: Record<string, string> = {};
  for (const q of run.survey.questions) {
    const key = `q_${q.id}`;
    if (q.type === 'likert5') data[key] = String((i % 5) + 1);
    else if (q.type === 'nps') data[key] = String((i * 3) % 11);
    else if (q.type === 'single') data[key] = q.choices[i % q.choices.length]!.id;
    else if (q.type === 'multi') data[key] = q.choices[0]!.id;
    else data[key] = '';
  }
  return data;
}

/** The number after a card figure's label ("Mittelwert (1–5): 3,8" → 3.8). */
function numberOf(text: string): number {
  const tail = text.includes(': ') ? text.slice(text.lastIndexOf(': ') + 2) : text;
  return Number(/\d+(?:[.,]\d+)?/.exec(tail)![0].replace(',', '.'));
}

/** Every figure of a card that has an id, by id. */
function cardFigures(card: unknown): Map<string, number> {
  const out = new Map<string, number>();
  JSON.stringify(card, (_key, value: unknown) => {
    const v = value as { id?: unknown; text?: unknown } | null;
    if (v && typeof v.id === 'string' && typeof v.text === 'string' && /^[pq]\./.test(v.id))
      out.set(v.id, numberOf(v.text));
    return value;
  });
  return out;
}

describe('survey authoring in the tab, answered through the bot (Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const officer = makeUser('Olga Officer');
  const staff: TeamsUser[] = [];
  let runId = '';

  const api = async <T>(p: string): Promise<T> =>
    (await (await fetch(`${h.botUrl}/api/tab/${p}`, { headers: { 'x-puls-tab': '1' } })).json()) as T;
  const shot = (name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `tab-authoring-${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    h = await startHarness({ env: { OFFICER_AAD_IDS: officer.aadObjectId } });
    await h.send(installPersonal(officer, h.serviceUrl));
    for (let i = 0; i < STAFF; i++) {
      const user = makeUser(`Kollege ${i}`);
      staff.push(user);
      await h.send(installPersonal(user, h.serviceUrl));
      await h.invoke(user, 'settings.save', { language: 'de', district: 'altona', reminders: 'true' });
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
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

  it('when the officer edits a template in the form, then the preview follows, problems are named next to the field in German, and publishing makes version 1', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=surveys`);
    await waitForView(page, 'Umfragen gestalten');
    await page.getByRole('combobox', { name: 'Vorlage' }).selectOption('digitales-arbeiten');
    await page.getByRole('button', { name: 'Entwurf anlegen' }).click();
    await page.getByText('Entwurf gespeichert.').waitFor();

    const general = page.getByRole('group', { name: 'Allgemeines' });
    await general.getByLabel('Kennung der Umfrage').fill(SURVEY_ID);
    await general.getByLabel('Titel (deutsch)').fill(TITLE);
    const first = page.getByRole('group', { name: 'Frage 1', exact: true });
    await first.getByLabel('Fragetext (deutsch)').fill(EDITED);
    // The preview is the card's step as staff see it: progress, the edited text, the five tiles.
    const preview = first.getByRole('region', { name: /Vorschau/ });
    await preview.getByText(EDITED).waitFor();
    expect(await preview.innerText()).toMatch(/Frage 1 von 8/);

    // A question added by keyboard, made a single choice with two answers.
    await page.getByRole('button', { name: 'Frage hinzufügen' }).focus();
    await page.keyboard.press('Enter');
    const added = page.getByRole('group', { name: 'Frage 9', exact: true });
    await added.getByLabel('Fragetyp').selectOption('single');
    await added.getByLabel('Fragetext (deutsch)').fill(ADDED);
    await added.getByLabel('Fragetext (englisch)').fill('How often do you work remotely?');
    await added.getByLabel('Antwort 1 (deutsch)').fill('selten');
    await added.getByLabel('Antwort 2 (deutsch)').fill('oft');
    await added
      .getByRole('region', { name: /Vorschau/ })
      .getByText('oft', { exact: true })
      .waitFor();
    // Moved up one place: it is question 8 now, the free text last.
    await added.getByRole('button', { name: 'Frage 9 nach oben' }).click();
    await page.getByRole('group', { name: 'Frage 8', exact: true }).getByText(ADDED).first().waitFor();

    // An empty English title: refused with a German message at that field, nothing published.
    await general.getByLabel('Titel (englisch)').fill('');
    await page.getByRole('button', { name: 'Speichern und veröffentlichen' }).click();
    await page.getByText(/Der Entwurf ist nicht gültig/).waitFor();
    const titleEn = general.getByLabel('Titel (englisch)');
    const described = (await titleEn.getAttribute('aria-describedby')) ?? '';
    expect(described).not.toBe('');
    await general.getByText('Bitte ausfüllen.').waitFor();
    expect(seriousViolations(await axeAnalyze(page))).toEqual([]);
    await shot('invalid-light');

    await titleEn.fill('Pulse test 2027');
    await page.getByRole('button', { name: 'Speichern und veröffentlichen' }).click();
    await page.getByText(`Veröffentlicht: „${TITLE}“, Version 1.`, { exact: false }).waitFor();
    const published = page.getByRole('table', { name: 'Veröffentlichte Umfragen' });
    await published.getByRole('cell', { name: SURVEY_ID, exact: true }).waitFor();
    await shot('light');
    await page.goto(`${h.botUrl}/tab/?host=none&theme=dark&view=surveys`);
    await waitForView(page, 'Umfragen gestalten');
    await page.getByRole('button', { name: `Bearbeiten: ${TITLE}` }).click();
    await page.getByRole('group', { name: 'Frage 1', exact: true }).waitFor();
    expect(seriousViolations(await axeAnalyze(page))).toEqual([]);
    await shot('dark');
    // axe takes 20-35 s per run on this form on a busy 2-core machine: hence the long timeout.
  }, 300_000);

  it('when an English-speaking officer starts from scratch, then the form and its problems are in English, also in high contrast', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=contrast&view=surveys&lang=en`);
    await waitForView(page, 'Survey authoring');
    await page.getByRole('combobox', { name: 'Template' }).selectOption('');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    const question = page.getByRole('group', { name: 'Question 1', exact: true });
    await question.getByLabel('Question type').selectOption('nps');
    await question.getByLabel('Question text (English)').fill('Would you recommend your team?');
    await question
      .getByRole('region', { name: /Preview/ })
      .getByText('Question 1 of 1')
      .waitFor();
    await question.getByLabel('Question text (German)').fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/The draft is not valid/).waitFor();
    await question.getByText('Please fill in.').waitFor();
    expect(seriousViolations(await axeAnalyze(page))).toEqual([]);
  }, 120_000);

  it('when the officer starts the published survey in the tab and staff answer through the bot, then the run froze version 1 and the tab shows live participation', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=runs`);
    await waitForView(page, 'Umfragen');
    const picker = page.getByRole('combobox', { name: /^Umfrage/ });
    expect(await picker.locator(`option[value="${SURVEY_ID}"]`).innerText()).toBe(`${TITLE} (v1)`);
    await picker.selectOption(SURVEY_ID);
    await page.getByLabel(/^Endet am/).fill('2026-11-30');
    await page.getByRole('button', { name: 'Starten' }).click();
    await page.getByText(`Gestartet: ${TITLE} an ${STAFF + 1} Personen.`).waitFor();
    await h.app.background.idle();
    runId = (await api<RunListView>('runs')).runs[0]!.runId;
    const run = (await h.app.surveys.getRun(runId))!;
    expect(run.survey).toMatchObject({ id: SURVEY_ID, version: 1 });
    expect(run.survey.questions[0]!.text.de).toBe(EDITED);
    expect(run.survey.questions[7]!.text.de).toBe(ADDED);
    // Every staff member got the card with the edited first question.
    for (const u of staff)
      await waitUntil(
        () => JSON.stringify(h.connector.messagesIn(personalConversationId(u))).includes(EDITED),
        `the survey card for ${u.name}`,
        30_000,
      );

    for (const [i, u] of staff.entries()) {
      const card = await h.invoke(u, `survey.answer:${runId}`, answersFor(run, i));
      expect(JSON.stringify(card)).toContain('Danke');
    }
    await page.reload();
    await waitForView(page, 'Umfragen');
    const row = page.getByRole('row', { name: new RegExp(runId) });
    expect(await row.innerText()).toMatch(new RegExp(`${STAFF} von ${STAFF + 1}`));
    await page.getByText(`Nach Bereichen (${TITLE}): Bezirksamt Altona ${STAFF}`).waitFor();
  }, 120_000);

  it('when the officer closes the run in the tab, then the results shown equal the results card of `ergebnisse`', async () => {
    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=runs`);
    await waitForView(page, 'Umfragen');
    await page.getByRole('button', { name: `Beenden: ${TITLE}` }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(`${STAFF} Antworten werden damit endgültig.`).waitFor();
    await dialog.getByRole('button', { name: 'Ja, beenden' }).click();
    await page.getByText(new RegExp(`Beendet: ${TITLE}\\. ${STAFF} Antworten sind endgültig`)).waitFor();

    h.connector.clear();
    await h.send(message(officer, `ergebnisse ${runId}`, h.serviceUrl));
    const card = cardFigures(cardOf(h.connector.messagesIn(personalConversationId(officer)).at(-1)));
    expect(card.get('p.respondents')).toBe(STAFF);

    await page.goto(`${h.botUrl}/tab/?host=none&theme=default&view=results`);
    await waitForView(page, 'Ergebnisse');
    await page.getByRole('heading', { name: `${TITLE} – ${STAFF} Antworten` }).waitFor();
    const results = await api<Disclosed<RunResultsView>>(`runs/${runId}/results`);
    if (!results.available) throw new Error(`results withheld: ${results.reason}`);
    const text = await page.locator('#view-panel').innerText();
    let means = 0;
    for (const q of results.value.questions) {
      const fromCard = card.get(`q.${q.questionId}.mean`);
      if (fromCard === undefined) continue;
      means++;
      // The card and the tab: the same mean, shown as the tab shows it.
      expect(q.mean).toBeCloseTo(fromCard, 1);
      const shown = fromCard.toLocaleString('de-DE', { maximumFractionDigits: 1 });
      expect(text).toContain(`Mittelwert ${shown}`);
    }
    expect(means).toBe(6);
    // The edited and the added question are in the results under their new texts.
    expect(text).toContain(EDITED);
    expect(text).toContain(ADDED);
  }, 120_000);
});
