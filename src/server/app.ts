// The Fastify app factory: public status API and pages, badges, feed and admin routes; it never listens by itself.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
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
import { createResponseCache, encodingFor, etagMatches, preparer, type RenderedBody, type ResponseCache, type SendOptions } from './cache.ts';
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
  /**
   * Reverse proxies whose X-Forwarded-For names the client (settings trust_proxy): addresses/CIDRs, or a hop count.
   * Unset, the peer address is the client; behind a proxy every visitor would then share the proxy's rate limit.
   */
  trustProxy?: number | string | readonly string[] | undefined;
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

export type CachedSender = (request: FastifyRequest, reply: FastifyReply, body: RenderedBody, privateView: boolean) => FastifyReply;

/**
 * A sender of cached bodies of one kind (JSON, HTML, SVG…): headers (ETag, Content-Encoding, Content-Length, Vary,
 * Cache-Control) are computed once per body and encoding, the pre-compressed bytes go out as they are, and a matching
 * If-None-Match gets a 304.
 */
export function cachedSender(options: SendOptions = {}): CachedSender {
  const prepare = preparer(options);
  return (request, reply, body, privateView) => {
    const prepared = prepare(body, encodingFor(request.headers['accept-encoding']), privateView);
    if (etagMatches(request.headers['if-none-match'], body.etag)) return reply.code(304).headers(prepared.notModified).send();
    return reply.headers(prepared.headers).send(prepared.body);
  };
}

/** Sends a cached JSON body (the API's default headers). */
export const sendRendered: CachedSender = cachedSender();

/** Options of routes that send cached, pre-compressed bodies: the compression plugin leaves them alone. */
export const cachedRoute: { compress: false; decompress: false } = { compress: false, decompress: false };

/** The store's version for cache keys: its revision at once, SQLite's data_version (writes by other processes) at most once a second. */
function storeVersion(store: Store, queries: PublicQueries, monotonicNow: () => number = () => performance.now()): () => string {
  let revision = -1;
  let dataVersion = -1;
  let checkedAt = -Infinity;
  let version = '';
  return () => {
    const current = store.revision();
    const now = monotonicNow();
    if (current !== revision || now - checkedAt >= 1000) {
      const data = queries.dataVersion();
      checkedAt = now;
      if (current !== revision || data !== dataVersion) {
        revision = current;
        dataVersion = data;
        version = `${revision}.${dataVersion}`;
      }
    }
    return version;
  };
}

function tokenMatches(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/**
 * vendorVisible/channelVisible answered from memory: the vendor and channel list is read again when the store version
 * changes, and at least once a second (a catalog sync does not count as a result).
 */
function memoVisibility(queries: PublicQueries, version: () => string, monotonicNow: () => number = () => performance.now()): PublicQueries {
  let key: string | undefined;
  let readAt = -Infinity;
  let sets = { vendors: new Set<string>(), publicVendors: new Set<string>(), channels: new Set<string>(), publicChannels: new Set<string>() };
  const current = () => {
    const v = version();
    const now = monotonicNow();
    if (v !== key || now - readAt >= 1000) {
      const next = { vendors: new Set<string>(), publicVendors: new Set<string>(), channels: new Set<string>(), publicChannels: new Set<string>() };
      for (const row of queries.visibility()) {
        const isPublic = row.visibility === 'public';
        next.vendors.add(row.vendor);
        if (isPublic) next.publicVendors.add(row.vendor);
        if (row.channel === null) continue;
        next.channels.add(`${row.vendor}\n${row.channel}`);
        if (isPublic) next.publicChannels.add(`${row.vendor}\n${row.channel}`);
      }
      sets = next;
      key = v;
      readAt = now;
    }
    return sets;
  };
  return {
    ...queries,
    vendorVisible: (slug, includePrivate) => (includePrivate ? current().vendors : current().publicVendors).has(slug),
    channelVisible: (vendor, channel, includePrivate) => (includePrivate ? current().channels : current().publicChannels).has(`${vendor}\n${channel}`),
  };
}

export async function buildApp(deps: ServerDeps): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = deps.logger ?? silentLogger;
  // Two log lines per request would flood the log under load: errors are logged by the error handler, slow requests below.
  const hops = deps.trustProxy;
  // A hop count trusts that many proxies nearest to us (proxy-addr's own meaning of a number).
  const trustProxy = typeof hops === 'number' ? (_address: string, hop: number) => hop < hops : typeof hops === 'object' ? [...hops] : hops ?? false;
  const app = Fastify({ loggerInstance, trustProxy, logController: new LogController({ disableRequestLogging: true }) });
  const { store, clock } = deps;
  const storeQueries = publicQueries(store);
  const version = storeVersion(store, storeQueries);
  const queries = memoVisibility(storeQueries, version);
  const cache = createResponseCache({
    version,
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
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.elapsedTime >= 1000) request.log.warn({ url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'slow request');
    done();
  });
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
