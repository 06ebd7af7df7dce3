// Queries of the alerts tables: open and resolved alerts, the delivery outbox, silences, and the probe series the rules read.
import type { Db, Changed } from './db.ts';
import type { Clock } from '../core/clock.ts';
import type { Tier } from '../config/schema.ts';
import type { ProbeState } from './probes.ts';

export type AlertAudience = 'subscriber' | 'operator';
export type AlertSeverity = 'warning' | 'critical';
export type DeliveryEvent = 'opened' | 'reminder' | 'resolved' | 'test';

export interface AlertRow {
  id: number;
  rule: string;
  vendor: string;
  channel: string | null;
  state: 'open' | 'resolved';
  severity: AlertSeverity;
  audience: AlertAudience;
  summary: string;
  details: string;
  probe_id: number | null;
  opened_at: number;
  resolved_at: number | null;
  last_notified_at: number | null;
  updated_at: number | null;
  reminders: number;
}

interface NewAlert {
  rule: string;
  vendor: string;
  channel: string | null;
  severity: AlertSeverity;
  audience: AlertAudience;
  summary: string;
  details: string;
  probeId: number | null;
}

export interface DeliveryRow {
  id: number;
  alert_id: number | null;
  target: string;
  kind: string;
  event: DeliveryEvent;
  seq: number;
  notice: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

interface NewDelivery {
  alertId: number | null;
  target: string;
  kind: string;
  event: DeliveryEvent;
  seq: number;
  notice: string;
}

export interface SilenceRow {
  id: number;
  vendor: string;
  channel: string | null;
  rule: string | null;
  starts_at: number;
  ends_at: number;
  reason: string;
  created_by: string;
  created_at: number;
}

/** The columns of a probe the alert rules read. */
export interface AlertProbeRow {
  id: number;
  tier: Tier;
  state: ProbeState;
  scheduled_at: number;
  sent_at: number | null;
  deadline_at: number | null;
  expires_at: number | null;
  first_human_at: number | null;
  error_code: string | null;
  error_text: string | null;
  review_since: number | null;
}

interface AlertListQuery {
  open?: boolean;
  vendor?: string;
  limit: number;
}

export function alertQueries(db: Db, clock: Clock, changed: Changed) {
  const byId = db.prepare<[number], AlertRow>('SELECT * FROM alerts WHERE id = ?');
  const openFor = db.prepare<[string, string, string | null], AlertRow>(
    `SELECT * FROM alerts WHERE state = 'open' AND rule = ? AND vendor = ? AND ifnull(channel, '') = ifnull(?, '')`,
  );
  const allOpen = db.prepare<[], AlertRow>(`SELECT * FROM alerts WHERE state = 'open' ORDER BY opened_at, id`);
  const list = db.prepare<{ open: number; vendor: string | null; limit: number }, AlertRow>(`SELECT * FROM alerts
    WHERE (@open = 0 OR state = 'open') AND (@vendor IS NULL OR vendor = @vendor)
    ORDER BY max(opened_at, coalesce(resolved_at, 0)) DESC, id DESC LIMIT @limit`);
  const insert = db.prepare(`INSERT INTO alerts (rule, vendor, channel, state, severity, audience, summary, details, probe_id, opened_at, updated_at)
    VALUES (@rule, @vendor, @channel, 'open', @severity, @audience, @summary, @details, @probeId, @now, @now)
    ON CONFLICT DO NOTHING`);
  const refresh = db.prepare(
    `UPDATE alerts SET summary = @summary, details = @details, severity = @severity, updated_at = @now WHERE id = @id AND state = 'open'`,
  );
  const resolve = db.prepare(
    `UPDATE alerts SET state = 'resolved', resolved_at = @now, details = @details, updated_at = @now WHERE id = @id AND state = 'open'`,
  );
  const notified = db.prepare(`UPDATE alerts SET last_notified_at = @now, reminders = @reminders WHERE id = @id`);

  const enqueue = db.prepare(`INSERT INTO alert_deliveries (alert_id, target, kind, event, seq, notice, next_attempt_at, created_at)
    VALUES (@alertId, @target, @kind, @event, @seq, @notice, @now, @now) ON CONFLICT DO NOTHING`);
  const due = db.prepare<[number, number], DeliveryRow>(
    `SELECT * FROM alert_deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
  );
  const nextDue = db.prepare<[], { at: number | null }>(`SELECT min(next_attempt_at) AS at FROM alert_deliveries WHERE state = 'pending'`);
  const delivered = db.prepare(`UPDATE alert_deliveries SET state = 'sent', attempts = attempts + 1, delivered_at = @now, last_error = NULL WHERE id = @id`);
  const retry = db.prepare(`UPDATE alert_deliveries SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error WHERE id = @id`);
  const failed = db.prepare(`UPDATE alert_deliveries SET state = 'failed', attempts = attempts + 1, last_error = @error WHERE id = @id`);
  const deliveriesOf = db.prepare<[number], DeliveryRow>('SELECT * FROM alert_deliveries WHERE alert_id = ? ORDER BY id');
  const recentDeliveries = db.prepare<[number], DeliveryRow>('SELECT * FROM alert_deliveries ORDER BY id DESC LIMIT ?');

  const addSilence = db.prepare(`INSERT INTO alert_silences (vendor, channel, rule, starts_at, ends_at, reason, created_by, created_at)
    VALUES (@vendor, @channel, @rule, @startsAt, @endsAt, @reason, @createdBy, @now)`);
  const activeSilences = db.prepare<[number, number], SilenceRow>('SELECT * FROM alert_silences WHERE starts_at <= ? AND ends_at > ? ORDER BY id');
  const removeSilence = db.prepare('DELETE FROM alert_silences WHERE id = ?');

  // The alerts a channel's page shows as incidents: open ones mark it, resolved ones are its history.
  const incidents = db.prepare<[string, string, number], AlertRow>(`SELECT * FROM alerts
    WHERE vendor = ? AND channel = ? AND rule IN ('sla_breach', 'regression') AND audience = 'subscriber' ORDER BY opened_at DESC, id DESC LIMIT ?`);

  const probeColumns = 'id, tier, state, scheduled_at, sent_at, deadline_at, expires_at, first_human_at, error_code, error_text, review_since';
  // Probes hidden by our own mailbox outage judge no vendor: the rules never see them.
  const channelProbes = db.prepare<[number, number], AlertProbeRow>(`SELECT ${probeColumns} FROM probes
    WHERE channel_id = ? AND scheduled_at >= ? AND state NOT IN ('scheduled', 'sending') AND outage_id IS NULL ORDER BY scheduled_at, id`);
  const lastAttempts = db.prepare<[number, number], AlertProbeRow>(`SELECT ${probeColumns} FROM probes
    WHERE channel_id = ? AND state NOT IN ('scheduled', 'sending', 'send_unknown') ORDER BY scheduled_at DESC, id DESC LIMIT ?`);
  const nextDeadline = db.prepare<[number], { at: number | null }>(`SELECT min(deadline_at) AS at FROM probes
    WHERE state = 'sent' AND first_human_at IS NULL AND deadline_at > ?`);

  return {
    get: (id: number) => byId.get(id),
    openFor: (rule: string, vendor: string, channel: string | null) => openFor.get(rule, vendor, channel),
    open: () => allOpen.all(),
    list: (query: AlertListQuery) => list.all({ open: query.open ? 1 : 0, vendor: query.vendor ?? null, limit: query.limit }),
    /** Opens an alert; undefined when one is already open for (rule, vendor, channel). */
    insertOpen(alert: NewAlert): AlertRow | undefined {
      const info = insert.run({ ...alert, now: clock.now() });
      if (info.changes === 0) return undefined;
      const id = Number(info.lastInsertRowid);
      changed('alert', id);
      return byId.get(id);
    },
    refresh(id: number, fields: { summary: string; details: string; severity: AlertSeverity }): void {
      if (refresh.run({ id, ...fields, now: clock.now() }).changes > 0) changed('alert', id);
    },
    resolve(id: number, details: string): boolean {
      const ok = resolve.run({ id, details, now: clock.now() }).changes > 0;
      if (ok) changed('alert', id);
      return ok;
    },
    markNotified(id: number, reminders: number): void {
      notified.run({ id, reminders, now: clock.now() });
    },

    /** Queues a notice; false when the same (alert, target, event, seq) was queued before. */
    enqueue: (delivery: NewDelivery) => enqueue.run({ ...delivery, now: clock.now() }).changes > 0,
    due: (now: number, limit: number) => due.all(now, limit),
    nextDue: () => nextDue.get()?.at ?? null,
    markDelivered: (id: number) => void delivered.run({ id, now: clock.now() }),
    markRetry: (id: number, next: number, error: string) => void retry.run({ id, next, error }),
    markFailed: (id: number, error: string) => void failed.run({ id, error }),
    deliveriesOf: (alertId: number) => deliveriesOf.all(alertId),
    recentDeliveries: (limit: number) => recentDeliveries.all(limit),

    addSilence(silence: {
      vendor: string;
      channel: string | null;
      rule: string | null;
      startsAt: number;
      endsAt: number;
      reason: string;
      createdBy: string;
    }): number {
      return Number(addSilence.run({ ...silence, now: clock.now() }).lastInsertRowid);
    },
    activeSilences: (now: number) => activeSilences.all(now, now),
    removeSilence: (id: number) => removeSilence.run(id).changes > 0,

    /** SLA-breach and regression alerts of a channel, newest first (open and resolved). */
    incidents: (vendor: string, channel: string, limit: number) => incidents.all(vendor, channel, limit),
    /** Probes of a channel scheduled since `since` that left the sending phase, oldest first. */
    channelProbes: (channelId: number, since: number) => channelProbes.all(channelId, since),
    /** The latest send attempts of a channel with a known outcome, newest first. */
    lastAttempts: (channelId: number, limit: number) => lastAttempts.all(channelId, limit),
    /** The next first-response deadline of a probe still waiting, after `now`. */
    nextDeadline: (now: number) => nextDeadline.get(now)?.at ?? null,
  };
}
