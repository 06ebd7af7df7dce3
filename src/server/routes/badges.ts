// SVG badges /badge/<vendor>/<channel>.svg: median time to first human reply (or SLA %), coloured by status.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatDuration } from '../../core/clock.ts';
import { cachedRoute, cachedSender, parseInput, slugParam, type ServerContext } from '../http.ts';
import type { ChannelStatus, StatsReport } from '../../metrics/report-types.ts';
import { slaTotals } from '../views.ts';

const badgeParams = z.object({ vendor: slugParam, file: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}\.svg$/) });
const fileParam = z.object({ file: z.string().max(100) });
export const badgeQuery = z.object({ metric: z.enum(['median', 'sla']).default('median'), window: z.enum(['7d', '30d', '90d', 'all']).default('30d') });

const colours: Record<ChannelStatus, string> = {
  meeting_sla: '#1a7f37',
  slower_than_sla: '#9a6700',
  not_answering: '#cf222e',
  insufficient_data: '#6e7781',
};

/** A channel with an open SLA-breach or regression alert: "slower than usual". */
export const incidentColour = '#bf8700';

/** A flat badge in the shields.io style; badge-maker sizes the text with Verdana 11px metrics (anafanafo). */
type MakeBadge = typeof import('badge-maker').makeBadge;

function badgeSvg(makeBadge: MakeBadge, label: string, value: string, colour: string): string {
  return makeBadge({ label, message: value, color: colour, style: 'flat' });
}

function badgeFor(report: StatsReport, channel: string, metric: 'median' | 'sla'): { label: string; value: string; colour: string } | undefined {
  const stats = report.vendors[0]?.channels.find((c) => c.channel === channel);
  if (!stats) return undefined;
  // An open SLA-breach or regression alert turns the badge amber whatever the window's figures say.
  const colour = stats.incident && stats.status !== 'insufficient_data' ? incidentColour : colours[stats.status];
  if (stats.status === 'insufficient_data') return { label: `${channel} ${metric === 'sla' ? 'SLA' : 'first reply'}`, value: 'insufficient data', colour };
  if (metric === 'sla') {
    const { share } = slaTotals(stats.sla);
    return { label: `${channel} SLA`, value: share === null ? 'n/a' : `${Math.round(share * 100)}%`, colour };
  }
  const median = stats.human.median.value;
  return { label: `${channel} first reply`, value: median === null ? 'no reply' : formatDuration(median), colour };
}

/** What a badge URL that names no public channel answers: an image still (a page embedding it shows "unknown"), with 404. */
function unknownBadge(makeBadge: MakeBadge, file: string | undefined): string {
  const channel = file !== undefined && /^[a-z0-9][a-z0-9-]{0,62}\.svg$/.test(file) ? file.slice(0, -'.svg'.length) : undefined;
  return badgeSvg(makeBadge, channel === undefined ? 'firstreply' : `${channel} first reply`, 'unknown', colours.insufficient_data);
}

export function badgeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const sendSvg = cachedSender({ type: 'image/svg+xml; charset=utf-8', vary: 'Accept-Encoding', maxAgeS: 300 });
  app.get('/badge/:vendor/:file', cachedRoute, async (request, reply) => {
    // badge-maker (text metrics) is loaded with the first badge, not when the server starts.
    const { makeBadge } = await import('badge-maker');
    const path = badgeParams.safeParse(request.params);
    const { metric, window } = parseInput(badgeQuery, request.query);
    const channel = path.success ? path.data.file.slice(0, -'.svg'.length) : '';
    if (!path.success || !ctx.queries.channelVisible(path.data.vendor, channel, false)) {
      const named = fileParam.safeParse(request.params);
      return reply
        .code(404)
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .send(unknownBadge(makeBadge, named.success ? named.data.file : undefined));
    }
    const { vendor } = path.data;
    const body = ctx.cache.getText(`badge:${vendor}:${channel}:${metric}:${window}`, () => {
      const badge = badgeFor(ctx.report({ vendor, channel, window, includePrivate: false }), channel, metric);
      return badgeSvg(makeBadge, badge?.label ?? channel, badge?.value ?? 'insufficient data', badge?.colour ?? colours.insufficient_data);
    });
    return sendSvg(request, reply, body, false);
  });
}
