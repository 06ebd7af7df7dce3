// The Fastify app factory: public status API and pages, badges, feed and admin routes; it never listens by itself.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { timingSafeEqual, createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../core/clock.ts';
import { silentLogger, type Logger } from '../core/logger.ts';
import { FirstReplyError, type ErrorCode } from '../core/errors.ts';
import type { Store } from '../store/db.ts';
import { publicQueries, type PublicQueries } from '../store/public-probes.ts';
import { buildStatsReport, type StatsQuery, type WindowName } from '../metrics/report.ts';
import type { StatsReport } from '../metrics/report-types.ts';
import { createResponseCache, pickEncoding, type RenderedBody, type ResponseCache } from './cache.ts';
import { securityHeaders } from './security.ts';
import { documents, type Documents } from './documents.ts';
import { publicRoutes } from './routes/public.ts';
import { adminRoutes } from './routes/admin.ts';
import { badgeRoutes } from './routes/badges.ts';
import { feedRoutes } from './routes/feed.ts';
import { notFoundPage, pageRoutes } from './routes/pages.ts';

export interface ServerDeps {
  store: Store;
  clock: Clock;
  /** A pino logger for request logs; omit for none. */
  logger?: Logger;
  /** FIRSTREPLY_ADMIN_TOKEN: unlocks private vendors and the admin routes; without it admin routes answer 401. */
  adminToken?: string | undefined;
  /** The numbers come from a demo (simulated clock): every page says so. */
  demoTime?: boolean;
  /** Starts one probe now (admin route); without it the route answers 501. */
  triggerProbe?: (vendor: string, channel: string) => Promise<{ probeId: number }>;
  /** Rebuild cached JSON after this long even without writes (default 30 s). */
  cacheTtlMs?: number;
  /** Limit per client on the routes that compute on demand (default 120 per minute). */
  rateLimit?: { max: number; timeWindowMs: number };
  /** Base URL of the public site for feed links (settings public_url); default: the request's own host. */
  publicUrl?: string | undefined;
  /** Directory of the static site (default: the repository's site/). */
  siteDir?: string;
  /** The report builder (default: the one behind `firstreply stats --json`). */
  buildReport?: ReportBuilder;
}

export type WindowLabel = WindowName;

/** What the server asks of the statistics: one window, optionally one vendor or channel. */
export interface ReportQuery {
  window: WindowLabel;
  vendor?: string | undefined;
  channel?: string | undefined;
  includePrivate: boolean;
}

export type ReportBuilder = (store: Store, query: StatsQuery) => StatsReport;

/** What every route module receives. */
export interface ServerContext {
  store: Store;
  clock: Clock;
  queries: PublicQueries;
  cache: ResponseCache;
  demoTime: boolean;
  siteDir: string;
  triggerProbe: ServerDeps['triggerProbe'];
  expensive: { rateLimit: { max: number; timeWindow: number } };
  report(query: ReportQuery): StatsReport;
  documents: Documents;
  isAdmin(request: FastifyRequest): boolean;
  adminConfigured: boolean;
  publicUrl: string | undefined;
}

const here = dirname(fileURLToPath(import.meta.url));
export const defaultSiteDir = join(here, '..', '..', 'site');

function uplotDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('uplot')));
}

export class HttpError extends FirstReplyError {
  readonly status: number;
  constructor(status: number, code: ErrorCode, message?: string) {
    super(code, message);
    this.status = status;
  }
}

/** Sends a cached JSON body with its ETag, honouring If-None-Match and Accept-Encoding. */
export function sendRendered(request: FastifyRequest, reply: FastifyReply, body: RenderedBody, privateView: boolean,
  options: { type?: string; vary?: string; maxAgeS?: number } = {}): FastifyReply {
  reply.header('etag', body.etag);
  reply.header('vary', options.vary ?? 'Accept-Encoding, Authorization');
  reply.header('cache-control', privateView ? 'private, no-store' : `public, max-age=${options.maxAgeS ?? 5}, must-revalidate`);
  if (request.headers['if-none-match'] === body.etag) return reply.code(304).send();
  reply.type(options.type ?? 'application/json; charset=utf-8');
  const encoding = pickEncoding(request.headers['accept-encoding']);
  if (encoding) reply.header('content-encoding', encoding);
  return reply.send(encoding === 'br' ? body.br : encoding === 'gzip' ? body.gzip : body.raw);
}

function tokenMatches(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export async function buildApp(deps: ServerDeps): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = deps.logger ?? silentLogger;
  const app = Fastify({ loggerInstance, trustProxy: false });
  const { store, clock } = deps;
  const queries = publicQueries(store);
  const cache = createResponseCache({
    version: () => `${store.revision()}.${queries.dataVersion()}`,
    now: () => clock.now(),
    ttlMs: deps.cacheTtlMs ?? 30_000,
  });
  const buildReport = deps.buildReport ?? buildStatsReport;
  const adminToken = deps.adminToken && deps.adminToken.length > 0 ? deps.adminToken : undefined;
  const limit = deps.rateLimit ?? { max: 120, timeWindowMs: 60_000 };
  const demoTime = deps.demoTime ?? false;
  const report: ServerContext['report'] = (query) => buildReport(store, {
    now: clock.now(), window: query.window, includePrivate: query.includePrivate,
    ...(query.vendor !== undefined ? { vendor: query.vendor } : {}),
    ...(query.channel !== undefined ? { channel: query.channel } : {}),
    ...(demoTime ? { demoTime: true } : {}),
  });
  const context: ServerContext = {
    store, clock, queries, cache, report,
    documents: documents({ cache, clock, queries, demoTime, report }),
    demoTime,
    siteDir: deps.siteDir ?? defaultSiteDir,
    triggerProbe: deps.triggerProbe,
    expensive: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } },
    isAdmin(request) {
      const header = request.headers.authorization;
      if (!adminToken || !header || !header.startsWith('Bearer ')) return false;
      return tokenMatches(adminToken, header.slice('Bearer '.length).trim());
    },
    adminConfigured: adminToken !== undefined,
    publicUrl: deps.publicUrl?.replace(/\/+$/, ''),
  };

  app.addHook('onRequest', securityHeaders);
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(rateLimit, { global: false });
  await app.register(fastifyStatic, { root: join(context.siteDir, 'assets'), prefix: '/assets/', index: false, maxAge: '1h', etag: true });
  await app.register(fastifyStatic, { root: uplotDir(), prefix: '/assets/uplot/', index: false, decorateReply: false, maxAge: '1d', etag: true, allowedPath: (path: string) => /^\/uPlot\.(iife\.min\.js|min\.css)$/.test(path) });

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof HttpError) {
      if (err.status === 404 && !request.url.startsWith('/api/')) return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(request, context.demoTime));
      return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
    }
    const status = typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status === 429) return reply.code(429).send({ error: { code: 'RATE_LIMITED', message: 'too many requests, slow down' } });
    if (status >= 500) request.log.error({ err }, 'request failed');
    return reply.code(status).send({ error: { code: status >= 500 ? 'INTERNAL' : 'BAD_INPUT', message: status >= 500 ? 'internal error' : err instanceof Error ? err.message : 'bad request' } });
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'no such route' } });
    return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(request, context.demoTime));
  });

  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { ok: true, now: clock.now(), revision: store.revision() };
  });
  publicRoutes(app, context);
  adminRoutes(app, context);
  await app.register(import('./routes/admin-page.ts'), { context });
  badgeRoutes(app, context);
  feedRoutes(app, context);
  pageRoutes(app, context);
  return app;
}
