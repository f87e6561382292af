// The HTTP edge: restify with POST /api/messages (through the adapter) and GET /healthz.
//
// Every request to /api/messages ends in a status that says what happened, fast: a malformed
// activity is a 400 before anything else runs (botbuilder answered some with 500, and one without
// a serviceUrl only after ~10 s of trying a public endpoint); a request that does not authenticate
// is a 401 with an empty body (botbuilder put its error message there); a turn is traced.
import type { Activity } from 'botbuilder';
import restify, { type Server } from 'restify';
import type { Logger } from '../src/logger';
import { activityKindOf, noTelemetry, TURN_RECORD, type Telemetry } from '../src/telemetry';
import { RequestNotAuthenticated, type PulsAdapter } from './auth';
import type { PulsBot } from './puls-bot';

/** /healthz answers within this, whatever storage does. */
const HEALTH_TIMEOUT_MS = 1_500;

export interface HttpServerOptions {
  adapter: PulsAdapter;
  bot: PulsBot;
  logger: Logger;
  telemetry?: Telemetry;
  /** Resolves when storage answers; rejects otherwise (bounded by the caller, and here again). */
  checkStorage(timeoutMs: number): Promise<void>;
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

  const telemetry = options.telemetry ?? noTelemetry;

  server.post('/api/messages', async (req, res) => {
    if (closing) {
      res.setHeader('Retry-After', '5');
      res.send(503);
      return;
    }
    const body: unknown = req.body;
    const facts = { activityType: activityKindOf((body as { type?: unknown } | null)?.type) };
    inFlight++;
    try {
      await telemetry.turn(facts, async (record) => {
        const problem = activityProblem(body);
        if (problem) {
          res.send(400, { error: 'BadRequest', message: problem });
          record.setOutcome('rejected', 400);
          return;
        }
        const authHeader = String(req.headers.authorization ?? '');
        try {
          const invoke = await options.adapter.processAuthenticated(
            authHeader,
            body as Activity,
            (context) => {
              context.turnState.set(TURN_RECORD, record);
              return options.bot.run(context);
            },
          );
          const status = invoke?.status ?? 200;
          if (invoke?.body !== undefined) res.send(status, invoke.body);
          else res.send(status);
          record.setOutcome(status < 400 ? 'ok' : status < 500 ? 'rejected' : 'error', status);
        } catch (err) {
          if (err instanceof RequestNotAuthenticated) {
            const reason = err.reason instanceof Error ? err.reason.message : String(err.reason);
            // A refused token is routine; not being able to check one at all (the Bot Framework's
            // signing keys unreachable) turns all Teams traffic away and needs an operator.
            if ((err.reason as { statusCode?: unknown } | null)?.statusCode === 401) {
              options.logger.warn({ reason }, 'request to /api/messages not authenticated');
            } else {
              options.logger.error({ reason }, 'could not authenticate a request to /api/messages');
            }
            res.send(401);
            record.setOutcome('unauthenticated', 401);
            return;
          }
          options.logger.error({ err, activityType: facts.activityType }, 'turn failed');
          res.send(500);
          record.setOutcome('error', 500);
        }
      });
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
      await withTimeout(options.checkStorage(HEALTH_TIMEOUT_MS), HEALTH_TIMEOUT_MS + 200);
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

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Fields that are strings when present (null counts as absent). */
const STRING_FIELDS = ['id', 'text', 'name', 'locale', 'replyToId', 'textFormat', 'channelId', 'action'];

/**
 * What is wrong with a body posted to /api/messages, in a sentence a developer can act on, or
 * undefined for a well-formed activity. Only the shape is checked; the bot judges the content.
 */
export function activityProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'the body must be a JSON object (an activity)';
  if (typeof body.type !== 'string' || body.type === '' || body.type.length > 64) {
    return 'activity.type must be a non-empty string';
  }
  if (typeof body.serviceUrl !== 'string' || !isHttpUrl(body.serviceUrl)) {
    return 'activity.serviceUrl must be an http(s) address';
  }
  const conversation = body.conversation;
  if (!isRecord(conversation) || typeof conversation.id !== 'string' || conversation.id === '') {
    return 'activity.conversation.id must be a non-empty string';
  }
  for (const field of STRING_FIELDS) {
    const value = body[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return `activity.${field} must be a string`;
    }
  }
  if (typeof body.name === 'string' && body.name.length > 256) return 'activity.name is too long';
  for (const field of ['from', 'recipient', 'channelData']) {
    if (body[field] !== undefined && body[field] !== null && !isRecord(body[field])) {
      return `activity.${field} must be an object`;
    }
  }
  return undefined;
}

function isHttpUrl(value: string): boolean {
  if (value.length > 2048) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
