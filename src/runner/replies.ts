// Records an incoming message and moves its probe's timeline (first ack / bot / human, answered).
import type { Store } from '../store/db.ts';
import type { NewMessage, MessageLabel } from '../store/messages.ts';
import { timelineOf } from './timeline.ts';
import { rememberReview } from '../classify/remember.ts';

/** Recomputes a probe's timeline from its messages' effective labels (a person's review wins). */
export function refreshTimeline(store: Store, probeId: number): void {
  const sentAt = store.probes.get(probeId)?.sent_at ?? null;
  store.probes.setTimeline(probeId, timelineOf(store.messages.forProbe(probeId), sentAt));
}

/** Stores a message once; returns its id, or undefined when it was stored before. */
export function recordMessage(store: Store, message: NewMessage): number | undefined {
  return store.transaction(() => {
    const id = store.messages.insert(message);
    if (id !== undefined && message.probe_id !== null) refreshTimeline(store, message.probe_id);
    return id;
  });
}

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
