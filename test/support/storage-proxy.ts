// A small HTTP proxy in front of the test Azurite: every request reaches the real table service,
// unless a test asks for a fault first. It answers chosen requests with a storage error (503, as
// Table Storage does when it is busy) or holds one while the test does something else in between,
// so that failures and races happen at exactly the request a test names.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testConnectionString } from './storage';

export interface StorageRequest {
  method: string;
  /** The URL path, decoded, e.g. "/devstoreaccount1/t1a2b3ideas(PartitionKey='idea',RowKey='…')". */
  path: string;
  body: string;
}

interface Rule {
  match(r: StorageRequest): boolean;
  /** How many more requests it applies to. */
  remaining: number;
  act(r: StorageRequest): Promise<number | undefined>;
}

export class StorageProxy {
  private server?: http.Server;
  private target!: URL;
  private rules: Rule[] = [];
  /** Every request that passed, in order (for assertions and debugging). */
  readonly seen: StorageRequest[] = [];
  connectionString = '';

  /** Starts in front of the jest run's Azurite (or another table endpoint's connection string). */
  async start(targetConnectionString = testConnectionString()): Promise<string> {
    const endpoint = /TableEndpoint=([^;]+)/.exec(targetConnectionString)?.[1];
    if (!endpoint) throw new Error('The connection string names no TableEndpoint');
    this.target = new URL(endpoint);
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.connectionString = targetConnectionString.replace(
      /TableEndpoint=[^;]+/,
      `TableEndpoint=http://127.0.0.1:${port}${this.target.pathname}`,
    );
    return this.connectionString;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Answers the next `times` matching requests with `status` instead of passing them on. */
  fail(match: (r: StorageRequest) => boolean, options: { status?: number; times?: number } = {}): void {
    const status = options.status ?? 503;
    this.rules.push({ match, remaining: options.times ?? Infinity, act: () => Promise.resolve(status) });
  }

  /** Holds the next matching request until `hook` has run, then passes it on. */
  before(match: (r: StorageRequest) => boolean, hook: (r: StorageRequest) => Promise<void>): void {
    this.rules.push({
      match,
      remaining: 1,
      act: async (r) => {
        await hook(r);
        return undefined;
      },
    });
  }

  /** Removes every fault: storage answers normally again. */
  heal(): void {
    this.rules = [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const request: StorageRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent((req.url ?? '/').split('?')[0]!),
      body: body.toString('utf8'),
    };
    const rule = this.rules.find((r) => r.remaining > 0 && r.match(request));
    if (rule) {
      rule.remaining--;
      try {
        const status = await rule.act(request);
        if (status !== undefined) {
          res.writeHead(status, { 'content-type': 'application/json;odata=minimalmetadata' });
          res.end(
            JSON.stringify({
              'odata.error': {
                code: 'ServerBusy',
                message: { lang: 'en-US', value: `Simulated ${status} from the storage proxy` },
              },
            }),
          );
          return;
        }
      } catch (err) {
        res.writeHead(500).end(String(err));
        return;
      }
    }
    this.seen.push(request);
    const upstream = http.request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => res.writeHead(502).end(String(err)));
    upstream.end(body);
  }
}

/** Requests that write to a table (by its full, prefixed name): inserts, updates, deletes, batches. */
export function writesTo(table: string): (r: StorageRequest) => boolean {
  return (r) =>
    r.method !== 'GET' &&
    (r.path.includes(`/${table}(`) || r.path.endsWith(`/${table}`) || isBatchFor(r, table));
}

function isBatchFor(r: StorageRequest, table: string): boolean {
  return r.path.endsWith('/$batch') && r.body.includes(`/${table}(`);
}
