// Bench `feed`: the event-loop time of the first request after a write lands in the vendors list, for the routes that
// read the list on the main thread (the Atom feed, the admin list, the home page, an embed), status workers as main wires them.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Figure } from './run.ts';
import { generateStore, writeBenchReply } from './generate-store.ts';
import { benchStore } from './status-api.bench.ts';
import { ManualClock } from '../src/core/clock.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { buildApp } from '../src/server/app.ts';

const bench = 'feed';
const vendorCount = Number(process.env.BENCH_VENDORS ?? 200);
const rounds = Number(process.env.BENCH_FEED_ROUNDS ?? 5);
const adminToken = 'bench-admin-token';
const admin = { authorization: `Bearer ${adminToken}` };

interface Route {
  name: string;
  url: (slug: string) => string;
  headers: Record<string, string>;
}

const routes: Route[] = [
  { name: 'feed', url: () => '/feed.atom', headers: {} },
  { name: 'admin', url: () => '/api/v1/admin/vendors', headers: admin },
  { name: 'home', url: () => '/', headers: {} },
  { name: 'embed', url: (slug) => `/embed/${slug}`, headers: {} },
];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};
const round1 = (n: number) => Math.round(n * 10) / 10;

function write(store: Store, now: number): void {
  writeBenchReply(store, now, store.probes.recent(1)[0]?.id ?? 1);
}

/** Waits until the list (public, or with private vendors) is served in a version other than `etag`; the new etag. */
async function nextList(app: FastifyInstance, headers: Record<string, string>, etag: string, polls: number[] = []): Promise<string> {
  for (let i = 0; i < 3000; i++) {
    const started = performance.now();
    const res = await app.inject({ url: '/api/v1/vendors', headers, payloadAsStream: true });
    polls.push(performance.now() - started);
    const now = String(res.headers.etag);
    if (now !== etag) return now;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the vendors list did not change after a write');
}

async function timed(app: FastifyInstance, url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  // As a stream: the injector would otherwise join and decode the body on this thread (6 MB for the admin list).
  const res = await app.inject({ url, headers, payloadAsStream: true });
  const ms = performance.now() - started;
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
  return ms;
}

export async function run(): Promise<Figure[]> {
  const generated = generateStore({ vendors: vendorCount, now: benchStore.now, ...(process.env.BENCH_STORE ? { path: process.env.BENCH_STORE } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-feed-bench-'));
  const dbPath = join(dir, 'bench.db');
  copyFileSync(generated.path, dbPath);
  const clock = new ManualClock(generated.now);
  const store = openStore(dbPath, clock);
  const app = await buildApp({ store, clock, statusWorker: true, adminToken });
  const figures: Figure[] = [];
  const load = loadavg()[0] ?? 0;
  try {
    const slug = store.vendors.all().find((v) => v.visibility === 'public')?.slug ?? '';
    const etags = { public: '', admin: '' };
    // First versions of both lists, and every route once (its code warm, not measured).
    etags.public = await nextList(app, {}, '');
    etags.admin = await nextList(app, admin, '');
    for (const route of routes) await timed(app, route.url(slug), route.headers);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const first = new Map<string, number[]>();
    const again = new Map<string, number[]>();
    const writes: number[] = [];
    const polls: number[] = [];
    for (let i = 0; i < rounds; i++) {
      for (const route of routes) {
        const which = route.headers === admin ? 'admin' : 'public';
        clock.advance(1000);
        const writeStarted = performance.now();
        write(store, clock.now());
        writes.push(performance.now() - writeStarted);
        etags[which] = await nextList(app, which === 'admin' ? admin : {}, etags[which], polls);
        first.set(route.name, [...(first.get(route.name) ?? []), await timed(app, route.url(slug), route.headers)]);
        again.set(route.name, [...(again.get(route.name) ?? []), await timed(app, route.url(slug), route.headers)]);
      }
    }
    // An alert written: the feed's next answer must show it. Its latency, and the longest the event loop was held while
    // it was made (the gap between 1 ms timers): built on a worker with the list, or here.
    const afterAlert: number[] = [];
    const heldLoop: number[] = [];
    for (let i = 0; i < rounds; i++) {
      clock.advance(1000);
      const alert = store.alerts.insertOpen({
        rule: 'sla_breach',
        vendor: slug,
        channel: null,
        severity: 'warning',
        audience: 'subscriber',
        summary: `bench alert ${i}`,
        details: '{}',
        probeId: null,
      });
      let last = performance.now();
      let held = 0;
      const ticker = setInterval(() => {
        const at = performance.now();
        held = Math.max(held, at - last);
        last = at;
      }, 1);
      const started = performance.now();
      const res = await app.inject({ url: '/feed.atom' });
      afterAlert.push(performance.now() - started);
      clearInterval(ticker);
      heldLoop.push(Math.max(held, performance.now() - last));
      if (!alert || !res.body.includes(`/feed/alert/${alert.id}/`)) throw new Error('the feed after an alert does not show it');
      store.alerts.resolve(alert.id, 'bench');
    }
    delay.disable();
    const note = `${vendorCount} vendors, ${rounds} writes per route, each request once its list's new version is served; load average ${round1(load)}`;
    for (const route of routes) {
      const times = first.get(route.name) ?? [];
      figures.push({
        bench,
        figure: `${route.name}_first_ms`,
        value: round1(median(times)),
        unit: 'ms',
        note: `median; max ${round1(Math.max(...times))}; ${note}`,
      });
      figures.push({
        bench,
        figure: `${route.name}_again_ms`,
        value: round1(median(again.get(route.name) ?? [])),
        unit: 'ms',
        note: 'the same request right after',
      });
    }
    figures.push({
      bench,
      figure: 'feed_after_alert_ms',
      value: round1(median(afterAlert)),
      unit: 'ms',
      note: `median of ${rounds}, the first feed request after an alert is written (it shows it); max ${round1(Math.max(...afterAlert))}`,
    });
    figures.push({
      bench,
      figure: 'feed_after_alert_loop_held_ms',
      value: round1(median(heldLoop)),
      unit: 'ms',
      note: `the longest gap between 1 ms timers during that request (the event loop held); max ${round1(Math.max(...heldLoop))}; the floor is feed_again_ms's request`,
    });
    figures.push({
      bench,
      figure: 'write_max_ms',
      value: round1(Math.max(...writes)),
      unit: 'ms',
      note: `one reply recorded on the event loop; median ${round1(median(writes))}`,
    });
    figures.push({
      bench,
      figure: 'list_poll_max_ms',
      value: round1(Math.max(...polls)),
      unit: 'ms',
      note: `the list's cached route while waiting for its next version (${polls.length} requests)`,
    });
    figures.push({
      bench,
      figure: 'loop_delay_max_ms',
      value: round1(delay.max / 1e6),
      unit: 'ms',
      note: 'monitorEventLoopDelay (5 ms resolution) over the rounds',
    });
    figures.push({
      bench,
      figure: 'list_kb',
      value: Math.round(((await app.inject({ url: '/api/v1/vendors' })).rawPayload.length / 1024) * 10) / 10,
      unit: 'KB',
      note: 'the public list, raw',
    });
  } finally {
    await app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
