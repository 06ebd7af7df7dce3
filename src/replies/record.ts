// Records an incoming message and moves its probe's timeline (first ack / bot / human, answered); a reply that proves delivery upgrades a send_unknown probe.
import type { Store } from '../store/db.ts';
import type { NewMessage } from '../store/messages.ts';
import { timelineOf } from './timeline.ts';
import { refreshQuality } from './quality.ts';

/** Recomputes a probe's timeline from its messages' effective labels (a person's review wins), then its answer quality. */
export function refreshTimeline(store: Store, probeId: number): void {
  const sentAt = store.probes.get(probeId)?.sent_at ?? null;
  store.probes.setTimeline(probeId, timelineOf(store.messages.forProbe(probeId), sentAt));
  refreshQuality(store, probeId);
}

interface RecordOptions {
  /** The message answers the probe (threaded, or quoting its token from the vendor): the probe was delivered. */
  provesDelivery?: boolean;
}

/**
 * Stores a message once; returns its id, or undefined when it was stored before. A message proving delivery of a
 * send_unknown probe makes it sent, dated sending_at (docs/decisions.md), so it counts again.
 */
export function recordMessage(store: Store, message: NewMessage, options: RecordOptions = {}): number | undefined {
  return store.transaction(() => {
    const id = store.messages.insert(message);
    if (id === undefined || message.probe_id === null) return id;
    if (options.provesDelivery) store.probes.confirmDelivered(message.probe_id);
    refreshTimeline(store, message.probe_id);
    return id;
  });
}
