// Hard ceilings on rate caps: probes write to real people, so no file may ask for more than these.
import { MINUTE } from '../core/clock.ts';

/** See docs/decisions.md "Rate-cap ceilings" for why these numbers. */
const capCeilings = {
  per_day: 24,
  per_week: 100,
  /** The shortest gap allowed between two probes to one vendor (over all its channels). */
  min_interval_floor: 10 * MINUTE,
} as const;

/** Used when a vendor file gives per_day and per_week but no min_interval. */
export const defaultMinIntervalMs = capCeilings.min_interval_floor;

const reservedHost = /(^|\.)(test|example|invalid|localhost|demo|sandbox)$|^(example\.(com|net|org))$|^127\.\d+\.\d+\.\d+$|^\[?::1\]?$/i;

function hostOf(target: string): string | undefined {
  const at = /^[^@\s]+@([^@\s>]+)>?$/.exec(target.trim());
  if (at) return at[1];
  try {
    return new URL(target).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Whether every address and URL a vendor's channels reach is a reserved or loopback name (RFC 2606/6761, the
 * sandbox's .demo): such a vendor reaches no person, and in a demo catalog its caps may be as fast as demo time.
 */
export function reachesNoOne(channels: readonly Record<string, unknown>[]): boolean {
  return channels.every((c) => {
    const targets = [c.to, c.url, ...(Array.isArray(c.cc) ? c.cc : [])].filter((t): t is string => typeof t === 'string');
    return targets.every((t) => {
      const host = hostOf(t);
      return host !== undefined && reservedHost.test(host);
    });
  });
}

interface CapProblem {
  path: (string | number)[];
  message: string;
}

interface CapsInput {
  rate_caps: { per_day: number; per_week: number; min_interval?: number | undefined };
  channels: readonly ({
    kind: string;
    rate_caps?: { per_day?: number | undefined; per_week?: number | undefined } | undefined;
    schedule?: { every?: number | undefined; per_week?: number | undefined } | undefined;
  } & Record<string, unknown>)[];
}

const minutes = (ms: number) => `${Math.round(ms / MINUTE)} min`;

/**
 * The ceilings, and schedules that could only ever be refused by the caps. A demo catalog (demo_time) whose vendor
 * reaches no one may go faster than the ceilings: its seconds stand for hours.
 */
export function capProblems(vendor: CapsInput, demoTime: boolean): CapProblem[] {
  if (demoTime && reachesNoOne(vendor.channels)) return [];
  const problems: CapProblem[] = [];
  const ceiling = (path: (string | number)[], caps: { per_day?: number | undefined; per_week?: number | undefined }) => {
    if (caps.per_day !== undefined && caps.per_day > capCeilings.per_day)
      problems.push({
        path: [...path, 'per_day'],
        message: `${caps.per_day} per day is above the ceiling of ${capCeilings.per_day}: probes write to real people`,
      });
    if (caps.per_week !== undefined && caps.per_week > capCeilings.per_week)
      problems.push({
        path: [...path, 'per_week'],
        message: `${caps.per_week} per week is above the ceiling of ${capCeilings.per_week}: probes write to real people`,
      });
  };
  ceiling(['rate_caps'], vendor.rate_caps);
  const minInterval = vendor.rate_caps.min_interval ?? defaultMinIntervalMs;
  if (minInterval < capCeilings.min_interval_floor) {
    problems.push({
      path: ['rate_caps', 'min_interval'],
      message: `${minutes(minInterval)} is below the floor of ${minutes(capCeilings.min_interval_floor)} between two probes to one vendor`,
    });
  }
  vendor.channels.forEach((channel, i) => {
    if (channel.rate_caps) ceiling(['channels', i, 'rate_caps'], channel.rate_caps);
    if (channel.kind === 'manual' || !channel.schedule) return;
    const { every, per_week: perWeek } = channel.schedule;
    if (every !== undefined && every < minInterval) {
      problems.push({
        path: ['channels', i, 'schedule', 'every'],
        message: `every ${minutes(every)} is shorter than the vendor's min_interval of ${minutes(minInterval)}: most probes would be refused`,
      });
    }
    const weekCap = Math.min(vendor.rate_caps.per_week, channel.rate_caps?.per_week ?? Infinity);
    if (perWeek !== undefined && perWeek > weekCap) {
      problems.push({
        path: ['channels', i, 'schedule', 'per_week'],
        message: `${perWeek} per week is more than the cap of ${weekCap} per week: the extra probes would be refused`,
      });
    }
  });
  return problems;
}
