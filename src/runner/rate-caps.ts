// Rate caps per vendor and per channel (rolling day and week, min_interval), counted from the persisted probes and
// the follow-ups sent in their threads: both are messages to the vendor's people.
import { DAY, WEEK } from '../core/clock.ts';
import type { ChannelDef, RateCaps, Vendor } from '../config/schema.ts';
import type { Store } from '../store/db.ts';

interface CapVerdict {
  allowed: boolean;
  reason?: string;
  /** Which cap refused: min_interval passes with time, the others are a count over a day or a week. */
  cap?: 'per_day' | 'per_week' | 'min_interval';
}

export function checkRateCaps(store: Store, vendor: Vendor, channel: ChannelDef, channelId: number, now: number): CapVerdict {
  const check = (caps: RateCaps, count: (since: number) => number, what: string): CapVerdict | undefined => {
    if (caps.per_day !== undefined && count(now - DAY) >= caps.per_day)
      return { allowed: false, cap: 'per_day', reason: `${what} cap of ${caps.per_day} per day reached` };
    if (caps.per_week !== undefined && count(now - WEEK) >= caps.per_week)
      return { allowed: false, cap: 'per_week', reason: `${what} cap of ${caps.per_week} per week reached` };
    if (caps.min_interval !== undefined && caps.min_interval > 0 && count(now - caps.min_interval + 1) > 0)
      return {
        allowed: false,
        cap: 'min_interval',
        reason: `${what} had a probe or follow-up less than ${Math.round(caps.min_interval / 60_000)} min ago (min_interval)`,
      };
    return undefined;
  };
  return (
    check(
      vendor.rate_caps,
      (since) => store.probes.countForVendorSince(vendor.slug, since) + store.rounds.countForVendorSince(vendor.slug, since),
      `vendor ${vendor.slug}`,
    ) ??
    check(
      channel.rate_caps ?? {},
      (since) => store.probes.countForChannelSince(channelId, since) + store.rounds.countForChannelSince(channelId, since),
      `channel ${vendor.slug}/${channel.id}`,
    ) ?? { allowed: true }
  );
}
