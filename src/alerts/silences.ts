// Pure: is a (vendor, channel, rule) silenced at a moment — one-off windows, weekly maintenance windows, run-time silences.
import { zone } from '../metrics/business-time.ts';
import type { SilenceInput } from '../config/alerts.ts';
import type { SilenceRow } from '../store/alerts.ts';

const weekdayIndex = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 } as const;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** A silence's rule matches the alert's rule, a threshold's id, or every threshold with "threshold". */
function ruleMatches(silenceRule: string | null | undefined, rule: string): boolean {
  if (!silenceRule) return true;
  if (silenceRule === rule) return true;
  return rule.startsWith('threshold:') && (silenceRule === 'threshold' || `threshold:${silenceRule}` === rule);
}

function weeklyOpen(weekly: NonNullable<SilenceInput['weekly']>, timezone: string, at: number): boolean {
  const wall = zone(weekly.timezone ?? timezone).wall(at);
  const now = wall.hour * 60 + wall.minute;
  const start = minutes(weekly.start);
  const end = minutes(weekly.end);
  const days = new Set<number>(weekly.days.map((d) => weekdayIndex[d]));
  if (end > start) return days.has(wall.weekday) && now >= start && now < end;
  // Overnight window (e.g. 23:00–02:00): the part after midnight belongs to the previous day's window.
  return (days.has(wall.weekday) && now >= start) || (days.has((wall.weekday + 6) % 7) && now < end);
}

interface SilenceQuery {
  vendor: string;
  vendorTimezone: string;
  channel: string | null;
  rule: string;
  at: number;
}

/** The reason of the first silence covering the query, or null. */
export function silencedBy(configured: readonly SilenceInput[], stored: readonly SilenceRow[], q: SilenceQuery): string | null {
  for (const s of configured) {
    if (s.vendor !== q.vendor || (s.channel !== undefined && s.channel !== q.channel) || !ruleMatches(s.rule, q.rule)) continue;
    const open = s.weekly ? weeklyOpen(s.weekly, q.vendorTimezone, q.at) : s.from !== undefined && s.until !== undefined && q.at >= s.from && q.at < s.until;
    if (open) return s.reason;
  }
  for (const s of stored) {
    if (s.vendor !== q.vendor || (s.channel !== null && s.channel !== q.channel) || !ruleMatches(s.rule, q.rule)) continue;
    if (q.at >= s.starts_at && q.at < s.ends_at) return s.reason;
  }
  return null;
}
