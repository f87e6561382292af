// The officers' tab on the bot's own HTTP server: the bundle under /tab/ (built by src/tab/bundle.ts)
// and its JSON API under /api/tab/…, every call authenticated first (Teams SSO token, or the local
// officer on loopback when Puls runs without a MicrosoftAppId) and handed to the TabDataSource.
// Thin: parse and validate the request, call the data source, send its JSON.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Config } from '../src/config';
import { DISTRICTS, FIELDS_OF_ACTION } from '../src/domain/vocabulary';
import type { Logger } from '../src/logger';
import {
  LOCAL_OFFICER,
  TabTokenVerifier,
  isLoopbackAddress,
  isLoopbackHost,
  type TabAuthResult,
} from '../src/tab/auth';
import type { TabBundle } from '../src/tab/bundle';
import type { ExportFile, TabDataSource, TabOfficer } from '../src/tab/data-source';
import type { ApiErrorView, SessionView } from '../src/tab/view-types';

export interface TabRouteOptions {
  data: TabDataSource;
  bundle: TabBundle;
  logger: Logger;
  /** Decides who is calling: an officer, or 401/403 with the reason. */
  authenticate(req: Request): Promise<TabAuthResult>;
  mode: 'teams' | 'local';
  kMin: number;
}

/** Teams and the other Microsoft 365 hosts that may frame the tab (Teams' tab requirements). */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
].join(' ');

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Fluent UI (Griffel) inserts its style rules at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  `frame-ancestors ${FRAME_ANCESTORS}`,
].join('; ');

/** Builds the authenticator for the configuration: SSO tokens with a MicrosoftAppId, else local. */
export function tabAuthenticator(config: Config): {
  mode: 'teams' | 'local';
  authenticate: TabRouteOptions['authenticate'];
} {
  if (!config.bot.appId) {
    return {
      mode: 'local',
      // Local mode is unauthenticated: only this machine, and only pages it serves itself (Host
      // header), so that another site open in the officer's browser cannot drive it.
      authenticate: async (req) =>
        isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHost(req.headers.host)
          ? { ok: true, officer: LOCAL_OFFICER }
          : { ok: false, status: 403, reason: 'not_loopback' },
    };
  }
  const verifier = new TabTokenVerifier({
    jwksUrl: config.tab.jwksUrl,
    audiences: [config.tab.appIdUri, config.bot.appId].filter(Boolean),
    allowedTenantIds: config.allowedTenantIds,
    officerAadIds: config.officerAadIds,
    officerGroupId: config.tab.officerGroupId,
  });
  return { mode: 'teams', authenticate: (req) => verifier.verify(req.headers.authorization) };
}

const GROUP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** At most this many groups in one run's audience from the tab. */
const MAX_GROUPS = 20;
const status = z.enum(['submitted', 'in_review', 'accepted', 'implemented', 'rejected']);
const schemas = {
  startRun: z
    .object({
      surveyId: z.string().max(60),
      closesOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      districts: z.array(z.enum(DISTRICTS)).max(DISTRICTS.length).default([]),
      groupIds: z.array(z.string().regex(GROUP_ID)).max(MAX_GROUPS).optional(),
      groupNames: z
        .record(z.string().max(60), z.string().max(256))
        .refine((names) => Object.keys(names).length <= MAX_GROUPS, 'too many groups')
        .optional(),
    })
    .strict(),
  groupSearch: z.object({ q: z.string().max(100).default('') }).strict(),
  reach: z
    .object({
      districts: z.array(z.enum(DISTRICTS)).max(DISTRICTS.length).default([]),
      groupIds: z.array(z.string().regex(GROUP_ID)).max(MAX_GROUPS).default([]),
    })
    .strict(),
  review: z.object({ from: status, to: status, feedback: z.string().max(1000).default('') }).strict(),
  merge: z.object({ into: z.string().min(1).max(100) }).strict(),
  draft: z
    .object({
      definition: z.unknown().optional(),
      templateId: z.string().max(60).optional(),
      etag: z.string().max(200).optional(),
    })
    .strict(),
  schedule: z
    .object({
      surveyId: z.string().max(60),
      districts: z.array(z.enum(DISTRICTS)).max(DISTRICTS.length).default([]),
      groupIds: z.array(z.string().max(40)).max(50).default([]),
      cadence: z
        .object({ unit: z.enum(['weeks', 'months']), every: z.number().int().min(1).max(52) })
        .strict(),
      firstDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      time: z.string().regex(/^\d{2}:\d{2}$/),
      openDays: z.number().int().min(1).max(90),
      active: z.boolean().default(true),
      etag: z.string().max(200).optional(),
    })
    .strict(),
  exportQuery: z
    .object({ format: z.enum(['csv', 'xlsx']), lang: z.enum(['de', 'en']).default('de') })
    .strict(),
  ideaFilter: z
    .object({
      field: z.enum(FIELDS_OF_ACTION).optional(),
      district: z.enum(DISTRICTS).optional(),
      minSupport: z.coerce.number().int().min(0).max(100000).optional(),
    })
    .strict(),
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorView,
  ) {
    super(body.message);
  }
}

const notFound = (what: string) => new HttpError(404, { error: 'not_found', message: `${what} not found` });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new HttpError(400, {
      error: 'invalid',
      message: `${issue.path.join('.') || 'body'}: ${issue.message}`,
    });
  }
  return result.data;
}

/** A download instead of JSON. */
class FileBody {
  constructor(readonly file: ExportFile) {}
}

type Handler = (ctx: { req: Request; officer: TabOfficer; param(name: string): string }) => Promise<unknown>;

export function mountTab(server: Server, options: TabRouteOptions): void {
  const { data, logger } = options;

  const api = (method: 'get' | 'post' | 'put' | 'del', route: string, handler: Handler) => {
    server[method](`/api/tab/${route}`, async (req: Request, res: Response) => {
      res.setHeader('cache-control', 'no-store');
      try {
        if (method !== 'get' && req.headers['x-puls-tab'] !== '1') {
          // A form on another site cannot set this header without a CORS preflight Puls never allows.
          throw new HttpError(403, { error: 'forbidden', message: 'missing x-puls-tab header' });
        }
        const auth = await options.authenticate(req);
        if (!auth.ok) {
          logger.info({ reason: auth.reason, route }, 'tab request refused');
          const error =
            auth.status === 401 ? 'unauthenticated' : auth.status === 403 ? 'forbidden' : 'unavailable';
          throw new HttpError(auth.status, { error, message: auth.reason });
        }
        const param = (name: string) =>
          String((req.params as Record<string, unknown> | undefined)?.[name] ?? '');
        const body = await handler({ req, officer: auth.officer, param });
        if (body instanceof FileBody) {
          const { file } = body;
          res.setHeader('content-type', file.contentType);
          res.setHeader('content-disposition', `attachment; filename="${file.fileName}"`);
          res.setHeader('x-content-type-options', 'nosniff');
          res.sendRaw(200, Buffer.from(file.body));
          return;
        }
        res.send(200, body);
      } catch (err) {
        if (err instanceof HttpError) {
          res.send(err.status, err.body);
          return;
        }
        logger.error({ err, route }, 'tab request failed');
        res.send(500, { error: 'internal', message: 'internal error' } satisfies ApiErrorView);
      }
    });
  };

  api('get', 'session', async ({ officer }) => {
    const session: SessionView = {
      mode: options.mode,
      user: { id: officer.id, name: officer.name },
      kMin: options.kMin,
    };
    return session;
  });
  api('get', 'runs', () => data.listRuns());
  api('get', 'surveys', () => data.listSurveyOptions());
  api('post', 'runs', ({ req, officer }) => data.startRun(officer, parse(schemas.startRun, req.body)));
  api('get', 'runs/:runId/close-preview', async ({ param }) => {
    const preview = await data.closePreview(param('runId'));
    if (!preview) throw notFound('run');
    return preview;
  });
  // The directory's groups by name (officers only, like every route here): at least two characters,
  // at most ten groups, bounded in time; { available: false } without a directory.
  api('get', 'directory/groups', async ({ req }) => {
    const { q } = parse(schemas.groupSearch, Object.fromEntries(new URLSearchParams(req.getQuery())));
    return data.searchGroups ? data.searchGroups(q) : { available: false };
  });
  api('post', 'directory/reach', async ({ req }) => {
    const input = parse(schemas.reach, req.body);
    return data.previewReach ? data.previewReach(input) : { kind: 'pending' };
  });
  api('post', 'runs/:runId/close', ({ officer, param }) => data.closeRun(officer, param('runId')));
  api('post', 'runs/:runId/remind', ({ officer, param }) => data.remindRun(officer, param('runId')));
  api('get', 'runs/:runId/results', async ({ param }) => {
    const results = await data.runResults(param('runId'));
    if (!results) throw notFound('run');
    return results;
  });
  api('get', 'runs/:runId/export', async ({ req, param }) => {
    const query = parse(schemas.exportQuery, Object.fromEntries(new URLSearchParams(req.getQuery())));
    const file = await data.exportRun(param('runId'), query.format, query.lang);
    if (!file) throw notFound('run');
    return new FileBody(file);
  });
  api('get', 'ideas', ({ req }) =>
    data.ideaBoard(parse(schemas.ideaFilter, Object.fromEntries(new URLSearchParams(req.getQuery())))),
  );
  api('get', 'ideas/:ideaId', async ({ param }) => {
    const detail = await data.ideaDetail(param('ideaId'));
    if (!detail) throw notFound('idea');
    return detail;
  });
  api('post', 'ideas/:ideaId/review', ({ req, officer, param }) =>
    data.reviewIdea(officer, param('ideaId'), parse(schemas.review, req.body)),
  );
  api('post', 'ideas/:ideaId/merge', ({ req, officer, param }) =>
    data.mergeIdea(officer, param('ideaId'), parse(schemas.merge, req.body).into),
  );
  api('get', 'surveys/library', () => data.surveyLibrary());
  api('get', 'drafts/:draftId', async ({ param }) => {
    const draft = await data.getDraft(param('draftId'));
    if (!draft) throw notFound('draft');
    return draft;
  });
  api('post', 'drafts', ({ req, officer }) =>
    data.saveDraft(officer, undefined, parse(schemas.draft, req.body)),
  );
  api('put', 'drafts/:draftId', ({ req, officer, param }) =>
    data.saveDraft(officer, param('draftId'), parse(schemas.draft, req.body)),
  );
  api('del', 'drafts/:draftId', async ({ officer, param }) => {
    if (!(await data.deleteDraft(officer, param('draftId')))) throw notFound('draft');
    return { deleted: true };
  });
  api('post', 'drafts/:draftId/publish', ({ officer, param }) =>
    data.publishDraft(officer, param('draftId')),
  );
  api('get', 'schedules', () => data.listSchedules());
  api('post', 'schedules', ({ req, officer }) =>
    data.saveSchedule(officer, undefined, parse(schemas.schedule, req.body)),
  );
  api('put', 'schedules/:scheduleId', ({ req, officer, param }) =>
    data.saveSchedule(officer, param('scheduleId'), parse(schemas.schedule, req.body)),
  );
  api('del', 'schedules/:scheduleId', async ({ officer, param }) => {
    if (!(await data.deleteSchedule(officer, param('scheduleId')))) throw notFound('schedule');
    return { deleted: true };
  });

  mountStatic(server, options);
}

interface StaticFile {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** GET /tab/ (the page), /tab/configure (the channel tab's setup page) and /tab/assets/<file>. */
function mountStatic(server: Server, options: TabRouteOptions): void {
  const cache = new Map<string, StaticFile>();
  let cachedFor: string | undefined;

  const load = async (relative: string): Promise<StaticFile> => {
    const bundle = await options.bundle.ensure();
    if (cachedFor !== bundle.script) {
      cache.clear();
      cachedFor = bundle.script;
    }
    let file = cache.get(relative);
    if (!file) {
      const body = await readFile(path.join(bundle.outDir, relative));
      file = {
        body,
        gzipped: gzipSync(body, { level: 9 }),
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        type: TYPES[path.extname(relative)] ?? 'application/octet-stream',
      };
      cache.set(relative, file);
    }
    return file;
  };

  server.get('/tab', async (_req: Request, res: Response) => {
    res.setHeader('location', '/tab/');
    res.send(301);
  });
  server.get('/tab/*', async (req: Request, res: Response) => {
    const rest = String((req.params as Record<string, unknown> | undefined)?.['*'] ?? '');
    const asset = /^assets\/([A-Za-z0-9_.-]+)$/.exec(rest)?.[1];
    const relative = asset
      ? `assets/${asset}`
      : rest === '' || rest === 'index.html' || rest === 'configure'
        ? 'index.html'
        : undefined;
    if (!relative) {
      res.send(404);
      return;
    }
    let file: StaticFile;
    try {
      file = await load(relative);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        res.send(404);
        return;
      }
      options.logger.error({ err }, 'the tab bundle is not available');
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.setHeader('retry-after', '10');
      res.sendRaw(503, 'The Puls tab could not be built; see the bot log.');
      return;
    }
    res.setHeader('content-type', file.type);
    res.setHeader('etag', file.etag);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    // Assets carry their content hash in the name; the page itself is checked each time.
    res.setHeader('cache-control', asset ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (relative === 'index.html') res.setHeader('content-security-policy', CSP);
    res.setHeader('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === file.etag) {
      res.sendRaw(304, '');
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) res.setHeader('content-encoding', 'gzip');
    res.sendRaw(200, gzip ? file.gzipped : file.body);
  });
}
