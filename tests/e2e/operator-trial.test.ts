// An operator in real Chromium: signs in, sees a private trial of three vendors on home, compare and trial pages, signs out; a visitor sees none of it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { DAY, MINUTE } from '../../src/core/clock.ts';
import { trialSchema } from '../../src/config/trial.ts';
import type { Trial } from '../../src/trials/load.ts';
import { sessionCookieName } from '../../src/server/session.ts';
import { trialCandidates } from '../helpers/trial-candidates.ts';
import { defaultFixtureVendors, openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const adminToken = 'e2e-operator-token-0123456789abcdef';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const candidates = trialCandidates(40 * MINUTE);

let fixture: FixtureStore;
let app: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  fixture = openFixtureStore({ days: 30, vendors: [...defaultFixtureVendors, ...candidates] });
  const now = fixture.clock.now();
  const {
    start: _s,
    end: _e,
    ...input
  } = trialSchema.parse({ name: 'CDN support trial', start: '2026-02-01', end: '2026-03-31', vendors: candidates.map((v) => v.slug) });
  const trial: Trial = {
    ...input,
    id: 'cdn-trial',
    file: 'trials/cdn-trial.yaml',
    from: now - 30 * DAY,
    to: now,
    channelsOf: { 'cand-alpha': ['email', 'chat'], 'cand-beta': ['email'], 'cand-gamma': ['email'] },
  };
  app = await buildApp({ store: fixture.store, clock: fixture.clock, adminToken, trials: [trial], evidenceDir: fixture.dir });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  fixture?.close();
});

async function withContext(run: (page: Page, context: BrowserContext, problems: string[]) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  try {
    await run(page, context, problems);
  } finally {
    await context.close();
  }
}

async function seriousAxe(page: Page): Promise<string[]> {
  return page.evaluate(async (source) => {
    // axe is evaluated through the debugging protocol, which the page's CSP does not govern.
    (0, eval)(source);
    const result = await Reflect.get(window, 'axe').run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical').map((v: { id: string }) => v.id);
  }, axeSource);
}

async function rendered(page: Page, path: string): Promise<number> {
  const res = await page.goto(`${base}${path}`);
  await page.waitForSelector('body[data-rendered="true"]');
  return res?.status() ?? 0;
}

describe('the operator in Chromium', () => {
  it('signs in, sees the private trial on home, compare and trial pages, and signs out', async () => {
    await withContext(async (page, context, problems) => {
      await rendered(page, '/admin/sign-in');
      await page.fill('#admin-token', 'wrong-token');
      await page.click('#sign-in-form button[type="submit"]');
      await expect.poll(() => page.locator('#sign-in-error').textContent()).toContain('not the admin token');
      expect(await context.cookies()).toEqual([]);
      // The refused attempt's 401 is the one console error expected.
      expect(problems).toEqual(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
      problems.length = 0;

      await page.fill('#admin-token', adminToken);
      await Promise.all([page.waitForURL(`${base}/`), page.click('#sign-in-form button[type="submit"]')]);
      const [cookie, ...others] = (await context.cookies()).filter((c) => c.name === sessionCookieName);
      expect(others).toEqual([]);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
      expect(cookie?.value).not.toContain(adminToken);
      expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + 11 * 3600);
      expect(await page.evaluate(() => document.cookie)).not.toContain(sessionCookieName);

      await page.waitForSelector('body[data-rendered="true"]');
      for (const v of candidates) expect(await page.locator(`tr[data-vendor="${v.slug}"]`).count(), v.slug).toBeGreaterThan(0);
      await Promise.all([page.waitForURL(`${base}/trial/cdn-trial`), page.click('nav.trials a[href="/trial/cdn-trial"]')]);
      await page.waitForSelector('body[data-rendered="true"]');
      expect(await page.locator('h1').textContent()).toBe('CDN support trial');
      // The decision summary comes first, then one section per vendor with its per-tier table and probe list.
      const headings = await page.locator('main h2').allTextContents();
      expect(headings[0]).toBe('Decision summary');
      expect(headings).toEqual(expect.arrayContaining(candidates.map((v) => expect.stringContaining(v.name))));
      const dimensions = await page.locator('table.decision tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-dimension')));
      expect(dimensions).toEqual(expect.arrayContaining(['first_reply', 'sla', 'coverage', 'consistency']));
      const verdicts = await page.locator('table.decision tbody tr td:last-child').allTextContents();
      expect(verdicts.every((v) => /^Yes — p|^No detectable difference with n = \d+ and \d+|^Only one vendor|^No data/.test(v))).toBe(true);
      // Beta answers in hours, Alpha in minutes: on P2 e-mail Alpha leads and the gap is real.
      const p2Email = page.locator('tr[data-dimension="first_reply"]', { hasText: 'P2 · e-mail' });
      expect(await p2Email.locator('td').first().textContent()).toContain('Candidate Alpha');
      expect(await page.locator('#vendor-cand-beta table.trial-probes tbody tr').count()).toBeGreaterThan(3);
      expect(await seriousAxe(page)).toEqual([]);

      await rendered(page, '/compare?vendors=cand-alpha,cand-beta,cand-gamma');
      const scorecard = await page.locator('table.scorecard thead').textContent();
      for (const v of candidates) expect(scorecard).toContain(v.name);
      expect(await rendered(page, '/vendor/cand-beta')).toBe(200);
      expect(problems).toEqual([]);

      await Promise.all([page.waitForURL(`${base}/`), page.click('form.sign-out button')]);
      await page.waitForSelector('body[data-rendered="true"]');
      expect((await context.cookies()).filter((c) => c.name === sessionCookieName)).toEqual([]);
      expect(await page.locator('body').textContent()).not.toContain('Candidate');
      expect((await page.goto(`${base}/trial/cdn-trial`))?.status()).toBe(404);
    });
  });

  it('shows a public visitor none of it, on any page', async () => {
    await withContext(async (page) => {
      await rendered(page, '/');
      expect(await page.locator('body').textContent()).not.toContain('Candidate');
      expect(await page.locator('nav.trials').count()).toBe(0);
      await rendered(page, '/compare?vendors=cand-alpha,acme-cloud');
      expect(await page.locator('main').textContent()).not.toContain('Candidate');
      for (const path of ['/trial/cdn-trial', '/vendor/cand-alpha', '/api/v1/vendors/cand-alpha', '/badge/cand-alpha/email.svg']) {
        const res = await page.goto(`${base}${path}`);
        expect(res?.status(), path).toBe(404);
        expect(await res?.text(), path).not.toContain('Candidate');
      }
      expect(await page.context().cookies()).toEqual([]);
    });
  });
});
