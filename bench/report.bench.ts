// Bench `report`: a trial report of 3 vendors × 4 channels × ~100 probes (tests/helpers/trial-fixture.ts) as HTML and as
// PDF, beside Chromium printing an empty page in the same run (the floor any PDF export pays).
import { cpus, loadavg } from 'node:os';
import type { Figure } from './run.ts';
import { silentLogger } from '../src/core/logger.ts';
import { createBrowserPool } from '../src/browser/pool.ts';
import { collectTrialReport } from '../src/trials/collect.ts';
import { printPdf } from '../src/trials/pdf.ts';
import { renderTrialHtml } from '../src/trials/render.ts';
import { openTrialFixture } from '../tests/helpers/trial-fixture.ts';

const bench = 'report';
const chromium = '/usr/bin/chromium';
const emptyPage = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>empty</title></head><body><p>empty</p></body></html>';

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const round = (v: number) => Math.round(v * 10) / 10;

/** What `firstreply report --format pdf` pays: launch Chromium, print, close it. */
async function coldPdf(html: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const pool = createBrowserPool({ executable: chromium, maxChats: 1, logger: silentLogger });
  try {
    const pdf = await printPdf(pool, html);
    return { ms: performance.now() - started, bytes: pdf.length };
  } finally {
    await pool.close();
  }
}

export async function run(): Promise<Figure[]> {
  const runs = Number(process.env.BENCH_REPORT_RUNS ?? 5);
  const fixture = openTrialFixture();
  try {
    const collect = () => collectTrialReport(fixture.fixture.store, fixture.trial, { now: fixture.now, evidenceDir: fixture.evidenceDir });
    const probes = collect().probes.length;
    const machine = `${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}`;
    const note = `3 vendors × 4 channels, ${probes} probes (fixture store); median of ${runs} runs; ${machine}`;
    process.stderr.write(`report: ${note}\n`);

    const htmlMs: number[] = [];
    let html = '';
    for (let i = 0; i < runs + 1; i++) {
      const started = performance.now();
      html = renderTrialHtml(collect());
      if (i > 0) htmlMs.push(performance.now() - started); // the first run warms the prepared statements and the JIT
    }

    const pdfMs: number[] = [];
    const emptyMs: number[] = [];
    let pdfBytes = 0;
    for (let i = 0; i < runs; i++) {
      // Interleaved, so both see the same load on a shared machine.
      const started = performance.now();
      const report = renderTrialHtml(collect());
      const printed = await coldPdf(report);
      pdfMs.push(performance.now() - started);
      pdfBytes = printed.bytes;
      emptyMs.push((await coldPdf(emptyPage)).ms);
    }

    const pool = createBrowserPool({ executable: chromium, maxChats: 1, logger: silentLogger });
    const warmMs: number[] = [];
    const emptyWarmMs: number[] = [];
    try {
      await printPdf(pool, emptyPage);
      for (let i = 0; i < runs; i++) {
        let started = performance.now();
        await printPdf(pool, html);
        warmMs.push(performance.now() - started);
        started = performance.now();
        await printPdf(pool, emptyPage);
        emptyWarmMs.push(performance.now() - started);
      }
    } finally {
      await pool.close();
    }

    const pdf = median(pdfMs);
    const empty = median(emptyMs);
    return [
      {
        bench,
        figure: 'html_ms',
        value: round(median(htmlMs)),
        unit: 'ms',
        note: `collect from the store + render the self-contained HTML (${Math.round(html.length / 1024)} KB); goal ≤ 500 ms; ${note}`,
      },
      {
        bench,
        figure: 'pdf_ms',
        value: round(pdf),
        unit: 'ms',
        note: `collect + render + launch Chromium, print (page.pdf, A4), close — what firstreply report --format pdf does; goal ≤ 5 s; ${note}`,
      },
      { bench, figure: 'pdf_kb', value: Math.round(pdfBytes / 1024), unit: 'KB', note: 'size of that PDF; limit 2048 KB' },
      {
        bench,
        figure: 'empty_pdf_ms',
        value: round(empty),
        unit: 'ms',
        note: 'peer in the same run: launch Chromium, print an empty page, close (interleaved with pdf_ms)',
      },
      {
        bench,
        figure: 'pdf_over_empty_ms',
        value: round(pdf - empty),
        unit: 'ms',
        note: 'pdf_ms − empty_pdf_ms: what the report itself costs beyond the Chromium floor',
      },
      {
        bench,
        figure: 'pdf_warm_ms',
        value: round(median(warmMs)),
        unit: 'ms',
        note: 'print the same HTML in an already running Chromium (a new context each time)',
      },
      { bench, figure: 'empty_pdf_warm_ms', value: round(median(emptyWarmMs)), unit: 'ms', note: 'peer: an empty page in the same running Chromium' },
    ];
  } finally {
    fixture.close();
  }
}
