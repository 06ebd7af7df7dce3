// The schema of a trial file (probes/trials/<id>.yaml): a named window over chosen vendors, channels and tiers.
import { z } from 'zod';
import { duration, slug, tiers, timeZone } from './primitives.ts';

/** The dimensions a trial ranks vendors on; weights default to 1 each (resolution counts only where measured). */
export const trialDimensions = ['first_reply', 'sla', 'no_reply', 'resolution'] as const;
export type TrialDimension = (typeof trialDimensions)[number];

/** "2026-04-01", "2026-04-01 09:00", "2026-04-01T09:00" (wall clock in the trial's zone) or ISO with Z or an offset. */
export type TrialTime = { instant: number } | { wall: { year: number; month: number; day: number; minutes: number | null } };

const wallOrInstant = z.union([z.string(), z.date()]).transform((value, ctx): TrialTime => {
  if (value instanceof Date) return { instant: value.getTime() };
  const wall = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(value);
  if (wall) {
    const [, y, mo, d, h, mi] = wall.map(Number);
    const check = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1));
    if (check.getUTCMonth() + 1 !== mo || check.getUTCDate() !== d || (h ?? 0) > 24 || (mi ?? 0) > 59) {
      ctx.addIssue({ code: 'custom', message: `not a calendar date: "${value}"` });
      return z.NEVER;
    }
    return { wall: { year: y ?? 0, month: mo ?? 1, day: d ?? 1, minutes: wall[4] === undefined ? null : (h ?? 0) * 60 + (mi ?? 0) } };
  }
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))) return { instant: Date.parse(value) };
  ctx.addIssue({
    code: 'custom',
    message: `not a date: "${value}" (use 2026-04-01, 2026-04-01 09:00 in the trial's timezone, or an ISO time with Z or an offset)`,
  });
  return z.NEVER;
});

export const trialSchema = z.strictObject({
  name: z.string().min(1).max(200),
  /** The zone start and end are read in when they carry no offset. */
  timezone: timeZone.default('UTC'),
  start: wallOrInstant,
  /** A bare date ends with that whole day. */
  end: wallOrInstant,
  vendors: z.array(slug).min(1).max(50),
  /** Channel ids; each vendor's channels with these ids take part (default: all its channels). */
  channels: z.array(slug).min(1).optional(),
  tiers: z.array(z.enum(tiers)).min(1).default(['P2', 'P3']),
  weights: z.partialRecord(z.enum(trialDimensions), z.number().nonnegative().max(100)).default({}),
  /** The team's own targets, in calendar time, when they differ from the vendors' published SLA. */
  sla: z.partialRecord(z.enum(tiers), z.strictObject({ first_response: duration, resolution: duration.optional() })).default({}),
  /** What the plan assumes where the store has no answered probes yet. */
  plan: z
    .strictObject({
      assumed_median: duration.default(4 * 3_600_000),
      /** Typical ratio between a slow and a fast answer (p84 / p50 of a log-normal): 3 means σ = ln 3. */
      assumed_spread: z.number().gt(1).max(100).default(3),
      assumed_no_reply: z.number().min(0).max(0.95).default(0.1),
      /** A median is decided when its 95 % interval's high / low is at most this. */
      decision_ratio: z.number().gt(1).max(100).default(3),
    })
    .default({ assumed_median: 4 * 3_600_000, assumed_spread: 3, assumed_no_reply: 0.1, decision_ratio: 3 }),
  notes: z.string().max(10_000).optional(),
});
export type TrialInput = z.output<typeof trialSchema>;

export const trialIdSchema = slug;
