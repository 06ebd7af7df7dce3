// Queries of the probes table: the probe lifecycle (scheduled → sending → sent → answered | expired).
import type { Db, Changed } from './db.ts';
import type { Clock } from '../core/clock.ts';
import type { Tier } from '../config/schema.ts';

export const probeStates = ['scheduled', 'sending', 'sent', 'answered', 'expired', 'send_failed', 'send_unknown'] as const;
export type ProbeState = (typeof probeStates)[number];
const openStates: readonly ProbeState[] = ['scheduled', 'sending', 'sent'];

interface ProbeRow {
  id: number;
  token: string;
  channel_id: number;
  template: string;
  tier: Tier;
  language: string;
  state: ProbeState;
  message_id: string | null;
  ticket_ref: string | null;
  scheduled_at: number;
  sending_at: number | null;
  sent_at: number | null;
  deadline_at: number | null;
  expires_at: number | null;
  first_ack_at: number | null;
  first_bot_at: number | null;
  first_human_at: number | null;
  closed_at: number | null;
  attempts: number;
  error_code: string | null;
  error_text: string | null;
  evidence: string;
  virtual_clock: number;
  created_at: number;
  /** received_at of the earliest candidate reply when it is `unknown` and unreviewed: the probe awaits review. */
  review_since: number | null;
  /** 1 while copies of a sent probe (evidence file, Sent folder) are still to be kept; reconcile keeps them. */
  copies_owed: number;
  /** How sent_at was learned (null before it was). */
  sent_basis: SentBasis | null;
}

/** 'accepted': the channel's own acceptance (SMTP 250); 'sent_folder': the Sent copy found at reconcile; 'reply': a reply proved delivery. */
type SentBasis = 'accepted' | 'sent_folder' | 'reply';

/** How a channel's acceptance is stored (sent_at first, before any copy is kept). */
interface SentRecord {
  sentAt: number;
  deadlineAt: number;
  expiresAt: number;
  ticketRef?: string | null;
  basis?: SentBasis;
  /** Copies still to keep after this write. */
  copiesOwed?: boolean;
}

/** A probe with its vendor and channel names, as most readers want it. */
export interface ProbeView extends ProbeRow {
  vendor: string;
  channel: string;
  kind: string;
}

interface NewProbe {
  token: string;
  channelId: number;
  template: string;
  tier: Tier;
  language: string;
  scheduledAt: number;
  messageId?: string | null;
  virtualClock?: boolean;
}

/** A helpdesk reference learned for a probe: a subject ticket tag (matched only from `domain`) or a thread id. */
export interface ProbeRef {
  kind: 'subject' | 'thread';
  value: string;
  domain?: string | null;
}

export interface Timeline {
  first_ack_at: number | null;
  first_bot_at: number | null;
  first_human_at: number | null;
}

/** A probe whose outcome waits for a person to label its earliest candidate reply. */
interface AwaitingReview {
  id: number;
  vendor: string;
  channel: string;
  kind: string;
  state: ProbeState;
  sent_at: number | null;
  /** received_at of the reply to label. */
  review_since: number;
  /** That reply (null only if it vanished since review_since was computed). */
  message_id: number | null;
}

const viewSelect = `SELECT p.*, c.vendor AS vendor, c.channel AS channel, c.kind AS kind FROM probes p JOIN channels c ON c.id = p.channel_id`;

export function probeQueries(db: Db, clock: Clock, changed: Changed) {
  const insert = db.prepare(`INSERT INTO probes (token, channel_id, template, tier, language, state, message_id, scheduled_at, virtual_clock, created_at)
    VALUES (@token, @channelId, @template, @tier, @language, 'scheduled', @messageId, @scheduledAt, @virtualClock, @now)`);
  const byId = db.prepare<[number], ProbeView>(`${viewSelect} WHERE p.id = ?`);
  const byToken = db.prepare<[string], ProbeView>(`${viewSelect} WHERE p.token = ?`);
  const byMessageId = db.prepare<[string], ProbeView>(`${viewSelect} WHERE p.message_id = ?`);
  const byTicket = db.prepare<[string, number], ProbeView>(`${viewSelect} WHERE p.ticket_ref = ? ORDER BY p.id DESC LIMIT ?`);
  const inStates = (states: readonly ProbeState[]) =>
    db.prepare<[], ProbeView>(`${viewSelect} WHERE p.state IN (${states.map((s) => `'${s}'`).join(',')}) ORDER BY p.id`);
  const openProbes = inStates(openStates);
  const markSending = db.prepare(
    `UPDATE probes SET state = 'sending', sending_at = @now, attempts = attempts + 1, message_id = coalesce(@messageId, message_id) WHERE id = @id AND state IN ('scheduled', 'sending')`,
  );
  // A reply stored before its probe's send time is never left earlier than that time (the runner then re-estimates it).
  const markSent = db.prepare(`UPDATE probes SET state = 'sent', sent_at = @sentAt, deadline_at = @deadlineAt, expires_at = @expiresAt,
      first_ack_at = max(first_ack_at, @sentAt), first_bot_at = max(first_bot_at, @sentAt), first_human_at = max(first_human_at, @sentAt),
      ticket_ref = coalesce(@ticketRef, ticket_ref), error_code = NULL, error_text = NULL, closed_at = NULL,
      sent_basis = @basis, copies_owed = @copiesOwed WHERE id = @id AND state IN ('scheduled', 'sending', 'send_unknown')`);
  // Only a probe not yet sent can fail: a crash or an error after the 250 never takes a sent probe back.
  const markFailed = db.prepare(`UPDATE probes SET state = @state, error_code = @code, error_text = @text, closed_at = @now,
      deadline_at = coalesce(@deadlineAt, deadline_at), expires_at = coalesce(@expiresAt, expires_at) WHERE id = @id AND state IN ('scheduled', 'sending')`);
  // A reply proved a send_unknown probe was delivered: the 250 came after sending_at (docs/decisions.md). Deadline and
  // expiry are those the runner stored for sending_at; a probe from before migration 012 takes its channel's expiry.
  const confirmDelivered =
    db.prepare(`UPDATE probes SET state = 'sent', sent_at = sending_at, sent_basis = 'reply', copies_owed = 1, error_code = NULL, error_text = NULL, closed_at = NULL,
      expires_at = coalesce(expires_at, sending_at + coalesce((SELECT json_extract(c.definition, '$.expiry') FROM channels c WHERE c.id = probes.channel_id), 604800000))
    WHERE id = @id AND state = 'send_unknown' AND sending_at IS NOT NULL`);
  const owingCopies = db.prepare<[], ProbeView>(`${viewSelect} WHERE p.copies_owed = 1 ORDER BY p.id`);
  const copiesKept = db.prepare('UPDATE probes SET copies_owed = 0 WHERE id = ?');
  // Sender addresses of a vendor's acknowledgements (a person's label wins): the helpdesk domains its replies come from.
  const ackSenders = db.prepare<
    [string],
    { from_addr: string }
  >(`SELECT DISTINCT m.from_addr FROM messages m JOIN probes p ON p.id = m.probe_id JOIN channels c ON c.id = p.channel_id
    WHERE c.vendor = ? AND m.from_addr IS NOT NULL
      AND coalesce((SELECT r.label FROM reviews r WHERE r.message_id = m.id ORDER BY r.created_at DESC, r.id DESC LIMIT 1), m.label) = 'auto_ack'
    LIMIT 200`);
  const setTimeline = db.prepare(`UPDATE probes SET first_ack_at = max(@first_ack_at, coalesce(sent_at, @first_ack_at)),
      first_bot_at = max(@first_bot_at, coalesce(sent_at, @first_bot_at)), first_human_at = max(@first_human_at, coalesce(sent_at, @first_human_at)),
      state = CASE WHEN @first_human_at IS NOT NULL AND state IN ('sent', 'expired') THEN 'answered'
                   WHEN @first_human_at IS NULL AND state = 'answered' THEN CASE WHEN expires_at <= @now THEN 'expired' ELSE 'sent' END
                   ELSE state END,
      closed_at = CASE WHEN @first_human_at IS NOT NULL AND state IN ('sent', 'expired', 'answered') THEN max(@first_human_at, coalesce(sent_at, @first_human_at))
                       WHEN @first_human_at IS NULL AND state = 'answered' THEN CASE WHEN expires_at <= @now THEN expires_at ELSE NULL END
                       ELSE closed_at END
      WHERE id = @id`);
  // The earliest candidate reply (human, or unknown that no person reviewed; human first on a tie) decides whether
  // the probe awaits review. A reply a person labelled `unknown` is no candidate: they declined to call it human.
  const reviewSince = db.prepare(`UPDATE probes SET review_since = (
      SELECT CASE WHEN c.label = 'unknown' THEN c.received_at END
      FROM (SELECT m.id, m.received_at, coalesce(r.label, m.label) AS label
            FROM messages m LEFT JOIN reviews r ON r.id = (SELECT id FROM reviews WHERE message_id = m.id ORDER BY created_at DESC, id DESC LIMIT 1)
            WHERE m.probe_id = @id AND (coalesce(r.label, m.label) = 'human' OR (m.label = 'unknown' AND r.id IS NULL))) c
      ORDER BY c.received_at, c.label = 'unknown', c.id LIMIT 1)
    WHERE id = @id`);
  // Expiry passes over a probe awaiting review (docs/decisions.md); once reviewed without a human reply it closes at its expiry.
  const expireReviewed = db.prepare(`UPDATE probes SET state = 'expired', closed_at = expires_at
    WHERE id = @id AND state = 'sent' AND first_human_at IS NULL AND review_since IS NULL AND expires_at <= @now`);
  const expireDue = db.prepare<[number], { id: number }>(
    `UPDATE probes SET state = 'expired', closed_at = expires_at WHERE state = 'sent' AND expires_at <= ? AND review_since IS NULL RETURNING id`,
  );
  const awaitingReview = db.prepare<[], AwaitingReview>(`SELECT p.id, c.vendor, c.channel, c.kind, p.state, p.sent_at, p.review_since,
      (SELECT m.id FROM messages m WHERE m.probe_id = p.id AND m.received_at = p.review_since AND m.label = 'unknown'
         AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.message_id = m.id) ORDER BY m.id LIMIT 1) AS message_id
    FROM probes p INDEXED BY probes_review JOIN channels c ON c.id = p.channel_id
    WHERE p.review_since IS NOT NULL ORDER BY p.review_since, p.id`);
  const addEvidence = db.prepare(`UPDATE probes SET evidence = json_insert(evidence, '$[#]', @path)
    WHERE id = @id AND NOT EXISTS (SELECT 1 FROM json_each(probes.evidence) WHERE value = @path)`);
  const setTicket = db.prepare('UPDATE probes SET ticket_ref = ? WHERE id = ?');
  const countSince = db.prepare<[string, number], { n: number }>(
    `SELECT count(*) AS n FROM probes p JOIN channels c ON c.id = p.channel_id WHERE c.vendor = ? AND p.scheduled_at >= ? AND p.state <> 'send_failed'`,
  );
  const countChannelSince = db.prepare<[number, number], { n: number }>(
    `SELECT count(*) AS n FROM probes WHERE channel_id = ? AND scheduled_at >= ? AND state <> 'send_failed'`,
  );
  const lastForChannel = db.prepare<[number], ProbeRow>('SELECT * FROM probes WHERE channel_id = ? ORDER BY scheduled_at DESC LIMIT 1');
  const templateLastUse = db.prepare<[number], { template: string; at: number }>(
    'SELECT template, max(scheduled_at) AS at FROM probes WHERE channel_id = ? GROUP BY template',
  );
  const recent = db.prepare<[number], ProbeView>(`${viewSelect} ORDER BY p.id DESC LIMIT ?`);
  const insertRef = db.prepare('INSERT OR IGNORE INTO probe_refs (probe_id, kind, value, domain) VALUES (@probeId, @kind, @value, @domain)');
  const refsOf = db.prepare<[number], ProbeRef>('SELECT kind, value, domain FROM probe_refs WHERE probe_id = ? ORDER BY rowid');
  const byRef = db.prepare<{ kind: string; value: string; domain: string | null; limit: number }, ProbeView>(`${viewSelect}
    WHERE p.id IN (SELECT probe_id FROM probe_refs WHERE kind = @kind AND value = @value AND (domain IS NULL OR domain = @domain)) ORDER BY p.id DESC LIMIT @limit`);

  return {
    create(probe: NewProbe): ProbeView {
      const info = insert.run({ ...probe, messageId: probe.messageId ?? null, virtualClock: probe.virtualClock ? 1 : 0, now: clock.now() });
      const id = Number(info.lastInsertRowid);
      changed('probe', id);
      const row = byId.get(id);
      if (!row) throw new Error(`probe ${id} vanished after insert`);
      return row;
    },
    get: (id: number) => byId.get(id),
    byToken: (token: string) => byToken.get(token),
    byMessageId: (messageId: string) => byMessageId.get(messageId),
    byTicket: (ticket: string) => byTicket.all(ticket, 2),
    open: () => openProbes.all(),
    inStates: (states: readonly ProbeState[]) => inStates(states).all(),
    recent: (limit: number) => recent.all(limit),
    /** Written before the channel acts, so a crash leaves evidence that a send may have happened. */
    markSending(id: number, messageId?: string): boolean {
      const ok = markSending.run({ id, now: clock.now(), messageId: messageId ?? null }).changes > 0;
      if (ok) changed('probe', id);
      return ok;
    },
    markSent(id: number, sent: SentRecord): boolean {
      const ok =
        markSent.run({
          id,
          sentAt: sent.sentAt,
          deadlineAt: sent.deadlineAt,
          expiresAt: sent.expiresAt,
          ticketRef: sent.ticketRef ?? null,
          basis: sent.basis ?? 'accepted',
          copiesOwed: sent.copiesOwed ? 1 : 0,
        }).changes > 0;
      if (ok) changed('probe', id);
      return ok;
    },
    /**
     * A probe not yet sent fails; `ifDelivered` (send_unknown) keeps the deadline and expiry it has if a reply later
     * proves it was delivered, computed for its sending_at.
     */
    markFailed(
      id: number,
      state: 'send_failed' | 'send_unknown',
      code: string,
      text: string,
      ifDelivered?: { deadlineAt: number; expiresAt: number },
    ): boolean {
      const ok =
        markFailed.run({ id, state, code, text, now: clock.now(), deadlineAt: ifDelivered?.deadlineAt ?? null, expiresAt: ifDelivered?.expiresAt ?? null })
          .changes > 0;
      if (ok) changed('probe', id);
      return ok;
    },
    /** send_unknown → sent, with sent_at = sending_at: a reply proved delivery. False when the probe is not send_unknown. */
    confirmDelivered(id: number): boolean {
      const ok = confirmDelivered.run({ id }).changes > 0;
      if (ok) changed('probe', id);
      return ok;
    },
    /** Sent probes whose evidence file or Sent copy is still to be kept. */
    owingCopies: () => owingCopies.all(),
    copiesKept(id: number): void {
      copiesKept.run(id);
    },
    /** Addresses the vendor's acknowledgements came from. */
    ackSenders: (vendor: string) => ackSenders.all(vendor).map((r) => r.from_addr),
    /** Also recomputes whether the probe awaits review (review_since) from its messages and reviews. */
    setTimeline(id: number, timeline: Timeline): void {
      const now = clock.now();
      db.transaction(() => {
        setTimeline.run({ id, ...timeline, now });
        reviewSince.run({ id });
        expireReviewed.run({ id, now });
      })();
      changed('probe', id);
    },
    /** Censors every sent probe whose expiry has passed, except those awaiting review; returns their ids. */
    expireDue(now = clock.now()): number[] {
      const ids = expireDue.all(now).map((r) => r.id);
      for (const id of ids) changed('probe', id);
      return ids;
    },
    /** Probes awaiting a person's review, longest waiting first, with the reply to label. */
    awaitingReview: () => awaitingReview.all(),
    addEvidence(id: number, path: string): void {
      addEvidence.run({ id, path });
    },
    setTicket(id: number, ticket: string): void {
      setTicket.run(ticket, id);
      changed('probe', id);
    },
    /** Adds helpdesk references to a probe (ones it has are kept). */
    addRefs(id: number, refs: readonly ProbeRef[]): void {
      for (const ref of refs) insertRef.run({ probeId: id, kind: ref.kind, value: ref.value, domain: ref.domain ?? null });
    },
    refs: (id: number) => refsOf.all(id),
    /** Probes holding this reference (at most two: one is a match, two a guess); subject tags only from their own domain. */
    byRef: (kind: ProbeRef['kind'], value: string, domain?: string) => byRef.all({ kind, value, domain: domain ?? null, limit: 2 }),
    countForVendorSince: (vendor: string, since: number) => countSince.get(vendor, since)?.n ?? 0,
    countForChannelSince: (channelId: number, since: number) => countChannelSince.get(channelId, since)?.n ?? 0,
    lastForChannel: (channelId: number) => lastForChannel.get(channelId),
    templateLastUse: (channelId: number) => new Map(templateLastUse.all(channelId).map((r) => [r.template, r.at])),
  };
}
