// Pure: the log-rank test of two censored samples — is one group answered by a human later than the other?
import type { Observation } from './survival.ts';

interface LogRankResult {
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
  const { observed, expected, variance } = logRankSums(
    all.map((o) => o.time),
    all.map((o) => o.event),
    all.map((o) => o.first),
    first.length,
  );
  const z = variance > 0 ? (observed - expected) / Math.sqrt(variance) : 0;
  return {
    observed,
    expected,
    variance,
    z,
    chiSquare: z * z,
    pSlower: variance > 0 ? normalCdf(z) : 1,
    pTwoSided: variance > 0 ? Math.min(1, 2 * normalCdf(-Math.abs(z))) : 1,
  };
}

/**
 * The log-rank sums over observations sorted by time (parallel arrays: time, whether a human replied, whether it is
 * in the first group; `firstCount` of them are): events observed in the first group, expected there under one pooled
 * curve, and the hypergeometric variance (tied times handled together).
 */
export function logRankSums(
  times: readonly number[],
  events: readonly boolean[],
  first: readonly boolean[],
  firstCount: number,
): { observed: number; expected: number; variance: number } {
  let atRisk = times.length;
  let atRiskFirst = firstCount;
  let observed = 0;
  let expected = 0;
  let variance = 0;
  let i = 0;
  while (i < times.length) {
    const t = times[i];
    let tied = 0;
    let tiedFirst = 0;
    let leaving = 0;
    let leavingFirst = 0;
    for (; i < times.length && times[i] === t; i++) {
      const inFirst = first[i] === true;
      if (events[i]) {
        tied++;
        if (inFirst) tiedFirst++;
      }
      leaving++;
      if (inFirst) leavingFirst++;
    }
    if (tied > 0) {
      const share = atRiskFirst / atRisk;
      observed += tiedFirst;
      expected += tied * share;
      if (atRisk > 1) variance += (tied * share * (1 - share) * (atRisk - tied)) / (atRisk - 1);
    }
    atRisk -= leaving;
    atRiskFirst -= leavingFirst;
  }
  return { observed, expected, variance };
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
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
