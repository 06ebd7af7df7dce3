// The classifier with a memory: passes the vendor's known template fingerprints in and records the new one.
import type { Store } from '../store/db.ts';
import type { Classification, ParsedMail, ReplyContext } from './types.ts';
import { classifyEmail } from './classify-email.ts';

/** Classifies a reply knowing the vendor's earlier templates, then remembers this reply's skeleton. */
export function classifyAndRemember(store: Store, mail: ParsedMail, ctx: ReplyContext): Classification {
  const vendor = ctx.vendor ?? mail.from?.address.split('@')[1];
  if (!vendor) return classifyEmail(mail, ctx);
  const result = classifyEmail(mail, { ...ctx, vendor, knownFingerprints: store.fingerprints.known(vendor) });
  if (result.fingerprint) store.fingerprints.record(vendor, result.fingerprint, result.label);
  return result;
}
