// Builds the statistics document (`firstreply stats --json`, the status API) from the store's probe timings.
import { z } from 'zod';
import { DAY } from '../core/clock.ts';
import { elapsedMs } from '../core/instant.ts';
import { slaEntrySchema, supportHoursSchema, tiers } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import type { ProbeTiming, StatsChannel, StatsReadOptions } from '../store/stats.ts';
import type { NoteRow, VendorRow } from '../store/vendors.ts';
import type { AlertRow } from '../store/alerts.ts';
import type {
  ChannelStats,
  ChannelStatus,
  ChannelComparison,
  DayBucket,
  HourCell,
  Incident,
  OpenProbe,
  OperatorNoteView,
  SlaRow,
  StatsReport,
  StatsWindow,
  SurvivalSummary,
  VendorStats,
} from './report-types.ts';
import { medianOf, summarize, type Observation } from './survival.ts';
import { minProbesForStatus, tierReplies } from './precision.ts';
import { calendarOf, deadlineFor, slaOutcome, slaTarget, type SlaVendor } from './sla.ts';
import { businessCalendar, hourOfWeek, zone, type CalendarIndex } from './business-time.ts';
import { businessDayMs, resolutionStats, type ResolutionCalendars } from './resolution.ts';
import { storedResolutionSchema } from '../config/template-quality.ts';

export const windowNames = ['7d', '30d', '90d', 'all'] as const;
export type WindowName = (typeof windowNames)[number];
const windowSpans: Record<WindowName, number | null> = { '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY, all: null };

export interface StatsQuery {
  /** The moment the report describes: open probes are censored here. */
  now: number;
  vendor?: string;
  channel?: string;
  /** A rolling window ending now (default 90d); ignored when `from` or `to` is given. */
  window?: WindowName;
  /** A trial window (ms, inclusive): probes sent in [from, to]. */
  from?: number;
  to?: number;
  /** Private vendors appear only when true (admin views, the CLI). */
  includePrivate?: boolean;
  /** Force the demo label; by default it is set when any probe was made on a simulated clock. */
  demoTime?: boolean;
  /** false: read every probe row instead of the month blocks (same result; the reference for checks and benches). */
  rollups?: boolean;
}

/** The daily series covers the UTC days overlapping the last 90 days of any window (at most 91 buckets). */
export const dailySpan = 90 * DAY;

/** A channel "meets its SLA" when this share of known outcomes was answered in time. */
const meetingSlaShare = 0.8;

export function resolveWindow(query: StatsQuery): StatsWindow {
  if (query.from !== undefined || query.to !== undefined) return { label: 'trial', from: query.from ?? null, to: query.to ?? query.now };
  const label = query.window ?? '90d';
  const span = windowSpans[label];
  return { label, from: span === null ? null : query.now - span, to: query.now };
}

// The parts of a stored vendor definition the statistics (and `firstreply record`) use; durations are already ms there.
export const storedVendorSchema = z.object({
  website: z.string().optional(),
  support_hours: supportHoursSchema.optional(),
  sla: z
    .partialRecord(z.enum(tiers), slaEntrySchema.extend({ first_response: z.number().nonnegative(), resolution: storedResolutionSchema.optional() }))
    .default({}),
});

function vendorDefinition(row: VendorRow): SlaVendor & { website?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(row.definition);
  } catch (err) {
    throw new Error(`vendor ${row.slug}: stored definition is not JSON`, { cause: err });
  }
  const parsed = storedVendorSchema.safeParse(raw);
  if (!parsed.success) return { sla: {}, timezone: row.timezone };
  return { ...parsed.data, timezone: row.timezone };
}

/** One channel's probe timings in the window and the store's counts beside them. */
export interface ChannelRows {
  channel: StatsChannel;
  timings: ProbeTiming[];
  lastSentAt: ChannelStats['lastProbeAt'];
  unconfirmedLabels: ChannelStats['unconfirmedLabels'];
  awaitingReview: ChannelStats['awaitingReview'];
  /** Its SLA-breach and regression alerts, newest first (absent: none read). */
  incidents?: IncidentAlert[];
}

/** The columns of an alert an incident is told from. */
type IncidentAlert = Pick<AlertRow, 'id' | 'rule' | 'channel' | 'state' | 'summary' | 'details' | 'opened_at' | 'resolved_at'>;

/** Incidents listed per channel in a report. */
const incidentHistory = 20;

/** Everything a report is built from: the vendors asked for, each with its channels' rows. */
export interface ReportRows {
  window: StatsWindow;
  vendors: { row: VendorRow; channels: ChannelRows[]; notes?: NoteRow[] }[];
}

/** The statistics document from the store: its rows read, then `reportFrom`. */
export function buildStatsReport(store: Store, query: StatsQuery): StatsReport {
  return reportFrom(readReportRows(store, query), query);
}

/** The vendors a query may see, each with the channels it asks for. */
interface VisibleVendors {
  window: StatsWindow;
  vendors: { row: VendorRow; channels: StatsChannel[] }[];
}

function visibleVendors(store: Store, query: StatsQuery): VisibleVendors {
  const candidates = query.vendor !== undefined ? [store.vendors.get(query.vendor)].filter((v) => v !== undefined) : store.vendors.all();
  const vendorRows = candidates.filter(
    (v) => (query.includePrivate === true || v.visibility === 'public') && (query.vendor === undefined || v.slug === query.vendor),
  );
  const channelsByVendor = new Map<string, StatsChannel[]>();
  for (const channel of store.stats.channels(query.vendor)) {
    if (query.channel !== undefined && channel.channel !== query.channel) continue;
    const list = channelsByVendor.get(channel.vendor) ?? [];
    list.push(channel);
    channelsByVendor.set(channel.vendor, list);
  }
  return { window: resolveWindow(query), vendors: vendorRows.map((row) => ({ row, channels: channelsByVendor.get(row.slug) ?? [] })) };
}

/** One vendor's rows: its channels' timings in the window and the counts beside them. */
function readVendorRows(store: Store, query: StatsQuery, window: StatsWindow, row: VendorRow, channels: StatsChannel[]): ReportRows['vendors'][number] {
  const read: StatsReadOptions = { rollups: query.rollups };
  const from = window.from ?? Number.MIN_SAFE_INTEGER;
  return {
    row,
    channels: channels.map((channel) => ({
      channel,
      timings: store.stats.timings(channel.id, from, window.to, read),
      lastSentAt: store.stats.lastSentAt(channel.id),
      unconfirmedLabels: store.stats.unconfirmedLabels(channel.id, from, window.to, read),
      awaitingReview: store.stats.awaitingReview(channel.id, from, window.to, read),
      incidents: store.alerts.incidents(row.slug, channel.channel, incidentHistory),
    })),
    notes: store.vendors.notes(row.slug),
  };
}

/** Reads the rows a report needs: the vendors the query may see, their channels and each channel's timings in the window. */
export function readReportRows(store: Store, query: StatsQuery): ReportRows {
  const { window, vendors } = visibleVendors(store, query);
  return { window, vendors: vendors.map(({ row, channels }) => readVendorRows(store, query, window, row, channels)) };
}

/** The statistics document with its vendors to be read one at a time (`firstreply stats` writes each as it comes). */
export interface StatsReportStream extends Omit<StatsReport, 'vendors'> {
  vendors: Iterable<VendorStats>;
}

/**
 * The same document as buildStatsReport, holding one vendor's rows and figures at a time instead of every vendor's
 * (a full report at 1.6 M probes needs gigabytes as one object). `demoTime` comes first in the document, so whether
 * any probe in it was made on a simulated clock is asked of the store before the vendors are read.
 */
export function streamStatsReport(store: Store, query: StatsQuery): StatsReportStream {
  const { window, vendors } = visibleVendors(store, query);
  const from = window.from ?? Number.MIN_SAFE_INTEGER;
  const demoTime = query.demoTime ?? vendors.some((v) => v.channels.some((c) => store.stats.virtualClock(c.id, from, window.to)));
  function* each(): Generator<VendorStats> {
    for (const { row, channels } of vendors) {
      yield* reportFrom({ window, vendors: [readVendorRows(store, query, window, row, channels)] }, query).vendors;
    }
  }
  return { generatedAt: query.now, window, demoTime, vendors: each() };
}

/** Pure: the statistics document from its rows (survival, SLA, coverage, daily buckets, resolution, comparison). */
export function reportFrom(rows: ReportRows, query: StatsQuery): StatsReport {
  const { window } = rows;
  let virtual = false;
  const vendors: VendorStats[] = [];
  const dayKeys = new Map<number, string>();
  for (const { row, channels: fetched, notes } of rows.vendors) {
    const definition = vendorDefinition(row);
    const calendar = calendarOf(definition);
    const tz = zone(row.timezone);
    const channels: ChannelStats[] = [];
    const all: Observation[] = [];
    let earliest = query.now;
    for (const { timings } of fetched) earliest = Math.min(earliest, timings[0]?.sent_at ?? earliest);
    const span = { from: earliest - DAY, to: Math.max(query.now, window.to) + 60 * DAY };
    const open = calendar?.index(span.from, span.to);
    let weekdays: CalendarIndex | undefined;
    const calendars: ResolutionCalendars = {
      open,
      weekdays: () =>
        (weekdays ??= businessCalendar({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '00:00', end: '24:00', holidays: [] }, row.timezone).index(
          span.from,
          span.to,
        )),
      dayMs: businessDayMs(definition.support_hours),
    };
    for (const channelRows of fetched) {
      const { timings } = channelRows;
      if (timings.some((t) => t.virtual_clock === 1)) virtual = true;
      const stats = channelStats({ rows: channelRows, vendor: definition, open, calendars, tz, timings, window, now: query.now, dayKeys });
      for (const t of timings) all.push(humanObservation(t, query.now));
      channels.push(stats);
    }
    if (query.channel !== undefined && channels.length === 0) continue;
    const medians = channels.map((c) => c.human.median.value).filter((m): m is number => m !== null && m > 0);
    vendors.push({
      vendor: {
        slug: row.slug,
        name: row.name,
        visibility: row.visibility,
        timezone: row.timezone,
        ...(definition.website ? { website: definition.website } : {}),
      },
      channels,
      overall: summarize(all),
      awaitingReview: channels.reduce((n, c) => n + c.awaitingReview, 0),
      channelSpread: medians.length >= 2 ? Math.max(...medians) / Math.min(...medians) : null,
      comparison: comparisonOf(channels),
      incidents: fetched.flatMap((c) => (c.incidents ?? []).flatMap((a) => incidentOf(a, query.now))).sort((a, b) => b.since - a.since || b.id - a.id),
      notes: (notes ?? []).flatMap((n) =>
        noteOf(
          n,
          fetched.map((c) => c.channel.channel),
          query.channel,
        ),
      ),
    });
  }
  return { generatedAt: query.now, window, demoTime: query.demoTime ?? virtual, vendors };
}

const evidenceSchema = z.object({ label: z.string(), value: z.string() });
const alertDetailsSchema = z.object({ facts: z.array(evidenceSchema).optional(), evidence: z.array(evidenceSchema).optional() });

/** An alert as an incident, as known at `now` (one opened later, or resolved later, is told as it was then). */
function incidentOf(alert: IncidentAlert, now: number): Incident[] {
  if ((alert.rule !== 'sla_breach' && alert.rule !== 'regression') || alert.channel === null || alert.opened_at > now) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(alert.details);
  } catch {
    raw = {}; // not our JSON: told without its evidence
  }
  const details = alertDetailsSchema.safeParse(raw);
  const evidence = details.success ? (details.data.evidence ?? details.data.facts ?? []) : [];
  const resolvedAt = alert.resolved_at !== null && alert.resolved_at <= now ? alert.resolved_at : null;
  return [{ id: alert.id, channel: alert.channel, kind: alert.rule, since: alert.opened_at, resolvedAt, summary: alert.summary, evidence }];
}

const noteChannelsSchema = z.array(z.string());

/** A note as the page shows it (planned ones too); a note naming channels shows on a channel's view only if it names it. */
function noteOf(note: NoteRow, channels: readonly string[], channel: string | undefined): OperatorNoteView[] {
  let named: string[] | null = null;
  if (note.channels !== null) {
    let raw: unknown;
    try {
      raw = JSON.parse(note.channels);
    } catch {
      raw = null; // not our JSON: shown for every channel
    }
    const parsed = noteChannelsSchema.safeParse(raw);
    named = parsed.success ? parsed.data : null;
  }
  if (channel !== undefined && named !== null && !named.includes(channel)) return [];
  return [
    {
      id: note.id,
      kind: note.kind,
      channels: named ?? [...channels],
      from: note.from_at,
      until: note.until_at,
      title: note.title,
      text: note.text,
    },
  ];
}

/** Where an unanswered probe stops being observed: its expiry, or now while it is open. */
function censorAt(t: ProbeTiming, now: number): number {
  return t.expires_at !== null ? Math.min(t.expires_at, now) : now;
}

function eventObservation(t: ProbeTiming, at: number | null, now: number): Observation {
  // Stored reply instants are already arrival estimates (never before sent_at); elapsedMs keeps older rows from going negative.
  if (at !== null && at <= now) return { time: elapsedMs(t.sent_at, at), event: true };
  return { time: elapsedMs(t.sent_at, censorAt(t, now)), event: false };
}

export const humanObservation = (t: ProbeTiming, now: number): Observation => eventObservation(t, t.first_human_at, now);

interface ChannelInput {
  rows: ChannelRows;
  vendor: SlaVendor;
  /** The vendor's support hours over the probes' span, when declared. */
  open: CalendarIndex | undefined;
  calendars: ResolutionCalendars;
  tz: ReturnType<typeof zone>;
  timings: ProbeTiming[];
  window: StatsWindow;
  now: number;
  dayKeys: Map<number, string>;
}

function channelStats(input: ChannelInput): ChannelStats {
  const { timings, now, vendor, open } = input;
  const human = timings.map((t) => humanObservation(t, now));
  const humanSummary = summarize(human);
  const sla = slaRows(timings, vendor, open, now);
  const incidents = (input.rows.incidents ?? []).flatMap((a) => incidentOf(a, now));
  return {
    vendor: input.rows.channel.vendor,
    channel: input.rows.channel.channel,
    kind: input.rows.channel.kind,
    status: statusOf(humanSummary, sla, timings.filter((t) => !answered(t, now) && !isOpen(t, now)).length),
    human: humanSummary,
    tiers: tierReplies(
      timings.map((t) => t.tier),
      human,
    ),
    ack: summarize(timings.map((t) => eventObservation(t, t.first_ack_at, now))),
    bot: summarize(timings.map((t) => eventObservation(t, t.first_bot_at, now))),
    sla,
    coverage: coverageOf(timings, human, input.tz, open),
    daily: dailyOf(timings, human, vendor, input.window, now, input.dayKeys),
    lastProbeAt: input.rows.lastSentAt,
    openProbes: timings
      .filter((t) => isOpen(t, now))
      .map((t): OpenProbe => ({ id: t.id, tier: t.tier, sentAt: t.sent_at, deadlineAt: t.deadline_at, firstAckAt: t.first_ack_at })),
    unconfirmedLabels: input.rows.unconfirmedLabels,
    awaitingReview: input.rows.awaitingReview,
    resolution: resolutionStats(timings, vendor, input.calendars, now),
    incident: incidents.filter((i) => i.resolvedAt === null).at(-1) ?? null,
  };
}

function answered(t: ProbeTiming, now: number): boolean {
  return t.first_human_at !== null && t.first_human_at <= now;
}

function isOpen(t: ProbeTiming, now: number): boolean {
  return !answered(t, now) && (t.expires_at === null || t.expires_at > now);
}

function statusOf(human: SurvivalSummary, sla: SlaRow[], closedUnanswered: number): ChannelStatus {
  if (human.n < minProbesForStatus) return 'insufficient_data';
  if (human.median.value === null) return closedUnanswered * 2 >= human.n ? 'not_answering' : 'insufficient_data';
  let met = 0;
  let n = 0;
  for (const row of sla) {
    met += row.met;
    n += row.n;
  }
  if (n < minProbesForStatus) return 'insufficient_data';
  return met / n >= meetingSlaShare ? 'meeting_sla' : 'slower_than_sla';
}

function deadlineOf(t: ProbeTiming, vendor: SlaVendor): number {
  return t.deadline_at ?? deadlineFor(vendor, t.tier, t.sent_at);
}

function slaRows(timings: ProbeTiming[], vendor: SlaVendor, open: CalendarIndex | undefined, now: number): SlaRow[] {
  const rows: SlaRow[] = [];
  for (const tier of tiers) {
    const ofTier = timings.filter((t) => t.tier === tier);
    if (ofTier.length === 0) continue;
    const target = slaTarget(vendor, tier);
    let met = 0;
    let missed = 0;
    let pending = 0;
    const lateBy: number[] = [];
    let calendarMet = 0;
    let calendarN = 0;
    for (const t of ofTier) {
      const deadlineAt = deadlineOf(t, vendor);
      const outcome = slaOutcome({ deadlineAt, firstHumanAt: t.first_human_at }, now);
      if (outcome.verdict === 'met') met++;
      else if (outcome.verdict === 'missed') {
        missed++;
        if (answered(t, now)) lateBy.push(target.businessHours && open ? open.elapsed(deadlineAt, t.first_human_at ?? deadlineAt) : outcome.marginMs);
      } else pending++;
      if (target.businessHours) {
        const plain = slaOutcome({ deadlineAt: t.sent_at + target.firstResponseMs, firstHumanAt: t.first_human_at }, now);
        if (plain.verdict !== 'pending') calendarN++;
        if (plain.verdict === 'met') calendarMet++;
      }
    }
    const n = met + missed;
    rows.push({
      tier,
      targetMs: target.firstResponseMs,
      source: target.source,
      businessHours: target.businessHours,
      n,
      met,
      share: n > 0 ? met / n : null,
      missed,
      pending,
      lateByMedianMs: lateBy.length > 0 ? medianValue(lateBy) : null,
      calendarTime: target.businessHours ? { n: calendarN, met: calendarMet, share: calendarN > 0 ? calendarMet / calendarN : null } : null,
    });
  }
  return rows;
}

function medianValue(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function hourCells(timings: ProbeTiming[], human: Observation[], hourOf: (at: number) => number): HourCell[] {
  const groups: Observation[][] = Array.from({ length: 168 }, () => []);
  for (const [i, t] of timings.entries()) {
    const obs = human[i];
    if (obs) groups[hourOf(t.sent_at)]?.push(obs);
  }
  return groups.map((obs, hour) => ({ hour, n: obs.length, answered: obs.filter((o) => o.event).length, medianMs: medianOf(obs) }));
}

function coverageOf(timings: ProbeTiming[], human: Observation[], tz: ReturnType<typeof zone>, open: CalendarIndex | undefined): ChannelStats['coverage'] {
  const utc = zone('UTC');
  const utcHour = (at: number): number => hourOfWeek(at, utc);
  let businessHours: SurvivalSummary | null = null;
  let offHours: SurvivalSummary | null = null;
  if (open) {
    const inside: Observation[] = [];
    const outside: Observation[] = [];
    for (const [i, t] of timings.entries()) {
      const obs = human[i];
      if (obs) (open.isOpen(t.sent_at) ? inside : outside).push(obs);
    }
    businessHours = summarize(inside, { curve: false });
    offHours = summarize(outside, { curve: false });
  }
  return { vendorTz: hourCells(timings, human, (at) => hourOfWeek(at, tz)), utc: hourCells(timings, human, utcHour), businessHours, offHours };
}

function dayKey(dayIndex: number, cache: Map<number, string>): string {
  let key = cache.get(dayIndex);
  if (key === undefined) {
    key = new Date(dayIndex * DAY).toISOString().slice(0, 10);
    cache.set(dayIndex, key);
  }
  return key;
}

function dailyOf(timings: ProbeTiming[], human: Observation[], vendor: SlaVendor, window: StatsWindow, now: number, dayKeys: Map<number, string>): DayBucket[] {
  const first = timings[0];
  if (!first) return [];
  const endDay = Math.floor(window.to / DAY);
  const startDay = Math.max(Math.floor((window.from ?? first.sent_at) / DAY), Math.floor((window.to - dailySpan) / DAY));
  const buckets: (DayBucket & { obs: Observation[] })[] = [];
  for (let d = startDay; d <= endDay; d++) {
    buckets.push({ day: dayKey(d, dayKeys), probes: 0, answered: 0, withinSla: 0, missedSla: 0, noReply: 0, open: 0, medianMs: null, obs: [] });
  }
  for (const [i, t] of timings.entries()) {
    const bucket = buckets[Math.floor(t.sent_at / DAY) - startDay];
    const obs = human[i];
    if (!bucket || !obs) continue;
    bucket.probes++;
    bucket.obs.push(obs);
    if (answered(t, now)) {
      bucket.answered++;
      if ((t.first_human_at ?? 0) <= deadlineOf(t, vendor)) bucket.withinSla++;
      else bucket.missedSla++;
    } else if (isOpen(t, now)) bucket.open++;
    else bucket.noReply++;
  }
  return buckets.map(({ obs, ...bucket }) => ({ ...bucket, medianMs: obs.length > 0 ? medianOf(obs) : null }));
}

function comparisonOf(channels: ChannelStats[]): ChannelComparison[] {
  const rows = channels.map((c): ChannelComparison => {
    let met = 0;
    let n = 0;
    for (const row of c.sla) {
      met += row.met;
      n += row.n;
    }
    return {
      channel: c.channel,
      kind: c.kind,
      n: c.human.n,
      medianMs: c.human.median.value,
      p90Ms: c.human.p90.value,
      noReplyShare: c.human.noEventShare,
      ackMedianMs: c.ack.median.value,
      ackShare: c.ack.n > 0 ? c.ack.events / c.ack.n : null,
      slaShare: n > 0 ? met / n : null,
      resolutionMedianMs: c.resolution.time.median.value,
      firstContactShare: c.resolution.firstContact.share,
      cannedShare: c.resolution.canned.share,
      awaitingReview: c.awaitingReview,
    };
  });
  const rank = (m: number | null): number => (m === null ? Number.POSITIVE_INFINITY : m);
  return rows.sort((a, b) => rank(a.medianMs) - rank(b.medianMs) || a.channel.localeCompare(b.channel));
}
