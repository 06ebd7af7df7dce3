// Read-only queries behind the statistics: probe timings per channel and window, last send, unconfirmed labels.
import type { Db } from './db.ts';
import type { Tier } from '../config/schema.ts';
import type { ProbeState } from './probes.ts';

/** The columns statistics need (all in the covering index probes_channel_sent). */
export interface ProbeTiming {
  id: number;
  tier: Tier;
  state: ProbeState;
  sent_at: number;
  deadline_at: number | null;
  expires_at: number | null;
  first_human_at: number | null;
  first_ack_at: number | null;
  first_bot_at: number | null;
  virtual_clock: number;
}

/** A channel as the statistics need it (without its definition). */
export interface StatsChannel {
  id: number;
  vendor: string;
  channel: string;
  kind: string;
}

const measuredStates = `('sent', 'answered', 'expired')`;

export function statsQueries(db: Db) {
  const timings = db.prepare<[number, number, number], ProbeTiming>(`SELECT id, tier, state, sent_at, deadline_at, expires_at, first_human_at, first_ack_at, first_bot_at, virtual_clock
    FROM probes INDEXED BY probes_channel_sent WHERE channel_id = ? AND sent_at >= ? AND sent_at <= ? AND state IN ${measuredStates} ORDER BY sent_at`);
  const lastSent = db.prepare<[number], { at: number | null }>(`SELECT max(sent_at) AS at FROM probes WHERE channel_id = ? AND sent_at IS NOT NULL`);
  const unconfirmed = db.prepare<[number, number, number], { n: number }>(`SELECT count(*) AS n FROM probes p INDEXED BY probes_channel_sent
    JOIN messages m ON m.probe_id = p.id
    WHERE p.channel_id = ? AND p.sent_at >= ? AND p.sent_at <= ? AND p.state IN ${measuredStates}
      AND m.source <> 'manual' AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.message_id = m.id)`);
  const allChannels = db.prepare<[], StatsChannel>('SELECT id, vendor, channel, kind FROM channels ORDER BY vendor, channel');
  const vendorChannels = db.prepare<[string], StatsChannel>('SELECT id, vendor, channel, kind FROM channels WHERE vendor = ? ORDER BY channel');
  return {
    /** Channels of one vendor, or of all. */
    channels: (vendor?: string) => (vendor === undefined ? allChannels.all() : vendorChannels.all(vendor)),
    /** Measured probes (sent, answered or expired) of a channel sent in [from, to], oldest first. */
    timings: (channelId: number, from: number, to: number) => timings.all(channelId, from, to),
    lastSentAt: (channelId: number) => lastSent.get(channelId)?.at ?? null,
    /** Messages of those probes that no person has reviewed (those recorded by hand need no review). */
    unconfirmedLabels: (channelId: number, from: number, to: number) => unconfirmed.get(channelId, from, to)?.n ?? 0,
  };
}
