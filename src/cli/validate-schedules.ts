// `validate --verbose`: each channel's next planned probe times, computed as the scheduler does, on the vendor's clock.
import type { Catalog } from '../config/schema.ts';
import { channels } from '../channels/registry.ts';
import { calendarOf } from '../metrics/sla.ts';
import { nextSlot, phaseOf } from '../scheduler/slots.ts';

function wallClock(at: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** One line per channel: its schedule's next `count` slots after `now` (before jitter), in the vendor's time zone. */
export function nextRunLines(catalog: Catalog, now: number, count = 3): string[] {
  const lines: string[] = [];
  for (const vendor of catalog.vendors) {
    for (const channel of vendor.channels) {
      const name = `${vendor.slug}/${channel.id}`;
      const schedule = channel.schedule;
      if (!channels[channel.kind].scheduled) {
        lines.push(`${name}: ${channel.kind} (recorded by a person, never sent)`);
        continue;
      }
      if (!schedule) {
        lines.push(`${name}: no schedule (sent only on demand)`);
        continue;
      }
      if (!channel.enabled) {
        lines.push(`${name}: disabled`);
        continue;
      }
      const ctx = { timezone: vendor.timezone, calendar: calendarOf(vendor), phase: phaseOf(name) };
      const runs: string[] = [];
      let after = now;
      let previous: number | null = null;
      for (let i = 0; i < count; i++) {
        const at = nextSlot(schedule, after, previous, ctx);
        runs.push(wallClock(at, vendor.timezone));
        previous = at;
        after = at;
      }
      const what =
        schedule.cron !== undefined
          ? `cron "${schedule.cron}"`
          : schedule.every !== undefined
            ? `every ${schedule.every / 1000}s`
            : `${schedule.per_week} per week (${schedule.spread})`;
      lines.push(`${name}: ${what}, next in ${vendor.timezone}: ${runs.join(', ')} (each + up to the jitter)`);
    }
  }
  return lines;
}
