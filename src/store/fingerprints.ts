// Queries of template_fingerprints: which reply skeletons each vendor has sent before.
import type { Db } from './db.ts';
import type { Clock } from '../core/clock.ts';
import type { MessageLabel } from './messages.ts';

export function fingerprintQueries(db: Db, clock: Clock) {
  const known = db.prepare<[string], { fingerprint: string; last_label: MessageLabel }>("SELECT fingerprint, last_label FROM template_fingerprints WHERE vendor = ? AND confirmed_human = 0");
  const record = db.prepare(`INSERT INTO template_fingerprints (vendor, fingerprint, seen, first_seen_at, last_seen_at, last_label)
    VALUES (@vendor, @fingerprint, 1, @at, @at, @label)
    ON CONFLICT (vendor, fingerprint) DO UPDATE SET seen = seen + 1, last_seen_at = @at, last_label = @label`);
  const review = db.prepare(`INSERT INTO template_fingerprints (vendor, fingerprint, seen, first_seen_at, last_seen_at, last_label, confirmed_human)
    VALUES (@vendor, @fingerprint, 1, @at, @at, @label, @human)
    ON CONFLICT (vendor, fingerprint) DO UPDATE SET last_label = @label, confirmed_human = @human`);
  return {
    /** Skeletons seen from this vendor before (a person writes the same long text twice rarely), minus those a person vouched for. */
    known: (vendor: string): Set<string> => new Set(known.all(vendor).map((r) => r.fingerprint)),
    /** The same skeletons with the label they last had (a person's, after a review). */
    templates: (vendor: string): Map<string, MessageLabel> => new Map(known.all(vendor).map((r) => [r.fingerprint, r.last_label])),
    record(vendor: string, fingerprint: string, label: MessageLabel): void {
      record.run({ vendor, fingerprint, label, at: clock.now() });
    },
    /**
     * A person's review of a message with this skeleton, remembered even if the classifier never recorded it:
     * a confirmed human skeleton stops counting as a template, any other label makes it one.
     */
    review(vendor: string, fingerprint: string, label: MessageLabel): void {
      review.run({ vendor, fingerprint, label, human: label === 'human' ? 1 : 0, at: clock.now() });
    },
  };
}
