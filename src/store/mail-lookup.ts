// Queries the e-mail watcher needs beyond the messages table's own: copies of a message, and the probe a thread belongs to.
import type { Db } from './db.ts';

export function mailLookupQueries(db: Db) {
  const byHash = db.prepare<[string, string], { id: number }>('SELECT id FROM messages WHERE mailbox = ? AND raw_sha256 = ? LIMIT 1');
  const threadProbe = db.prepare<[string], { probe_id: number }>(
    'SELECT probe_id FROM messages WHERE message_id = ? AND probe_id IS NOT NULL ORDER BY id LIMIT 1',
  );
  const progressAt = db.prepare<[string, string], { updated_at: number }>('SELECT updated_at FROM mailbox_state WHERE mailbox = ? AND folder = ?');
  return {
    /** When the watcher last recorded progress in a folder. */
    progressAt: (mailbox: string, folder: string) => progressAt.get(mailbox, folder)?.updated_at,
    /** A message with these exact bytes was already stored for this mailbox (e.g. before a UIDVALIDITY change). */
    storedCopy: (mailbox: string, sha256: string) => byHash.get(mailbox, sha256)?.id,
    /** The probe of an earlier reply with this Message-ID, so an answer to the vendor's own acknowledgement still matches. */
    probeOfMessage: (messageId: string) => threadProbe.get(messageId)?.probe_id,
  };
}
