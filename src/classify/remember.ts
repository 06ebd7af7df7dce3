// The classifier with a memory: passes the vendor's known template fingerprints in and records the new one.
import type { Store } from '../store/db.ts';
import type { MessageLabel, MessageRow } from '../store/messages.ts';
import type { Classification, ParsedMail, ReplyContext } from './types.ts';
import { classifyEmail } from './classify-email.ts';
import { replyFingerprint } from './fingerprint.ts';
import { replyPace } from './timing.ts';

/** Classifies a reply knowing the vendor's earlier templates, then remembers this reply's skeleton and its pace. */
export function classifyAndRemember(store: Store, mail: ParsedMail, ctx: ReplyContext): Classification {
  const vendor = ctx.vendor ?? mail.from?.address.split('@')[1];
  if (!vendor) return classifyEmail(mail, ctx);
  const context: ReplyContext = { ...ctx, vendor, templates: store.fingerprints.templates(vendor) };
  const result = classifyEmail(mail, context);
  if (result.fingerprint) store.fingerprints.record(vendor, result.fingerprint, result.label, replyPace(context));
  return result;
}

/**
 * A person's label teaches the vendor's template memory: a skeleton relabelled as automatic is recognised the next
 * time it arrives, one confirmed as a person's stops counting as a template. Only e-mail has skeletons worth keeping.
 */
export function rememberReview(store: Store, message: Pick<MessageRow, 'probe_id' | 'source' | 'from_addr' | 'body_text'>, label: MessageLabel): void {
  if (message.source !== 'imap' || !message.body_text || label === 'unknown') return;
  const vendor = (message.probe_id !== null ? store.probes.get(message.probe_id)?.vendor : undefined) ?? message.from_addr?.split('@')[1];
  const print = replyFingerprint(message.body_text);
  if (vendor && print) store.fingerprints.review(vendor, print, label);
}
