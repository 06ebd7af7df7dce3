// The classifier with a memory: passes the vendor's known template fingerprints in and records the new one.
import type { Store } from '../store/db.ts';
import type { MessageLabel } from '../core/labels.ts';
import type { MessageRow } from '../store/messages.ts';
import type { Classification, ParsedMail, ReplyContext } from '../classify/types.ts';
import { classifyEmail } from '../classify/classify-email.ts';
import { replyFingerprint } from '../classify/fingerprint.ts';
import { replyPace } from '../classify/timing.ts';

/** Classifies a reply knowing the vendor's earlier templates, then remembers this reply's skeleton and its pace. */
export function classifyAndRemember(store: Store, mail: ParsedMail, ctx: ReplyContext): Classification {
  const context = withTemplateMemory(store, mail, ctx);
  const result = classifyEmail(mail, context);
  rememberTemplate(store, context, result);
  return result;
}

/** The same, with the classification itself done elsewhere (a worker thread): the store is read before and written after. */
export async function classifyElsewhereAndRemember(
  store: Store,
  mail: ParsedMail,
  ctx: ReplyContext,
  classify: (mail: ParsedMail, ctx: ReplyContext) => Promise<Classification>,
): Promise<Classification> {
  const context = withTemplateMemory(store, mail, ctx);
  const result = await classify(mail, context);
  rememberTemplate(store, context, result);
  return result;
}

/** The context with the vendor (the sender's domain when unmatched) and its template memory. */
function withTemplateMemory(store: Store, mail: ParsedMail, ctx: ReplyContext): ReplyContext {
  const vendor = ctx.vendor ?? mail.from?.address.split('@')[1];
  return vendor ? { ...ctx, vendor, templates: store.fingerprints.templates(vendor) } : ctx;
}

function rememberTemplate(store: Store, ctx: ReplyContext, result: Classification): void {
  if (ctx.vendor && result.fingerprint) store.fingerprints.record(ctx.vendor, result.fingerprint, result.label, replyPace(ctx));
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
