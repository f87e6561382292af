// The Teams throttling simulator as a process of its own (for `npm run bench delivery-multi`), so that
// every engine process sends against one tenant limit. Prints one JSON line with its two addresses:
// `serviceUrl` (the Bot Connector routes) and `control` (figures for the benchmark):
//   GET  /count          → { accepted }
//   GET  /stats          → counters, window peaks, accepted sends per 100 ms, peak memory
//   POST /last-accepted  ["a:conv-…", …] → { "a:conv-…": epoch ms of its last accepted card }
// Environment: SIM_SCALE (default 10).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TeamsSimulator } from '../test/support/teams-simulator';

export const HISTOGRAM_MS = 100;

export interface SimulatorStats {
  scale: number;
  tenantLimit: number;
  acceptedTotal: number;
  requests: number;
  throttled: number;
  throttledBy: Record<string, number>;
  violations: number;
  /** Conversations that got at least one card, and those that got more than one. */
  conversations: number;
  duplicates: number;
  maxRequestedTenant1s: number;
  maxAcceptedTenant1s: number;
  /** Accepted cards per HISTOGRAM_MS, from `histogramStart` (epoch ms). */
  histogramStart: number;
  histogram: number[];
  firstAcceptedAt: number;
  lastAcceptedAt: number;
  maxRss: number;
  /** CPU time used (user + system), ms. */
  cpuMs: number;
}

async function main(): Promise<void> {
  const scale = Number(process.env.SIM_SCALE ?? 10);
  const lastAccepted = new Map<string, number>();
  const buckets: number[] = [];
  let histogramStart = 0;
  let firstAcceptedAt = 0;
  let lastAcceptedAt = 0;
  const sim = new TeamsSimulator({
    scale,
    onAccepted: ({ kind, conversationId, at }) => {
      if (kind !== 'send' && kind !== 'reply') return;
      lastAccepted.set(conversationId, at);
      if (!histogramStart) histogramStart = firstAcceptedAt = at;
      lastAcceptedAt = at;
      const i = Math.floor((at - histogramStart) / HISTOGRAM_MS);
      while (buckets.length <= i) buckets.push(0);
      buckets[i]!++;
    },
  });
  const serviceUrl = await sim.start();

  const stats = (): SimulatorStats => ({
    scale,
    tenantLimit: sim.limits().tenant[0]!.count,
    acceptedTotal: sim.acceptedTotal,
    requests: sim.requests,
    throttled: sim.throttled,
    throttledBy: sim.throttledBy(),
    violations: sim.violations,
    conversations: sim.acceptedByConversation().size,
    duplicates: sim.duplicates().length,
    maxRequestedTenant1s: sim.maxRequestedInAnyWindow().tenant1s,
    maxAcceptedTenant1s: sim.maxAcceptedInAnyWindow().tenant1s,
    histogramStart,
    histogram: buckets,
    firstAcceptedAt,
    lastAcceptedAt,
    maxRss: process.resourceUsage().maxRSS * 1024,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  });
  const control = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/count') return reply({ accepted: sim.acceptedTotal });
    if (req.url === '/stats') return reply(stats());
    if (req.url === '/last-accepted' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const ids = JSON.parse(Buffer.concat(chunks).toString('utf8')) as string[];
        reply(Object.fromEntries(ids.map((id) => [id, lastAccepted.get(id) ?? 0])));
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const port = (control.address() as AddressInfo).port;
  process.stdout.write(`${JSON.stringify({ serviceUrl, control: `http://127.0.0.1:${port}` })}\n`);
  process.on('SIGTERM', () => process.exit(0));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
