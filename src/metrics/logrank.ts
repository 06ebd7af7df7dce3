// Pure: the log-rank test of two censored samples — is one group answered by a human later than the other?
import type { Observation } from './survival.ts';

export interface LogRankResult {
  /** Human replies observed in the first group, and how many the pooled curve expected there. */
  observed: number;
  expected: number;
  variance: number;
  /** (observed − expected) / √variance; negative when the first group is answered later. */
  z: number;
  chiSquare: number;
  /** P(Z ≤ z) if both groups share one curve: small when the first group is slower. */
  pSlower: number;
  pTwoSided: number;
}

/** Log-rank (Mantel–Cox) test of `first` against `second`: censoring-aware, tied times with the hypergeometric variance. */
export function logRank(first: readonly Observation[], second: readonly Observation[]): LogRankResult {
  const all = [
    ...first.map((o) => ({ time: o.time, event: o.event, first: true })),
    ...second.map((o) => ({ time: o.time, event: o.event, first: false })),
  ].sort((a, b) => a.time - b.time);
  let atRisk = all.length;
  let atRiskFirst = first.length;
  let observed = 0;
  let expected = 0;
  let variance = 0;
  let i = 0;
  while (i < all.length) {
    const t = all[i]?.time ?? 0;
    let events = 0;
    let eventsFirst = 0;
    let leaving = 0;
    let leavingFirst = 0;
    for (let o = all[i]; o !== undefined && o.time === t; o = all[++i]) {
      if (o.event) events++;
      if (o.event && o.first) eventsFirst++;
      leaving++;
      if (o.first) leavingFirst++;
    }
    if (events > 0) {
      const share = atRiskFirst / atRisk;
      observed += eventsFirst;
      expected += events * share;
      if (atRisk > 1) variance += (events * share * (1 - share) * (atRisk - events)) / (atRisk - 1);
    }
    atRisk -= leaving;
    atRiskFirst -= leavingFirst;
  }
  const z = variance > 0 ? (observed - expected) / Math.sqrt(variance) : 0;
  return {
    observed, expected, variance, z,
    chiSquare: z * z,
    pSlower: variance > 0 ? normalCdf(z) : 1,
    pTwoSided: variance > 0 ? Math.min(1, 2 * normalCdf(-Math.abs(z))) : 1,
  };
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
