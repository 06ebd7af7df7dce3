// Read-only queries behind the public API: probe timings and timeline labels, public vendors, alert history — never bodies, addresses or tokens.
import type { Store } from './db.ts';
import type { Tier } from '../config/schema.ts';
import type { ProbeState } from './probes.ts';
import type { MessageLabel } from '../core/labels.ts';
import { arrivalEstimate, replyArrival, type ReplySource } from '../core/instant.ts';

interface PublicProbeRow {
  id: number;
  channel: string;
  kind: string;
  tier: Tier;
  template: string;
  language: string;
  state: ProbeState;
  scheduled_at: number;
  sent_at: number | null;
  deadline_at: number | null;
  expires_at: number | null;
  first_ack_at: number | null;
  first_bot_at: number | null;
  first_human_at: number | null;
  closed_at: number | null;
  resolved_at: number | null;
  virtual_clock: number;
  review_since: number | null;
  /** JSON: [[received_at, effective label, reviewed 0|1, source, detected_at], …] in order of arrival. */
  timeline: string;
}

interface PublicProbe {
  id: number;
  channel: string;
  kind: string;
  tier: Tier;
  template: string;
  language: string;
  state: ProbeState;
  scheduledAt: number;
  sentAt: number | null;
  deadlineAt: number | null;
  expiresAt: number | null;
  firstAckAt: number | null;
  firstBotAt: number | null;
  firstHumanAt: number | null;
  closedAt: number | null;
  /** When the reply that resolves the question arrived (its rubric met, or a person's mark); null: not resolved (yet). */
  resolvedAt: number | null;
  virtualClock: boolean;
  /** When the reply awaiting a person's label arrived; null unless the probe awaits review (then in no figure). */
  awaitingReviewSince: number | null;
  /** `receivedAt` is the reply's estimated arrival, as in firstAckAt/firstHumanAt: never before sentAt. */
  timeline: { receivedAt: number; label: MessageLabel; reviewed: boolean }[];
}

export interface PublicAlertRow {
  id: number;
  rule: string;
  vendor: string;
  vendor_name: string;
  channel: string | null;
  state: 'open' | 'resolved';
  severity: string;
  summary: string;
  opened_at: number;
  resolved_at: number | null;
}

interface ProbeListQuery {
  vendor: string;
  channel?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  includePrivate: boolean;
}

const labelOf = `coalesce((SELECT r.label FROM reviews r WHERE r.message_id = m.id ORDER BY r.created_at DESC, r.id DESC LIMIT 1), m.label)`;

interface VisibilityRow {
  vendor: string;
  visibility: string;
  channel: string | null;
}

export function publicQueries(store: Store) {
  const { db } = store;
  const probeList = db.prepare<Record<string, string | number | null>, PublicProbeRow>(`SELECT p.id, c.channel, c.kind, p.tier, p.template, p.language, p.state,
      p.scheduled_at, p.sent_at, p.deadline_at, p.expires_at, p.first_ack_at, p.first_bot_at, p.first_human_at, p.closed_at, p.resolved_at, p.virtual_clock, p.review_since,
      (SELECT json_group_array(json_array(m.received_at, ${labelOf}, EXISTS (SELECT 1 FROM reviews r2 WHERE r2.message_id = m.id), m.source, m.detected_at))
         FROM (SELECT id, received_at, label, source, detected_at FROM messages WHERE probe_id = p.id ORDER BY received_at, id) m) AS timeline
    FROM probes p JOIN channels c ON c.id = p.channel_id JOIN vendors v ON v.slug = c.vendor
    WHERE c.vendor = @vendor AND (@channel IS NULL OR c.channel = @channel) AND (@includePrivate = 1 OR v.visibility = 'public')
      AND p.state <> 'scheduled' AND p.scheduled_at >= @from AND p.scheduled_at < @to
    ORDER BY p.scheduled_at DESC, p.id DESC LIMIT @limit`);
  const vendorName = db.prepare<[string], { name: string }>('SELECT name FROM vendors WHERE slug = ?');
  const vendorVisible = db.prepare<[string, number], { slug: string }>(`SELECT slug FROM vendors WHERE slug = ? AND (? = 1 OR visibility = 'public')`);
  const channelVisible = db.prepare<[string, string, number], { id: number }>(`SELECT c.id FROM channels c JOIN vendors v ON v.slug = c.vendor
    WHERE c.vendor = ? AND c.channel = ? AND (? = 1 OR v.visibility = 'public')`);
  const alertList = db.prepare<
    [number, number],
    PublicAlertRow
  >(`SELECT a.id, a.rule, a.vendor, v.name AS vendor_name, a.channel, a.state, a.severity, a.summary, a.opened_at, a.resolved_at
    FROM alerts a JOIN vendors v ON v.slug = a.vendor
    WHERE a.audience = 'subscriber' AND (? = 1 OR v.visibility = 'public') ORDER BY max(a.opened_at, coalesce(a.resolved_at, 0)) DESC, a.id DESC LIMIT ?`);
  const dataVersion = db.prepare<[], { data_version: number }>('PRAGMA data_version');
  const visibilityList = db.prepare<[], VisibilityRow>(`SELECT v.slug AS vendor, v.visibility, c.channel
    FROM vendors v LEFT JOIN channels c ON c.vendor = v.slug`);

  return {
    probes(query: ProbeListQuery): PublicProbe[] {
      const rows = probeList.all({
        vendor: query.vendor,
        channel: query.channel ?? null,
        includePrivate: query.includePrivate ? 1 : 0,
        from: query.from ?? 0,
        to: query.to ?? Number.MAX_SAFE_INTEGER,
        limit: query.limit,
      });
      return rows.map(toPublicProbe);
    },
    vendorName: (slug: string) => vendorName.get(slug)?.name,
    vendorVisible: (slug: string, includePrivate: boolean) => vendorVisible.get(slug, includePrivate ? 1 : 0) !== undefined,
    channelVisible: (vendor: string, channel: string, includePrivate: boolean) => channelVisible.get(vendor, channel, includePrivate ? 1 : 0) !== undefined,
    /** Alerts meant for subscribers, newest change first. */
    alerts: (limit: number, includePrivate: boolean) => alertList.all(includePrivate ? 1 : 0, limit),
    /** Every vendor with its visibility, once per channel (channel null for a vendor without channels). */
    visibility: () => visibilityList.all(),
    /** Changes whenever another connection (another process) commits, so caches notice writes they did not see. */
    dataVersion: () => dataVersion.get()?.data_version ?? 0,
  };
}

export type PublicQueries = ReturnType<typeof publicQueries>;

function toPublicProbe(row: PublicProbeRow): PublicProbe {
  const timeline: PublicProbe['timeline'] = [];
  const parsed: unknown = JSON.parse(row.timeline);
  if (Array.isArray(parsed)) {
    for (const entry of parsed) {
      if (Array.isArray(entry) && typeof entry[0] === 'number' && typeof entry[1] === 'string') {
        const reply = { source: replySourceOf(entry[3]), received_at: entry[0], detected_at: typeof entry[4] === 'number' ? entry[4] : entry[0] };
        timeline.push({ receivedAt: arrivalEstimate(row.sent_at, replyArrival(reply)), label: messageLabelOf(entry[1]), reviewed: entry[2] === 1 });
      }
    }
  }
  return {
    id: row.id,
    channel: row.channel,
    kind: row.kind,
    tier: row.tier,
    template: row.template,
    language: row.language,
    state: row.state,
    scheduledAt: row.scheduled_at,
    sentAt: row.sent_at,
    deadlineAt: row.deadline_at,
    expiresAt: row.expires_at,
    firstAckAt: row.first_ack_at,
    firstBotAt: row.first_bot_at,
    firstHumanAt: row.first_human_at,
    closedAt: row.closed_at,
    resolvedAt: row.resolved_at,
    virtualClock: row.virtual_clock === 1,
    awaitingReviewSince: row.review_since,
    timeline,
  };
}

const knownLabels: readonly MessageLabel[] = ['human', 'auto_ack', 'out_of_office', 'bounce', 'bot', 'marketing', 'system', 'unknown'];

function messageLabelOf(text: string): MessageLabel {
  return knownLabels.find((l) => l === text) ?? 'unknown';
}

const replySources: readonly ReplySource[] = ['imap', 'chat', 'manual'];

/** An unknown source is taken as the coarsest clock. */
function replySourceOf(value: unknown): ReplySource {
  return replySources.find((s) => s === value) ?? 'imap';
}
