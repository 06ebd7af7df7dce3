// Pure: time to resolution (Kaplan–Meier, unresolved censored) against the tier's resolution target, first-contact
// resolution, rounds, and the shares of canned / asked-for-given answers, each with n and a 95 % interval.
import { referenceSla, tiers, type SupportHours, type Tier } from '../config/schema.ts';
import type { ResolutionTarget } from '../config/template-quality.ts';
import { elapsedMs } from '../core/instant.ts';
import { DAY } from '../core/clock.ts';
import type { ProbeTiming } from '../store/stats.ts';
import type { Proportion, ResolutionStats, ResolutionTierRow, RoundsSummary } from './report-types.ts';
import { summarize, z95, type Observation } from './survival.ts';
import type { CalendarIndex } from './business-time.ts';
import type { SlaVendor } from './sla.ts';

/** Bits of ProbeTiming.quality_flags (src/quality/probe-quality.ts writes them; metrics only read). */
const flag = { measured: 1, canned: 2, askedForGiven: 4, languageMismatch: 8, handoff: 16 } as const;

interface ResolutionTargetOf {
  target: ResolutionTarget;
  source: 'vendor' | 'reference';
  /** Counted on a business calendar: the vendor's support hours (its SLA says business hours, or the target is in business days). */
  businessTime: boolean;
}

function resolutionTargetOf(vendor: SlaVendor, tier: Tier): ResolutionTargetOf {
  const own = vendor.sla[tier];
  if (own?.resolution !== undefined) {
    const target = own.resolution;
    const businessDays = target !== 'case_by_case' && target.businessDays;
    return { target, source: 'vendor', businessTime: businessDays || (own.business_hours && vendor.support_hours !== undefined) };
  }
  const target = referenceSla[tier].resolution;
  return { target, source: 'reference', businessTime: target !== 'case_by_case' && target.businessDays };
}

/** Open time of one business day on the vendor's calendar (support hours), or a whole day on the Monday–Friday default. */
export function businessDayMs(hours: SupportHours | undefined): number {
  if (!hours) return DAY;
  const minutes = (text: string) => {
    const [h, m] = text.split(':').map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  };
  const span = minutes(hours.end) - minutes(hours.start);
  return (span > 0 ? span : span + 24 * 60) * 60_000;
}

/** What the resolution figures need of the vendor's calendars. */
export interface ResolutionCalendars {
  /** The vendor's support hours (when declared). */
  open: CalendarIndex | undefined;
  /** Monday–Friday in the vendor's zone, for business-day targets of a vendor without support hours. */
  weekdays: () => CalendarIndex;
  /** One business day of open time. */
  dayMs: number;
}

const resolved = (t: ProbeTiming, now: number): boolean => t.resolved_at !== null && t.resolved_at <= now;

/** Time to resolution; an unresolved probe is censored now (threads stay watched after the first-reply expiry). */
export function resolutionObservation(t: ProbeTiming, now: number, elapsed: (from: number, to: number) => number = elapsedMs): Observation {
  if (resolved(t, now) && t.resolved_at !== null) return { time: Math.max(0, elapsed(t.sent_at, t.resolved_at)), event: true };
  return { time: Math.max(0, elapsed(t.sent_at, now)), event: false };
}

/** Wilson score interval of a share. */
function proportion(count: number, n: number, z = z95): Proportion {
  if (n === 0) return { n, count, share: null, low: null, high: null };
  const p = count / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { n, count, share: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Median of whole rounds with a distribution-free 95 % interval (order statistics around n/2). */
function roundsSummary(rounds: readonly number[], z = z95): RoundsSummary {
  const n = rounds.length;
  if (n === 0) return { n, median: null, low: null, high: null };
  const sorted = [...rounds].sort((a, b) => a - b);
  const mid = (n - 1) / 2;
  const median = ((sorted[Math.floor(mid)] ?? 0) + (sorted[Math.ceil(mid)] ?? 0)) / 2;
  const half = (z * Math.sqrt(n)) / 2;
  const lowRank = Math.floor(n / 2 - half);
  const highRank = Math.ceil(n / 2 + half);
  return {
    n,
    median,
    low: lowRank >= 1 ? (sorted[lowRank - 1] ?? null) : null,
    high: highRank <= n ? (sorted[highRank - 1] ?? null) : null,
  };
}

function tierRow(tier: Tier, timings: readonly ProbeTiming[], vendor: SlaVendor, calendars: ResolutionCalendars, now: number): ResolutionTierRow {
  const { target, source, businessTime } = resolutionTargetOf(vendor, tier);
  const calendar = businessTime ? ((vendor.support_hours ? calendars.open : undefined) ?? calendars.weekdays()) : undefined;
  const businessDays = target !== 'case_by_case' && target.businessDays;
  // Business days are whole days of open time: on support hours 09:00–18:00, five business days are 45 open hours.
  const scale = businessDays ? calendars.dayMs / DAY : 1;
  const highMs = target === 'case_by_case' ? null : target.highMs * scale;
  const elapsed = calendar ? (a: number, b: number) => calendar.elapsed(a, b) : elapsedMs;
  const observations: Observation[] = [];
  let met = 0;
  let missed = 0;
  let pending = 0;
  for (const t of timings) {
    const obs = resolutionObservation(t, now, elapsed);
    observations.push(obs);
    if (highMs === null) continue;
    if (obs.event) {
      if (obs.time <= highMs) met++;
      else missed++;
    } else if (obs.time > highMs) missed++;
    else pending++;
  }
  const known = proportion(met, met + missed);
  return {
    tier,
    source,
    businessTime,
    target: target === 'case_by_case' ? null : { lowMs: target.lowMs * scale, highMs: target.highMs * scale, businessDays },
    time: summarize(observations, { curve: false }),
    met,
    missed,
    pending,
    share: known.share,
    low: known.low,
    high: known.high,
  };
}

/** The resolution figures of one channel's probes (those whose resolution is measured). */
export function resolutionStats(timings: readonly ProbeTiming[], vendor: SlaVendor, calendars: ResolutionCalendars, now: number): ResolutionStats {
  const measured = timings.filter((t) => (t.quality_flags & flag.measured) !== 0);
  const answered = timings.filter((t) => t.first_human_at !== null && t.first_human_at <= now);
  const measuredAnswered = measured.filter((t) => t.first_human_at !== null && t.first_human_at <= now);
  const rounds: number[] = [];
  let firstContact = 0;
  for (const t of measured) {
    if (!resolved(t, now) || t.resolution_rounds === null) continue;
    rounds.push(t.resolution_rounds);
    if (t.resolution_rounds === 1 && t.first_human_at !== null && t.first_human_at <= now) firstContact++;
  }
  const count = (bit: number) => answered.filter((t) => (t.quality_flags & bit) !== 0).length;
  const open = calendars.open;
  const rows: ResolutionTierRow[] = [];
  for (const tier of tiers) {
    const ofTier = measured.filter((t) => t.tier === tier);
    if (ofTier.length > 0) rows.push(tierRow(tier, ofTier, vendor, calendars, now));
  }
  return {
    n: measured.length,
    time: summarize(measured.map((t) => resolutionObservation(t, now))),
    businessTime: open
      ? summarize(
          measured.map((t) => resolutionObservation(t, now, (a, b) => open.elapsed(a, b))),
          { curve: false },
        )
      : null,
    firstContact: proportion(firstContact, measuredAnswered.length),
    rounds: roundsSummary(rounds),
    canned: proportion(count(flag.canned), answered.length),
    askedForGiven: proportion(count(flag.askedForGiven), answered.length),
    languageMismatch: proportion(count(flag.languageMismatch), answered.length),
    handoff: proportion(count(flag.handoff), answered.length),
    tiers: rows,
  };
}
