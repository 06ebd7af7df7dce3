import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, WEEK } from '../../src/core/clock.ts';
import { scheduleSchema, supportHoursSchema } from '../../src/config/schema.ts';
import { businessCalendar, hourOfWeek, zone } from '../../src/metrics/business-time.ts';
import { nextCronTime, nextSlot, nextSpreadSlot, parseCron, phaseOf } from '../../src/scheduler/slots.ts';

const utc = (iso: string) => Date.parse(iso);

describe('cron schedules on the vendor wall clock', () => {
  it('weekdays at 09:00 New York, across the DST change', () => {
    const ny = zone('America/New_York');
    // Friday 10:00 EST → Monday 09:00 EDT (clocks moved on Sunday 8 March).
    expect(nextCronTime('0 9 * * 1-5', utc('2026-03-06T15:00:00Z'), ny)).toBe(utc('2026-03-09T13:00:00Z'));
    expect(nextCronTime('0 9 * * 1-5', utc('2026-03-05T13:59:00Z'), ny)).toBe(utc('2026-03-05T14:00:00Z'));
    // Strictly after: at exactly 09:00 the next one is tomorrow's.
    expect(nextCronTime('0 9 * * 1-5', utc('2026-03-05T14:00:00Z'), ny)).toBe(utc('2026-03-06T14:00:00Z'));
  });

  it('day of month OR day of week when both are restricted, L = last day, seconds field', () => {
    const z = zone('UTC');
    // 13th of the month or a Friday: after Wed 2026-03-11 → Fri 13 March (both), then Fri 20.
    expect(nextCronTime('0 0 13 * 5', utc('2026-03-11T00:00:00Z'), z)).toBe(utc('2026-03-13T00:00:00Z'));
    expect(nextCronTime('0 0 13 * 5', utc('2026-03-13T00:00:00Z'), z)).toBe(utc('2026-03-20T00:00:00Z'));
    expect(nextCronTime('0 12 L * *', utc('2026-02-10T00:00:00Z'), z)).toBe(utc('2026-02-28T12:00:00Z'));
    expect(nextCronTime('*/20 * * * * *', utc('2026-02-10T00:00:05Z'), z)).toBe(utc('2026-02-10T00:00:20Z'));
    expect(() => parseCron('not cron')).toThrow(RangeError);
  });
});

describe('per-week spread', () => {
  const ctx = { timezone: 'Europe/Berlin', phase: phaseOf('acme/email') };

  it('places about N probes a week and covers all 168 hours of the week over time', () => {
    const slots: number[] = [];
    let at = utc('2026-01-05T00:00:00Z');
    const end = at + 40 * WEEK;
    while ((at = nextSpreadSlot(at, 10, ctx, false)) < end) slots.push(at);
    expect(slots.length).toBeGreaterThanOrEqual(398);
    expect(slots.length).toBeLessThanOrEqual(402);
    for (let i = 1; i < slots.length; i++) expect(slots[i] ?? 0).toBeGreaterThan(slots[i - 1] ?? 0);
    const hours = new Set(slots.map((t) => hourOfWeek(t, zone('Europe/Berlin'))));
    // 400 uniform random draws would reach about 153 of 168 hours; the golden-ratio spread reaches them all.
    expect(hours.size).toBe(168);
    // Each week still gets its share: no week without probes, none with a burst.
    const perWeek = new Map<number, number>();
    for (const t of slots) {
      const week = Math.floor((t - utc('2026-01-05T00:00:00Z')) / WEEK);
      perWeek.set(week, (perWeek.get(week) ?? 0) + 1);
    }
    expect(perWeek.size).toBe(40);
    for (const count of perWeek.values()) {
      expect(count).toBeGreaterThanOrEqual(9);
      expect(count).toBeLessThanOrEqual(11);
    }
  });

  it('spread: support_hours keeps every probe inside the opening hours, and covers them', () => {
    const calendar = businessCalendar(supportHoursSchema.parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' }), 'Europe/Berlin');
    const slots: number[] = [];
    let at = utc('2026-01-05T00:00:00Z');
    const end = at + 20 * WEEK;
    while ((at = nextSpreadSlot(at, 5, { ...ctx, calendar }, true)) < end) slots.push(at);
    expect(slots.length).toBeGreaterThanOrEqual(99);
    for (const t of slots) expect(calendar.isOpen(t)).toBe(true);
    expect(new Set(slots.map((t) => hourOfWeek(t, zone('Europe/Berlin')))).size).toBe(45);
  });

  it('different channels with the same schedule get different slots', () => {
    const after = utc('2026-01-05T00:00:00Z');
    const a = nextSpreadSlot(after, 3, { timezone: 'UTC', phase: phaseOf('a/email') }, false);
    const b = nextSpreadSlot(after, 3, { timezone: 'UTC', phase: phaseOf('b/email') }, false);
    expect(Math.abs(a - b)).toBeGreaterThan(MINUTE);
  });

  it('every: counts from the previous due time, skipping slots missed while down', () => {
    const schedule = scheduleSchema.parse({ every: '30s' });
    const c = { timezone: 'UTC', phase: 0 };
    expect(nextSlot(schedule, 1_000_000, 990_000, c)).toBe(1_020_000);
    expect(nextSlot(schedule, 5_000_000, 990_000, c)).toBe(5_030_000);
    expect(nextSlot(scheduleSchema.parse({ per_week: 2 }), 0, null, c)).toBeGreaterThan(0);
    expect(nextSlot(scheduleSchema.parse({ cron: '0 * * * *' }), HOUR + 1, null, c)).toBe(2 * HOUR);
  });
});
