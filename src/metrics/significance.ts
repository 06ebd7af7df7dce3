// Pure: tests for small samples — the log-rank statistic under permutation of group labels, and Fisher's exact test of two shares.
import type { Observation } from './survival.ts';
import { logRank, logRankSums } from './logrank.ts';
import { seededRandom } from '../core/random.ts';

interface PermutationOptions {
  /** Enumerate every arrangement of the labels up to this many; above it, draw `samples` at random. */
  exactLimit?: number;
  samples?: number;
  /** Seed of the random draws, so a page shows the same p-value on every load. */
  seed?: number;
}

interface PermutationResult {
  /** Two-sided: the share of label arrangements whose |z| is at least the observed one. */
  p: number;
  /** The observed log-rank z (negative: the first group is answered later). */
  z: number;
  method: 'exact' | 'monte-carlo';
  arrangements: number;
}

/** Binomial coefficient as a float (exact for the sizes enumerated here). */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const small = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= small; i++) r = (r * (n - small + i)) / i;
  return Math.round(r);
}

/** Log-rank |z| of a labelling of observations already sorted by time (true = first group). */
function absZ(sorted: readonly Observation[], labels: readonly boolean[], firstCount: number): number {
  const { observed, expected, variance } = logRankSums(
    sorted.map((o) => o.time),
    sorted.map((o) => o.event),
    labels,
    firstCount,
  );
  return variance > 0 ? Math.abs(observed - expected) / Math.sqrt(variance) : 0;
}

/**
 * The log-rank test without the normal approximation: how often a random split of the pooled probes into groups of the
 * same sizes gives a statistic as large as the observed one. Valid for the handful of probes a trial cell has.
 */
export function permutationLogRank(first: readonly Observation[], second: readonly Observation[], options: PermutationOptions = {}): PermutationResult {
  const exactLimit = options.exactLimit ?? 20_000;
  const samples = options.samples ?? 4_999;
  const z = logRank(first, second).z;
  const pooled = [...first.map((o) => ({ o, first: true })), ...second.map((o) => ({ o, first: false }))].sort((a, b) => a.o.time - b.o.time);
  const sorted = pooled.map((p) => p.o);
  const k = first.length;
  const n = sorted.length;
  const observed =
    absZ(
      sorted,
      pooled.map((p) => p.first),
      k,
    ) - 1e-9;
  const total = choose(n, k);
  if (k === 0 || k === n) return { p: 1, z, method: 'exact', arrangements: 1 };
  if (total <= exactLimit) {
    let atLeast = 0;
    const labels = new Array<boolean>(n).fill(false);
    const pick = (start: number, left: number): void => {
      if (left === 0) {
        if (absZ(sorted, labels, k) >= observed) atLeast++;
        return;
      }
      for (let i = start; i <= n - left; i++) {
        labels[i] = true;
        pick(i + 1, left - 1);
        labels[i] = false;
      }
    };
    pick(0, k);
    return { p: atLeast / total, z, method: 'exact', arrangements: total };
  }
  const random = seededRandom(options.seed ?? 0x5eed);
  const indices = Array.from({ length: n }, (_, i) => i);
  const labels = new Array<boolean>(n);
  let atLeast = 0;
  for (let s = 0; s < samples; s++) {
    // A partial Fisher–Yates shuffle: the first k shuffled positions form the first group.
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(random() * (n - i));
      const swap = indices[i] ?? i;
      indices[i] = indices[j] ?? j;
      indices[j] = swap;
    }
    labels.fill(false);
    for (let i = 0; i < k; i++) labels[indices[i] ?? 0] = true;
    if (absZ(sorted, labels, k) >= observed) atLeast++;
  }
  return { p: (atLeast + 1) / (samples + 1), z, method: 'monte-carlo', arrangements: samples };
}

function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/**
 * Fisher's exact test of two shares (a of n against b of m): the two-sided p-value sums the probabilities of every
 * table with the same margins that is no more likely than the observed one.
 */
export function fisherExact(a: number, n: number, b: number, m: number): number {
  const successes = a + b;
  const total = n + m;
  const lf = Array.from({ length: total + 1 }, (_, i) => logFactorial(i));
  const prob = (x: number) =>
    Math.exp(
      (lf[successes] ?? 0) +
        (lf[total - successes] ?? 0) +
        (lf[n] ?? 0) +
        (lf[m] ?? 0) -
        (lf[total] ?? 0) -
        (lf[x] ?? 0) -
        (lf[n - x] ?? 0) -
        (lf[successes - x] ?? 0) -
        (lf[m - successes + x] ?? 0),
    );
  const observed = prob(a);
  let p = 0;
  for (let x = Math.max(0, successes - m); x <= Math.min(n, successes); x++) {
    const px = prob(x);
    if (px <= observed * (1 + 1e-7)) p += px;
  }
  return Math.min(1, p);
}
