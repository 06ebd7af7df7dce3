// The home page in pages of bounded rows with a server-side search: pages, search across pages, the full list, privacy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { MINUTE } from '../../src/core/clock.ts';
import { homePageRows } from '../../src/server/home-paging.ts';
import { generatedVendors, openFixtureStore, type FixtureStore, type FixtureVendor } from '../helpers/fixture-store.ts';
import type { HomePaging } from '../../src/server/home-paging.ts';

const adminToken = 'home-pages-token-0123456789abcdef';
const operator = { authorization: `Bearer ${adminToken}` };
// 30 vendors × 4 channels = 120 rows: two pages. Zephyr sorts last, so it is on the second page.
const zephyr: FixtureVendor = {
  slug: 'zephyr-mail',
  name: 'Zephyr Mail 西风邮件',
  channels: [{ id: 'email', kind: 'email', medianMs: 30 * MINUTE, noReplyShare: 0.1, perDay: 0.5 }],
};
const secret: FixtureVendor = {
  slug: 'vendor-secret',
  name: 'Secret Candidate',
  visibility: 'private',
  channels: [{ id: 'email', kind: 'email', medianMs: 30 * MINUTE, noReplyShare: 0.1, perDay: 0.5 }],
};

let fixture: FixtureStore;
let app: FastifyInstance;

interface PageData {
  vendors: { slug: string; name: string; channels: unknown[] }[];
  paging: HomePaging;
}

function pageData(html: string): PageData {
  const json = /<script type="application\/json" id="page-data">(.*?)<\/script>/s.exec(html)?.[1];
  if (json === undefined) throw new Error('no page data');
  const parsed: PageData = JSON.parse(json);
  return parsed;
}

const rowsOf = (data: PageData) => data.vendors.reduce((sum, v) => sum + v.channels.length, 0);

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'GET', url, headers });
  expect(res.statusCode, url).toBe(200);
  return { res, html: res.body, data: pageData(res.body) };
}

beforeAll(async () => {
  fixture = openFixtureStore({ days: 10, vendors: [...generatedVendors(30, 0.3), zephyr, secret] });
  app = await buildApp({ store: fixture.store, clock: fixture.clock, adminToken });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  fixture.close();
});

describe('home page in pages', () => {
  it('shows a bounded first page, links to the next and to the full list, and keeps it in the response cache', async () => {
    const { res, html, data } = await get('/');
    expect(rowsOf(data)).toBeLessThanOrEqual(homePageRows);
    expect(data.vendors.map((v) => v.slug)).toEqual(Array.from({ length: 25 }, (_, i) => `vendor-${String(i + 1).padStart(3, '0')}`));
    expect(data.paging).toMatchObject({ page: 1, pages: 2, first: 1, last: 25, total: 31, totalRows: 121, matched: 31 });
    expect(html).toContain('Vendors 1–25 of 31.');
    expect(html).toContain('<a rel="next" href="/?page=2">');
    expect(html).toContain('<a id="show-all" href="/?all=1">Show all 121 channels on one page</a>');
    // Only this page's bars are drawn.
    expect(html.match(/<svg data-vendor=/g)?.length).toBe(100);
    expect(html).not.toContain('zephyr-mail');
    expect(res.headers['cache-control']).not.toContain('private');
    const again = await app.inject({ method: 'GET', url: '/', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('serves the next page, and reads a page past the end as the last', async () => {
    const { html, data } = await get('/?page=2');
    expect(data.vendors.map((v) => v.slug)).toEqual(['vendor-026', 'vendor-027', 'vendor-028', 'vendor-029', 'vendor-030', 'zephyr-mail']);
    expect(data.paging).toMatchObject({ page: 2, pages: 2, first: 26, last: 31 });
    expect(html).toContain('<a rel="prev" href="/">');
    expect(html).not.toContain('rel="next"');
    expect((await get('/?page=40')).data.paging.page).toBe(2);
    expect((await app.inject({ method: 'GET', url: '/?page=two' })).statusCode).toBe(400);
  });

  it('finds a vendor of another page by name or slug, ignoring case and width, without the form needing script', async () => {
    const first = await get('/');
    expect(first.html).toContain('<form class="search" id="vendor-search-form" role="search" method="get" action="/">');
    expect(first.html).toContain('<input type="search" id="vendor-search" name="q" value=""');
    for (const query of ['zephyr', 'ZEPHYR', 'ｚｅｐｈｙｒ', '西风', 'zephyr-m']) {
      const { html, data } = await get(`/?q=${encodeURIComponent(query)}`);
      expect(
        data.vendors.map((v) => v.slug),
        query,
      ).toEqual(['zephyr-mail']);
      expect(data.paging).toMatchObject({ query, matched: 1, pages: 1 });
      expect(html).toContain(`Vendors 1–1 of 1 matching “${query}”.`);
      expect(html).toContain(`value="${query}"`);
      expect(html).toContain('<a id="show-every" href="/">');
    }
    const many = await get('/?q=vendor');
    expect(many.data.paging).toMatchObject({ matched: 30, pages: 2 });
    expect(many.html).toContain('href="/?q=vendor&amp;page=2"');
    expect(many.html).toContain('href="/?q=vendor&amp;all=1"');
    const none = await get('/?q=nobody-here');
    expect(none.data.vendors).toEqual([]);
    expect(none.html).toContain('No vendor matches “nobody-here”.');
  });

  it('has the full list one click away, every public row on one page', async () => {
    const { html, data } = await get('/?all=1');
    expect(data.vendors).toHaveLength(31);
    expect(rowsOf(data)).toBe(121);
    expect(data.paging).toMatchObject({ all: true, pages: 1 });
    expect(html).toContain('All 31 vendors on one page.');
    expect(html).toContain('<a id="show-paged" href="/">Show in pages</a>');
    expect(html).not.toContain('class="pager"');
    expect(html).toContain('<input type="hidden" name="all" value="1">');
  });

  it('never shows a private vendor to a visitor, and shows it to the operator without caching their page', async () => {
    for (const url of ['/', '/?page=2', '/?all=1', '/?q=secret', '/?q=vendor-secret', '/?q=vendor&all=1']) {
      const { html, data } = await get(url);
      expect(
        data.vendors.some((v) => v.slug === 'vendor-secret'),
        url,
      ).toBe(false);
      expect(html, url).not.toContain('Secret Candidate');
    }
    const mine = await get('/?q=secret', operator);
    expect(mine.data.vendors.map((v) => v.slug)).toEqual(['vendor-secret']);
    expect(mine.res.headers['cache-control']).toBe('private, no-store');
    const all = await get('/?all=1', operator);
    expect(all.data.paging.total).toBe(32);
    expect(all.res.headers['cache-control']).toBe('private, no-store');
    // The operator's first page holds the private vendor's row; a visitor's page afterwards does not.
    expect((await get('/?page=2', operator)).data.vendors.map((v) => v.slug)).toContain('vendor-secret');
    expect((await get('/?page=2')).html).not.toContain('Secret Candidate');
  });

  it('prints a query as text wherever it is echoed', async () => {
    const query = '"><script>window.__pwned=1</script>';
    const { html, data } = await get(`/?q=${encodeURIComponent(query)}`);
    expect(data.paging.query).toBe(query);
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;"');
  });
});
