// `firstreply record <vendor> <channel> --sent …`: a phone or IM observation stored as a probe of a manual channel.
import { dirname, join, resolve } from 'node:path';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadCatalog } from '../config/load.ts';
import { tiers, type Tier } from '../config/schema.ts';
import { formatDuration, systemClock } from '../core/clock.ts';
import { FirstReplyError } from '../core/errors.ts';
import { openStore } from '../store/db.ts';
import { recordManualProbe, type ManualObservation, type RecordResult } from '../channels/manual-record.ts';

const usage = `usage: firstreply record <vendor> <channel> --sent TIME [--first-human TIME] [--first-ack TIME] [--tier P2]
                        [--template ID] [--note TEXT] [--db PATH] [--dir probes] [--evidence-dir DIR]

Stores one observation of a manual channel (kind: manual — a phone line, an IM account) as a probe, so it counts in
every statistic like an automatic one: sent at --sent, answered by a person at --first-human (without it the probe
stays open and is censored at the channel's expiry), first automatic acknowledgement (IVR, auto-reply) at --first-ack.
--human and --ack are accepted as short forms.

  TIME        an ISO 8601 time with its zone, e.g. 2025-03-04T09:15Z or 2025-03-04T17:15+08:00 (stored as UTC ms);
              not in the future, --first-human and --first-ack not before --sent
  --tier      P0–P3 (default P2, or the tier of --template); P0/P1 only for vendors with drills_allowed: true
  --template  the vendor template whose scenario was used (default: none, recorded as "manual")
  --note      free text kept with the observation (at most ${2000} characters)
  --db        the SQLite store (default: "database" of settings.yaml in --dir, whose catalog is mirrored first)
  --evidence-dir  where the observation's record.json goes (default: settings' evidence_dir, or evidence/ next to --db)`;

export const maxNoteLength = 2000;

const isoTime = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

const bad = (message: string, details: Record<string, unknown> = {}, cause?: unknown) =>
  new FirstReplyError('BAD_INPUT', message, details, cause === undefined ? undefined : { cause });

/** An ISO 8601 time with an explicit zone as UTC ms; every error names the option and what is wrong. */
export function parseIsoTime(text: string, option: string): number {
  const m = isoTime.exec(text.trim());
  if (!m) throw bad(`${option}: "${text}" is not an ISO time (use e.g. 2025-03-04T09:15Z or 2025-03-04T17:15+08:00)`, { option });
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (zone === undefined) throw bad(`${option}: "${text}" has no time zone; add Z for UTC or an offset such as +08:00`, { option });
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12) throw bad(`${option}: "${text}": month ${month} does not exist`, { option });
  if (day < 1 || day > lastDay) throw bad(`${option}: "${text}": ${y}-${mo} has no day ${day}`, { option });
  if (hour > 23 || minute > 59 || second > 59) throw bad(`${option}: "${text}": ${h}:${mi}${s === undefined ? '' : `:${s}`} is not a time of day`, { option });
  let offsetMin = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 14 || om > 59) throw bad(`${option}: "${text}": ${zone} is not a UTC offset`, { option });
    offsetMin = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number((frac ?? '0').padEnd(3, '0'));
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
}

function isTier(text: string): text is Tier {
  return tiers.some((t) => t === text);
}

function parseRecordOptions(args: string[]) {
  try {
    return parseCommandArgs(args, {
      sent: { type: 'string' },
      'first-human': { type: 'string' },
      human: { type: 'string' },
      'first-ack': { type: 'string' },
      ack: { type: 'string' },
      tier: { type: 'string' },
      template: { type: 'string' },
      note: { type: 'string' },
      db: { type: 'string' },
      dir: { type: 'string', default: 'probes' },
      'evidence-dir': { type: 'string' },
    });
  } catch (err) {
    // node:util parseArgs names the unknown option or the missing value; keep its words under a stable code.
    throw bad(err instanceof Error ? err.message : String(err), {}, err);
  }
}

/** An option given under its long name or its short form, not both. */
function oneOf(long: string | undefined, short: string | undefined, longName: string, shortName: string): { option: string; text: string | undefined } {
  if (long !== undefined && short !== undefined) throw bad(`${longName} and ${shortName} are the same option; give it once`, { option: longName });
  return short !== undefined ? { option: shortName, text: short } : { option: longName, text: long };
}

/** Parses and checks the arguments alone (no store): shapes, zones, order of the times, nothing in the future. */
export function parseRecordArgs(args: string[], now: number): ManualObservation & { db?: string; dir: string; evidenceDir?: string } {
  const { values, positionals } = parseRecordOptions(args);
  if (positionals.length !== 2) {
    throw bad(`expected <vendor> <channel>, got ${positionals.length === 0 ? 'nothing' : positionals.map((p) => `"${p}"`).join(' ')}`);
  }
  const [vendor = '', channel = ''] = positionals;
  if (values.sent === undefined)
    throw bad('--sent is required: when the call was placed or the message sent (e.g. --sent 2025-03-04T09:15Z)', { option: '--sent' });
  const sentAt = parseIsoTime(values.sent, '--sent');
  const later = ({ option, text }: { option: string; text: string | undefined }): number | null => {
    if (text === undefined) return null;
    const at = parseIsoTime(text, option);
    if (at < sentAt) throw bad(`${option}: ${new Date(at).toISOString()} is before --sent ${new Date(sentAt).toISOString()}`, { option });
    return at;
  };
  const human = oneOf(values['first-human'], values.human, '--first-human', '--human');
  const ack = oneOf(values['first-ack'], values.ack, '--first-ack', '--ack');
  const humanAt = later(human);
  const ackAt = later(ack);
  const times: { option: string; at: number | null }[] = [
    { option: '--sent', at: sentAt },
    { option: human.option, at: humanAt },
    { option: ack.option, at: ackAt },
  ];
  for (const { option, at } of times) {
    if (at !== null && at > now) throw bad(`${option}: ${new Date(at).toISOString()} is in the future (now ${new Date(now).toISOString()})`, { option });
  }
  if (values.tier !== undefined && !isTier(values.tier))
    throw bad(`--tier: "${values.tier}" is not a tier (use one of ${tiers.join(', ')})`, { option: '--tier' });
  const tier = values.tier !== undefined && isTier(values.tier) ? values.tier : null;
  const note = values.note?.trim() ?? null;
  if (note !== null && note.length === 0) throw bad('--note: empty; leave it out or write the observation', { option: '--note' });
  if (note !== null && note.length > maxNoteLength) throw bad(`--note: ${note.length} characters, at most ${maxNoteLength}`, { option: '--note' });
  return {
    vendor,
    channel,
    sentAt,
    humanAt,
    ackAt,
    tier,
    template: values.template ?? null,
    note,
    db: values.db,
    dir: values.dir,
    evidenceDir: values['evidence-dir'],
  };
}

const iso = (ms: number | null): string => (ms === null ? '–' : new Date(ms).toISOString());
const after = (ms: number | null, from: number | null): string => (ms === null || from === null ? '' : ` (+${formatDuration(ms - from)})`);

function formatRecord(result: RecordResult): string {
  const p = result.probe;
  const sla =
    p.deadline_at === null
      ? ''
      : p.first_human_at === null
        ? ` — SLA deadline ${iso(p.deadline_at)}`
        : ` — SLA ${p.first_human_at <= p.deadline_at ? 'met' : `missed by ${formatDuration(p.first_human_at - p.deadline_at)}`}`;
  return [
    `recorded probe #${p.id} ${p.token}: ${p.vendor}/${p.channel} (${result.medium}) ${p.tier}, state ${p.state}`,
    `  sent   ${iso(p.sent_at)}`,
    `  ack    ${iso(p.first_ack_at)}${after(p.first_ack_at, p.sent_at)}`,
    `  human  ${iso(p.first_human_at)}${after(p.first_human_at, p.sent_at)}${sla}`,
    p.first_human_at === null ? `  no reply from a person: counted as waiting until ${iso(p.expires_at)}, then as unanswered (censored there)` : '',
    `  evidence ${result.evidence}`,
  ]
    .filter((l) => l !== '')
    .join('\n');
}

export const recordCommand: Command = {
  summary: 'record a phone or IM observation on a manual channel as a probe',
  usage,
  async run(args) {
    const clock = systemClock;
    const input = parseRecordArgs(args, clock.now());
    let dbPath: string;
    let evidenceDir = input.evidenceDir;
    let catalog: ReturnType<typeof loadCatalog> | undefined;
    if (input.db !== undefined) {
      dbPath = resolve(input.db);
    } else {
      catalog = loadCatalog(input.dir);
      dbPath = resolve(catalog.settings.database);
      evidenceDir ??= catalog.settings.evidence_dir;
    }
    const store = openStore(dbPath, clock);
    try {
      if (catalog) store.vendors.sync(catalog);
      const result = await recordManualProbe({ store, clock, evidenceDir: resolve(evidenceDir ?? join(dirname(dbPath), 'evidence')) }, input);
      process.stdout.write(`${formatRecord(result)}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
