// Pure: how many probes each vendor × channel × tier of a trial gets from schedules and rate caps, and how wide its median's interval will be.
import { DAY, WEEK } from '../core/clock.ts';
import type { ChannelDef, Tier, Vendor } from '../config/schema.ts';
import { channels as channelKinds } from '../channels/registry.ts';
import { calendarOf } from '../metrics/sla.ts';
import { answeredForRatio, expectedRatio, minAnsweredForSpread, minProbesForStatus, probesFor } from '../metrics/precision.ts';
import { nextSlot, phaseOf } from '../scheduler/slots.ts';
import { allowedTemplates } from '../runner/probe-runner.ts';
import type { Trial } from './load.ts';

/** What the store has seen of a channel so far: answered log-times give the spread. */
export interface ObservedSpread {
  /** Answered probes the spread is estimated from. */
  answered: number;
  /** Closed probes (answered or expired). */
  closed: number;
  medianMs: number;
  /** Standard deviation of ln(time to first human reply). */
  sigma: number;
  noReplyShare: number;
}

export interface PlanCell {
  vendor: string;
  channel: string;
  kind: string;
  tier: Tier;
  /** Probes the schedule and caps allow in the window. */
  planned: number;
  /** Expected probes answered by a person. */
  expectedAnswered: number;
  /** Expected 95 % interval of the median as high / low; null when no answer is expected. */
  expectedRatio: number | null;
  /** The same around the expected median, in ms. */
  expectedInterval: { medianMs: number; lowMs: number; highMs: number } | null;
  /** Probes needed for an interval within the decision ratio. */
  neededForDecision: number;
  decided: boolean;
  basis: 'store' | 'assumed';
  spread: { medianMs: number; sigma: number; noReplyShare: number; answered: number };
}

export interface PlanChannel {
  vendor: string;
  channel: string;
  kind: string;
  /** Slots the schedule has in the window, and how many the caps refuse. */
  slots: number;
  refusedByCaps: number;
  /** Why the channel sends nothing on a schedule, when it does not. */
  unscheduled: string | null;
}

export interface TrialPlan {
  trial: string;
  from: number;
  to: number;
  decisionRatio: number;
  channels: PlanChannel[];
  cells: PlanCell[];
  warnings: string[];
}

/** Slot times of one channel in [from, to], as the scheduler plans them (before jitter). */
/** Slots counted per channel at most (a demo's seconds-apart schedule would otherwise list millions). */
const maxSlotsPerChannel = 50_000;

function slotsInWindow(vendor: Vendor, channel: ChannelDef, from: number, to: number, limit = maxSlotsPerChannel): number[] {
  const schedule = channel.schedule;
  if (!schedule || !channel.enabled || !channelKinds[channel.kind].scheduled) return [];
  const ctx = { timezone: vendor.timezone, calendar: calendarOf(vendor), phase: phaseOf(`${vendor.slug}/${channel.id}`) };
  const out: number[] = [];
  let after = from - 1;
  let previous: number | null = null;
  while (out.length < limit) {
    const at = nextSlot(schedule, after, previous, ctx);
    if (at > to) break;
    out.push(at);
    previous = at;
    after = at;
  }
  return out;
}

interface Due {
  at: number;
  channel: string;
}

/** Slots the rate caps let through, in time order (the vendor's caps over all its channels, then the channel's own). */
export function admitByCaps(vendor: Vendor, due: readonly Due[]): Due[] {
  const sorted = [...due].sort((a, b) => a.at - b.at || a.channel.localeCompare(b.channel));
  const admitted: Due[] = [];
  const within = (list: readonly Due[], since: number) => {
    let n = 0;
    for (let i = list.length - 1; i >= 0 && (list[i]?.at ?? -Infinity) >= since; i--) n++;
    return n;
  };
  const byChannel = new Map<string, Due[]>();
  for (const slot of sorted) {
    const caps = vendor.rate_caps;
    const mine = byChannel.get(slot.channel) ?? [];
    const channelCaps = vendor.channels.find((c) => c.id === slot.channel)?.rate_caps ?? {};
    const refused =
      within(admitted, slot.at - DAY + 1) >= caps.per_day ||
      within(admitted, slot.at - WEEK + 1) >= caps.per_week ||
      (caps.min_interval !== undefined && caps.min_interval > 0 && within(admitted, slot.at - caps.min_interval + 1) > 0) ||
      (channelCaps.per_day !== undefined && within(mine, slot.at - DAY + 1) >= channelCaps.per_day) ||
      (channelCaps.per_week !== undefined && within(mine, slot.at - WEEK + 1) >= channelCaps.per_week);
    if (refused) continue;
    admitted.push(slot);
    mine.push(slot);
    byChannel.set(slot.channel, mine);
  }
  return admitted;
}

/** The rotation's tiers: the i-th probe of a channel sends its allowed templates in turn (least recently used first). */
export function tierCounts(vendor: Vendor, channel: ChannelDef, probes: number): Map<Tier, number> {
  const rotation = allowedTemplates(vendor, channel).map((t) => t.tier);
  const counts = new Map<Tier, number>();
  if (rotation.length === 0) return counts;
  rotation.forEach((tier, i) => {
    counts.set(tier, (counts.get(tier) ?? 0) + Math.floor(probes / rotation.length) + (i < probes % rotation.length ? 1 : 0));
  });
  return counts;
}

export { expectedRatio };

/** Probes needed for an interval within `ratio` (and at least enough for a verdict), given the no-reply share. */
export function probesNeeded(sigma: number, noReplyShare: number, ratio: number): number {
  return Math.max(minProbesForStatus, probesFor(answeredForRatio(sigma, ratio), noReplyShare));
}

interface PlanInput {
  trial: Trial;
  vendors: readonly Vendor[];
  /** Observed spread per "vendor/channel"; missing or too few answers means the trial's assumption is used. */
  observed: ReadonlyMap<string, ObservedSpread>;
}

export function planTrial({ trial, vendors, observed }: PlanInput): TrialPlan {
  const channels: PlanChannel[] = [];
  const cells: PlanCell[] = [];
  const warnings: string[] = [];
  const assumption = trial.plan;
  for (const slugName of trial.vendors) {
    const vendor = vendors.find((v) => v.slug === slugName);
    if (!vendor) continue;
    const due: Due[] = [];
    const slotCount = new Map<string, number>();
    for (const channel of vendor.channels) {
      const slots = slotsInWindow(vendor, channel, trial.from, trial.to);
      slotCount.set(channel.id, slots.length);
      if (slots.length >= maxSlotsPerChannel)
        warnings.push(`${slugName}/${channel.id}: more than ${maxSlotsPerChannel} slots in the window; counted up to that many`);
      for (const at of slots) due.push({ at, channel: channel.id });
    }
    const admitted = admitByCaps(vendor, due);
    for (const channelId of trial.channelsOf[slugName] ?? []) {
      const channel = vendor.channels.find((c) => c.id === channelId);
      if (!channel) continue;
      const probes = admitted.filter((d) => d.channel === channelId).length;
      const slots = slotCount.get(channelId) ?? 0;
      const unscheduled = !channelKinds[channel.kind].scheduled
        ? `${channel.kind}: observations are recorded by a person`
        : !channel.schedule
          ? 'no schedule: sent only on demand'
          : null;
      channels.push({ vendor: slugName, channel: channelId, kind: channel.kind, slots, refusedByCaps: slots - probes, unscheduled });
      if (slots > probes) warnings.push(`${slugName}/${channelId}: the rate caps refuse ${slots - probes} of ${slots} scheduled probes in the window`);
      const tiers = tierCounts(vendor, channel, probes);
      const seen = observed.get(`${slugName}/${channelId}`);
      const fromStore = seen !== undefined && seen.answered >= minAnsweredForSpread;
      const spread = fromStore
        ? { medianMs: seen.medianMs, sigma: seen.sigma, noReplyShare: seen.noReplyShare, answered: seen.answered }
        : {
            medianMs: assumption.assumed_median,
            sigma: Math.log(assumption.assumed_spread),
            noReplyShare: assumption.assumed_no_reply,
            answered: seen?.answered ?? 0,
          };
      for (const tier of trial.tiers) {
        const planned = tiers.get(tier) ?? 0;
        const answered = planned * (1 - spread.noReplyShare);
        const ratio = expectedRatio(answered, spread.sigma);
        const needed = probesNeeded(spread.sigma, spread.noReplyShare, assumption.decision_ratio);
        const decided = planned >= minProbesForStatus && ratio !== null && ratio <= assumption.decision_ratio;
        cells.push({
          vendor: slugName,
          channel: channelId,
          kind: channel.kind,
          tier,
          planned,
          expectedAnswered: answered,
          expectedRatio: ratio,
          expectedInterval:
            ratio === null ? null : { medianMs: spread.medianMs, lowMs: spread.medianMs / Math.sqrt(ratio), highMs: spread.medianMs * Math.sqrt(ratio) },
          neededForDecision: needed,
          decided,
          basis: fromStore ? 'store' : 'assumed',
          spread,
        });
        if (!decided) {
          const why =
            unscheduled ??
            (planned === 0
              ? 'no probes of this tier in the window'
              : `${planned} probes give an interval of ×${ratio === null ? '∞' : ratio.toFixed(1)}, wider than ×${assumption.decision_ratio}`);
          warnings.push(`${slugName}/${channelId} ${tier}: cannot reach a decision in the window (${why}; about ${needed} probes needed)`);
        }
      }
    }
  }
  return { trial: trial.id, from: trial.from, to: trial.to, decisionRatio: assumption.decision_ratio, channels, cells, warnings };
}
