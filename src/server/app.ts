// The Fastify app factory: public status API and pages, badges, feed and admin routes; it never listens by itself.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../core/clock.ts';
import { LazyChildLogger, silentLogger, type Logger } from '../core/logger.ts';
import type { Store } from '../store/db.ts';
import { publicQueries, type PublicQueries } from '../store/public-probes.ts';
import { buildStatsReport, type StatsQuery } from '../metrics/report.ts';
import type { StatsReport } from '../metrics/report-types.ts';
import { createResponseCache } from './cache.ts';
import { securityHeaders } from './security.ts';
import { operatorSessions, sessionIdOf } from './session.ts';
import { statusDocuments } from './documents.ts';
import { readyPath, type ReadyPath } from './ready-path.ts';
import { mainThreadBuilder, workerBuilder } from './status-builders.ts';
import { HttpError, type ServerContext, type TriggerProbe } from './http.ts';
import { publicRoutes } from './routes/public.ts';
import { adminRoutes } from './routes/admin.ts';
import { badgeRoutes } from './routes/badges.ts';
import { feedRoutes } from './routes/feed.ts';
import { embedRoutes } from './routes/embed.ts';
import { registerOpenApi } from './openapi.ts';
import { metricsRoute, type Prometheus } from './prometheus.ts';
import { notFoundPage, pageRoutes } from './routes/pages.ts';
import { adminPageRoutes } from './routes/admin-page.ts';
import { evidenceRoutes } from './routes/evidence.ts';
import { adminSessionRoutes } from './routes/admin-session.ts';
import { trialPageRoutes } from './routes/trial-page.ts';
import type { Trial } from '../trials/load.ts';

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
  triggerProbe?: TriggerProbe;
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
  /** Prometheus metrics to serve at /metrics on this app (omit when off, or when they have a listener of their own). */
  metrics?: Prometheus | undefined;
  /** The report builder (default: the one behind `firstreply stats --json`). */
  buildReport?: ReportBuilder;
  /**
   * Build status documents on worker threads with their own read-only connection (the composition root sets it);
   * an in-memory store, or a custom report builder, builds on this thread.
   */
  statusWorker?: boolean;
  /**
   * Answer the vendors list and a vendor's document before routing when a version is in memory (default true; the
   * routes send the same bytes and headers: false compares them).
   */
  readyPath?: boolean;
  /** Trials (probes/trials/*.yaml) a signed-in operator sees at /trial/<id>. */
  trials?: readonly Trial[];
  /** Where probe evidence is kept (settings evidence_dir), for the trial pages' probe lists. */
  evidenceDir?: string;
  /** Prints a trial report's HTML to PDF for the trial page's PDF export (Chromium); without it that export answers 501. */
  printReport?: (html: string, footer: string) => Promise<Buffer>;
}

export type ReportBuilder = (store: Store, query: StatsQuery) => StatsReport;

const here = dirname(fileURLToPath(import.meta.url));
const defaultSiteDir = join(here, '..', '..', 'site');

function uplotDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('uplot')));
}

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
 * vendorVisible/channelVisible answered from memory: each answer is asked of the store once (a point query) until the
 * store version changes, and at least once a second (a catalog sync does not count as a result). The whole vendor and
 * channel list is never read on a request: at 1,536 vendors that took milliseconds after every write.
 */
export function memoVisibility(queries: PublicQueries, version: () => string, monotonicNow: () => number = () => performance.now()): PublicQueries {
  let key: string | undefined;
  let readAt = -Infinity;
  let answers = new Map<string, boolean>();
  const maxAnswers = 10_000;
  const memo = (question: string, ask: () => boolean): boolean => {
    const v = version();
    const now = monotonicNow();
    if (v !== key || now - readAt >= 1000) {
      answers = new Map();
      key = v;
      readAt = now;
    }
    let answer = answers.get(question);
    if (answer === undefined) {
      answer = ask();
      if (answers.size < maxAnswers) answers.set(question, answer);
    }
    return answer;
  };
  return {
    ...queries,
    vendorVisible: (slug, includePrivate) => memo(`${includePrivate ? 'vp' : 'v'}\n${slug}`, () => queries.vendorVisible(slug, includePrivate)),
    channelVisible: (vendor, channel, includePrivate) =>
      memo(`${includePrivate ? 'cp' : 'c'}\n${vendor}\n${channel}`, () => queries.channelVisible(vendor, channel, includePrivate)),
  };
}

export async function buildApp(deps: ServerDeps): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = deps.logger ?? silentLogger;
  // Two log lines per request would flood the log under load: errors are logged by the error handler, slow requests below.
  const hops = deps.trustProxy;
  // A hop count trusts that many proxies nearest to us (proxy-addr's own meaning of a number).
  const trustProxy = typeof hops === 'number' ? (_address: string, hop: number) => hop < hops : typeof hops === 'object' ? [...hops] : (hops ?? false);
  let ready: ReadyPath | undefined;
  const app = Fastify({
    loggerInstance,
    trustProxy,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (logger, bindings, options) => new LazyChildLogger(logger, bindings, options),
    // Fastify's own HTTP/1 server, with the ready documents answered before its routing (src/server/ready-path.ts).
    serverFactory: (handler, options) => {
      // The options Fastify gives its own server (its defaults filled in).
      const number = (name: string): number => (typeof options[name] === 'number' ? options[name] : 0);
      const server = createServer((request: IncomingMessage, response: ServerResponse) => {
        if (ready?.serve(request, response)) return;
        handler(request, response);
      });
      server.keepAliveTimeout = number('keepAliveTimeout');
      server.requestTimeout = number('requestTimeout');
      server.setTimeout(number('connectionTimeout'));
      if (number('maxRequestsPerSocket') > 0) server.maxRequestsPerSocket = number('maxRequestsPerSocket');
      return server;
    },
  });
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
  const sessions = operatorSessions();
  const report: ServerContext['report'] = (query) =>
    buildReport(store, {
      now: clock.now(),
      window: query.window,
      includePrivate: query.includePrivate,
      ...(query.vendor !== undefined ? { vendor: query.vendor } : {}),
      ...(query.channel !== undefined ? { channel: query.channel } : {}),
      ...(demoTime ? { demoTime: true } : {}),
    });
  const offThread = deps.statusWorker === true && !deps.buildReport && !store.db.memory && store.db.name !== '';
  const context: ServerContext = {
    store,
    clock,
    queries,
    cache,
    report,
    documents: statusDocuments({
      store,
      clock,
      queries: storeQueries,
      ttlMs: deps.cacheTtlMs ?? 30_000,
      // Off the main thread, writes a few seconds apart share a rebuild (as long as a public response may be cached):
      // the vendors list is compressed again each time, 0.5 s of CPU at 1,536 vendors.
      rebuildGapMs: offThread ? 5_000 : 0,
      pagesWithList: offThread,
      builder: offThread ? workerBuilder({ path: store.db.name, demoTime }) : mainThreadBuilder({ store, queries: storeQueries, demoTime, buildReport }),
      onError: (err) => app.log.error({ err }, 'status document rebuild failed'),
    }),
    demoTime,
    siteDir: deps.siteDir ?? defaultSiteDir,
    triggerProbe: deps.triggerProbe,
    expensive: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } },
    isAdmin(request) {
      const header = request.headers.authorization;
      if (!adminToken || !header?.startsWith('Bearer ')) return false;
      return tokenMatches(adminToken, header.slice('Bearer '.length).trim());
    },
    isOperator(request) {
      return context.isAdmin(request) || (adminToken !== undefined && sessions.valid(sessionIdOf(request.headers.cookie)));
    },
    tokenValid: (token) => adminToken !== undefined && tokenMatches(adminToken, token),
    sessions,
    adminConfigured: adminToken !== undefined,
    publicUrl: deps.publicUrl?.replace(/\/+$/, ''),
  };

  app.addHook('onClose', () => context.documents.close());
  if (deps.readyPath !== false) {
    ready = readyPath(context.documents, context.queries);
    app.addHook('preClose', (done) => {
      ready?.stop();
      done();
    });
  }
  securityHeaders(app);
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.elapsedTime >= 1000) request.log.warn({ url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'slow request');
    done();
  });
  await registerOpenApi(app);
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(rateLimit, { global: false });
  await app.register(fastifyStatic, { root: join(context.siteDir, 'assets'), prefix: '/assets/', index: false, maxAge: '1h', etag: true });
  await app.register(fastifyStatic, {
    root: uplotDir(),
    prefix: '/assets/uplot/',
    index: false,
    decorateReply: false,
    maxAge: '1d',
    etag: true,
    allowedPath: (path: string) => /^\/uPlot\.(iife\.min\.js|min\.css)$/.test(path),
  });

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof HttpError) {
      if (err.status === 404 && !request.url.startsWith('/api/'))
        return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(request, context.demoTime));
      return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
    }
    const status = typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status === 429) return reply.code(429).send({ error: { code: 'RATE_LIMITED', message: 'too many requests, slow down' } });
    if (status >= 500) request.log.error({ err }, 'request failed');
    return reply.code(status).send({
      error: {
        code: status >= 500 ? 'INTERNAL' : 'BAD_INPUT',
        message: status >= 500 ? 'internal error' : err instanceof Error ? err.message : 'bad request',
      },
    });
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
  evidenceRoutes(app, context, { evidenceDir: deps.evidenceDir ?? 'data/evidence' });
  adminPageRoutes(app, context);
  adminSessionRoutes(app, context);
  trialPageRoutes(app, context, { trials: deps.trials ?? [], evidenceDir: deps.evidenceDir ?? 'data/evidence', printReport: deps.printReport });
  badgeRoutes(app, context);
  feedRoutes(app, context);
  embedRoutes(app, context);
  if (deps.metrics) metricsRoute(app, deps.metrics);
  pageRoutes(app, context, deps.trials ?? []);
  return app;
}
