// Every page in real Chromium at a phone's and a desktop's width, in English and Chinese, light and dark: nothing
// scrolls sideways, no text overflows its box, axe finds nothing serious, and a screenshot of each is kept.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Cookie, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { DAY, HOUR, MINUTE } from '../../src/core/clock.ts';
import { trialSchema } from '../../src/config/trial.ts';
import type { Trial } from '../../src/trials/load.ts';
import { defaultFixtureVendors, openFixtureStore, type FixtureStore, type FixtureVendor } from '../helpers/fixture-store.ts';

const screenshots = 'test-artifacts/screenshots';
const adminToken = 'e2e-layout-token-0123456789abcdef';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// A chat desk whose widget acknowledges at once and whose bot answers before a person: the zero lane and the bot marker.
const quickChat: FixtureVendor = {
  slug: 'quick-chat',
  name: 'Quick Chat 快聊',
  timezone: 'Asia/Shanghai',
  channels: [{ id: 'live-chat', kind: 'chat', medianMs: 40_000, noReplyShare: 0.1, instantAckShare: 0.8, botShare: 0.6, perDay: 1 }],
};
const candidates: FixtureVendor[] = [
  { slug: 'cand-alpha', name: 'Candidate Alpha', visibility: 'private', channels: [{ id: 'email', kind: 'email', medianMs: 20 * MINUTE, noReplyShare: 0 }] },
  { slug: 'cand-beta', name: 'Candidate Beta', visibility: 'private', channels: [{ id: 'email', kind: 'email', medianMs: 6 * HOUR, noReplyShare: 0.2 }] },
];
const pages = [
  ['home', '/'],
  ['vendor', '/vendor/quick-chat'],
  ['compare', '/compare?vendors=acme-cloud,blue-harbor,quick-chat'],
  ['trial', '/trial/layout-trial'],
  ['methodology', '/methodology'],
] as const;
const widths = [390, 1280] as const;
const languages = ['en', 'zh-CN'] as const;
const schemes = ['light', 'dark'] as const;

let fixture: FixtureStore;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let session: Cookie[];

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  fixture = openFixtureStore({ days: 90, vendors: [...defaultFixtureVendors, quickChat, ...candidates] });
  const now = fixture.clock.now();
  const {
    start: _s,
    end: _e,
    ...input
  } = trialSchema.parse({ name: 'Layout trial', start: '2026-02-01', end: '2026-03-31', vendors: candidates.map((v) => v.slug) });
  const trial: Trial = {
    ...input,
    id: 'layout-trial',
    file: 'trials/layout-trial.yaml',
    from: now - 30 * DAY,
    to: now,
    channelsOf: { 'cand-alpha': ['email'], 'cand-beta': ['email'] },
  };
  app = await buildApp({ store: fixture.store, clock: fixture.clock, adminToken, trials: [trial], evidenceDir: fixture.dir });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${base}/admin/sign-in`);
    await page.fill('#admin-token', adminToken);
    await Promise.all([page.waitForURL(`${base}/`), page.click('#sign-in-form button[type="submit"]')]);
    session = await context.cookies();
  } finally {
    await context.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  fixture?.close();
});

interface Layout {
  viewport: number;
  scrollWidth: number;
  height: number;
  overflowing: string[];
}

/** Measures the page: the document's width, and every element with text whose content is wider than its box or the screen. */
function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const viewport = root.clientWidth;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const overflowing: string[] = [];
    // Visually hidden (a phone's card tables keep their header row for screen readers only).
    const clipped = (el: Element): boolean => {
      for (let at: Element | null = el; at && at !== document.body; at = at.parentElement) {
        const style = getComputedStyle(at);
        if (style.position === 'absolute' && style.clip !== 'auto') return true;
      }
      return false;
    };
    for (const el of document.querySelectorAll('body *')) {
      if (!(el instanceof HTMLElement) || el.closest('[hidden], .visually-hidden, svg, .skip, script, style, template')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || clipped(el)) continue;
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (style.display !== 'inline' && ownText && style.overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1) {
        overflowing.push(`${name(el)}: text ${el.scrollWidth} px in a ${el.clientWidth} px box`);
      }
      if (box.right > viewport + 1 && !el.closest('.scroll')) overflowing.push(`${name(el)}: ends at ${Math.round(box.right)} px, beyond ${viewport}`);
    }
    for (const el of document.querySelectorAll('.scroll')) {
      if (el.scrollWidth > el.clientWidth + 1) overflowing.push(`${name(el)}: scrolls sideways (${el.scrollWidth} in ${el.clientWidth})`);
    }
    return { viewport, scrollWidth: root.scrollWidth, height: root.scrollHeight, overflowing };
  });
}

async function seriousAxe(page: Page): Promise<string[]> {
  return page.evaluate(async (source) => {
    // axe is evaluated through the debugging protocol, which the page's CSP does not govern.
    (0, eval)(source);
    const result = await Reflect.get(window, 'axe').run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v: { id: string; nodes: { target: string[] }[] }) =>
          `${v.id} at ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      );
  }, axeSource);
}

const heights: Record<string, number> = {};
const combinations = widths.flatMap((width) => schemes.map((scheme) => ({ width, scheme })));

describe('every page at 390 and 1280 px, en and zh-CN, light and dark', () => {
  it.each(combinations)('at $width px, $scheme: fits the screen, overflows no box, has no serious axe finding, and is captured', async ({ width, scheme }) => {
    const problems: string[] = [];
    const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme, timezoneId: 'Asia/Shanghai' });
    try {
      await context.addCookies(session);
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      for (const lang of languages) {
        for (const [name, path] of pages) {
          const where = `${name} ${width}px ${lang} ${scheme}`;
          const res = await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          expect(res?.status(), where).toBe(200);
          await page.waitForSelector('body[data-rendered="true"]');
          const layout = await measure(page);
          heights[`${name} ${width} ${lang} ${scheme}`] = layout.height;
          if (layout.scrollWidth > layout.viewport) problems.push(`${where}: document ${layout.scrollWidth} px wide in a ${layout.viewport} px screen`);
          for (const o of layout.overflowing) problems.push(`${where}: ${o}`);
          // Contrast depends on the scheme, not the width: axe runs once per page, language and scheme.
          if (width === 1280) for (const v of await seriousAxe(page)) problems.push(`${where}: axe ${v}`);
          await page.screenshot({ path: `${screenshots}/${name}-${width}-${lang}-${scheme}.png`, fullPage: true });
        }
      }
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
  });

  it('writes intervals and durations for people, fills the legends and shows bot answers', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Shanghai' });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/vendor/quick-chat?lang=en`);
      await page.waitForSelector('body[data-rendered="true"]');
      const ci = page.locator('.fig-median .ci');
      expect(await ci.textContent()).toMatch(/^\(95 % CI (\d+–\d+ (s|min|h|d)|.+–.+|at least .+|at most .+)\)$/);
      expect(await ci.getAttribute('title')).toMatch(/^Half of the probes got a first human reply within /);
      // Away from the chart each legend shows a figure, never a dash.
      const legend = await page.locator('.u-legend .u-value').allTextContents();
      expect(legend.length).toBeGreaterThanOrEqual(7);
      expect(legend.filter((v) => v === '—' || v === '--' || v === '')).toEqual([]);
      expect(await page.locator('.u-legend .u-label').allTextContents()).toContain('bot answer');
      const bot = await page.locator('.cross-table td[data-bot]').first().textContent();
      expect(bot).toMatch(/^\d+ s$/);
      expect(await page.locator('main').textContent()).not.toMatch(/\d m\b/);
      await page.goto(`${base}/vendor/quick-chat?lang=zh-CN`);
      await page.waitForSelector('body[data-rendered="true"]');
      expect(await page.locator('.fig-median .ci').textContent()).toMatch(/^（95% 置信区间 .+）$/);
      expect(await page.locator('.heat-scale').textContent()).toContain('1 分钟');
      const weekday = await page
        .locator('.heatmap tbody th')
        .first()
        .evaluate((th) => th.getBoundingClientRect().height);
      expect(weekday).toBeLessThan(20);
    } finally {
      await context.close();
    }
  });

  it('keeps the vendor page a few screens long on a phone', () => {
    console.log(`page heights (px): ${JSON.stringify(heights)}`);
    // A one-channel vendor: cards, shorter charts and the latest few probes, not one long sideways table (was 4,510 px).
    expect(heights['vendor 390 en light']).toBeLessThan(4000);
  });
});
