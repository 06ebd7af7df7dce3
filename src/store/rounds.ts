// Queries of conversation_rounds: our follow-ups in a probe's thread, written before sending, and the replies to them.
import type { Db, Changed } from './db.ts';

export type RoundState = 'waiting' | 'sending' | 'sent' | 'send_failed' | 'send_unknown' | 'refused';

export interface RoundRow {
  id: number;
  probe_id: number;
  round: number;
  question_message_id: number;
  intents: string;
  state: RoundState;
  reason: string | null;
  message_id: string | null;
  to_addr: string | null;
  subject: string | null;
  body: string | null;
  asked_at: number;
  decided_at: number;
  due_at: number | null;
  sending_at: number | null;
  sent_at: number | null;
  reply_message_id: number | null;
  reply_at: number | null;
}

interface NewRound {
  probeId: number;
  round: number;
  questionMessageId: number;
  intents: readonly string[];
  state: 'waiting' | 'sending' | 'refused';
  reason?: string | undefined;
  messageId?: string | undefined;
  to?: string | undefined;
  subject?: string | undefined;
  body?: string | undefined;
  askedAt: number;
  decidedAt: number;
  dueAt?: number | undefined;
}

/** Follow-ups that reached, or may have reached, the vendor: they count against the rate caps. */
const counted = `r.state IN ('sending', 'sent', 'send_unknown')`;

export function roundQueries(db: Db, changed: Changed) {
  const insert =
    db.prepare(`INSERT INTO conversation_rounds (probe_id, round, question_message_id, intents, state, reason, message_id, to_addr, subject, body, asked_at, decided_at, due_at, sending_at)
    VALUES (@probeId, @round, @questionMessageId, @intents, @state, @reason, @messageId, @to, @subject, @body, @askedAt, @decidedAt, @dueAt, CASE WHEN @state = 'sending' THEN @decidedAt END)
    ON CONFLICT (question_message_id) DO NOTHING`);
  const byId = db.prepare<[number], RoundRow>('SELECT * FROM conversation_rounds WHERE id = ?');
  const forProbe = db.prepare<[number], RoundRow>('SELECT * FROM conversation_rounds WHERE probe_id = ? ORDER BY round, id');
  const byQuestion = db.prepare<[number], RoundRow>('SELECT * FROM conversation_rounds WHERE question_message_id = ?');
  const inState = db.prepare<[string], RoundRow>('SELECT * FROM conversation_rounds WHERE state = ? ORDER BY id');
  const probeOfMessageId = db.prepare<[string], { probe_id: number }>('SELECT probe_id FROM conversation_rounds WHERE message_id = ?');
  const start = db.prepare(`UPDATE conversation_rounds SET state = 'sending', sending_at = @at, to_addr = @to, subject = @subject, due_at = NULL
    WHERE id = @id AND state = 'waiting'`);
  const finish = db.prepare(
    `UPDATE conversation_rounds SET state = @state, sent_at = @sentAt, reason = coalesce(@reason, reason) WHERE id = @id AND state IN ('sending', 'send_unknown')`,
  );
  const refuse = db.prepare(`UPDATE conversation_rounds SET state = 'refused', reason = @reason, due_at = NULL WHERE id = @id AND state = 'waiting'`);
  const postpone = db.prepare(`UPDATE conversation_rounds SET due_at = @dueAt, reason = @reason WHERE id = @id AND state = 'waiting'`);
  const setReply = db.prepare(`UPDATE conversation_rounds SET reply_message_id = @messageId, reply_at = @at WHERE id = @id AND reply_message_id IS NULL`);
  const countVendor = db.prepare<[string, number], { n: number }>(`SELECT count(*) AS n FROM conversation_rounds r JOIN probes p ON p.id = r.probe_id
    JOIN channels c ON c.id = p.channel_id WHERE c.vendor = ? AND r.sending_at >= ? AND ${counted}`);
  const countChannel = db.prepare<[number, number], { n: number }>(`SELECT count(*) AS n FROM conversation_rounds r JOIN probes p ON p.id = r.probe_id
    WHERE p.channel_id = ? AND r.sending_at >= ? AND ${counted}`);

  const touched = (id: number): void => {
    const row = byId.get(id);
    if (row) changed('probe', row.probe_id);
  };

  return {
    /** Stores a decided round once per question; undefined when that question already has one. */
    insert(round: NewRound): RoundRow | undefined {
      const result = insert.run({
        probeId: round.probeId,
        round: round.round,
        questionMessageId: round.questionMessageId,
        intents: JSON.stringify(round.intents),
        state: round.state,
        reason: round.reason ?? null,
        messageId: round.messageId ?? null,
        to: round.to ?? null,
        subject: round.subject ?? null,
        body: round.body ?? null,
        askedAt: round.askedAt,
        decidedAt: round.decidedAt,
        dueAt: round.dueAt ?? null,
      });
      if (result.changes === 0) return undefined;
      changed('probe', round.probeId);
      return byId.get(Number(result.lastInsertRowid));
    },
    get: (id: number) => byId.get(id),
    forProbe: (probeId: number) => forProbe.all(probeId),
    byQuestion: (messageId: number) => byQuestion.get(messageId),
    inState: (state: RoundState) => inState.all(state),
    /** The probe whose follow-up carried this Message-ID (a reply threading on it belongs to that probe). */
    probeOfMessageId: (messageId: string) => probeOfMessageId.get(messageId)?.probe_id,
    /** A waiting round goes out now, to `to` under `subject`; false when it is no longer waiting. */
    start(id: number, at: number, to: string, subject: string): boolean {
      const ok = start.run({ id, at, to, subject }).changes > 0;
      if (ok) touched(id);
      return ok;
    },
    finish(id: number, state: 'sent' | 'send_failed' | 'send_unknown', sentAt: number | null, reason?: string): void {
      finish.run({ id, state, sentAt, reason: reason ?? null });
      touched(id);
    },
    refuse(id: number, reason: string): void {
      refuse.run({ id, reason });
      touched(id);
    },
    postpone: (id: number, dueAt: number, reason: string) => {
      postpone.run({ id, dueAt, reason });
    },
    setReply(id: number, messageId: number, at: number): void {
      if (setReply.run({ id, messageId, at }).changes > 0) touched(id);
    },
    countForVendorSince: (vendor: string, since: number) => countVendor.get(vendor, since)?.n ?? 0,
    countForChannelSince: (channelId: number, since: number) => countChannel.get(channelId, since)?.n ?? 0,
  };
}
