// The small-sample tests behind a trial's decision summary, against values computed by hand or published.
import { describe, expect, it } from 'vitest';
import { choose, fisherExact, permutationLogRank } from '../../src/metrics/significance.ts';
import { logRank } from '../../src/metrics/logrank.ts';

const ev = (time: number) => ({ time, event: true });
const cens = (time: number) => ({ time, event: false });

describe('log-rank test on a published data set', () => {
  it('matches the Mantel–Cox figures of Freireich’s leukaemia trial (6-MP against placebo)', () => {
    const drug = [...[6, 6, 6, 7, 10, 13, 16, 22, 23].map(ev), ...[6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35].map(cens)];
    const placebo = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23].map(ev);
    const r = logRank(drug, placebo);
    // R: survdiff(Surv(time, status) ~ group) gives O = 9, E = 19.3, chi-square 16.8 (p = 4.2e-5).
    expect(r.observed).toBe(9);
    expect(r.expected).toBeCloseTo(19.25, 2);
    expect(r.chiSquare).toBeCloseTo(16.79, 2);
    expect(r.pTwoSided).toBeCloseTo(4.17e-5, 6);
  });
});

describe('permutation log-rank test', () => {
  it('enumerates every split: three against three, fully separated, is p = 2 / C(6,3) = 0.1 at best', () => {
    const r = permutationLogRank([4, 5, 6].map(ev), [1, 2, 3].map(ev));
    expect(choose(6, 3)).toBe(20);
    expect(r.method).toBe('exact');
    expect(r.arrangements).toBe(20);
    expect(r.p).toBeCloseTo(0.1, 12);
    expect(r.z).toBeLessThan(0);
  });

  it('gives p = 1 to identical groups and to groups without a single answer', () => {
    expect(permutationLogRank([1, 2, 3].map(ev), [1, 2, 3].map(ev)).p).toBe(1);
    expect(permutationLogRank([cens(5), cens(6)], [cens(5), cens(7)]).p).toBe(1);
    expect(permutationLogRank([], [ev(1)]).p).toBe(1);
  });

  it('counts ties with the observed split: two against two, separated, is 2 / 6', () => {
    expect(permutationLogRank([ev(1), ev(2)], [ev(3), ev(4)]).p).toBeCloseTo(2 / 6, 12);
  });

  it('agrees with the normal approximation on large samples, drawing repeatable random splits', () => {
    const a = Array.from({ length: 40 }, (_, i) => ev(10 + i * 3));
    const b = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? cens(200) : ev(40 + i * 3)));
    const first = permutationLogRank(a, b, { samples: 1999 });
    expect(first.method).toBe('monte-carlo');
    expect(permutationLogRank(a, b, { samples: 1999 }).p).toBe(first.p);
    expect(first.p).toBeLessThan(0.01);
    const near = Array.from({ length: 30 }, (_, i) => ev(10 + i * 3));
    const other = Array.from({ length: 30 }, (_, i) => ev(11 + i * 3));
    const mc = permutationLogRank(near, other, { samples: 1999 });
    expect(Math.abs(mc.p - logRank(near, other).pTwoSided)).toBeLessThan(0.05);
  });
});

describe("Fisher's exact test", () => {
  it('matches the tea-tasting table (3 of 4 against 1 of 4): two-sided p = 34 / 70', () => {
    expect(fisherExact(3, 4, 1, 4)).toBeCloseTo(34 / 70, 10);
  });

  it('matches hypergeometric sums computed by hand', () => {
    // 10 of 10 against 0 of 10: only the observed table and its mirror are as extreme, each 1 / C(20,10).
    expect(fisherExact(10, 10, 0, 10)).toBeCloseTo(2 / 184756, 12);
    // 7 of 12 against 2 of 8 (scipy.stats.fisher_exact and R fisher.test: p = 0.1968).
    expect(fisherExact(7, 12, 2, 8)).toBeCloseTo(0.1968, 4);
    expect(fisherExact(3, 5, 3, 5)).toBeCloseTo(1, 12);
  });
});
