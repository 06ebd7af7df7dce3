// `firstreply record <vendor> <channel> --sent …`: a phone or IM observation stored as a probe of a manual channel.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadCatalog } from '../config/load.ts';
import { tiers, type Tier } from '../config/schema.ts';
import { formatDuration, systemClock, type Clock } from '../core/clock.ts';
import { FirstReplyError, ProbeError } from '../core/errors.ts';
import { openStore, type Store } from '../store/db.ts';
import type { NewMessage } from '../store/messages.ts';
import type { ProbeView } from '../store/probes.ts';
import { recordMessage } from '../replies/record.ts';
import { newToken } from '../core/token.ts';
import { deadlineFor } from '../metrics/sla.ts';
import { storedVendorSchema } from '../metrics/report.ts';

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
const defaultTier: Tier = 'P2';

/** A validated observation; times are UTC ms. */
export interface ManualObservation {
  vendor: string;
  channel: string;
  sentAt: number;
  humanAt: number | null;
  ackAt: number | null;
  tier: Tier | null;
  template: string | null;
  note: string | null;
}

const isoTime = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

const bad = (message: string, details: Record<string, unknown> = {}, cause?: unknown) => new FirstReplyError('BAD_INPUT', message, details, cause === undefined ? undefined : { cause });

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
  if (values.sent === undefined) throw bad('--sent is required: when the call was placed or the message sent (e.g. --sent 2025-03-04T09:15Z)', { option: '--sent' });
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
  const times: { option: string; at: number | null }[] = [{ option: '--sent', at: sentAt }, { option: human.option, at: humanAt }, { option: ack.option, at: ackAt }];
  for (const { option, at } of times) {
    if (at !== null && at > now) throw bad(`${option}: ${new Date(at).toISOString()} is in the future (now ${new Date(now).toISOString()})`, { option });
  }
  if (values.tier !== undefined && !isTier(values.tier)) throw bad(`--tier: "${values.tier}" is not a tier (use one of ${tiers.join(', ')})`, { option: '--tier' });
  const tier = values.tier !== undefined && isTier(values.tier) ? values.tier : null;
  const note = values.note?.trim() ?? null;
  if (note !== null && note.length === 0) throw bad('--note: empty; leave it out or write the observation', { option: '--note' });
  if (note !== null && note.length > maxNoteLength) throw bad(`--note: ${note.length} characters, at most ${maxNoteLength}`, { option: '--note' });
  return {
    vendor, channel, sentAt, humanAt, ackAt, tier, template: values.template ?? null, note,
    db: values.db, dir: values.dir, evidenceDir: values['evidence-dir'],
  };
}

// The parts of the stored (mirrored) definitions an observation needs.
const recordVendorSchema = storedVendorSchema.extend({
  drills_allowed: z.boolean().default(false),
  templates: z.array(z.object({ id: z.string(), tier: z.enum(tiers), language: z.string().default('en') })).default([]),
});
const recordChannelSchema = z.object({
  kind: z.string(),
  expiry: z.number().positive(),
  templates: z.array(z.string()).optional(),
  medium: z.string().default('phone'),
});

function parseDefinition<T extends z.ZodType>(schema: T, json: string, what: string): z.output<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new FirstReplyError('CONFIG_INVALID', `${what}: stored definition is not JSON`, {}, { cause: err });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new FirstReplyError('CONFIG_INVALID', `${what}: stored definition is not usable: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

export interface RecordDeps {
  store: Store;
  clock: Clock;
  /** record.json goes to <evidenceDir>/<token>/. */
  evidenceDir: string;
}

export interface RecordResult {
  probe: ProbeView;
  medium: string;
  evidence: string;
  messageIds: number[];
}

/** Checks the observation against the store's vendors and channels, then writes the probe and its messages. */
export async function recordManualProbe(deps: RecordDeps, input: ManualObservation): Promise<RecordResult> {
  const { store, clock } = deps;
  const vendorRow = store.vendors.get(input.vendor);
  if (!vendorRow) throw new FirstReplyError('NOT_FOUND', `no vendor "${input.vendor}" (known: ${store.vendors.all().map((v) => v.slug).join(', ') || 'none'})`);
  const channelRow = store.vendors.channel(input.vendor, input.channel);
  if (!channelRow) {
    const known = store.vendors.channels().filter((c) => c.vendor === input.vendor).map((c) => `${c.channel} (${c.kind})`);
    throw new FirstReplyError('NOT_FOUND', `vendor "${input.vendor}" has no channel "${input.channel}" (it has: ${known.join(', ') || 'none'})`);
  }
  if (channelRow.kind !== 'manual') {
    throw bad(`${input.vendor}/${input.channel} is a ${channelRow.kind} channel; only channels of kind manual are recorded by hand`);
  }
  const vendor = { ...parseDefinition(recordVendorSchema, vendorRow.definition, `vendor ${input.vendor}`), timezone: vendorRow.timezone };
  const channel = parseDefinition(recordChannelSchema, channelRow.definition, `channel ${input.vendor}/${input.channel}`);

  let template: { id: string; tier: Tier; language: string } | undefined;
  if (input.template !== null) {
    template = vendor.templates.find((t) => t.id === input.template);
    if (!template) throw new FirstReplyError('NOT_FOUND', `--template: vendor "${input.vendor}" has no template "${input.template}"`, { option: '--template' });
    if (channel.templates !== undefined && !channel.templates.includes(template.id)) {
      throw bad(`--template: "${template.id}" is not one of ${input.vendor}/${input.channel}'s templates (${channel.templates.join(', ')})`, { option: '--template' });
    }
    if (input.tier !== null && input.tier !== template.tier) {
      throw bad(`--tier ${input.tier} contradicts template "${template.id}" (${template.tier})`, { option: '--tier' });
    }
  }
  const tier = template?.tier ?? input.tier ?? defaultTier;
  if ((tier === 'P0' || tier === 'P1') && !vendor.drills_allowed) {
    throw new ProbeError('DRILL_FORBIDDEN', `--tier ${tier}: ${input.vendor} does not allow drills (drills_allowed is false)`, { option: '--tier' });
  }
  const twin = store.stats.timings(channelRow.id, input.sentAt, input.sentAt)[0];
  if (twin) throw bad(`${input.vendor}/${input.channel} already has probe #${twin.id} sent at ${new Date(input.sentAt).toISOString()}; not recording it twice`);

  const now = clock.now();
  const token = newToken();
  const dir = join(deps.evidenceDir, token.toLowerCase());
  const evidence = join(dir, 'record.json');
  await mkdir(dir, { recursive: true });
  await writeFile(evidence, `${JSON.stringify({
    kind: 'manual', medium: channel.medium, vendor: input.vendor, channel: input.channel, tier, template: template?.id ?? null,
    sent: new Date(input.sentAt).toISOString(), ack: input.ackAt === null ? null : new Date(input.ackAt).toISOString(),
    human: input.humanAt === null ? null : new Date(input.humanAt).toISOString(), note: input.note, recorded: new Date(now).toISOString(),
  }, null, 2)}\n`);

  const message = (label: 'human' | 'auto_ack', at: number, probeId: number): NewMessage => ({
    probe_id: probeId, source: 'manual', mailbox: null, folder: null, uidvalidity: null, uid: null, message_id: null, in_reply_to: null,
    subject: `${channel.medium}: ${label === 'human' ? 'first reply from a person' : 'automatic acknowledgement'} (recorded by hand)`,
    from_addr: null, received_at: at, detected_at: now, header_date: null, raw_path: evidence, raw_sha256: null, size: null, headers: null,
    body_text: input.note, label, confidence: 1, reasons: JSON.stringify(['recorded by hand (firstreply record)']), match_method: 'manual', parse_error: null,
  });
  try {
    return store.transaction(() => {
      const created = store.probes.create({ token, channelId: channelRow.id, template: template?.id ?? 'manual', tier, language: template?.language ?? 'en', scheduledAt: input.sentAt });
      store.probes.markSent(created.id, { sentAt: input.sentAt, deadlineAt: deadlineFor(vendor, tier, input.sentAt), expiresAt: input.sentAt + channel.expiry });
      store.probes.addEvidence(created.id, evidence);
      const messageIds: number[] = [];
      const replies: { label: 'human' | 'auto_ack'; at: number | null }[] = [{ label: 'auto_ack', at: input.ackAt }, { label: 'human', at: input.humanAt }];
      for (const { label, at } of replies) {
        if (at === null) continue;
        const id = recordMessage(store, message(label, at, created.id));
        if (id !== undefined) messageIds.push(id);
      }
      const probe = store.probes.get(created.id);
      if (!probe) throw new Error(`probe ${created.id} vanished after insert`);
      return { probe, medium: channel.medium, evidence, messageIds };
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

const iso = (ms: number | null): string => (ms === null ? '–' : new Date(ms).toISOString());
const after = (ms: number | null, from: number | null): string => (ms === null || from === null ? '' : ` (+${formatDuration(ms - from)})`);

export function formatRecord(result: RecordResult): string {
  const p = result.probe;
  const sla = p.deadline_at === null ? '' : p.first_human_at === null
    ? ` — SLA deadline ${iso(p.deadline_at)}`
    : ` — SLA ${p.first_human_at <= p.deadline_at ? 'met' : `missed by ${formatDuration(p.first_human_at - p.deadline_at)}`}`;
  return [
    `recorded probe #${p.id} ${p.token}: ${p.vendor}/${p.channel} (${result.medium}) ${p.tier}, state ${p.state}`,
    `  sent   ${iso(p.sent_at)}`,
    `  ack    ${iso(p.first_ack_at)}${after(p.first_ack_at, p.sent_at)}`,
    `  human  ${iso(p.first_human_at)}${after(p.first_human_at, p.sent_at)}${sla}`,
    p.first_human_at === null ? `  no reply from a person: counted as waiting until ${iso(p.expires_at)}, then as unanswered (censored there)` : '',
    `  evidence ${result.evidence}`,
  ].filter((l) => l !== '').join('\n');
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
