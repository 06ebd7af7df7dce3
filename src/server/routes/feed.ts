// The Atom feed /feed.atom: SLA breaches and regressions (subscriber alerts) and each channel's current status.
import type { FastifyInstance } from 'fastify';
import { cachedRoute, cachedSender, type ServerContext } from '../http.ts';
import { feedReads, feedText } from '../feed-build.ts';

export function feedRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const sendAtom = cachedSender({ type: 'application/atom+xml; charset=utf-8', vary: 'Accept-Encoding', maxAgeS: 60 });
  app.get('/feed.atom', cachedRoute, async (request, reply) => {
    const base = ctx.publicUrl ?? `${request.protocol}://${request.host}`;
    const list = await ctx.documents.list('90d', false);
    // Built with the list off the main thread, when it was built for this base and no alert was written since.
    const prebuilt = ctx.documents.listFeed(list, base);
    if (prebuilt) return sendAtom(request, reply, prebuilt, false);
    const { index } = list;
    const body = ctx.cache.getText(`feed:${base}:${index.generatedAt}`, () =>
      feedText({
        base,
        alerts: ctx.queries.alerts(feedReads, false),
        statuses: index.statuses,
        vendorName: (slug) => ctx.documents.listedPlace(list, slug)?.name,
        notes: ctx.store.vendors.recentNotes(feedReads, false),
        generatedAt: index.generatedAt,
      }),
    );
    return sendAtom(request, reply, body, false);
  });
}
