// The trial decision summary: leader, margin and whether the gap is real, per dimension, on hand-made probe timings.
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../src/core/clock.ts';
import { decideTrial, eventsNeeded, isOffHours, type DecisionVendor } from '../../src/trials/decision.ts';
import type { ProbeTiming } from '../../src/store/stats.ts';
import { qualityFlag } from '../../src/quality/probe-quality.ts';

// Monday 2026-03-02 10:00 UTC: office hours in UTC.
const monday10 = Date.UTC(2026, 2, 2, 10);
const now = monday10 + 30 * 24 * HOUR;
let nextId = 1;

function timing(sentAt: number, answerMs: number | null, extra: Partial<ProbeTiming> = {}): ProbeTiming {
  return {
    id: nextId++,
    tier: 'P2',
    state: answerMs === null ? 'expired' : 'answered',
    sent_at: sentAt,
    deadline_at: null,
    expires_at: sentAt + 7 * 24 * HOUR,
    first_human_at: answerMs === null ? null : sentAt + answerMs,
    first_ack_at: null,
    first_bot_at: null,
    virtual_clock: 0,
    resolved_at: null,
    resolution_rounds: null,
    quality_flags: 0,
    ...extra,
  };
}

const answers = (times: number[], start = monday10, extra: Partial<ProbeTiming> = {}) => times.map((ms, i) => timing(start + i * 24 * HOUR, ms, extra));

function vendor(slug: string, email: ProbeTiming[], chat: ProbeTiming[] = [], sla: { met: number; n: number } | null = null): DecisionVendor {
  return {
    slug,
    timezone: 'UTC',
    sla,
    channels: [{ channel: 'email', kind: 'email', timings: email }, ...(chat.length > 0 ? [{ channel: 'chat', kind: 'chat', timings: chat }] : [])],
  };
}

describe('trial decision summary', () => {
  it('names the leader, the ratio to the runner-up and a real gap when the samples separate clearly', () => {
    const fast = vendor('fast', answers(Array.from({ length: 12 }, (_, i) => (10 + i) * MINUTE)));
    const slow = vendor('slow', answers(Array.from({ length: 12 }, (_, i) => (5 + i / 4) * HOUR)));
    const row = decideTrial({ tiers: ['P2'], vendors: [slow, fast], now }).rows.find((r) => r.dimension === 'first_reply');
    expect(row?.tier).toBe('P2');
    expect(row?.kind).toBe('email');
    expect(row?.leader).toBe('fast');
    expect(row?.runnerUp).toBe('slow');
    expect(row?.margin?.value).toBeGreaterThan(10);
    expect(row?.test?.n).toEqual([12, 12]);
    expect(row?.test?.p).toBeLessThan(0.001);
    expect(row?.verdict).toBe('real');
  });

  it('says there is no detectable difference with 3 and 3 probes, however far apart', () => {
    const a = vendor('a', answers([10 * MINUTE, 11 * MINUTE, 12 * MINUTE]));
    const b = vendor('b', answers([HOUR, 2 * HOUR, 3 * HOUR]));
    const row = decideTrial({ tiers: ['P2'], vendors: [a, b], now }).rows.find((r) => r.dimension === 'first_reply');
    expect(row?.leader).toBe('a');
    // Three against three: the most extreme split has p = 2 / 20.
    expect(row?.test).toMatchObject({ p: 0.1, n: [3, 3], exact: true });
    expect(row?.verdict).toBe('not_detectable');
  });

  it('ranks a vendor that never answered last, with its median not reached', () => {
    const a = vendor('answers', answers([HOUR, HOUR, HOUR, HOUR, HOUR, HOUR]));
    const b = vendor(
      'silent',
      answers([null, null, null, null, null, null].map(() => 0)).map((t) => ({ ...t, first_human_at: null, state: 'expired' as const })),
    );
    const row = decideTrial({ tiers: ['P2'], vendors: [b, a], now }).rows.find((r) => r.dimension === 'first_reply');
    expect(row?.figures.map((f) => [f.vendor, f.value])).toEqual([
      ['answers', HOUR],
      ['silent', null],
    ]);
    expect(row?.margin?.value).toBeNull();
    expect(row?.verdict).toBe('real');
  });

  it('compares SLA shares with Fisher’s exact test', () => {
    const rows = decideTrial({
      tiers: ['P2'],
      vendors: [vendor('x', answers([HOUR]), [], { met: 3, n: 4 }), vendor('y', answers([HOUR]), [], { met: 1, n: 4 })],
      now,
    }).rows;
    const sla = rows.find((r) => r.dimension === 'sla');
    expect(sla).toMatchObject({ leader: 'x', runnerUp: 'y', margin: { unit: 'points', value: 50 }, verdict: 'not_detectable' });
    expect(sla?.test?.p).toBeCloseTo(34 / 70, 10);
  });

  it('measures 7×24 coverage on probes sent outside weekday office hours in the vendor’s zone', () => {
    expect(isOffHours(monday10, 'UTC')).toBe(false);
    expect(isOffHours(monday10, 'Asia/Shanghai')).toBe(true);
    expect(isOffHours(Date.UTC(2026, 2, 7, 12), 'UTC')).toBe(true);
    const night = monday10 + 12 * HOUR;
    const a = vendor('a', [...answers([MINUTE, MINUTE]), ...answers([20 * MINUTE, 21 * MINUTE, 22 * MINUTE], night)]);
    const b = vendor('b', [...answers([MINUTE, MINUTE]), ...answers([9 * HOUR, 10 * HOUR, 11 * HOUR], night)]);
    const row = decideTrial({ tiers: ['P2'], vendors: [a, b], now }).rows.find((r) => r.dimension === 'coverage');
    expect(row?.figures.map((f) => f.n)).toEqual([3, 3]);
    expect(row?.leader).toBe('a');
    expect(row?.margin?.value).toBeCloseTo((10 * HOUR) / (21 * MINUTE), 6);
  });

  it('judges consistency by the slowest over the fastest channel, tested on the runner-up’s channels', () => {
    const even = vendor('even', answers(Array(8).fill(HOUR)), answers(Array(8).fill(HOUR)));
    const uneven = vendor(
      'uneven',
      answers(Array.from({ length: 8 }, (_, i) => (10 + i) * HOUR)),
      answers(Array.from({ length: 8 }, (_, i) => (1 + i) * MINUTE)),
    );
    const row = decideTrial({ tiers: ['P2'], vendors: [uneven, even], now }).rows.find((r) => r.dimension === 'consistency');
    expect(row?.figures[0]).toMatchObject({ vendor: 'even', value: 1 });
    expect(row?.runnerUp).toBe('uneven');
    expect(row?.test?.n).toEqual([8, 8]);
    expect(row?.verdict).toBe('real');
  });

  it('adds resolution only where some probe measures it, and says when only one vendor has figures', () => {
    const plain = decideTrial({ tiers: ['P2'], vendors: [vendor('a', answers([HOUR])), vendor('b', answers([HOUR]))], now });
    expect(plain.rows.some((r) => r.dimension === 'resolution')).toBe(false);
    const measured = answers([HOUR, HOUR], monday10, { quality_flags: qualityFlag.measured }).map((t) => ({ ...t, resolved_at: t.sent_at + 2 * HOUR }));
    const rows = decideTrial({ tiers: ['P2'], vendors: [vendor('a', measured), vendor('b', answers([HOUR]))], now }).rows;
    expect(rows.find((r) => r.dimension === 'resolution')).toMatchObject({ leader: 'a', verdict: 'single' });
    expect(rows.find((r) => r.dimension === 'consistency')?.verdict).toBe('no_data');
  });

  it('says how many answered probes a gap needs (Schoenfeld)', () => {
    // 4 (1.96 + 0.84)² / ln(2)² = 65.3.
    expect(eventsNeeded(2)).toBe(66);
    expect(eventsNeeded(1)).toBeNull();
  });
});
