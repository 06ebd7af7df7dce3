// Pure: how closely a median is known, how many more answered probes would pin it down, and the per-tier figures built on it.
import { tiers, type Tier } from '../config/schema.ts';
import type { TierReply } from './report-types.ts';
import { summarize, z95, type Observation } from './survival.ts';

/** At least this many probes before a channel (or a tier) gets a verdict. */
export const minProbesForStatus = 5;
/** A median is decided when its 95 % interval's high / low is at most this: a trial plan's default `decision_ratio`. */
const decisionRatio = 3;
/** The spread assumed while too few answers are seen (σ = ln 3): a trial plan's default `assumed_spread`. */
const assumedSpread = 3;
/** Fewer answered probes than this and the observed spread is not trusted: the assumption is used. */
export const minAnsweredForSpread = 5;
/**
 * The Kaplan–Meier interval (log-log band, outer ends) is wider than the asymptotic one the plan's formula assumes: in
 * seeded log-normal runs (σ = ln 2, ln 3, ln 5) ×1 the formula's answers reach ×3 in about 30 % of runs, ×1.4 in about half.
 */
export const kmWidthFactor = 1.4;
/** Reply shares below this are taken as this when turning answers needed into probes needed. */
const minReplyShare = 0.05;

/**
 * The expected 95 % interval of a median from `answered` log-normal answers of spread σ, as high / low: the sample
 * median of ln t has variance (π/2)·σ²/n, so the interval spans exp(2·z·σ·√(π / 2n)).
 */
export function expectedRatio(answered: number, sigma: number): number | null {
  if (answered <= 0) return null;
  return Math.exp(2 * z95 * sigma * Math.sqrt(Math.PI / (2 * answered)));
}

/** Answered probes for an expected interval within `ratio` (the inverse of expectedRatio; not rounded). */
export function answeredForRatio(sigma: number, ratio: number): number {
  return sigma <= 0 ? 1 : (Math.PI / 2) * ((2 * z95 * sigma) / Math.log(ratio)) ** 2;
}

/** Probes to send for `answered` answers when a share `noReplyShare` is never answered by a person. */
export function probesFor(answered: number, noReplyShare: number): number {
  return Math.ceil(answered / Math.max(minReplyShare, 1 - noReplyShare));
}

/** Standard deviation of ln(time to reply) over answered times (at least 1 s each); null with fewer than two. */
function logSpread(timesMs: readonly number[]): number | null {
  if (timesMs.length < 2) return null;
  const logs = timesMs.map((t) => Math.log(Math.max(1_000, t)));
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  return Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
}

/**
 * Time to first human reply of one tier (Kaplan–Meier, unanswered censored) and whether its median is known closely
 * enough; when not, the answered probes still needed: the trial plan's count from the spread of the answers seen (or
 * the assumed spread), scaled by kmWidthFactor. Where that count is already reached but the interval is still too wide, its log-width shrinks
 * as 1/√answers: answers × (ln width / ln ratio)². At least one more, and at least enough probes for a verdict.
 */
export function tierReply(tier: Tier, observations: readonly Observation[], ratio = decisionRatio): TierReply {
  const s = summarize(observations, { curve: false });
  const { low, high } = s.median;
  const width = low !== null && high !== null && low > 0 ? high / low : null;
  const base = { tier, n: s.n, events: s.events, censored: s.censored, noEventShare: s.noEventShare, median: s.median, ratio: width };
  if (s.n >= minProbesForStatus && width !== null && width <= ratio) return { ...base, sufficient: true, needed: null };
  const seen = s.events >= minAnsweredForSpread ? logSpread(observations.filter((o) => o.event).map((o) => o.time)) : null;
  let target = kmWidthFactor * answeredForRatio(seen ?? Math.log(assumedSpread), ratio);
  let basis: 'interval' | 'spread' | 'assumed' = seen === null ? 'assumed' : 'spread';
  if (Math.ceil(target) <= s.events && width !== null) {
    target = s.events * (Math.log(width) / Math.log(ratio)) ** 2;
    basis = 'interval';
  }
  const answered = Math.max(1, Math.ceil(target) - s.events, minProbesForStatus - s.n);
  return { ...base, sufficient: false, needed: { answered, probes: probesFor(answered, s.noEventShare ?? 0), basis } };
}

/** One row per tier that has probes, P0 first: the observations grouped by their probe's tier. */
export function tierReplies(probeTiers: readonly Tier[], observations: readonly Observation[], ratio = decisionRatio): TierReply[] {
  const groups = new Map<Tier, Observation[]>();
  for (const [i, tier] of probeTiers.entries()) {
    const obs = observations[i];
    if (obs === undefined) continue;
    const list = groups.get(tier) ?? [];
    list.push(obs);
    groups.set(tier, list);
  }
  return tiers.flatMap((tier) => {
    const obs = groups.get(tier);
    return obs ? [tierReply(tier, obs, ratio)] : [];
  });
}
