import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/core/clock.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';
import { buildStatsReport, dailySpan, resolveWindow } from '../../src/metrics/report.ts';
import { kaplanMeier, quantile } from '../../src/metrics/survival.ts';
import { reviewMessage } from '../../src/replies/review.ts';
import type { ChannelStats } from '../../src/metrics/report-types.ts';

let fixture: FixtureStore;
beforeAll(() => {
  fixture = openFixtureStore({ days: 60 });
});
afterAll(() => fixture.close());

const now = () => fixture.clock.now();
const channelOf = (report: ReturnType<typeof buildStatsReport>, vendor: string, channel: string): ChannelStats => {
  const found = report.vendors.find((v) => v.vendor.slug === vendor)?.channels.find((c) => c.channel === channel);
  if (!found) throw new Error(`no ${vendor}/${channel} in report`);
  return found;
};

/** The probes of one channel straight from the probes table, to check the report against. */
function rawProbes(vendor: string, channel: string, from: number) {
  return fixture.store.db
    .prepare<
      [string, string, number],
      { tier: string; state: string; sent_at: number; deadline_at: number; expires_at: number; first_human_at: number | null }
    >(
      `SELECT p.tier, p.state, p.sent_at, p.deadline_at, p.expires_at, p.first_human_at FROM probes p JOIN channels c ON c.id = p.channel_id
     WHERE c.vendor = ? AND c.channel = ? AND p.sent_at >= ? AND p.state IN ('sent', 'answered', 'expired')`,
    )
    .all(vendor, channel, from);
}

describe('buildStatsReport', () => {
  it('lists public vendors only, unless private ones are asked for', () => {
    const pub = buildStatsReport(fixture.store, { now: now(), window: 'all' });
    expect(pub.vendors.map((v) => v.vendor.slug)).not.toContain('hidden-lab');
    expect(pub.vendors.every((v) => v.vendor.visibility === 'public')).toBe(true);
    const all = buildStatsReport(fixture.store, { now: now(), window: 'all', includePrivate: true });
    expect(all.vendors.map((v) => v.vendor.slug)).toContain('hidden-lab');
    expect(buildStatsReport(fixture.store, { now: now(), vendor: 'hidden-lab' }).vendors).toEqual([]);
  });

  it('windows: 7d, 30d, 90d, all and a from–to trial window', () => {
    expect(resolveWindow({ now: 1_000 * DAY, window: '7d' })).toEqual({ label: '7d', from: 993 * DAY, to: 1_000 * DAY });
    expect(resolveWindow({ now: 1_000 * DAY })).toEqual({ label: '90d', from: 910 * DAY, to: 1_000 * DAY });
    expect(resolveWindow({ now: 1_000 * DAY, window: 'all' })).toEqual({ label: 'all', from: null, to: 1_000 * DAY });
    expect(resolveWindow({ now: 1_000 * DAY, from: 5, to: 9 })).toEqual({ label: 'trial', from: 5, to: 9 });
    const counts = (['7d', '30d', 'all'] as const).map(
      (window) => channelOf(buildStatsReport(fixture.store, { now: now(), window }), 'acme-cloud', 'email').human.n,
    );
    expect(counts).toEqual([
      rawProbes('acme-cloud', 'email', now() - 7 * DAY).length,
      rawProbes('acme-cloud', 'email', now() - 30 * DAY).length,
      rawProbes('acme-cloud', 'email', 0).length,
    ]);
    expect(counts[0]).toBeLessThan(counts[1] ?? 0);
    const trialFrom = now() - 40 * DAY;
    const trialTo = now() - 20 * DAY;
    const trial = buildStatsReport(fixture.store, { now: now(), from: trialFrom, to: trialTo, vendor: 'acme-cloud', channel: 'email' });
    expect(trial.window.label).toBe('trial');
    expect(trial.vendors[0]?.channels.map((c) => c.channel)).toEqual(['email']);
    const inTrial = rawProbes('acme-cloud', 'email', trialFrom).filter((p) => p.sent_at <= trialTo);
    expect(channelOf(trial, 'acme-cloud', 'email').human.n).toBe(inTrial.length);
    expect(channelOf(trial, 'acme-cloud', 'email').daily).toHaveLength(21);
  });

  it('the median is the Kaplan–Meier median of answered and censored probes', () => {
    const report = buildStatsReport(fixture.store, { now: now(), window: '30d' });
    const stats = channelOf(report, 'northwind-video', 'email');
    const raw = rawProbes('northwind-video', 'email', now() - 30 * DAY);
    const expected = quantile(
      kaplanMeier(
        raw.map((p) =>
          p.first_human_at !== null && p.first_human_at <= now()
            ? { time: p.first_human_at - p.sent_at, event: true }
            : { time: Math.min(p.expires_at, now()) - p.sent_at, event: false },
        ),
      ),
      0.5,
    );
    expect(stats.human.median).toEqual(expected);
    expect(stats.human.events).toBe(raw.filter((p) => p.first_human_at !== null).length);
    expect(stats.human.noEventShare).toBeCloseTo(1 - stats.human.events / stats.human.n, 12);
  });

  it('SLA rows per tier count met and missed against each probe deadline', () => {
    const report = buildStatsReport(fixture.store, { now: now(), window: 'all' });
    const stats = channelOf(report, 'acme-cloud', 'email');
    const raw = rawProbes('acme-cloud', 'email', 0);
    for (const row of stats.sla) {
      const tierProbes = raw.filter((p) => p.tier === row.tier);
      const met = tierProbes.filter((p) => p.first_human_at !== null && p.first_human_at <= p.deadline_at).length;
      const pending = tierProbes.filter((p) => p.first_human_at === null && p.deadline_at >= now()).length;
      expect(row.met).toBe(met);
      expect(row.pending).toBe(pending);
      expect(row.n).toBe(tierProbes.length - pending);
      expect(row.missed).toBe(row.n - row.met);
      expect(row.source).toBe('vendor');
    }
    expect(stats.sla.find((r) => r.tier === 'P2')?.targetMs).toBe(8 * HOUR);
    expect(channelOf(report, 'northwind-video', 'email').sla.find((r) => r.tier === 'P2')).toMatchObject({ source: 'reference', targetMs: 4 * HOUR });
  });

  it('daily buckets partition the probes and hour-of-week cells cover each probe once per zone', () => {
    const report = buildStatsReport(fixture.store, { now: now(), window: '30d' });
    for (const vendor of report.vendors) {
      for (const c of vendor.channels) {
        const days = c.daily.reduce((sum, d) => sum + d.probes, 0);
        expect(days).toBe(c.human.n);
        for (const d of c.daily) expect(d.withinSla + d.missedSla + d.noReply + d.open).toBe(d.probes);
        expect(c.coverage.utc).toHaveLength(168);
        expect(c.coverage.vendorTz.reduce((s, h) => s + h.n, 0)).toBe(c.human.n);
        expect(c.coverage.utc.reduce((s, h) => s + h.answered, 0)).toBe(c.human.events);
        expect((c.coverage.businessHours?.n ?? 0) + (c.coverage.offHours?.n ?? 0)).toBe(c.human.n);
      }
    }
  });

  it('the daily series stops at the last 90 days of any window', () => {
    const longTrial = buildStatsReport(fixture.store, { now: now(), from: now() - 400 * DAY, to: now(), vendor: 'acme-cloud', channel: 'email' });
    const all = buildStatsReport(fixture.store, { now: now(), window: 'all', vendor: 'acme-cloud', channel: 'email' });
    const firstDay = Math.floor((now() - dailySpan) / DAY);
    for (const report of [longTrial, all]) {
      const daily = channelOf(report, 'acme-cloud', 'email').daily;
      expect(daily.length).toBeLessThanOrEqual(91);
      expect(daily.at(-1)?.day).toBe(new Date(now()).toISOString().slice(0, 10));
      const inSpan = rawProbes('acme-cloud', 'email', firstDay * DAY).length;
      expect(daily.reduce((sum, d) => sum + d.probes, 0)).toBe(inSpan);
    }
    const trialDaily = channelOf(longTrial, 'acme-cloud', 'email').daily;
    expect(trialDaily).toHaveLength(91);
    expect(trialDaily[0]?.day).toBe(new Date(firstDay * DAY).toISOString().slice(0, 10));
    const ninety = channelOf(buildStatsReport(fixture.store, { now: now(), window: '90d' }), 'acme-cloud', 'email');
    expect(ninety.daily.reduce((sum, d) => sum + d.probes, 0)).toBe(ninety.human.n);
  });

  it('channels get a status, a comparison row and the ack clock apart from the human one', () => {
    const report = buildStatsReport(fixture.store, { now: now(), window: '90d' });
    expect(channelOf(report, 'silent-systems', 'email').status).toBe('not_answering');
    expect(channelOf(report, 'blue-harbor', 'email').status).toBe('meeting_sla');
    const acme = report.vendors.find((v) => v.vendor.slug === 'acme-cloud');
    expect(acme?.comparison.map((c) => c.channel)).toEqual(['chat', 'email']);
    const email = channelOf(report, 'acme-cloud', 'email');
    expect(email.ack.events).toBeGreaterThan(0);
    expect(email.ack.median.value).toBeLessThan(email.human.median.value ?? 0);
    expect(acme?.channelSpread).toBeCloseTo((email.human.median.value ?? 0) / (channelOf(report, 'acme-cloud', 'chat').human.median.value ?? 1), 10);
    expect(report.demoTime).toBe(false);
  });

  it('follows a person’s review of a label', () => {
    const report = buildStatsReport(fixture.store, { now: now(), window: '7d', vendor: 'blue-harbor' });
    const before = channelOf(report, 'blue-harbor', 'email');
    const message = fixture.store.db
      .prepare<[number], { id: number }>(`SELECT m.id FROM messages m JOIN probes p ON p.id = m.probe_id JOIN channels c ON c.id = p.channel_id
      WHERE c.vendor = 'blue-harbor' AND m.label = 'human' AND p.sent_at >= ? ORDER BY m.id LIMIT 1`)
      .get(now() - 7 * DAY);
    if (!message) throw new Error('fixture has no human reply for blue-harbor');
    reviewMessage(fixture.store, message.id, 'auto_ack', 'tester');
    const after = channelOf(buildStatsReport(fixture.store, { now: now(), window: '7d', vendor: 'blue-harbor' }), 'blue-harbor', 'email');
    expect(after.human.events).toBe(before.human.events - 1);
    expect(after.unconfirmedLabels).toBe(before.unconfirmedLabels - 1);
  });
});
