// `npm run screenshots`: the cards of #12 as the Microsoft 365 Agents Playground shows them, written
// to docs/screenshots/. Self-contained: starts an in-memory Azurite, Puls in this process (with a
// clock it can move), a stand-in Teams connector for simulated staff, the Playground (its current
// user from .m365agentsplayground.yml is the officer) and headless Chromium (/usr/bin/chromium).
//
//   npx ts-node --transpile-only scripts/screenshots.ts [--out docs/screenshots] [--keep-open]
//
// The story, on Thursday of ISO week 47 (19.11.2026; fixed dates, so that the digest shows the same
// week every time): 14 simulated staff in Altona and Hamburg-Nord install Puls; the officer starts
// "Digitale Kompetenzen" in the Playground; 9 staff answer over HTTP, the officer answers step by
// step in the Playground (every step screenshotted); the officer starts "Kulturwandel" (6 staff and
// the officer answer; it stays open); three staff submit ideas. The officer closes the first run
// ("umfrage beenden <id>", confirmation), writes what comes of it and sends the results back: the
// results-back card arrives in the officer's chat like everyone else's. Time moves on three minutes
// and the run is sealed; then to Monday of week 48, when "digest" previews week 47's digest.
// Each card is shot as the Playground draws it (446 px wide in a 1400 px window; the Playground has
// one, light, theme and no narrow view) and once more narrowed to 360 px inside the Playground's
// page, for a phone-width height. Heights and payload sizes are printed and written to
// build/screenshots/figures.json. Takes 3-4 minutes; not part of npm test.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';
import { createApp, type App } from '../bot/app';
import { digestActivity } from '../bot/digest';
import type { Clock } from '../src/clock';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { startAzurite, type RunningAzurite } from '../src/storage/azurite';
import type { Survey } from '../src/surveys/definition';
import { inputId } from '../src/surveys/answers';
import { defaultSurveysDir, loadQuestionBank } from '../src/surveys/question-bank';
import { CaptureConnector, cardOf, cardText } from '../test/support/connector';
import {
  answer,
  CARD,
  CHROMIUM_FLAGS,
  EDITOR,
  say,
  speakGerman,
  startRun,
  waitFor,
  type Options as MeasureOptions,
} from './measure-survey';
import { readYamlScalar } from './playground';

const ROOT = path.resolve(__dirname, '..');
const PLAYGROUND_CLI = path.join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
const CONFIG_PATH = path.join(ROOT, '.m365agentsplayground.yml');
/** Thursday of ISO week 47, 09:30 in Hamburg. */
const STORY_START = '2026-11-19T08:30:00Z';
/** Monday of ISO week 48, 10:00 in Hamburg: the digest then covers week 47. */
const DIGEST_DAY = '2026-11-23T09:00:00Z';
const WIDE = { width: 1400, height: 1000 };
const PHONE = { width: 390, height: 844 };
const NARROW_PX = 360;
const STATEMENT =
  'Danke für Ihre Antworten! Ab Januar gibt es jeden Monat eine offene Lernstunde je Bezirksamt, ' +
  'und Schulungen werden mindestens vier Wochen vor einer Umstellung angeboten.';

/** A clock that runs with real time from a chosen moment; `set` jumps. */
class StoryClock implements Clock {
  private offset: number;
  constructor(start: string) {
    this.offset = new Date(start).getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  set(to: string): void {
    this.offset = new Date(to).getTime() - Date.now();
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

interface Person {
  id: string;
  aadObjectId: string;
  name: string;
  district: 'altona' | 'hamburg-nord';
}

const STAFF: Person[] = Array.from({ length: 14 }, (_, i) => ({
  id: `staff-${String(i + 1).padStart(2, '0')}`,
  aadObjectId: `9a000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
  name: `Mitarbeitende ${i + 1}`,
  district: i % 2 === 0 ? 'altona' : 'hamburg-nord',
}));

interface PlaygroundConfig {
  tenantId: string;
  bot: { id: string; name: string };
}

function activity(p: Person, cfg: PlaygroundConfig, serviceUrl: string, extra: Record<string, unknown>) {
  return {
    id: `act-${p.id}-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date(),
    from: { id: p.id, name: p.name, aadObjectId: p.aadObjectId },
    recipient: cfg.bot,
    conversation: { id: `a:puls-personal-${p.id}`, conversationType: 'personal', tenantId: cfg.tenantId },
    channelData: { tenant: { id: cfg.tenantId } },
    locale: 'de-DE',
    ...extra,
  };
}

async function post(botUrl: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  if (res.status >= 300) throw new Error(`the bot answered HTTP ${res.status}`);
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

function invoke(
  p: Person,
  cfg: PlaygroundConfig,
  botUrl: string,
  serviceUrl: string,
  verb: string,
  data: object,
) {
  return post(
    botUrl,
    activity(p, cfg, serviceUrl, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: `msg-${Math.random().toString(36).slice(2)}`,
      value: { action: { type: 'Action.Execute', verb, data: { verb, ...data } }, trigger: 'manual' },
    }),
  );
}

/** A plausible, varied but fixed answer of staff member `i` (whole-form submit, as older cards send). */
function answersOf(survey: Survey, i: number): Record<string, string> {
  const out: Record<string, string> = {};
  // Agreement differs by question, so that the clearest results stand out.
  const base = [4, 3, 2, 4, 3, 4, 3];
  survey.questions.forEach((q, qi) => {
    if (q.type === 'likert5') {
      const v = (base[qi % base.length] ?? 3) + (((i * 7 + qi * 3) % 3) - 1);
      out[inputId(q.id)] = String(Math.min(5, Math.max(1, v)));
    } else if (q.type === 'nps') out[inputId(q.id)] = String([9, 7, 8, 10, 6, 9, 8, 5, 9, 7][i % 10]);
    else if (q.type === 'single') out[inputId(q.id)] = q.choices[(i * 3) % q.choices.length]!.id;
    else if (q.type === 'multi')
      out[inputId(q.id)] = [
        q.choices[i % q.choices.length]!.id,
        q.choices[(i + 2) % q.choices.length]!.id,
      ].join(',');
    else out[inputId(q.id)] = '';
  });
  return out;
}

const IDEAS = [
  {
    title: 'Offene Lernstunde für neue Werkzeuge',
    description:
      'Einmal im Monat eine Stunde, in der Kolleginnen und Kollegen neue Werkzeuge gemeinsam ausprobieren.',
    field: 'digitale-kompetenzen',
  },
  {
    title: 'Digitale Terminvergabe im Kundenzentrum',
    description:
      'Bürgerinnen und Bürger sollen Termine im Kundenzentrum online buchen können, statt anzurufen.',
    field: 'nutzerorientierung',
  },
  {
    title: 'Gemeinsamer Kanal für Fragen zu Fachverfahren',
    description: 'Ein Teams-Kanal je Fachverfahren, in dem Bezirke Fragen und Lösungen teilen.',
    field: 'zusammenarbeit-vernetzung',
  },
];

interface Shot {
  file: string;
  card: string;
  view: 'light' | 'narrow';
  heightPx: number;
  widthPx: number;
}

interface Figures {
  shots: Shot[];
  payloads: Record<string, number>;
  steps: { surveyId: string; step: string; heightPx: number; cardBytes: number }[];
  recipients: number;
  respondents: number;
}

function parseArgs(argv: string[]): { out: string; keepOpen: boolean } {
  const o = { out: path.join(ROOT, 'docs', 'screenshots'), keepOpen: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') o.out = path.resolve(argv[++i] ?? '');
    else if (argv[i] === '--keep-open') o.keepOpen = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return o;
}

async function startPlayground(botPort: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      PLAYGROUND_CLI,
      '-e',
      `http://127.0.0.1:${botPort}/api/messages`,
      '-c',
      'msteams',
      '--disable-telemetry',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: CONFIG_PATH,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the Playground did not listen within 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /Listening on (\d+)/.exec(chunk.toString());
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`the Playground exited (${code}); see devTools/`)));
    child.stderr!.resume(); // read and dropped, so that a chatty stderr never blocks it
  });
  const url = `http://127.0.0.1:${port}`;
  const ready = await waitFor(async () => {
    try {
      return (await fetch(`${url}/_internal/v1/config`, { signal: AbortSignal.timeout(2_000) })).ok;
    } catch {
      return false;
    }
  }, 60_000);
  if (!ready) throw new Error('the Playground did not answer its config within 60 s');
  return { child, url };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const build = path.join(ROOT, 'build', 'screenshots');
  mkdirSync(build, { recursive: true });
  mkdirSync(o.out, { recursive: true });
  const yml = readFileSync(CONFIG_PATH, 'utf8');
  const officerAad = readYamlScalar(yml, 'currentUser', 'aadObjectId')!;
  const teamId = readYamlScalar(yml, 'team', 'id')!;

  const clock = new StoryClock(STORY_START);
  let azurite: RunningAzurite | undefined;
  let app: App | undefined;
  let playground: ChildProcess | undefined;
  const connector = new CaptureConnector();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
  const figures: Figures = { shots: [], payloads: {}, steps: [], recipients: 0, respondents: 0 };
  let page: Page | undefined;
  try {
    azurite = await startAzurite({ port: 0 });
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      TABLE_PREFIX: 'shots',
      LOG_LEVEL: 'warn',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      OFFICER_AAD_IDS: officerAad,
      OFFICERS_TEAM_ID: teamId,
      DIGEST_ENABLED: 'false',
    });
    app = createApp({
      config,
      storage: { connectionString: azurite.connectionString },
      logger: createLogger({ level: 'warn' }),
      clock,
    });
    const botPort = await app.start(0, '127.0.0.1');
    const botUrl = `http://127.0.0.1:${botPort}`;
    const staffUrl = await connector.start();
    const pg = await startPlayground(botPort);
    playground = pg.child;
    console.log(`Puls on ${botUrl}, the Playground on ${pg.url}, staff connector ${staffUrl}`);
    const cfg = (
      (await (await fetch(`${pg.url}/_internal/v1/config`)).json()) as { config: PlaygroundConfig }
    ).config;

    for (const p of STAFF) {
      await post(botUrl, activity(p, cfg, staffUrl, { type: 'installationUpdate', action: 'add' }));
      await invoke(p, cfg, botUrl, staffUrl, 'settings.save', {
        language: 'de',
        district: p.district,
        reminders: 'true',
      });
    }

    const context = await browser.newContext({ viewport: WIDE, locale: 'de-DE' });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (['127.0.0.1', 'localhost'].includes(url.hostname) || ['data:', 'blob:'].includes(url.protocol))
        return route.continue();
      return route.abort('blockedbyclient');
    });
    page = await context.newPage();
    const invokes: { requestBytes: number; cardBytes: number }[] = [];
    page.on('requestfinished', (request) => {
      if (!request.url().includes('/_conversation/v1/invoke')) return;
      void request
        .response()
        .then((r) => r?.body())
        .then((body) =>
          invokes.push({
            requestBytes: Buffer.byteLength(request.postData() ?? ''),
            cardBytes: bytesOfCardIn(body),
          }),
        )
        .catch(() => invokes.push({ requestBytes: 0, cardBytes: 0 }));
    });
    await page.goto(pg.url, { waitUntil: 'domcontentloaded' });
    await page.locator(EDITOR).first().waitFor({ timeout: 60_000 });
    const cards = page.locator(`${CARD}:visible`);
    await waitFor(async () => (await cards.count()) > 0, 30_000); // the welcome card
    await speakGerman(page, cards);

    const measure: MeasureOptions = {
      playground: pg.url,
      bot: botUrl,
      out: path.join(build, 'steps'),
      width: WIDE.width,
      height: WIDE.height,
      examples: [],
    };
    mkdirSync(measure.out, { recursive: true });

    // 1. Digitale Kompetenzen: 9 staff answer over HTTP, the officer step by step in the Playground.
    const runs: Record<string, string> = {};
    for (const [surveyId, answering] of [
      ['digitale-kompetenzen', 9],
      ['kulturwandel', 6],
    ] as const) {
      const survey = (await surveyById(surveyId))!;
      if (!(await startRun(page, cards, survey))) throw new Error(`no survey card for ${surveyId}`);
      await app.background.idle();
      const run = (await app.repositories.runs.list()).find((r) => r.survey.id === surveyId && !r.closedAt)!;
      runs[surveyId] = run.runId;
      for (const [i, p] of STAFF.slice(0, answering).entries()) {
        const back = await invoke(
          p,
          cfg,
          botUrl,
          staffUrl,
          `survey.answer:${run.runId}`,
          answersOf(survey, i),
        );
        const text = JSON.stringify(back);
        if (!text.includes('Danke')) throw new Error(`${p.id} could not answer: ${text.slice(0, 600)}`);
      }
      const f = await answer(cards, survey, measure, invokes);
      for (const s of f.steps)
        figures.steps.push({ surveyId, step: s.step, heightPx: s.heightPx, cardBytes: s.cardBytes });
      console.log(`${surveyId}: ${run.runId}, ${answering} staff + the officer answered`);
    }
    for (const [name, file] of [
      ['digitale-kompetenzen-q01', 'stepped-digitale-kompetenzen-q01'],
      ['digitale-kompetenzen-q06', 'stepped-digitale-kompetenzen-q06'],
      ['digitale-kompetenzen-q07', 'stepped-digitale-kompetenzen-q07'],
      ['digitale-kompetenzen-q08', 'stepped-digitale-kompetenzen-q08'],
      ['digitale-kompetenzen-summary', 'stepped-digitale-kompetenzen-summary'],
      ['digitale-kompetenzen-thanks', 'stepped-digitale-kompetenzen-thanks'],
      ['kulturwandel-q06', 'stepped-kulturwandel-q06'],
    ]) {
      copyFileSync(path.join(measure.out, `${name}-${WIDE.width}.png`), path.join(o.out, `${file}.png`));
    }

    // 2. Ideas of the week, from three of the staff.
    for (const [i, idea] of IDEAS.entries()) {
      await invoke(STAFF[i]!, cfg, botUrl, staffUrl, 'idea.submit', {
        ...idea,
        district: STAFF[i]!.district,
        anonymous: 'false',
        confirm: 'true',
      });
    }

    // 3. The officer closes Digitale Kompetenzen and sends the results back.
    const runId = runs['digitale-kompetenzen']!;
    let before = await cards.count();
    await say(page, `umfrage beenden ${runId}`);
    await waitFor(async () => (await cards.count()) > before, 15_000);
    const card = cards.last();
    await waitFor(async () => (await card.innerText()).includes('beenden?'), 15_000);
    await shoot(page, card, o.out, 'run-close-confirm', 'close confirmation', figures);
    await card.getByRole('button', { name: 'Jetzt beenden', exact: true }).click();
    await waitFor(async () => (await card.innerText().catch(() => '')).includes('Beendet:'), 15_000);
    await card.getByRole('textbox').first().fill(STATEMENT);
    await shoot(page, card, o.out, 'results-ask', 'statement (ask)', figures);
    before = await cards.count();
    await card.getByRole('button', { name: 'Ergebnisse an alle senden', exact: true }).click();
    await waitFor(async () => (await card.innerText().catch(() => '')).includes('gesendet'), 15_000);
    await app.background.idle();
    const arrived = await waitFor(
      async () => (await cards.last().innerText()).includes('Ergebnisse: Digitale Kompetenzen'),
      30_000,
    );
    if (!arrived) throw new Error('the results-back card did not arrive in the Playground');
    const resultsBack = page
      .locator(`${CARD}:visible`, { hasText: 'Ergebnisse: Digitale Kompetenzen' })
      .last();
    const staffResults = connector.calls.filter((c) => {
      try {
        return cardText(cardOf(c)).includes('Ergebnisse: Digitale Kompetenzen');
      } catch {
        return false;
      }
    });
    figures.recipients = staffResults.length + 1;
    figures.payloads['results-back'] = Buffer.byteLength(JSON.stringify(cardOf(staffResults[0])));
    const runFigures = await app.results.figures((await app.repositories.runs.get(runId))!);
    figures.respondents = runFigures.participation.respondents ?? 0;

    // 4. Sealed three minutes later (as the minute job would), then Monday of the next week: the digest.
    clock.advance(3 * 60_000);
    const sealed = await app.sealer.sealDue();
    console.log(`sealed: ${sealed.join(', ')}`);
    clock.set(DIGEST_DAY);
    before = await cards.count();
    await say(page, 'digest');
    await waitFor(
      async () => (await cards.count()) > before && (await cards.last().innerText()).includes('KW 47'),
      30_000,
    );
    const digest = page.locator(`${CARD}:visible`, { hasText: 'KW 47' }).last();
    figures.payloads['digest'] = Buffer.byteLength(
      JSON.stringify((await digestActivity(app.digest, 'de')).attachments![0]!.content),
    );

    const targets: [string, string, Locator][] = [
      ['results-back', 'results back', resultsBack],
      ['digest', 'digest', digest],
    ];
    for (const [file, name, loc] of targets) await shoot(page, loc, o.out, file, name, figures);
    // The Playground has one theme (Fluent web light; a dark colour scheme changes nothing) and no
    // narrow view: below about 800 px it keeps cards 446 px wide and cuts them off at the window's
    // edge (build/screenshots/page-phone.png). For a phone-width figure the script narrows the
    // Playground's own rendering of each card to 360 px (a common phone width less Teams' margins).
    await page.screenshot({ path: path.join(build, 'page-wide.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await sleep(1_000);
    await page.screenshot({ path: path.join(build, 'page-dark-scheme.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(PHONE);
    await sleep(1_000);
    await page.screenshot({ path: path.join(build, 'page-phone.png') });
    await page.setViewportSize(WIDE);
    await page.addStyleTag({
      content: `${CARD} { width: ${NARROW_PX}px !important; min-width: 0 !important; max-width: ${NARROW_PX}px !important; }`,
    });
    await sleep(1_500);
    for (const [file, name, loc] of targets)
      await shoot(page, loc, o.out, `${file}-narrow`, name, figures, 'narrow');

    if (o.keepOpen) {
      console.log(`Kept open: ${pg.url} (Ctrl+C ends)`);
      await new Promise(() => {});
    }
  } catch (err) {
    await page?.screenshot({ path: path.join(build, 'failure.png'), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await browser.close().catch(() => {});
    playground?.kill('SIGTERM');
    await app?.stop().catch(() => {});
    await connector.stop().catch(() => {});
    await azurite?.stop().catch(() => {});
  }
  writeFileSync(path.join(build, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`respondents ${figures.respondents}, results back to ${figures.recipients} people`);
  for (const s of figures.shots)
    console.log(
      `${s.file.padEnd(34)} ${s.card.padEnd(20)} ${String(s.widthPx).padStart(4)} × ${String(s.heightPx).padStart(5)} px`,
    );
  for (const [k, v] of Object.entries(figures.payloads)) console.log(`payload ${k}: ${v} B`);
  for (const s of figures.steps)
    console.log(
      `${s.surveyId} ${s.step.padEnd(8)} ${String(s.heightPx).padStart(5)} px  card ${s.cardBytes} B`,
    );
}

async function surveyById(id: string): Promise<Survey | undefined> {
  return loadQuestionBank(defaultSurveysDir())
    .list()
    .find((s) => s.id === id);
}

function bytesOfCardIn(body: Buffer | null | undefined): number {
  if (!body) return 0;
  try {
    let card: unknown;
    JSON.stringify(JSON.parse(body.toString('utf8')), (_k, v: unknown) => {
      if (!card && v && typeof v === 'object' && (v as { type?: unknown }).type === 'AdaptiveCard') card = v;
      return v;
    });
    return card ? Buffer.byteLength(JSON.stringify(card)) : 0;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Screenshots one card whole: the window is made tall enough that the chat pane does not clip it. */
async function shoot(
  page: Page,
  card: Locator,
  out: string,
  file: string,
  name: string,
  figures: Figures,
  view: Shot['view'] = 'light',
): Promise<void> {
  const size = page.viewportSize()!;
  const box = await card.boundingBox();
  const tall = Math.round(box?.height ?? 0) + 400;
  if (tall > size.height) await page.setViewportSize({ width: size.width, height: tall });
  await sleep(500);
  await card.scrollIntoViewIfNeeded();
  const measured = await card.boundingBox();
  await card.screenshot({ path: path.join(out, `${file}.png`) });
  figures.shots.push({
    file: `${file}.png`,
    card: name,
    view,
    heightPx: Math.round(measured?.height ?? 0),
    widthPx: Math.round(measured?.width ?? 0),
  });
  if (tall > size.height) await page.setViewportSize(size);
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
