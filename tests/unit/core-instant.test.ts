// Reply arrival intervals and durations from a send: whole-second INTERNALDATEs never give a negative time.
import { describe, expect, it } from 'vitest';
import { arrivalBounds, arrivalEstimate, clockResolutionMs, durationBetween, elapsedMs, exactly, replyArrival } from '../../src/core/instant.ts';
import { timelineOf } from '../../src/replies/timeline.ts';

const t0 = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('arrivalBounds', () => {
  it.each([
    ['detected well after the second', t0, 1000, t0 + 5_000, { earliest: t0, latest: t0 + 1000 }],
    ['detected within the second', t0, 1000, t0 + 300, { earliest: t0, latest: t0 + 300 }],
    ['an exact clock', t0 + 123, 0, t0 + 900, { earliest: t0 + 123, latest: t0 + 123 }],
    ['a detection clock behind the server', t0, 1000, t0 - 50, { earliest: t0, latest: t0 }],
  ])('%s', (_name, receivedAt, resolution, detectedAt, bounds) => {
    expect(arrivalBounds(receivedAt, resolution, detectedAt)).toEqual(bounds);
  });

  it('takes the resolution from the source', () => {
    expect(clockResolutionMs).toEqual({ imap: 1000, chat: 0, manual: 0 });
    expect(replyArrival({ source: 'imap', received_at: t0, detected_at: t0 + 2_000 })).toEqual({ earliest: t0, latest: t0 + 1000 });
    expect(replyArrival({ source: 'chat', received_at: t0 + 7, detected_at: t0 + 2_000 })).toEqual({ earliest: t0 + 7, latest: t0 + 7 });
  });
});

describe('durationBetween', () => {
  it.each([
    // [name, sentAt, bounds, ms, low, high]
    ['a reply in a later second: the midpoint of its second', t0 + 200, { earliest: t0 + 5_000, latest: t0 + 6_000 }, 5_300, 4_800, 5_800],
    ['an instant reply stamped in the send second: cut at the send', t0 + 800, { earliest: t0, latest: t0 + 1000 }, 100, 0, 200],
    ['the same, detected 50 ms after the send', t0 + 800, { earliest: t0, latest: t0 + 850 }, 25, 0, 50],
    ['an interval wholly before the send (clock skew): 0, not negative', t0 + 800, { earliest: t0 - 2_000, latest: t0 - 1_000 }, 0, 0, 0],
    ['an exact instant', t0, exactly(t0 + 1_234), 1_234, 1_234, 1_234],
  ])('%s', (_name, sentAt, bounds, ms, lowMs, highMs) => {
    expect(durationBetween(sentAt, bounds)).toEqual({ ms, lowMs, highMs });
  });

  it('is never negative and always inside its bounds', () => {
    for (let sentOffset = 0; sentOffset < 3_000; sentOffset += 37) {
      for (let lag = 0; lag < 2_000; lag += 113) {
        const bounds = arrivalBounds(t0, 1000, t0 + sentOffset + lag);
        const d = durationBetween(t0 + sentOffset, bounds);
        expect(d.ms).toBeGreaterThanOrEqual(0);
        expect(d.lowMs).toBeLessThanOrEqual(d.ms);
        expect(d.ms).toBeLessThanOrEqual(d.highMs);
      }
    }
  });
});

describe('arrivalEstimate', () => {
  it('is the send plus the duration once the send is known, the interval midpoint before', () => {
    expect(arrivalEstimate(t0 + 800, { earliest: t0, latest: t0 + 1000 })).toBe(t0 + 900);
    expect(arrivalEstimate(null, { earliest: t0, latest: t0 + 1000 })).toBe(t0 + 500);
  });

  it('elapsedMs clamps an already estimated instant at the send', () => {
    expect(elapsedMs(t0 + 800, t0)).toBe(0);
    expect(elapsedMs(t0, t0 + 5)).toBe(5);
  });
});

describe('timelineOf', () => {
  it('stamps an instant e-mail acknowledgement no earlier than the send, and the human at its second midpoint', () => {
    const sentAt = t0 + 700;
    const timeline = timelineOf(
      [
        { source: 'imap', received_at: t0, detected_at: t0 + 760, effective_label: 'auto_ack' },
        { source: 'imap', received_at: t0 + 60_000, detected_at: t0 + 65_000, effective_label: 'human' },
        { source: 'chat', received_at: t0 + 701, detected_at: t0 + 720, effective_label: 'bot' },
      ],
      sentAt,
    );
    expect(timeline).toEqual({ first_ack_at: t0 + 730, first_bot_at: t0 + 701, first_human_at: t0 + 60_500 });
    for (const at of Object.values(timeline)) expect(at).toBeGreaterThanOrEqual(sentAt);
  });

  it('takes the earliest estimate of each label', () => {
    const timeline = timelineOf(
      [
        { source: 'imap', received_at: t0 + 2_000, detected_at: t0 + 9_000, effective_label: 'human' },
        { source: 'chat', received_at: t0 + 2_100, detected_at: t0 + 2_100, effective_label: 'human' },
      ],
      t0,
    );
    expect(timeline.first_human_at).toBe(t0 + 2_100);
  });
});
