// The public JSON API (/api/v1/…): aggregates and probe timings of public vendors only (all vendors with the admin token).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError, cachedRoute, parseInput, sendRendered, slugParam, slugParams, vendorListParam, type ServerContext } from '../http.ts';
import { defaultWindow, windows } from '../documents.ts';

const windowParam = z.enum(['7d', '30d', '90d', 'all']);
export const vendorsQuery = z.object({ window: windowParam.default(defaultWindow) });
export const vendorQuery = z.object({ window: windowParam.default(defaultWindow), channel: slugParam.optional() });
export const probesQuery = z.object({
  window: windowParam.default(defaultWindow),
  channel: slugParam.optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});
export const hourQuery = z.object({
  window: windowParam.default(defaultWindow),
  channel: slugParam.optional(),
  tz: z.enum(['vendor', 'utc']).default('vendor'),
});
export const compareQuery = z.object({ vendors: vendorListParam, window: windowParam.default('30d') });

export function publicRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const docs = ctx.documents;
  /** The vendor of the URL when the caller may see it; private vendors answer 404 exactly like unknown ones. */
  const scopeOf = (request: FastifyRequest, channel: string | undefined) => {
    const { slug } = parseInput(slugParams, request.params);
    const admin = ctx.isAdmin(request);
    if (!ctx.queries.vendorVisible(slug, admin)) throw new HttpError(404, 'NOT_FOUND', `no vendor "${slug}"`);
    if (channel !== undefined && !ctx.queries.channelVisible(slug, channel, admin))
      throw new HttpError(404, 'NOT_FOUND', `no channel "${channel}" for "${slug}"`);
    return { vendor: slug, channel, admin };
  };

  app.get('/api/v1', async () => ({
    version: 1,
    windows,
    routes: [
      '/api/v1/vendors',
      '/api/v1/vendors/:slug',
      '/api/v1/vendors/:slug/probes',
      '/api/v1/vendors/:slug/daily',
      '/api/v1/vendors/:slug/hour-of-week',
      '/api/v1/compare?vendors=a,b',
      '/healthz',
      '/badge/:vendor/:channel.svg',
      '/feed.atom',
    ],
  }));

  app.get('/api/v1/vendors', cachedRoute, async (request, reply) => {
    const { window } = parseInput(vendorsQuery, request.query);
    const admin = ctx.isAdmin(request);
    return sendRendered(request, reply, await docs.vendors(window, admin), admin);
  });

  app.get('/api/v1/vendors/:slug', cachedRoute, async (request, reply) => {
    const { window, channel } = parseInput(vendorQuery, request.query);
    const scope = scopeOf(request, channel);
    return sendRendered(request, reply, await docs.vendor(scope, window), scope.admin);
  });

  app.get('/api/v1/vendors/:slug/probes', { ...cachedRoute, config: ctx.expensive }, async (request, reply) => {
    const { window, channel, limit } = parseInput(probesQuery, request.query);
    const scope = scopeOf(request, channel);
    return sendRendered(request, reply, await docs.probes(scope, window, limit), scope.admin);
  });

  app.get('/api/v1/vendors/:slug/daily', cachedRoute, async (request, reply) => {
    const { channel } = parseInput(vendorQuery, request.query);
    const scope = scopeOf(request, channel);
    return sendRendered(request, reply, await docs.daily(scope), scope.admin);
  });

  app.get('/api/v1/vendors/:slug/hour-of-week', cachedRoute, async (request, reply) => {
    const { window, channel, tz } = parseInput(hourQuery, request.query);
    const scope = scopeOf(request, channel);
    return sendRendered(request, reply, await docs.hourOfWeek(scope, window, tz), scope.admin);
  });

  app.get('/api/v1/compare', { ...cachedRoute, config: ctx.expensive }, async (request, reply) => {
    const { vendors, window } = parseInput(compareQuery, request.query);
    const admin = ctx.isAdmin(request);
    const missing = vendors.filter((slug) => !ctx.queries.vendorVisible(slug, admin));
    if (missing.length > 0) throw new HttpError(404, 'NOT_FOUND', `no vendor ${missing.map((m) => `"${m}"`).join(', ')}`);
    return sendRendered(request, reply, await docs.compare(vendors, window, admin), admin);
  });
}
