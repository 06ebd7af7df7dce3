// Queries of template_fingerprints: which reply skeletons each vendor has sent before, and at what pace.
import type { Db } from './db.ts';
import type { Clock } from '../core/clock.ts';
import type { MessageLabel } from '../core/labels.ts';

/** What the vendor's memory holds about one skeleton. */
export interface TemplateMemory {
  label: MessageLabel;
  seen: number;
  /** Times it arrived under the fast-reply threshold after our probe (machine pace). */
  fastSeen: number;
  /** Times it arrived later than that (a person's pace, e.g. an agent's saved reply). */
  pacedSeen: number;
}

/** How soon after our probe a reply arrived: `fast`, `paced`, or unknown (no probe, no send time). */
type ReplyPace = 'fast' | 'paced' | undefined;

interface Row {
  fingerprint: string;
  last_label: MessageLabel;
  seen: number;
  fast_seen: number;
  paced_seen: number;
}

export function fingerprintQueries(db: Db, clock: Clock) {
  const known = db.prepare<[string], Row>(
    'SELECT fingerprint, last_label, seen, fast_seen, paced_seen FROM template_fingerprints WHERE vendor = ? AND confirmed_human = 0',
  );
  const record = db.prepare(`INSERT INTO template_fingerprints (vendor, fingerprint, seen, first_seen_at, last_seen_at, last_label, fast_seen, paced_seen)
    VALUES (@vendor, @fingerprint, 1, @at, @at, @label, @fast, @paced)
    ON CONFLICT (vendor, fingerprint) DO UPDATE SET seen = seen + 1, last_seen_at = @at, last_label = @label,
      fast_seen = fast_seen + @fast, paced_seen = paced_seen + @paced`);
  const review = db.prepare(`INSERT INTO template_fingerprints (vendor, fingerprint, seen, first_seen_at, last_seen_at, last_label, confirmed_human)
    VALUES (@vendor, @fingerprint, 1, @at, @at, @label, @human)
    ON CONFLICT (vendor, fingerprint) DO UPDATE SET last_label = @label, confirmed_human = @human`);
  return {
    /** Skeletons seen from this vendor before (a person writes the same long text twice rarely), minus those a person vouched for. */
    known: (vendor: string): Set<string> => new Set(known.all(vendor).map((r) => r.fingerprint)),
    /** The same skeletons with the label they last had (a person's, after a review) and the pace they came at. */
    templates: (vendor: string): Map<string, TemplateMemory> =>
      new Map(
        known.all(vendor).map((r) => [
          r.fingerprint,
          {
            label: r.last_label,
            seen: r.seen,
            fastSeen: r.fast_seen,
            pacedSeen: r.paced_seen,
          },
        ]),
      ),
    record(vendor: string, fingerprint: string, label: MessageLabel, pace?: ReplyPace): void {
      record.run({ vendor, fingerprint, label, at: clock.now(), fast: pace === 'fast' ? 1 : 0, paced: pace === 'paced' ? 1 : 0 });
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
