import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/core/clock.ts';
import { templateSchema, vendorSchema, type Vendor } from '../../src/config/schema.ts';
import { trialSchema } from '../../src/config/trial.ts';
import type { Trial } from '../../src/trials/load.ts';
import { admitByCaps, expectedRatio, planTrial, probesNeeded, tierCounts } from '../../src/trials/plan.ts';
import { rankVendors } from '../../src/trials/ranking.ts';

function vendor(overrides: Record<string, unknown> = {}): Vendor {
  const templates = [
    templateSchema.parse({ id: 'q-p2', tier: 'P2', subject: 'Q {{token}}', body: 'ref {{token}}' }),
    templateSchema.parse({ id: 'q-p3', tier: 'P3', subject: 'Q {{token}}', body: 'ref {{token}}' }),
  ];
  const parsed = vendorSchema.parse({
    slug: 'acme',
    name: 'Acme',
    visibility: 'private',
    timezone: 'Europe/Berlin',
    rate_caps: { per_day: 4, per_week: 20 },
    templates,
    channels: [
      { id: 'email', kind: 'email', to: 'support@acme.example', schedule: { per_week: 3 } },
      {
        id: 'form',
        kind: 'webform',
        url: 'https://acme.example/new',
        steps: [{ click: 'button' }],
        confirmation: { wait_for: '.ok' },
        schedule: { cron: '0 3 * * 2' },
      },
      { id: 'chat', kind: 'chat', url: 'https://acme.example/', preset: 'intercom', schedule: { per_week: 1 } },
    ],
    ...overrides,
  });
  return { ...parsed, rate_caps: { ...parsed.rate_caps, min_interval: parsed.rate_caps.min_interval ?? 10 * 60_000 }, templates, file: 'acme.yaml' };
}

const from = Date.UTC(2026, 3, 1);
function trial(overrides: Record<string, unknown> = {}, v: Vendor = vendor()): Trial {
  const input = trialSchema.parse({ name: 'Q2', start: '2026-04-01T00:00:00Z', end: '2026-04-29T00:00:00Z', vendors: ['acme'], ...overrides });
  const { start: _s, end: _e, ...rest } = input;
  return { ...rest, id: 'q2', file: 'trials/q2.yaml', from, to: from + 28 * DAY - 1, channelsOf: { acme: v.channels.map((c) => c.id) } };
}

describe('expected interval width', () => {
  it('shrinks with the square root of the answers and grows with the spread', () => {
    const sigma = Math.log(3);
    const r10 = expectedRatio(10, sigma) ?? 0;
    const r40 = expectedRatio(40, sigma) ?? 0;
    expect(Math.log(r10) / Math.log(r40)).toBeCloseTo(2, 6);
    expect(expectedRatio(10, 2 * sigma)).toBeGreaterThan(r10);
    expect(expectedRatio(0, sigma)).toBeNull();
    // exp(2 · 1.96 · ln 3 · √(π / 20))
    expect(r10).toBeCloseTo(Math.exp(2 * 1.959963984540054 * sigma * Math.sqrt(Math.PI / 20)), 9);
  });

  it('says how many probes a decision needs', () => {
    // σ = ln 3, ratio 3: (π/2)·(2·1.96)² ≈ 24.1 answers, / 0.9 reply share → 27 probes
    expect(probesNeeded(Math.log(3), 0.1, 3)).toBe(27);
    expect(probesNeeded(0, 0, 3)).toBe(5);
    expect(probesNeeded(Math.log(3), 0.5, 3)).toBe(49);
  });
});

describe('trial plan', () => {
  it('counts the probes of a four-week trial at the README cadence and warns where no decision is reachable', () => {
    const v = vendor();
    const plan = planTrial({ trial: trial(), vendors: [v], observed: new Map() });
    const total = (channel: string) => plan.cells.filter((c) => c.channel === channel).reduce((a, c) => a + c.planned, 0);
    expect(total('email')).toBe(12);
    expect(total('form')).toBe(4);
    expect(total('chat')).toBe(4);
    expect(plan.cells.filter((c) => c.channel === 'email').map((c) => c.planned)).toEqual([6, 6]);
    expect(plan.cells.every((c) => !c.decided)).toBe(true);
    expect(plan.warnings.some((w) => w.startsWith('acme/form P2: cannot reach a decision'))).toBe(true);
    expect(plan.cells.every((c) => c.basis === 'assumed')).toBe(true);
  });

  it('uses the spread seen in the store once enough probes were answered', () => {
    const v = vendor({ channels: [{ id: 'email', kind: 'email', to: 'support@acme.example', schedule: { every: '2h' } }] });
    const t = trial({ tiers: ['P3'] }, v);
    const observed = new Map([['acme/email', { answered: 30, closed: 30, medianMs: HOUR, sigma: 0.2, noReplyShare: 0 }]]);
    const plan = planTrial({ trial: t, vendors: [v], observed });
    const cell = plan.cells[0];
    expect(cell?.basis).toBe('store');
    // every 2h is capped at 4 a day and 20 a week: 4 weeks × 20, half of them P3
    expect(cell?.planned).toBe(40);
    expect(cell?.decided).toBe(true);
    expect(plan.warnings.some((w) => w.includes('rate caps refuse'))).toBe(true);
  });

  it('applies rolling day and week caps and the minimum interval over all channels of a vendor', () => {
    const v = vendor({ rate_caps: { per_day: 2, per_week: 3, min_interval: '30m' } });
    const due = [0, 10, 40, 50, 100, 2 * 24 * 60, 3 * 24 * 60, 9 * 24 * 60].map((min, i) => ({ at: from + min * 60_000, channel: i % 2 ? 'email' : 'form' }));
    const admitted = admitByCaps(v, due).map((d) => (d.at - from) / 60_000);
    // 10 is inside min_interval of 0; 50 inside 30m of 40; 100 over the day cap; 3 days later the week cap (3) holds; day 9 opens again
    expect(admitted).toEqual([0, 40, 2 * 24 * 60, 9 * 24 * 60]);
  });

  it("splits a channel's probes over its templates in rotation", () => {
    expect(Object.fromEntries(tierCounts(vendor(), vendor().channels[0]!, 5))).toEqual({ P2: 3, P3: 2 });
  });
});

describe('ranking', () => {
  const figures = (first_reply: number | null, sla: number | null, no_reply: number | null, resolution: number | null = null) => ({
    first_reply,
    sla,
    no_reply,
    resolution,
  });

  it('weights each dimension scaled across the vendors and leaves out a dimension someone lacks', () => {
    const ranking = rankVendors(
      [
        { vendor: 'fast', figures: figures(HOUR, 0.9, 0.1) },
        { vendor: 'slow', figures: figures(10 * HOUR, 0.5, 0.3, HOUR) },
        { vendor: 'mid', figures: figures(4 * HOUR, 0.95, 0.2) },
      ],
      { first_reply: 2 },
    );
    expect(ranking.leftOut).toEqual([{ dimension: 'resolution', reason: 'no figure for fast, mid', why: 'missing', missing: ['fast', 'mid'] }]);
    expect(ranking.weights).toEqual({ first_reply: 2, sla: 1, no_reply: 1 });
    expect(ranking.vendors.map((v) => v.vendor)).toEqual(['fast', 'mid', 'slow']);
    const fast = ranking.vendors[0];
    // first_reply 1 (×2), sla (0.9 − 0.5) / 0.45, no_reply 1
    expect(fast?.score).toBeCloseTo((2 + 0.4 / 0.45 + 1) / 4, 9);
    expect(ranking.vendors[2]?.score).toBe(0);
  });

  it('gives equal vendors the same rank and honours weight 0', () => {
    const ranking = rankVendors(
      [
        { vendor: 'a', figures: figures(HOUR, 0.8, 0) },
        { vendor: 'b', figures: figures(HOUR, 0.8, 0) },
        { vendor: 'c', figures: figures(2 * HOUR, 0.8, 0) },
      ],
      { sla: 0 },
    );
    expect(ranking.vendors.map((v) => [v.vendor, v.rank])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 3],
    ]);
    expect(ranking.leftOut.map((l) => l.dimension)).toEqual(['sla', 'resolution']);
  });
});
