// Pure: the log-rank test of two censored samples (is one group answered later than the other?) and its KM medians.

/** One probe as survival data: time from sending to the first human reply, or to censoring. */
export interface Observation {
  timeMs: number;
  /** true: a human replied at timeMs; false: censored (no reply known up to timeMs). */
  event: boolean;
}

export interface LogRankResult {
  /** Human replies observed in the first group, and how many the pooled curve expected. */
  observed: number;
  expected: number;
  variance: number;
  /** (observed − expected) / √variance; negative when the first group is answered later. */
  z: number;
  chiSquare: number;
  /** P(Z ≤ z) under "same curve": small when the first group is slower. */
  pSlower: number;
  pTwoSided: number;
}

/** Log-rank (Mantel–Cox) test of `first` against `second`, censoring-aware, ties handled by the hypergeometric variance. */
export function logRank(first: readonly Observation[], second: readonly Observation[]): LogRankResult {
  const all = [
    ...first.map((o) => ({ ...o, group: 0 })),
    ...second.map((o) => ({ ...o, group: 1 })),
  ].sort((a, b) => a.timeMs - b.timeMs);
  let atRisk = all.length;
  let atRiskFirst = first.length;
  let observed = 0;
  let expected = 0;
  let variance = 0;
  let i = 0;
  while (i < all.length) {
    const t = all[i]?.timeMs ?? 0;
    let deaths = 0;
    let deathsFirst = 0;
    let leaving = 0;
    let leavingFirst = 0;
    while (i < all.length && all[i]?.timeMs === t) {
      const o = all[i];
      if (o) {
        if (o.event) {
          deaths++;
          if (o.group === 0) deathsFirst++;
        }
        leaving++;
        if (o.group === 0) leavingFirst++;
      }
      i++;
    }
    if (deaths > 0 && atRisk > 0) {
      const share = atRiskFirst / atRisk;
      observed += deathsFirst;
      expected += deaths * share;
      if (atRisk > 1) variance += (deaths * share * (1 - share) * (atRisk - deaths)) / (atRisk - 1);
    }
    atRisk -= leaving;
    atRiskFirst -= leavingFirst;
  }
  const z = variance > 0 ? (observed - expected) / Math.sqrt(variance) : 0;
  return {
    observed, expected, variance, z,
    chiSquare: z * z,
    pSlower: variance > 0 ? normalCdf(z) : 1,
    pTwoSided: variance > 0 ? 2 * normalCdf(-Math.abs(z)) : 1,
  };
}

export interface KmMedian {
  /** The Kaplan–Meier median, or null when fewer than half were answered by the end of follow-up. */
  medianMs: number | null;
  /** When the median is not reached: it is longer than this (the longest follow-up). */
  atLeastMs: number;
  n: number;
  events: number;
}

/** Kaplan–Meier median time to a human reply: the first time the estimated share still waiting is ≤ ½. */
export function kmMedian(observations: readonly Observation[]): KmMedian {
  const sorted = [...observations].sort((a, b) => a.timeMs - b.timeMs);
  let atRisk = sorted.length;
  let survival = 1;
  let events = 0;
  let i = 0;
  let medianMs: number | null = null;
  while (i < sorted.length) {
    const t = sorted[i]?.timeMs ?? 0;
    let deaths = 0;
    let leaving = 0;
    while (i < sorted.length && sorted[i]?.timeMs === t) {
      if (sorted[i]?.event) deaths++;
      leaving++;
      i++;
    }
    if (deaths > 0 && atRisk > 0) {
      survival *= 1 - deaths / atRisk;
      events += deaths;
      if (medianMs === null && survival <= 0.5 + 1e-12) medianMs = t;
    }
    atRisk -= leaving;
  }
  const last = sorted.at(-1)?.timeMs ?? 0;
  return { medianMs, atLeastMs: medianMs ?? last, n: sorted.length, events };
}

/** Kaplan–Meier estimate of the share answered by a human within `withinMs`. */
export function kmShareWithin(observations: readonly Observation[], withinMs: number): number {
  const sorted = [...observations].sort((a, b) => a.timeMs - b.timeMs);
  let atRisk = sorted.length;
  let survival = 1;
  let i = 0;
  while (i < sorted.length) {
    const t = sorted[i]?.timeMs ?? 0;
    if (t > withinMs) break;
    let deaths = 0;
    let leaving = 0;
    while (i < sorted.length && sorted[i]?.timeMs === t) {
      if (sorted[i]?.event) deaths++;
      leaving++;
      i++;
    }
    if (deaths > 0 && atRisk > 0) survival *= 1 - deaths / atRisk;
    atRisk -= leaving;
  }
  return 1 - survival;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  if (z < -38) return 0;
  if (z > 38) return 1;
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' Chebyshev fit of erfc: fractional error < 1.2e-7 everywhere, plenty for p-values.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}
