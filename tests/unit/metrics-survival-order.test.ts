// Kaplan–Meier and the median read from typed arrays give, bit for bit, what one sort of observation objects gave.
import { describe, expect, it } from 'vitest';
import { kaplanMeier, medianOf, summarize, z95, type KmFit, type Observation } from '../../src/metrics/survival.ts';

/** The estimate as it was computed before: the observations copied, clamped and sorted as objects. */
function referenceFit(observations: readonly Observation[], z = z95): KmFit {
  const sorted = observations.filter((o) => Number.isFinite(o.time)).map((o) => ({ time: Math.max(0, o.time), event: o.event }));
  sorted.sort((a, b) => a.time - b.time);
  const n = sorted.length;
  const steps: KmFit['steps'] = [];
  let atRisk = n;
  let survival = 1;
  let greenwood = 0;
  let events = 0;
  let i = 0;
  while (i < n) {
    const t = sorted[i]?.time ?? 0;
    let d = 0;
    let c = 0;
    while (i < n && sorted[i]?.time === t) {
      if (sorted[i]?.event) d++;
      else c++;
      i++;
    }
    if (d > 0) {
      survival *= 1 - d / atRisk;
      greenwood = atRisk - d > 0 ? greenwood + d / (atRisk * (atRisk - d)) : Number.POSITIVE_INFINITY;
      let low = 0;
      let high = 0;
      if (survival >= 1) {
        low = 1;
        high = 1;
      } else if (survival > 0 && Number.isFinite(greenwood)) {
        const se = Math.sqrt(greenwood) / Math.abs(Math.log(survival));
        low = survival ** Math.exp(z * se);
        high = survival ** Math.exp(-z * se);
      }
      steps.push({ t, atRisk, events: d, censored: c, survival, greenwood, low, high });
      events += d;
    }
    atRisk -= d + c;
  }
  return { n, events, censored: n - events, steps };
}

function referenceMedian(observations: readonly Observation[]): number | null {
  const n = observations.length;
  if (n === 0) return null;
  const sorted = [...observations].sort((a, b) => a.time - b.time);
  let atRisk = n;
  let survival = 1;
  let i = 0;
  while (i < n) {
    const t = sorted[i]?.time ?? 0;
    let d = 0;
    let c = 0;
    while (i < n && sorted[i]?.time === t) {
      if (sorted[i]?.event) d++;
      else c++;
      i++;
    }
    if (d > 0) {
      survival *= 1 - d / atRisk;
      if (survival <= 0.5 + 1e-12) return Math.max(0, t);
    }
    atRisk -= d + c;
  }
  return null;
}

function observations(seed: number, n: number): Observation[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  // Coarse times make many ties (events and censorings at the same instant), a few are negative or zero.
  const grain = [1, 1000, 60_000, 3_600_000][seed % 4] ?? 1;
  return Array.from({ length: n }, () => ({ time: Math.round((next() * 40 - 2) * (seed % 3 === 0 ? 3 : 1)) * grain, event: next() < 0.4 + (seed % 5) / 10 }));
}

describe('Kaplan–Meier over sorted typed arrays', () => {
  it('gives the same steps, bit for bit, as the object sort, ties and negative times included', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const obs = observations(seed, seed % 50 === 0 ? 2_000 : 1 + (seed % 97));
      expect(kaplanMeier(obs), `seed ${seed}`).toEqual(referenceFit(obs));
      expect(medianOf(obs), `seed ${seed}`).toBe(referenceMedian(obs));
    }
  });

  it('leaves out non-finite times and keeps the empty and all-censored cases', () => {
    const obs: Observation[] = [
      { time: Number.NaN, event: true },
      { time: Number.POSITIVE_INFINITY, event: false },
      { time: 5, event: true },
      { time: 5, event: false },
      { time: 7, event: true },
    ];
    expect(kaplanMeier(obs)).toEqual(referenceFit(obs));
    expect(kaplanMeier([])).toEqual(referenceFit([]));
    const censored = [
      { time: 3, event: false },
      { time: 1, event: false },
    ];
    expect(kaplanMeier(censored)).toEqual(referenceFit(censored));
    expect(medianOf(censored)).toBeNull();
    expect(summarize(censored).median.value).toBeNull();
  });
});
