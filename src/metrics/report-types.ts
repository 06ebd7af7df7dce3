// The shape of `firstreply stats --json`, the status API and reports: one stable document per view.
import type { Tier } from '../config/schema.ts';

/** A duration estimate in ms with its confidence interval; null where the estimate is not reached (too many unanswered). */
export interface Estimate {
  value: number | null;
  low: number | null;
  high: number | null;
}

/** Kaplan–Meier summary of time to an event (first human reply, first ack), censoring the unanswered. */
export interface SurvivalSummary {
  n: number;
  events: number;
  censored: number;
  /** Share of probes with no event (closed or still waiting), 0..1; null when n = 0. */
  noEventShare: number | null;
  median: Estimate;
  p75: Estimate;
  p90: Estimate;
  /** Step points of "% answered within t": t in ms, share 0..1. */
  curve: { t: number; share: number }[];
}

/**
 * Time to first human reply of one tier on one channel: the Kaplan–Meier median with its 95 % interval, and whether it
 * is known closely enough to compare (at least 5 probes, interval high / low ≤ 3); when not, what more it needs.
 */
export interface TierReply {
  tier: Tier;
  n: number;
  events: number;
  censored: number;
  noEventShare: number | null;
  median: Estimate;
  /** high / low of the median's interval; null while an end is not reached. */
  ratio: number | null;
  sufficient: boolean;
  /**
   * null when sufficient. Else the answered probes still needed, the probes that takes at the no-reply share seen so
   * far, and what the count rests on: the interval seen, the spread of the answers seen (≥ 5), or the assumed spread.
   */
  needed: { answered: number; probes: number; basis: 'interval' | 'spread' | 'assumed' } | null;
}

export interface SlaRow {
  tier: Tier;
  targetMs: number;
  source: 'vendor' | 'reference';
  businessHours: boolean;
  /** Probes whose outcome is known (answered, or past their deadline). */
  n: number;
  met: number;
  /** met / n, null when n = 0. */
  share: number | null;
  /** Answered after the deadline, or unanswered past it. */
  missed: number;
  /** Unanswered, deadline still ahead (not in n). */
  pending: number;
  /** Median lateness of the probes answered after their deadline (business time for business-hours targets). */
  lateByMedianMs: number | null;
  /** For business-hours targets: the same target counted in calendar time; null for calendar targets. */
  calendarTime: { n: number; met: number; share: number | null } | null;
}

/** A share with its Wilson 95 % interval: count of n; share, low, high null when n = 0. */
export interface Proportion {
  n: number;
  count: number;
  share: number | null;
  low: number | null;
  high: number | null;
}

/** Median rounds to resolution of the resolved probes, with a distribution-free 95 % interval (null ends: not reached). */
export interface RoundsSummary {
  n: number;
  median: number | null;
  low: number | null;
  high: number | null;
}

/** Time to resolution of one tier against its resolution target (the vendor's SLA, else the reference table). */
export interface ResolutionTierRow {
  tier: Tier;
  source: 'vendor' | 'reference';
  /** Counted on a business calendar (the vendor's support hours, or Monday–Friday for business days without them). */
  businessTime: boolean;
  /** The target range in the time `time` is counted in; null when the SLA says "case by case" (no verdict). */
  target: { lowMs: number; highMs: number; businessDays: boolean } | null;
  /** Kaplan–Meier time to resolution (business time when `businessTime`), unresolved probes censored now. */
  time: SurvivalSummary;
  /** Resolved within the target's upper end. */
  met: number;
  /** Resolved later, or unresolved past it. */
  missed: number;
  /** Unresolved, target still ahead (not in share). */
  pending: number;
  /** met / (met + missed) with its Wilson interval. */
  share: number | null;
  low: number | null;
  high: number | null;
}

/**
 * Resolution and answer quality of a channel. Resolution covers the probes whose templates say what a good answer
 * contains (expect:) or whose replies a person marked; the quality shares cover the probes a person answered.
 */
export interface ResolutionStats {
  /** Probes whose resolution is measured. */
  n: number;
  /** Kaplan–Meier time to resolution in calendar time, unresolved censored. */
  time: SurvivalSummary;
  /** The same in the vendor's business time, when it declares support hours. */
  businessTime: SurvivalSummary | null;
  /** Resolved by the first human reply, of the measured probes a person answered. */
  firstContact: Proportion;
  /** Human replies up to the resolving one, over resolved probes. */
  rounds: RoundsSummary;
  /** Answered probes with a canned reply (a saved reply at a person's pace). */
  canned: Proportion;
  /** Answered probes where a reply asked for a fact the probe gave. */
  askedForGiven: Proportion;
  /** Answered probes whose first human reply was not in the language asked. */
  languageMismatch: Proportion;
  /** Answered probes passed to another agent or team. */
  handoff: Proportion;
  tiers: ResolutionTierRow[];
}

export interface HourCell {
  /** 0 = Monday 00:00–01:00 … 167 = Sunday 23:00–24:00. */
  hour: number;
  n: number;
  answered: number;
  medianMs: number | null;
}

export interface DayBucket {
  day: string;
  probes: number;
  answered: number;
  withinSla: number;
  missedSla: number;
  noReply: number;
  open: number;
  medianMs: number | null;
}

/**
 * insufficient_data: fewer than 5 probes (or 5 known SLA outcomes); not_answering: the KM median is not reached and at
 * least half the probes closed without a human reply; meeting_sla: ≥ 80 % of known outcomes answered within target.
 */
export type ChannelStatus = 'meeting_sla' | 'slower_than_sla' | 'not_answering' | 'insufficient_data';

/**
 * An SLA breach or regression alert on a channel, as the public page tells it: open ones mark the channel "slower
 * than usual since …"; resolved ones stay in the vendor's history with what the alert said.
 */
export interface Incident {
  id: number;
  channel: string;
  kind: 'sla_breach' | 'regression';
  since: number;
  resolvedAt: number | null;
  summary: string;
  /** The facts behind the alert while it fired (label: value). */
  evidence: { label: string; value: string }[];
}

export interface OpenProbe {
  id: number;
  tier: Tier;
  sentAt: number;
  deadlineAt: number | null;
  firstAckAt: number | null;
}

export interface ChannelStats {
  vendor: string;
  channel: string;
  kind: string;
  status: ChannelStatus;
  human: SurvivalSummary;
  /** Time to first human reply per tier with probes in the window, P0 first. */
  tiers: TierReply[];
  ack: SurvivalSummary;
  bot: SurvivalSummary;
  sla: SlaRow[];
  coverage: {
    vendorTz: HourCell[];
    utc: HourCell[];
    businessHours: SurvivalSummary | null;
    offHours: SurvivalSummary | null;
  };
  /**
   * One bucket per UTC day, oldest first, for the days overlapping the last 90 days of the window (at most 91 buckets,
   * whatever the window: longer trends come from the probe list). Each probe sent in those days is in exactly one bucket.
   */
  daily: DayBucket[];
  lastProbeAt: number | null;
  openProbes: OpenProbe[];
  /** Messages of this channel's probes no person has confirmed. */
  unconfirmedLabels: number;
  /** Time to resolution per tier against the resolution target, first-contact resolution, rounds, canned and asked-for-given shares. */
  resolution: ResolutionStats;
  /**
   * Probes whose earliest candidate reply is `unknown` and unreviewed: neither answered nor unanswered, so left out
   * of every figure above (n, medians, no-reply share, SLA, coverage, daily, open probes) until a person labels it.
   */
  awaitingReview: number;
  /** The open SLA-breach or regression alert of this channel (the earliest opened), if any. */
  incident: Incident | null;
}

/** One row of the per-vendor cross-channel table, fastest median first. */
export interface ChannelComparison {
  channel: string;
  kind: string;
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
  noReplyShare: number | null;
  /** Time to the first automatic acknowledgement, kept apart from the human reply. */
  ackMedianMs: number | null;
  ackShare: number | null;
  slaShare: number | null;
  /** Kaplan–Meier median time to resolution (calendar); null = not reached or not measured. */
  resolutionMedianMs: number | null;
  /** Share of answered, measured probes resolved by the first human reply. */
  firstContactShare: number | null;
  /** Share of answered probes with a canned reply. */
  cannedShare: number | null;
  /** Probes left out of the figures until a person reviews their reply. */
  awaitingReview: number;
}

export interface VendorStats {
  vendor: { slug: string; name: string; visibility: 'public' | 'private'; timezone: string; website?: string };
  channels: ChannelStats[];
  /** All channels together. */
  overall: SurvivalSummary;
  /** Probes of all channels awaiting review (not in `overall`). */
  awaitingReview: number;
  /** Slowest channel median / fastest channel median (null without two channels with a median). */
  channelSpread: number | null;
  comparison: ChannelComparison[];
  /** SLA-breach and regression alerts of its channels, open and resolved, newest first. */
  incidents: Incident[];
  /** Operator notes (maintenance, paused probes, method changes), latest first. */
  notes: OperatorNoteView[];
}

/** An operator note on a vendor's page: what happened on our side or theirs, and which channels it concerns. */
export interface OperatorNoteView {
  id: string;
  kind: 'maintenance' | 'paused' | 'method_change' | 'other';
  channels: string[];
  from: number;
  /** null: still in effect. */
  until: number | null;
  title: string;
  text: string;
}

export interface StatsWindow {
  /** 7d | 30d | 90d | all | trial */
  label: string;
  from: number | null;
  to: number;
}

export interface StatsReport {
  generatedAt: number;
  window: StatsWindow;
  /** True when these numbers come from a demo (seconds standing for hours). */
  demoTime: boolean;
  vendors: VendorStats[];
}
