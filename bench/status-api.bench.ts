// Status API under load: the generated store (200 vendors × 4 channels × 2 years by default), a clock that moves and one
// store write a second during the run; the server, its limit peer (a bare Fastify sending the same bytes and headers),
// its floor peer (node:http alone, the same bytes and headers) and autocannon each in a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, get, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import type { Figure } from './run.ts';
import { generateStore, writeBenchReply } from './generate-store.ts';
import { buildApp } from '../src/server/app.ts';
import type { Clock } from '../src/core/clock.ts';
import { openStore } from '../src/store/db.ts';

export const benchStore = { dir: tmpdir(), vendors: 200, days: 730, perDay: 0.4, now: Date.UTC(2026, 2, 16, 12) };
const vendorCount = Number(process.env.BENCH_VENDORS ?? 200);
const durationS = Number(process.env.BENCH_DURATION_S ?? 10);
const warmUpS = 3;
/**
 * The ratio to the limit comes from short loads alternating ours and the limit's (ABBA), not from one long load of
 * each after the other: on a shared machine the load beside the bench drifts within a minute, and two runs of the
 * same code gave 0.68 and 1.03 measured one after the other.
 */
const ratioRounds = 4;
const ratioRoundS = 2.5;
const pipelinedConnections = 8;
const pipelining = 4;
const plainConnections = 256;
const writesPerS = 1;
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
  max: number;
  errors: number;
  requests: number;
  /** Body bytes received per response: proves complete bodies arrived. */
  bodyBytes: number;
}

/** What the server child saw during one load run. */
interface ServerReport {
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  writes: number;
  /** CPU time of the event-loop thread (Linux: /proc/thread-self/stat; elsewhere the whole process). */
  mainCpuMs: number;
  /** CPU time of the whole process: the event loop, the status workers, the collector's threads. */
  processCpuMs: number;
}

const clockTicksPerS = 100;

/** CPU time (ms) of the calling thread, from /proc (10 ms ticks); the process's where /proc is missing. */
function threadCpuMs(): number {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are the 14th and 15th fields of the whole line, the 12th and 13th after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerS;
  } catch {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
}

function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Real time from the store's "now" on: the cache ages out and open probes pass their deadlines as in production. */
function movingClock(start: number): Clock {
  const origin = performance.now();
  return { now: () => start + Math.round(performance.now() - origin) };
}

/**
 * The server child: serves a copy of the generated store on loopback port 0 and prints its URL; writes a reply to a
 * random probe once a second (as the watcher does), and answers `reset`/`report` on IPC with its event-loop delay.
 */
async function serve(): Promise<void> {
  const path = process.env.FIRSTREPLY_BENCH_DB ?? '';
  const clock = movingClock(Number(process.env.FIRSTREPLY_BENCH_NOW));
  const store = openStore(path, clock);
  const app = await buildApp({ store, clock, statusWorker: true });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const lastProbe = store.probes.recent(1)[0]?.id ?? 1;
  let writes = 0;
  const writer = setInterval(() => {
    if (!writeBenchReply(store, clock.now(), lastProbe)) return;
    writes++;
  }, 1000 / writesPerS);
  answerReports(
    () => writes,
    () => {
      writes = 0;
    },
  );
  process.stdout.write(`${url}\n`);
  process.on('SIGTERM', () => {
    clearInterval(writer);
    void app
      .close()
      .then(() => store.close())
      .finally(() => process.exit(0));
  });
}

/** Answers `reset` and `report` on IPC with the event-loop delay seen since the last reset. */
function answerReports(writes: () => number, reset: () => void): void {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let cpuFrom = { main: threadCpuMs(), process: processCpuMs() };
  process.on('message', (command: unknown) => {
    if (command === 'reset') {
      delay.reset();
      reset();
      cpuFrom = { main: threadCpuMs(), process: processCpuMs() };
      process.send?.('reset');
    } else if (command === 'report') {
      const report: ServerReport = {
        loopDelayP99Ms: delay.percentile(99) / 1e6,
        loopDelayMaxMs: delay.max / 1e6,
        writes: writes(),
        mainCpuMs: threadCpuMs() - cpuFrom.main,
        processCpuMs: processCpuMs() - cpuFrom.process,
      };
      process.send?.(report);
    }
  });
}

/**
 * The floor peer: Node's http module alone answering each route with the bytes and headers our server sent for it —
 * the least latency and event-loop delay any Node server reaches under the same load on this machine.
 */
async function serveFloor(): Promise<void> {
  const recorded: { path: string; headers: Record<string, string>; body: string }[] = JSON.parse(
    readFileSync(process.env.FIRSTREPLY_BENCH_RECORDED ?? '', 'utf8'),
  );
  const routes = new Map(recorded.map((route) => [route.path, { headers: route.headers, body: Buffer.from(route.body, 'base64') }]));
  const server = createServer((request, response) => {
    const route = routes.get(request.url ?? '');
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, route.headers).end(route.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  answerReports(
    () => 0,
    () => undefined,
  );
  process.stdout.write(`http://127.0.0.1:${port}\n`);
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

/** The limit peer: a bare Fastify answering each route with the bytes and headers our server sent for it. */
async function serveLimit(): Promise<void> {
  const recorded: { path: string; headers: Record<string, string>; body: string }[] = JSON.parse(
    readFileSync(process.env.FIRSTREPLY_BENCH_RECORDED ?? '', 'utf8'),
  );
  const app = Fastify();
  for (const route of recorded) {
    const body = Buffer.from(route.body, 'base64');
    app.get(route.path, (_request, reply) => reply.headers(route.headers).send(body));
  }
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  answerReports(
    () => 0,
    () => undefined,
  );
  process.stdout.write(`${url}\n`);
  process.on('SIGTERM', () => {
    void app.close().finally(() => process.exit(0));
  });
}

/** The load child: one autocannon run against FIRSTREPLY_BENCH_URL, its result as one JSON line. */
async function load(): Promise<void> {
  let bodyBytes = 0;
  const result = await autocannon({
    url: process.env.FIRSTREPLY_BENCH_URL ?? '',
    connections: Number(process.env.FIRSTREPLY_BENCH_CONNECTIONS),
    pipelining: Number(process.env.FIRSTREPLY_BENCH_PIPELINING),
    duration: Number(process.env.FIRSTREPLY_BENCH_SECONDS ?? durationS),
    headers: { 'accept-encoding': 'gzip' },
    ...(decodeBodies
      ? {}
      : {
          setupClient: (client: autocannon.Client) => {
            client.pipelinedRequests.addBody = (data) => {
              bodyBytes += data.length;
            };
          },
        }),
  });
  const out: LoadResult = {
    reqPerS: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    max: result.latency.max,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
    bodyBytes: result.requests.total > 0 ? Math.round(bodyBytes / result.requests.total) : 0,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

type Role = 'server' | 'limit' | 'floor' | 'load';

function child(role: Role, env: Record<string, string>): { child: ChildProcess; firstLine: Promise<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, ...env, FIRSTREPLY_BENCH_ROLE: role },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const lines = createInterface({ input: proc.stdout ?? process.stdin });
  const firstLine = Promise.race([
    once(lines, 'line').then(([line]) => String(line).trim()),
    once(proc, 'exit').then(([code]): string => {
      throw new Error(`bench ${role} exited with ${code}`);
    }),
  ]);
  return { child: proc, firstLine };
}

async function stop(proc: ChildProcess): Promise<void> {
  proc.kill('SIGTERM');
  if (proc.exitCode === null && proc.signalCode === null) await once(proc, 'exit');
}

function isLoadResult(value: unknown): value is LoadResult {
  return typeof value === 'object' && value !== null && 'reqPerS' in value && 'p99' in value;
}

function isServerReport(value: unknown): value is ServerReport {
  return typeof value === 'object' && value !== null && 'loopDelayP99Ms' in value;
}

async function ask(server: ChildProcess, command: 'reset' | 'report'): Promise<unknown> {
  const answer = once(server, 'message');
  server.send(command);
  const [reply] = await answer;
  return reply;
}

async function loadFrom(url: string, connections: number, pipelined: number, seconds = durationS): Promise<LoadResult> {
  const { child: proc, firstLine } = child('load', {
    FIRSTREPLY_BENCH_SECONDS: String(seconds),
    FIRSTREPLY_BENCH_URL: url,
    FIRSTREPLY_BENCH_CONNECTIONS: String(connections),
    FIRSTREPLY_BENCH_PIPELINING: String(pipelined),
  });
  const parsed: unknown = JSON.parse(await firstLine);
  if (proc.exitCode === null) await once(proc, 'exit');
  if (!isLoadResult(parsed)) throw new Error('bench load child printed no result');
  return parsed;
}

/** The response as sent (fetch would decompress it): headers and gzip bytes. */
async function rawGet(url: string): Promise<{ status: number | undefined; headers: IncomingHttpHeaders; body: Buffer }> {
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': 'gzip' } }, resolve).on('error', reject);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(Buffer.from(chunk));
  return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function run(): Promise<Figure[]> {
  // BENCH_STORE: a store generated beforehand (bench/generate-store.ts --out), used as it is.
  const generated = generateStore({ vendors: vendorCount, now: benchStore.now, ...(process.env.BENCH_STORE ? { path: process.env.BENCH_STORE } : {}) });
  if (generated.seconds > 0) process.stderr.write(`status-api: generated ${generated.probes} probes in ${Math.round(generated.seconds)} s\n`);
  // The run writes to the store: a copy keeps the shared generated file as it was.
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-status-api-'));
  const dbPath = join(dir, 'bench.db');
  copyFileSync(generated.path, dbPath);
  const server = child('server', { FIRSTREPLY_BENCH_DB: dbPath, FIRSTREPLY_BENCH_NOW: String(generated.now) });
  let limit: ReturnType<typeof child> | undefined;
  let floor: ReturnType<typeof child> | undefined;
  try {
    const url = await server.firstLine;
    const listed: unknown = await (await fetch(`${url}/api/v1/vendors`)).json();
    const slugs =
      typeof listed === 'object' && listed !== null && 'vendors' in listed && Array.isArray(listed.vendors)
        ? listed.vendors.map((v: { slug?: unknown }) => String(v.slug))
        : [];
    const vendor = slugs[6] ?? slugs[0] ?? '';
    const routes: [string, string][] = [
      ['', '/api/v1/vendors'],
      ['vendor_', `/api/v1/vendors/${vendor}`],
    ];
    const warm = performance.now();
    const recorded: { path: string; headers: Record<string, string>; body: string }[] = [];
    const sizes = new Map<string, { gzip: number; raw: number }>();
    for (const [, path] of routes) {
      // One response gives the size and the limit's bytes: a write between two requests would change the body.
      const gzipped = await rawGet(`${url}${path}`);
      if (gzipped.status !== 200) throw new Error(`${path}: HTTP ${gzipped.status}`);
      sizes.set(path, { gzip: gzipped.body.length, raw: gunzipSync(gzipped.body).length });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(gzipped.headers)) {
        if (typeof value === 'string' && !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name)) headers[name] = value;
      }
      recorded.push({ path, headers, body: gzipped.body.toString('base64') });
    }
    const firstBuildMs = performance.now() - warm;
    const recordedPath = join(dir, 'recorded.json');
    writeFileSync(recordedPath, JSON.stringify(recorded));
    limit = child('limit', { FIRSTREPLY_BENCH_RECORDED: recordedPath });
    const limitUrl = await limit.firstLine;
    floor = child('floor', { FIRSTREPLY_BENCH_RECORDED: recordedPath });
    const floorUrl = await floor.firstLine;

    // Every server warms up (JIT, connection pools) on every route before anything is measured.
    for (const [, path] of routes) for (const base of [url, limitUrl, floorUrl]) await loadFrom(`${base}${path}`, pipelinedConnections, pipelining, warmUpS);
    const out: Figure[] = [];
    let maxMs = 0;
    let loopP99 = 0;
    let loopMax = 0;
    let limitLoopP99 = 0;
    let floorMaxMs = 0;
    let floorLoopP99 = 0;
    let writes = 0;
    for (const [prefix, path] of routes) {
      const size = sizes.get(path) ?? { gzip: 0, raw: 0 };
      const shapes: [string, number, number][] = [
        ['', pipelinedConnections, pipelining],
        ['_256', plainConnections, 1],
      ];
      for (const [suffix, connections, pipelined] of shapes) {
        await ask(server.child, 'reset');
        const ours = await loadFrom(`${url}${path}`, connections, pipelined);
        const seen = await ask(server.child, 'report');
        if (!isServerReport(seen)) throw new Error('bench server sent no report');
        await ask(limit.child, 'reset');
        const peer = await loadFrom(`${limitUrl}${path}`, connections, pipelined);
        const peerSeen = await ask(limit.child, 'report');
        if (!isServerReport(peerSeen)) throw new Error('bench limit sent no report');
        limitLoopP99 = Math.max(limitLoopP99, peerSeen.loopDelayP99Ms);
        await ask(floor.child, 'reset');
        const bare = await loadFrom(`${floorUrl}${path}`, connections, pipelined);
        const bareSeen = await ask(floor.child, 'report');
        if (!isServerReport(bareSeen)) throw new Error('bench floor sent no report');
        floorMaxMs = Math.max(floorMaxMs, bare.max);
        floorLoopP99 = Math.max(floorLoopP99, bareSeen.loopDelayP99Ms);
        let oursRate = 0;
        let limitRate = 0;
        for (let round = 0; round < ratioRounds; round++) {
          const order = round % 2 === 0 ? [url, limitUrl] : [limitUrl, url];
          for (const base of order) {
            const result = await loadFrom(`${base}${path}`, connections, pipelined, ratioRoundS);
            if (base === url) oursRate += result.reqPerS;
            else limitRate += result.reqPerS;
          }
        }
        const ratio = limitRate > 0 ? Math.round((oursRate / limitRate) * 100) / 100 : 0;
        // Ours changes as writes land and the clock moves: complete bodies are within a few percent of the first.
        // Bytes of responses still in flight when the run stops count, their responses do not: at most one body per
        // request in flight (connections × pipelining) over the whole run.
        const inFlight = (connections * pipelined * size.gzip) / Math.max(1, peer.requests);
        if (!decodeBodies && peer.errors === 0 && (peer.bodyBytes < size.gzip || peer.bodyBytes > size.gzip + inFlight))
          throw new Error(`${path}: the limit sent ${peer.bodyBytes} body bytes per response, expected ${size.gzip}`);
        if (!decodeBodies && ours.errors === 0 && Math.abs(ours.bodyBytes - size.gzip) > size.gzip * 0.05)
          throw new Error(`${path}: ${ours.bodyBytes} body bytes per response, expected about ${size.gzip}`);
        maxMs = Math.max(maxMs, ours.max);
        loopP99 = Math.max(loopP99, seen.loopDelayP99Ms);
        loopMax = Math.max(loopMax, seen.loopDelayMaxMs);
        writes += seen.writes;
        const note =
          `${path}: ${connections} connections${pipelined > 1 ? ` × ${pipelined} pipelined` : ', no pipelining'}, ${durationS} s, gzip (${size.gzip} B), ` +
          `${vendorCount} vendors, clock moving, ${seen.writes} writes; ${ours.requests} requests, p99.9 ${ours.p999} ms, max ${ours.max} ms, loop delay p99 ${round1(seen.loopDelayP99Ms)} ms; ` +
          `limit (bare Fastify, same bytes and headers): ${Math.round(peer.reqPerS)} req/s, p99 ${peer.p99} ms, max ${peer.max} ms, loop delay p99 ${round1(peerSeen.loopDelayP99Ms)} ms; ` +
          `floor (node:http alone, same bytes and headers): ${Math.round(bare.reqPerS)} req/s, p99 ${bare.p99} ms, max ${bare.max} ms, loop delay p99 ${round1(bareSeen.loopDelayP99Ms)} ms; autocannon in its own process` +
          `${decodeBodies ? ', bodies decoded' : ', bodies counted not decoded'}`;
        const p99Name = suffix === '' ? `${prefix}p99_ms` : `${prefix}p99${suffix}_ms`;
        const perRequest = (ms: number, requests: number) => (requests > 0 ? Math.round((ms * 1000) / requests) : 0);
        const cpu = perRequest(seen.mainCpuMs, ours.requests);
        const limitCpu = perRequest(peerSeen.mainCpuMs, peer.requests);
        const cpuNote =
          `${note}; CPU of the event-loop thread per response (10 ms ticks over the run), ours ${cpu} µs, the limit's ${limitCpu} µs; ` +
          `our whole process (status workers rebuilding after each write, the collector) ${perRequest(seen.processCpuMs, ours.requests)} µs`;
        out.push(
          { bench: 'status-api', figure: `${prefix}req_per_s${suffix}`, value: Math.round(ours.reqPerS), unit: 'req/s', note },
          { bench: 'status-api', figure: suffix === '' ? `${prefix}p50_ms` : `${prefix}p50${suffix}_ms`, value: ours.p50, unit: 'ms', note },
          { bench: 'status-api', figure: p99Name, value: ours.p99, unit: 'ms', note },
          { bench: 'status-api', figure: `${prefix}max${suffix}_ms`, value: ours.max, unit: 'ms', note },
          { bench: 'status-api', figure: `${prefix}errors${suffix}`, value: ours.errors, unit: 'count', note },
          { bench: 'status-api', figure: `${prefix}limit_req_per_s${suffix}`, value: Math.round(peer.reqPerS), unit: 'req/s', note },
          { bench: 'status-api', figure: suffix === '' ? `${prefix}floor_p99_ms` : `${prefix}floor_p99${suffix}_ms`, value: bare.p99, unit: 'ms', note },
          {
            bench: 'status-api',
            figure: `${prefix}ratio_to_limit${suffix}`,
            value: ratio,
            unit: 'ratio',
            note: `${note}; req/s of ours over the limit's from ${ratioRounds} rounds of ${ratioRoundS} s each, alternating (ABBA)`,
          },
          {
            bench: 'status-api',
            figure: `${prefix}ratio_to_limit${suffix}_sequential`,
            value: Math.round((ours.reqPerS / peer.reqPerS) * 100) / 100,
            unit: 'ratio',
            note: `${note}; req/s of the ${durationS} s loads above, ours then the limit's`,
          },
          { bench: 'status-api', figure: `${prefix}cpu_us_per_req${suffix}`, value: cpu, unit: 'µs', note: cpuNote },
          { bench: 'status-api', figure: `${prefix}limit_cpu_us_per_req${suffix}`, value: limitCpu, unit: 'µs', note: cpuNote },
          {
            bench: 'status-api',
            figure: `${prefix}process_cpu_us_per_req${suffix}`,
            value: perRequest(seen.processCpuMs, ours.requests),
            unit: 'µs',
            note: cpuNote,
          },
        );
      }
      out.push({
        bench: 'status-api',
        figure: `${prefix}gzip_kb`,
        value: Math.round(size.gzip / 102.4) / 10,
        unit: 'KB',
        note: `${path}: ${Math.round(size.raw / 1024)} KB uncompressed`,
      });
    }
    const runs = `over every run above (${writes} writes, clock moving, ${vendorCount} vendors)`;
    out.push(
      { bench: 'status-api', figure: 'max_ms', value: maxMs, unit: 'ms', note: `slowest response ${runs}` },
      {
        bench: 'status-api',
        figure: 'loop_delay_p99_ms',
        value: round1(loopP99),
        unit: 'ms',
        note: `the server's event-loop delay p99 (monitorEventLoopDelay), worst run ${runs}; max ${round1(loopMax)} ms`,
      },
      {
        bench: 'status-api',
        figure: 'limit_loop_delay_p99_ms',
        value: round1(limitLoopP99),
        unit: 'ms',
        note: "the limit peer's event-loop delay p99 under the same loads, worst run: what the load alone costs the loop",
      },
      {
        bench: 'status-api',
        figure: 'floor_max_ms',
        value: floorMaxMs,
        unit: 'ms',
        note: 'the floor peer (node:http alone): slowest response over the same loads',
      },
      {
        bench: 'status-api',
        figure: 'floor_loop_delay_p99_ms',
        value: round1(floorLoopP99),
        unit: 'ms',
        note: "the floor peer's event-loop delay p99 under the same loads, worst run: the least any Node server shows here",
      },
      {
        bench: 'status-api',
        figure: 'first_build_ms',
        value: Math.round(firstBuildMs),
        unit: 'ms',
        note: `uncached build of both documents over ${generated.probes} probes`,
      },
    );
    return out;
  } finally {
    if (limit) await stop(limit.child);
    if (floor) await stop(floor.child);
    await stop(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.FIRSTREPLY_BENCH_ROLE === 'server') await serve();
if (process.env.FIRSTREPLY_BENCH_ROLE === 'limit') await serveLimit();
if (process.env.FIRSTREPLY_BENCH_ROLE === 'floor') await serveFloor();
if (process.env.FIRSTREPLY_BENCH_ROLE === 'load') await load();
