// Bench `stats-memory`: peak RSS of `firstreply stats --json --window all` over a SYNTHETIC store of 1,536 vendors
// (1.6 M probes; bench/generate-store.ts), written vendor by vendor, beside the whole document built and serialized at
// once (as the command did before), in the same run. Each runs in a process of its own; the outputs must be identical.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Figure } from './run.ts';
import { generateStore } from './generate-store.ts';

const bench = 'stats-memory';
const MB = 1024 * 1024;
const goalMb = 600;

type Mode = 'stream' | 'whole';

interface Measured {
  maxRssMb: number;
  seconds: number;
  bytes: number;
  sha256: string;
}

/** The child: one report on stdout, then its peak RSS on stderr. `now` is the store's, so both modes print the same. */
async function child(mode: Mode, path: string, now: number): Promise<void> {
  Date.now = () => now;
  if (mode === 'stream') {
    const { statsCommand } = await import('../src/cli/stats.ts');
    await statsCommand.run(['--json', '--window', 'all', '--db', path]);
  } else {
    const { openStore } = await import('../src/store/db.ts');
    const { systemClock } = await import('../src/core/clock.ts');
    const { buildStatsReport } = await import('../src/metrics/report.ts');
    const store = openStore(path, systemClock);
    const report = buildStatsReport(store, { now, window: 'all', includePrivate: true });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    store.close();
  }
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.stderr.write(`\n${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

async function measure(mode: Mode, path: string, now: number): Promise<Measured> {
  const started = performance.now();
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'child', mode, path, String(now)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const hash = createHash('sha256');
  let bytes = 0;
  let err = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => proc.once('close', resolve));
  const last = err.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{"maxRssKb"')) throw new Error(`stats-memory ${mode}: exit ${code}: ${err.slice(-2000)}`);
  const parsed: { maxRssKb: number } = JSON.parse(last);
  return { maxRssMb: parsed.maxRssKb / 1024, seconds: (performance.now() - started) / 1000, bytes, sha256: hash.digest('hex') };
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export async function run(): Promise<Figure[]> {
  const vendors = Number(process.env.BENCH_STATS_MEMORY_VENDORS ?? 1536);
  process.stderr.write(`stats-memory: generating (or reusing) a synthetic store of ${vendors} vendors × 4 channels × 730 days…\n`);
  // BENCH_STORE: a store generated beforehand (bench/generate-store.ts --out), used as it is.
  const generated = generateStore({ vendors, channels: 4, days: 730, ...(process.env.BENCH_STORE ? { path: process.env.BENCH_STORE } : {}) });
  const note = `synthetic store: ${vendors} vendors × 4 channels × 730 days, ${generated.probes} probes`;
  // The first report builds any missing month block (a write); the measured runs then read the same blocks.
  process.stderr.write('stats-memory: a first report (builds the month blocks)…\n');
  const first = await measure('stream', generated.path, generated.now);
  process.stderr.write('stats-memory: the whole document…\n');
  // The whole document can fail outright: past V8's longest string (2^29 − 24 characters) JSON.stringify throws.
  let whole: Measured | Error;
  try {
    whole = await measure('whole', generated.path, generated.now);
  } catch (err) {
    whole = err instanceof Error ? err : new Error(String(err));
  }
  process.stderr.write('stats-memory: written vendor by vendor…\n');
  const stream = await measure('stream', generated.path, generated.now);
  if (!(whole instanceof Error) && (stream.sha256 !== whole.sha256 || stream.bytes !== whole.bytes)) {
    throw new Error(
      `stats-memory: the streamed report (${stream.bytes} bytes, ${stream.sha256}) differs from the whole document (${whole.bytes} bytes, ${whole.sha256})`,
    );
  }
  if (stream.sha256 !== first.sha256) throw new Error('stats-memory: two streamed reports of the same store and moment differ');
  const load = `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} cores`;
  const failed = whole instanceof Error ? (/RangeError[^\n]*/.exec(whole.message)?.[0] ?? whole.message.split('\n')[0] ?? 'failed') : undefined;
  return [
    {
      bench,
      figure: 'rss_mb',
      value: round(stream.maxRssMb),
      unit: 'MB',
      note: `peak RSS of firstreply stats --json --window all (process maxRSS, tsx included); goal ≤ ${goalMb} MB; ${note}`,
    },
    whole instanceof Error
      ? { bench, figure: 'whole_failed', value: 1, unit: 'bool', note: `the whole document (one object, one string, as before) failed: ${failed}` }
      : {
          bench,
          figure: 'whole_rss_mb',
          value: round(whole.maxRssMb),
          unit: 'MB',
          note: 'the same report built as one object and serialized as one string (as before), same process set-up, same run',
        },
    {
      bench,
      figure: 'seconds',
      value: round(stream.seconds, 2),
      unit: 's',
      note: `written vendor by vendor, process start to exit (first run, building blocks: ${round(first.seconds, 2)} s); ${load}`,
    },
    ...(whole instanceof Error
      ? []
      : [{ bench, figure: 'whole_seconds', value: round(whole.seconds, 2), unit: 's', note: 'the whole document, process start to exit' }]),
    {
      bench,
      figure: 'json_mb',
      value: round(stream.bytes / MB, 1),
      unit: 'MB',
      note:
        whole instanceof Error
          ? `size of the report (sha256 ${stream.sha256.slice(0, 16)}…, the same in both streamed runs)`
          : `size of the report; identical to the whole document's (sha256 ${stream.sha256.slice(0, 16)}…)`,
    },
    { bench, figure: 'probes', value: generated.probes, unit: 'probes', note },
  ];
}

if (process.argv[2] === 'child') {
  const [, , , mode, path, now] = process.argv;
  if ((mode !== 'stream' && mode !== 'whole') || !path || !now) throw new Error('usage: stats-memory.bench.ts child stream|whole PATH NOW');
  await child(mode, path, Number(now));
}
