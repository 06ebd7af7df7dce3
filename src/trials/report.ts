// Pure: a trial's report document from the statistics, the probe timings and the evidence found: per vendor and tier, the ranking.
import type { Tier } from '../config/schema.ts';
import type { TrialDimension } from '../config/trial.ts';
import { elapsedMs } from '../core/instant.ts';
import type { Estimate, StatsReport, SurvivalSummary } from '../metrics/report-types.ts';
import { humanObservation } from '../metrics/report.ts';
import { summarize } from '../metrics/survival.ts';
import { tierReply } from '../metrics/precision.ts';
import type { ProbeTiming } from '../store/stats.ts';
import type { Trial } from './load.ts';
import { rankVendors, type Ranking } from './ranking.ts';
import { decideTrial, type DecisionVendor, type TrialDecision } from './decision.ts';
import { caveatText, methodTexts, reportFigures, type TrialCaveat } from './report-text.ts';

export interface EvidenceFile {
  /** Path relative to the evidence directory, with forward slashes. */
  file: string;
  kind: 'eml' | 'screenshot' | 'transcript' | 'other';
  sha256: string | null;
}

export interface TrialProbe {
  id: number;
  vendor: string;
  channel: string;
  kind: string;
  tier: Tier;
  template: string;
  language: string;
  state: string;
  token: string;
  ticketRef: string | null;
  sentAt: number | null;
  deadlineAt: number | null;
  firstAckAt: number | null;
  firstBotAt: number | null;
  firstHumanAt: number | null;
  resolvedAt: number | null;
  /** Time to first human reply, ms; null while unanswered. */
  firstHumanMs: number | null;
  awaitingReview: boolean;
  evidence: EvidenceFile[];
}

export interface TierSla {
  targetMs: number;
  /** Whose target: the team's (trial file), else the vendor's published one or the reference table. */
  source: 'team' | 'vendor' | 'reference';
  n: number;
  met: number;
  pending: number;
  share: number | null;
}

export interface TierFigures {
  tier: Tier;
  human: Pick<SurvivalSummary, 'n' | 'events' | 'censored' | 'noEventShare'> & { median: Estimate };
  sla: TierSla | null;
}

export interface ChannelTierFigures extends TierFigures {
  channel: string;
  kind: string;
}

export interface ResolutionFigures {
  channel: string;
  /** Probes whose resolution is measured. */
  n: number;
  medianMs: number | null;
  firstContactShare: number | null;
  firstContactN: number;
}

export interface TrialVendor {
  slug: string;
  name: string;
  visibility: 'public' | 'private';
  channels: string[];
  probes: number;
  answered: number;
  noReply: number;
  awaitingReview: number;
  overallMedian: Estimate;
  tiers: TierFigures[];
  cells: ChannelTierFigures[];
  /** null: nothing of this vendor's probes is measured for resolution (no expect: rubric, no person's mark). */
  resolution: ResolutionFigures[] | null;
  slaShare: number | null;
}

export interface TrialReport {
  format: 'firstreply-trial-report/1';
  generatedAt: number;
  trial: { id: string; name: string; timezone: string; from: number; to: number; tiers: Tier[]; notes: string | null };
  demoTime: boolean;
  method: string[];
  caveats: string[];
  /** The same caveats as data (code and values), for rendering in another language. */
  caveatDetails: TrialCaveat[];
  vendors: TrialVendor[];
  ranking: Ranking;
  /** Per dimension: who leads, by how much, and whether the gap is more than chance. */
  decision: TrialDecision;
  probes: TrialProbe[];
}

interface TrialReportInput {
  trial: Trial;
  stats: StatsReport;
  /** Timings per "vendor/channel" in the window (from the same rows as `stats`). */
  timings: ReadonlyMap<string, readonly ProbeTiming[]>;
  probes: readonly TrialProbe[];
  now: number;
}

function teamSlaOf(timings: readonly ProbeTiming[], targetMs: number, now: number): TierSla {
  let met = 0;
  let missed = 0;
  let pending = 0;
  for (const t of timings) {
    const answeredAt = t.first_human_at !== null && t.first_human_at <= now ? t.first_human_at : null;
    if (answeredAt !== null) {
      if (elapsedMs(t.sent_at, answeredAt) <= targetMs) met++;
      else missed++;
    } else if (Math.min(t.expires_at ?? now, now) - t.sent_at >= targetMs) missed++;
    else pending++;
  }
  const n = met + missed;
  return { targetMs, source: 'team', n, met, pending, share: n === 0 ? null : met / n };
}

function tierFigures(tier: Tier, timings: readonly ProbeTiming[], sla: TierSla | null, now: number): TierFigures {
  const s = tierReply(
    tier,
    timings.map((t) => humanObservation(t, now)),
  );
  return { tier, human: { n: s.n, events: s.events, censored: s.censored, noEventShare: s.noEventShare, median: s.median }, sla };
}

/** The vendor's own SLA rows of one tier over the chosen channels, summed. */
function vendorSla(stats: StatsReport['vendors'][number], tier: Tier): TierSla | null {
  const rows = stats.channels.flatMap((c) => c.sla.filter((r) => r.tier === tier));
  const first = rows[0];
  if (!first) return null;
  const n = rows.reduce((a, r) => a + r.n, 0);
  const met = rows.reduce((a, r) => a + r.met, 0);
  return { targetMs: first.targetMs, source: first.source, n, met, pending: rows.reduce((a, r) => a + r.pending, 0), share: n === 0 ? null : met / n };
}

export function trialReportFrom({ trial, stats, timings, probes, now }: TrialReportInput): TrialReport {
  const vendors: TrialVendor[] = [];
  const deciding: DecisionVendor[] = [];
  const caveats: string[] = [];
  const caveatDetails: TrialCaveat[] = [];
  const english = reportFigures('en');
  const caveat = (detail: TrialCaveat, names: ReadonlyMap<string, string> = new Map()) => {
    caveats.push(caveatText(english, detail, names, (ms) => new Date(ms).toISOString()));
    caveatDetails.push(detail);
  };
  if (stats.demoTime) caveat({ code: 'demo_time' });
  if (now < trial.to) caveat({ code: 'still_running', endsAt: trial.to });
  for (const slugName of trial.vendors) {
    const v = stats.vendors.find((s) => s.vendor.slug === slugName);
    if (!v) {
      caveat({ code: 'vendor_missing', vendor: slugName });
      continue;
    }
    const chosen = trial.channelsOf[slugName] ?? [];
    const channelTimings = (id: string) => timings.get(`${slugName}/${id}`) ?? [];
    const teamTarget = (tier: Tier) => trial.sla[tier]?.first_response;
    const slaFor = (tier: Tier, list: readonly ProbeTiming[], fallback: TierSla | null) => {
      const target = teamTarget(tier);
      return target !== undefined ? teamSlaOf(list, target, now) : fallback;
    };
    const tiers = trial.tiers.map((tier) => {
      const list = chosen.flatMap((id) => channelTimings(id).filter((t) => t.tier === tier));
      return tierFigures(tier, list, slaFor(tier, list, vendorSla(v, tier)), now);
    });
    const cells: ChannelTierFigures[] = [];
    for (const channel of v.channels) {
      for (const tier of trial.tiers) {
        const list = channelTimings(channel.channel).filter((t) => t.tier === tier);
        const own = channel.sla.find((r) => r.tier === tier);
        const fallback = own ? { targetMs: own.targetMs, source: own.source, n: own.n, met: own.met, pending: own.pending, share: own.share } : null;
        cells.push({ channel: channel.channel, kind: channel.kind, ...tierFigures(tier, list, slaFor(tier, list, fallback), now) });
      }
      if (channel.human.n < 5)
        caveat({ code: 'few_probes', vendor: v.vendor.slug, channel: channel.channel, n: channel.human.n }, new Map([[v.vendor.slug, v.vendor.name]]));
    }
    const all = chosen.flatMap((id) => channelTimings(id).filter((t) => trial.tiers.includes(t.tier)));
    const overall = summarize(
      all.map((t) => humanObservation(t, now)),
      { curve: false },
    );
    const measured = v.channels.filter((c) => c.resolution.n > 0);
    const slaRows = tiers.map((t) => t.sla).filter((s): s is TierSla => s !== null);
    const slaN = slaRows.reduce((a, s) => a + s.n, 0);
    deciding.push({
      slug: v.vendor.slug,
      timezone: v.vendor.timezone,
      sla: slaN === 0 ? null : { met: slaRows.reduce((a, s) => a + s.met, 0), n: slaN },
      channels: v.channels.map((c) => ({ channel: c.channel, kind: c.kind, timings: channelTimings(c.channel).filter((t) => trial.tiers.includes(t.tier)) })),
    });
    vendors.push({
      slug: v.vendor.slug,
      name: v.vendor.name,
      visibility: v.vendor.visibility,
      channels: v.channels.map((c) => c.channel),
      probes: overall.n,
      answered: overall.events,
      noReply: overall.n - overall.events,
      awaitingReview: v.channels.reduce((a, c) => a + c.awaitingReview, 0),
      overallMedian: overall.median,
      tiers,
      cells,
      resolution:
        measured.length === 0
          ? null
          : measured.map((c) => ({
              channel: c.channel,
              n: c.resolution.n,
              medianMs: c.resolution.time.median.value,
              firstContactShare: c.resolution.firstContact.share,
              firstContactN: c.resolution.firstContact.n,
            })),
      slaShare: slaN === 0 ? null : slaRows.reduce((a, s) => a + s.met, 0) / slaN,
    });
  }
  const figures = (v: TrialVendor): Record<TrialDimension, number | null> => {
    const resolved = v.resolution?.map((r) => r.medianMs).filter((m): m is number => m !== null) ?? [];
    return {
      first_reply: v.overallMedian.value ?? (v.probes > 0 ? Number.MAX_SAFE_INTEGER : null),
      sla: v.slaShare,
      no_reply: v.probes === 0 ? null : v.noReply / v.probes,
      resolution: resolved.length === 0 ? null : Math.min(...resolved),
    };
  };
  if (vendors.every((v) => v.resolution === null)) caveat({ code: 'resolution_unmeasured' });
  return {
    format: 'firstreply-trial-report/1',
    generatedAt: now,
    trial: { id: trial.id, name: trial.name, timezone: trial.timezone, from: trial.from, to: trial.to, tiers: [...trial.tiers], notes: trial.notes ?? null },
    demoTime: stats.demoTime,
    method: [...methodTexts.en],
    caveats,
    caveatDetails,
    vendors,
    ranking: rankVendors(
      vendors.map((v) => ({ vendor: v.slug, figures: figures(v) })),
      trial.weights,
    ),
    decision: decideTrial({ tiers: trial.tiers, vendors: deciding, now }),
    probes: [...probes].filter((p) => trial.tiers.includes(p.tier)),
  };
}
