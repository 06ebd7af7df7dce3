// Bench `stats`: the statistics report over a SYNTHETIC store (bench/generate-store.ts), 200 vendors × 4 channels × 2 years.
import { statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { Figure } from './run.ts';
import { ManualClock } from '../src/core/clock.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { buildStatsReport } from '../src/metrics/report.ts';
import { generateStore } from './generate-store.ts';

const bench = 'stats';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

/** CPU time of this process since `since` (user + system), in ms: steadier than wall time on a busy machine. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** The month blocks' size: pages of the table when SQLite has dbstat, and the payloads alone. */
function rollupSize(store: Store): { blocks: number; payload: number; pages: number | null } {
  const sums = store.db
    .prepare<[], { blocks: number; payload: number | null }>('SELECT count(*) AS blocks, sum(length(payload)) AS payload FROM probe_month_rollups')
    .get();
  let pages: number | null = null;
  try {
    pages = store.db.prepare<[], { bytes: number | null }>(`SELECT sum(pgsize) AS bytes FROM dbstat WHERE name = 'probe_month_rollups'`).get()?.bytes ?? null;
  } catch {
    pages = null; // built without SQLITE_ENABLE_DBSTAT_VTAB
  }
  return { blocks: sums?.blocks ?? 0, payload: sums?.payload ?? 0, pages };
}

export async function run(): Promise<Figure[]> {
  const vendors = Number(process.env.BENCH_STATS_VENDORS ?? 200);
  process.stderr.write(`stats: generating (or reusing) a synthetic store of ${vendors} vendors × 4 channels × 730 days…\n`);
  const generated = generateStore({ vendors, channels: 4, days: 730 });
  const note = `synthetic store: ${vendors} vendors × 4 channels × 730 days, ${generated.probes} probes, ${generated.messages} messages`;
  const clock = new ManualClock(generated.now);
  const figures: Figure[] = [];

  // Month blocks, cold: drop them all, then read every channel's whole history once, which builds every block
  // (one row-by-row read of each month, packing, one write transaction per channel).
  let rollupBuildMs: number;
  let rollups: { blocks: number; payload: number; pages: number | null };
  let channelCount: number;
  {
    const store = openStore(generated.path, clock);
    store.db.exec('DELETE FROM probe_month_rollups');
    const channels = store.stats.channels();
    channelCount = channels.length;
    const started = performance.now();
    for (const channel of channels) store.stats.timings(channel.id, Number.MIN_SAFE_INTEGER, generated.now);
    rollupBuildMs = performance.now() - started;
    rollups = rollupSize(store);
    store.close();
  }

  // One vendor, cold: a freshly opened store (no prepared statements, no page cache of its own) per query.
  const vendorTimes: number[] = [];
  const vendorCpu: number[] = [];
  const sample = generated.vendors.filter((_, i) => i % Math.max(1, Math.floor(generated.vendors.length / 25)) === 0);
  for (const slug of sample) {
    const store = openStore(generated.path, clock);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const report = buildStatsReport(store, { now: generated.now, vendor: slug, window: 'all', includePrivate: true });
    JSON.stringify(report);
    vendorTimes.push(performance.now() - started);
    vendorCpu.push(cpuMs(cpu));
    store.close();
    if (report.vendors.length !== 1) throw new Error(`vendor ${slug} missing from its report`);
  }

  // Everything (`firstreply stats --json --window all`): report and serialisation, through the month blocks and,
  // alternating with it in the same run, row by row (the reference path), so the ratio compares like with like.
  const store = openStore(generated.path, clock);
  const allTimes: number[] = [];
  const allCpu: number[] = [];
  const rawTimes: number[] = [];
  let bytes = 0;
  let json = '';
  let rawJson = '';
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  for (let i = 0; i < 5; i++) {
    let started = performance.now();
    const cpu = process.cpuUsage();
    json = JSON.stringify(buildStatsReport(store, { now: generated.now, window: 'all', includePrivate: true }));
    allTimes.push(performance.now() - started);
    allCpu.push(cpuMs(cpu));
    bytes = json.length;
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    started = performance.now();
    rawJson = JSON.stringify(buildStatsReport(store, { now: generated.now, window: 'all', includePrivate: true, rollups: false }));
    rawTimes.push(performance.now() - started);
  }
  if (rawJson !== json)
    throw new Error(`stats bench: the report read row by row (${rawJson.length} bytes) differs from the one through the month blocks (${json.length} bytes)`);
  const ninety: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    JSON.stringify(buildStatsReport(store, { now: generated.now, window: '90d' }));
    ninety.push(performance.now() - started);
  }
  store.close();

  const dbBytes = statSync(generated.path).size;
  const allMs = percentile(allTimes, 0.5);
  const allRaw = percentile(rawTimes, 0.5);
  const load = `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} cores`;
  figures.push(
    {
      bench,
      figure: 'vendor_ms',
      value: round(percentile(vendorTimes, 0.5)),
      unit: 'ms',
      note: `one vendor, window all, cold store (month blocks built), p50 of ${vendorTimes.length} vendors; goal ≤ 20 ms; ${note}`,
    },
    { bench, figure: 'vendor_cpu_ms', value: round(percentile(vendorCpu, 0.5)), unit: 'ms', note: `CPU time of vendor_ms (p50); ${load}` },
    { bench, figure: 'vendor_p99_ms', value: round(percentile(vendorTimes, 0.99)), unit: 'ms', note: 'one vendor, cold, slowest of the sample' },
    { bench, figure: 'all_ms', value: round(allMs), unit: 'ms', note: `full stats --json, window all, through the month blocks (built), p50 of 5; ${note}` },
    { bench, figure: 'all_cpu_ms', value: round(percentile(allCpu, 0.5)), unit: 'ms', note: `CPU time of all_ms (p50); ${load}` },
    { bench, figure: 'all_p99_ms', value: round(percentile(allTimes, 0.99)), unit: 'ms', note: 'full stats --json, window all, slowest of 5' },
    {
      bench,
      figure: 'all_raw_ms',
      value: round(allRaw),
      unit: 'ms',
      note: 'all_ms read row by row (rollups: false), alternating with all_ms in the same run, p50 of 5; same JSON',
    },
    { bench, figure: 'all_speedup', value: round(allRaw / allMs), unit: '×', note: 'all_raw_ms / all_ms, measured in the same run' },
    {
      bench,
      figure: 'rollup_build_ms',
      value: round(rollupBuildMs),
      unit: 'ms',
      note: `building every month block from scratch (${rollups.blocks} blocks over ${channelCount} channels), including the reads`,
    },
    {
      bench,
      figure: 'rollup_bytes',
      value: rollups.pages ?? rollups.payload,
      unit: 'bytes',
      note:
        rollups.pages === null
          ? 'payload bytes of the month blocks (dbstat unavailable)'
          : `pages of probe_month_rollups (dbstat); payloads ${rollups.payload} bytes, ${round(rollups.payload / generated.probes, 1)} per probe`,
    },
    {
      bench,
      figure: 'public_90d_ms',
      value: round(percentile(ninety, 0.5)),
      unit: 'ms',
      note: 'public vendors, window 90d (the status page default), p50 of 5',
    },
    { bench, figure: 'all_json_bytes', value: bytes, unit: 'bytes', note: 'size of the full report' },
    { bench, figure: 'heap_mb', value: round((heapPeak - heapBefore) / 1048576, 1), unit: 'MB', note: 'heap growth while building the full report' },
    { bench, figure: 'rss_mb', value: round(process.memoryUsage().rss / 1048576, 1), unit: 'MB', note: 'process RSS after the bench' },
    {
      bench,
      figure: 'bytes_per_probe',
      value: round(dbBytes / generated.probes, 0),
      unit: 'bytes',
      note: `database size / probes (incl. messages, indexes and the month blocks); goal ≤ 2048; ${dbBytes} bytes`,
    },
    { bench, figure: 'probes', value: generated.probes, unit: 'probes', note },
  );
  if (generated.seconds > 0)
    figures.push({
      bench,
      figure: 'generate_s',
      value: round(generated.seconds, 1),
      unit: 's',
      note: 'building the synthetic store (cached afterwards in the temp dir)',
    });
  return figures;
}
