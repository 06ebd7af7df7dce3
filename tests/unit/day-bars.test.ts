import { describe, expect, it } from 'vitest';
import { dayBarSvg, dayBarsHolder } from '../../src/server/day-bars.ts';

describe('90-day bars drawn by the server', () => {
  it('stacks each day by outcome in one path per outcome, and marks days without probes', () => {
    const svg = dayBarSvg({ first: '2026-03-01', last: '2026-03-03', withinSla: [3, 0, 1], missedSla: [1, 0, 0], noReply: [0, 0, 1], open: [0, 0, 0] });
    expect(svg).toContain('viewBox="0 0 11 28"');
    expect(svg.match(/<path /g)).toHaveLength(4);
    // Day 1: 1 of 4 slower (7 of 28 units, on top), 3 of 4 within SLA below it; day 2 had no probe; day 3 half no reply.
    expect(svg).toContain('<path class="s" d="M0 0h3v7h-3z"/>');
    expect(svg).toContain('<path class="g" d="M0 7h3v21h-3zM8 14h3v14h-3z"/>');
    expect(svg).toContain('<path class="e" d="M4 9.8h3v8.4h-3z"/>');
    expect(svg).toContain('<path class="n" d="M8 0h3v14h-3z"/>');
  });

  it('keys each bar by vendor and channel, escaped', () => {
    const days = { first: null, last: null, withinSla: [], missedSla: [], noReply: [], open: [] };
    const html = dayBarsHolder({
      generatedAt: 0,
      window: { label: '90d', from: null, to: 0 },
      demoTime: false,
      vendors: [
        {
          slug: 'a"b',
          name: 'A',
          timezone: 'UTC',
          channels: [
            {
              channel: 'e<mail',
              kind: 'email',
              status: 'insufficient_data',
              medianMs: null,
              ci95Ms: [null, null],
              n: 0,
              awaitingReview: 0,
              noReplyShare: null,
              sla: { met: 0, known: 0 },
              lastProbeAt: null,
              days,
              open: [],
              incident: null,
            },
          ],
        },
      ],
    });
    expect(html).toMatch(/^<div id="day-bars" hidden><svg data-vendor="a&quot;b" data-channel="e&lt;mail" class="day-bar"/);
  });
});
