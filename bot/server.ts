// The HTTP edge: restify with POST /api/messages (through CloudAdapter) and GET /healthz.
import type { CloudAdapter } from 'botbuilder';
import restify, { type Server } from 'restify';
import type { Logger } from '../src/logger';
import type { PulsBot } from './puls-bot';

export interface HttpServerOptions {
  adapter: CloudAdapter;
  bot: PulsBot;
  logger: Logger;
  /** Resolves when storage answers; rejects otherwise. */
  checkStorage(): Promise<void>;
  /** The CSV for a signed export token; undefined for an invalid or expired token. */
  exportCsv(token: string): Promise<{ fileName: string; csv: string } | undefined>;
}

export interface HttpServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops taking requests and waits (up to timeoutMs) for the turns in flight. */
  close(timeoutMs: number): Promise<void>;
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  // Export tokens are longer than the router's default limit of 100 characters for a path parameter.
  const server = restify.createServer({ name: 'puls', maxParamLength: 600 } as restify.ServerOptions);
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));

  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  server.post('/api/messages', async (req, res) => {
    if (closing) {
      res.setHeader('Retry-After', '5');
      res.send(503);
      return;
    }
    inFlight++;
    try {
      await options.adapter.process(req, res, (context) => options.bot.run(context));
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  });

  server.get('/api/export/:token', async (req, res) => {
    try {
      const result = await options.exportCsv(String(req.params?.token ?? ''));
      if (!result) {
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.send(
          403,
          'This export link is invalid or has expired. Ask Puls for a new one: export <survey id>.',
        );
        return;
      }
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="${result.fileName}"`);
      res.setHeader('cache-control', 'no-store');
      res.sendRaw(200, result.csv);
    } catch (err) {
      options.logger.error({ err }, 'export failed');
      res.send(500);
    }
  });

  server.get('/healthz', async (_req, res) => {
    try {
      await options.checkStorage();
      res.send(closing ? 503 : 200, { status: closing ? 'stopping' : 'ok', storage: 'ok' });
    } catch (err) {
      options.logger.warn({ err }, 'health check: storage unavailable');
      res.send(503, { status: 'degraded', storage: 'unavailable' });
    }
  });

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve(address.port);
        });
      });
    },
    async close(timeoutMs) {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
        ]);
      }
      // Idle keep-alive connections would hold server.close() open.
      (server.server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      await Promise.race([stopped, new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    },
  };
}
