// Read-only counts behind the Prometheus /metrics endpoint: probes by outcome, replies by label, deliveries, review queue.
import type { Store } from './db.ts';

interface ProbeCountRow {
  vendor: string;
  private: number;
  channel: string;
  sent: number;
  send_failed: number;
  send_unknown: number;
}

interface LagRow {
  id: number;
  lag_ms: number;
}

export function telemetryQueries(store: Store) {
  const { db } = store;
  const probes = db.prepare<[], ProbeCountRow>(`SELECT v.slug AS vendor, v.visibility = 'private' AS private, c.channel,
      sum(p.sent_at IS NOT NULL) AS sent, sum(p.state = 'send_failed') AS send_failed, sum(p.state = 'send_unknown') AS send_unknown
    FROM probes p JOIN channels c ON c.id = p.channel_id JOIN vendors v ON v.slug = c.vendor
    GROUP BY v.slug, c.channel ORDER BY v.slug, c.channel`);
  const replies = db.prepare<[], { label: string; n: number }>(`SELECT coalesce(r.label, m.label) AS label, count(*) AS n
    FROM messages m LEFT JOIN reviews r ON r.message_id = m.id WHERE m.probe_id IS NOT NULL GROUP BY 1`);
  const lagsAfter = db.prepare<[number, number], LagRow>('SELECT id, detected_at - received_at AS lag_ms FROM messages WHERE id > ? ORDER BY id LIMIT ?');
  const awaitingReview = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM probes WHERE review_since IS NOT NULL');
  const deliveries = db.prepare<[], { kind: string; state: string; n: number }>('SELECT kind, state, count(*) AS n FROM alert_deliveries GROUP BY kind, state');
  return {
    probes: () => probes.all(),
    replies: () => replies.all(),
    /** Detection lags of messages stored after `id`, oldest first, at most `limit`. */
    lagsAfter: (id: number, limit: number) => lagsAfter.all(id, limit),
    awaitingReview: () => awaitingReview.get()?.n ?? 0,
    deliveries: () => deliveries.all(),
  };
}
