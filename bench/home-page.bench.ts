// Home page at 800 and 2,000 vendor-channels in headless Chromium: first contentful paint and the first screen of rows
// painted, from the browser's own PerformanceObserver (paint, element timing), cold and warm, and the gzip transfer
// of the first page and of the full list.
// The limit in the same run: a minimal page from a bare HTTP server, painted by the same browser the same way.
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import type { Figure } from './run.ts';
import { ManualClock } from '../src/core/clock.ts';
import { openStore } from '../src/store/db.ts';
import { buildApp } from '../src/server/app.ts';
import { generateStore } from './generate-store.ts';
import { benchStore } from './status-api.bench.ts';

/** Loads per measurement (the median is reported). */
const loads = Number(process.env.BENCH_PAGE_LOADS ?? 7);
/** Vendors × 4 channels: 800 and 2,000 vendor-channels. */
const sizes = (process.env.BENCH_PAGE_VENDORS ?? '200,500')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
/** Rows of the first screen carry an elementtiming attribute (set as they are inserted, before their first paint). */
const timedRows = 60;
const viewport = { width: 1280, height: 900 };

const log = (text: string) => process.stderr.write(`home-page: ${text}\n`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Runs in the page before its own scripts. `paint` gives first-contentful-paint; `element` gives each timed row's
 * renderTime, reported only once it is painted inside the viewport, so the latest of them is "the first screen of
 * rows visible".
 */
// A string, not a function: tsx would wrap the function's inner functions in a helper the page does not have.
const observeInPage = `(() => {
  const rows = ${timedRows};
  const seen = { fcp: NaN, rowsAt: NaN, rowEntries: 0 };
  window.__bench = seen;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') seen.fcp = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.identifier !== 'row') continue;
      const at = entry.renderTime || entry.startTime;
      seen.rowsAt = Number.isNaN(seen.rowsAt) ? at : Math.max(seen.rowsAt, at);
      seen.rowEntries++;
    }
  }).observe({ type: 'element', buffered: true });
  let tagged = 0;
  const tag = (el) => {
    for (const row of el.matches('tr[data-channel]') ? [el] : el.querySelectorAll('tr[data-channel]')) {
      if (tagged >= rows) return;
      tagged++;
      for (const cell of [row, ...row.querySelectorAll('*')]) cell.setAttribute('elementtiming', 'row');
    }
  };
  new MutationObserver((records) => {
    if (tagged >= rows) return;
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) tag(node);
  }).observe(document, { childList: true, subtree: true });
})();`;

interface Load {
  fcp: number;
  rowsAt: number;
  rowEntries: number;
}

/** One navigation; waits for `ready` and two frames (so element entries are delivered), then reads the observers. */
async function load(context: Awaited<ReturnType<Browser['newContext']>>, url: string, ready: string | undefined): Promise<Load> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'load' });
    if (ready) await page.waitForSelector(ready);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    return await page.evaluate(() => (window as unknown as { __bench: Load }).__bench);
  } finally {
    await page.close();
  }
}

/** Cold: each load in a new browser context (empty cache). Warm: one context, the first load discarded. */
async function measure(browser: Browser, url: string, ready?: string, warmToo = true): Promise<{ cold: Load[]; warm: Load[] }> {
  const cold: Load[] = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext({ viewport });
    await context.addInitScript(observeInPage);
    cold.push(await load(context, url, ready));
    await context.close();
  }
  if (!warmToo) return { cold, warm: [] };
  const context = await browser.newContext({ viewport });
  await context.addInitScript(observeInPage);
  const warm: Load[] = [];
  for (let i = 0; i < loads + 1; i++) {
    const measured = await load(context, url, ready);
    if (i > 0) warm.push(measured);
  }
  await context.close();
  return { cold, warm };
}

/** Bytes over the wire for one cold load: every resource requested, gzip-encoded where the server compresses. */
async function transfer(browser: Browser, url: string): Promise<{ gzip: number; raw: number; requests: number; rows: number }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const requested = new Set<string>();
  page.on('request', (r) => {
    requested.add(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-rendered="true"]');
  const rows = await page.evaluate(() => document.querySelectorAll('tr[data-channel]').length);
  await context.close();
  let gzip = 0;
  let raw = 0;
  for (const resource of requested) {
    const res = await fetch(resource, { headers: { 'accept-encoding': 'gzip' } });
    const body = Buffer.from(await res.arrayBuffer());
    const encoded = res.headers.get('content-encoding') === 'gzip';
    // fetch decodes; re-encode to count what went over the wire for bodies the server compressed or could have.
    gzip += encoded || body.length >= 1024 ? gzipSync(body, { level: 6 }).length : body.length;
    raw += body.length;
  }
  return { gzip, raw, requests: requested.size, rows };
}

/** The limit: a bare node:http server answering a minimal page (a heading and a few rows of text). */
async function minimalPage(): Promise<{ url: string; server: Server }> {
  const rows = Array.from({ length: 20 }, (_, i) => `<tr data-channel="${i}"><td>Vendor ${i}</td><td>email</td><td>2 h</td></tr>`).join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>limit</title></head><body data-rendered="true"><h1>Vendors</h1><table>${rows}</table></body></html>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`, server };
}

const ms = (value: number) => Math.round(value);

export async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const limit = await minimalPage();
  try {
    const floor = await measure(browser, limit.url);
    const limitNote = `limit: a bare node:http server's 20-row static page in the same browser, median of ${loads}`;
    figures.push(
      {
        bench: 'home-page',
        figure: 'limit_paint_cold_ms',
        value: ms(median(floor.cold.map((l) => l.fcp))),
        unit: 'ms',
        note: `${limitNote}, new context each`,
      },
      { bench: 'home-page', figure: 'limit_paint_warm_ms', value: ms(median(floor.warm.map((l) => l.fcp))), unit: 'ms', note: `${limitNote}, one context` },
    );
    for (const vendors of sizes) {
      const generated = generateStore({ vendors, now: benchStore.now });
      if (generated.seconds > 0) log(`generated ${vendors} vendors (${generated.probes} probes) in ${Math.round(generated.seconds)} s`);
      // Read-only: the generated file is shared with other benches.
      const store = openStore(generated.path, new ManualClock(generated.now), { readOnly: true });
      const app = await buildApp({ store, clock: new ManualClock(generated.now) });
      try {
        const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/`;
        const size = await transfer(browser, url); // also builds and caches the server's documents
        const full = await transfer(browser, `${url}?all=1`);
        const { cold, warm } = await measure(browser, url, 'body[data-rendered="true"]');
        const fullCold = (await measure(browser, `${url}?all=1`, 'body[data-rendered="true"]', false)).cold;
        const channels = size.rows;
        // Named by the store's vendor-channels (vendors × 4); private vendors' rows are not on the page.
        const suffix = vendors === sizes[sizes.length - 1] ? '' : `_${vendors * 4}`;
        const note = `${vendors * 4} vendor-channels in the store, ${channels} public rows on the page, ${size.requests} requests (${Math.round(size.raw / 1024)} KB uncompressed), median of ${loads}`;
        log(
          `${vendors * 4} vendor-channels (${channels} rows on the first page): cold fcp ${cold.map((l) => ms(l.fcp)).join('/')} rows ${cold.map((l) => ms(l.rowsAt)).join('/')}; warm fcp ${warm.map((l) => ms(l.fcp)).join('/')} rows ${warm.map((l) => ms(l.rowsAt)).join('/')}; row entries ${cold[0]?.rowEntries ?? 0}`,
        );
        figures.push(
          { bench: 'home-page', figure: `gzip_kb${suffix}`, value: Math.round(size.gzip / 102.4) / 10, unit: 'KB', note },
          {
            bench: 'home-page',
            figure: `gzip_kb_all${suffix}`,
            value: Math.round(full.gzip / 102.4) / 10,
            unit: 'KB',
            note: `the full list one click away (/?all=1): ${full.rows} rows, ${full.requests} requests`,
          },
          {
            bench: 'home-page',
            figure: `paint_cold_ms${suffix}`,
            value: ms(median(cold.map((l) => l.fcp))),
            unit: 'ms',
            note: `first-contentful-paint, new browser context each load; ${note}`,
          },
          {
            bench: 'home-page',
            figure: `paint_cold_ms_all${suffix}`,
            value: ms(median(fullCold.map((l) => l.fcp))),
            unit: 'ms',
            note: `first-contentful-paint of the full list (/?all=1, every row on one page as before pages), new browser context each load, median of ${loads}`,
          },
          {
            bench: 'home-page',
            figure: `rows_cold_ms${suffix}`,
            value: ms(median(cold.map((l) => l.rowsAt))),
            unit: 'ms',
            note: `element timing: the first screen of rows painted, new browser context each load; ${note}`,
          },
          {
            bench: 'home-page',
            figure: `paint_warm_ms${suffix}`,
            value: ms(median(warm.map((l) => l.fcp))),
            unit: 'ms',
            note: `first-contentful-paint, one context (cached); ${note}`,
          },
          {
            bench: 'home-page',
            figure: `rows_warm_ms${suffix}`,
            value: ms(median(warm.map((l) => l.rowsAt))),
            unit: 'ms',
            note: `element timing: the first screen of rows painted, one context (cached); ${note}`,
          },
        );
      } finally {
        await app.close();
        store.close();
      }
    }
  } finally {
    await browser.close();
    limit.server.close();
  }
  return figures;
}
