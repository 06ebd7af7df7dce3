// The JSON documents behind both the API and the pages: one document per view, rebuilt off the request path. A request
// gets the current version, or the previous one while the next is built (stale-while-revalidate); only a document no
// version of which exists yet is waited for. A write rebuilds the documents of its vendor and that vendor's rows of the list.
import type { Clock } from '../core/clock.ts';
import type { WindowName } from '../metrics/report.ts';
import type { StatsReport } from '../metrics/report-types.ts';
import type { Store } from '../store/db.ts';
import type { PublicQueries } from '../store/public-probes.ts';
import type { RenderedBody, ResponseCache } from './cache.ts';
import type { ChannelScope, DocumentRequest, HomePages, ListFeed, ListIndex, ListedVendor, StatusBody } from './document-build.ts';
import type { StatusBuilder } from './status-builders.ts';
import type { VendorSummary } from './views.ts';

type WindowLabel = WindowName;

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

interface StatusDocumentsOptions {
  store: Store;
  clock: Clock;
  queries: Pick<PublicQueries, 'dataVersion'>;
  builder: StatusBuilder;
  /** Even without writes, figures move with time (open probes pass deadlines): rebuild after this long. */
  ttlMs: number;
  /**
   * After a write, a document that has a version is rebuilt at most once per this long (real time; default 0): writes
   * landing closer together go into one build. Ageing out (ttlMs) is not delayed.
   */
  rebuildGapMs?: number;
  /**
   * Build the home page without a search and the Atom feed with the public 90-day list, where the list is built (for
   * workers: then no request after a write renders or compresses them on the main thread).
   */
  pagesWithList?: boolean;
  /** Failed background rebuilds (the previous version stays served). */
  onError?: (err: unknown) => void;
}

export const windows: readonly WindowLabel[] = ['7d', '30d', '90d', 'all'];
/** The window a request names none of (the API's and the pages' default). */
export const defaultWindow: WindowLabel = '90d';

/** The vendors list as served, with the index its builder made of it (and the home pages, when built with it). */
export interface ListBody extends RenderedBody {
  index: ListIndex;
  home?: HomePages;
  feed?: ListFeed;
}

const hasIndex = (body: StatusBody): body is ListBody => body.index !== undefined;

function isVendorSummary(value: unknown): value is VendorSummary {
  return typeof value === 'object' && value !== null && 'slug' in value && 'name' in value && 'channels' in value && Array.isArray(value.channels);
}

interface Entry {
  /** What the served body was built from: the epoch and the writes it includes. */
  version: string;
  /** The write sequence number the served body includes (the vendors list rebuilds only rows written since). */
  seq: number;
  builtAt: number;
  /** performance.now() when its last build started. */
  startedAt: number;
  body?: StatusBody;
  pending?: Promise<StatusBody>;
}

/** Writes remembered for the vendors list's partial rebuilds; beyond this many, it is rebuilt whole. */
const maxLog = 10_000;

export function statusDocuments(options: StatusDocumentsOptions) {
  const { store, clock, builder, ttlMs } = options;
  const rebuildGapMs = options.rebuildGapMs ?? 0;
  const entries = new Map<string, Entry>();
  const maxEntries = 2000;
  // Writes by this process name their vendor; a write by another process (data_version) makes every document stale.
  const touched = new Map<string, number>();
  const log: { seq: number; vendor: string }[] = [];
  let seq = 0;
  let epoch = 0;
  let dataVersion = -1;
  let dataCheckedAt = -Infinity;
  const currentEpoch = (): number => {
    const at = performance.now();
    if (at - dataCheckedAt >= 1000) {
      dataCheckedAt = at;
      const data = options.queries.dataVersion();
      if (data !== dataVersion) {
        if (dataVersion !== -1) epoch++;
        dataVersion = data;
      }
    }
    return epoch;
  };
  const touch = (vendor: string | undefined): void => {
    seq++;
    if (vendor === undefined) {
      epoch++;
      return;
    }
    touched.set(vendor, (touched.get(vendor) ?? 0) + 1);
    log.push({ seq, vendor });
    if (log.length > maxLog) log.splice(0, log.length - maxLog);
  };
  const onProbe = (id: number): void => touch(store.probes.get(id)?.vendor);
  const onMessage = (id: number): void => {
    const probeId = store.messages.get(id)?.probe_id;
    touch(probeId === null || probeId === undefined ? undefined : store.probes.get(probeId)?.vendor);
  };
  store.events.on('probe', onProbe);
  store.events.on('message', onMessage);
  // The feed shows alerts: one built with the list is served only while no alert was written after its build began.
  let alertWrites = 0;
  const onAlert = (): void => {
    alertWrites++;
  };
  store.events.on('alert', onAlert);
  let feedBase: string | undefined;
  const feedVersion = (): string => `${currentEpoch()}:${alertWrites}`;

  const vendorVersion = (slugs: readonly string[]): string => `${currentEpoch()}:${slugs.map((s) => touched.get(s) ?? 0).join(',')}`;

  /** Vendors written after `since`, or null when the log no longer reaches back that far. */
  const writtenSince = (since: number): string[] | null => {
    if (since < seq - log.length) return null;
    const vendors = new Set<string>();
    for (let i = log.length - 1; i >= 0; i--) {
      const write = log[i];
      if (!write || write.seq <= since) break;
      vendors.add(write.vendor);
    }
    return [...vendors];
  };

  function lookup(key: string, version: string, request: (entry: Entry | undefined) => DocumentRequest): StatusBody | Promise<StatusBody> {
    const now = clock.now();
    const entry = entries.get(key);
    if (entry?.body && entry.version === version && now - entry.builtAt < ttlMs && now >= entry.builtAt) return entry.body;
    if (entry?.pending) return entry.body ?? entry.pending;
    const startedAt = performance.now();
    if (entry?.body && now - entry.builtAt < ttlMs && now >= entry.builtAt && startedAt - entry.startedAt < rebuildGapMs) return entry.body;
    const startedSeq = seq;
    const next: Entry = entry ?? { version, seq: startedSeq, builtAt: now, startedAt };
    next.startedAt = startedAt;
    const built = builder.build(request(entry), now, next.body === undefined);
    const settle = (body: StatusBody): StatusBody => {
      next.body = body;
      next.version = version;
      next.seq = startedSeq;
      next.builtAt = now;
      next.pending = undefined;
      return body;
    };
    if (!(built instanceof Promise)) {
      remember(key, next);
      return settle(built);
    }
    next.pending = built.then(settle, (err: unknown) => {
      next.pending = undefined;
      if (next.body === undefined) entries.delete(key);
      else options.onError?.(err);
      throw err;
    });
    remember(key, next);
    if (next.body) {
      next.pending.catch(() => undefined); // reported by onError; the previous version stays served
      return next.body;
    }
    return next.pending;
  }

  function remember(key: string, entry: Entry): void {
    if (entries.get(key) === entry) return;
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(key, entry);
  }

  const scoped = (scope: ChannelScope) => `${scope.vendor}:${scope.channel ?? ''}:${scope.admin}`;
  // Per version of a list: its vendors by slug, and the rows parsed so far (one vendor's slice of the body each).
  const bySlug = new WeakMap<ListIndex, Map<string, ListedVendor>>();
  const parsedRows = new WeakMap<ListBody, Map<string, VendorSummary>>();

  const keyOf = (window: WindowLabel): [string, string] => [`vendors:${window}:false`, `vendors:${window}:true`];
  const vendorsKeys: Record<WindowLabel, [string, string]> = { '7d': keyOf('7d'), '30d': keyOf('30d'), '90d': keyOf('90d'), all: keyOf('all') };
  let listVersion = { epoch: -1, seq: -1, text: '' };
  const currentListVersion = (): string => {
    const at = currentEpoch();
    if (at !== listVersion.epoch || seq !== listVersion.seq) listVersion = { epoch: at, seq, text: `${at}:${seq}` };
    return listVersion.text;
  };
  const vendorsRequest =
    (window: WindowLabel, admin: boolean) =>
    (entry: Entry | undefined): DocumentRequest => {
      const ttlStale = entry === undefined || clock.now() - entry.builtAt >= ttlMs || clock.now() < entry.builtAt;
      const vendors = entry === undefined || ttlStale || !entry.version.startsWith(`${epoch}:`) ? null : writtenSince(entry.seq);
      const dirty = entry && vendors ? { since: entry.seq, vendors } : null;
      if (options.pagesWithList !== true || window !== '90d' || admin) return { kind: 'vendors', window, admin, seq, dirty };
      return {
        kind: 'vendors',
        window,
        admin,
        seq,
        dirty,
        home: true,
        ...(feedBase === undefined ? {} : { feed: { base: feedBase, version: feedVersion() } }),
      };
    };

  // The hot path of the busiest route: the current body without allocating (no key, version or closure per request).
  const vendorsNow = (window: WindowLabel, admin: boolean): StatusBody | Promise<StatusBody> => {
    const key = vendorsKeys[window][admin ? 1 : 0];
    const version = currentListVersion();
    const entry = entries.get(key);
    const now = clock.now();
    if (entry?.body && entry.version === version && now - entry.builtAt < ttlMs && now >= entry.builtAt) return entry.body;
    return lookup(key, version, vendorsRequest(window, admin));
  };
  const vendors = async (window: WindowLabel, admin: boolean): Promise<StatusBody> => vendorsNow(window, admin);
  const vendorNow = (scope: ChannelScope, window: WindowLabel): StatusBody | Promise<StatusBody> =>
    lookup(`vendor:${scoped(scope)}:${window}`, vendorVersion([scope.vendor]), () => ({ kind: 'vendor', scope, window }));
  /** The body if a version of it is in memory (a rebuild it asks for runs meanwhile), else undefined. */
  const ready = (body: StatusBody | Promise<StatusBody>): StatusBody | undefined => (body instanceof Promise ? undefined : body);

  function listedVendors(list: ListBody, shown: readonly ListedVendor[]): VendorSummary[] {
    let parsed = parsedRows.get(list);
    if (!parsed) {
      parsed = new Map();
      parsedRows.set(list, parsed);
    }
    const rows: VendorSummary[] = [];
    for (const place of shown) {
      let row = parsed.get(place.slug);
      if (!row) {
        const value: unknown = JSON.parse(list.raw.toString('utf8', place.start, place.end));
        if (!isVendorSummary(value) || value.slug !== place.slug) throw new Error(`the vendors list's index does not match its body at ${place.slug}`);
        row = value;
        parsed.set(place.slug, row);
      }
      rows.push(row);
    }
    return rows;
  }

  function listedPlace(list: ListBody, slug: string): ListedVendor | undefined {
    let slugs = bySlug.get(list.index);
    if (!slugs) {
      slugs = new Map(list.index.vendors.map((v) => [v.slug, v]));
      bySlug.set(list.index, slugs);
    }
    return slugs.get(slug);
  }

  function listedVendor(list: ListBody, slug: string): VendorSummary | undefined {
    const place = listedPlace(list, slug);
    return place && listedVendors(list, [place])[0];
  }

  return {
    /** Every visible vendor × channel with its status and 90-day bar (compact: see VendorsDocument). */
    vendors,
    /**
     * The list with its index, built where the list is: the main thread reads the index (head, vendors' names and
     * places, the feed's statuses) and parses only the vendors it shows, never the whole list.
     */
    async list(window: WindowLabel, admin: boolean): Promise<ListBody> {
      const body = await vendors(window, admin);
      if (!hasIndex(body)) throw new Error('the vendors list came without its index');
      return body;
    },
    /**
     * The Atom feed built with this list for `base`, if it was and no alert was written since; the base is remembered,
     * so the next builds of the list make the feed for it.
     */
    listFeed(list: ListBody, base: string): RenderedBody | undefined {
      feedBase = base;
      const { feed } = list;
      return feed && feed.base === base && feed.version === feedVersion() ? feed.body : undefined;
    },
    /** A vendor's entry in the list's index (its name, rows and place), if it is listed. */
    listedPlace,
    /** One vendor's row of the list, parsed from its slice of the body. */
    listedVendor,
    /** The rows of these vendors of the list (entries of its index), parsed from their slices of the body. */
    listedVendors,
    /** The full statistics report of one vendor (the same document as `firstreply stats --json`). */
    vendor: async (scope: ChannelScope, window: WindowLabel): Promise<RenderedBody> => vendorNow(scope, window),
    /**
     * What `vendors` and `vendor` would send, when a version is in memory: the same lookup (a stale or outdated body
     * asks for its rebuild), without waiting. Undefined when only a first build can answer.
     */
    readyVendors: (window: WindowLabel, admin: boolean): StatusBody | undefined => ready(vendorsNow(window, admin)),
    readyVendor: (scope: ChannelScope, window: WindowLabel): StatusBody | undefined => ready(vendorNow(scope, window)),
    /** Probe timings and timeline labels, newest first. */
    probes: async (scope: ChannelScope, window: WindowLabel, limit: number): Promise<RenderedBody> =>
      lookup(`probes:${scoped(scope)}:${window}:${limit}`, vendorVersion([scope.vendor]), () => ({ kind: 'probes', scope, window, limit })),
    /** One bucket per day over the last 90 days, per channel. */
    daily: async (scope: ChannelScope): Promise<RenderedBody> =>
      lookup(`daily:${scoped(scope)}`, vendorVersion([scope.vendor]), () => ({ kind: 'daily', scope })),
    /** 168 cells (Monday 00:00 first) per channel, in the vendor's time zone or UTC. */
    hourOfWeek: async (scope: ChannelScope, window: WindowLabel, tz: 'vendor' | 'utc'): Promise<RenderedBody> =>
      lookup(`hours:${scoped(scope)}:${window}:${tz}`, vendorVersion([scope.vendor]), () => ({ kind: 'hours', scope, window, tz })),
    /** Side-by-side scorecards of several vendors. */
    compare: async (slugs: string[], window: WindowLabel, admin: boolean): Promise<RenderedBody> =>
      lookup(`compare:${slugs.join(',')}:${window}:${admin}`, vendorVersion(slugs), () => ({ kind: 'compare', slugs, window, admin })),
    close: async (): Promise<void> => {
      store.events.off('probe', onProbe);
      store.events.off('message', onMessage);
      store.events.off('alert', onAlert);
      await builder.close();
    },
  };
}

export type Documents = ReturnType<typeof statusDocuments>;
