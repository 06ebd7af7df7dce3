// Queries of template_fingerprints: which reply skeletons each vendor has sent before.
import type { Db } from './db.ts';
import type { Clock } from '../core/clock.ts';
import type { MessageLabel } from './messages.ts';

export function fingerprintQueries(db: Db, clock: Clock) {
  const known = db.prepare<[string], { fingerprint: string }>("SELECT fingerprint FROM template_fingerprints WHERE vendor = ? AND confirmed_human = 0");
  const record = db.prepare(`INSERT INTO template_fingerprints (vendor, fingerprint, seen, first_seen_at, last_seen_at, last_label)
    VALUES (@vendor, @fingerprint, 1, @at, @at, @label)
    ON CONFLICT (vendor, fingerprint) DO UPDATE SET seen = seen + 1, last_seen_at = @at, last_label = @label`);
  const review = db.prepare('UPDATE template_fingerprints SET last_label = ?, confirmed_human = ? WHERE vendor = ? AND fingerprint = ?');
  return {
    /** Skeletons seen from this vendor before (a person writes the same long text twice rarely), minus those a person vouched for. */
    known: (vendor: string): Set<string> => new Set(known.all(vendor).map((r) => r.fingerprint)),
    record(vendor: string, fingerprint: string, label: MessageLabel): void {
      record.run({ vendor, fingerprint, label, at: clock.now() });
    },
    /** A person's review of a message with this skeleton: a confirmed human skeleton stops counting as a template. */
    review(vendor: string, fingerprint: string, label: MessageLabel): void {
      review.run(label, label === 'human' ? 1 : 0, vendor, fingerprint);
    },
  };
}
