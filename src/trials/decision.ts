// Pure: a trial's decision summary — per dimension, who leads, by how much, and whether the gap is more than chance.
import type { Tier } from '../config/schema.ts';
import { hourOfWeek, zone } from '../metrics/business-time.ts';
import { humanObservation } from '../metrics/report.ts';
import { resolutionObservation } from '../metrics/resolution.ts';
import { fisherExact, permutationLogRank } from '../metrics/significance.ts';
import { summarize, type Observation } from '../metrics/survival.ts';
import { qualityFlag } from '../quality/probe-quality.ts';
import type { ProbeTiming } from '../store/stats.ts';

const decisionDimensions = ['first_reply', 'sla', 'coverage', 'consistency', 'resolution'] as const;
export type DecisionDimension = (typeof decisionDimensions)[number];

/** A gap counts as real below this two-sided p-value. */
const significanceLevel = 0.05;

export interface DecisionFigure {
  vendor: string;
  /** Median ms (times), share 0..1 (SLA) or slowest / fastest channel median (consistency); null = not reached or none. */
  value: number | null;
  /** Probes behind the figure, and how many of them had the event (answered, met, resolved). */
  n: number;
  events: number;
}

export interface DecisionTest {
  method: 'log-rank permutation' | 'fisher exact';
  /** Two-sided p-value. */
  p: number;
  /** The two samples compared (leader's and runner-up's, or the runner-up's fastest and slowest channel for consistency). */
  n: [number, number];
  exact: boolean;
}

/**
 * real: the gap between leader and runner-up is unlikely under no difference; not_detectable: it is not, at these n;
 * no_data: fewer than two vendors have a figure; single: only one vendor has probes here.
 */
export type Verdict = 'real' | 'not_detectable' | 'no_data' | 'single';

export interface DecisionRow {
  dimension: DecisionDimension;
  tier: Tier | null;
  /** Channel kind for first-reply rows. */
  kind: string | null;
  /** Best first; vendors without a figure last. */
  figures: DecisionFigure[];
  leader: string | null;
  runnerUp: string | null;
  /** ratio: runner-up / leader (times, consistency); points: leader − runner-up in percentage points (SLA); null: not reached. */
  margin: { unit: 'ratio' | 'points'; value: number | null } | null;
  test: DecisionTest | null;
  verdict: Verdict;
}

export interface TrialDecision {
  significanceLevel: number;
  /** What "off-hours" means for the coverage rows. */
  offHours: string;
  rows: DecisionRow[];
}

export interface DecisionVendor {
  slug: string;
  timezone: string;
  /** Timings per channel id, with the channel's kind, restricted to the trial's tiers. */
  channels: { channel: string; kind: string; timings: readonly ProbeTiming[] }[];
  /** SLA outcomes over the trial's tiers (known outcomes only). */
  sla: { met: number; n: number } | null;
}

interface DecisionInput {
  tiers: readonly Tier[];
  vendors: readonly DecisionVendor[];
  now: number;
}

/** Weekdays 09:00–18:00 in the vendor's own zone are office hours; the rest of the week tests a 7×24 promise. */
export function isOffHours(at: number, timezone: string): boolean {
  const hour = hourOfWeek(at, zone(timezone));
  const day = Math.floor(hour / 24);
  const h = hour % 24;
  return day >= 5 || h < 9 || h >= 18;
}

const byValue =
  (smallerIsBetter: boolean) =>
  (a: DecisionFigure, b: DecisionFigure): number => {
    if (a.value === null || b.value === null) return (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || (a.n === 0 ? 1 : 0) - (b.n === 0 ? 1 : 0);
    return smallerIsBetter ? a.value - b.value : b.value - a.value;
  };

/** Leader and runner-up of figures sorted best first, among vendors with probes here. */
function podium(figures: DecisionFigure[]): { leader: DecisionFigure; runnerUp: DecisionFigure } | Verdict {
  const withProbes = figures.filter((f) => f.n > 0);
  const [leader, runnerUp] = withProbes;
  if (!leader) return 'no_data';
  if (!runnerUp) return 'single';
  return { leader, runnerUp };
}

function timeRow(dimension: DecisionDimension, tier: Tier | null, kind: string | null, samples: Map<string, Observation[]>): DecisionRow {
  const figures = [...samples]
    .map(([vendor, obs]): DecisionFigure => {
      const s = summarize(obs, { curve: false });
      return { vendor, value: s.median.value, n: s.n, events: s.events };
    })
    .sort(byValue(true));
  const base = { dimension, tier, kind, figures };
  const top = podium(figures);
  if (typeof top === 'string') return { ...base, leader: figures[0]?.n ? figures[0].vendor : null, runnerUp: null, margin: null, test: null, verdict: top };
  const { leader, runnerUp } = top;
  if (leader.events === 0 && runnerUp.events === 0) return { ...base, leader: null, runnerUp: null, margin: null, test: null, verdict: 'no_data' };
  const test = permutationLogRank(samples.get(leader.vendor) ?? [], samples.get(runnerUp.vendor) ?? []);
  return {
    ...base,
    leader: leader.vendor,
    runnerUp: runnerUp.vendor,
    margin: { unit: 'ratio', value: leader.value !== null && runnerUp.value !== null && leader.value > 0 ? runnerUp.value / leader.value : null },
    test: { method: 'log-rank permutation', p: test.p, n: [leader.n, runnerUp.n], exact: test.method === 'exact' },
    verdict: test.p < significanceLevel ? 'real' : 'not_detectable',
  };
}

function slaRow(vendors: readonly DecisionVendor[]): DecisionRow {
  const figures = vendors
    .map((v): DecisionFigure => ({ vendor: v.slug, value: v.sla && v.sla.n > 0 ? v.sla.met / v.sla.n : null, n: v.sla?.n ?? 0, events: v.sla?.met ?? 0 }))
    .sort(byValue(false));
  const base = { dimension: 'sla' as const, tier: null, kind: null, figures };
  const top = podium(figures);
  if (typeof top === 'string') return { ...base, leader: figures[0]?.n ? figures[0].vendor : null, runnerUp: null, margin: null, test: null, verdict: top };
  const { leader, runnerUp } = top;
  const p = fisherExact(leader.events, leader.n, runnerUp.events, runnerUp.n);
  return {
    ...base,
    leader: leader.vendor,
    runnerUp: runnerUp.vendor,
    margin: { unit: 'points', value: ((leader.value ?? 0) - (runnerUp.value ?? 0)) * 100 },
    test: { method: 'fisher exact', p, n: [leader.n, runnerUp.n], exact: true },
    verdict: p < significanceLevel ? 'real' : 'not_detectable',
  };
}

/** Consistency: the ratio between a vendor's slowest and fastest channel medians (1 = every channel alike). */
function consistencyRow(vendors: readonly DecisionVendor[], now: number): DecisionRow {
  const perChannel = new Map<string, { obs: Observation[]; median: number | null }[]>();
  const figures = vendors
    .map((v): DecisionFigure => {
      const channels = v.channels
        .map((c) => {
          const obs = c.timings.map((t) => humanObservation(t, now));
          return { obs, median: summarize(obs, { curve: false }).median.value };
        })
        .filter((c) => c.obs.length > 0);
      perChannel.set(v.slug, channels);
      const medians = channels.map((c) => c.median);
      const n = channels.reduce((a, c) => a + c.obs.length, 0);
      const events = channels.reduce((a, c) => a + c.obs.filter((o) => o.event).length, 0);
      // A channel nobody answered has no median: the vendor is as inconsistent as it gets, shown as "not reached".
      if (channels.length < 2 || medians.every((m) => m === null)) return { vendor: v.slug, value: null, n: channels.length < 2 ? 0 : n, events };
      if (medians.some((m) => m === null)) return { vendor: v.slug, value: null, n, events };
      const known = medians.filter((m): m is number => m !== null);
      return { vendor: v.slug, value: Math.max(...known) / Math.max(1, Math.min(...known)), n, events };
    })
    .sort(byValue(true));
  const base = { dimension: 'consistency' as const, tier: null, kind: null, figures };
  const top = podium(figures);
  if (typeof top === 'string') return { ...base, leader: figures[0]?.n ? figures[0].vendor : null, runnerUp: null, margin: null, test: null, verdict: top };
  const { leader, runnerUp } = top;
  // The runner-up's channels either differ detectably (then the leader's evenness is a real advantage) or not.
  const channels = [...(perChannel.get(runnerUp.vendor) ?? [])].sort((a, b) => (a.median ?? Infinity) - (b.median ?? Infinity));
  const fastest = channels[0];
  const slowest = channels.at(-1);
  const test = fastest && slowest ? permutationLogRank(fastest.obs, slowest.obs) : null;
  return {
    ...base,
    leader: leader.vendor,
    runnerUp: runnerUp.vendor,
    margin: { unit: 'ratio', value: leader.value !== null && runnerUp.value !== null && leader.value > 0 ? runnerUp.value / leader.value : null },
    test:
      test && fastest && slowest
        ? { method: 'log-rank permutation', p: test.p, n: [fastest.obs.length, slowest.obs.length], exact: test.method === 'exact' }
        : null,
    verdict: test && test.p < significanceLevel ? 'real' : 'not_detectable',
  };
}

export function decideTrial({ tiers, vendors, now }: DecisionInput): TrialDecision {
  const rows: DecisionRow[] = [];
  const kinds = [...new Set(vendors.flatMap((v) => v.channels.map((c) => c.kind)))].sort();
  const samples = (pick: (t: ProbeTiming, v: DecisionVendor, kind: string) => boolean, observe: (t: ProbeTiming) => Observation) =>
    new Map(vendors.map((v) => [v.slug, v.channels.flatMap((c) => c.timings.filter((t) => pick(t, v, c.kind)).map(observe))]));
  const human = (t: ProbeTiming) => humanObservation(t, now);
  for (const tier of tiers) {
    for (const kind of kinds)
      rows.push(
        timeRow(
          'first_reply',
          tier,
          kind,
          samples((t, _v, k) => t.tier === tier && k === kind, human),
        ),
      );
  }
  rows.push(slaRow(vendors));
  rows.push(
    timeRow(
      'coverage',
      null,
      null,
      samples((t, v) => isOffHours(t.sent_at, v.timezone), human),
    ),
  );
  rows.push(consistencyRow(vendors, now));
  const resolution = samples(
    (t) => (t.quality_flags & qualityFlag.measured) !== 0,
    (t) => resolutionObservation(t, now),
  );
  if ([...resolution.values()].some((obs) => obs.length > 0)) rows.push(timeRow('resolution', null, null, resolution));
  return { significanceLevel, offHours: "sent on a weekend, or before 09:00 or from 18:00 on a weekday, in the vendor's own time zone", rows };
}

/** Answered probes in all (both vendors) that make a gap of this median ratio detectable at 80 % power (Schoenfeld, equal groups). */
export function eventsNeeded(ratio: number): number | null {
  if (!(ratio > 1)) return null;
  const zAlpha = 1.959963984540054;
  const zBeta = 0.8416212335729143;
  return Math.ceil((4 * (zAlpha + zBeta) ** 2) / Math.log(ratio) ** 2);
}
