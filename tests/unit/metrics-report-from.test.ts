// reportFrom is pure: the statistics document from rows built by hand, no store.
import { describe, expect, it } from 'vitest';
import { reportFrom, resolveWindow, type ReportRows, type StatsQuery } from '../../src/metrics/report.ts';
import type { ProbeTiming } from '../../src/store/stats.ts';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 2, 20, 12);

function timing(id: number, sentAt: number, humanAfter: number | null): ProbeTiming {
  return {
    id,
    tier: 'P2',
    state: humanAfter === null ? 'sent' : 'answered',
    sent_at: sentAt,
    deadline_at: sentAt + 24 * HOUR,
    expires_at: sentAt + 7 * 24 * HOUR,
    first_human_at: humanAfter === null ? null : sentAt + humanAfter,
    first_ack_at: sentAt + 1_000,
    first_bot_at: null,
    virtual_clock: 0,
    resolved_at: null,
    resolution_rounds: null,
    quality_flags: 0,
  };
}

describe('reportFrom', () => {
  it('builds a vendor and its channel from rows alone, the same each time', () => {
    const query: StatsQuery = { now, window: '30d' };
    const rows: ReportRows = {
      window: resolveWindow(query),
      vendors: [
        {
          row: { slug: 'acme', name: 'Acme', visibility: 'public', timezone: 'UTC', definition: JSON.stringify({ sla: {} }), paused: 0, updated_at: now },
          channels: [
            {
              channel: { id: 1, vendor: 'acme', channel: 'support', kind: 'email' },
              timings: [timing(1, now - 10 * 24 * HOUR, 2 * HOUR), timing(2, now - 9 * 24 * HOUR, 4 * HOUR), timing(3, now - 8 * 24 * HOUR, 6 * HOUR)],
              lastSentAt: now - 8 * 24 * HOUR,
              unconfirmedLabels: 2,
              awaitingReview: 1,
            },
          ],
        },
      ],
    };
    const report = reportFrom(rows, query);
    expect(reportFrom(rows, query)).toEqual(report);
    const [vendor] = report.vendors;
    expect(vendor?.vendor.slug).toBe('acme');
    const [channel] = vendor?.channels ?? [];
    expect(channel?.human.n).toBe(3);
    expect(channel?.human.median.value).toBe(4 * HOUR);
    expect(channel?.lastProbeAt).toBe(now - 8 * 24 * HOUR);
    expect(channel?.unconfirmedLabels).toBe(2);
    expect(vendor?.awaitingReview).toBe(1);
  });
});
