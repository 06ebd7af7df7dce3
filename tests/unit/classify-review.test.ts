import { afterEach, describe, expect, it } from 'vitest';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';
import { applyReview, formatQueue } from '../../src/cli/review.ts';
import { FirstReplyError } from '../../src/core/errors.ts';

let fixture: FixtureStore | undefined;
afterEach(() => fixture?.close());

describe('review queue', () => {
  it("lists low-confidence replies with reasons; a person's label takes over the probe timeline", () => {
    fixture = openFixtureStore({ days: 20 });
    const { store } = fixture;
    const queue = store.messages.reviewQueue(0.75, 500);
    expect(queue.length).toBeGreaterThan(0);
    const text = formatQueue(queue, store.messages.unconfirmedCount());
    expect(text).toContain(`#${queue[0]?.id}`);
    expect(text).toContain('fixture human');

    const target = queue.find((m) => m.label === 'human' && m.probe_id !== null);
    if (!target || target.probe_id === null) throw new Error('fixture has no low-confidence human reply');
    const before = store.probes.get(target.probe_id);
    expect(before?.first_human_at).not.toBeNull();
    const unconfirmedBefore = store.messages.unconfirmedCount();

    const after = applyReview(store, target.id, 'auto_ack', 'tester', 'template text');
    expect(after.effective_label).toBe('auto_ack');
    expect(store.messages.reviewQueue(0.75, 500).some((m) => m.id === target.id)).toBe(false);
    expect(store.messages.unconfirmedCount()).toBe(unconfirmedBefore - 1);
    const probe = store.probes.get(target.probe_id);
    const others = store.messages
      .forProbe(target.probe_id)
      .filter((m) => m.effective_label === 'human')
      .map((m) => m.received_at);
    expect(probe?.first_human_at ?? null).toBe(others.length > 0 ? Math.min(...others) : null);
    expect(probe?.first_ack_at).not.toBeNull();
  });

  it('refuses unknown labels and unknown messages with stable codes', () => {
    fixture = openFixtureStore({ days: 3 });
    const { store } = fixture;
    expect(() => applyReview(store, 1, 'robot', 'tester')).toThrow(FirstReplyError);
    try {
      applyReview(store, 999_999, 'human', 'tester');
      expect.unreachable();
    } catch (err) {
      expect(err instanceof FirstReplyError && err.code).toBe('NOT_FOUND');
    }
  });
});

describe('template memory (migration 005)', () => {
  it("recognises a vendor's repeated acknowledgement the second time it arrives", async () => {
    const { openStore } = await import('../../src/store/db.ts');
    const { ManualClock } = await import('../../src/core/clock.ts');
    const { classifyAndRemember } = await import('../../src/replies/template-memory.ts');
    const store = openStore(':memory:', new ManualClock());
    try {
      const ack = (n: number) => ({
        references: [],
        subject: 'Re: help',
        to: [],
        headers: {},
        contentType: 'text/plain',
        size: 300,
        from: { address: 'care@vendor.example' },
        text: `Hello,\n\nCase ${n} is now registered with our desk. Somebody from the team writes back once it reaches the top of the list.\n\nVendor Care`,
      });
      const ctx = { receivedAt: Date.UTC(2026, 2, 1), fastReplyMs: 60_000, vendor: 'vendor' };
      const first = classifyAndRemember(store, ack(101), ctx);
      expect(first.signals.some((s) => s.rule === 'fingerprint.template')).toBe(false);
      const second = classifyAndRemember(store, ack(202), ctx);
      expect(second.signals.some((s) => s.rule === 'fingerprint.template')).toBe(true);
      expect(second.label).not.toBe('human');
      expect(store.fingerprints.known('other-vendor').size).toBe(0);
    } finally {
      store.close();
    }
  });
});

describe("a person's review teaches the template memory", () => {
  it("remembers a relabelled template with the person's label, and forgets a skeleton confirmed as human", async () => {
    const { openStore } = await import('../../src/store/db.ts');
    const { ManualClock } = await import('../../src/core/clock.ts');
    const { classifyAndRemember } = await import('../../src/replies/template-memory.ts');
    const { recordMessage } = await import('../../src/replies/record.ts');
    const { reviewMessage } = await import('../../src/replies/review.ts');
    const store = openStore(':memory:', new ManualClock(Date.UTC(2026, 2, 1)));
    try {
      const text = (name: string, n: number) =>
        `Hi ${name},\n\nThanks for being part of our community. Issue ${n} of the product digest covers the new dashboard and the spring pricing.\n\nThe Vendor News desk`;
      const mail = (name: string, n: number) => ({
        references: [],
        subject: 'News',
        to: [],
        headers: {},
        contentType: 'text/plain',
        size: 300,
        from: { address: 'news@vendor.example' },
        text: text(name, n),
      });
      const ctx = { receivedAt: Date.UTC(2026, 2, 1), fastReplyMs: 60_000 };
      const first = classifyAndRemember(store, mail('Ana', 11), ctx);
      const id = recordMessage(store, {
        probe_id: null,
        source: 'imap',
        mailbox: 'default',
        folder: 'INBOX',
        uidvalidity: 1,
        uid: 1,
        message_id: '<n1@vendor.example>',
        in_reply_to: null,
        subject: 'News',
        from_addr: 'news@vendor.example',
        received_at: ctx.receivedAt,
        detected_at: ctx.receivedAt,
        header_date: null,
        raw_path: null,
        raw_sha256: null,
        size: 300,
        headers: '{}',
        body_text: text('Ana', 11),
        label: first.label,
        confidence: first.confidence,
        reasons: JSON.stringify(first.reasons),
        match_method: null,
        parse_error: null,
      });
      if (id === undefined) throw new Error('message not stored');
      reviewMessage(store, id, 'marketing', 'tester');
      expect(store.fingerprints.templates('vendor.example').get(first.fingerprint ?? '')?.label).toBe('marketing');

      const next = classifyAndRemember(store, mail('Bo', 12), ctx);
      const template = next.signals.find((s) => s.rule === 'fingerprint.template');
      expect(template?.label).toBe('marketing');
      expect(template?.reason).toContain('labelled marketing');
      expect(next.label).toBe('marketing');

      reviewMessage(store, id, 'human', 'tester');
      expect(store.fingerprints.known('vendor.example').has(first.fingerprint ?? '')).toBe(false);
      expect(classifyAndRemember(store, mail('Cy', 13), ctx).signals.some((s) => s.rule === 'fingerprint.template')).toBe(false);
    } finally {
      store.close();
    }
  });
});
