// A probe's answer quality, recomputed from its stored replies whenever one arrives or a person reviews or marks one.
import { z } from 'zod';
import type { Store } from '../store/db.ts';
import { expectSchema, factsSchema } from '../config/template-quality.ts';
import { arrivalEstimate, replyArrival } from '../core/instant.ts';
import { splitQuotes } from '../classify/view.ts';
import { replyFingerprint } from '../classify/fingerprint.ts';
import { probeQuality, qualityFlagsOf, type QualityReply, type QualitySpec } from '../quality/probe-quality.ts';

/** The classifier's default fast-reply threshold: a reply sooner than this after the probe is at machine pace. */
const defaultFastReplyMs = 60_000;

const storedTemplates = z
  .object({
    templates: z
      .array(z.object({ id: z.string(), language: z.string().optional(), expect: expectSchema.optional(), facts: factsSchema.optional() }).loose())
      .default([]),
  })
  .loose();

/** The template's expect: and facts:, as mirrored into the store with its vendor. */
function specOf(store: Store, vendor: string, template: string, language: string): QualitySpec {
  const row = store.vendors.get(vendor);
  let raw: unknown = {};
  try {
    raw = row ? JSON.parse(row.definition) : {};
  } catch {
    raw = {}; // an unreadable definition gives no rubric: resolution is then by a person's mark only
  }
  const parsed = storedTemplates.safeParse(raw);
  const found = parsed.success ? parsed.data.templates.find((t) => t.id === template) : undefined;
  return { language, expect: found?.expect, facts: found?.facts };
}

function readReasons(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Machine or person pace. The classifier judged it with the deployment's own threshold (`classifier.fast_reply_ms`)
 * and left a timing signal when the reply came fast; a message the classifier never saw is judged here by the default.
 */
function paceOf(reasons: readonly string[], sentAt: number | null, receivedAt: number, fastReplyMs: number): 'fast' | 'paced' | undefined {
  if (sentAt === null) return undefined;
  if (reasons.length > 0) return reasons.some((r) => /\btiming\.(instant|fast)\b/.test(r)) ? 'fast' : 'paced';
  return receivedAt - sentAt < fastReplyMs ? 'fast' : 'paced';
}

/** Recomputes and stores a probe's quality (resolution, rounds, asked-for-given, canned, language, hand-offs). */
export function refreshQuality(store: Store, probeId: number, fastReplyMs = defaultFastReplyMs): void {
  const probe = store.probes.get(probeId);
  if (!probe) return;
  const messages = store.messages.forProbe(probeId);
  if (messages.length === 0) return; // nothing to judge: the measured bit set when the probe was made stands
  const marks = store.quality.marksForProbe(probeId);
  const replies: QualityReply[] = messages.map((m) => {
    const text = m.body_text ?? '';
    const fresh = splitQuotes(text).fresh || text;
    const arrivedAt = arrivalEstimate(probe.sent_at, replyArrival(m));
    const print = m.effective_label === 'human' ? replyFingerprint(text) : undefined;
    return {
      id: m.id,
      arrivedAt,
      text: fresh,
      sender: m.from_addr,
      label: m.effective_label,
      pace: paceOf(readReasons(m.reasons), probe.sent_at, m.received_at, fastReplyMs),
      memory: print === undefined ? undefined : store.quality.skeleton(probe.vendor, print),
      classifierCanned: readReasons(m.reasons).some((r) => r.includes('fingerprint.canned')),
      mark: marks.get(m.id) ?? null,
    };
  });
  const q = probeQuality(specOf(store, probe.vendor, probe.template, probe.language), replies);
  store.quality.save(probeId, {
    resolved_at: q.resolvedAt,
    resolution_rounds: q.rounds,
    quality_flags: qualityFlagsOf(q),
    resolved_by: q.resolvedBy,
    resolved_message_id: q.resolvedMessageId,
    human_replies: q.humanReplies,
    asked_for_given: q.askedForGiven,
    canned_replies: q.cannedReplies,
    language_match: q.languageMatch,
    handoffs: q.handoffs,
    reasons: q.reasons,
  });
}

/** A person's word on whether a reply resolves the question; it wins over the rubric and the figures follow. */
export function markResolution(store: Store, messageId: number, resolves: boolean, reviewer: string, note?: string): void {
  store.transaction(() => {
    const message = store.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId}`);
    store.quality.mark(messageId, resolves, reviewer, note);
    if (message.probe_id !== null) refreshQuality(store, message.probe_id);
  });
}
