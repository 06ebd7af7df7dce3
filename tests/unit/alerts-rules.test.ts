import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/core/clock.ts';
import { logRank, normalCdf } from '../../src/metrics/logrank.ts';
import { alertsConfigSchema } from '../../src/config/alerts.ts';
import {
  channelBroken,
  clearStreakAt,
  decide,
  regression,
  regressionFires,
  regressionTest,
  slaBreach,
  threshold,
  thresholdFires,
  type ProbePoint,
} from '../../src/alerts/rules.ts';
import { silencedBy } from '../../src/alerts/silences.ts';
import { businessCalendar } from '../../src/metrics/business-time.ts';
import { seededRandom, lognormal } from '../helpers/alerts-sim.ts';

const config = alertsConfigSchema.parse({});
const t0 = Date.UTC(2026, 2, 2, 9, 0);

function probe(id: number, sentAt: number, humanAfter: number | null, extra: Partial<ProbePoint> = {}): ProbePoint {
  return {
    id,
    tier: 'P3',
    failed: false,
    errorCode: null,
    errorText: null,
    scheduledAt: sentAt,
    sentAt,
    deadlineAt: sentAt + 4 * HOUR,
    expiresAt: sentAt + 7 * DAY,
    firstHumanAt: humanAfter === null ? null : sentAt + humanAfter,
    ...extra,
  };
}

/** One probe a day for `days` days ending at `end`, delays from a log-normal around `median(sentAt)`. */
function dailySeries(end: number, days: number, median: (sentAt: number) => number, seed = 3, sigma = 0.8): ProbePoint[] {
  const random = seededRandom(seed);
  const out: ProbePoint[] = [];
  for (let i = days; i > 0; i--) {
    const sentAt = end - i * DAY + Math.round(random() * 6 * HOUR);
    out.push(probe(out.length + 1, sentAt, Math.max(MINUTE, lognormal(random, median(sentAt), sigma))));
  }
  return out;
}

describe('log-rank test', () => {
  it('matches a hand computation on two untied, uncensored groups', () => {
    const ev = (time: number) => ({ time, event: true });
    const r = logRank([ev(4), ev(5), ev(6)], [ev(1), ev(2), ev(3)]);
    // At t = 1, 2, 3 the first group has 3 of 6, 3 of 5, 3 of 4 at risk and no events; at 4, 5, 6 it is alone (share 1, no variance).
    const expected = 3 / 6 + 3 / 5 + 3 / 4 + 3;
    const variance = (3 / 6) * (3 / 6) + (3 / 5) * (2 / 5) + (3 / 4) * (1 / 4);
    expect(r.observed).toBe(3);
    expect(r.expected).toBeCloseTo(expected, 10);
    expect(r.variance).toBeCloseTo(variance, 10);
    expect(r.z).toBeCloseTo((3 - expected) / Math.sqrt(variance), 10);
    expect(r.pSlower).toBeCloseTo(normalCdf(r.z), 12);
    expect(r.pSlower).toBeLessThan(0.05);
  });

  it('counts censored probes as at risk until they leave, and handles ties', () => {
    const a = [
      { time: 1, event: true },
      { time: 2, event: false },
      { time: 3, event: true },
    ];
    const b = [
      { time: 1, event: true },
      { time: 2, event: true },
      { time: 4, event: false },
    ];
    const r = logRank(a, b);
    // t=1: 2 events among 6 (3 in a); t=2: 1 event among 4 (2 in a); t=3: 1 event among 2 (1 in a).
    expect(r.expected).toBeCloseTo(2 * (3 / 6) + 1 * (2 / 4) + 1 * (1 / 2), 10);
    expect(r.variance).toBeCloseTo((2 * 0.5 * 0.5 * 4) / 5 + 0.5 * 0.5 + (0.5 * 0.5 * 1 * 1) / 1, 10);
    expect(r.observed).toBe(2);
  });

  it('gives no evidence without events', () => {
    const r = logRank([{ time: 5, event: false }], [{ time: 3, event: false }]);
    expect(r.variance).toBe(0);
    expect(r.pSlower).toBe(1);
  });

  it('has a standard normal CDF accurate to 1e-6', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.3263478740408408)).toBeCloseTo(0.01, 6);
    expect(normalCdf(-40)).toBe(0);
  });
});

describe('SLA breach in flight', () => {
  const tiers = config.sla_breach.tiers;
  it('fires the moment the deadline passes without a human reply, not when the reply comes', () => {
    const p = probe(1, t0, 9 * HOUR);
    expect(slaBreach([p], t0 + 4 * HOUR - 1, tiers).firing).toBe(false);
    const v = slaBreach([p], t0 + 4 * HOUR, tiers);
    expect(v.firing).toBe(true);
    expect(v.probeId).toBe(1);
    expect(v.summary).toContain('no human reply to probe #1');
    expect(v.facts.map((f) => f.value).join(' ')).toContain('4 h');
  });

  it('stays firing after a late reply until later probes meet the target, counting them', () => {
    const probes = [probe(1, t0, 9 * HOUR), probe(2, t0 + DAY, 1 * HOUR), probe(3, t0 + 2 * DAY, 2 * HOUR)];
    const late = slaBreach(probes, t0 + 10 * HOUR, tiers);
    expect(late.firing).toBe(true);
    expect(late.summary).toContain('answered 5 h after');
    expect(slaBreach(probes, t0 + DAY + 2 * HOUR, tiers)).toMatchObject({ firing: false, clearStreak: 1 });
    expect(slaBreach(probes, t0 + 3 * DAY, tiers)).toMatchObject({ firing: false, clearStreak: 2 });
  });

  it('ignores tiers it is not asked to watch', () => {
    expect(slaBreach([probe(1, t0, null, { tier: 'P3' })], t0 + DAY, ['P0', 'P1']).firing).toBe(false);
  });
});

describe('regression against the channel baseline', () => {
  const now = t0 + 200 * DAY;
  it('fires on a 3× slowdown with the test and the effect in the text', () => {
    const probes = dailySeries(now, 150, (at) => (at > now - 28 * DAY ? 12 : 4) * HOUR);
    const v = regression(probes, now, config.regression);
    expect(v.firing).toBe(true);
    expect(v.summary).toMatch(/slower than this channel's own baseline/);
    const text = v.facts.map((f) => `${f.label}: ${f.value}`).join('\n');
    expect(text).toMatch(/Log-rank test: χ² = [\d.]+, one-sided p = [\d.e-]+ \(alert at p < 0.005\)/);
    expect(text).toMatch(/Effect: [\d.]+× the baseline median \(alert at ≥ 1.5×\)/);
    expect(Number(v.numbers.ratio)).toBeGreaterThan(1.5);
    expect(Number(v.numbers.p_value)).toBeLessThan(0.005);
  });

  it('stays quiet on a stable series', () => {
    const probes = dailySeries(now, 150, () => 4 * HOUR);
    expect(regression(probes, now, config.regression).firing).toBe(false);
  });

  it('needs a minimum sample: a few very slow probes are not enough', () => {
    const random = seededRandom(5);
    const probes = dailySeries(now - 60 * DAY, 120, () => 4 * HOUR);
    for (let i = 0; i < 4; i++) probes.push(probe(900 + i, now - (i + 1) * 5 * DAY, lognormal(random, 40 * HOUR, 0.3)));
    const test = regressionTest(probes, now, { ...config.regression, recent_min_probes: 4 });
    expect(test.ready).toBe(false);
    expect(test.why).toMatch(/informative probes, needs 8/);
    expect(regressionFires(test, config.regression)).toBe(false);
  });

  it('needs a minimum effect: a significant 1.25× slowdown is not an alert', () => {
    const probes = dailySeries(now, 400, (at) => (at > now - 90 * DAY ? 5 : 4) * HOUR, 7, 0.3);
    const cfg = { ...config.regression, recent: 90 * DAY, baseline: 300 * DAY };
    const test = regressionTest(probes, now, cfg);
    expect(test.pSlower).toBeLessThan(cfg.max_p);
    expect(test.ratio).toBeLessThan(cfg.min_ratio);
    expect(regressionFires(test, cfg)).toBe(false);
  });

  it('counts probes still waiting as censored, so a stall is seen before the replies come', () => {
    const probes = dailySeries(now - 20 * DAY, 150, () => 2 * HOUR, 9, 0.5);
    for (let d = 20; d >= 1; d--) probes.push(probe(1000 + d, now - d * DAY + HOUR, null));
    const v = regression(probes, now, config.regression);
    expect(v.firing).toBe(true);
    expect(v.summary).toContain('at least');
    expect(Number(v.numbers.recent_events)).toBeLessThan(Number(v.numbers.recent_n) / 2);
  });

  it('recovers only after N outcomes in a row are clear', () => {
    const probes = [probe(1, t0, HOUR), probe(2, t0 + DAY, HOUR), probe(3, t0 + 2 * DAY, HOUR)];
    const firingBefore = t0 + DAY + 30 * MINUTE;
    expect(clearStreakAt(probes, t0 + 3 * DAY, 2, (at) => at < firingBefore)).toBe(2);
    expect(clearStreakAt(probes, t0 + 3 * DAY, 2, (at) => at < t0 + 2 * DAY)).toBe(1);
    expect(clearStreakAt(probes, t0 + 3 * DAY, 2, () => true)).toBe(0);
  });
});

describe('channel broken and thresholds', () => {
  it('tells the operator after consecutive failed sends and clears after successes', () => {
    const failed = (id: number) =>
      probe(id, t0 - id * HOUR, null, { failed: true, sentAt: null, errorCode: 'SELECTOR_MISSING', errorText: '#submit not found' });
    const v = channelBroken([failed(1), failed(2), probe(3, t0 - 3 * DAY, HOUR)], 2);
    expect(v.firing).toBe(true);
    expect(v.summary).toContain('2 send(s) in a row failed (SELECTOR_MISSING)');
    expect(channelBroken([failed(1), probe(2, t0, HOUR)], 2).firing).toBe(false);
    expect(channelBroken([probe(1, t0, HOUR), probe(2, t0 - DAY, HOUR), failed(3)], 1)).toMatchObject({ firing: false, clearStreak: 2 });
  });

  it('checks a subscriber threshold: median over a window in calendar or business time', () => {
    const now = t0 + 30 * DAY;
    const probes = dailySeries(now, 20, () => 10 * HOUR, 4, 0.2);
    const t = alertsConfigSchema.parse({ thresholds: [{ id: 'slow-mail', vendor: 'x', metric: 'median', above: '8h', window: '14d' }] }).thresholds[0];
    if (!t) throw new Error('threshold missing');
    const v = threshold(probes, now, t, (_from, ms) => ms);
    expect(v.firing).toBe(true);
    expect(v.summary).toMatch(/median time to first human reply is \d+ h( \d+ min)? over the last 14 d, above the 8 h threshold "slow-mail"/);
    expect(threshold(probes, now, t, (_from, ms) => ms / 2).firing).toBe(false);
    const few = alertsConfigSchema.parse({ thresholds: [{ id: 'x', vendor: 'x', metric: 'median', above: '8h', min_probes: 50 }] }).thresholds[0];
    if (!few) throw new Error('threshold missing');
    expect(threshold(probes, now, few, (_from, ms) => ms).firing).toBe(false);
  });
});

describe('threshold hysteresis', () => {
  const parse = (input: Record<string, unknown>) => {
    const t = alertsConfigSchema.parse({ thresholds: [{ id: 'h', vendor: 'x', ...input }] }).thresholds[0];
    if (!t) throw new Error('threshold missing');
    return t;
  };
  it.each([
    // metric, limit, value: fires when closed? still firing while open (inside the margin)?
    ['median above 8h: 8h 30m', { metric: 'median', above: '8h' }, 8.5 * HOUR, true, true],
    ['median above 8h: 7h 30m (within 10 % of the limit)', { metric: 'median', above: '8h' }, 7.5 * HOUR, false, true],
    ['median above 8h: 7h (clearly back)', { metric: 'median', above: '8h' }, 7 * HOUR, false, false],
    ['SLA below 80 %: 81 % (bar 82 % while open)', { metric: 'sla_compliance', below: 0.8 }, 0.81, false, true],
    ['SLA below 80 %: 83 %', { metric: 'sla_compliance', below: 0.8 }, 0.83, false, false],
    ['no reply above 20 %: 19 % (bar 18 % while open)', { metric: 'no_reply_share', above: 0.2 }, 0.19, false, true],
    ['no margin: 7h 30m clears at once', { metric: 'median', above: '8h', clear_margin: 0 }, 7.5 * HOUR, false, false],
  ] as const)('%s', (_name, input, value, closedFires, openFires) => {
    const t = parse(input);
    const v = { n: 10, value, atLeast: null };
    expect(thresholdFires(v, t)).toBe(closedFires);
    expect(thresholdFires(v, t, true)).toBe(openFires);
  });

  it('keeps one alert open while the median hovers around the limit, and says when it clears', () => {
    const t = parse({ metric: 'median', above: '8h', window: '14d', min_probes: 3 });
    // Day after day the window's median is a little over, then a little under 8 h: without a margin it would flap.
    const now = t0 + 60 * DAY;
    const run = (margin: number) => {
      const withMargin = { ...t, clear_margin: margin };
      let openState = false;
      let changes = 0;
      for (let day = 20; day <= 60; day++) {
        const probes = dailySeries(t0 + day * DAY, 14, () => (day % 2 === 0 ? 8.4 : 7.7) * HOUR, 3, 0);
        const firing: boolean = threshold(probes, t0 + day * DAY, withMargin, (_from, ms) => ms, openState).firing;
        if (firing !== openState) changes++;
        openState = firing;
      }
      return { openState, changes };
    };
    expect(run(0.1)).toEqual({ openState: true, changes: 1 });
    expect(run(0).changes).toBe(41); // every day opens or resolves
    const verdict = threshold(
      dailySeries(now, 14, () => 8.4 * HOUR, 3, 0),
      now,
      t,
      (_from, ms) => ms,
      true,
    );
    expect(verdict.facts.find((f) => f.label === 'Clears when')?.value).toBe('at or under 7 h 12 min (clear_margin 10 %)');
  });
});

describe('alert state machine', () => {
  const cfg = { recovery_probes: 2, reminder_every: 6 * HOUR };
  const closed = { open: false, notified: false, lastNotifiedAt: null, reminders: 0 };
  const open = { open: true, notified: true, lastNotifiedAt: t0, reminders: 0 };
  it.each([
    ['opens and notifies', closed, true, 0, false, t0, { action: 'open', notify: true }],
    ['opens silently while silenced', closed, true, 0, true, t0, { action: 'open', notify: false }],
    ['does nothing when clear', closed, false, 5, false, t0, { action: 'none' }],
    ['no duplicate while open', open, true, 0, false, t0 + HOUR, { action: 'update', notify: null }],
    ['reminds after the interval', open, true, 0, false, t0 + 6 * HOUR, { action: 'update', notify: 'reminder' }],
    ['keeps open until N clear probes', open, false, 1, false, t0 + HOUR, { action: 'update', notify: null }],
    ['resolves with one notice', open, false, 2, false, t0 + HOUR, { action: 'resolve', notify: true }],
    ['sends the held notice after a silence', { ...open, notified: false, lastNotifiedAt: null }, true, 0, false, t0, { action: 'update', notify: 'opened' }],
    [
      'no recovery notice for an alert never announced',
      { ...open, notified: false, lastNotifiedAt: null },
      false,
      2,
      false,
      t0,
      { action: 'resolve', notify: false },
    ],
  ] as const)('%s', (_name, state, firing, streak, silenced, now, expected) => {
    expect(decide(state, firing, streak, silenced, now, cfg)).toEqual(expected);
  });
});

describe('silences', () => {
  const parsed = alertsConfigSchema.parse({
    silences: [
      { vendor: 'acme', reason: 'Sunday maintenance', weekly: { days: ['sun'], start: '23:00', end: '02:00', timezone: 'Asia/Shanghai' } },
      { vendor: 'acme', channel: 'chat', from: '2026-03-02T00:00:00Z', until: '2026-03-03T00:00:00Z' },
    ],
  });
  const q = (at: number, channel = 'email') => silencedBy(parsed.silences, [], { vendor: 'acme', vendorTimezone: 'UTC', channel, rule: 'sla_breach', at });
  it('follows a weekly window in its time zone, across midnight', () => {
    expect(q(Date.UTC(2026, 2, 1, 15, 30))).toBe('Sunday maintenance'); // Sun 23:30 in Shanghai
    expect(q(Date.UTC(2026, 2, 1, 17, 30))).toBe('Sunday maintenance'); // Mon 01:30 in Shanghai
    expect(q(Date.UTC(2026, 2, 1, 18, 30))).toBeNull(); // Mon 02:30
  });
  it('applies a one-off window to its channel only, and run-time silences from the store', () => {
    expect(q(Date.UTC(2026, 2, 2, 12), 'chat')).toBe('maintenance');
    expect(q(Date.UTC(2026, 2, 2, 12), 'email')).toBeNull();
    const stored = [
      { id: 1, vendor: 'acme', channel: null, rule: 'regression', starts_at: t0, ends_at: t0 + HOUR, reason: 'by hand', created_by: 'ops', created_at: t0 },
    ];
    expect(silencedBy([], stored, { vendor: 'acme', vendorTimezone: 'UTC', channel: 'email', rule: 'regression', at: t0 + 1 })).toBe('by hand');
    expect(silencedBy([], stored, { vendor: 'acme', vendorTimezone: 'UTC', channel: 'email', rule: 'sla_breach', at: t0 + 1 })).toBeNull();
  });
});

describe('regression in business time for a vendor with support hours', () => {
  const hours = businessCalendar({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', holidays: [] }, 'Europe/Berlin');
  const businessElapsed = (from: number, ms: number) => hours.elapsed(from, from + ms);
  const now = Date.UTC(2026, 6, 1, 12, 0);
  /** Weekday probes: before the recent window sent at 10:00, within it at 16:30; every reply waits for open hours. */
  function closingSeries(): ProbePoint[] {
    const random = seededRandom(21);
    const out: ProbePoint[] = [];
    for (let day = 150; day >= 1; day--) {
      const date = new Date(now - day * DAY);
      if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
      const recent = day <= 28;
      const sentAt = hours.zone.toUtc(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), recent ? 16 * 60 + 30 : 10 * 60);
      const businessDelay = Math.max(10 * MINUTE, lognormal(random, HOUR, 0.4));
      out.push(probe(out.length + 1, sentAt, hours.addBusinessTime(sentAt, businessDelay) - sentAt));
    }
    return out;
  }

  it('in calendar time the night closure reads as a many-fold slowdown', () => {
    const v = regression(closingSeries(), now, config.regression);
    expect(v.firing).toBe(true);
    expect(Number(v.numbers.ratio)).toBeGreaterThan(5);
    expect(v.numbers.time).toBe('calendar');
  });

  it('in business time the same vendor is as fast as its baseline: no regression', () => {
    const v = regression(closingSeries(), now, config.regression, undefined, businessElapsed);
    expect(v.firing).toBe(false);
    expect(Number(v.numbers.ratio)).toBeLessThan(1.5);
    expect(v.numbers.time).toBe('business_hours');
    expect(v.facts[0]?.label).toContain('business hours');
  });

  it('a real slowdown inside open hours still fires in business time', () => {
    const random = seededRandom(22);
    const probes = closingSeries().map((p) => {
      if ((p.sentAt ?? 0) <= now - 28 * DAY) return p;
      const sentAt = (p.sentAt ?? 0) - 6 * HOUR;
      return probe(p.id, sentAt, hours.addBusinessTime(sentAt, lognormal(random, 5 * HOUR, 0.3)) - sentAt);
    });
    expect(regression(probes, now, config.regression, undefined, businessElapsed).firing).toBe(true);
  });
});
