// Pure: the compact documents the pages read (vendors list, compare scorecard), derived from a StatsReport.
import type { ChannelStats, ChannelStatus, DayBucket, Estimate, StatsReport, StatsWindow, TierReply, VendorStats } from '../metrics/report-types.ts';
import type { Tier } from '../config/schema.ts';

/** Milliseconds rounded to whole seconds: what the pages show, and digits that compress. */
const toSecond = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / 1000) * 1000);
const share3 = (share: number | null): number | null => (share === null ? null : Math.round(share * 1000) / 1000);

/**
 * One channel of the compact list the home page reads: ms rounded to whole seconds, shares to 0.001. The full
 * statistics (percentiles, acknowledgements, coverage, unconfirmed labels…) are on /api/v1/vendors/:slug.
 */
export interface ChannelSummary {
  channel: string;
  kind: string;
  status: ChannelStatus;
  /** Median time to the first human reply (Kaplan–Meier); null = not reached. */
  medianMs: number | null;
  /** [low, high] of the median's 95 % confidence interval; null ends are not reached (a one-sided interval). */
  ci95Ms: [number | null, number | null];
  /** Probes in the window (not those awaiting review). */
  n: number;
  /** Probes whose reply awaits a person's label: in no figure of this row. */
  awaitingReview: number;
  noReplyShare: number | null;
  /** Probes answered within their SLA target, of those whose SLA outcome is known. */
  sla: { met: number; known: number };
  lastProbeAt: number | null;
  days: DaySeries;
  /** Probes still waiting for a person. */
  open: OpenProbeSummary[];
  /** An open SLA-breach or regression alert: the channel is "slower than usual since" `since`. */
  incident: { kind: 'sla_breach' | 'regression'; since: number; summary: string } | null;
}

/**
 * The daily bar in columns: one array entry per UTC day from `first` to `last` (inclusive, oldest first), counting the
 * probes sent that day by outcome. A day whose four counts are 0 had no probe.
 */
export interface DaySeries {
  first: string | null;
  last: string | null;
  withinSla: number[];
  missedSla: number[];
  noReply: number[];
  open: number[];
}

export interface OpenProbeSummary {
  id: number;
  tier: Tier;
  sentAt: number;
  deadlineAt: number | null;
  firstAckAt: number | null;
}

export interface VendorSummary {
  slug: string;
  name: string;
  timezone: string;
  channels: ChannelSummary[];
}

export interface VendorsDocument {
  generatedAt: number;
  window: StatsWindow;
  demoTime: boolean;
  vendors: VendorSummary[];
}

function daySeries(daily: DayBucket[]): DaySeries {
  return {
    first: daily[0]?.day ?? null,
    last: daily.at(-1)?.day ?? null,
    withinSla: daily.map((d) => d.withinSla),
    missedSla: daily.map((d) => d.missedSla),
    noReply: daily.map((d) => d.noReply),
    open: daily.map((d) => d.open),
  };
}

export function slaTotals(rows: ChannelStats['sla']): { met: number; n: number; share: number | null } {
  let met = 0;
  let n = 0;
  for (const row of rows) {
    met += row.met;
    n += row.n;
  }
  return { met, n, share: n > 0 ? met / n : null };
}

function channelSummary(stats: ChannelStats): ChannelSummary {
  const { median } = stats.human;
  const sla = slaTotals(stats.sla);
  return {
    channel: stats.channel,
    kind: stats.kind,
    status: stats.status,
    medianMs: toSecond(median.value),
    ci95Ms: [toSecond(median.low), toSecond(median.high)],
    n: stats.human.n,
    awaitingReview: stats.awaitingReview,
    noReplyShare: share3(stats.human.noEventShare),
    sla: { met: sla.met, known: sla.n },
    lastProbeAt: toSecond(stats.lastProbeAt),
    days: daySeries(stats.daily),
    open: stats.openProbes.map((p) => ({
      id: p.id,
      tier: p.tier,
      sentAt: Math.round(p.sentAt / 1000) * 1000,
      deadlineAt: toSecond(p.deadlineAt),
      firstAckAt: toSecond(p.firstAckAt),
    })),
    incident: stats.incident && { kind: stats.incident.kind, since: stats.incident.since, summary: stats.incident.summary },
  };
}

export function vendorsDocument(report: StatsReport): VendorsDocument {
  return {
    generatedAt: report.generatedAt,
    window: report.window,
    demoTime: report.demoTime,
    vendors: report.vendors.map((v) => ({ slug: v.vendor.slug, name: v.vendor.name, timezone: v.vendor.timezone, channels: v.channels.map(channelSummary) })),
  };
}

export interface Scorecard {
  slug: string;
  name: string;
  responseTime: { median: Estimate; p90: Estimate; n: number; noReplyShare: number | null };
  sla: { met: number; n: number; share: number | null };
  coverage: { businessHoursMedianMs: number | null; offHoursMedianMs: number | null; hoursProbed: number; hoursAnswered: number };
  channels: { total: number; withData: number; meetingSla: number; spread: number | null };
  consistency: { p90OverMedian: number | null };
  quality: QualityScore;
  /** Time to first human reply per channel and tier (tiers with probes only), P0 first. */
  tiers: ScorecardTier[];
}

/** One channel × tier: its median with the 95 % interval, or, while too wide, the answered probes still needed. */
interface ScorecardTier extends Pick<TierReply, 'tier' | 'n' | 'events' | 'median' | 'sufficient' | 'needed'> {
  channel: string;
  kind: string;
}

/** A count of n with its share (null when n = 0). */
interface CountOf {
  count: number;
  n: number;
  share: number | null;
}

/** Speed beside resolution for one channel: what the brief asks of a reply beyond its speed. */
interface ChannelQuality {
  channel: string;
  kind: string;
  /** Median time to the first human reply (Kaplan–Meier); null = not reached. */
  firstReplyMedianMs: number | null;
  /** Median time to resolution (Kaplan–Meier, unresolved censored); null = not reached or not measured. */
  resolutionMedianMs: number | null;
  /** Probes whose resolution is measured (the template says what a good answer contains, or a person marked a reply). */
  measured: number;
  firstContact: CountOf;
  canned: CountOf;
  askedForGiven: CountOf;
}

/** Resolution and answer quality over the vendor's channels (counts summed; medians stay per channel). */
interface QualityScore {
  measured: number;
  resolved: number;
  firstContact: CountOf;
  canned: CountOf;
  askedForGiven: CountOf;
  channels: ChannelQuality[];
}

const countOf = (p: { count: number; n: number }): CountOf => ({ count: p.count, n: p.n, share: p.n > 0 ? p.count / p.n : null });

function channelQuality(channel: ChannelStats): ChannelQuality {
  const r = channel.resolution;
  return {
    channel: channel.channel,
    kind: channel.kind,
    firstReplyMedianMs: channel.human.median.value,
    resolutionMedianMs: r.time.median.value,
    measured: r.n,
    firstContact: countOf(r.firstContact),
    canned: countOf(r.canned),
    askedForGiven: countOf(r.askedForGiven),
  };
}

function qualityScore(vendor: VendorStats): QualityScore {
  const channels = vendor.channels.map(channelQuality);
  const sum = (pick: (c: ChannelStats['resolution']) => { count: number; n: number }): CountOf =>
    countOf(vendor.channels.reduce((a, c) => ({ count: a.count + pick(c.resolution).count, n: a.n + pick(c.resolution).n }), { count: 0, n: 0 }));
  return {
    measured: vendor.channels.reduce((a, c) => a + c.resolution.n, 0),
    resolved: vendor.channels.reduce((a, c) => a + c.resolution.time.events, 0),
    firstContact: sum((r) => r.firstContact),
    canned: sum((r) => r.canned),
    askedForGiven: sum((r) => r.askedForGiven),
    channels,
  };
}

export interface CompareDocument {
  generatedAt: number;
  window: StatsWindow;
  demoTime: boolean;
  vendors: Scorecard[];
}

export function scorecard(vendor: VendorStats): Scorecard {
  const hours = new Map<number, { n: number; answered: number }>();
  let businessMedian: number | null = null;
  let offMedian: number | null = null;
  let sla = { met: 0, n: 0 };
  for (const channel of vendor.channels) {
    for (const cell of channel.coverage.utc) {
      const sum = hours.get(cell.hour) ?? { n: 0, answered: 0 };
      sum.n += cell.n;
      sum.answered += cell.answered;
      hours.set(cell.hour, sum);
    }
    const business = channel.coverage.businessHours?.median.value ?? null;
    const off = channel.coverage.offHours?.median.value ?? null;
    if (business !== null) businessMedian = businessMedian === null ? business : Math.min(businessMedian, business);
    if (off !== null) offMedian = offMedian === null ? off : Math.min(offMedian, off);
    const totals = slaTotals(channel.sla);
    sla = { met: sla.met + totals.met, n: sla.n + totals.n };
  }
  const median = vendor.overall.median.value;
  const p90 = vendor.overall.p90.value;
  return {
    slug: vendor.vendor.slug,
    name: vendor.vendor.name,
    responseTime: { median: vendor.overall.median, p90: vendor.overall.p90, n: vendor.overall.n, noReplyShare: vendor.overall.noEventShare },
    sla: { ...sla, share: sla.n > 0 ? sla.met / sla.n : null },
    coverage: {
      businessHoursMedianMs: businessMedian,
      offHoursMedianMs: offMedian,
      hoursProbed: [...hours.values()].filter((h) => h.n > 0).length,
      hoursAnswered: [...hours.values()].filter((h) => h.answered > 0).length,
    },
    channels: {
      total: vendor.channels.length,
      withData: vendor.channels.filter((c) => c.status !== 'insufficient_data').length,
      meetingSla: vendor.channels.filter((c) => c.status === 'meeting_sla').length,
      spread: vendor.channelSpread,
    },
    consistency: { p90OverMedian: median !== null && p90 !== null && median > 0 ? p90 / median : null },
    quality: qualityScore(vendor),
    tiers: scorecardTiers(vendor.channels),
  };
}

function scorecardTiers(channels: readonly ChannelStats[]): ScorecardTier[] {
  const rows = channels.flatMap((c) =>
    c.tiers.map(
      (t): ScorecardTier => ({
        channel: c.channel,
        kind: c.kind,
        tier: t.tier,
        n: t.n,
        events: t.events,
        median: t.median,
        sufficient: t.sufficient,
        needed: t.needed,
      }),
    ),
  );
  return rows.sort((a, b) => a.tier.localeCompare(b.tier) || a.channel.localeCompare(b.channel));
}
