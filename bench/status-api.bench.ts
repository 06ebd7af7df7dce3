// Status API under load: 200 vendors × 4 channels × 2 years; autocannon in this process, the server in a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Figure } from './run.ts';
import { openGeneratedStore } from '../tests/helpers/fixture-store.ts';
import { buildApp } from '../src/server/app.ts';
import { ManualClock } from '../src/core/clock.ts';
import { openStore } from '../src/store/db.ts';

export const benchStore = { dir: tmpdir(), vendors: 200, days: 730, perDay: 0.4, now: Date.UTC(2026, 2, 16, 12) };
const durationS = Number(process.env.BENCH_DURATION_S ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);

/** The child: serves the generated store on loopback port 0 and prints its URL. */
async function serve(): Promise<void> {
  const path = process.env.FIRSTREPLY_BENCH_DB ?? '';
  const clock = new ManualClock(Number(process.env.FIRSTREPLY_BENCH_NOW));
  const store = openStore(path, clock);
  const app = await buildApp({ store, clock });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${url}\n`);
  process.on('SIGTERM', () => {
    app.close().then(() => store.close()).finally(() => process.exit(0));
  });
}

async function startServer(path: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, FIRSTREPLY_BENCH_ROLE: 'server', FIRSTREPLY_BENCH_DB: path, FIRSTREPLY_BENCH_NOW: String(benchStore.now) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout ?? process.stdin });
  const [line] = await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => { throw new Error(`bench server exited with ${code}`); }),
  ]);
  return { url: String(line).trim(), child };
}

async function load(url: string): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration: durationS, headers: { 'accept-encoding': 'gzip' } });
}

function figures(prefix: string, route: string, result: autocannon.Result): Figure[] {
  const errors = result.errors + result.timeouts + result.non2xx;
  const note = `${route}, ${connections} connections, ${durationS} s, gzip, cached; ${result.requests.total} requests`;
  return [
    { bench: 'status-api', figure: `${prefix}req_per_s`, value: Math.round(result.requests.average), unit: 'req/s', note },
    { bench: 'status-api', figure: `${prefix}p50_ms`, value: result.latency.p50, unit: 'ms', note },
    { bench: 'status-api', figure: `${prefix}p99_ms`, value: result.latency.p99, unit: 'ms', note },
    { bench: 'status-api', figure: `${prefix}errors`, value: errors, unit: 'count', note },
  ];
}

export async function run(): Promise<Figure[]> {
  const generated = openGeneratedStore(benchStore);
  const probes = generated.store.probes.recent(1)[0]?.id ?? 0;
  generated.store.close();
  if (generated.generatedMs > 0) process.stderr.write(`status-api: generated ${probes} probes in ${Math.round(generated.generatedMs / 1000)} s\n`);
  const { url, child } = await startServer(generated.path);
  try {
    const warm = performance.now();
    for (const path of ['/api/v1/vendors', '/api/v1/vendors/vendor-007']) {
      const res = await fetch(`${url}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      await res.arrayBuffer();
    }
    const firstBuildMs = performance.now() - warm;
    const list = await load(`${url}/api/v1/vendors`);
    const one = await load(`${url}/api/v1/vendors/vendor-007`);
    return [
      ...figures('', '/api/v1/vendors', list),
      ...figures('vendor_', '/api/v1/vendors/vendor-007', one),
      { bench: 'status-api', figure: 'first_build_ms', value: Math.round(firstBuildMs), unit: 'ms', note: `uncached build of both documents over ${probes} probes` },
    ];
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

if (process.env.FIRSTREPLY_BENCH_ROLE === 'server') await serve();
