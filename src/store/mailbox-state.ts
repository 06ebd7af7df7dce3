// Queries of mailbox_state: the last UID seen per mailbox folder, for catch-up after a reconnect.
import type { Db } from './db.ts';
import type { Clock } from '../core/clock.ts';

interface MailboxState {
  uidvalidity: number;
  last_uid: number;
}

export function mailboxStateQueries(db: Db, clock: Clock) {
  const get = db.prepare<[string, string], MailboxState>('SELECT uidvalidity, last_uid FROM mailbox_state WHERE mailbox = ? AND folder = ?');
  const put = db.prepare(`INSERT INTO mailbox_state (mailbox, folder, uidvalidity, last_uid, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (mailbox, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity,
      last_uid = CASE WHEN mailbox_state.uidvalidity = excluded.uidvalidity THEN max(mailbox_state.last_uid, excluded.last_uid) ELSE excluded.last_uid END,
      updated_at = excluded.updated_at`);
  return {
    get: (mailbox: string, folder: string) => get.get(mailbox, folder),
    /** Records progress; never moves last_uid backwards within one UIDVALIDITY. */
    put: (mailbox: string, folder: string, uidvalidity: number, lastUid: number) => {
      put.run(mailbox, folder, uidvalidity, lastUid, clock.now());
    },
  };
}
