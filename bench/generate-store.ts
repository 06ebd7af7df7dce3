// SYNTHETIC data: generates a store of made-up vendors ("Synthetic Vendor 001"…) with seeded probe histories, for benches.
// Usage as a script: tsx bench/generate-store.ts [--vendors 200] [--channels 4] [--days 730] [--per-week 2.5] [--out file.db]
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DAY, HOUR, MINUTE, ManualClock } from '../src/core/clock.ts';
import { openStore, type Store } from '../src/store/db.ts';
import type { ChannelKind } from '../src/config/schema.ts';
import { fillStore, recordReply, seededRandom, type FixtureChannel, type FixtureVendor } from '../tests/helpers/fixture-store.ts';

interface GenerateOptions {
  vendors?: number;
  /** Channels per vendor (1–4: email, form, chat, phone). */
  channels?: number;
  /** Days of history. */
  days?: number;
  /** Probes per channel per week (the default 2.5 keeps a 4-channel vendor at its default cap of 10 a week). */
  perWeek?: number;
  seed?: number;
  /** The generated history ends here. */
  now?: number;
  /** Where the database goes (default: a cache file in the temp dir named after the options). */
  path?: string;
}

interface GeneratedStore {
  path: string;
  now: number;
  vendors: string[];
  probes: number;
  messages: number;
  bytes: number;
  /** Seconds spent generating (0 when a cached file was reused). */
  seconds: number;
}

const channelKinds: { id: string; kind: ChannelKind }[] = [
  { id: 'email', kind: 'email' },
  { id: 'form', kind: 'webform' },
  { id: 'chat', kind: 'chat' },
  { id: 'phone', kind: 'manual' },
];
const timezones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'America/Los_Angeles', 'Asia/Tokyo', 'Europe/London', 'Australia/Sydney'];

/** Made-up vendors with varied behaviour: medians from minutes to days, 0–40 % never answering, some private. */
function syntheticVendors(count: number, channelsPerVendor: number, perWeek: number, seed = 1): FixtureVendor[] {
  const random = seededRandom(seed);
  const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + random() * (Math.log(hi) - Math.log(lo)));
  return Array.from({ length: count }, (_, i): FixtureVendor => {
    const number = String(i + 1).padStart(3, '0');
    const sla: FixtureVendor['sla'] = random() < 0.5 ? { P2: { first_response: '8h', business_hours: random() < 0.5 }, P3: { first_response: '2d' } } : {};
    const channels: FixtureChannel[] = channelKinds.slice(0, channelsPerVendor).map((c) => ({
      id: c.id,
      kind: c.kind,
      medianMs: Math.round(c.kind === 'chat' ? logUniform(MINUTE, 2 * HOUR) : logUniform(10 * MINUTE, 2 * DAY)),
      noReplyShare: random() * 0.4,
      ackShare: c.kind === 'email' || c.kind === 'webform' ? random() : 0,
      perDay: perWeek / 7,
    }));
    return {
      slug: `synthetic-${number}`,
      name: `Synthetic Vendor ${number}`,
      visibility: random() < 0.1 ? 'private' : 'public',
      timezone: timezones[i % timezones.length] ?? 'UTC',
      sla,
      channels,
    };
  });
}

let benchUid = 1;

/**
 * The store write the benches make during their runs: a person's reply to a random probe of the generated store,
 * received a minute before `at` (as the watchers record one).
 */
export function writeBenchReply(store: Store, at: number, lastProbeId: number): boolean {
  const probe = store.probes.get(1 + Math.floor(Math.random() * lastProbeId));
  if (!probe) return false;
  const uid = benchUid++;
  recordReply(store, probe.id, {
    uid,
    receivedAt: at - MINUTE,
    detectedAt: at,
    messageId: `<bench-${uid}@vendor.example>`,
    mailbox: 'bench',
    subject: 'Re: bench',
  });
  return true;
}

export function generateStore(options: GenerateOptions = {}): GeneratedStore {
  const vendors = options.vendors ?? 200;
  const channels = Math.min(4, Math.max(1, options.channels ?? 4));
  const days = options.days ?? 730;
  const perWeek = options.perWeek ?? 2.5;
  const seed = options.seed ?? 1;
  const now = options.now ?? Date.UTC(2026, 2, 16, 12, 0, 0);
  // -q1: with synthetic answer quality (older cached files lack it).
  const path = options.path ?? join(tmpdir(), `firstreply-synthetic-${vendors}x${channels}x${days}d-${perWeek}pw-s${seed}-${now}-q1.db`);
  const specs = syntheticVendors(vendors, channels, perWeek, seed);
  const open = (p: string) => openStore(p, new ManualClock(now));
  if (existsSync(path)) {
    const store = open(path);
    const probes = store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM probes').get()?.n ?? 0;
    const messages = store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages').get()?.n ?? 0;
    store.close();
    if (probes > 0) return { path, now, vendors: specs.map((v) => v.slug), probes, messages, bytes: statSync(path).size, seconds: 0 };
  }
  mkdirSync(dirname(path), { recursive: true });
  // Per process: two benches generating the same store at once each build their own file; the rename is atomic.
  const building = `${path}.${process.pid}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  const started = performance.now();
  const store = open(building);
  const fill = fillStore(store, { vendors: specs, days, now, seed });
  // SYNTHETIC answer quality, so the statistics carry resolution figures: three probes in four measured, canned and
  // asked-for-given flags on some, four in five answered-and-measured probes resolved after one to three rounds.
  store.db.exec(`UPDATE probes SET quality_flags = 1 | (CASE WHEN id % 7 = 0 THEN 2 ELSE 0 END) | (CASE WHEN id % 11 = 0 THEN 4 ELSE 0 END)
    WHERE id % 4 <> 0 AND sent_at IS NOT NULL`);
  store.db.exec(`UPDATE probes SET resolved_at = first_human_at + (id % 3) * 6 * 3600000, resolution_rounds = 1 + id % 3
    WHERE first_human_at IS NOT NULL AND (quality_flags & 1) = 1 AND id % 5 <> 0`);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.db.exec('VACUUM');
  store.close();
  renameSync(building, path);
  return {
    path,
    now,
    vendors: specs.map((v) => v.slug),
    probes: fill.probes,
    messages: fill.messages,
    bytes: statSync(path).size,
    seconds: (performance.now() - started) / 1000,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      vendors: { type: 'string' },
      channels: { type: 'string' },
      days: { type: 'string' },
      'per-week': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const result = generateStore({
    vendors: num(values.vendors),
    channels: num(values.channels),
    days: num(values.days),
    perWeek: num(values['per-week']),
    seed: num(values.seed),
    path: values.out,
  });
  const { vendors: names, ...summary } = result;
  process.stdout.write(`${JSON.stringify({ ...summary, vendors: names.length })}\n`);
}
