// A local stand-in for the Bot Connector service: the bot's outgoing calls (replies, proactive
// messages, card updates, new conversations) land here and are recorded, as Teams would receive them.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';

export interface CapturedCall {
  method: 'POST' | 'PUT' | 'DELETE';
  /** 'send' (new message), 'reply', 'update', 'delete' or 'createConversation'. */
  kind: 'send' | 'reply' | 'update' | 'delete' | 'createConversation';
  conversationId: string;
  activityId?: string;
  activity: Partial<Activity>;
  /** createConversation only: the conversation parameters (channelData, isGroup, …). */
  parameters?: Record<string, unknown>;
  /** The id the connector gave the message. */
  id: string;
  authorization: string | undefined;
}

export interface ConnectorOptions {
  /** Decides the HTTP status of a call (default 200/201). Lets tests inject failures. */
  respond?: (
    call: Omit<CapturedCall, 'id'>,
  ) => number | { status: number; headers: Record<string, string> } | undefined;
  /** Milliseconds to hold a call before answering (a slow Teams service). */
  delayMs?: (call: Omit<CapturedCall, 'id'>) => number;
}

export class CaptureConnector {
  readonly calls: CapturedCall[] = [];
  private server?: http.Server;
  url = '';

  constructor(private readonly options: ConnectorOptions = {}) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  clear(): void {
    this.calls.length = 0;
  }

  /** Messages (sent, replied or updated) in one conversation, oldest first. */
  messagesIn(conversationId: string): CapturedCall[] {
    return this.calls.filter((c) => c.conversationId === conversationId && c.kind !== 'delete');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // /v3/conversations[/:conversationId/activities[/:activityId]]
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') {
      res.writeHead(404).end();
      return;
    }
    const method = req.method as CapturedCall['method'];
    const conversationId = parts[2] ?? '';
    const activityId = parts[4];
    let kind: CapturedCall['kind'];
    if (!conversationId) kind = 'createConversation';
    else if (method === 'PUT') kind = 'update';
    else if (method === 'DELETE') kind = 'delete';
    else kind = activityId ? 'reply' : 'send';

    const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const activity = (kind === 'createConversation' ? parsed.activity : parsed) as Partial<Activity>;
    const call = {
      method,
      kind,
      conversationId: kind === 'createConversation' ? `conv-${randomUUID()}` : conversationId,
      activityId,
      activity: activity ?? {},
      ...(kind === 'createConversation' ? { parameters: parsed } : {}),
      authorization: req.headers.authorization,
    };
    const delay = this.options.delayMs?.(call) ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const answer = this.options.respond?.(call) ?? (kind === 'createConversation' ? 201 : 200);
    const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
    if (status >= 300) {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ error: { code: 'Simulated', message: `simulated ${status}` } }));
      return;
    }
    const id = kind === 'update' && activityId ? activityId : `msg-${randomUUID()}`;
    this.calls.push({ ...call, id });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(kind === 'createConversation' ? { id: call.conversationId, activityId: id } : { id }),
    );
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The first Adaptive Card of a captured message. */
export function cardOf(call: CapturedCall | undefined): Record<string, unknown> {
  const attachment = call?.activity.attachments?.[0];
  if (!attachment || attachment.contentType !== 'application/vnd.microsoft.card.adaptive') {
    throw new Error(`Expected an Adaptive Card, got ${JSON.stringify(call?.activity).slice(0, 300)}`);
  }
  return attachment.content as Record<string, unknown>;
}

/** All visible text of a card (TextBlocks, facts, labels, button titles), for assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value', 'label', 'placeholder']) {
        if (typeof o[key] === 'string') out.push(o[key] as string);
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out.join('\n');
}

/** The data of the card's first Action.Execute button with this title (throws when there is none). */
export function buttonData(card: unknown, title: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown): void => {
    if (found) return;
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' && o.title === title) found = o.data as Record<string, unknown>;
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  if (!found) throw new Error(`No button "${title}" on the card`);
  return found;
}
