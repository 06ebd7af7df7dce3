// Pure: Kaplan–Meier estimate of time to an event with right-censoring, Greenwood variance, log-log intervals and quantiles.
import type { Estimate, SurvivalSummary } from './report-types.ts';

/** One probe: `time` ms until the event (event = true) or until it was censored (event = false). */
export interface Observation {
  time: number;
  event: boolean;
}

/** One step of the estimate, at a time where at least one event happened. */
export interface KmStep {
  t: number;
  atRisk: number;
  events: number;
  /** Censored at exactly t (they count as at risk at t). */
  censored: number;
  survival: number;
  /** Greenwood's sum Σ d / (n (n − d)) up to t: Var(log S) ≈ this. */
  greenwood: number;
  /** Pointwise log-log confidence band of S(t). */
  low: number;
  high: number;
}

export interface KmFit {
  n: number;
  events: number;
  censored: number;
  steps: KmStep[];
}

/** z for a two-sided 95 % interval. */
export const z95 = 1.959963984540054;
const eps = 1e-12;

/**
 * Event and censoring times apart, each sorted as numbers (a typed array sorts natively, with no object per probe):
 * walked together they give the same groups of tied times as one sort of the observations.
 */
interface SortedTimes {
  events: Float64Array;
  censored: Float64Array;
}

function sortedTimes(observations: readonly Observation[], clamp: boolean): SortedTimes {
  let eventCount = 0;
  let censoredCount = 0;
  for (const o of observations) {
    if (!Number.isFinite(o.time)) continue;
    if (o.event) eventCount++;
    else censoredCount++;
  }
  const events = new Float64Array(eventCount);
  const censored = new Float64Array(censoredCount);
  let e = 0;
  let c = 0;
  for (const o of observations) {
    if (!Number.isFinite(o.time)) continue;
    const time = clamp ? Math.max(0, o.time) : o.time;
    if (o.event) events[e++] = time;
    else censored[c++] = time;
  }
  return { events: events.sort(), censored: censored.sort() };
}

/** Kaplan–Meier product-limit estimate; at tied times events come before censorings (censored at t were at risk at t). */
export function kaplanMeier(observations: readonly Observation[], z = z95): KmFit {
  const { events: eventTimes, censored: censoredTimes } = sortedTimes(observations, true);
  const n = eventTimes.length + censoredTimes.length;
  const steps: KmStep[] = [];
  let atRisk = n;
  let survival = 1;
  let greenwood = 0;
  let events = 0;
  let i = 0;
  let j = 0;
  while (i < eventTimes.length || j < censoredTimes.length) {
    const nextEvent = i < eventTimes.length ? (eventTimes[i] ?? 0) : Number.POSITIVE_INFINITY;
    const nextCensored = j < censoredTimes.length ? (censoredTimes[j] ?? 0) : Number.POSITIVE_INFINITY;
    const t = Math.min(nextEvent, nextCensored);
    let d = 0;
    let c = 0;
    while (i < eventTimes.length && eventTimes[i] === t) {
      d++;
      i++;
    }
    while (j < censoredTimes.length && censoredTimes[j] === t) {
      c++;
      j++;
    }
    if (d > 0) {
      survival *= 1 - d / atRisk;
      greenwood = atRisk - d > 0 ? greenwood + d / (atRisk * (atRisk - d)) : Number.POSITIVE_INFINITY;
      const band = logLogBand(survival, greenwood, z);
      steps.push({ t, atRisk, events: d, censored: c, survival, greenwood, low: band.low, high: band.high });
      events += d;
    }
    atRisk -= d + c;
  }
  return { n, events, censored: n - events, steps };
}

/** Confidence band of S from log(−log S): S^exp(±z·se), se = √greenwood / |log S|. */
function logLogBand(survival: number, greenwood: number, z: number): { low: number; high: number } {
  if (survival <= 0 || !Number.isFinite(greenwood)) return { low: 0, high: 0 };
  if (survival >= 1) return { low: 1, high: 1 };
  const se = Math.sqrt(greenwood) / Math.abs(Math.log(survival));
  return { low: survival ** Math.exp(z * se), high: survival ** Math.exp(-z * se) };
}

/** S(t) of a fit (1 before the first event). */
export function survivalAt(fit: KmFit, t: number): number {
  let s = 1;
  for (const step of fit.steps) {
    if (step.t > t) break;
    s = step.survival;
  }
  return s;
}

/**
 * Time by which a share p (0..1) of probes had the event: the smallest event time with S(t) ≤ 1 − p.
 * Its interval (Brookmeyer–Crowley with the log-log band) spans the steps where the band's curves reach 1 − p.
 * Between event times the true curve falls continuously, so each limit is the outer end of its crossing step:
 * the event time before the lower curve's crossing, and the upper curve's crossing itself (null when it never
 * reaches 1 − p). Without this the 95 % interval covered the true median in 94.7 % of simulated runs; with it, 95.5 %.
 */
export function quantile(fit: KmFit, p: number): Estimate {
  const target = 1 - p + eps;
  const first = (pick: (s: KmStep) => number): number | null => {
    for (const step of fit.steps) if (pick(step) <= target) return step.t;
    return null;
  };
  let low: number | null = null;
  let previous = 0;
  for (const step of fit.steps) {
    if (step.low <= target) {
      low = previous;
      break;
    }
    previous = step.t;
  }
  return { value: first((s) => s.survival), low, high: first((s) => s.high) };
}

/** Step points of "% with the event within t", at most one per percentage point (plus the last). */
function curveOf(fit: KmFit): { t: number; share: number }[] {
  const curve: { t: number; share: number }[] = [{ t: 0, share: 0 }];
  let lastKept = 0;
  const steps = fit.steps;
  for (const [index, step] of steps.entries()) {
    const share = 1 - step.survival;
    if (share - lastKept >= 0.01 - eps || index === steps.length - 1) {
      curve.push({ t: step.t, share: round(share, 4) });
      lastKept = share;
    }
  }
  return curve;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

const emptyEstimate = (): Estimate => ({ value: null, low: null, high: null });

/** The summary every view shows: n, events, no-event share, median / p75 / p90 with intervals, and the curve. */
export function summarize(observations: readonly Observation[], options: { curve?: boolean } = {}): SurvivalSummary {
  const fit = kaplanMeier(observations);
  if (fit.n === 0) {
    return { n: 0, events: 0, censored: 0, noEventShare: null, median: emptyEstimate(), p75: emptyEstimate(), p90: emptyEstimate(), curve: [] };
  }
  return {
    n: fit.n,
    events: fit.events,
    censored: fit.censored,
    noEventShare: fit.censored / fit.n,
    median: quantile(fit, 0.5),
    p75: quantile(fit, 0.75),
    p90: quantile(fit, 0.9),
    curve: options.curve === false ? [] : curveOf(fit),
  };
}

/** The KM median alone (hour-of-week cells, daily buckets): the same rule as `quantile`, without the band. */
export function medianOf(observations: readonly Observation[]): number | null {
  const n = observations.length;
  if (n === 0) return null;
  const { events: eventTimes, censored: censoredTimes } = sortedTimes(observations, false);
  let atRisk = n;
  let survival = 1;
  let i = 0;
  let j = 0;
  while (i < eventTimes.length) {
    const nextEvent = eventTimes[i] ?? 0;
    const nextCensored = j < censoredTimes.length ? (censoredTimes[j] ?? 0) : Number.POSITIVE_INFINITY;
    const t = Math.min(nextEvent, nextCensored);
    let d = 0;
    let c = 0;
    while (i < eventTimes.length && eventTimes[i] === t) {
      d++;
      i++;
    }
    while (j < censoredTimes.length && censoredTimes[j] === t) {
      c++;
      j++;
    }
    if (d > 0) {
      survival *= 1 - d / atRisk;
      if (survival <= 0.5 + eps) return Math.max(0, t);
    }
    atRisk -= d + c;
  }
  return null;
}
