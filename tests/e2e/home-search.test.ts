// The home page's pages and search in real Chromium: search as one types, the same search without script, the pager, the full list.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { MINUTE } from '../../src/core/clock.ts';
import { generatedVendors, openFixtureStore, type FixtureStore, type FixtureVendor } from '../helpers/fixture-store.ts';

const zephyr: FixtureVendor = {
  slug: 'zephyr-mail',
  name: 'Zephyr Mail',
  channels: [{ id: 'email', kind: 'email', medianMs: 30 * MINUTE, noReplyShare: 0.1, perDay: 0.5 }],
};

const artefacts = 'test-artifacts/e2e';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let fixture: FixtureStore;
let app: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(artefacts, { recursive: true });
  fixture = openFixtureStore({ days: 10, vendors: [...generatedVendors(30, 0.3), zephyr] });
  app = await buildApp({ store: fixture.store, clock: fixture.clock });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  fixture?.close();
});

async function open(options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return { context, page, problems };
}

const rowVendors = (page: Page) => page.$$eval('tr[data-vendor]', (trs) => [...new Set(trs.map((tr) => tr.getAttribute('data-vendor')))]);

describe('home page search and pages', () => {
  it('searches the whole list as one types, without reloading, and the address follows', async () => {
    const { context, page, problems } = await open();
    try {
      await page.goto(`${base}/`);
      await page.waitForSelector('body[data-rendered="true"]');
      expect(await rowVendors(page)).toHaveLength(25);
      await page.evaluate(() => Reflect.set(window, '__samePage', true));
      await page.fill('#vendor-search', 'zeph');
      await page.waitForSelector('#vendors[data-query="zeph"]');
      expect(await rowVendors(page)).toEqual(['zephyr-mail']);
      expect(new URL(page.url()).search).toBe('?q=zeph');
      expect(await page.locator('#results-status').textContent()).toContain('Vendors 1–1 of 1 matching “zeph”.');
      expect(await page.locator('tr[data-vendor="zephyr-mail"] .days svg.day-bar').count()).toBe(1);
      expect(await page.locator('#home-pager nav').count()).toBe(0);
      expect(await page.evaluate(() => Reflect.get(window, '__samePage'))).toBe(true);

      await page.fill('#vendor-search', '');
      await page.waitForSelector('#vendors[data-query=""]');
      expect(await rowVendors(page)).toHaveLength(25);
      expect(new URL(page.url()).search).toBe('');
      expect(await page.locator('.days svg.day-bar').count()).toBe(100);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('searches with the form alone when script is off', async () => {
    const { context, page } = await open({ javaScriptEnabled: false });
    try {
      await page.goto(`${base}/`);
      await page.fill('#vendor-search', 'Zephyr');
      await Promise.all([page.waitForURL(`${base}/?q=Zephyr`), page.click('#vendor-search-form button[type="submit"]')]);
      expect(await page.locator('#results-status').textContent()).toContain('Vendors 1–1 of 1 matching “Zephyr”.');
      expect(await page.inputValue('#vendor-search')).toBe('Zephyr');
    } finally {
      await context.close();
    }
  });

  it('pages through the list and opens the full list in one click', async () => {
    const { context, page, problems } = await open();
    try {
      await page.goto(`${base}/`);
      await page.waitForSelector('body[data-rendered="true"]');
      await Promise.all([page.waitForURL(`${base}/?page=2`), page.click('.pager a[rel="next"]')]);
      await page.waitForSelector('body[data-rendered="true"]');
      expect(await rowVendors(page)).toEqual(['vendor-026', 'vendor-027', 'vendor-028', 'vendor-029', 'vendor-030', 'zephyr-mail']);
      expect(await page.locator('.pager [aria-current="page"]').textContent()).toBe('2');
      await Promise.all([page.waitForURL(`${base}/?all=1`), page.click('#show-all')]);
      await page.waitForSelector('body[data-rendered="true"]');
      expect(await page.locator('tr[data-vendor]').count()).toBe(121);
      expect(await page.locator('.days svg.day-bar').count()).toBe(121);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('fits a phone with its search form and pager, and axe finds nothing serious, in both languages', async () => {
    const { context, page, problems } = await open({ viewport: { width: 390, height: 800 } });
    try {
      for (const path of ['/?page=2&lang=en', '/?q=vendor&page=2&lang=zh-CN', '/?q=nobody&lang=en']) {
        await page.goto(`${base}${path}`);
        await page.waitForSelector('body[data-rendered="true"]');
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), path).toBeLessThanOrEqual(1);
        const found = await page.evaluate(async (source) => {
          // axe is evaluated through the debugging protocol, which the page's CSP does not govern.
          (0, eval)(source);
          const result = await Reflect.get(window, 'axe').run(document, { resultTypes: ['violations'] });
          return result.violations.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical').map((v: { id: string }) => v.id);
        }, axeSource);
        expect(found, path).toEqual([]);
      }
      await page.goto(`${base}/?q=vendor&page=2`);
      await page.waitForSelector('body[data-rendered="true"]');
      await page.screenshot({ path: `${artefacts}/home-search-phone.png`, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
