import { afterEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../src/core/clock.ts';
import { supportHoursSchema } from '../../src/config/schema.ts';
import { businessCalendar, hourOfWeek, zone } from '../../src/metrics/business-time.ts';
import { deadlineFor, slaOutcome, slaTarget } from '../../src/metrics/sla.ts';
import { buildStatsReport } from '../../src/metrics/report.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const utc = (iso: string) => Date.parse(iso);
const weekdays = supportHoursSchema.parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' });

describe('time zones', () => {
  it('maps local wall times to instants across DST changes', () => {
    const berlin = zone('Europe/Berlin');
    expect(berlin.toUtc(2026, 3, 27, 17 * 60)).toBe(utc('2026-03-27T16:00:00Z'));
    expect(berlin.toUtc(2026, 3, 30, 12 * 60)).toBe(utc('2026-03-30T10:00:00Z'));
    // 02:30 does not exist on 29 March (clocks jump 02:00 → 03:00): it maps to 03:30 CEST.
    expect(berlin.toUtc(2026, 3, 29, 2 * 60 + 30)).toBe(utc('2026-03-29T01:30:00Z'));
    // 02:30 happens twice on 25 October: the first (CEST) is taken.
    expect(berlin.toUtc(2026, 10, 25, 2 * 60 + 30)).toBe(utc('2026-10-25T00:30:00Z'));
    expect(zone('Asia/Kolkata').toUtc(2026, 1, 1, 0)).toBe(utc('2025-12-31T18:30:00Z'));
  });

  it('buckets an instant by hour of week in each zone (0 = Monday 00:00)', () => {
    const at = utc('2026-03-16T00:30:00Z'); // a Monday in UTC
    expect(hourOfWeek(at, zone('UTC'))).toBe(0);
    expect(hourOfWeek(at, zone('Asia/Shanghai'))).toBe(8);
    expect(hourOfWeek(at, zone('America/New_York'))).toBe(6 * 24 + 20); // Sunday 20:30 EDT
    expect(hourOfWeek(utc('2026-03-22T23:59:00Z'), zone('UTC'))).toBe(167);
    // The same UTC hour lands one local hour later once Berlin is on summer time.
    expect(hourOfWeek(utc('2026-03-27T08:00:00Z'), zone('Europe/Berlin'))).toBe(4 * 24 + 9);
    expect(hourOfWeek(utc('2026-04-03T08:00:00Z'), zone('Europe/Berlin'))).toBe(4 * 24 + 10);
  });
});

describe('business-hours clock', () => {
  it('Berlin, Friday 17:00 + 4 business hours = Monday 12:00, across the spring DST change', () => {
    const calendar = businessCalendar(weekdays, 'Europe/Berlin');
    const sent = utc('2026-03-27T16:00:00Z');
    const deadline = calendar.addBusinessTime(sent, 4 * HOUR);
    expect(deadline).toBe(utc('2026-03-30T10:00:00Z'));
    expect(deadline - sent).toBe(66 * HOUR); // 67 h of wall clock, one hour skipped
    expect(calendar.elapsed(sent, deadline)).toBe(4 * HOUR);
    expect(calendar.elapsed(deadline, sent)).toBe(-4 * HOUR);
  });

  it('New York, Friday 16:00 + 8 business hours = Monday 15:00, at both DST changes', () => {
    const hours = supportHoursSchema.parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '17:00' });
    const calendar = businessCalendar(hours, 'America/New_York');
    expect(calendar.addBusinessTime(utc('2026-03-06T21:00:00Z'), 8 * HOUR)).toBe(utc('2026-03-09T19:00:00Z'));
    expect(calendar.addBusinessTime(utc('2026-10-30T20:00:00Z'), 8 * HOUR)).toBe(utc('2026-11-02T20:00:00Z'));
  });

  it('skips declared holidays (Shanghai, National Day)', () => {
    const hours = supportHoursSchema.parse({ ...weekdays, holidays: ['2026-10-01', '2026-10-02'] });
    const calendar = businessCalendar(hours, 'Asia/Shanghai');
    // Wednesday 17:00 CST: one hour that day, Thursday and Friday closed, the weekend, then Monday 09:00–10:00.
    expect(calendar.addBusinessTime(utc('2026-09-30T09:00:00Z'), 2 * HOUR)).toBe(utc('2026-10-05T02:00:00Z'));
    expect(calendar.isOpen(utc('2026-10-01T03:00:00Z'))).toBe(false);
    expect(calendar.isOpen(utc('2026-09-30T03:00:00Z'))).toBe(true);
  });

  it('starts counting at the next opening when sent outside hours, and handles overnight and 24:00', () => {
    const berlin = businessCalendar(weekdays, 'Europe/Berlin');
    expect(berlin.addBusinessTime(utc('2026-03-14T12:00:00Z'), 30 * MINUTE)).toBe(utc('2026-03-16T08:30:00Z')); // Saturday → Monday 09:30 CET
    expect(berlin.addBusinessTime(utc('2026-03-17T09:00:00Z'), 4 * HOUR)).toBe(utc('2026-03-17T13:00:00Z'));
    const night = businessCalendar(supportHoursSchema.parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '22:00', end: '06:00' }), 'UTC');
    expect(night.addBusinessTime(utc('2026-03-17T12:00:00Z'), HOUR)).toBe(utc('2026-03-17T23:00:00Z'));
    expect(night.addBusinessTime(utc('2026-03-18T05:00:00Z'), 2 * HOUR)).toBe(utc('2026-03-18T23:00:00Z'));
    expect(night.isOpen(utc('2026-03-18T03:00:00Z'))).toBe(true);
    const weekend = businessCalendar(supportHoursSchema.parse({ days: ['sat', 'sun'], start: '00:00', end: '24:00' }), 'UTC');
    expect(weekend.addBusinessTime(utc('2026-03-20T12:00:00Z'), 30 * HOUR)).toBe(utc('2026-03-22T06:00:00Z'));
  });
});

describe('SLA targets and outcomes', () => {
  const vendor = {
    sla: { P2: { first_response: 4 * HOUR, business_hours: true }, P3: { first_response: 24 * HOUR, business_hours: false } },
    support_hours: weekdays,
    timezone: 'Europe/Berlin',
  };

  it('uses the vendor SLA, else the reference table; business hours only with declared support hours', () => {
    expect(slaTarget(vendor, 'P2')).toEqual({ tier: 'P2', firstResponseMs: 4 * HOUR, source: 'vendor', businessHours: true });
    expect(slaTarget(vendor, 'P1')).toEqual({ tier: 'P1', firstResponseMs: HOUR, source: 'reference', businessHours: false });
    expect(slaTarget({ sla: vendor.sla }, 'P2').businessHours).toBe(false);
    const sent = utc('2026-03-27T16:00:00Z');
    expect(deadlineFor(vendor, 'P2', sent)).toBe(utc('2026-03-30T10:00:00Z'));
    expect(deadlineFor(vendor, 'P3', sent)).toBe(sent + 24 * HOUR);
    expect(deadlineFor({ sla: vendor.sla }, 'P2', sent)).toBe(sent + 4 * HOUR);
  });

  it('says met or missed, and by how much in calendar and business time', () => {
    const calendar = businessCalendar(weekdays, 'Europe/Berlin');
    const deadlineAt = utc('2026-03-30T10:00:00Z');
    expect(slaOutcome({ deadlineAt, firstHumanAt: deadlineAt - HOUR }, deadlineAt + 9 * HOUR, calendar)).toEqual({
      verdict: 'met',
      marginMs: -HOUR,
      businessMarginMs: -HOUR,
    });
    // Answered Monday 19:00 CEST: 7 calendar hours late, 6 business hours late (the office closed at 18:00).
    expect(slaOutcome({ deadlineAt, firstHumanAt: utc('2026-03-30T17:00:00Z') }, utc('2026-04-01T00:00:00Z'), calendar)).toEqual({
      verdict: 'missed',
      marginMs: 7 * HOUR,
      businessMarginMs: 6 * HOUR,
    });
    expect(slaOutcome({ deadlineAt, firstHumanAt: null }, deadlineAt - MINUTE).verdict).toBe('pending');
    expect(slaOutcome({ deadlineAt, firstHumanAt: null }, deadlineAt + MINUTE)).toEqual({ verdict: 'missed', marginMs: MINUTE, businessMarginMs: null });
    // A reply the report's "now" has not reached yet does not count.
    expect(slaOutcome({ deadlineAt, firstHumanAt: deadlineAt - HOUR }, deadlineAt - 2 * HOUR).verdict).toBe('pending');
  });
});

describe('SLA compliance in the report', () => {
  let fixture: FixtureStore | undefined;
  afterEach(() => fixture?.close());

  it('business-hours targets are counted on the vendor calendar, with calendar-time figures beside them', () => {
    fixture = openFixtureStore({
      days: 30,
      vendors: [
        {
          slug: 'bizhours',
          name: 'Biz Hours',
          timezone: 'Europe/Berlin',
          sla: { P2: { first_response: '4h', business_hours: true }, P3: { first_response: '8h', business_hours: true } },
          channels: [{ id: 'email', kind: 'email', medianMs: 6 * HOUR, noReplyShare: 0.1 }],
        },
      ],
    });
    const report = buildStatsReport(fixture.store, { now: fixture.clock.now(), window: 'all' });
    const rows = report.vendors[0]?.channels[0]?.sla ?? [];
    expect(rows.length).toBeGreaterThan(0);
    const calendar = businessCalendar(weekdays, 'Europe/Berlin');
    const probes = fixture.store.db
      .prepare<[], { tier: string; sent_at: number; deadline_at: number; first_human_at: number | null }>(
        `SELECT tier, sent_at, deadline_at, first_human_at FROM probes WHERE state IN ('sent', 'answered', 'expired')`,
      )
      .all();
    for (const p of probes) expect(p.deadline_at).toBe(calendar.addBusinessTime(p.sent_at, (p.tier === 'P2' ? 4 : 8) * HOUR));
    for (const row of rows) {
      expect(row.businessHours).toBe(true);
      const ofTier = probes.filter((p) => p.tier === row.tier);
      expect(row.met).toBe(ofTier.filter((p) => p.first_human_at !== null && p.first_human_at <= p.deadline_at).length);
      const calendarMet = ofTier.filter((p) => p.first_human_at !== null && p.first_human_at - p.sent_at <= row.targetMs).length;
      expect(row.calendarTime?.met).toBe(calendarMet);
      expect(row.calendarTime?.met ?? 0).toBeLessThanOrEqual(row.met);
    }
  });
});
