import { afterEach, describe, expect, it } from 'vitest';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';
import { applyReview, formatQueue } from '../../src/cli/review.ts';
import { FirstReplyError } from '../../src/core/errors.ts';

let fixture: FixtureStore | undefined;
afterEach(() => fixture?.close());

describe('review queue', () => {
  it('lists low-confidence replies with reasons; a person\'s label takes over the probe timeline', () => {
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
    const others = store.messages.forProbe(target.probe_id).filter((m) => m.effective_label === 'human').map((m) => m.received_at);
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
