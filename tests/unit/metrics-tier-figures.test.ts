import { describe, expect, it } from 'vitest';
import { answeredForRatio, kmWidthFactor, probesFor, tierReplies, tierReply } from '../../src/metrics/precision.ts';
import { summarize, type Observation } from '../../src/metrics/survival.ts';
import { probesNeeded } from '../../src/trials/plan.ts';

const HOUR = 3_600_000;

/** Seeded log-normal answer times around 1 h with spread σ. */
function answers(n: number, sigma: number, seed: number): Observation[] {
  let state = seed;
  const uniform = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return (state + 1) / 2_147_483_649;
  };
  return Array.from({ length: n }, () => ({
    time: HOUR * Math.exp(sigma * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())),
    event: true,
  }));
}

describe('per-tier time to first human reply', () => {
  it('groups a channel by tier, P0 first, and gives each tier the Kaplan–Meier median of its own probes', () => {
    const p3 = [...answers(8, Math.log(2), 1), { time: 7 * 24 * HOUR, event: false }];
    const p0 = answers(4, Math.log(2), 2).map((o) => ({ ...o, time: o.time / 10 }));
    const rows = tierReplies([...p3.map(() => 'P3' as const), ...p0.map(() => 'P0' as const)], [...p3, ...p0]);
    expect(rows.map((r) => r.tier)).toEqual(['P0', 'P3']);
    const [first, last] = rows;
    expect(first?.median).toEqual(summarize(p0).median);
    expect(last?.median).toEqual(summarize(p3).median);
    expect(last).toMatchObject({ n: 9, events: 8, censored: 1 });
  });

  it('calls a tier sufficient once it has 5 probes and an interval within ×3', () => {
    const row = tierReply('P2', answers(120, Math.log(2), 3));
    expect(row.sufficient).toBe(true);
    expect(row.needed).toBeNull();
    expect(row.ratio).not.toBeNull();
    expect(row.ratio ?? Infinity).toBeLessThanOrEqual(3);
  });

  it('without enough answers to trust their spread, asks for the plan count at the assumed spread (×3) scaled for the KM interval', () => {
    const row = tierReply('P1', answers(3, Math.log(3), 4));
    expect(row.sufficient).toBe(false);
    const target = Math.ceil(kmWidthFactor * answeredForRatio(Math.log(3), 3));
    expect(target).toBe(34);
    expect(row.needed).toEqual({ answered: target - 3, probes: target - 3, basis: 'assumed' });
  });

  it('no probes: the whole count, and no median', () => {
    const row = tierReply('P0', []);
    expect(row).toMatchObject({ n: 0, sufficient: false, median: { value: null, low: null, high: null } });
    expect(row.needed?.answered).toBe(Math.ceil(kmWidthFactor * answeredForRatio(Math.log(3), 3)));
  });

  it('turns answers into probes at the no-reply share seen (unanswered probes are censored, not dropped)', () => {
    const observed = [...answers(6, Math.log(3), 5), ...Array.from({ length: 6 }, () => ({ time: 7 * 24 * HOUR, event: false }))];
    const row = tierReply('P2', observed);
    expect(row.noEventShare).toBe(0.5);
    expect(row.needed?.basis).toBe('spread');
    expect(row.needed?.probes).toBe(probesFor(row.needed?.answered ?? 0, 0.5));
    expect(row.needed?.probes).toBe(2 * (row.needed?.answered ?? 0));
  });

  it('a wider spread seen needs more answers than a narrow one', () => {
    const wide = tierReply('P2', answers(8, Math.log(6), 6));
    const narrow = tierReply('P2', answers(8, Math.log(1.5), 6));
    expect(wide.needed?.answered ?? 0).toBeGreaterThan(narrow.needed?.answered ?? 0);
  });

  it('when the count is reached but the interval is still too wide, scales by the interval seen', () => {
    // Two tight clusters (1 h and 1.2 h): a small spread, so the formula's count is reached before the interval is ×1.1.
    const observed = Array.from({ length: 40 }, (_, i) => ({ time: HOUR * (i % 2 === 0 ? 1 : 1.2) * (1 + i / 4000), event: true }));
    const row = tierReply('P3', observed, 1.1);
    expect(row.sufficient).toBe(false);
    const width = row.ratio ?? 0;
    expect(width).toBeGreaterThan(1.1);
    expect(row.needed).toEqual({ answered: Math.ceil(40 * (Math.log(width) / Math.log(1.1)) ** 2) - 40, probes: expect.any(Number), basis: 'interval' });
  });

  it('after adding the answers it asks for, about half the tiers are decided (the count is a median, not a promise)', () => {
    let decided = 0;
    const runs = 120;
    for (let seed = 1; seed <= runs; seed++) {
      const start = answers(10, Math.log(3), seed * 7);
      const more = tierReply('P2', start).needed?.answered ?? 0;
      if (tierReply('P2', [...start, ...answers(more, Math.log(3), seed * 13 + 1)]).sufficient) decided++;
    }
    expect(decided / runs).toBeGreaterThan(0.3);
    expect(decided / runs).toBeLessThan(0.75);
  });

  it('the trial plan counts probes with the same arithmetic', () => {
    expect(probesNeeded(Math.log(3), 0.1, 3)).toBe(probesFor(answeredForRatio(Math.log(3), 3), 0.1));
    expect(probesNeeded(0, 0, 3)).toBe(5);
  });
});
