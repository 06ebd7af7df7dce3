// Pure: the compact documents the pages read (vendors list, compare scorecard), derived from a StatsReport.
import type { ChannelStats, ChannelStatus, DayBucket, Estimate, StatsReport, StatsWindow, VendorStats } from '../metrics/report-types.ts';
import type { Tier } from '../config/schema.ts';

export interface ChannelSummary {
  channel: string;
  kind: string;
  status: ChannelStatus;
  median: Estimate;
  n: number;
  answered: number;
  noReplyShare: number | null;
  sla: { met: number; n: number; share: number | null };
  lastProbeAt: number | null;
  /** First day of `days` (UTC, YYYY-MM-DD). */
  firstDay: string | null;
  /**
   * One entry per day, comma-separated, oldest first: a letter per probe — g within SLA, s answered later than
   * the SLA, n no human reply, o still open. Empty means no probe that day.
   */
  days: string;
  /** [probe id, tier, sentAt, deadlineAt, firstAckAt] of probes still waiting for a person. */
  open: [number, Tier, number, number | null, number | null][];
  unconfirmedLabels: number;
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

function dayCode(day: DayBucket): string {
  const missed = Math.max(0, day.missedSla);
  return 'g'.repeat(Math.max(0, day.withinSla)) + 's'.repeat(missed) + 'n'.repeat(Math.max(0, day.noReply)) + 'o'.repeat(Math.max(0, day.open));
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
  return {
    channel: stats.channel,
    kind: stats.kind,
    status: stats.status,
    median: stats.human.median,
    n: stats.human.n,
    answered: stats.human.events,
    noReplyShare: stats.human.noEventShare,
    sla: slaTotals(stats.sla),
    lastProbeAt: stats.lastProbeAt,
    firstDay: stats.daily[0]?.day ?? null,
    days: stats.daily.map(dayCode).join(','),
    open: stats.openProbes.map((p) => [p.id, p.tier, p.sentAt, p.deadlineAt, p.firstAckAt]),
    unconfirmedLabels: stats.unconfirmedLabels,
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
