// `firstreply alerts`: lists alerts, sends a test notice to a target, and adds or lifts silences.
import { resolve } from 'node:path';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadCatalog } from '../config/load.ts';
import { formatDuration, parseDuration, systemClock } from '../core/clock.ts';
import { createLogger } from '../core/logger.ts';
import { FirstReplyError, errorMessage } from '../core/errors.ts';
import { openStore, type Store } from '../store/db.ts';
import type { AlertRow } from '../store/alerts.ts';
import { createAlertEngine } from '../alerts/engine.ts';

const usage = `usage: firstreply alerts [--open] [--vendor SLUG] [--limit N] [--json] [--dir probes] [--db PATH]
       firstreply alerts test <target|notifier kind> [--dir probes] [--db PATH]
       firstreply alerts silence <vendor> --for 2h [--channel ID] [--rule RULE] [--reason TEXT]
       firstreply alerts unsilence <silence id>

Lists alerts newest first: SLA breaches in flight, regressions against a channel's own baseline (with the
log-rank p-value and the median ratio), recoveries, broken channels (operator) and threshold crossings.

  --open     only alerts still open
  --json     one JSON document (details parsed), for scripts
  test       queues a test notice to one target of settings.yaml alerts.targets (by name, or the first target of
             a kind: email, webhook, slack), sends it at once and reports whether it was delivered
  silence    holds back notices for a vendor (optionally one channel or rule) for a while; alerts still open
             and close, and a notice still due when the silence ends is sent then`;

function openFor(values: { dir: string; db?: string | undefined }) {
  const catalog = loadCatalog(values.dir);
  const store = openStore(resolve(values.db ?? catalog.settings.database), systemClock);
  store.vendors.sync(catalog);
  return { catalog, store };
}

function alertJson(row: AlertRow) {
  let details: unknown = {};
  try {
    details = JSON.parse(row.details);
  } catch (err) {
    details = { unreadable: errorMessage(err) };
  }
  return {
    id: row.id,
    rule: row.rule,
    vendor: row.vendor,
    channel: row.channel,
    state: row.state,
    severity: row.severity,
    audience: row.audience,
    summary: row.summary,
    opened_at: new Date(row.opened_at).toISOString(),
    resolved_at: row.resolved_at === null ? null : new Date(row.resolved_at).toISOString(),
    last_notified_at: row.last_notified_at === null ? null : new Date(row.last_notified_at).toISOString(),
    reminders: row.reminders,
    details,
  };
}

function formatAlerts(rows: AlertRow[], store: Store, now: number): string {
  if (rows.length === 0) return 'no alerts\n';
  const lines: string[] = [];
  for (const row of rows) {
    const age =
      row.state === 'open'
        ? `open for ${formatDuration(now - row.opened_at)}`
        : `resolved ${new Date(row.resolved_at ?? 0).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const deliveries = store.alerts.deliveriesOf(row.id);
    const pending = deliveries.filter((d) => d.state === 'pending').length;
    const failed = deliveries.filter((d) => d.state === 'failed').length;
    const sent = deliveries.filter((d) => d.state === 'sent').length;
    lines.push(
      `#${row.id} ${row.state.toUpperCase()} ${row.rule} ${row.vendor}${row.channel ? `/${row.channel}` : ''} · ${row.severity} · ${row.audience} · ${age}`,
    );
    lines.push(`    ${row.summary}`);
    lines.push(
      `    opened ${new Date(row.opened_at).toISOString().slice(0, 16).replace('T', ' ')} UTC · notices: ${sent} sent, ${pending} pending, ${failed} failed`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const alertsCommand: Command = {
  summary: 'list alerts; send a test notice (alerts test <target>); silence a vendor for a while',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      open: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      vendor: { type: 'string' },
      limit: { type: 'string', default: '50' },
      dir: { type: 'string', default: 'probes' },
      db: { type: 'string' },
      for: { type: 'string' },
      channel: { type: 'string' },
      rule: { type: 'string' },
      reason: { type: 'string' },
    });
    const [sub, ...rest] = positionals;
    if (sub === 'test') return runTest(rest, values);
    if (sub === 'silence') return runSilence(rest, values);
    if (sub === 'unsilence') return runUnsilence(rest, values);
    if (sub !== undefined) throw new FirstReplyError('BAD_INPUT', `unknown alerts subcommand "${sub}" (use test, silence, unsilence, or none to list)`);
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit <= 0) throw new FirstReplyError('BAD_INPUT', '--limit: a positive whole number');
    const { store } = openFor(values);
    try {
      const rows = store.alerts.list({ open: values.open, vendor: values.vendor, limit });
      process.stdout.write(values.json ? `${JSON.stringify(rows.map(alertJson), null, 2)}\n` : formatAlerts(rows, store, systemClock.now()));
      return 0;
    } finally {
      store.close();
    }
  },
};

async function runTest(rest: string[], values: { dir: string; db?: string | undefined }): Promise<number> {
  const name = rest[0];
  if (!name) throw new FirstReplyError('BAD_INPUT', 'alerts test: name a target of settings.yaml alerts.targets, or a notifier kind (email, webhook, slack)');
  const { catalog, store } = openFor(values);
  const engine = createAlertEngine({ store, catalog, clock: systemClock, logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }) });
  try {
    const result = await engine.test(name);
    const ok = result.sent > 0;
    const last = store.alerts.recentDeliveries(1)[0];
    process.stdout.write(
      ok
        ? `test notice delivered to "${result.target}"\n`
        : `test notice to "${result.target}" failed: ${last?.last_error ?? 'unknown error'} (queued for retry)\n`,
    );
    return ok ? 0 : 1;
  } finally {
    await engine.stop();
    store.close();
  }
}

async function runSilence(
  rest: string[],
  values: {
    dir: string;
    db?: string | undefined;
    for?: string | undefined;
    channel?: string | undefined;
    rule?: string | undefined;
    reason?: string | undefined;
  },
): Promise<number> {
  const vendor = rest[0];
  if (!vendor || !values.for) throw new FirstReplyError('BAD_INPUT', 'alerts silence <vendor> --for DURATION (e.g. 2h)');
  let forMs: number;
  try {
    forMs = parseDuration(values.for);
  } catch (err) {
    throw new FirstReplyError('BAD_INPUT', `--for: ${errorMessage(err)}`);
  }
  const { catalog, store } = openFor(values);
  try {
    const known = catalog.vendors.find((v) => v.slug === vendor);
    if (!known) throw new FirstReplyError('NOT_FOUND', `no vendor "${vendor}"`);
    if (values.channel && !known.channels.some((c) => c.id === values.channel))
      throw new FirstReplyError('NOT_FOUND', `no channel "${values.channel}" in ${vendor}`);
    const now = systemClock.now();
    const id = store.alerts.addSilence({
      vendor,
      channel: values.channel ?? null,
      rule: values.rule ?? null,
      startsAt: now,
      endsAt: now + forMs,
      reason: values.reason ?? 'silenced by hand',
      createdBy: process.env.USER ?? 'cli',
    });
    process.stdout.write(
      `silence #${id}: ${vendor}${values.channel ? `/${values.channel}` : ''}${values.rule ? ` (${values.rule})` : ''} until ${new Date(now + forMs).toISOString()}\n`,
    );
    return 0;
  } finally {
    store.close();
  }
}

async function runUnsilence(rest: string[], values: { dir: string; db?: string | undefined }): Promise<number> {
  const id = Number(rest[0]);
  if (!Number.isInteger(id)) throw new FirstReplyError('BAD_INPUT', 'alerts unsilence <silence id>');
  const { store } = openFor(values);
  try {
    if (!store.alerts.removeSilence(id)) throw new FirstReplyError('NOT_FOUND', `no silence #${id}`);
    process.stdout.write(`silence #${id} lifted\n`);
    return 0;
  } finally {
    store.close();
  }
}
