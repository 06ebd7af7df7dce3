// `firstreply stats [vendor]`: time to first human reply, SLA compliance and 7×24 coverage from the store.
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadCatalog } from '../config/load.ts';
import { DAY, formatDuration, systemClock } from '../core/clock.ts';
import { FirstReplyError } from '../core/errors.ts';
import { openStore } from '../store/db.ts';
import { streamStatsReport, windowNames, type StatsQuery, type StatsReportStream, type WindowName } from '../metrics/report.ts';
import type { ChannelStats, Estimate, StatsReport, SurvivalSummary, VendorStats } from '../metrics/report-types.ts';

const usage = `usage: firstreply stats [--vendor SLUG] [--channel ID] [--window 7d|30d|90d|all] [--from DATE --to DATE] [--json]
                       [--public] [--db PATH] [--dir probes]

Prints, per vendor and channel: probes, the share never answered by a person, the Kaplan–Meier median / p75 / p90
time to first human reply with 95 % confidence intervals (unanswered probes are censored, never dropped), SLA
compliance per tier, business vs off hours, and the time to the first automatic acknowledgement.

  --vendor     one vendor (also accepted as the first argument: firstreply stats swiftcdn)
  --channel    one channel id of each vendor shown (e.g. email)
  --window     rolling window ending now (default 90d)
  --from/--to  a trial window instead (YYYY-MM-DD or ISO time, UTC; a bare --to date includes that whole day)
  --json       the stable document the status page reads (buildStatsReport's StatsReport), unchanged
  --public     leave out private vendors (they are included by default: this is the operator's tool)
  --db         the SQLite store (default: "database" of settings.yaml in --dir)`;

function parseDate(text: string, endOfDay: boolean, flag: string): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(ms)) throw new FirstReplyError('BAD_INPUT', `${flag}: not a date: "${text}" (use YYYY-MM-DD or an ISO time)`);
  return dateOnly && endOfDay ? ms + DAY - 1 : ms;
}

function isWindow(text: string): text is WindowName {
  return windowNames.some((w) => w === text);
}

export const statsCommand: Command = {
  summary: 'time to first human reply, SLA compliance and 7×24 coverage per vendor and channel',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      vendor: { type: 'string' },
      channel: { type: 'string' },
      window: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
      public: { type: 'boolean', default: false },
      db: { type: 'string' },
      dir: { type: 'string', default: 'probes' },
    });
    if (positionals.length > 1) throw new FirstReplyError('BAD_INPUT', `one vendor at most (got ${positionals.join(', ')})`);
    if (values.vendor !== undefined && positionals[0] !== undefined && values.vendor !== positionals[0]) {
      throw new FirstReplyError('BAD_INPUT', `two vendors given: --vendor ${values.vendor} and "${positionals[0]}"; give one`);
    }
    if (values.window !== undefined && !isWindow(values.window)) throw new FirstReplyError('BAD_INPUT', `--window: use one of ${windowNames.join(', ')}`);
    const query: StatsQuery = {
      now: systemClock.now(),
      vendor: values.vendor ?? positionals[0],
      channel: values.channel,
      window: values.window !== undefined && isWindow(values.window) ? values.window : undefined,
      from: values.from !== undefined ? parseDate(values.from, false, '--from') : undefined,
      to: values.to !== undefined ? parseDate(values.to, true, '--to') : undefined,
      includePrivate: !values.public,
    };
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) throw new FirstReplyError('BAD_INPUT', '--from is after --to');
    const dbPath = resolve(values.db ?? loadCatalog(values.dir, { mailSecrets: false }).settings.database);
    const store = openStore(dbPath, systemClock);
    try {
      const report = streamStatsReport(store, query);
      if (query.vendor !== undefined) {
        const vendors = [...report.vendors];
        if (vendors.length === 0)
          throw new FirstReplyError('NOT_FOUND', `no vendor "${query.vendor}"${query.channel ? ` with channel "${query.channel}"` : ''} in ${dbPath}`);
        report.vendors = vendors;
      }
      // Written vendor by vendor: the whole report is never one object or one string (see streamStatsReport).
      for (const chunk of values.json ? statsJson(report) : reportText(report)) {
        if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
      }
      return 0;
    } finally {
      store.close();
    }
  },
};

const pct = (share: number | null): string => (share === null ? '–' : `${Math.round(share * 100)} %`);
const dur = (ms: number | null): string => (ms === null ? 'not reached' : formatDuration(ms));

function estimate(e: Estimate): string {
  if (e.value === null) return 'not reached';
  return `${formatDuration(e.value)} (95 % CI ${e.low === null ? '?' : formatDuration(e.low)} – ${e.high === null ? 'open' : formatDuration(e.high)})`;
}

function survivalLines(label: string, s: SurvivalSummary): string[] {
  if (s.n === 0) return [`    ${label}: no probes`];
  return [
    `    ${label}: ${s.n} probes, ${s.events} answered, ${pct(s.noEventShare)} without a reply`,
    `      median ${estimate(s.median)}`,
    `      p75 ${estimate(s.p75)} · p90 ${estimate(s.p90)}`,
  ];
}

function channelLines(c: ChannelStats): string[] {
  const lines = [`  ${c.channel} (${c.kind}) — ${c.status.replace(/_/g, ' ')}`, ...survivalLines('first human reply', c.human)];
  for (const row of c.sla) {
    const calendar = row.calendarTime ? `; calendar time ${row.calendarTime.met}/${row.calendarTime.n} ${pct(row.calendarTime.share)}` : '';
    const late = row.lateByMedianMs !== null ? `, late answers by ${formatDuration(row.lateByMedianMs)} (median)` : '';
    lines.push(
      `    SLA ${row.tier} ${formatDuration(row.targetMs)}${row.businessHours ? ' business' : ''} (${row.source}): ${row.met}/${row.n} met ${pct(row.share)}${late}${row.pending > 0 ? `, ${row.pending} pending` : ''}${calendar}`,
    );
  }
  if (c.coverage.businessHours && c.coverage.offHours) {
    lines.push(
      `    business hours median ${dur(c.coverage.businessHours.median.value)} (n=${c.coverage.businessHours.n}) · off hours ${dur(c.coverage.offHours.median.value)} (n=${c.coverage.offHours.n})`,
    );
  }
  lines.push(`    hours of week probed: ${c.coverage.vendorTz.filter((h) => h.n > 0).length}/168 (vendor time zone)`);
  lines.push(`    first automatic acknowledgement: ${c.ack.events}/${c.ack.n}, median ${dur(c.ack.median.value)}`);
  if (c.openProbes.length > 0) lines.push(`    open: ${c.openProbes.length} probe(s) waiting for a person`);
  if (c.unconfirmedLabels > 0) lines.push(`    ${c.unconfirmedLabels} reply label(s) not confirmed by a person`);
  return lines;
}

export function formatReport(report: StatsReport): string {
  return [...reportText(report)].join('');
}

/** The text of `JSON.stringify(report, null, 2)` and a line end, in pieces: the opening fields, then one per vendor. */
function* statsJson(report: StatsReportStream): Generator<string> {
  const empty = JSON.stringify({ generatedAt: report.generatedAt, window: report.window, demoTime: report.demoTime, vendors: [] }, null, 2);
  const closing = '[]\n}';
  // `vendors` is the last key: its empty list ends the text, and each vendor goes in at depth 2 (four spaces).
  let first = true;
  for (const vendor of report.vendors) {
    yield `${first ? `${empty.slice(0, -closing.length)}[` : ','}\n    ${JSON.stringify(vendor, null, 2).replace(/\n/g, '\n    ')}`;
    first = false;
  }
  yield first ? `${empty}\n` : '\n  ]\n}\n';
}

/** formatReport's lines, each with its line end, a vendor at a time. */
function* reportText(report: StatsReportStream): Generator<string> {
  const w = report.window;
  const span = w.from === null ? `all time to ${new Date(w.to).toISOString()}` : `${new Date(w.from).toISOString()} – ${new Date(w.to).toISOString()}`;
  yield `firstreply stats — window ${w.label}: ${span}${report.demoTime ? ' (DEMO: simulated clock, seconds stand for hours)' : ''}\n` +
    'Medians are Kaplan–Meier estimates: probes without a human reply are censored at their expiry, not left out.\n\n';
  let none = true;
  for (const vendor of report.vendors) {
    none = false;
    yield `${vendorLines(vendor).join('\n')}\n`;
  }
  if (none) yield 'no vendors\n';
}

function vendorLines(vendor: VendorStats): string[] {
  const lines = [`${vendor.vendor.name} [${vendor.vendor.slug}]${vendor.vendor.visibility === 'private' ? ' (private)' : ''} — ${vendor.vendor.timezone}`];
  lines.push(...survivalLines('all channels', vendor.overall));
  if (vendor.channelSpread !== null) lines.push(`    slowest / fastest channel median: ×${vendor.channelSpread.toFixed(1)}`);
  for (const channel of vendor.channels) lines.push(...channelLines(channel));
  lines.push('');
  return lines;
}
