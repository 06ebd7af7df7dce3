// The trial report as PDF, printed by Chromium from the HTML report: read back with pdftotext (poppler-utils), Chinese
// text included, and within 2 MB for 3 vendors × 4 channels × ~100 probes.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.ts';
import { createBrowserPool, type BrowserPool } from '../../src/browser/pool.ts';
import { collectTrialReport } from '../../src/trials/collect.ts';
import { printPdf } from '../../src/trials/pdf.ts';
import { renderTrialHtml } from '../../src/trials/render.ts';
import type { TrialReport } from '../../src/trials/report.ts';
import { buildApp } from '../../src/server/app.ts';
import { chineseTrialNote, chineseVendorName, openTrialFixture, type TrialFixture } from '../helpers/trial-fixture.ts';

let fixture: TrialFixture;
let pool: BrowserPool;
let report: TrialReport;

beforeAll(() => {
  fixture = openTrialFixture();
  report = collectTrialReport(fixture.fixture.store, fixture.trial, { now: fixture.now, evidenceDir: fixture.evidenceDir });
  pool = createBrowserPool({ executable: '/usr/bin/chromium', maxChats: 1, logger: silentLogger });
});

afterAll(async () => {
  await pool.close();
  fixture.close();
});

/** Text of a PDF file, as poppler's pdftotext reads it (layout kept, so table rows stay on one line). */
const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

describe('trial report as PDF', () => {
  it('prints every vendor, the method and the caveats, Chinese text included, within 2 MB', async () => {
    expect(report.probes.length).toBeGreaterThanOrEqual(1150);
    const pdf = await printPdf(pool, renderTrialHtml(report), { footer: `${report.trial.name} — ${report.trial.id}` });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeLessThanOrEqual(2 * 1024 * 1024);
    const file = join(fixture.fixture.dir, 'report.pdf');
    writeFileSync(file, pdf);
    const text = pdfText(file);
    for (const name of [
      'Acme Streaming',
      'Northwind Video',
      chineseVendorName,
      chineseTrialNote,
      'Streaming support trial',
      'Decision summary',
      'Method',
      'Caveats',
    ]) {
      expect(text).toContain(name);
    }
    // Every probe row is on paper: each probe's token appears.
    const missing = report.probes.filter((p) => !text.includes(p.token));
    expect(missing.map((p) => p.token)).toEqual([]);
    // Page numbers from the footer template.
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`1 / ${pages}`);
  }, 120_000);

  it("prints the report in Chinese from the trial page's PDF link: headings, decision summary first, read back by pdftotext", async () => {
    const adminToken = 'pdf-test-admin-token-0123456789';
    const app = await buildApp({
      store: fixture.fixture.store,
      clock: fixture.fixture.clock,
      adminToken,
      trials: [fixture.trial],
      evidenceDir: fixture.evidenceDir,
      printReport: (html, footer) => printPdf(pool, html, { footer }),
    });
    try {
      const page = await app.inject({ method: 'GET', url: `/trial/${fixture.trial.id}?lang=zh-CN`, headers: { authorization: `Bearer ${adminToken}` } });
      const link = /href="(\/trial\/[^"]+format=pdf[^"]*)"/.exec(page.body)?.[1]?.replaceAll('&amp;', '&');
      expect(link).toBe(`/trial/${fixture.trial.id}/report?format=pdf&lang=zh-CN`);
      const res = await app.inject({ method: 'GET', url: link ?? '', headers: { authorization: `Bearer ${adminToken}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.rawPayload.length).toBeLessThanOrEqual(2 * 1024 * 1024);
      const file = join(fixture.fixture.dir, 'report.zh-CN.pdf');
      writeFileSync(file, res.rawPayload);
      const text = pdfText(file);
      for (const heading of ['决策摘要', '各厂商概览', '排名', '注意事项', '按级别', '按渠道与级别', '探测与证据', '方法', chineseVendorName, chineseTrialNote])
        expect(text).toContain(heading);
      expect(text.indexOf('决策摘要')).toBeLessThan(text.indexOf('各厂商概览'));
      expect(text).toMatch(/首次人工回复 · P\d/);
      expect(text).toMatch(/未检测到差异|是 — p/);
      for (const english of ['Decision summary', 'Caveats', 'Per tier', 'Probes and evidence']) expect(text).not.toContain(english);
    } finally {
      await app.close();
    }
  }, 180_000);
});
