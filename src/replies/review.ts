// A person's review of a message: the label wins over the classifier's, teaches the template memory and moves the timeline.
import type { Store } from '../store/db.ts';
import type { MessageLabel } from '../core/labels.ts';
import { rememberReview } from './template-memory.ts';
import { refreshTimeline } from './record.ts';

/** A person's final word on a message's label; the probe's timeline follows it. */
export function reviewMessage(store: Store, messageId: number, label: MessageLabel, reviewer: string, note?: string): void {
  store.transaction(() => {
    const message = store.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId}`);
    store.reviews.add(messageId, label, reviewer, note);
    rememberReview(store, message, label);
    if (message.probe_id !== null) refreshTimeline(store, message.probe_id);
  });
}
