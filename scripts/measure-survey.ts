// Answers every survey in surveys/ in the Microsoft 365 Agents Playground the way an employee
// would, in headless Chromium, and measures the stepped survey card: per step the card's rendered
// height, the bytes of the request the press sends and of the card that comes back; per survey the
// clicks, and the seconds the presses take until the next card shows (the machine's part of the
// time; reading and choosing are the person's). Screenshots of every step go
// to build/stepped/ (gitignored). Needs `npm run playground` running (Puls on 3978, the Playground
// on 56150).
//
//   npx ts-node --transpile-only scripts/measure-survey.ts [--width 1400] [--out build/stepped]
//
// The Playground's current user (an officer in .m365agentsplayground.yml) starts one run per survey
// with "umfrage starten"; a run needs K_MIN installed people, so four more people of the mock team
// are installed first (straight to the bot, as Teams would). Figures depend on the machine: on a
// busy shared one, seconds are upper bounds.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';
import { defaultSurveysDir, loadQuestionBank } from '../src/surveys/question-bank';
import type { Survey } from '../src/surveys/definition';

const ROOT = path.resolve(__dirname, '..');
export const CARD = '.ac-adaptiveCard';
export const EDITOR = '[data-lexical-editor="true"]';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Options {
  playground: string;
  bot: string;
  out: string;
  width: number;
  height: number;
  /** Render these card examples (test/support/card-examples.ts) instead of driving the Playground. */
  examples: string[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    playground: 'http://127.0.0.1:56150',
    bot: 'http://127.0.0.1:3978',
    out: path.join(ROOT, 'build', 'stepped'),
    width: 1400,
    height: 1000,
    examples: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--width') o.width = Number(next());
    else if (arg === '--height') o.height = Number(next());
    else if (arg === '--out') o.out = path.resolve(next());
    else if (arg === '--playground') o.playground = next();
    else if (arg === '--bot') o.bot = next();
    else if (arg === '--examples') o.examples = next().split(',');
    else throw new Error(`unknown option ${arg}`);
  }
  for (const url of [o.playground, o.bot]) {
    if (!['127.0.0.1', 'localhost'].includes(new URL(url).hostname)) throw new Error(`${url} is not local`);
  }
  return o;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface PlaygroundConfig {
  tenantId: string;
  bot: { id: string; name: string };
  users: { id: string; name: string; aadObjectId: string }[];
}

/** Installs the mock team's other people straight at the bot, so that a run has K_MIN recipients. */
async function installOthers(o: Options, config: PlaygroundConfig): Promise<void> {
  for (const user of config.users.slice(0, 4)) {
    const res = await fetch(`${o.bot}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(10_000),
      body: JSON.stringify({
        type: 'installationUpdate',
        action: 'add',
        id: `seed-${user.id}`,
        channelId: 'msteams',
        serviceUrl: `${o.playground.replace('127.0.0.1', 'localhost')}/_connector`,
        from: { id: user.id, aadObjectId: user.aadObjectId, name: user.name },
        recipient: config.bot,
        conversation: {
          id: `a:puls-personal-${user.id}`,
          conversationType: 'personal',
          tenantId: config.tenantId,
        },
        channelData: { tenant: { id: config.tenantId } },
        locale: 'de-DE',
      }),
    });
    if (res.status >= 300) throw new Error(`installing ${user.name} answered HTTP ${res.status}`);
  }
}

export interface StepFigure {
  step: string;
  heightPx: number;
  requestBytes: number;
  cardBytes: number;
}

export interface SurveyFigure {
  surveyId: string;
  questions: number;
  clicks: number;
  keystrokes: number;
  seconds: number;
  steps: StepFigure[];
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.examples.length > 0) return renderExamples(o);
  const res = await fetch(`${o.playground}/_internal/v1/config`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error('The Playground does not answer: start it with npm run playground');
  const config = ((await res.json()) as { config: PlaygroundConfig }).config;
  await installOthers(o, config);
  mkdirSync(o.out, { recursive: true });

  const bank = loadQuestionBank(defaultSurveysDir());
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
  const figures: SurveyFigure[] = [];
  try {
    // German, as most staff will see it (the Playground passes the browser's locale on).
    const context = await browser.newContext({
      viewport: { width: o.width, height: o.height },
      locale: 'de-DE',
    });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (
        ['127.0.0.1', 'localhost'].includes(url.hostname) ||
        url.protocol === 'data:' ||
        url.protocol === 'blob:'
      )
        return route.continue();
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    // The bytes each press sends (the invoke) and the card that comes back in its HTTP body.
    const invokes: { requestBytes: number; cardBytes: number }[] = [];
    page.on('requestfinished', (request) => {
      if (!request.url().includes('/_conversation/v1/invoke')) return;
      void request
        .response()
        .then((response) => response?.body())
        .then((body) => {
          invokes.push({
            requestBytes: Buffer.byteLength(request.postData() ?? '', 'utf8'),
            cardBytes: cardBytesOf(body),
          });
        })
        .catch(() =>
          invokes.push({ requestBytes: Buffer.byteLength(request.postData() ?? ''), cardBytes: 0 }),
        );
    });
    await page.goto(o.playground, { waitUntil: 'domcontentloaded' });
    await page.locator(EDITOR).first().waitFor({ timeout: 30_000 });
    await sleep(2_000);
    const cards = page.locator(`${CARD}:visible`);
    await speakGerman(page, cards);

    for (const survey of bank.list()) {
      const started = await startRun(page, cards, survey);
      if (!started) throw new Error(`no survey card arrived for ${survey.id}`);
      figures.push(await answer(cards, survey, o, invokes));
    }
  } finally {
    await browser.close();
  }
  const file = path.join(o.out, `figures-${o.width}.json`);
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  for (const f of figures) {
    console.log(
      `${f.surveyId}: ${f.questions} questions, ${f.steps.length} cards, ${f.clicks} clicks + ${f.keystrokes} keys, ${f.seconds.toFixed(1)} s`,
    );
    for (const s of f.steps) {
      console.log(
        `  ${s.step.padEnd(22)} ${String(s.heightPx).padStart(5)} px  request ${s.requestBytes} B  card ${s.cardBytes} B`,
      );
    }
  }
  console.log(`Figures: ${path.relative(process.cwd(), file)}`);
}

/** The size of the card in an invoke's answer (the Playground wraps the bot's invoke response). */
export function cardBytesOf(body: Buffer | undefined | null): number {
  if (!body) return 0;
  try {
    const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    let card: unknown;
    JSON.stringify(json, (_k, v: unknown) => {
      if (!card && v && typeof v === 'object' && (v as { type?: unknown }).type === 'AdaptiveCard') card = v;
      return v;
    });
    return card ? Buffer.byteLength(JSON.stringify(card), 'utf8') : 0;
  } catch {
    return 0;
  }
}

/**
 * Card examples rendered with the adaptivecards library in the same Chromium, 446 px wide as the
 * Playground draws cards, German. The library does not know Teams' Chart.* elements: they are
 * dropped (their fallback), as on clients without charts. (The results-back card and the digest in
 * the Playground itself: scripts/screenshots.ts.)
 */
async function renderExamples(o: Options): Promise<void> {
  // Loaded here only: the examples pull in the test fixtures.
  const { CARD_EXAMPLES } = await import('../test/support/card-examples');
  mkdirSync(o.out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 600, height: 1000 } });
    await page.route('**/*', (route) => route.abort('blockedbyclient'));
    await page.setContent(
      '<html><body style="margin:0;font-family:sans-serif"><div id="card" style="width:446px"></div></body></html>',
    );
    await page.addStyleTag({ path: require.resolve('adaptivecards/dist/adaptivecards.css') });
    await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.js') });
    for (const name of o.examples) {
      const example = CARD_EXAMPLES.find((e) => e.name === name);
      if (!example) throw new Error(`no card example ${name}`);
      const card = example.card('de');
      await page.evaluate((json) => {
        const AC = (globalThis as unknown as { AdaptiveCards: typeof import('adaptivecards') }).AdaptiveCards;
        const ac = new AC.AdaptiveCard();
        ac.parse(json);
        // Runs in the page (no DOM types in this project's compile).
        const doc = (
          globalThis as unknown as {
            document: { getElementById(id: string): { replaceChildren(n: unknown): void } };
          }
        ).document;
        doc.getElementById('card').replaceChildren(ac.render());
      }, card as object);
      const box = page.locator('#card');
      const file = path.join(o.out, `${name.replace(/\//g, '-')}-ac.png`);
      await box.screenshot({ path: file });
      const height = Math.round((await box.boundingBox())?.height ?? 0);
      console.log(
        `${name.padEnd(40)} ${String(height).padStart(5)} px  card ${Buffer.byteLength(JSON.stringify(card))} B  ${path.relative(process.cwd(), file)}`,
      );
    }
  } finally {
    await browser.close();
  }
}

export async function say(page: Page, text: string): Promise<void> {
  const editor = page.locator(EDITOR).first();
  await editor.click();
  await editor.pressSequentially(text);
  await editor.press('Enter');
}

/** The Playground sends en-US: the officer switches Puls to German in the settings (and sets a district). */
export async function speakGerman(page: Page, cards: Locator): Promise<void> {
  const before = await cards.count();
  await say(page, 'einstellungen');
  await waitFor(async () => (await cards.count()) > before, 15_000);
  const form = cards.last();
  await form.getByRole('radio', { name: 'Deutsch', exact: true }).check();
  await form.getByRole('combobox').first().click();
  await page
    .getByRole('option', { name: /Hamburg-Nord/ })
    .first()
    .click();
  await form.getByRole('button', { name: /^(Save|Speichern)$/ }).click();
  await waitFor(async () => (await form.innerText()).includes('Gespeichert'), 15_000);
}

/** "umfrage starten", the survey, "Starten"; resolves once the survey's first step is shown. */
export async function startRun(page: Page, cards: Locator, survey: Survey): Promise<boolean> {
  const before = await cards.count();
  await say(page, 'umfrage starten');
  await waitFor(async () => (await cards.count()) > before, 15_000);
  const form = cards.last();
  await form.getByRole('radio', { name: new RegExp(`^${escape(survey.title.de)} \\(`) }).check();
  const count = await cards.count();
  await form.getByRole('button', { name: 'Starten', exact: true }).click();
  // The officer's card turns into the progress card; the survey card arrives as a new message.
  return waitFor(async () => {
    if ((await cards.count()) <= count) return false;
    return (await cards.last().innerText()).includes('Frage 1 von');
  }, 30_000);
}

export async function answer(
  cards: Locator,
  survey: Survey,
  o: Options,
  invokes: { requestBytes: number; cardBytes: number }[],
): Promise<SurveyFigure> {
  const steps: StepFigure[] = [];
  let clicks = 0;
  let keystrokes = 0;
  let card = cards.last();
  // Seconds: from each press until the next card shows, summed (measuring and screenshots left out).
  let busy = 0;
  const shoot = async (name: string) => {
    await card.scrollIntoViewIfNeeded();
    const box = await card.boundingBox();
    await card.screenshot({ path: path.join(o.out, `${survey.id}-${name}-${o.width}.png`) });
    return Math.round(box?.height ?? 0);
  };
  let pending = { requestBytes: 0, cardBytes: 0 };
  for (let guard = 0; guard < 40; guard++) {
    const text = await card.innerText();
    const progress = /Frage (\d+) von (\d+)/.exec(text);
    const name = text.includes('Danke')
      ? 'thanks'
      : progress
        ? `q${progress[1]!.padStart(2, '0')}`
        : 'summary';
    const height = await shoot(name);
    steps.push({ step: name, heightPx: height, ...pending });
    if (name === 'thanks') break;
    const invokesBefore = invokes.length;
    const pressed = Date.now();
    const q = progress ? survey.questions[Number(progress[1]) - 1]! : undefined;
    if (!q) {
      await card.getByRole('button', { name: 'Antwort senden', exact: true }).click();
      clicks++;
    } else if (q.type === 'likert5') {
      await card
        .getByRole('button', { name: /^4 von 5/ })
        .first()
        .click();
      clicks++;
    } else if (q.type === 'nps') {
      await card
        .getByRole('button', { name: /^8 von 10/ })
        .first()
        .click();
      clicks++;
    } else if (q.type === 'single') {
      await card.getByRole('button', { name: q.choices[1]!.label.de }).first().click();
      clicks++;
    } else if (q.type === 'multi') {
      for (const c of q.choices.slice(0, Math.min(2, q.max ?? 2))) {
        await card.getByRole('checkbox', { name: c.label.de }).first().check();
        clicks++;
      }
      await card.getByRole('button', { name: 'Weiter', exact: true }).click();
      clicks++;
    } else {
      // The free text is optional: a short answer, typed.
      const answer = 'Mehr Zeit zum Ausprobieren.';
      await card.getByRole('textbox').first().fill(answer);
      keystrokes += answer.length;
      clicks++; // into the text box
      await card.getByRole('button', { name: 'Weiter', exact: true }).click();
      clicks++;
    }
    // Action.Execute replaces the card in place: wait for the invoke's answer and the new content.
    await waitFor(async () => invokes.length > invokesBefore, 15_000);
    await waitFor(async () => (await card.innerText().catch(() => text)) !== text, 10_000);
    busy += Date.now() - pressed;
    await sleep(300);
    card = cards.last();
    pending = invokes.at(-1) ?? pending;
  }
  return {
    surveyId: survey.id,
    questions: survey.questions.length,
    clicks,
    keystrokes,
    seconds: busy / 1000,
    steps,
  };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exit(1);
    },
  );
}
