// Read-only queries behind trial reports: a channel's probes in a window with their tokens and the evidence the store names.
import type { Store } from './db.ts';
import type { Tier } from '../config/schema.ts';
import type { ProbeState } from './probes.ts';

export interface TrialProbeRow {
  id: number;
  token: string;
  vendor: string;
  channel: string;
  kind: string;
  tier: Tier;
  template: string;
  language: string;
  state: ProbeState;
  sent_at: number | null;
  deadline_at: number | null;
  first_ack_at: number | null;
  first_bot_at: number | null;
  first_human_at: number | null;
  resolved_at: number | null;
  review_since: number | null;
  ticket_ref: string | null;
  /** JSON array of paths the channel kept (screenshots, transcripts, the sent copy). */
  evidence: string;
  /** JSON array of [raw_path, raw_sha256] of the probe's stored messages. */
  raw_messages: string;
}

export function trialProbeQueries(store: Store) {
  const list = store.db.prepare<
    { vendor: string; channel: string; from: number; to: number },
    TrialProbeRow
  >(`SELECT p.id, p.token, c.vendor, c.channel, c.kind,
      p.tier, p.template, p.language, p.state, p.sent_at, p.deadline_at, p.first_ack_at, p.first_bot_at, p.first_human_at, p.resolved_at,
      p.review_since, p.ticket_ref, p.evidence,
      (SELECT json_group_array(json_array(m.raw_path, m.raw_sha256)) FROM (SELECT raw_path, raw_sha256 FROM messages
         WHERE probe_id = p.id AND raw_path IS NOT NULL ORDER BY received_at, id) m) AS raw_messages
    FROM probes p JOIN channels c ON c.id = p.channel_id
    WHERE c.vendor = @vendor AND c.channel = @channel AND p.sent_at >= @from AND p.sent_at <= @to
    ORDER BY p.sent_at, p.id`);
  return {
    /** Probes of one channel sent in [from, to], oldest first. */
    probes: (vendor: string, channel: string, from: number, to: number) => list.all({ vendor, channel, from, to }),
  };
}
