// Sharing and describing the API: cross-origin headers on public routes only, the unknown badge, the embed, OpenAPI, docs/api.md.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { routeSpecs } from '../../src/server/api-spec.ts';
import { apiDoc } from '../../scripts/api-doc.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const adminToken = 'admin-secret-for-share-tests-0123';
let fixture: FixtureStore;
let app: FastifyInstance;

beforeAll(async () => {
  fixture = openFixtureStore();
  app = await buildApp({ store: fixture.store, clock: fixture.clock, adminToken });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  fixture.close();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('cross-origin use', () => {
  it('lets any origin load badges and read the public API, the feed and the OpenAPI document', async () => {
    for (const url of [
      '/api/v1',
      '/api/v1/vendors',
      '/api/v1/vendors/acme-cloud',
      '/api/v1/vendors/acme-cloud/daily',
      '/api/v1/openapi.json',
      '/badge/acme-cloud/email.svg',
      '/feed.atom',
      '/api/v1/vendors/no-such-vendor',
    ]) {
      const res = await get(url, { origin: 'http://elsewhere.example' });
      expect(res.headers['cross-origin-resource-policy'], url).toBe('cross-origin');
      expect(res.headers['access-control-allow-origin'], url).toBe('*');
      expect(res.headers['access-control-allow-credentials'], url).toBeUndefined();
    }
  });

  it('never on admin routes, pages, or a response to a request carrying the admin token', async () => {
    const admin = { authorization: `Bearer ${adminToken}` };
    for (const [url, headers] of [
      ['/api/v1/admin/vendors', admin],
      ['/api/v1/admin/vendors', {}],
      ['/api/v1/admin/review-queue', admin],
      ['/admin/review', {}],
      ['/api/v1/vendors', admin],
      ['/api/v1/vendors/hidden-lab', admin],
      ['/', {}],
      ['/vendor/acme-cloud', {}],
      ['/nowhere', {}],
    ] as const) {
      const res = await get(url, { origin: 'http://elsewhere.example', ...headers });
      expect(res.headers['cross-origin-resource-policy'], url).toBe('same-origin');
      expect(res.headers['access-control-allow-origin'], url).toBeUndefined();
    }
  });

  it('answers an "unknown" SVG badge with 404 for a channel or vendor that is unknown or private', async () => {
    for (const url of [
      '/badge/acme-cloud/fax.svg',
      '/badge/no-such-vendor/email.svg',
      '/badge/hidden-lab/email.svg',
      '/badge/acme-cloud/Not%20A%20Channel.png',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('image/svg+xml');
      expect(res.headers['cross-origin-resource-policy'], url).toBe('cross-origin');
      expect(res.body, url).toMatch(/^<svg[^>]*aria-label="[^"]*: unknown"/);
      expect(res.body).not.toContain('Hidden Lab');
    }
  });

  it('sizes badge text from font metrics: wider words make wider badges', async () => {
    const width = (svg: string) => Number(/<svg[^>]*width="(\d+)"/.exec(svg)?.[1]);
    const narrow = await get('/badge/acme-cloud/fax.svg');
    const wide = await get('/badge/acme-cloud/mmmmmmmmmmmm.svg');
    const thin = await get('/badge/acme-cloud/iiiiiiiiiiii.svg');
    // Same number of characters: Verdana's "m" is more than twice as wide as its "i".
    expect(width(wide.body) - width(thin.body)).toBeGreaterThan(50);
    expect(width(narrow.body)).toBeLessThan(width(wide.body));
  });
});

describe('the embeddable widget', () => {
  it('may be framed by any site while every other page refuses', async () => {
    const embed = await get('/embed/acme-cloud');
    expect(embed.statusCode).toBe(200);
    expect(embed.headers['content-type']).toContain('text/html');
    expect(String(embed.headers['content-security-policy'])).toContain('frame-ancestors *');
    expect(String(embed.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(embed.headers['x-frame-options']).toBeUndefined();
    expect(embed.body).toContain('Acme Cloud');
    expect(embed.body).toMatch(/<span class="status (meeting_sla|slower_than_sla|not_answering|insufficient_data)">/);
    const page = await get('/vendor/acme-cloud');
    expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect((await get('/embed/hidden-lab')).statusCode).toBe(404);
    expect((await get('/embed/hidden-lab')).body).not.toContain('Hidden Lab');
    expect((await get('/embed/acme-cloud?lang=zh-CN')).body).toContain('首次人工回复时间');
  });

  it('offers copy-paste snippets for the widget and each badge on the vendor page, with the public address', async () => {
    const configured = await buildApp({ store: fixture.store, clock: fixture.clock, publicUrl: 'https://status.example.org/' });
    try {
      const page = (await configured.inject({ url: '/vendor/acme-cloud' })).body;
      expect(page).toContain('&lt;iframe src=&quot;https://status.example.org/embed/acme-cloud&quot;');
      expect(page).toContain('https://status.example.org/badge/acme-cloud/email.svg');
      expect(page).toContain(
        '[![Acme Cloud email: time to first human reply](https://status.example.org/badge/acme-cloud/email.svg)](https://status.example.org/vendor/acme-cloud)',
      );
    } finally {
      await configured.close();
    }
  });
});

describe('OpenAPI', () => {
  it('publishes every public and admin route with its parameters', async () => {
    const res = await get('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(documented.sort()).toEqual(Object.keys(routeSpecs).sort());
    // Every route the index lists is there, and every public route a reader can call answers.
    const index: string[] = (await get('/api/v1')).json().routes;
    for (const route of index) expect(documented, route).toContain(`GET ${route.split('?')[0]?.replace(/:channel\.svg$/, ':file')}`);
    const probes = doc.paths['/api/v1/vendors/{slug}/probes'].get;
    expect(probes.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual([
      'path:slug',
      'query:channel',
      'query:limit',
      'query:window',
    ]);
    expect(probes.parameters.find((p: { name: string }) => p.name === 'limit').schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 2000,
      default: 500,
    });
    const vendors = doc.paths['/api/v1/vendors'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(vendors.properties.vendors.items.properties.channels.items.properties)).toContain('ci95Ms');
    expect(doc.paths['/api/v1/admin/vendors'].get.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths['/badge/{vendor}/{file}'].get.responses['404'].content).toHaveProperty(['image/svg+xml']);
  });

  it('refuses to start with a route under /api/ that the document does not describe', async () => {
    const { default: Fastify } = await import('fastify');
    const { registerOpenApi } = await import('../../src/server/openapi.ts');
    const bare = Fastify();
    await registerOpenApi(bare);
    expect(() => bare.get('/api/v1/undocumented', async () => ({}))).toThrow(/api-spec\.ts/);
    await bare.close();
  });

  it("validates requests with the routes' zod schemas and the same error format", async () => {
    const bad = await get('/api/v1/vendors/acme-cloud/probes?limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: { code: 'BAD_INPUT', message: expect.stringContaining('limit') } });
  });

  it('docs/api.md is what scripts/api-doc.ts writes from the OpenAPI document (run it after changing the API)', async () => {
    const committed = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    expect(committed).toBe(await apiDoc());
  }, 60_000);
});
