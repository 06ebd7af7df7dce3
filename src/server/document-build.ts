// Builds one status document from the store: the same code on the main thread and on the status worker.
import { DAY } from '../core/clock.ts';
import { buildStatsReport, resolveWindow, type StatsQuery, type WindowName } from '../metrics/report.ts';
import type { StatsReport } from '../metrics/report-types.ts';
import type { Store } from '../store/db.ts';
import type { PublicQueries } from '../store/public-probes.ts';
import type { StatsWindow } from '../metrics/report-types.ts';
import { render, renderBytes, type RenderedBody } from './cache.ts';
import { scorecard, vendorsDocument, type ChannelSummary, type CompareDocument, type VendorSummary } from './views.ts';
import { homeSlice } from './home-paging.ts';
import { homePageHtml } from './home-page.ts';
import { feedReads, feedText } from './feed-build.ts';
import { languages, type Language } from './i18n.ts';

function isVendorSummary(value: unknown): value is VendorSummary {
  return typeof value === 'object' && value !== null && 'slug' in value && 'name' in value && 'channels' in value && Array.isArray(value.channels);
}

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
      /** Also build the home page without a search (its first page, in each language) from this list. */
      home?: boolean;
      /** Also build the Atom feed for this base; `version` is given back with it (the alerts it may include). */
      feed?: { base: string; version: string };
    }
  | { kind: 'vendor'; scope: ChannelScope; window: WindowName }
  | { kind: 'probes'; scope: ChannelScope; window: WindowName; limit: number }
  | { kind: 'daily'; scope: ChannelScope }
  | { kind: 'hours'; scope: ChannelScope; window: WindowName; tz: 'vendor' | 'utc' }
  | { kind: 'compare'; slugs: string[]; window: WindowName; admin: boolean };

export type ReportBuilder = (store: Store, query: StatsQuery) => StatsReport;

export interface DocumentSource {
  store: Store;
  queries: Pick<PublicQueries, 'probes' | 'alerts'>;
  demoTime: boolean;
  buildReport?: ReportBuilder;
}

const windowMs: Record<WindowName, number | null> = { '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY, all: null };

/** A vendor's row of the list as kept between builds: serialized (a partial rebuild serializes only the rows it rebuilt). */
interface VendorRow {
  slug: string;
  name: string;
  rows: number;
  json: string;
  /** UTF-8 length of json. */
  bytes: number;
  /** Its channels' feed statuses (those with a probe). */
  statuses: ChannelStatusEntry[];
  virtual: boolean;
}

function vendorRowOf(summary: VendorSummary, virtual: boolean): VendorRow {
  const { slug, name, channels } = summary;
  const statuses: ChannelStatusEntry[] = [];
  for (const c of channels) {
    if (c.lastProbeAt === null) continue;
    const { channel, status, lastProbeAt, noReplyShare, n } = c;
    statuses.push({ slug, name, channel, status, lastProbeAt, met: c.sla.met, known: c.sla.known, noReplyShare, n });
  }
  const json = JSON.stringify(summary);
  return { slug, name, rows: channels.length, json, bytes: Buffer.byteLength(json), statuses, virtual };
}

/** One vendor of the list: what paging and search read, and where its object lies in the serialized list (bytes). */
export interface ListedVendor {
  slug: string;
  name: string;
  rows: number;
  start: number;
  end: number;
}

/** One channel's current status, as the Atom feed lists it. */
export interface ChannelStatusEntry {
  slug: string;
  name: string;
  channel: string;
  status: ChannelSummary['status'];
  lastProbeAt: number;
  met: number;
  known: number;
  noReplyShare: number | null;
  n: number;
}

/**
 * What the main thread needs of the vendors list without parsing it: its head, each vendor's place in the body, and
 * the feed's status entries (the newest `feedStatuses`, which is all the feed can show).
 */
export interface ListIndex {
  generatedAt: number;
  window: StatsWindow;
  demoTime: boolean;
  vendors: ListedVendor[];
  statuses: ChannelStatusEntry[];
}

/** The vendors list serialized where it is built, with its index. */
export interface SerializedList {
  json: string;
  index: ListIndex;
}

/** The home page's first page without a search, per language, as built with the list it shows. */
export type HomePages = Partial<Record<Language, RenderedBody>>;

/** The Atom feed built with the list: for one base, as of the alerts `version` names. */
export interface ListFeed<Body = RenderedBody> {
  base: string;
  version: string;
  body: Body;
}

/** A rendered status document; the vendors list's carries its index, and the home pages and feed when asked for. */
export type StatusBody = RenderedBody & { index?: ListIndex; home?: HomePages; feed?: ListFeed };

export type BuiltDocument = { list: SerializedList; home?: Partial<Record<Language, string>>; feed?: ListFeed<string> } | { value: unknown };

export function renderDocument(built: BuiltDocument, now: number): StatusBody {
  if (!('list' in built)) return render(built.value, now);
  const body: StatusBody = { ...renderBytes(Buffer.from(built.list.json), now), index: built.list.index };
  if (built.home) {
    const home: HomePages = {};
    for (const lang of languages) {
      const html = built.home[lang];
      if (html !== undefined) home[lang] = renderBytes(Buffer.from(html), now);
    }
    body.home = home;
  }
  if (built.feed) body.feed = { ...built.feed, body: renderBytes(Buffer.from(built.feed.body), now) };
  return body;
}

/** The feed shows at most this many entries, so no more channel statuses than this can appear in it. */
export const feedStatuses = 200;

/** The list as JSON.stringify would write it, vendor by vendor from the kept rows, with the byte range of each. */
function serializeList(head: Omit<ListIndex, 'vendors' | 'statuses'>, rows: readonly VendorRow[]): SerializedList {
  const prefix = `{"generatedAt":${JSON.stringify(head.generatedAt)},"window":${JSON.stringify(head.window)},"demoTime":${JSON.stringify(head.demoTime)},"vendors":[`;
  const vendors: ListedVendor[] = [];
  let at = Buffer.byteLength(prefix);
  for (const row of rows) {
    if (vendors.length > 0) at += 1;
    const end = at + row.bytes;
    vendors.push({ slug: row.slug, name: row.name, rows: row.rows, start: at, end });
    at = end;
  }
  const statuses = rows.flatMap((r) => r.statuses).sort((a, b) => b.lastProbeAt - a.lastProbeAt);
  statuses.length = Math.min(statuses.length, feedStatuses);
  return { json: `${prefix}${rows.map((r) => r.json).join(',')}]}`, index: { ...head, vendors, statuses } };
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
    return summary && vendorRowOf(summary, built.demoTime);
  }

  function vendors(now: number, window: WindowName, admin: boolean, seq: number, dirty: { since: number; vendors: string[] } | null): SerializedList {
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
    return serializeList({ generatedAt: now, window: resolveWindow({ now, window }), demoTime: source.demoTime || rows.some((r) => r.virtual) }, rows);
  }

  /** The first home page without a search, in each language: the route's HTML, from the rows this list was made of. */
  function homePages(list: SerializedList, window: WindowName, admin: boolean): Record<Language, string> {
    const rows = lists.get(`${window}:${admin}`)?.rows;
    const { vendors: shown, paging } = homeSlice(list.index.vendors, { query: undefined, page: 1, all: false });
    const summaries = shown.map((place): unknown => {
      const json = rows?.get(place.slug)?.json;
      if (json === undefined) throw new Error(`the vendors list has no row of ${place.slug}`);
      return JSON.parse(json);
    });
    const { generatedAt, window: span, demoTime } = list.index;
    const listed = { generatedAt, window: span, demoTime, vendors: summaries.filter(isVendorSummary) };
    const page = (lang: Language) => homePageHtml({ lang, demoTime: source.demoTime, path: '/', listed, paging });
    return { en: page('en'), 'zh-CN': page('zh-CN') };
  }

  /** The document `request` names: the vendors list serialized with its index, any other as the value to serialize. */
  return (request: DocumentRequest, now: number): BuiltDocument => {
    if (request.kind !== 'vendors') return { value: buildValue(request, now) };
    const list = vendors(now, request.window, request.admin, request.seq, request.dirty);
    return {
      list,
      ...(request.home === true ? { home: homePages(list, request.window, request.admin) } : {}),
      ...(request.feed ? { feed: { ...request.feed, body: feedOf(list, request.feed.base) } } : {}),
    };
  };

  /** The Atom feed of this list (public vendors only, as the feed route serves it). */
  function feedOf(list: SerializedList, base: string): string {
    const names = new Map(list.index.vendors.map((v) => [v.slug, v.name]));
    return feedText({
      base,
      alerts: source.queries.alerts(feedReads, false),
      statuses: list.index.statuses,
      vendorName: (slug) => names.get(slug),
      notes: source.store.vendors.recentNotes(feedReads, false),
      generatedAt: list.index.generatedAt,
    });
  }

  function buildValue(request: Exclude<DocumentRequest, { kind: 'vendors' }>, now: number): unknown {
    switch (request.kind) {
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
  }
}
