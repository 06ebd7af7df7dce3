import { describe, expect, it } from 'vitest';
import { kaplanMeier, quantile, summarize, survivalAt, medianOf, type Observation } from '../../src/metrics/survival.ts';

const obs = (spec: string): Observation[] =>
  spec
    .trim()
    .split(/\s+/)
    .map((s) => ({ time: Number(s.replace('+', '')), event: !s.endsWith('+') }));

// Freireich et al. 6-MP arm (remission weeks, + = censored), the textbook Kaplan–Meier example
// (Klein & Moeschberger §4.2, Kleinbaum & Klein ch. 2). Expected rows computed by hand:
// S(t) = Π (1 − d/n); Greenwood SE = S·√Σ d/(n(n−d)); log-log band S^exp(±1.96·√Σ/|ln S|).
const sixMp = obs('6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+');
const sixMpTable = [
  // t, at risk, events, S, SE, low, high
  [6, 21, 3, 0.8571, 0.0764, 0.6197, 0.9516],
  [7, 17, 1, 0.8067, 0.0869, 0.5631, 0.9228],
  [10, 15, 1, 0.7529, 0.0963, 0.5032, 0.8894],
  [13, 12, 1, 0.6902, 0.1068, 0.4316, 0.8491],
  [16, 11, 1, 0.6275, 0.1141, 0.3675, 0.8049],
  [22, 7, 1, 0.5378, 0.1282, 0.2678, 0.7468],
  [23, 6, 1, 0.4482, 0.1346, 0.1881, 0.6801],
] as const;

describe('Kaplan–Meier', () => {
  it('reproduces the 6-MP textbook table: survival, Greenwood SE and the log-log band', () => {
    const fit = kaplanMeier(sixMp);
    expect(fit.n).toBe(21);
    expect(fit.events).toBe(9);
    expect(fit.censored).toBe(12);
    expect(fit.steps).toHaveLength(sixMpTable.length);
    for (const [i, [t, n, d, s, se, low, high]] of sixMpTable.entries()) {
      const step = fit.steps[i];
      expect(step?.t).toBe(t);
      expect(step?.atRisk).toBe(n);
      expect(step?.events).toBe(d);
      expect(step?.survival).toBeCloseTo(s, 4);
      expect((step?.survival ?? 0) * Math.sqrt(step?.greenwood ?? 0)).toBeCloseTo(se, 4);
      expect(step?.low).toBeCloseTo(low, 4);
      expect(step?.high).toBeCloseTo(high, 4);
    }
    expect(survivalAt(fit, 12.9)).toBeCloseTo(0.7529, 4);
    expect(survivalAt(fit, 5)).toBe(1);
  });

  it('6-MP median is 23 weeks; its CI has no upper limit (the upper band never reaches 0.5)', () => {
    // The lower band first reaches 0.5 at t=13 (0.4316); the lower limit is the outer end of that step, t=10.
    const median = quantile(kaplanMeier(sixMp), 0.5);
    expect(median).toEqual({ value: 23, low: 10, high: null });
    // S first ≤ 0.75 at t=13 (0.6902); lower band first ≤ 0.75 at t=6 (0.6197) → step starts at 0; upper first ≤ 0.75 at t=22 (0.7468).
    const p25 = quantile(kaplanMeier(sixMp), 0.25);
    expect(p25).toEqual({ value: 13, low: 0, high: 22 });
  });

  it('counts probes censored at an event time as still at risk at that time (ties)', () => {
    // t=1: n=5, d=1 → 0.8; t=2: n=3 (1+ left), d=2 → 0.8·1/3.
    const fit = kaplanMeier(obs('1 1+ 2 2 3+'));
    expect(fit.steps.map((s) => [s.t, s.atRisk, s.events, s.censored])).toEqual([
      [1, 5, 1, 1],
      [2, 3, 2, 0],
    ]);
    expect(fit.steps[1]?.survival).toBeCloseTo(0.8 / 3, 10);
    expect(medianOf(obs('1 1+ 2 2 3+'))).toBe(2);
  });

  it('without censoring equals the empirical distribution; quantile = smallest t with S(t) ≤ 1 − p', () => {
    const fit = kaplanMeier(obs('1 2 3 4 5 6 7 8 9 10'));
    expect(fit.steps.map((s) => s.survival)).toEqual([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0].map((v) => expect.closeTo(v, 12)));
    expect(quantile(fit, 0.5).value).toBe(5);
    expect(quantile(fit, 0.9).value).toBe(9);
    // The last step reaches S = 0: its band collapses to 0, so every upper limit exists.
    expect(quantile(fit, 0.5).high).not.toBeNull();
  });

  it('all censored: no event, no median, everything is the no-reply share', () => {
    const summary = summarize(obs('5+ 9+ 12+'));
    expect(summary).toMatchObject({ n: 3, events: 0, censored: 3, noEventShare: 1 });
    expect(summary.median).toEqual({ value: null, low: null, high: null });
    expect(summary.curve).toEqual([{ t: 0, share: 0 }]);
  });

  it('no data: n = 0 and nulls, never NaN', () => {
    const summary = summarize([]);
    expect(summary).toEqual({
      n: 0,
      events: 0,
      censored: 0,
      noEventShare: null,
      median: { value: null, low: null, high: null },
      p75: { value: null, low: null, high: null },
      p90: { value: null, low: null, high: null },
      curve: [],
    });
    expect(medianOf([])).toBeNull();
  });

  it('median stays unreached while more than half never answered, though some did', () => {
    const summary = summarize(obs('1 2 3+ 4+ 5+ 6+ 7+'));
    expect(summary.events).toBe(2);
    expect(summary.noEventShare).toBeCloseTo(5 / 7, 10);
    expect(summary.median.value).toBeNull();
  });

  it('is not the average of answered probes: ignoring the unanswered would flatter the vendor', () => {
    const data = obs('10 20 30 1000+ 1000+ 1000+');
    const answeredOnly = data.filter((o) => o.event);
    expect(medianOf(answeredOnly)).toBe(20);
    // Half the probes had a reply by 30 (S(30) = 3/6), not by 20.
    expect(medianOf(data)).toBe(30);
    expect(medianOf(obs('10 20 30 1000+ 1000+ 1000+ 1000+'))).toBeNull();
  });

  it('the curve keeps one point per percentage point at most and ends at the last step', () => {
    const many: Observation[] = Array.from({ length: 5000 }, (_, i) => ({ time: i + 1, event: i % 3 !== 0 }));
    const summary = summarize(many);
    expect(summary.curve.length).toBeLessThanOrEqual(102);
    const last = summary.curve.at(-1);
    const fit = kaplanMeier(many);
    expect(last?.t).toBe(fit.steps.at(-1)?.t);
    for (let i = 1; i < summary.curve.length; i++) expect(summary.curve[i]?.share).toBeGreaterThanOrEqual(summary.curve[i - 1]?.share ?? 0);
  });
});
