// Status API under load: 200 vendors × 4 channels × 2 years; the server and autocannon each in a child process.
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
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const pipelining = Number(process.env.BENCH_PIPELINING ?? 4);
/**
 * Stock autocannon decodes every response body into a JS string; for 35 KB of gzip that costs the load generator
 * ~0.6 ms per response (binary is not UTF-8), capping it near 1.5k req/s whatever the server does. By default the
 * bodies are counted, not decoded; BENCH_DECODE_BODIES=1 measures with stock behaviour.
 */
const decodeBodies = process.env.BENCH_DECODE_BODIES === '1';

interface LoadResult {
  reqPerS: number;
  p50: number;
  p99: number;
  p999: number;
  errors: number;
  requests: number;
  /** Body bytes received per response: proves complete bodies arrived. */
  bodyBytes: number;
}

/** The server child: serves the generated store on loopback port 0 and prints its URL. */
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

/** The load child: one autocannon run against FIRSTREPLY_BENCH_URL, its result as one JSON line. */
async function load(): Promise<void> {
  let bodyBytes = 0;
  const result = await autocannon({
    url: process.env.FIRSTREPLY_BENCH_URL ?? '', connections, pipelining, duration: durationS, headers: { 'accept-encoding': 'gzip' },
    ...(decodeBodies ? {} : { setupClient: (client: autocannon.Client) => { client.pipelinedRequests.addBody = (data) => { bodyBytes += data.length; }; } }),
  });
  const out: LoadResult = {
    reqPerS: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, p999: result.latency.p99_9,
    errors: result.errors + result.timeouts + result.non2xx, requests: result.requests.total,
    bodyBytes: result.requests.total > 0 ? Math.round(bodyBytes / result.requests.total) : 0,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function child(role: 'server' | 'load', env: Record<string, string>): { child: ChildProcess; firstLine: Promise<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, ...env, FIRSTREPLY_BENCH_ROLE: role },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout ?? process.stdin });
  const firstLine = Promise.race([
    once(lines, 'line').then(([line]) => String(line).trim()),
    once(proc, 'exit').then(([code]): string => { throw new Error(`bench ${role} exited with ${code}`); }),
  ]);
  return { child: proc, firstLine };
}

function isLoadResult(value: unknown): value is LoadResult {
  return typeof value === 'object' && value !== null && 'reqPerS' in value && 'p99' in value;
}

async function loadFrom(url: string): Promise<LoadResult> {
  const { child: proc, firstLine } = child('load', { FIRSTREPLY_BENCH_URL: url });
  const parsed: unknown = JSON.parse(await firstLine);
  if (proc.exitCode === null) await once(proc, 'exit');
  if (!isLoadResult(parsed)) throw new Error('bench load child printed no result');
  return parsed;
}

function figures(prefix: string, route: string, gzipBytes: number, result: LoadResult): Figure[] {
  const note = `${route}: ${connections} connections × ${pipelining} pipelined, ${durationS} s, gzip (${gzipBytes} B), cached; `
    + `${result.requests} requests${decodeBodies ? '' : `, ${result.bodyBytes} body bytes each`}, p99.9 ${result.p999} ms; autocannon in its own process`
    + `${decodeBodies ? ', bodies decoded' : ', bodies counted not decoded'}`;
  if (!decodeBodies && result.errors === 0 && result.bodyBytes !== gzipBytes) throw new Error(`${route}: ${result.bodyBytes} body bytes per response, expected ${gzipBytes}`);
  return [
    { bench: 'status-api', figure: `${prefix}req_per_s`, value: Math.round(result.reqPerS), unit: 'req/s', note },
    { bench: 'status-api', figure: `${prefix}p50_ms`, value: result.p50, unit: 'ms', note },
    { bench: 'status-api', figure: `${prefix}p99_ms`, value: result.p99, unit: 'ms', note },
    { bench: 'status-api', figure: `${prefix}errors`, value: result.errors, unit: 'count', note },
  ];
}

export async function run(): Promise<Figure[]> {
  const generated = openGeneratedStore(benchStore);
  const probes = generated.store.probes.recent(1)[0]?.id ?? 0;
  generated.store.close();
  if (generated.generatedMs > 0) process.stderr.write(`status-api: generated ${probes} probes in ${Math.round(generated.generatedMs / 1000)} s\n`);
  const server = child('server', { FIRSTREPLY_BENCH_DB: generated.path, FIRSTREPLY_BENCH_NOW: String(benchStore.now) });
  try {
    const url = await server.firstLine;
    const routes: [string, string][] = [['', '/api/v1/vendors'], ['vendor_', '/api/v1/vendors/vendor-007']];
    const warm = performance.now();
    const sizes = new Map<string, { gzip: number; raw: number }>();
    for (const [, path] of routes) {
      const res = await fetch(`${url}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      const raw = Buffer.from(await res.arrayBuffer()).length;
      sizes.set(path, { gzip: Number(res.headers.get('content-length')), raw });
    }
    const firstBuildMs = performance.now() - warm;
    const out: Figure[] = [];
    for (const [prefix, path] of routes) {
      const size = sizes.get(path) ?? { gzip: 0, raw: 0 };
      out.push(...figures(prefix, path, size.gzip, await loadFrom(`${url}${path}`)));
      out.push({ bench: 'status-api', figure: `${prefix}gzip_kb`, value: Math.round(size.gzip / 102.4) / 10, unit: 'KB', note: `${path}: ${Math.round(size.raw / 1024)} KB uncompressed` });
    }
    out.push({ bench: 'status-api', figure: 'first_build_ms', value: Math.round(firstBuildMs), unit: 'ms', note: `uncached build of both documents over ${probes} probes` });
    return out;
  } finally {
    server.child.kill('SIGTERM');
    if (server.child.exitCode === null) await once(server.child, 'exit');
  }
}

if (process.env.FIRSTREPLY_BENCH_ROLE === 'server') await serve();
if (process.env.FIRSTREPLY_BENCH_ROLE === 'load') await load();
