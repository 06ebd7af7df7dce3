// Home page with 200 vendors × 4 channels: total gzip transfer and time to first render in headless Chromium.
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { Figure } from './run.ts';
import { openGeneratedStore } from '../tests/helpers/fixture-store.ts';
import { buildApp } from '../src/server/app.ts';
import { benchStore } from './status-api.bench.ts';

const loads = Number(process.env.BENCH_PAGE_LOADS ?? 7);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export async function run(): Promise<Figure[]> {
  const generated = openGeneratedStore(benchStore);
  const app = await buildApp({ store: generated.store, clock: generated.clock });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requested = new Set<string>();
    page.on('request', (r) => { requested.add(r.url()); });
    const renders: number[] = [];
    const completes: number[] = [];
    let channels = 0;
    for (let i = 0; i < loads + 1; i++) {
      await page.goto(`${url}/`, { waitUntil: 'load' });
      await page.waitForSelector('body[data-rendered="true"]');
      const measured = await page.evaluate(() => ({
        rendered: performance.getEntriesByName('firstreply-first-render')[0]?.startTime ?? NaN,
        complete: performance.getEntriesByName('firstreply-rendered')[0]?.startTime ?? NaN,
        rows: document.querySelectorAll('tr[data-channel]').length,
      }));
      channels = measured.rows;
      if (i > 0) {
        renders.push(measured.rendered);
        completes.push(measured.complete);
      }
    }
    let gzipBytes = 0;
    let rawBytes = 0;
    for (const resource of requested) {
      const res = await fetch(resource, { headers: { 'accept-encoding': 'gzip' } });
      const body = Buffer.from(await res.arrayBuffer());
      const encoded = res.headers.get('content-encoding') === 'gzip';
      // fetch decodes; re-encode to count what went over the wire for bodies the server compressed or could have.
      gzipBytes += encoded || body.length >= 1024 ? gzipSync(body, { level: 6 }).length : body.length;
      rawBytes += body.length;
    }
    const note = `${channels} vendor-channels, ${requested.size} requests (${Math.round(rawBytes / 1024)} KB uncompressed)`;
    return [
      { bench: 'home-page', figure: 'gzip_kb', value: Math.round(gzipBytes / 102.4) / 10, unit: 'KB', note },
      { bench: 'home-page', figure: 'render_ms', value: Math.round(median(renders)), unit: 'ms', note: `median of ${loads} warm loads: navigation start to the first screen of vendors drawn (rows and bars); ${note}` },
      { bench: 'home-page', figure: 'complete_ms', value: Math.round(median(completes)), unit: 'ms', note: `median of ${loads} warm loads: navigation start to all ${channels} rows in the document` },
    ];
  } finally {
    await browser.close();
    await app.close();
    generated.store.close();
  }
}
