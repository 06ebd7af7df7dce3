// Pure: wall clocks in IANA time zones (DST-aware, via Intl) and a business-hours calendar: deadlines, elapsed time, hour of week.
import { DAY, HOUR, MINUTE } from '../core/clock.ts';
import type { SupportHours, Weekday } from '../config/schema.ts';

export interface WallClock {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  hour: number;
  minute: number;
}

export interface Zone {
  name: string;
  /** Local wall clock minus UTC, in ms, at instant `at`. */
  offset(at: number): number;
  wall(at: number): WallClock;
  /**
   * The instant a local date and time happens. A time skipped by a DST change maps to the same
   * distance after the change; a repeated time maps to its first occurrence.
   */
  toUtc(year: number, month: number, day: number, minuteOfDay: number): number;
}

// Offsets change only at whole quarter hours (every zone in use): cache them per 15-minute slice.
const slice = 15 * MINUTE;
const zones = new Map<string, Zone>();

export function zone(name: string): Zone {
  const cached = zones.get(name);
  if (cached) return cached;
  const made = makeZone(name);
  zones.set(name, made);
  return made;
}

function makeZone(name: string): Zone {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const offsets = new Map<number, number>();
  const computeOffset = (at: number): number => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    return asUtc - Math.floor(at / 1000) * 1000;
  };
  const cached = (key: number, compute: () => number): number => {
    let value = offsets.get(key);
    if (value === undefined) {
      value = compute();
      if (offsets.size > 200_000) offsets.clear();
      offsets.set(key, value);
    }
    return value;
  };
  // Most UTC days have one offset throughout: one Intl call per day boundary; days with a change are resolved per slice.
  const daySlices = DAY / slice;
  const offset = (at: number): number => {
    const day = Math.floor(at / DAY);
    const startOffset = cached(day * daySlices, () => computeOffset(day * DAY));
    const endOffset = cached((day + 1) * daySlices, () => computeOffset((day + 1) * DAY));
    if (startOffset === endOffset) return startOffset;
    const key = Math.floor(at / slice);
    return cached(key, () => computeOffset(key * slice));
  };
  return {
    name,
    offset,
    wall(at) {
      const local = new Date(at + offset(at));
      return {
        year: local.getUTCFullYear(),
        month: local.getUTCMonth() + 1,
        day: local.getUTCDate(),
        weekday: (local.getUTCDay() + 6) % 7,
        hour: local.getUTCHours(),
        minute: local.getUTCMinutes(),
      };
    },
    toUtc(year, month, day, minuteOfDay) {
      const wallMs = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE;
      const before = offset(wallMs - DAY / 2);
      const after = offset(wallMs + DAY / 2);
      const early = wallMs - before;
      const late = wallMs - after;
      const earlyValid = offset(early) === before;
      const lateValid = offset(late) === after;
      if (earlyValid && lateValid) return Math.min(early, late);
      if (lateValid) return late;
      return early;
    },
  };
}

/** Hour of the week (0 = Monday 00:00–01:00 … 167 = Sunday 23:00–24:00) in a zone. */
export function hourOfWeek(at: number, tz: Zone): number {
  const local = at + tz.offset(at);
  const day = Math.floor(local / DAY);
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return ((((day + 3) % 7) + 7) % 7) * 24 + Math.floor((local - day * DAY) / HOUR);
}

const weekdayIndex: Record<Weekday, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };

/** A vendor's declared support hours as a calendar of open intervals in its time zone. */
export interface BusinessCalendar {
  zone: Zone;
  /** Open intervals [start, end) overlapping [from, to), in order. */
  intervals(from: number, to: number): Generator<[number, number]>;
  isOpen(at: number): boolean;
  /** The instant `durationMs` of open time after `from` (open time is counted only inside intervals). */
  addBusinessTime(from: number, durationMs: number): number;
  /** Open time between two instants (negative when `to` < `from`). */
  elapsed(from: number, to: number): number;
  /** The same questions answered by binary search over the intervals of [from, to], for many probes at once. */
  index(from: number, to: number): CalendarIndex;
}

export interface CalendarIndex {
  isOpen(at: number): boolean;
  elapsed(from: number, to: number): number;
}

function parseHhmm(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

const maxDays = 20 * 366;

export function businessCalendar(hours: SupportHours, timezone: string): BusinessCalendar {
  const tz = zone(timezone);
  const open = new Set(hours.days.map((d) => weekdayIndex[d]));
  const holidays = new Set(hours.holidays);
  const startMin = parseHhmm(hours.start);
  const endMin = parseHhmm(hours.end);
  const overnight = endMin <= startMin;

  /** Open intervals starting on local dates from the one before `from` onwards. */
  function* openIntervals(from: number): Generator<[number, number]> {
    const w = tz.wall(from);
    let date = Date.UTC(w.year, w.month - 1, w.day) - DAY;
    for (let i = 0; i < maxDays; i++, date += DAY) {
      const d = new Date(date);
      const year = d.getUTCFullYear();
      const month = d.getUTCMonth() + 1;
      const day = d.getUTCDate();
      const weekday = (d.getUTCDay() + 6) % 7;
      const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      if (!open.has(weekday) || holidays.has(iso)) continue;
      const start = tz.toUtc(year, month, day, startMin);
      const next = new Date(date + DAY);
      const end =
        overnight || endMin >= 24 * 60
          ? tz.toUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), overnight ? endMin : endMin - 24 * 60)
          : tz.toUtc(year, month, day, endMin);
      if (end > start) yield [start, end];
    }
  }

  const calendar: BusinessCalendar = {
    zone: tz,
    *intervals(from, to) {
      for (const [s, e] of openIntervals(from)) {
        if (s >= to) return;
        if (e > from) yield [Math.max(s, from), Math.min(e, to)];
      }
    },
    isOpen(at) {
      for (const [s, e] of openIntervals(at)) {
        if (s > at) return false;
        if (at < e) return true;
      }
      return false;
    },
    addBusinessTime(from, durationMs) {
      let remaining = Math.max(0, durationMs);
      for (const [s, e] of openIntervals(from)) {
        if (e <= from) continue;
        const begin = Math.max(s, from);
        if (remaining === 0) return begin;
        if (e - begin >= remaining) return begin + remaining;
        remaining -= e - begin;
      }
      throw new RangeError(`no business time left within ${maxDays} days of ${new Date(from).toISOString()}`);
    },
    elapsed(from, to) {
      if (to < from) return -calendar.elapsed(to, from);
      let total = 0;
      for (const [s, e] of calendar.intervals(from, to)) total += e - s;
      return total;
    },
    index(from, to) {
      const starts: number[] = [];
      const ends: number[] = [];
      const before: number[] = [];
      let sum = 0;
      for (const [s, e] of calendar.intervals(from, to)) {
        starts.push(s);
        ends.push(e);
        before.push(sum);
        sum += e - s;
      }
      /** Index of the last interval starting at or before `at`, or −1. */
      const find = (at: number): number => {
        let lo = 0;
        let hi = starts.length - 1;
        let found = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if ((starts[mid] ?? 0) <= at) {
            found = mid;
            lo = mid + 1;
          } else hi = mid - 1;
        }
        return found;
      };
      /** Open time from `from` up to `at`. */
      const openUntil = (at: number): number => {
        const i = find(at);
        if (i < 0) return 0;
        return (before[i] ?? 0) + Math.min(at, ends[i] ?? 0) - (starts[i] ?? 0);
      };
      const inside = (at: number) => at >= from && at <= to;
      return {
        isOpen(at) {
          if (!inside(at)) return calendar.isOpen(at);
          const i = find(at);
          return i >= 0 && at < (ends[i] ?? 0);
        },
        elapsed(a, b) {
          if (!inside(a) || !inside(b)) return calendar.elapsed(a, b);
          return openUntil(b) - openUntil(a);
        },
      };
    },
  };
  return calendar;
}
