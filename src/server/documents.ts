// The cached JSON documents behind both the API and the pages: one document per view, built once per store change.
import { DAY } from '../core/clock.ts';
import type { Clock } from '../core/clock.ts';
import type { WindowName } from '../metrics/report.ts';
import type { StatsReport } from '../metrics/report-types.ts';
import type { PublicQueries } from '../store/public-probes.ts';
import type { RenderedBody, ResponseCache } from './cache.ts';
import { scorecard, vendorsDocument, type CompareDocument, type VendorsDocument } from './views.ts';

export type WindowLabel = WindowName;

/** What the server asks of the statistics: one window, optionally one vendor or channel. */
export interface ReportQuery {
  window: WindowLabel;
  vendor?: string | undefined;
  channel?: string | undefined;
  includePrivate: boolean;
}

/** What the documents are built from. */
export interface DocumentSources {
  cache: ResponseCache;
  clock: Clock;
  queries: PublicQueries;
  demoTime: boolean;
  report(query: ReportQuery): StatsReport;
}

export const windows: readonly WindowLabel[] = ['7d', '30d', '90d', 'all'];
const windowMs: Record<WindowLabel, number | null> = { '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY, all: null };

export interface ChannelScope {
  vendor: string;
  channel?: string | undefined;
  admin: boolean;
}

function isVendorsDocument(value: unknown): value is VendorsDocument {
  return typeof value === 'object' && value !== null && 'generatedAt' in value && 'vendors' in value && !('etag' in value);
}

export function documents(ctx: DocumentSources) {
  /** The compact list as a value (the feed and the admin route read it), built once per store change. */
  const vendorsValue = (window: WindowLabel, admin: boolean): VendorsDocument =>
    ctx.cache.getValue(`vendors-value:${window}:${admin}`, () => vendorsDocument(ctx.report({ window, includePrivate: admin })), isVendorsDocument);
  return {
    vendorsValue,
    /** Every visible vendor × channel with its status and 90-day bar (compact: see VendorsDocument). */
    vendors: (window: WindowLabel, admin: boolean): RenderedBody =>
      ctx.cache.get(`vendors:${window}:${admin}`, () => vendorsValue(window, admin)),

    /** The full statistics report of one vendor (the same document as `firstreply stats --json`). */
    vendor: (scope: ChannelScope, window: WindowLabel): RenderedBody =>
      ctx.cache.get(`vendor:${scope.vendor}:${scope.channel ?? ''}:${window}:${scope.admin}`,
        () => ctx.report({ vendor: scope.vendor, channel: scope.channel, window, includePrivate: scope.admin })),

    /** Probe timings and timeline labels, newest first. */
    probes: (scope: ChannelScope, window: WindowLabel, limit: number): RenderedBody =>
      ctx.cache.get(`probes:${scope.vendor}:${scope.channel ?? ''}:${window}:${limit}:${scope.admin}`, () => {
        const span = windowMs[window];
        const now = ctx.clock.now();
        const from = span === null ? null : now - span;
        return {
          generatedAt: now,
          vendor: scope.vendor,
          window: { label: window, from, to: now },
          limit,
          probes: ctx.queries.probes({ vendor: scope.vendor, channel: scope.channel, from: from ?? undefined, to: now + 1, limit, includePrivate: scope.admin }),
        };
      }),

    /** One bucket per day over the last 90 days, per channel. */
    daily: (scope: ChannelScope): RenderedBody =>
      ctx.cache.get(`daily:${scope.vendor}:${scope.channel ?? ''}:${scope.admin}`, () => {
        const report = ctx.report({ vendor: scope.vendor, channel: scope.channel, window: '90d', includePrivate: scope.admin });
        return {
          generatedAt: report.generatedAt, window: report.window, demoTime: report.demoTime, vendor: scope.vendor,
          channels: (report.vendors[0]?.channels ?? []).map((c) => ({ channel: c.channel, kind: c.kind, daily: c.daily })),
        };
      }),

    /** 168 cells (Monday 00:00 first) per channel, in the vendor's time zone or UTC. */
    hourOfWeek: (scope: ChannelScope, window: WindowLabel, tz: 'vendor' | 'utc'): RenderedBody =>
      ctx.cache.get(`hours:${scope.vendor}:${scope.channel ?? ''}:${window}:${tz}:${scope.admin}`, () => {
        const report = ctx.report({ vendor: scope.vendor, channel: scope.channel, window, includePrivate: scope.admin });
        const vendor = report.vendors[0];
        return {
          generatedAt: report.generatedAt, window: report.window, demoTime: report.demoTime, vendor: scope.vendor,
          timezone: tz === 'utc' ? 'UTC' : vendor?.vendor.timezone ?? 'UTC',
          channels: (vendor?.channels ?? []).map((c) => ({ channel: c.channel, kind: c.kind, cells: tz === 'utc' ? c.coverage.utc : c.coverage.vendorTz })),
        };
      }),

    /** Side-by-side scorecards of several vendors. */
    compare: (slugs: string[], window: WindowLabel, admin: boolean): RenderedBody =>
      ctx.cache.get(`compare:${slugs.join(',')}:${window}:${admin}`, () => {
        const reports = slugs.map((slug) => ctx.report({ vendor: slug, window, includePrivate: admin }));
        const first = reports[0];
        const document: CompareDocument = {
          generatedAt: first?.generatedAt ?? ctx.clock.now(),
          window: first?.window ?? { label: window, from: null, to: ctx.clock.now() },
          demoTime: ctx.demoTime,
          vendors: reports.flatMap((r) => r.vendors.map(scorecard)),
        };
        return document;
      }),
  };
}

export type Documents = ReturnType<typeof documents>;
