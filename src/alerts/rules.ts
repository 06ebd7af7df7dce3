// Pure alert decisions: each rule reads a channel's probe series at a moment and says whether it fires, with its numbers.
import { formatDuration, parseDuration } from '../core/clock.ts';
import type { Tier } from '../config/schema.ts';
import { kaplanMeier, medianOf, quantile, type Observation } from '../metrics/survival.ts';
import { logRank } from '../metrics/logrank.ts';
import type { AlertsConfig, ThresholdInput } from '../config/alerts.ts';
import type { AlertAudience, AlertSeverity } from '../store/alerts.ts';
import type { Fact } from './notifiers/notifier.ts';

/** A probe as the rules see it (times in ms since the epoch). */
export interface ProbePoint {
  id: number;
  tier: Tier;
  /** send_failed probes have no sentAt. */
  failed: boolean;
  errorCode: string | null;
  errorText: string | null;
  scheduledAt: number;
  sentAt: number | null;
  deadlineAt: number | null;
  expiresAt: number | null;
  firstHumanAt: number | null;
  /** Its earliest candidate reply is `unknown` and unreviewed: neither answered nor unanswered, so left out. */
  awaitingReview?: boolean;
}

/** What a rule says about one vendor × channel now. */
export interface Verdict {
  firing: boolean;
  severity: AlertSeverity;
  summary: string;
  /** The numbers behind the verdict, in words (alert text) … */
  facts: Fact[];
  /** … and as values (webhook JSON, the alert's details). */
  numbers: Record<string, number | string | null | number[]>;
  probeId: number | null;
}

export const ruleTitles = {
  sla_breach: 'SLA breach',
  regression: 'Slower than its own baseline',
  channel_broken: 'Probe channel broken',
  threshold: 'Threshold crossed',
  review_needed: 'Replies awaiting review',
  mailbox_down: 'Probe mailbox unreachable',
} as const;
export type RuleKind = keyof typeof ruleTitles;

export const ruleAudience: Record<RuleKind, AlertAudience> = {
  sla_breach: 'subscriber',
  regression: 'subscriber',
  channel_broken: 'operator',
  threshold: 'subscriber',
  review_needed: 'operator',
  mailbox_down: 'operator',
};

const quiet = (summary: string, facts: Fact[] = [], numbers: Verdict['numbers'] = {}): Verdict => ({
  firing: false,
  severity: 'warning',
  summary,
  facts,
  numbers,
  probeId: null,
});

/** The probe as survival data known at `at`: a human reply by then is an event, otherwise censored at `at` or expiry. */
export function observationAt(probe: ProbePoint, at: number): Observation | null {
  if (probe.sentAt === null || probe.sentAt > at || probe.awaitingReview === true) return null;
  if (probe.firstHumanAt !== null && probe.firstHumanAt <= at) return { time: probe.firstHumanAt - probe.sentAt, event: true };
  const end = probe.expiresAt === null ? at : Math.min(at, probe.expiresAt);
  return { time: Math.max(0, end - probe.sentAt), event: false };
}

const ratioText = (r: number): string => `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
const pText = (p: number): string => (p < 0.0001 ? p.toExponential(1) : p.toPrecision(2));
const percent = (share: number): string => `${Math.round(share * 100)} %`;

// ---------------------------------------------------------------- SLA breach in flight

interface SlaOutcome {
  probe: ProbePoint;
  met: boolean;
  /** When the outcome became known: the reply (met) or the deadline (breached). */
  knownAt: number;
}

function slaOutcomes(probes: readonly ProbePoint[], now: number, tiers: readonly Tier[]): SlaOutcome[] {
  const out: SlaOutcome[] = [];
  for (const probe of probes) {
    if (probe.sentAt === null || probe.deadlineAt === null || probe.awaitingReview === true || !tiers.includes(probe.tier)) continue;
    const human = probe.firstHumanAt !== null && probe.firstHumanAt <= now ? probe.firstHumanAt : null;
    if (human !== null && human <= probe.deadlineAt) out.push({ probe, met: true, knownAt: human });
    else if (probe.deadlineAt <= now) out.push({ probe, met: false, knownAt: probe.deadlineAt });
  }
  return out.sort((a, b) => b.knownAt - a.knownAt || b.probe.id - a.probe.id);
}

/**
 * Fires the moment a probe passes its first-response deadline without a human reply, and stays firing while the
 * latest known outcome is a breach. `clearStreak` counts the latest outcomes in a row that met the SLA.
 */
export function slaBreach(probes: readonly ProbePoint[], now: number, tiers: readonly Tier[]): Verdict & { clearStreak: number } {
  const outcomes = slaOutcomes(probes, now, tiers);
  const waiting = outcomes.filter(
    (o) => !o.met && (o.probe.firstHumanAt === null || o.probe.firstHumanAt > now) && (o.probe.expiresAt === null || o.probe.expiresAt > now),
  );
  let clearStreak = 0;
  while (clearStreak < outcomes.length && outcomes[clearStreak]?.met) clearStreak++;
  const latest = outcomes[0];
  const recent = outcomes.slice(0, 10);
  const metShare = recent.length > 0 ? recent.filter((o) => o.met).length / recent.length : null;
  const numbers = {
    breached_probes: outcomes
      .filter((o) => !o.met)
      .slice(0, 10)
      .map((o) => o.probe.id),
    waiting_probes: waiting.map((o) => o.probe.id),
    met_in_a_row: clearStreak,
    met_share_last_10: metShare,
  };
  const worst = waiting.sort((a, b) => a.knownAt - b.knownAt)[0] ?? (latest && !latest.met ? latest : undefined);
  if (!worst) {
    const facts = latest ? [{ label: 'Within SLA', value: `the last ${clearStreak} probe(s) in a row` }] : [];
    return { ...quiet('every probe answered within its first-response target', facts, numbers), clearStreak };
  }
  const p = worst.probe;
  const sentAt = p.sentAt ?? 0;
  const deadlineAt = p.deadlineAt ?? 0;
  const targetMs = deadlineAt - sentAt;
  const answered = p.firstHumanAt !== null && p.firstHumanAt <= now;
  const facts: Fact[] = [
    { label: 'Probe', value: `#${p.id} (${p.tier}), sent ${new Date(sentAt).toISOString()}` },
    { label: 'First-response target', value: formatDuration(targetMs) },
    answered
      ? {
          label: 'First human reply',
          value: `after ${formatDuration((p.firstHumanAt ?? 0) - sentAt)} (${formatDuration((p.firstHumanAt ?? 0) - deadlineAt)} late)`,
        }
      : { label: 'Waiting', value: `${formatDuration(now - sentAt)} without a human reply, deadline passed ${formatDuration(now - deadlineAt)} ago` },
  ];
  if (waiting.length > 1) facts.push({ label: 'Probes waiting past their deadline', value: String(waiting.length) });
  if (metShare !== null) facts.push({ label: 'Within SLA, last outcomes', value: `${percent(metShare)} of ${recent.length}` });
  const summary = answered
    ? `probe #${p.id} (${p.tier}) was answered ${formatDuration((p.firstHumanAt ?? 0) - deadlineAt)} after its ${formatDuration(targetMs)} first-response target`
    : `no human reply to probe #${p.id} (${p.tier}) ${formatDuration(now - sentAt)} after sending: the ${formatDuration(targetMs)} first-response target has passed`;
  return {
    firing: true,
    severity: p.tier === 'P0' || p.tier === 'P1' ? 'critical' : 'warning',
    summary,
    facts,
    numbers: { ...numbers, probe: p.id, target_ms: targetMs, waiting_ms: answered ? null : now - sentAt },
    probeId: p.id,
    clearStreak,
  };
}

// ---------------------------------------------------------------- regression against the vendor's own baseline

type RegressionConfig = AlertsConfig['regression'];

interface RegressionNumbers {
  recentFrom: number;
  recentN: number;
  recentInformative: number;
  recentEvents: number;
  recentMedianMs: number | null;
  /** When the recent median is not reached: it is longer than this. */
  recentMedianAtLeastMs: number;
  baselineFrom: number;
  baselineN: number;
  baselineEvents: number;
  baselineMedianMs: number | null;
  ratio: number | null;
  z: number;
  chiSquare: number;
  pSlower: number;
}

/** The baseline of an open regression alert, frozen when it opened: (from, to]. */
export interface FrozenBaseline {
  from: number;
  to: number;
}

/** Maps a probe's sent time and a calendar duration to the duration that counts (business hours or calendar). */
type Elapsed = (from: number, ms: number) => number;
const calendarTime: Elapsed = (_from, ms) => ms;

/**
 * Splits the series at `at` into the recent window and the baseline before it, and compares them. While an alert
 * is open its baseline stays the one it opened against, so a lasting slowdown does not become the new normal.
 * `elapsed` measures each wait in the vendor's business time when it declares support hours: closing for the
 * night is not a slowdown.
 */
export function regressionTest(
  probes: readonly ProbePoint[],
  at: number,
  cfg: RegressionConfig,
  frozen?: FrozenBaseline,
  elapsed: Elapsed = calendarTime,
): RegressionNumbers & { ready: boolean; why: string } {
  const sent = probes.filter((p) => p.sentAt !== null && p.sentAt <= at).sort((a, b) => (a.sentAt ?? 0) - (b.sentAt ?? 0));
  let recentFrom = at - cfg.recent;
  const inWindow = sent.filter((p) => (p.sentAt ?? 0) > recentFrom).length;
  if (inWindow < cfg.recent_min_probes && sent.length >= cfg.recent_min_probes) {
    recentFrom = (sent[sent.length - cfg.recent_min_probes]?.sentAt ?? recentFrom) - 1;
  }
  if (frozen) recentFrom = Math.max(recentFrom, frozen.to);
  const baselineFrom = frozen ? frozen.from : recentFrom - cfg.baseline;
  const baselineTo = frozen ? frozen.to : recentFrom;
  const recent: Observation[] = [];
  const baseline: Observation[] = [];
  for (const p of sent) {
    const seen = observationAt(p, at);
    if (!seen) continue;
    const t = p.sentAt ?? 0;
    const o = { time: elapsed(t, seen.time), event: seen.event };
    if (t > recentFrom) recent.push(o);
    else if (t > baselineFrom && t <= baselineTo) baseline.push(o);
  }
  const baselineMedianMs = medianOf(baseline);
  const recentMedianMs = medianOf(recent);
  const recentAtLeast = recent.reduce((m, o) => Math.max(m, o.time), 0);
  const informative = baselineMedianMs === null ? 0 : recent.filter((o) => o.event || o.time >= baselineMedianMs).length;
  const test = logRank(recent, baseline);
  const ratio = baselineMedianMs === null || baselineMedianMs === 0 ? null : (recentMedianMs ?? recentAtLeast) / baselineMedianMs;
  const numbers: RegressionNumbers = {
    recentFrom,
    recentN: recent.length,
    recentInformative: informative,
    recentEvents: recent.filter((o) => o.event).length,
    recentMedianMs,
    recentMedianAtLeastMs: recentMedianMs ?? recentAtLeast,
    baselineFrom,
    baselineN: baseline.length,
    baselineEvents: baseline.filter((o) => o.event).length,
    baselineMedianMs,
    ratio,
    z: test.z,
    chiSquare: test.chiSquare,
    pSlower: test.pSlower,
  };
  if (baseline.length < cfg.min_baseline) return { ...numbers, ready: false, why: `baseline has ${baseline.length} probes, needs ${cfg.min_baseline}` };
  if (baselineMedianMs === null)
    return { ...numbers, ready: false, why: 'fewer than half of the baseline probes were answered: no baseline median to compare with' };
  if (informative < cfg.min_recent) return { ...numbers, ready: false, why: `recent window has ${informative} informative probes, needs ${cfg.min_recent}` };
  return { ...numbers, ready: true, why: '' };
}

export function regressionFires(n: ReturnType<typeof regressionTest>, cfg: RegressionConfig): boolean {
  return n.ready && n.pSlower < cfg.max_p && n.ratio !== null && n.ratio >= cfg.min_ratio;
}

/** Hysteresis for an open alert: still slow unless the effect fell under clear_ratio or the test lost even p < clear_p. */
export function regressionPersists(n: ReturnType<typeof regressionTest>, cfg: RegressionConfig): boolean {
  if (!n.ready) return true;
  return n.pSlower < cfg.clear_p && n.ratio !== null && n.ratio >= cfg.clear_ratio;
}

/**
 * Fires when the recent window is slower than the baseline by both a censoring-aware test (one-sided log-rank,
 * p < max_p) and a minimum effect (KM median ≥ min_ratio × baseline), each with enough probes.
 */
export function regression(probes: readonly ProbePoint[], now: number, cfg: RegressionConfig, frozen?: FrozenBaseline, elapsed?: Elapsed): Verdict {
  const n = regressionTest(probes, now, cfg, frozen, elapsed);
  const unit = elapsed && elapsed !== calendarTime ? ' (business hours)' : '';
  const recentMedian =
    n.recentMedianMs !== null ? formatDuration(n.recentMedianMs) : `more than ${formatDuration(n.recentMedianAtLeastMs)} (fewer than half answered)`;
  const days = (ms: number) => Math.round(ms / 86_400_000);
  const facts: Fact[] = [
    {
      label: `Recent median (Kaplan–Meier)${unit}`,
      value: `${recentMedian} over ${n.recentN} probes since ${new Date(n.recentFrom).toISOString().slice(0, 10)} (${n.recentEvents} answered by a human)`,
    },
    {
      label: `Baseline median (Kaplan–Meier)${unit}`,
      value: `${n.baselineMedianMs === null ? 'not reached' : formatDuration(n.baselineMedianMs)} over ${n.baselineN} probes ${frozen ? `from ${new Date(frozen.from).toISOString().slice(0, 10)} to ${new Date(frozen.to).toISOString().slice(0, 10)}, before the alert` : `in the ${days(cfg.baseline)} days before`} (${n.baselineEvents} answered)`,
    },
    {
      label: 'Effect',
      value:
        n.ratio === null
          ? 'no baseline median'
          : `${n.recentMedianMs === null ? 'at least ' : ''}${ratioText(n.ratio)} the baseline median (alert at ≥ ${ratioText(cfg.min_ratio)})`,
    },
    { label: 'Log-rank test', value: `χ² = ${n.chiSquare.toFixed(2)}, one-sided p = ${pText(n.pSlower)} (alert at p < ${cfg.max_p})` },
    {
      label: 'Sample sizes',
      value: `${n.recentInformative} informative recent probes (min ${cfg.min_recent}), ${n.baselineN} baseline probes (min ${cfg.min_baseline})`,
    },
  ];
  const numbers: Verdict['numbers'] = {
    recent_from: n.recentFrom,
    recent_n: n.recentN,
    recent_informative: n.recentInformative,
    recent_events: n.recentEvents,
    recent_median_ms: n.recentMedianMs,
    recent_median_at_least_ms: n.recentMedianAtLeastMs,
    baseline_from: n.baselineFrom,
    baseline_to: frozen ? frozen.to : n.recentFrom,
    baseline_n: n.baselineN,
    baseline_events: n.baselineEvents,
    baseline_median_ms: n.baselineMedianMs,
    ratio: n.ratio,
    chi_square: n.chiSquare,
    z: n.z,
    p_value: n.pSlower,
    min_ratio: cfg.min_ratio,
    max_p: cfg.max_p,
    min_recent: cfg.min_recent,
    min_baseline: cfg.min_baseline,
    time: unit ? 'business_hours' : 'calendar',
  };
  if (frozen ? !regressionPersists(n, cfg) : !regressionFires(n, cfg)) {
    return quiet(
      frozen
        ? `back to the baseline from before the alert: median ${recentMedian} vs ${n.baselineMedianMs === null ? 'n/a' : formatDuration(n.baselineMedianMs)} (${n.ratio === null ? 'no ratio' : ratioText(n.ratio)}, log-rank p = ${pText(n.pSlower)})`
        : n.ready
          ? 'no significant slowdown against the baseline'
          : n.why,
      facts,
      numbers,
    );
  }
  return {
    firing: true,
    severity: 'warning',
    facts,
    numbers,
    probeId: null,
    summary: `first human replies are ${n.recentMedianMs === null ? 'at least ' : ''}${ratioText(n.ratio ?? 0)} slower than this channel's own baseline: median ${recentMedian} vs ${formatDuration(n.baselineMedianMs ?? 0)}${unit} (log-rank p = ${pText(n.pSlower)}, ${n.recentN} recent vs ${n.baselineN} baseline probes)`,
  };
}

// ---------------------------------------------------------------- channel broken (operator)

/** `attempts` newest first. Fires when the latest `consecutive` sends all failed; clearStreak counts successes in a row. */
export function channelBroken(attempts: readonly ProbePoint[], consecutive: number): Verdict & { clearStreak: number } {
  let failures = 0;
  while (failures < attempts.length && attempts[failures]?.failed) failures++;
  let clearStreak = 0;
  while (clearStreak < attempts.length && !attempts[clearStreak]?.failed) clearStreak++;
  const latest = attempts[0];
  const codes = [...new Set(attempts.slice(0, failures).map((a) => a.errorCode ?? 'unknown'))];
  const numbers = { failures_in_a_row: failures, successes_in_a_row: clearStreak, codes: codes.join(',') };
  if (!latest || failures < consecutive) return { ...quiet('sends are going through', [], numbers), clearStreak };
  const facts: Fact[] = [
    { label: 'Failed sends in a row', value: String(failures) },
    { label: 'Error codes', value: codes.join(', ') },
    { label: 'Last error', value: `${latest.errorCode ?? 'unknown'}: ${latest.errorText ?? ''}`.slice(0, 300) },
    { label: 'Last attempt', value: `probe #${latest.id} at ${new Date(latest.scheduledAt).toISOString()}` },
  ];
  return {
    firing: true,
    severity: 'critical',
    facts,
    numbers,
    probeId: latest.id,
    clearStreak,
    summary: `${failures} send(s) in a row failed (${codes.join(', ')}): probes on this channel are not reaching the vendor; the vendor is not blamed`,
  };
}

// ---------------------------------------------------------------- subscriber thresholds

interface ThresholdValue {
  n: number;
  value: number | null;
  /** For a median or p90 not reached: it is longer than this. */
  atLeast: number | null;
}

/** `elapsed` maps a probe's sent time and a calendar duration to the duration that counts (business hours or calendar). */
export function thresholdValue(probes: readonly ProbePoint[], at: number, t: ThresholdInput, elapsed: Elapsed): ThresholdValue {
  const inWindow = probes.filter((p) => p.sentAt !== null && p.sentAt <= at && p.sentAt > at - t.window && p.awaitingReview !== true);
  if (t.metric === 'median' || t.metric === 'p90') {
    const obs = inWindow.flatMap((p) => {
      const o = observationAt(p, at);
      return o ? [{ time: elapsed(p.sentAt ?? 0, o.time), event: o.event }] : [];
    });
    const q = quantile(kaplanMeier(obs), t.metric === 'median' ? 0.5 : 0.9).value;
    return { n: obs.length, value: q, atLeast: q === null ? obs.reduce((m, o) => Math.max(m, o.time), 0) : null };
  }
  if (t.metric === 'sla_compliance') {
    const known = inWindow.filter((p) => p.deadlineAt !== null && (p.deadlineAt <= at || (p.firstHumanAt !== null && p.firstHumanAt <= at)));
    const met = known.filter((p) => p.firstHumanAt !== null && p.firstHumanAt <= at && p.firstHumanAt <= (p.deadlineAt ?? 0)).length;
    return { n: known.length, value: known.length > 0 ? met / known.length : null, atLeast: null };
  }
  const closed = inWindow.filter((p) => (p.firstHumanAt !== null && p.firstHumanAt <= at) || (p.expiresAt !== null && p.expiresAt <= at));
  const unanswered = closed.filter((p) => p.firstHumanAt === null || p.firstHumanAt > at).length;
  return { n: closed.length, value: closed.length > 0 ? unanswered / closed.length : null, atLeast: null };
}

function thresholdLimit(t: ThresholdInput): number {
  const limit = t.above ?? t.below ?? 0;
  if (t.metric === 'median' || t.metric === 'p90') return parseDuration(limit);
  return typeof limit === 'number' ? limit : Number(limit);
}

/**
 * The value past which the threshold fires. While its alert is open (`open`), the bar moves `clear_margin` toward the
 * good side: the alert stays firing until the value is clearly back, not merely a hair under the limit.
 */
function thresholdBar(t: ThresholdInput, open = false): number {
  const limit = thresholdLimit(t);
  const margin = open ? t.clear_margin : 0;
  if (t.above !== undefined) return limit * (1 - margin);
  const isShare = t.metric === 'sla_compliance' || t.metric === 'no_reply_share';
  return isShare ? limit + margin * (1 - limit) : limit * (1 + margin);
}

export function thresholdFires(v: ThresholdValue, t: ThresholdInput, open = false): boolean {
  if (v.n < t.min_probes) return false;
  const bar = thresholdBar(t, open);
  if (t.above !== undefined) {
    if (v.value !== null) return v.value > bar;
    return v.atLeast !== null && v.atLeast > bar;
  }
  return v.value !== null && v.value < bar;
}

export function threshold(probes: readonly ProbePoint[], now: number, t: ThresholdInput, elapsed: (from: number, ms: number) => number, open = false): Verdict {
  const v = thresholdValue(probes, now, t, elapsed);
  const limit = thresholdLimit(t);
  const isTime = t.metric === 'median' || t.metric === 'p90';
  const show = (x: number | null): string => (x === null ? 'n/a' : isTime ? formatDuration(x) : percent(x));
  const shown = v.value === null && v.atLeast !== null ? `more than ${show(v.atLeast)}` : show(v.value);
  const unit = isTime && t.business_hours ? ' (business hours)' : '';
  const metricName = {
    median: 'median time to first human reply',
    p90: '90th percentile time to first human reply',
    sla_compliance: 'SLA compliance',
    no_reply_share: 'share of probes without a human reply',
  }[t.metric];
  const rel = t.above !== undefined ? 'above' : 'below';
  const facts: Fact[] = [
    { label: 'Threshold', value: `${t.id}: ${metricName} ${rel} ${show(limit)}${unit} over ${formatDuration(t.window)}` },
    { label: 'Measured', value: `${shown}${unit} over ${v.n} probes (min ${t.min_probes})` },
  ];
  const numbers = { threshold: t.id, metric: t.metric, limit, value: v.value, at_least: v.atLeast, n: v.n, window_ms: t.window };
  if (open && t.clear_margin > 0)
    facts.push({
      label: 'Clears when',
      value: `${t.above !== undefined ? 'at or under' : 'at or over'} ${show(thresholdBar(t, true))}${unit} (clear_margin ${percent(t.clear_margin)})`,
    });
  if (!thresholdFires(v, t, open))
    return quiet(v.n < t.min_probes ? `${v.n} probes in the window, needs ${t.min_probes}` : `${metricName} ${shown} is within the threshold`, facts, numbers);
  return {
    firing: true,
    severity: 'warning',
    facts,
    numbers,
    probeId: null,
    summary: `${metricName} is ${shown}${unit} over the last ${formatDuration(t.window)}, ${rel} the ${show(limit)} threshold "${t.id}"`,
  };
}

// ---------------------------------------------------------------- recovery: the condition clear for N probes

/**
 * How many of the latest probe outcomes in a row (newest first) the rule would not have fired at — each moment a
 * human reply or an expiry became known is re-judged with what was known then. Stops at `limit`.
 */
export function clearStreakAt(probes: readonly ProbePoint[], now: number, limit: number, fires: (at: number) => boolean): number {
  if (fires(now)) return 0;
  const moments = probes
    .flatMap((p) => {
      if (p.sentAt === null || p.awaitingReview === true) return [];
      if (p.firstHumanAt !== null && p.firstHumanAt <= now) return [p.firstHumanAt];
      if (p.expiresAt !== null && p.expiresAt <= now) return [p.expiresAt];
      return [];
    })
    .sort((a, b) => b - a);
  let streak = 0;
  for (const at of moments) {
    if (streak >= limit) break;
    if (fires(at)) break;
    streak++;
  }
  return streak;
}

// ---------------------------------------------------------------- review needed (operator digest)

/** A probe awaiting a person's review of one reply. */
export interface PendingReview {
  probeId: number;
  vendor: string;
  vendorName: string;
  channel: string;
  /** received_at of the reply to label. */
  since: number;
  messageId: number | null;
}

/** What the last digest listed and when it went out (null: none yet while this alert is open). */
export interface DigestMemory {
  sentAt: number | null;
  listed: readonly string[];
}

interface DigestDecision {
  send: boolean;
  /** Items no earlier digest listed. */
  fresh: PendingReview[];
  /** When a digest held back by `every` may go out (null when nothing new waits). */
  dueAt: number | null;
  why: string;
}

/** One item is one reply to label: a probe that moved on to its next unknown reply is new again. */
export const digestKey = (item: PendingReview): string => `${item.probeId}:${item.messageId ?? item.since}`;

/** Sends a digest when something is new since the last one, at most once per `every`. */
export function reviewDigest(pending: readonly PendingReview[], memory: DigestMemory, now: number, every: number): DigestDecision {
  const listed = new Set(memory.listed);
  const fresh = pending.filter((item) => !listed.has(digestKey(item)));
  if (fresh.length === 0) return { send: false, fresh, dueAt: null, why: pending.length === 0 ? 'nothing awaits review' : 'nothing new since the last digest' };
  const dueAt = memory.sentAt === null ? now : memory.sentAt + every;
  if (dueAt > now) return { send: false, fresh, dueAt, why: `the last digest went out ${formatDuration(now - (memory.sentAt ?? now))} ago` };
  return { send: true, fresh, dueAt: now, why: `${fresh.length} new` };
}

/** At most this many probes are listed one by one; the rest are counted. */
export const digestListLimit = 50;

/** The words and numbers of a digest; `reviewUrl` is the admin review page. */
export function digestVerdict(pending: readonly PendingReview[], fresh: readonly PendingReview[], now: number, reviewUrl: string): Verdict {
  const isFresh = new Set(fresh.map(digestKey));
  const ordered = [...pending].sort((a, b) => a.since - b.since || a.probeId - b.probeId);
  const facts: Fact[] = ordered.slice(0, digestListLimit).map((item) => ({
    label: `${isFresh.has(digestKey(item)) ? 'New: ' : ''}probe #${item.probeId} · ${item.vendorName} · ${item.channel}`,
    value: `awaiting review since ${new Date(item.since).toISOString().slice(0, 16).replace('T', ' ')} UTC (${formatDuration(Math.max(0, now - item.since))}) — ${reviewLink(reviewUrl, item)}`,
  }));
  if (ordered.length > digestListLimit) facts.push({ label: 'And', value: `${ordered.length - digestListLimit} more on ${reviewUrl}` });
  const vendors = new Set(pending.map((p) => p.vendor)).size;
  return {
    firing: pending.length > 0,
    severity: 'warning',
    facts,
    probeId: null,
    summary: `${pending.length} probe(s) of ${vendors} vendor(s) await a person's review (${fresh.length} new): until then they count as neither answered nor unanswered`,
    numbers: {
      awaiting: pending.length,
      new: fresh.length,
      probes: ordered.map((p) => p.probeId),
      new_probes: fresh.map((p) => p.probeId),
      review_url: reviewUrl,
    },
  };
}

export function reviewLink(reviewUrl: string, item: Pick<PendingReview, 'messageId'>): string {
  return item.messageId === null ? reviewUrl : `${reviewUrl}#message-${item.messageId}`;
}

// ---------------------------------------------------------------- what to do with an alert

interface AlertState {
  open: boolean;
  /** An opening notice was queued (false while silenced since it opened). */
  notified: boolean;
  lastNotifiedAt: number | null;
  reminders: number;
}

type Decision =
  | { action: 'none' }
  | { action: 'open'; notify: boolean }
  | { action: 'update'; notify: 'opened' | 'reminder' | null }
  | { action: 'resolve'; notify: boolean };

/** The alert state machine: open at once, remind while open, resolve after N clear probes; silences hold notices back. */
export function decide(
  state: AlertState,
  firing: boolean,
  clearStreak: number,
  silenced: boolean,
  now: number,
  cfg: Pick<AlertsConfig, 'recovery_probes' | 'reminder_every'>,
): Decision {
  if (!state.open) return firing ? { action: 'open', notify: !silenced } : { action: 'none' };
  if (!firing && clearStreak >= cfg.recovery_probes) return { action: 'resolve', notify: state.notified && !silenced };
  if (silenced) return { action: 'update', notify: null };
  if (!state.notified) return { action: 'update', notify: 'opened' };
  const reminderDue = cfg.reminder_every > 0 && state.lastNotifiedAt !== null && now - state.lastNotifiedAt >= cfg.reminder_every;
  return { action: 'update', notify: reminderDue ? 'reminder' : null };
}

// ---------------------------------------------------------------- mailbox down (operator)

/** An interval our probe mailbox could not be read, as the rule sees it. */
export interface MailboxOutage {
  id: number;
  mailbox: string;
  startedAt: number;
  endedAt: number | null;
  code: string;
  cause: string;
  detail: string | null;
}

/**
 * Fires while the outage lasts: the channels replying to the mailbox are paused, and the probes whose outcome falls
 * inside it are left out of every vendor figure, so the vendor is not blamed for what we could not see.
 */
export function mailboxDown(outage: MailboxOutage, now: number, channels: readonly string[], hiddenProbes: readonly number[]): Verdict {
  const lasted = formatDuration(Math.max(0, (outage.endedAt ?? now) - outage.startedAt));
  const facts: Fact[] = [
    { label: 'Cause', value: outage.cause },
    { label: 'Unreachable since', value: `${new Date(outage.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC (${lasted})` },
    { label: 'Paused channels', value: channels.length > 0 ? channels.join(', ') : 'none' },
    {
      label: 'Probes left out of vendor figures',
      value:
        hiddenProbes.length > 0 ? `${hiddenProbes.length} (#${hiddenProbes.slice(0, 20).join(', #')}${hiddenProbes.length > 20 ? ', …' : ''})` : 'none so far',
    },
  ];
  if (outage.detail) facts.push({ label: 'Last error', value: outage.detail.slice(0, 300) });
  const numbers = {
    outage: outage.id,
    mailbox: outage.mailbox,
    code: outage.code,
    started_at: outage.startedAt,
    ended_at: outage.endedAt,
    paused_channels: channels.join(','),
    hidden_probes: [...hiddenProbes],
  };
  if (outage.endedAt !== null) {
    return { ...quiet(`mailbox "${outage.mailbox}" is reachable again after ${lasted}; its channels send again`, facts, numbers) };
  }
  return {
    firing: true,
    severity: 'critical',
    facts,
    numbers,
    probeId: null,
    summary: `mailbox "${outage.mailbox}" cannot be read (${lasted}): ${outage.cause}. Its channels are paused and no vendor is measured for this time`,
  };
}
