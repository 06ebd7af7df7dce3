import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/core/clock.ts';
import { kaplanMeier, quantile, type Observation } from '../../src/metrics/survival.ts';
import { seededRandom } from '../helpers/fixture-store.ts';

/**
 * A simulated vendor with a known truth: 30 % of probes are never answered; the others are answered after an
 * exponential delay chosen so that half of all probes are answered by 2 h (S(t) = 0.3 + 0.7·e^(−λt), S(2 h) = 0.5).
 * Probes are censored at their 7-day expiry, and a share are still open (censored at a uniform 0–12 h "now").
 */
const trueMedian = 2 * HOUR;
const neverShare = 0.3;
const lambda = Math.log((1 - neverShare) / (0.5 - neverShare)) / trueMedian;

function simulateRun(random: () => number, n: number, openShare: number): Observation[] {
  const out: Observation[] = [];
  for (let i = 0; i < n; i++) {
    const answers = random() >= neverShare;
    const replyAfter = answers ? -Math.log(Math.max(random(), 1e-12)) / lambda : Number.POSITIVE_INFINITY;
    const observedFor = random() < openShare ? random() * 12 * HOUR : 7 * DAY;
    out.push(replyAfter <= observedFor ? { time: replyAfter, event: true } : { time: observedFor, event: false });
  }
  return out;
}

function coverage(runs: number, n: number, openShare: number, seed: number) {
  const random = seededRandom(seed);
  let covered = 0;
  let estimated = 0;
  const medians: number[] = [];
  for (let r = 0; r < runs; r++) {
    const median = quantile(kaplanMeier(simulateRun(random, n, openShare)), 0.5);
    if (median.value !== null) {
      estimated++;
      medians.push(median.value);
    }
    if (median.low !== null && median.low <= trueMedian && (median.high === null || trueMedian <= median.high)) covered++;
  }
  medians.sort((a, b) => a - b);
  return { share: covered / runs, estimated, middle: medians[medians.length >> 1] ?? null };
}

describe('simulation: the reported median recovers a known truth', () => {
  it('true median 2 h with 30 % never answering: the 95 % CI covers it in ≥ 95 % of 4000 runs (n = 120)', () => {
    const result = coverage(4000, 120, 0.2, 20260316);
    process.stdout.write(`median CI coverage (n=120, 4000 runs): ${(result.share * 100).toFixed(1)} %\n`);
    expect(result.estimated).toBe(4000);
    expect(result.share).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs((result.middle ?? 0) - trueMedian)).toBeLessThan(0.1 * trueMedian);
  });

  it('≥ 95 % with smaller samples (n = 40) and heavier censoring too', () => {
    const result = coverage(4000, 40, 0.4, 7);
    process.stdout.write(`median CI coverage (n=40, 40 % open, 4000 runs): ${(result.share * 100).toFixed(1)} %\n`);
    expect(result.share).toBeGreaterThanOrEqual(0.95);
  });
});
