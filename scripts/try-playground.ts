// Drives the Microsoft 365 Agents Playground UI in headless Chromium and screenshots each step, so a
// change to a card can be looked at without a desktop. Needs `npm run playground` running.
//
//   npx ts-node --transpile-only scripts/try-playground.ts [steps...]
//
// Steps run in order (default: hilfe einstellungen):
//   <text>              send a message (in a channel: a new post that @mentions the bot)
//   --click <name>      click a button on the newest card, by its accessible name ("Speichern")
//   --fill <label>=<text>  type into a text input of the newest card, found by its label ("Titel=…")
//   --choose <label>    pick a choice on the newest card: radio, checkbox or drop-down entry ("Bezirksamt Altona");
//                       "<label>#<n>" picks the n-th choice with that label ("4#2": "4" of the second scale)
//   --channel[=<name>]  switch to a channel of the mock team (default: General)
//   --personal          switch back to the 1:1 chat
// Options: --url <playground url> (default http://127.0.0.1:56150; loopback only), --out <dir>
// (default build/playground), --timeout <ms> per step (default 15000).
// Screenshots: <out>/00-start.png, then <out>/NN-<slug>.png per step (and NN-<slug>.card.png when
// the newest card is taller than the window). Exit status 1 when a step failed or timed out.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..');
const CHROMIUM_FLAGS = [
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
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const CARD = '.ac-adaptiveCard';
const EDITOR = '[data-lexical-editor="true"]';
const VIEWPORT = { width: 1400, height: 1000 };

type Step =
  | { kind: 'say'; text: string }
  | { kind: 'click'; name: string }
  | { kind: 'choose'; label: string }
  | { kind: 'fill'; label: string; text: string }
  | { kind: 'channel'; name: string }
  | { kind: 'personal' };

interface Options {
  url: string;
  out: string;
  timeoutMs: number;
  steps: Step[];
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    url: 'http://127.0.0.1:56150',
    out: path.join(ROOT, 'build', 'playground'),
    timeoutMs: 15_000,
    steps: [],
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    else if (arg === '--click') options.steps.push({ kind: 'click', name: value(++i, arg) });
    else if (arg === '--choose') options.steps.push({ kind: 'choose', label: value(++i, arg) });
    else if (arg === '--fill') {
      const spec = value(++i, arg);
      const eq = spec.indexOf('=');
      if (eq < 1) throw new UsageError('--fill needs "<label>=<text>"');
      options.steps.push({ kind: 'fill', label: spec.slice(0, eq), text: spec.slice(eq + 1) });
    } else if (arg === '--channel') options.steps.push({ kind: 'channel', name: 'General' });
    else if (arg.startsWith('--channel=')) options.steps.push({ kind: 'channel', name: arg.slice(10) });
    else if (arg === '--personal') options.steps.push({ kind: 'personal' });
    else if (arg === '--url') options.url = value(++i, arg);
    else if (arg === '--out') options.out = path.resolve(value(++i, arg));
    else if (arg === '--timeout') options.timeoutMs = Number(value(++i, arg));
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else options.steps.push({ kind: 'say', text: arg });
  }
  if (options.steps.length === 0) {
    options.steps.push({ kind: 'say', text: 'hilfe' }, { kind: 'say', text: 'einstellungen' });
  }
  if (!LOOPBACK.has(new URL(options.url).hostname))
    throw new UsageError('--url must point to 127.0.0.1 or localhost');
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0)
    throw new UsageError('--timeout must be > 0');
  return options;
}

function slug(step: Step): string {
  const text =
    step.kind === 'say'
      ? step.text
      : step.kind === 'click'
        ? `click ${step.name}`
        : step.kind === 'choose'
          ? `choose ${step.label}`
          : step.kind === 'fill'
            ? `fill ${step.label}`
            : step.kind === 'channel'
              ? `channel ${step.name}`
              : 'personal';
  return (
    text
      .toLowerCase()
      .replace(/ä/g, 'ae')
      .replace(/ö/g, 'oe')
      .replace(/ü/g, 'ue')
      .replace(/ß/g, 'ss')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'step'
  );
}

function describe(step: Step): string {
  switch (step.kind) {
    case 'say':
      return `send "${step.text}"`;
    case 'click':
      return `click "${step.name}"`;
    case 'choose':
      return `choose "${step.label}"`;
    case 'fill':
      return `fill "${step.label}" with "${step.text}"`;
    case 'channel':
      return `open channel "${step.name}"`;
    case 'personal':
      return 'open the 1:1 chat';
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The parts of GET /_internal/v1/config this script uses. */
interface PlaygroundConfig {
  bot: { id: string; name: string };
  personalChat: { id: string };
  teams: { id: string; name: string; channels: { id: string; name: string }[] }[];
}

/** One entry of the Playground's own streams (log panel and conversation), as seen on its WebSockets. */
interface StreamEvent {
  seq: number;
  /** A request the Playground sent to the bot, with the bot's HTTP status. */
  turn?: { conversationId: string; activity: string; status: number | undefined; text: string };
  /** A message the bot sent (createMessage) or changed (updateMessage). */
  botMessage?: { action: string; conversationId: string; cards: number; text: string };
  /** A log line worth showing (warnings, errors, HTTP errors). */
  problem?: string;
}

class PlaygroundWatcher {
  readonly events: StreamEvent[] = [];
  readonly consoleErrors: string[] = [];
  private seq = 0;

  constructor(
    page: Page,
    private readonly botId: string,
  ) {
    page.on('websocket', (ws) => {
      ws.on('framereceived', (frame) =>
        this.onFrame(typeof frame.payload === 'string' ? frame.payload : frame.payload.toString()),
      );
    });
    page.on('console', (msg) => {
      // Blocked internet requests (Office CDN fonts and animations) are expected: not worth a line.
      const text = msg.text();
      if (msg.type() !== 'error') return;
      if (/ERR_BLOCKED_BY_CLIENT|ERR_FAILED|https?:\/\/(?!127\.0\.0\.1|localhost)/.test(text)) return;
      this.consoleErrors.push(text);
    });
    page.on('pageerror', (err) => this.consoleErrors.push(`page error: ${err.message}`));
  }

  mark(): number {
    return this.seq;
  }

  since(mark: number): StreamEvent[] {
    return this.events.filter((e) => e.seq > mark);
  }

  private onFrame(payload: string): void {
    let data: unknown;
    try {
      data = JSON.parse(payload);
    } catch {
      return;
    }
    if (!data || typeof data !== 'object') return;
    const d = data as Record<string, unknown>;
    const event: StreamEvent = { seq: ++this.seq };
    const log = d.log as Record<string, unknown> | undefined;
    if (log && typeof log === 'object') {
      const status = (log.response as { statusCode?: number } | undefined)?.statusCode;
      const display = typeof log.displayText === 'string' ? log.displayText : '';
      if (typeof log.activityName === 'string') {
        if (log.to === 'User Application') {
          event.turn = {
            conversationId: String(log.conversationId ?? ''),
            activity: log.activityName,
            status,
            text: display,
          };
        }
        if (status !== undefined && status >= 400) {
          event.problem =
            `${String(log.from)} -> ${String(log.to)}: ${log.activityName} ${status} ${display}`.trim();
        }
      } else if (log.type !== 'text' || /warn|error|fail|cannot/i.test(display)) {
        event.problem = `${String(log.type)}: ${display}`;
      }
    }
    const message = d.message as Record<string, unknown> | undefined;
    if (typeof d.action === 'string' && message && typeof message === 'object') {
      const from = (message.from as { id?: string } | undefined)?.id;
      if (from === this.botId) {
        const attachments = Array.isArray(message.attachments)
          ? (message.attachments as { contentType?: string }[])
          : [];
        event.botMessage = {
          action: d.action,
          conversationId: String(d.actionConversationId ?? ''),
          cards: attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
            .length,
          text: typeof message.text === 'string' ? message.text : '',
        };
      }
    }
    if (event.turn || event.botMessage || event.problem) this.events.push(event);
  }

  /** Waits until the bot has answered `count` requests sent after `mark` (its HTTP status arrived). */
  async waitForTurns(
    mark: number,
    count: number,
    timeoutMs: number,
    filter?: (activity: string) => boolean,
  ): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const done = this.since(mark).filter(
        (e) => e.turn && e.turn.status !== undefined && (!filter || filter(e.turn.activity)),
      ).length;
      if (done >= count) return true;
      await sleep(100);
    }
    return false;
  }
}

async function waitForCount(locator: Locator, atLeast: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await locator.count()) >= atLeast) return true;
    await sleep(100);
  }
  return false;
}

async function fetchConfig(url: string): Promise<PlaygroundConfig> {
  const res = await fetch(new URL('/_internal/v1/config', url), { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`GET /_internal/v1/config answered ${res.status}`);
  const body = (await res.json()) as { config: PlaygroundConfig };
  return body.config;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) console.error(err.message);
      console.error(
        'usage: try-playground.ts [text | --click <name> | --choose <label> | --channel[=<name>] | --personal]... ' +
          '[--url http://127.0.0.1:56150] [--out build/playground] [--timeout 15000]',
      );
      return 2;
    }
    throw err;
  }

  let config: PlaygroundConfig;
  try {
    config = await fetchConfig(options.url);
  } catch (err) {
    console.error(
      `The Playground does not answer at ${options.url} (${err instanceof Error ? err.message : String(err)}). ` +
        'Start it first: npm run playground',
    );
    return 1;
  }
  const team = config.teams[0];

  mkdirSync(options.out, { recursive: true });
  for (const file of readdirSync(options.out)) {
    if (/^\d\d-.*\.png$/.test(file)) rmSync(path.join(options.out, file));
  }

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
  let failures = 0;
  try {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const blocked = new Set<string>();
    // Nothing but the local Playground: the UI asks the Office CDN for fonts, which is refused here.
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (LOOPBACK.has(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:')
        return route.continue();
      blocked.add(url.host);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    const watcher = new PlaygroundWatcher(page, config.bot.id);
    let conversationId = config.personalChat.id;
    let inChannel = false;

    const report = (mark: number, consoleMark: number) => {
      for (const e of watcher.since(mark)) {
        if (e.turn?.status !== undefined)
          console.log(`    -> bot: ${e.turn.activity} ${e.turn.status} ${e.turn.text}`.trimEnd());
        if (e.botMessage) {
          const what =
            e.botMessage.cards > 0 ? `${e.botMessage.cards} card(s)` : `"${e.botMessage.text.slice(0, 80)}"`;
          console.log(`    bot ${e.botMessage.action}: ${what}`);
        }
        if (e.problem) console.log(`    PLAYGROUND: ${e.problem}`);
      }
      for (const msg of watcher.consoleErrors.slice(consoleMark))
        console.log(`    BROWSER CONSOLE: ${msg.slice(0, 300)}`);
    };
    const cards = page.locator(`${CARD}:visible`);
    const screenshot = async (name: string) => {
      const file = path.join(options.out, `${name}.png`);
      const count = await cards.count();
      let cardTooTall = false;
      if (count > 0) {
        const last = cards.last();
        await last.scrollIntoViewIfNeeded().catch(() => undefined);
        const box = await last.boundingBox();
        cardTooTall = box !== null && box.height > VIEWPORT.height - 150;
        if (cardTooTall) await last.screenshot({ path: path.join(options.out, `${name}.card.png`) });
      }
      await page.screenshot({ path: file });
      console.log(
        `    screenshot ${path.relative(process.cwd(), file)}${cardTooTall ? ' (+ .card.png)' : ''}`,
      );
    };

    console.log(`Opening ${options.url}`);
    let mark = watcher.mark();
    await page.goto(options.url, { waitUntil: 'domcontentloaded' });
    await page.locator(EDITOR).first().waitFor({ timeout: 30_000 });
    // On connecting, the Playground sends installationUpdate and conversationUpdate to the 1:1 chat.
    // Puls welcomes a user it has not seen before; afterwards the chat simply starts empty.
    if (!(await watcher.waitForTurns(mark, 2, options.timeoutMs))) {
      console.log('    (the Playground sent no installation activities: is the bot running?)');
    }
    const welcome = watcher.since(mark).filter((e) => e.botMessage && e.botMessage.cards > 0).length;
    if (welcome > 0) await waitForCount(cards, welcome, 5_000);
    await sleep(500);
    console.log(
      welcome > 0 ? '00 start: welcome card shown' : '00 start: no welcome (this user was installed before)',
    );
    report(mark, 0);
    await screenshot('00-start');

    for (const [index, step] of options.steps.entries()) {
      const name = `${String(index + 1).padStart(2, '0')}-${slug(step)}`;
      console.log(`${name.slice(0, 2)} ${describe(step)}`);
      mark = watcher.mark();
      const consoleMark = watcher.consoleErrors.length;
      try {
        const ok = await runStep(step);
        if (!ok) failures++;
      } catch (err) {
        failures++;
        console.log(`    FAILED: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
      report(mark, consoleMark);
      await screenshot(name);
    }
    if (blocked.size > 0) console.log(`Blocked requests to: ${[...blocked].join(', ')}`);

    async function runStep(step: Step): Promise<boolean> {
      switch (step.kind) {
        case 'say':
          return say(step.text);
        case 'click': {
          const before = await cards.count();
          const card = cards.last();
          const button = card.getByRole('button', { name: step.name, exact: true });
          const target =
            (await button.count()) > 0
              ? button.first()
              : card.getByRole('button', { name: step.name }).first();
          await target.click({ timeout: 5_000 });
          // A button sends an invoke (Action.Execute) or a message (Action.Submit); an OpenUrl sends nothing.
          if (!(await watcher.waitForTurns(mark, 1, options.timeoutMs))) {
            console.log('    no request reached the bot after the click (timeout)');
            return false;
          }
          // Action.Execute usually replaces the card in place; a new message adds cards below.
          const created = watcher
            .since(mark)
            .reduce((n, e) => n + (e.botMessage?.action === 'createMessage' ? e.botMessage.cards : 0), 0);
          if (created > 0) await waitForCount(cards, before + created, 5_000);
          await sleep(800);
          return true;
        }
        case 'choose':
          return choose(step.label);
        case 'fill': {
          // A text input of the newest card, by its label.
          await cards
            .last()
            .getByRole('textbox', { name: step.label })
            .first()
            .fill(step.text, { timeout: 5_000 });
          return true;
        }
        case 'channel': {
          if (!team) throw new Error('the Playground config has no team');
          const channel = team.channels.find((c) => c.name.toLowerCase() === step.name.toLowerCase());
          if (!channel) {
            throw new Error(
              `no channel "${step.name}" (channels: ${team.channels.map((c) => c.name).join(', ')})`,
            );
          }
          await page.getByRole('treeitem', { name: new RegExp(`- ${escapeRegExp(channel.name)}$`) }).click();
          conversationId = channel.id;
          inChannel = true;
          // The first visit to the team sends installationUpdate and conversationUpdate to the bot.
          await watcher.waitForTurns(mark, 2, 5_000);
          await sleep(800);
          return true;
        }
        case 'personal':
          await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
          conversationId = config.personalChat.id;
          inChannel = false;
          await sleep(800);
          return true;
      }
    }

    async function say(text: string): Promise<boolean> {
      const before = await cards.count();
      const editor = page.locator(EDITOR).first();
      await editor.click();
      if (inChannel) {
        // In a channel the bot only hears posts that @mention it: pick it from the mention menu.
        await editor.pressSequentially(`@${config.bot.name.slice(0, 3)}`);
        await page.getByRole('menuitem', { name: config.bot.name }).first().click({ timeout: 5_000 });
        await editor.pressSequentially(` ${text}`);
        await page.getByRole('button', { name: 'Post', exact: true }).click();
      } else {
        await editor.pressSequentially(text);
        await editor.press('Enter');
      }
      const answered = await watcher.waitForTurns(mark, 1, options.timeoutMs, (a) => a === 'message');
      if (!answered) {
        console.log(`    the bot did not answer within ${options.timeoutMs} ms`);
        return false;
      }
      const newCards = watcher
        .since(mark)
        .filter(
          (e) =>
            e.botMessage?.action === 'createMessage' &&
            e.botMessage.conversationId.split(';')[0] === conversationId,
        )
        .reduce((n, e) => n + (e.botMessage?.cards ?? 0), 0);
      if (newCards === 0) {
        console.log('    the bot answered without a card');
        await sleep(500);
        return true;
      }
      if (!(await waitForCount(cards, before + newCards, 5_000))) {
        console.log(
          `    the bot sent ${newCards} card(s) but the UI shows ${(await cards.count()) - before}`,
        );
        return false;
      }
      await sleep(500);
      return true;
    }

    async function choose(spec: string): Promise<boolean> {
      const card = cards.last();
      // "4#3" is the third choice labelled "4" on the card (likert scales repeat their labels).
      const nth = /^(.*)#(\d+)$/.exec(spec);
      const label = nth ? nth[1]! : spec;
      const index = nth ? Number(nth[2]) - 1 : 0;
      // Expanded choice sets and toggles are radios and checkboxes with the choice as their label.
      for (const role of ['radio', 'checkbox'] as const) {
        const option = card.getByRole(role, { name: label, exact: true });
        if ((await option.count()) > index) {
          await option.nth(index).check();
          return true;
        }
        // Multi-select checkboxes are named by aria-labelledby (question + choice); their own
        // aria-label is the choice alone.
        const labelled = card.locator(`input[type=${role}][aria-label=${JSON.stringify(label)}]`);
        if ((await labelled.count()) > index) {
          await labelled.nth(index).check();
          return true;
        }
      }
      // Compact choice sets render as a combobox (its accessible name is the placeholder): open each in turn.
      const comboboxes = card.getByRole('combobox');
      const n = await comboboxes.count();
      for (let i = 0; i < n; i++) {
        await comboboxes.nth(i).click();
        const option = page.getByRole('option', { name: label, exact: true });
        if (
          await option
            .first()
            .isVisible({ timeout: 1_000 })
            .catch(() => false)
        ) {
          await option.first().click();
          return true;
        }
        await page.keyboard.press('Escape');
      }
      // A plain <select>, should the renderer use one.
      const selects = card.locator('select');
      for (let i = 0; i < (await selects.count()); i++) {
        const labels = await selects.nth(i).locator('option').allInnerTexts();
        if (labels.map((l) => l.trim()).includes(label)) {
          await selects.nth(i).selectOption({ label });
          return true;
        }
      }
      throw new Error(`no choice labelled "${label}" on the newest card`);
    }
  } finally {
    await browser.close();
  }
  console.log(failures === 0 ? 'All steps done.' : `${failures} step(s) failed.`);
  return failures === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exit(1);
    },
  );
}
