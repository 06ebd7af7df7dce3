// The status pages in real headless Chromium against a listening server: numbers match the API, languages, XSS, accessibility.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { HOUR } from '../../src/core/clock.ts';
import { defaultFixtureVendors, openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';
import { markResolution } from '../../src/replies/quality.ts';

const artefacts = 'test-artifacts/e2e';
const xssName = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>Evil & Co';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let fixture: FixtureStore;
let app: FastifyInstance;
let base: string;
let browser: Browser;

interface Watched {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

async function open(options: Parameters<Browser['newContext']>[0] = {}): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Shanghai', ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return { context, page, problems };
}

async function visit(page: Page, path: string): Promise<void> {
  const res = await page.goto(`${base}${path}`);
  expect(res?.status(), path).toBe(200);
  await page.waitForSelector('body[data-rendered="true"]');
}

async function axe(page: Page): Promise<{ id: string; impact: string; nodes: number }[]> {
  return page.evaluate(async (source) => {
    // axe is evaluated through the debugging protocol, which the page's CSP does not govern.
    (0, eval)(source);
    const axeApi = Reflect.get(window, 'axe');
    const result = await axeApi.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v: { id: string; impact: string; nodes: unknown[] }) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  }, axeSource);
}

beforeAll(async () => {
  mkdirSync(artefacts, { recursive: true });
  fixture = openFixtureStore({
    vendors: [
      ...defaultFixtureVendors,
      { slug: 'evil-corp', name: xssName, channels: [{ id: 'email', kind: 'email', medianMs: 3 * HOUR, noReplyShare: 0.2 }] },
    ],
  });
  // A person's marks: three of acme-cloud's e-mail probes resolved by their first human reply, so resolution has data.
  const firstReplies = fixture.store.db
    .prepare<[], { id: number }>(`SELECT m.id FROM messages m JOIN probes p ON p.id = m.probe_id JOIN channels c ON c.id = p.channel_id
    WHERE c.vendor = 'acme-cloud' AND c.channel = 'email' AND m.label = 'human' AND p.first_human_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM messages e WHERE e.probe_id = p.id AND e.label = 'human' AND e.received_at < m.received_at) ORDER BY p.sent_at DESC LIMIT 3`)
    .all();
  for (const reply of firstReplies) markResolution(fixture.store, reply.id, true, 'tester');
  app = await buildApp({ store: fixture.store, clock: fixture.clock });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  fixture?.close();
});

describe('home page', () => {
  it('shows every public vendor × channel with the API figures, a 90-day bar and live clocks', async () => {
    const { context, page, problems } = await open();
    try {
      await page.clock.install();
      await visit(page, '/');
      const api = await (await fetch(`${base}/api/v1/vendors`)).json();
      const rows = await page.$$eval('tr[data-vendor]', (trs) =>
        trs.map((tr) => ({
          vendor: tr.getAttribute('data-vendor'),
          channel: tr.getAttribute('data-channel'),
          status: tr.querySelector('.status')?.className.replace('status ', ''),
          sample: tr.querySelector('.sample')?.textContent,
          median: tr.querySelector('.median')?.textContent,
        })),
      );
      const expected = api.vendors.flatMap((v: { slug: string; channels: { channel: string; status: string; n: number }[] }) =>
        v.channels.map((c) => ({ vendor: v.slug, channel: c.channel, status: c.status, sample: String(c.n) })),
      );
      expect(rows.map(({ median: _m, ...r }) => r)).toEqual(expected);
      expect(rows.every((r) => r.median && r.median.length > 0)).toBe(true);
      expect(rows.some((r) => r.vendor === 'hidden-lab')).toBe(false);
      // Every bar is the server's SVG, in the page before any scrolling (print and full-page captures show them all).
      expect(await page.locator('.days svg.day-bar').count()).toBe(expected.length);

      const clock = page.locator('.clock').first();
      const before = await clock.textContent();
      expect(before).toMatch(/^waiting /);
      await page.clock.fastForward('03:00:00');
      await page.waitForFunction((text) => document.querySelector('.clock')?.textContent !== text, before);

      const bar = page.locator('.days').first();
      await bar.focus();
      await page.keyboard.press('ArrowLeft');
      const tip = page.locator('.tip:not([hidden])').first();
      await expect.poll(() => tip.textContent()).toMatch(/probes? — \d+ within SLA|no probe/);
      // The last entry of every bar is the document's last day, with that day's counts.
      await page.keyboard.press('End');
      const days = api.vendors[0].channels[0].days;
      const last = { within: days.withinSla.at(-1), slower: days.missedSla.at(-1), noReply: days.noReply.at(-1), open: days.open.at(-1) };
      const probes = last.within + last.slower + last.noReply + last.open;
      const lastDay = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(`${days.last}T00:00:00Z`));
      await expect
        .poll(() => tip.textContent())
        .toBe(
          probes === 0
            ? `${lastDay}: no probe`
            : `${lastDay}: ${probes} probes — ${last.within} within SLA, ` + `${last.slower} slower, ${last.noReply} no reply, ${last.open} open`,
        );
      await page.screenshot({ path: `${artefacts}/home.png`, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows a vendor name with markup as text and runs none of it', async () => {
    const { context, page, problems } = await open();
    try {
      await visit(page, '/');
      await visit(page, '/vendor/evil-corp');
      expect(await page.evaluate(() => Reflect.get(window, '__pwned'))).toBeUndefined();
      expect(await page.locator('h1').textContent()).toBe(xssName);
      await visit(page, '/');
      expect(await page.evaluate(() => Reflect.get(window, '__pwned'))).toBeUndefined();
      expect(await page.locator('#v-evil-corp').textContent()).toContain(xssName);
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('switches to Simplified Chinese and remembers it; follows Accept-Language', async () => {
    const { context, page, problems } = await open();
    try {
      await visit(page, '/');
      await page.click('a.lang-switch');
      await page.waitForSelector('html[lang="zh-CN"] body[data-rendered="true"]');
      expect(await page.locator('h1').textContent()).toBe('各厂商、各渠道的客服响应情况');
      expect(await page.locator('.status').first().textContent()).toMatch(/符合 SLA|慢于 SLA|无人回复|数据不足/);
      await visit(page, '/methodology');
      expect(await page.locator('h1').textContent()).toBe('测量方法');
      await page.screenshot({ path: `${artefacts}/methodology-zh.png` });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    const zh = await open({ locale: 'zh-CN' });
    try {
      await visit(zh.page, '/compare');
      expect(await zh.page.locator('html').getAttribute('lang')).toBe('zh-CN');
    } finally {
      await zh.context.close();
    }
  });

  it('fits a phone screen and follows a dark colour scheme', async () => {
    const { context, page, problems } = await open({ viewport: { width: 375, height: 800 }, colorScheme: 'dark' });
    try {
      await visit(page, '/');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe('rgb(13, 17, 23)');
      await page.screenshot({ path: `${artefacts}/home-mobile-dark.png` });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('vendor and compare pages', () => {
  it('draws the charts and tables of a vendor with the API figures', async () => {
    const { context, page, problems } = await open();
    try {
      await visit(page, '/vendor/northwind-video');
      const report = await (await fetch(`${base}/api/v1/vendors/northwind-video`)).json();
      const channels = report.vendors[0].channels;
      expect(await page.locator('section.channel').count()).toBe(channels.length);
      expect(await page.locator('.fig-n .figure-num').allTextContents()).toEqual(channels.map((c: { human: { n: number } }) => String(c.human.n)));
      // Two charts per channel; the resolution scatter only when a probe was resolved (none of Northwind's is).
      expect(await page.locator('.uplot').count()).toBe(channels.length * 2);
      expect(await page.locator('.sla-table').count()).toBe(channels.length);
      // Per tier: the median with its interval and, while it is too wide, how many more answered probes it needs.
      type TierRow = { tier: string; events: number; n: number; needed: { answered: number } | null };
      for (const [i, channel] of channels.entries()) {
        for (const row of channel.tiers as TierRow[]) {
          const text = await page.locator('.sla-table').nth(i).locator(`tr[data-tier="${row.tier}"] td.tier-median`).textContent();
          expect(text).toContain(`${row.events} answered of ${row.n}`);
          if (row.needed) expect(text).toContain(`${row.needed.answered} more answered probe`);
          else expect(text).not.toContain('Insufficient data');
        }
      }
      expect(await page.locator('.heatmap').count()).toBe(channels.length);
      const probes = await (await fetch(`${base}/api/v1/vendors/northwind-video/probes?limit=500`)).json();
      expect(await page.locator('.history-table tbody tr').count()).toBe(Math.min(50, probes.probes.length));
      await page.click('#history-all');
      expect(await page.locator('.history-table tbody tr').count()).toBe(probes.probes.length);

      const viewer = page.locator('[data-heat="0"] button[data-mode="viewer"]');
      await viewer.click();
      expect(await viewer.getAttribute('aria-pressed')).toBe('true');
      expect(await viewer.textContent()).toContain('Asia/Shanghai');
      await page.screenshot({ path: `${artefacts}/vendor.png` });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows speed beside resolution, a row per channel, and a scatter of first reply against resolution', async () => {
    const { context, page, problems } = await open();
    try {
      await visit(page, '/vendor/acme-cloud?window=90d');
      const report = await (await fetch(`${base}/api/v1/vendors/acme-cloud?window=90d`)).json();
      const channels = report.vendors[0].channels;
      const rows = await page.$$eval('tr[data-quality]', (trs) =>
        trs.map((tr) => ({ channel: tr.getAttribute('data-quality'), cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '') })),
      );
      expect(rows.map((r) => r.channel)).toEqual(channels.map((c: { channel: string }) => c.channel));
      const email = rows.find((r) => r.channel === 'email');
      const emailStats = channels.find((c: { channel: string }) => c.channel === 'email');
      expect(emailStats.resolution.n).toBeGreaterThanOrEqual(3);
      expect(email?.cells[0]).toContain(`n = ${emailStats.human.n}`);
      expect(email?.cells[1]).toContain(`n = ${emailStats.resolution.n}`);
      expect(email?.cells[2]).toContain(`${emailStats.resolution.firstContact.count} of ${emailStats.resolution.firstContact.n}`);
      expect(email?.cells[3]).toContain(`of ${emailStats.resolution.canned.n}`);
      const chat = rows.find((r) => r.channel === 'chat');
      expect(chat?.cells[1]).toContain('not measured');

      const probes = (await (await fetch(`${base}/api/v1/vendors/acme-cloud/probes?window=90d`)).json()).probes;
      const resolved = probes.filter((p: { resolvedAt: number | null; firstHumanAt: number | null }) => p.resolvedAt !== null && p.firstHumanAt !== null);
      expect(resolved.length).toBeGreaterThanOrEqual(3);
      expect(await page.getAttribute('#quality-scatter', 'data-points')).toBe(String(resolved.length));
      expect(await page.locator('#quality-scatter .uplot canvas').count()).toBe(1);
      expect(await page.getAttribute('#quality-scatter', 'role')).toBe('img');
      expect(await page.locator('.quality-points tbody tr').count()).toBe(resolved.length);
      await page.locator('section.quality').screenshot({ path: `${artefacts}/vendor-quality.png` });

      await visit(page, '/vendor/acme-cloud?lang=zh-CN');
      expect(await page.locator('#quality-h').textContent()).toBe('速度与解决');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('explains each figure of speed and resolution in the methodology, in both languages', async () => {
    const { context, page, problems } = await open();
    try {
      await visit(page, '/methodology?lang=en');
      const en = await page
        .locator('#resolution')
        .evaluate(
          (h) =>
            `${h.textContent} ${h.nextElementSibling?.nextElementSibling?.textContent} ${h.nextElementSibling?.nextElementSibling?.nextElementSibling?.textContent}`,
        );
      for (const term of ['Speed and resolution', 'Median first human reply', 'Median resolution', 'Resolved at first contact', 'Canned share', 'scatter'])
        expect(en).toContain(term);
      await visit(page, '/methodology?lang=zh-CN');
      const zh = await page
        .locator('#resolution')
        .evaluate(
          (h) =>
            `${h.textContent} ${h.nextElementSibling?.nextElementSibling?.textContent} ${h.nextElementSibling?.nextElementSibling?.nextElementSibling?.textContent}`,
        );
      for (const term of ['速度与解决', '首次人工回复中位数', '解决时间中位数', '首次回复即解决', '套话比例', '散点图']) expect(zh).toContain(term);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('compares the vendors picked in the form', async () => {
    const { context, page, problems } = await open();
    try {
      await visit(page, '/compare');
      await page.check('input[value="acme-cloud"]');
      await page.check('input[value="silent-systems"]');
      await page.selectOption('#window', '90d');
      await Promise.all([page.waitForURL(/vendors=acme-cloud/), page.click('button[type="submit"]')]);
      await page.waitForSelector('body[data-rendered="true"]');
      const api = await (await fetch(`${base}/api/v1/compare?vendors=acme-cloud,silent-systems&window=90d`)).json();
      const headers = await page.locator('.scorecard thead th a').allTextContents();
      expect(headers).toEqual(api.vendors.map((v: { name: string }) => v.name));
      const probes = await page.locator('tr[data-row="n"] td').allTextContents();
      expect(probes).toEqual(api.vendors.map((v: { responseTime: { n: number } }) => String(v.responseTime.n)));
      const measured = await page.locator('tr[data-row="measured"] td').allTextContents();
      expect(measured).toEqual(api.vendors.map((v: { quality: { measured: number } }) => String(v.quality.measured)));
      const firstContact = await page.locator('tr[data-row="first-contact"] td').allTextContents();
      expect(firstContact[0]).toContain(`${api.vendors[0].quality.firstContact.count} of ${api.vendors[0].quality.firstContact.n}`);
      expect(firstContact[1]).toBe('not measured');
      expect(await page.locator('tr[data-row="canned"] td').count()).toBe(2);
      const acmeChannels = await page.locator('tr[data-row="by-channel"] td').first().locator('[data-channel]').allTextContents();
      expect(acmeChannels.map((c) => c.split(':')[0])).toEqual(api.vendors[0].quality.channels.map((c: { channel: string }) => c.channel));
      expect(await page.locator('tr[data-row="quality"]').count()).toBe(0);
      type TierRow = { channel: string; tier: string; sufficient: boolean; needed: { answered: number } | null };
      const acmeTiers: TierRow[] = api.vendors[0].tiers;
      const tierRows = await page.locator('tr[data-row^="tier-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row')));
      expect(tierRows).toEqual([...new Set(api.vendors.flatMap((v: { tiers: TierRow[] }) => v.tiers.map((r) => `tier-${r.tier}`)))].sort());
      for (const row of acmeTiers) {
        const cell = page.locator(`tr[data-row="tier-${row.tier}"] td`).first().locator(`[data-channel="${row.channel}"]`);
        const text = await cell.textContent();
        if (row.needed) expect(text).toContain(`${row.needed.answered} more answered probe`);
        else expect(text).not.toContain('Insufficient data');
      }
      await page.screenshot({ path: `${artefacts}/compare.png` });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('accessibility', () => {
  it('has no serious or critical axe violations on any page, in either language', async () => {
    const { context, page } = await open();
    try {
      const found: string[] = [];
      for (const path of [
        '/?lang=en',
        '/vendor/acme-cloud',
        '/compare?vendors=acme-cloud,blue-harbor',
        '/methodology',
        '/?lang=zh-CN',
        '/vendor/blue-harbor',
      ]) {
        await visit(page, path);
        for (const v of await axe(page)) if (v.impact === 'serious' || v.impact === 'critical') found.push(`${path}: ${v.id} (${v.impact}, ${v.nodes} nodes)`);
      }
      expect(found).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
