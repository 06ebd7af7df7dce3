// Pure: when a reply arrived, as an interval its clock allows, and the duration from a send to it (midpoint, never negative).

/** Where a reply's received_at comes from. */
export type ReplySource = 'imap' | 'chat' | 'manual';

/** How coarse each source's received_at is: IMAP INTERNALDATE has whole seconds; the chat observer and a person's entry are taken as exact. */
export const clockResolutionMs: Readonly<Record<ReplySource, number>> = { imap: 1000, chat: 0, manual: 0 };

/** The instants a reply may have arrived at: [earliest, latest], both ms since the epoch. */
interface ArrivalBounds {
  earliest: number;
  latest: number;
}

/** A duration within its bounds; `ms` is the reported figure, the midpoint. */
interface BoundedDuration {
  ms: number;
  lowMs: number;
  highMs: number;
}

/**
 * A reply stamped `receivedAt` by a clock of `resolutionMs` arrived in [receivedAt, receivedAt + resolution], and not
 * after we saw it (`detectedAt`).
 */
export function arrivalBounds(receivedAt: number, resolutionMs: number, detectedAt: number): ArrivalBounds {
  const latest = Math.max(receivedAt, Math.min(receivedAt + resolutionMs, detectedAt));
  return { earliest: receivedAt, latest };
}

export function replyArrival(reply: { source: ReplySource; received_at: number; detected_at: number }): ArrivalBounds {
  return arrivalBounds(reply.received_at, clockResolutionMs[reply.source], reply.detected_at);
}

/** An instant known to the millisecond. */
export const exactly = (at: number): ArrivalBounds => ({ earliest: at, latest: at });

/**
 * From a send to a reply: a reply cannot precede its probe, so the arrival interval is cut at `sentAt`, and the
 * midpoint of what remains is reported. When the whole interval lies before the send (clocks disagree by more
 * than the resolution) the duration is 0, not negative.
 */
export function durationBetween(sentAt: number, arrival: ArrivalBounds): BoundedDuration {
  const lowMs = Math.max(0, arrival.earliest - sentAt);
  const highMs = Math.max(lowMs, arrival.latest - sentAt);
  return { ms: Math.floor((lowMs + highMs) / 2), lowMs, highMs };
}

/** The instant a reply is taken to have arrived: the send plus the reported duration, or the interval's midpoint before a send time is known. */
export function arrivalEstimate(sentAt: number | null, arrival: ArrivalBounds): number {
  if (sentAt === null) return arrival.earliest + Math.floor((arrival.latest - arrival.earliest) / 2);
  return sentAt + durationBetween(sentAt, arrival).ms;
}

/** Elapsed time from `sentAt` to an instant already estimated by `arrivalEstimate` (or a censoring point): never negative. */
export function elapsedMs(sentAt: number, at: number): number {
  return Math.max(0, at - sentAt);
}
