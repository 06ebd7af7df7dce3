// Queries of reviews: a person's label for a message, which overrides the classifier everywhere.
import type { Db, Changed } from './db.ts';
import type { Clock } from '../core/clock.ts';
import type { MessageLabel } from '../core/labels.ts';

interface ReviewRow {
  id: number;
  message_id: number;
  label: MessageLabel;
  reviewer: string;
  note: string | null;
  created_at: number;
}

export function reviewQueries(db: Db, clock: Clock, changed: Changed) {
  const insert = db.prepare('INSERT INTO reviews (message_id, label, reviewer, note, created_at) VALUES (?, ?, ?, ?, ?)');
  const forMessage = db.prepare<[number], ReviewRow>('SELECT * FROM reviews WHERE message_id = ? ORDER BY created_at, id');
  return {
    add(messageId: number, label: MessageLabel, reviewer: string, note?: string): number {
      const id = Number(insert.run(messageId, label, reviewer, note ?? null, clock.now()).lastInsertRowid);
      changed('message', messageId);
      return id;
    },
    forMessage: (messageId: number) => forMessage.all(messageId),
  };
}
