// Builds one status document from the store: the same code on the main thread and on the status worker.
import { DAY } from '../core/clock.ts';
import { buildStatsReport, resolveWindow, type StatsQuery, type WindowName } from '../metrics/report.ts';
import type { StatsReport } from '../metrics/report-types.ts';
import type { Store } from '../store/db.ts';
import type { PublicQueries } from '../store/public-probes.ts';
import { scorecard, vendorsDocument, type CompareDocument, type VendorSummary, type VendorsDocument } from './views.ts';

export interface ChannelScope {
  vendor: string;
  channel?: string | undefined;
  admin: boolean;
}

/** One document of the status API; plain data, so it can be posted to the worker. */
export type DocumentRequest =
  | {
      kind: 'vendors';
      window: WindowName;
      admin: boolean;
      /** The write sequence number this build includes. */
      seq: number;
      /** The vendors written since the build of sequence number `since`; null: build every vendor. */
      dirty: { since: number; vendors: string[] } | null;
    }
  | { kind: 'vendor'; scope: ChannelScope; window: WindowName }
  | { kind: 'probes'; scope: ChannelScope; window: WindowName; limit: number }
  | { kind: 'daily'; scope: ChannelScope }
  | { kind: 'hours'; scope: ChannelScope; window: WindowName; tz: 'vendor' | 'utc' }
  | { kind: 'compare'; slugs: string[]; window: WindowName; admin: boolean };

export type ReportBuilder = (store: Store, query: StatsQuery) => StatsReport;

export interface DocumentSource {
  store: Store;
  queries: Pick<PublicQueries, 'probes'>;
  demoTime: boolean;
  buildReport?: ReportBuilder;
}

const windowMs: Record<WindowName, number | null> = { '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY, all: null };

interface VendorRow {
  summary: VendorSummary;
  virtual: boolean;
}

/**
 * A builder keeps the vendors list one vendor at a time: a write rebuilds only its vendor's rows, and a full build
 * holds one vendor's report in memory at a time instead of every vendor's.
 */
export function documentBuilder(source: DocumentSource) {
  const buildReport = source.buildReport ?? buildStatsReport;
  const lists = new Map<string, { seq: number; rows: Map<string, VendorRow> }>();
  const report = (now: number, query: Omit<StatsQuery, 'now'>): StatsReport =>
    buildReport(source.store, { now, ...query, ...(source.demoTime ? { demoTime: true } : {}) });

  function vendorRow(now: number, slug: string, window: WindowName, admin: boolean): VendorRow | undefined {
    const built = report(now, { vendor: slug, window, includePrivate: admin });
    const vendor = built.vendors[0];
    if (!vendor) return undefined;
    const summary = vendorsDocument({ ...built, vendors: [vendor] }).vendors[0];
    return summary && { summary, virtual: built.demoTime };
  }

  function vendors(now: number, window: WindowName, admin: boolean, seq: number, dirty: { since: number; vendors: string[] } | null): VendorsDocument {
    const key = `${window}:${admin}`;
    const list = lists.get(key);
    // Rows are reused only from the very build the dirty list counts from (another thread may have built the one between).
    const previous = dirty !== null && list?.seq === dirty.since ? list.rows : undefined;
    const stale = new Set(dirty?.vendors ?? []);
    const next = new Map<string, VendorRow>();
    for (const vendor of source.store.vendors.all()) {
      if (!admin && vendor.visibility !== 'public') continue;
      const kept = stale.has(vendor.slug) ? undefined : previous?.get(vendor.slug);
      const row = kept ?? vendorRow(now, vendor.slug, window, admin);
      if (row) next.set(vendor.slug, row);
    }
    lists.set(key, { seq, rows: next });
    const rows = [...next.values()];
    return {
      generatedAt: now,
      window: resolveWindow({ now, window }),
      demoTime: source.demoTime || rows.some((r) => r.virtual),
      vendors: rows.map((r) => r.summary),
    };
  }

  /** The document `request` names, as the value to serialize. */
  return (request: DocumentRequest, now: number): unknown => {
    switch (request.kind) {
      case 'vendors':
        return vendors(now, request.window, request.admin, request.seq, request.dirty);
      case 'vendor': {
        const { scope } = request;
        return report(now, { vendor: scope.vendor, channel: scope.channel, window: request.window, includePrivate: scope.admin });
      }
      case 'probes': {
        const { scope, window, limit } = request;
        const span = windowMs[window];
        const from = span === null ? null : now - span;
        return {
          generatedAt: now,
          vendor: scope.vendor,
          window: { label: window, from, to: now },
          limit,
          probes: source.queries.probes({
            vendor: scope.vendor,
            channel: scope.channel,
            from: from ?? undefined,
            to: now + 1,
            limit,
            includePrivate: scope.admin,
          }),
        };
      }
      case 'daily': {
        const { scope } = request;
        const built = report(now, { vendor: scope.vendor, channel: scope.channel, window: '90d', includePrivate: scope.admin });
        return {
          generatedAt: built.generatedAt,
          window: built.window,
          demoTime: built.demoTime,
          vendor: scope.vendor,
          channels: (built.vendors[0]?.channels ?? []).map((c) => ({ channel: c.channel, kind: c.kind, daily: c.daily })),
        };
      }
      case 'hours': {
        const { scope, tz } = request;
        const built = report(now, { vendor: scope.vendor, channel: scope.channel, window: request.window, includePrivate: scope.admin });
        const vendor = built.vendors[0];
        return {
          generatedAt: built.generatedAt,
          window: built.window,
          demoTime: built.demoTime,
          vendor: scope.vendor,
          timezone: tz === 'utc' ? 'UTC' : (vendor?.vendor.timezone ?? 'UTC'),
          channels: (vendor?.channels ?? []).map((c) => ({ channel: c.channel, kind: c.kind, cells: tz === 'utc' ? c.coverage.utc : c.coverage.vendorTz })),
        };
      }
      case 'compare': {
        const reports = request.slugs.map((slug) => report(now, { vendor: slug, window: request.window, includePrivate: request.admin }));
        const first = reports[0];
        const document: CompareDocument = {
          generatedAt: first?.generatedAt ?? now,
          window: first?.window ?? { label: request.window, from: null, to: now },
          demoTime: source.demoTime,
          vendors: reports.flatMap((r) => r.vendors.map(scorecard)),
        };
        return document;
      }
    }
  };
}
