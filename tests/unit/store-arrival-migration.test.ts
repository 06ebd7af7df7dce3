// Migration 009 re-estimates reply instants stored as raw INTERNALDATEs, which could precede the send.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import { arrivalEstimate, replyArrival } from '../../src/core/instant.ts';
import { migrate, openStore } from '../../src/store/db.ts';

describe('migration 009', () => {
  it('moves first_*_at of stored probes to the arrival estimate, never before sent_at', () => {
    const clock = new ManualClock();
    const store = openStore(':memory:', clock);
    const { db } = store;
    const sentAt = clock.now() + 700;
    db.exec(`INSERT INTO vendors (slug, name, visibility, timezone, definition, updated_at) VALUES ('acme', 'Acme', 'public', 'UTC', '{}', 0);
      INSERT INTO channels (id, vendor, channel, kind, definition, updated_at) VALUES (1, 'acme', 'email', 'email', '{}', 0);`);
    // As stored before: the raw INTERNALDATE of an ack in the send's own second, and of a human reply reviewed as such.
    db.prepare(`INSERT INTO probes (id, token, channel_id, template, tier, state, sent_at, first_ack_at, first_human_at, closed_at, scheduled_at, created_at)
      VALUES (1, 'FR-AAAAAAAAAA', 1, 't', 'P3', 'answered', @sentAt, @ack, @human, @human, @sentAt, 0)`).run({
      sentAt,
      ack: sentAt - 700,
      human: sentAt + 59_300,
    });
    const insert = db.prepare(
      `INSERT INTO messages (probe_id, source, received_at, detected_at, label, confidence, created_at) VALUES (1, 'imap', ?, ?, ?, 1, 0)`,
    );
    const ack = { source: 'imap' as const, received_at: sentAt - 700, detected_at: sentAt + 600 };
    const human = { source: 'imap' as const, received_at: sentAt + 59_300, detected_at: sentAt + 64_000 };
    insert.run(ack.received_at, ack.detected_at, 'auto_ack');
    const unknown = insert.run(human.received_at, human.detected_at, 'unknown');
    db.prepare(`INSERT INTO reviews (message_id, label, reviewer, created_at) VALUES (?, 'human', 'anna', 0)`).run(Number(unknown.lastInsertRowid));

    db.exec(`DELETE FROM schema_migrations WHERE version = 9; DROP TABLE probe_refs;`);
    expect(migrate(db, clock.now())).toEqual([9]);
    const probe = store.probes.get(1);
    expect(probe?.first_ack_at).toBe(arrivalEstimate(sentAt, replyArrival(ack)));
    expect(probe?.first_ack_at).toBe(sentAt + 150);
    expect(probe?.first_human_at).toBe(arrivalEstimate(sentAt, replyArrival(human)));
    expect(probe?.first_human_at).toBe(sentAt + 59_800);
    expect(probe?.closed_at).toBe(probe?.first_human_at);
    store.close();
  });
});
