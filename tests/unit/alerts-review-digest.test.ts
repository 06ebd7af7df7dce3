// The review_needed digest rule (pure) and the other rules abstaining on probes awaiting review.
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/core/clock.ts';
import {
  digestKey,
  digestListLimit,
  digestVerdict,
  observationAt,
  reviewDigest,
  slaBreach,
  thresholdValue,
  type DigestMemory,
  type PendingReview,
  type ProbePoint,
} from '../../src/alerts/rules.ts';
import { thresholdMetrics } from '../../src/config/alerts.ts';

const now = Date.UTC(2026, 2, 16, 12, 0);
const item = (probeId: number, overrides: Partial<PendingReview> = {}): PendingReview => ({
  probeId,
  vendor: 'acme',
  vendorName: 'Acme',
  channel: 'email',
  since: now - probeId * HOUR,
  messageId: 100 + probeId,
  ...overrides,
});
const memory = (sentAt: number | null, listed: PendingReview[]): DigestMemory => ({ sentAt, listed: listed.map(digestKey) });

describe('reviewDigest', () => {
  const a = item(1);
  const b = item(2);
  const aMovedOn = item(1, { messageId: 999, since: now - 10 * MINUTE });
  const cases: { name: string; pending: PendingReview[]; memory: DigestMemory; send: boolean; fresh: number[]; dueAt: number | null }[] = [
    { name: 'nothing awaits review', pending: [], memory: memory(null, []), send: false, fresh: [], dueAt: null },
    { name: 'the first probe awaiting review: at once', pending: [a], memory: memory(null, []), send: true, fresh: [1], dueAt: now },
    {
      name: 'a new one 10 minutes after a digest: held back to the hour',
      pending: [a, b],
      memory: memory(now - 10 * MINUTE, [a]),
      send: false,
      fresh: [2],
      dueAt: now + 50 * MINUTE,
    },
    { name: 'a new one an hour after a digest: sent', pending: [a, b], memory: memory(now - HOUR, [a]), send: true, fresh: [2], dueAt: now },
    { name: 'nothing new, however long ago the last digest', pending: [a, b], memory: memory(now - 5 * DAY, [a, b]), send: false, fresh: [], dueAt: null },
    { name: 'fewer than before (one was reviewed): nothing to say', pending: [b], memory: memory(now - 2 * HOUR, [a, b]), send: false, fresh: [], dueAt: null },
    {
      name: 'a probe moved on to its next unknown reply is new again',
      pending: [aMovedOn, b],
      memory: memory(now - 2 * HOUR, [a, b]),
      send: true,
      fresh: [1],
      dueAt: now,
    },
    {
      name: 'after the queue emptied, the hour still counts from the last digest',
      pending: [b],
      memory: memory(now - 20 * MINUTE, []),
      send: false,
      fresh: [2],
      dueAt: now + 40 * MINUTE,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const decision = reviewDigest(c.pending, c.memory, now, HOUR);
      expect({ send: decision.send, fresh: decision.fresh.map((f) => f.probeId), dueAt: decision.dueAt }).toEqual({
        send: c.send,
        fresh: c.fresh,
        dueAt: c.dueAt,
      });
    });
  }
});

describe('digestVerdict', () => {
  it('lists each probe with vendor, channel, id, since when and a link to the review page, oldest first, new ones marked', () => {
    const pending = [item(1), item(3, { vendor: 'zeta', vendorName: 'Zeta', channel: 'chat', messageId: null })];
    const verdict = digestVerdict(pending, [item(1)], now, 'https://status.example.org/admin/review');
    expect(verdict.firing).toBe(true);
    expect(verdict.summary).toBe("2 probe(s) of 2 vendor(s) await a person's review (1 new): until then they count as neither answered nor unanswered");
    expect(verdict.facts).toEqual([
      { label: 'probe #3 · Zeta · chat', value: 'awaiting review since 2026-03-16 09:00 UTC (3 h) — https://status.example.org/admin/review' },
      {
        label: 'New: probe #1 · Acme · email',
        value: 'awaiting review since 2026-03-16 11:00 UTC (1 h) — https://status.example.org/admin/review#message-101',
      },
    ]);
    expect(verdict.numbers).toMatchObject({ awaiting: 2, new: 1, probes: [3, 1], new_probes: [1] });
  });

  it('lists at most digestListLimit probes and counts the rest', () => {
    const pending = Array.from({ length: digestListLimit + 7 }, (_, i) => item(i + 1));
    const verdict = digestVerdict(pending, [], now, 'https://x.test/admin/review');
    expect(verdict.facts).toHaveLength(digestListLimit + 1);
    expect(verdict.facts.at(-1)).toEqual({ label: 'And', value: '7 more on https://x.test/admin/review' });
  });
});

describe('the other rules leave probes awaiting review out', () => {
  const sentAt = now - 10 * DAY;
  const probe = (id: number, overrides: Partial<ProbePoint>): ProbePoint => ({
    id,
    tier: 'P3',
    failed: false,
    errorCode: null,
    errorText: null,
    scheduledAt: sentAt,
    sentAt,
    deadlineAt: sentAt + 8 * HOUR,
    expiresAt: sentAt + 7 * DAY,
    firstHumanAt: null,
    ...overrides,
  });
  const answered = probe(1, { firstHumanAt: sentAt + HOUR });
  const awaiting = probe(2, { awaitingReview: true });
  const unanswered = probe(3, {});

  it('as survival data, as an SLA outcome and in every threshold metric', () => {
    expect(observationAt(awaiting, now)).toBeNull();
    expect(observationAt(unanswered, now)).toEqual({ time: 7 * DAY, event: false });
    const breach = slaBreach([answered, awaiting], now, ['P3']);
    expect(breach.firing).toBe(false);
    expect(breach.numbers.breached_probes).toEqual([]);
    const identity = (_from: number, ms: number) => ms;
    for (const metric of thresholdMetrics) {
      const t = { id: 't', vendor: 'acme', metric, above: 0.5, window: 30 * DAY, business_hours: false, min_probes: 1, clear_margin: 0 };
      const withAwaiting = thresholdValue([answered, awaiting, unanswered], now, t, identity);
      const without = thresholdValue([answered, unanswered], now, t, identity);
      expect(withAwaiting, metric).toEqual(without);
    }
    expect(
      thresholdValue(
        [answered, awaiting],
        now,
        { id: 't', vendor: 'acme', metric: 'no_reply_share', above: 0.5, window: 30 * DAY, business_hours: false, min_probes: 1, clear_margin: 0 },
        identity,
      ),
    ).toEqual({ n: 1, value: 0, atLeast: null });
  });
});
