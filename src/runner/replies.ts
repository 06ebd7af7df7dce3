// Records an incoming message and moves its probe's timeline (first ack / bot / human, answered); a reply that proves delivery upgrades a send_unknown probe.
import { z } from 'zod';
import type { Store } from '../store/db.ts';
import type { NewMessage, MessageLabel } from '../store/messages.ts';
import type { Settings } from '../config/schema.ts';
import { timelineOf } from './timeline.ts';
import { rememberReview } from '../classify/remember.ts';
import { vendorReplyDomains, type MatchJudgement, type SenderTrust } from '../watch/match.ts';

/** Recomputes a probe's timeline from its messages' effective labels (a person's review wins). */
export function refreshTimeline(store: Store, probeId: number): void {
  const sentAt = store.probes.get(probeId)?.sent_at ?? null;
  store.probes.setTimeline(probeId, timelineOf(store.messages.forProbe(probeId), sentAt));
}

export interface RecordOptions {
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

/** The label a judged match is recorded with instead of the classifier's: our own copy is `system`, a doubtful one `unknown` for review. */
export function judgedVerdict(judgement: MatchJudgement | undefined): { label: MessageLabel; confidence: number; reasons: string[] } | undefined {
  if (judgement?.kind === 'own_copy') return { label: 'system', confidence: 1, reasons: ["our own probe (its Message-ID), not a reply"] };
  if (judgement?.kind === 'review') return { label: 'unknown', confidence: 0, reasons: [`review: ${judgement.reason}`] };
  return undefined;
}

const vendorDomainFields = z.object({ reply_domains: z.array(z.string()).optional(), website: z.string().optional() });
const channelAddressFields = z.object({ to: z.string().optional(), cc: z.array(z.string()).optional() });

/** Whom replies may come from, read from the catalog as mirrored in the store and the vendor's acknowledgements so far. */
export function senderTrust(store: Store, settings: Pick<Settings, 'mailboxes' | 'smtp'>): SenderTrust {
  const own = [...Object.values(settings.mailboxes).map((m) => m.address), ...Object.values(settings.smtp).map((s) => s.from.match(/<([^>]+)>/)?.[1] ?? s.from)];
  return {
    replyDomains(vendor) {
      const row = store.vendors.get(vendor);
      const fields = vendorDomainFields.safeParse(row ? JSON.parse(row.definition) : {});
      const addresses = store.vendors.channels().filter((c) => c.vendor === vendor).flatMap((c) => {
        const parsed = channelAddressFields.safeParse(JSON.parse(c.definition));
        return parsed.success ? [...(parsed.data.to ? [parsed.data.to] : []), ...(parsed.data.cc ?? [])] : [];
      });
      return vendorReplyDomains(fields.success ? fields.data : {}, addresses, store.probes.ackSenders(vendor));
    },
    ownDomains: [...new Set(own.flatMap((a) => {
      const at = a.lastIndexOf('@');
      return at >= 0 ? [a.slice(at + 1).toLowerCase()] : [];
    }))],
  };
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
