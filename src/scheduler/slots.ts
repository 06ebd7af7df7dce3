// Pure: when a channel's next probe is due — cron expressions in the vendor's zone, `every`, and `per_week` spread over the week.
import cron from 'node-cron';
import { DAY, SECOND } from '../core/clock.ts';
import type { Schedule } from '../config/schema.ts';
import { zone, type BusinessCalendar, type Zone } from '../metrics/business-time.ts';

export interface SlotContext {
  /** The vendor's time zone: cron fields and weeks are read on its wall clock. */
  timezone: string;
  /** The vendor's support hours, for `spread: support_hours`. */
  calendar?: BusinessCalendar;
  /** 0..1, distinct per channel, so channels with the same schedule do not fire together. */
  phase: number;
}

interface CronFields {
  seconds: number[];
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  lastDayOfMonth: boolean;
  domRestricted: boolean;
  months: Set<number>;
  weekdays: Set<number>;
  dowRestricted: boolean;
}

const cronCache = new Map<string, CronFields>();

/** Parses with node-cron (so the syntax is exactly the one `validate` accepts) into sets we can search. */
export function parseCron(expression: string): CronFields {
  const cached = cronCache.get(expression);
  if (cached) return cached;
  if (!cron.validate(expression)) throw new RangeError(`not a cron expression: "${expression}"`);
  const fields = cron.parse(expression);
  const numbers = (list: (number | string)[]) => list.filter((v): v is number => typeof v === 'number');
  const dom = fields.dayOfMonth;
  const unsupported = [...dom, ...fields.dayOfWeek].filter((v) => typeof v === 'string' && v !== 'L');
  if (unsupported.length > 0) throw new RangeError(`cron "${expression}": ${unsupported.join(', ')} is not supported`);
  const weekdays = new Set(numbers(fields.dayOfWeek).map((d) => d % 7));
  const parsed: CronFields = {
    seconds: [...numbers(fields.second)].sort((a, b) => a - b),
    minutes: [...numbers(fields.minute)].sort((a, b) => a - b),
    hours: [...numbers(fields.hour)].sort((a, b) => a - b),
    daysOfMonth: new Set(numbers(dom)),
    lastDayOfMonth: dom.includes('L'),
    domRestricted: dom.includes('L') || numbers(dom).length < 31,
    months: new Set(numbers(fields.month)),
    weekdays,
    dowRestricted: weekdays.size < 7,
  };
  cronCache.set(expression, parsed);
  return parsed;
}

const maxCronDays = 5 * 366;

/** The first instant strictly after `after` that the cron expression matches on the zone's wall clock. */
export function nextCronTime(expression: string, after: number, tz: Zone): number {
  const f = parseCron(expression);
  const start = tz.wall(after);
  let date = Date.UTC(start.year, start.month - 1, start.day);
  for (let i = 0; i < maxCronDays; i++, date += DAY) {
    const d = new Date(date);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    if (!f.months.has(month)) continue;
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const domMatch = f.daysOfMonth.has(day) || (f.lastDayOfMonth && day === lastDay);
    const dowMatch = f.weekdays.has(d.getUTCDay());
    const dayMatch = f.domRestricted && f.dowRestricted ? domMatch || dowMatch : domMatch && dowMatch;
    if (!dayMatch) continue;
    for (const hour of f.hours) {
      for (const minute of f.minutes) {
        const base = tz.toUtc(year, month, day, hour * 60 + minute);
        for (const second of f.seconds) {
          const at = base + second * SECOND;
          if (at > after) return at;
        }
      }
    }
  }
  throw new RangeError(`cron "${expression}" has no time within ${maxCronDays} days`);
}

const goldenFraction = (Math.sqrt(5) - 1) / 2;
// Weeks are counted from Monday 2024-01-01 on the vendor's wall clock.
const anchorDate = Date.UTC(2024, 0, 1);

function weekStart(tz: Zone, week: number): number {
  const d = new Date(anchorDate + week * 7 * DAY);
  return tz.toUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0);
}

/**
 * Slot k of an `N per week` schedule sits at week position (k + frac(k·φ + phase)) / N: one slot in every 1/N of a
 * week, at a golden-ratio offset inside it, so successive weeks probe different hours and, over time, all 168.
 * With `support_hours` the position is read in open time: the same spread, inside the vendor's opening hours.
 */
function spreadSlotTime(k: number, perWeek: number, ctx: SlotContext, withinSupportHours: boolean): number {
  const frac = (x: number) => x - Math.floor(x);
  const position = (k + frac(k * goldenFraction + ctx.phase)) / perWeek;
  const week = Math.floor(position);
  const tz = zone(ctx.timezone);
  const begin = weekStart(tz, week);
  const end = weekStart(tz, week + 1);
  const share = position - week;
  if (withinSupportHours && ctx.calendar) return ctx.calendar.addBusinessTime(begin, share * ctx.calendar.elapsed(begin, end));
  return begin + Math.floor(share * (end - begin));
}

/** The first spread slot strictly after `after`. */
export function nextSpreadSlot(after: number, perWeek: number, ctx: SlotContext, withinSupportHours: boolean): number {
  const tz = zone(ctx.timezone);
  const weeksSinceAnchor = (after - weekStart(tz, 0)) / (7 * DAY);
  let k = Math.max(0, Math.floor(weeksSinceAnchor * perWeek) - 2);
  for (let guard = 0; guard < 10_000; guard++, k++) {
    const at = spreadSlotTime(k, perWeek, ctx, withinSupportHours);
    if (at > after) return at;
  }
  throw new RangeError('no spread slot found');
}

/** The shortest gap the schedule means between probes (bounds the jitter). */
export function nominalIntervalMs(schedule: Schedule): number {
  if (schedule.every !== undefined) return schedule.every;
  if (schedule.per_week !== undefined) return (7 * DAY) / schedule.per_week;
  return DAY;
}

/** The next slot after `after` (before jitter). `previous` is the last due time, which `every` counts from. */
export function nextSlot(schedule: Schedule, after: number, previous: number | null, ctx: SlotContext): number {
  if (schedule.every !== undefined) {
    const every = Math.max(SECOND, schedule.every);
    if (previous === null) return after + Math.floor(ctx.phase * every);
    const next = previous + every;
    return next > after ? next : after + every;
  }
  if (schedule.per_week !== undefined) return nextSpreadSlot(after, schedule.per_week, ctx, schedule.spread === 'support_hours');
  if (schedule.cron !== undefined) return nextCronTime(schedule.cron, after, zone(ctx.timezone));
  throw new RangeError('a schedule needs cron, per_week or every');
}

/** A stable 0..1 number for a channel (FNV-1a of its name). */
export function phaseOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 4294967296;
}
