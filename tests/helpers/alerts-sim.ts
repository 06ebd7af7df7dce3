// Simulated probe series for the alert tests: one vendor × channel probed on a ManualClock, replies and expiries as events.
import { ManualClock, DAY, HOUR, WEEK } from '../../src/core/clock.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { vendorSchema, settingsSchema, type Catalog } from '../../src/config/schema.ts';
import { newToken } from '../../src/core/token.ts';
import { deadlineFor } from '../../src/metrics/sla.ts';
import type { AlertNotice, NotifierRegistry } from '../../src/alerts/notifiers/notifier.ts';
import { notifiers } from '../../src/alerts/notifiers/registry.ts';
import { recordReply, seededRandom } from './fixture-store.ts';

export { seededRandom };

interface SimCatalogOptions {
  slug?: string;
  name?: string;
  alerts?: Record<string, unknown>;
  smtp?: Record<string, unknown>;
  publicUrl?: string;
  /** P3 first-response target. */
  firstResponse?: string;
  expiry?: string;
  /** Declared support hours (in Europe/Berlin, the vendor's zone). */
  supportHours?: { days: string[]; start: string; end: string };
}

export function simCatalog(options: SimCatalogOptions = {}): Catalog {
  const slug = options.slug ?? 'steady-cloud';
  const input = vendorSchema.parse({
    slug,
    name: options.name ?? 'Steady Cloud',
    visibility: 'public',
    timezone: 'Europe/Berlin',
    sla: { P3: { first_response: options.firstResponse ?? '1d' } },
    ...(options.supportHours ? { support_hours: options.supportHours } : {}),
    rate_caps: { per_day: 1000, per_week: 5000 },
    templates: [{ id: 'question', tier: 'P3', subject: 'Question {{token}}', body: 'Hello {{token}}' }],
    channels: [{ id: 'email', kind: 'email', to: `support@${slug}.example`, expiry: options.expiry ?? '7d' }],
  });
  const templates = input.templates.flatMap((t) => ('use' in t ? [] : [t]));
  const settings = settingsSchema.parse({
    database: ':memory:',
    public_url: options.publicUrl ?? 'https://status.example.org',
    smtp: options.smtp ?? {},
    alerts: options.alerts ?? {},
  });
  return { dir: 'sim', settings, vendors: [{ ...input, templates, file: `${slug}.yaml` }] };
}

/** The one cast here: the entries are the registry's own, each under its kind, with only `send` replaced. */
const asRegistry = (entries: Array<[string, unknown]>): NotifierRegistry => Object.fromEntries(entries) as NotifierRegistry;

/** A notifier registry that records notices instead of sending them (every registered kind). */
export function recordingNotifiers(): { registry: NotifierRegistry; notices: AlertNotice[] } {
  const notices: AlertNotice[] = [];
  const record = async (_target: unknown, notice: AlertNotice): Promise<void> => {
    notices.push(notice);
  };
  return { registry: asRegistry(Object.values(notifiers).map((module) => [module.kind, { ...module, send: record }])), notices };
}

let uid = 1;

export type SimEvent = 'send' | 'reply' | 'expire' | 'failed_send' | 'tick';

/** Drives one channel: probes sent at given times, human replies after given delays, expiries; the clock only moves forward. */
export class ProbeSimulation {
  readonly clock: ManualClock;
  store: Store;
  readonly catalog: Catalog;
  private events: { at: number; order: number; kind: SimEvent; run: () => boolean | void }[] = [];
  private order = 0;
  /** Probes by sent time, for delay accounting. */
  readonly sent: { id: number; sentAt: number }[] = [];

  constructor(store: Store, clock: ManualClock, catalog: Catalog) {
    this.store = store;
    this.clock = clock;
    this.catalog = catalog;
    store.vendors.sync(catalog);
  }

  static open(path: string, catalog: Catalog, start = Date.UTC(2026, 0, 5)): ProbeSimulation {
    const clock = new ManualClock(start);
    const sim = new ProbeSimulation(openStore(path, clock), clock, catalog);
    sim.path = path;
    return sim;
  }

  private path = ':memory:';

  /** A restart: closes the store and opens the same file again; pending events continue on the new store. */
  reopen(): Store {
    if (this.path === ':memory:') throw new Error('reopen needs a file store');
    this.store.close();
    this.store = openStore(this.path, this.clock);
    return this.store;
  }

  private get vendor() {
    const vendor = this.catalog.vendors[0];
    if (!vendor) throw new Error('simulation catalog has no vendor');
    return vendor;
  }

  /** Schedules a probe sent at `sentAt`, answered by a human after `delayMs` (null: never). */
  probe(sentAt: number, delayMs: number | null): void {
    this.at(
      sentAt,
      () => {
        const channel = this.store.vendors.channel(this.vendor.slug, 'email');
        if (!channel) throw new Error('channel missing');
        const probe = this.store.probes.create({
          token: newToken(),
          channelId: channel.id,
          template: 'question',
          tier: 'P3',
          language: 'en',
          scheduledAt: sentAt,
        });
        this.store.probes.markSending(probe.id);
        const expiresAt = sentAt + (this.vendor.channels[0]?.expiry ?? 7 * DAY);
        this.store.probes.markSent(probe.id, { sentAt, deadlineAt: deadlineFor(this.vendor, 'P3', sentAt), expiresAt });
        this.sent.push({ id: probe.id, sentAt });
        if (delayMs !== null) this.at(sentAt + delayMs, () => this.reply(probe.id, sentAt + delayMs), 'reply');
        this.at(expiresAt, () => this.store.probes.expireDue(expiresAt).length > 0, 'expire');
      },
      'send',
    );
  }

  /** A send that failed (SMTP 5xx, page changed…). */
  failedSend(at: number, code = 'SMTP_REJECTED', text = '550 mailbox unavailable'): void {
    this.at(
      at,
      () => {
        const channel = this.store.vendors.channel(this.vendor.slug, 'email');
        if (!channel) throw new Error('channel missing');
        const probe = this.store.probes.create({ token: newToken(), channelId: channel.id, template: 'question', tier: 'P3', language: 'en', scheduledAt: at });
        this.store.probes.markSending(probe.id);
        this.store.probes.markFailed(probe.id, 'send_failed', code, text);
      },
      'failed_send',
    );
  }

  /** Seen the moment it arrives: a detection later than the simulated clock would put the reply in the future. */
  reply(probeId: number, receivedAt: number): void {
    recordReply(this.store, probeId, { uid: uid++, receivedAt });
  }

  /** `run` may return false when it changed nothing (then `after` is not called). */
  at(at: number, run: () => boolean | void, kind: SimEvent = 'tick'): void {
    // Binary insertion keeps events in time order (ties in the order they were added).
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.events[mid]?.at ?? Infinity) <= at) lo = mid + 1;
      else hi = mid;
    }
    this.events.splice(lo, 0, { at, order: this.order++, kind, run });
  }

  /** Runs every event up to `until` in time order, calling `after` after each (e.g. an alert evaluation). */
  async runUntil(until: number, after?: (at: number, kind: SimEvent) => Promise<void>): Promise<void> {
    while (this.events.length > 0 && (this.events[0]?.at ?? Infinity) <= until) {
      const event = this.events.shift();
      if (!event) break;
      if (event.at > this.clock.now()) this.clock.set(event.at);
      const changed = event.run();
      if (after && changed !== false) await after(event.at, event.kind);
    }
    if (until > this.clock.now()) this.clock.set(until);
  }

  get pending(): number {
    return this.events.length;
  }
}

/** A log-normal delay with the given median and log-spread σ. */
export function lognormal(random: () => number, medianMs: number, sigma: number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return Math.round(medianMs * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
}

interface SeriesOptions {
  seed: number;
  start: number;
  weeks: number;
  perWeek: number;
  medianMs: number;
  sigma: number;
  noReplyShare: number;
  /** Slowdown factor from `changeAt` on (and back to 1 from `recoverAt`). */
  changeAt?: number;
  recoverAt?: number;
  factor?: number;
}

/** Probes spread evenly over the week with jitter; each delay drawn from one log-normal. */
export function scheduleSeries(sim: ProbeSimulation, o: SeriesOptions): void {
  const random = seededRandom(o.seed);
  const gap = WEEK / o.perWeek;
  for (let t = o.start; t < o.start + o.weeks * WEEK; t += gap) {
    const sentAt = Math.round(t + random() * gap * 0.8);
    const slow = o.changeAt !== undefined && sentAt >= o.changeAt && (o.recoverAt === undefined || sentAt < o.recoverAt);
    const delay = lognormal(random, o.medianMs * (slow ? (o.factor ?? 2) : 1), o.sigma);
    sim.probe(sentAt, random() < o.noReplyShare ? null : Math.max(60_000, delay));
  }
}

/** A tick every `everyMs` from `from` to `to` (evaluations that happen on a timer, between probe events). */
export function scheduleTicks(sim: ProbeSimulation, from: number, to: number, everyMs: number): void {
  for (let t = from; t < to; t += everyMs) sim.at(t, () => true, 'tick');
}

export const simDefaults = { medianMs: 4 * HOUR, sigma: 0.8, noReplyShare: 0.05, perWeek: 7 };
