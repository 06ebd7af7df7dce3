// Queries of the messages table: every reply (matched or not), with its clocks and classification.
import type { Db, Changed } from './db.ts';
import type { Clock } from '../core/clock.ts';
import type { MessageLabel } from '../core/labels.ts';

export interface MessageRow {
  id: number;
  probe_id: number | null;
  source: 'imap' | 'chat' | 'manual';
  mailbox: string | null;
  folder: string | null;
  uidvalidity: number | null;
  uid: number | null;
  message_id: string | null;
  in_reply_to: string | null;
  subject: string | null;
  from_addr: string | null;
  received_at: number;
  detected_at: number;
  header_date: number | null;
  raw_path: string | null;
  raw_sha256: string | null;
  size: number | null;
  headers: string | null;
  body_text: string | null;
  label: MessageLabel;
  confidence: number;
  reasons: string;
  match_method: string | null;
  parse_error: string | null;
  /** 1 when only the first max_message_bytes of the message were fetched and stored (migration 011). */
  truncated: number;
  created_at: number;
}

/** A message with the label a person gave it, if any; metrics use `effective_label`. */
export interface MessageWithReview extends MessageRow {
  review_label: MessageLabel | null;
  effective_label: MessageLabel;
}

export type NewMessage = Omit<MessageRow, 'id' | 'created_at' | 'truncated'> & { truncated?: 0 | 1 };

const withReview = `SELECT m.*, r.label AS review_label, coalesce(r.label, m.label) AS effective_label FROM messages m
  LEFT JOIN reviews r ON r.id = (SELECT id FROM reviews WHERE message_id = m.id ORDER BY created_at DESC, id DESC LIMIT 1)`;

export function messageQueries(db: Db, clock: Clock, changed: Changed) {
  const insert = db.prepare(`INSERT INTO messages (probe_id, source, mailbox, folder, uidvalidity, uid, message_id, in_reply_to, subject, from_addr,
      received_at, detected_at, header_date, raw_path, raw_sha256, size, headers, body_text, label, confidence, reasons, match_method, parse_error, truncated, created_at)
    VALUES (@probe_id, @source, @mailbox, @folder, @uidvalidity, @uid, @message_id, @in_reply_to, @subject, @from_addr,
      @received_at, @detected_at, @header_date, @raw_path, @raw_sha256, @size, @headers, @body_text, @label, @confidence, @reasons, @match_method, @parse_error, @truncated, @created_at)
    ON CONFLICT (mailbox, folder, uidvalidity, uid) DO NOTHING`);
  const byId = db.prepare<[number], MessageWithReview>(`${withReview} WHERE m.id = ?`);
  const forProbe = db.prepare<[number], MessageWithReview>(`${withReview} WHERE m.probe_id = ? ORDER BY m.received_at, m.id`);
  const byImapKey = db.prepare<[string, string, number, number], { id: number }>(
    'SELECT id FROM messages WHERE mailbox = ? AND folder = ? AND uidvalidity = ? AND uid = ?',
  );
  const unmatched = db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE probe_id IS NULL ORDER BY received_at DESC LIMIT ?');
  const attach = db.prepare('UPDATE messages SET probe_id = ?, match_method = ? WHERE id = ?');
  const relabel = db.prepare('UPDATE messages SET label = @label, confidence = @confidence, reasons = @reasons WHERE id = @id');
  const reviewQueue = db.prepare<[number, number], MessageWithReview>(
    `${withReview} WHERE r.id IS NULL AND (m.confidence < ? OR m.label = 'unknown') ORDER BY m.received_at DESC LIMIT ?`,
  );
  const unconfirmedCount = db.prepare<[], { n: number }>(
    `SELECT count(*) AS n FROM messages m WHERE m.probe_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.message_id = m.id)`,
  );

  return {
    /** Inserts a message; returns its id, or undefined when that IMAP message was stored before. */
    insert(message: NewMessage): number | undefined {
      const info = insert.run({ ...message, truncated: message.truncated ?? 0, created_at: clock.now() });
      if (info.changes === 0) return undefined;
      const id = Number(info.lastInsertRowid);
      changed('message', id);
      return id;
    },
    get: (id: number) => byId.get(id),
    forProbe: (probeId: number) => forProbe.all(probeId),
    existsImap: (mailbox: string, folder: string, uidvalidity: number, uid: number) => byImapKey.get(mailbox, folder, uidvalidity, uid) !== undefined,
    unmatched: (limit = 100) => unmatched.all(limit),
    attach(id: number, probeId: number, method: string): void {
      attach.run(probeId, method, id);
      changed('message', id);
    },
    relabel(id: number, label: MessageLabel, confidence: number, reasons: string[]): void {
      relabel.run({ id, label, confidence, reasons: JSON.stringify(reasons) });
      changed('message', id);
    },
    reviewQueue: (maxConfidence = 0.75, limit = 100) => reviewQueue.all(maxConfidence, limit),
    unconfirmedCount: () => unconfirmedCount.get()?.n ?? 0,
  };
}
