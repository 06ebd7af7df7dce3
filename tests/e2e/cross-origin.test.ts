// From another site in real Chromium: a badge <img> loads, the public API answers fetch(), the widget frames; admin routes refuse.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const adminToken = 'admin-secret-for-cross-origin-0123';
let fixture: FixtureStore;
let app: FastifyInstance;
let base: string;
let other: Server;
let otherBase: string;
let browser: Browser;

/** A page of another origin (another loopback port) that uses the status server as any third-party site would. */
function thirdPartyPage(status: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>elsewhere</title></head><body>
<img id="badge" src="${status}/badge/acme-cloud/email.svg" alt="badge">
<img id="unknown" src="${status}/badge/acme-cloud/fax.svg" alt="unknown badge">
<img id="private" src="${status}/assets/favicon.svg" alt="not shared">
<iframe id="widget" src="${status}/embed/acme-cloud" title="widget" width="480" height="200"></iframe>
</body></html>`;
}

beforeAll(async () => {
  fixture = openFixtureStore();
  app = await buildApp({ store: fixture.store, clock: fixture.clock, adminToken });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  other = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      request.url === '/framing'
        ? `<!doctype html><title>framing</title><iframe id="page" src="${base}/vendor/acme-cloud" title="page"></iframe>`
        : thirdPartyPage(base),
    );
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const address = other.address();
  otherBase = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => other?.close(() => resolve()));
  await app?.close();
  fixture?.close();
});

describe('another site', () => {
  it('shows the badge, reads the public API, frames the widget, and cannot use admin routes', async () => {
    const context = await browser.newContext();
    const blocked: string[] = [];
    try {
      const page = await context.newPage();
      page.on('requestfailed', (r) => blocked.push(`${new URL(r.url()).pathname}: ${r.failure()?.errorText ?? ''}`));
      await page.goto(`${otherBase}/`);
      await page.waitForLoadState('load');
      const images = await page.evaluate(() => Object.fromEntries([...document.images].map((img) => [img.id, img.complete && img.naturalWidth > 0])));
      expect(images.badge).toBe(true);
      // A resource the server keeps to itself is refused by the browser: the check above is not vacuous.
      expect(images.private).toBe(false);
      expect(blocked.some((b) => b.startsWith('/assets/favicon.svg') && /BLOCKED_BY_RESPONSE/.test(b))).toBe(true);
      expect(blocked.some((b) => b.startsWith('/badge/acme-cloud/email.svg'))).toBe(false);

      const results = await page.evaluate(
        async ({ status, token }) => {
          const attempt = async (url: string, init?: RequestInit) => {
            try {
              const res = await fetch(url, init);
              return { ok: true, status: res.status, body: await res.text() };
            } catch (err) {
              return { ok: false, status: 0, body: String(err) };
            }
          };
          return {
            vendors: await attempt(`${status}/api/v1/vendors`),
            openapi: await attempt(`${status}/api/v1/openapi.json`),
            admin: await attempt(`${status}/api/v1/admin/vendors`),
            adminWithToken: await attempt(`${status}/api/v1/admin/vendors`, { headers: { authorization: `Bearer ${token}` } }),
            privateView: await attempt(`${status}/api/v1/vendors/hidden-lab`, { headers: { authorization: `Bearer ${token}` } }),
          };
        },
        { status: base, token: adminToken },
      );
      expect(results.vendors).toMatchObject({ ok: true, status: 200 });
      expect(JSON.parse(results.vendors.body).vendors[0].channels[0]).toHaveProperty('medianMs');
      expect(results.openapi).toMatchObject({ ok: true, status: 200 });
      for (const refused of [results.admin, results.adminWithToken, results.privateView]) {
        expect(refused.ok).toBe(false);
        expect(refused.body).toContain('TypeError');
      }

      const widget = page.frameLocator('#widget');
      await expect.poll(() => widget.locator('h1').textContent()).toContain('Acme Cloud');
    } finally {
      await context.close();
    }
  });

  it('cannot frame any other page', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const console: string[] = [];
      page.on('console', (m) => console.push(m.text()));
      await page.goto(`${otherBase}/framing`);
      await page.waitForLoadState('load');
      await expect.poll(() => console.some((m) => /frame-ancestors/.test(m))).toBe(true);
      expect(await page.frameLocator('#page').locator('#page-heading').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
