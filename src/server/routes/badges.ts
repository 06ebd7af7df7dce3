// SVG badges /badge/<vendor>/<channel>.svg: median time to first human reply (or SLA %), coloured by status.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatDuration } from '../../core/clock.ts';
import { HttpError, cachedRoute, cachedSender, parseInput, slugParam, type ServerContext } from '../http.ts';
import { escapeHtml } from '../html.ts';
import type { ChannelStatus, StatsReport } from '../../metrics/report-types.ts';
import { slaTotals } from '../views.ts';

const params = z.object({ vendor: slugParam, file: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}\.svg$/) });
const query = z.object({ metric: z.enum(['median', 'sla']).default('median'), window: z.enum(['7d', '30d', '90d', 'all']).default('30d') });

const colours: Record<ChannelStatus, string> = {
  meeting_sla: '#1a7f37',
  slower_than_sla: '#9a6700',
  not_answering: '#cf222e',
  insufficient_data: '#6e7781',
};

/** Roughly the width of Verdana 11px text, enough to size the badge without a font. */
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u2E80-\uFFFF]/.test(ch) ? 11 : /[ilI.,:|!' ]/.test(ch) ? 3.5 : /[mwMW%]/.test(ch) ? 9.5 : 7;
  return Math.round(width + 10);
}

export function badgeSvg(label: string, value: string, colour: string): string {
  const left = textWidth(label);
  const right = textWidth(value);
  const width = left + right;
  const l = escapeHtml(label);
  const v = escapeHtml(value);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${l}: ${v}"><title>${l}: ${v}</title>`
    + `<rect width="${left}" height="20" fill="#555"/><rect x="${left}" width="${right}" height="20" fill="${colour}"/>`
    + `<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">`
    + `<text x="${left / 2}" y="14">${l}</text><text x="${left + right / 2}" y="14">${v}</text></g></svg>`;
}

export function badgeFor(report: StatsReport, channel: string, metric: 'median' | 'sla'): { label: string; value: string; colour: string } | undefined {
  const stats = report.vendors[0]?.channels.find((c) => c.channel === channel);
  if (!stats) return undefined;
  const colour = colours[stats.status];
  if (stats.status === 'insufficient_data') return { label: `${channel} ${metric === 'sla' ? 'SLA' : 'first reply'}`, value: 'insufficient data', colour };
  if (metric === 'sla') {
    const { share } = slaTotals(stats.sla);
    return { label: `${channel} SLA`, value: share === null ? 'n/a' : `${Math.round(share * 100)}%`, colour };
  }
  const median = stats.human.median.value;
  return { label: `${channel} first reply`, value: median === null ? 'no reply' : formatDuration(median), colour };
}

export function badgeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const sendSvg = cachedSender({ type: 'image/svg+xml; charset=utf-8', vary: 'Accept-Encoding', maxAgeS: 300 });
  app.get('/badge/:vendor/:file', cachedRoute, async (request, reply) => {
    const { vendor, file } = parseInput(params, request.params);
    const { metric, window } = parseInput(query, request.query);
    const channel = file.slice(0, -'.svg'.length);
    if (!ctx.queries.channelVisible(vendor, channel, false)) throw new HttpError(404, 'NOT_FOUND', `no channel "${channel}" for "${vendor}"`);
    const body = ctx.cache.getText(`badge:${vendor}:${channel}:${metric}:${window}`, () => {
      const badge = badgeFor(ctx.report({ vendor, channel, window, includePrivate: false }), channel, metric);
      return badgeSvg(badge?.label ?? channel, badge?.value ?? 'insufficient data', badge?.colour ?? colours.insufficient_data);
    });
    return sendSvg(request, reply, body, false);
  });
}
