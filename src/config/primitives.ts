// The values every config schema is built from: tiers, slugs, durations, instants, weekdays, clock times, time zones.
import { z } from 'zod';
import { parseDuration } from '../core/clock.ts';

export const tiers = ['P0', 'P1', 'P2', 'P3'] as const;
export type Tier = (typeof tiers)[number];

export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and dashes (e.g. "acme-cloud")');

/** "90s", "15m", "4h", "7d" or milliseconds, read as milliseconds. */
export const duration = z.union([z.string(), z.number().nonnegative()]).transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
    return z.NEVER;
  }
});

/** A date and time (ISO 8601 text or a YAML timestamp), read as ms since epoch. */
export const instant = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `not a date and time: "${String(value)}" (use e.g. 2026-03-01T02:00:00Z)` });
    return z.NEVER;
  }
  return ms;
});

export const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'use HH:MM (24-hour)');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA time zone (e.g. "Europe/Berlin", "Asia/Shanghai", "UTC")');
