// Pure: the compact documents the pages read (vendors list, compare scorecard), derived from a StatsReport.
import type { ChannelStats, ChannelStatus, DayBucket, Estimate, StatsReport, StatsWindow, VendorStats } from '../metrics/report-types.ts';
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
  /** [value, low, high] of the median time to the first human reply (Kaplan–Meier, 95 % CI); null = not reached. */
  median: [number | null, number | null, number | null];
  /** Probes in the window (not those awaiting review). */
  n: number;
  /** Probes whose reply awaits a person's label: in no figure of this row. */
  awaitingReview: number;
  noReplyShare: number | null;
  /** [probes answered within the SLA target, probes with a known SLA outcome]. */
  sla: [number, number];
  lastProbeAt: number | null;
  /**
   * One entry per UTC day, comma-separated, oldest first, the last one being the document's `lastDay`: a letter per
   * probe — g within SLA, s answered later than the SLA, n no human reply, o still open. Empty means no probe that day.
   */
  days: string;
  /** [probe id, tier, sentAt, deadlineAt, firstAckAt] of probes still waiting for a person. */
  open: [number, Tier, number, number | null, number | null][];
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
  /** The UTC day (YYYY-MM-DD) of the last entry of every channel's `days`. */
  lastDay: string;
  vendors: VendorSummary[];
}

function dayCode(day: DayBucket): string {
  return 'g'.repeat(Math.max(0, day.withinSla)) + 's'.repeat(Math.max(0, day.missedSla)) + 'n'.repeat(Math.max(0, day.noReply)) + 'o'.repeat(Math.max(0, day.open));
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

export function channelSummary(stats: ChannelStats): ChannelSummary {
  const { median } = stats.human;
  const sla = slaTotals(stats.sla);
  return {
    channel: stats.channel,
    kind: stats.kind,
    status: stats.status,
    median: [toSecond(median.value), toSecond(median.low), toSecond(median.high)],
    n: stats.human.n,
    awaitingReview: stats.awaitingReview,
    noReplyShare: share3(stats.human.noEventShare),
    sla: [sla.met, sla.n],
    lastProbeAt: toSecond(stats.lastProbeAt),
    days: stats.daily.map(dayCode).join(','),
    open: stats.openProbes.map((p) => [p.id, p.tier, Math.round(p.sentAt / 1000) * 1000, toSecond(p.deadlineAt), toSecond(p.firstAckAt)]),
  };
}

export function vendorsDocument(report: StatsReport): VendorsDocument {
  return {
    generatedAt: report.generatedAt,
    window: report.window,
    demoTime: report.demoTime,
    lastDay: new Date(report.window.to).toISOString().slice(0, 10),
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
  /** Answer quality needs rubric scoring, which is not measured yet: always null for now. */
  quality: null;
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
    quality: null,
  };
}
