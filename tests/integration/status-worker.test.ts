// Status documents built off the event loop: the worker threads' documents equal the main thread's, a request is
// answered with the previous version while the next is built, and a write rebuilds only its vendor's documents.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { MINUTE, SECOND } from '../../src/core/clock.ts';
import { openStore } from '../../src/store/db.ts';
import { publicQueries } from '../../src/store/public-probes.ts';
import { statusDocuments } from '../../src/server/documents.ts';
import { mainThreadBuilder, workerBuilder } from '../../src/server/status-builders.ts';
import { feedStatuses } from '../../src/server/document-build.ts';
import type { VendorsDocument } from '../../src/server/views.ts';
import { defaultFixtureVendors, openFixtureStore, recordReply, type FixtureStore } from '../helpers/fixture-store.ts';

let fixture: FixtureStore;
let offThread: FastifyInstance;
let onThread: FastifyInstance;

beforeAll(async () => {
  fixture = openFixtureStore({ days: 60 });
  offThread = await buildApp({ store: fixture.store, clock: fixture.clock, statusWorker: true });
  onThread = await buildApp({ store: fixture.store, clock: fixture.clock });
});

afterAll(async () => {
  await offThread.close();
  await onThread.close();
  fixture.close();
});

const publicVendors = defaultFixtureVendors.filter((v) => v.visibility !== 'private');
const [first, second] = publicVendors;

/** Asks until the answer changes from `etag` (the worker's rebuild lands between requests); the new response. */
async function nextVersion(app: FastifyInstance, url: string, etag: string) {
  for (let i = 0; i < 1000; i++) {
    const res = await app.inject({ url });
    if (res.headers.etag !== etag) return res;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url}: still ${etag}`);
}

/**
 * Asks the worker-backed app until its answer is the one the main thread builds now. A rebuild started before a write
 * can land after it (and is served while the next is built), so "the etag changed" alone does not mean "has the write".
 */
async function caughtUp(url: string, etag: string) {
  for (let i = 0; i < 1000; i++) {
    const [res, main] = [await offThread.inject({ url }), await onThread.inject({ url })];
    if (res.headers.etag !== etag && res.body === main.body) return res;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url}: never caught up with the main thread's build`);
}

function writeHumanReply(vendor: string, uid: number, target: FixtureStore = fixture): void {
  const probe = target.store.probes.inStates(['expired', 'sent']).find((p) => p.vendor === vendor);
  if (!probe) throw new Error(`no open or expired probe of ${vendor}`);
  const at = target.clock.now();
  recordReply(target.store, probe.id, {
    uid,
    receivedAt: at - MINUTE,
    detectedAt: at,
    messageId: `<late-${uid}@vendor.example>`,
    subject: 'Re: late',
    body: 'late answer',
  });
}

describe('status documents on worker threads', () => {
  it('are the documents the main thread builds, byte for byte', async () => {
    const urls = ['/api/v1/vendors', '/api/v1/vendors?window=all', `/api/v1/compare?vendors=${publicVendors.map((v) => v.slug).join(',')}`];
    for (const vendor of publicVendors) {
      urls.push(
        `/api/v1/vendors/${vendor.slug}`,
        `/api/v1/vendors/${vendor.slug}/probes?window=all`,
        `/api/v1/vendors/${vendor.slug}/daily`,
        `/api/v1/vendors/${vendor.slug}/hour-of-week?tz=utc`,
        `/vendor/${vendor.slug}`,
      );
    }
    for (const url of urls) {
      const [worker, main] = await Promise.all([offThread.inject({ url }), onThread.inject({ url })]);
      expect(worker.statusCode, url).toBe(200);
      expect(worker.body, url).toBe(main.body);
      expect(worker.headers.etag, url).toBe(main.headers.etag);
    }
  });

  it('arrive from the worker in every encoding intact (three encodings sent over as one buffer)', async () => {
    for (const url of ['/api/v1/vendors', `/api/v1/vendors/${first?.slug ?? ''}`]) {
      const main = await onThread.inject({ url });
      for (const [encoding, decode] of [
        ['gzip', gunzipSync],
        ['br', brotliDecompressSync],
      ] as const) {
        const res = await offThread.inject({ url, headers: { 'accept-encoding': encoding } });
        expect(res.headers['content-encoding'], url).toBe(encoding);
        expect(Number(res.headers['content-length']), url).toBe(res.rawPayload.length);
        expect(decode(res.rawPayload).toString(), `${url} ${encoding}`).toBe(main.body);
      }
    }
  });

  it('serve the previous version while a write is built in, then the new one', async () => {
    const url = '/api/v1/vendors';
    const before = await offThread.inject({ url });
    writeHumanReply(first?.slug ?? '', 900_001);
    const during = await offThread.inject({ url });
    expect(during.headers.etag).toBe(before.headers.etag);
    const after = await nextVersion(offThread, url, String(before.headers.etag));
    // Only the written vendor's rows were rebuilt, and the list is the one a full build gives.
    const full = await onThread.inject({ url });
    expect(after.body).toBe(full.body);
  });

  it('serve the previous version when the cache ages out, and rebuild it off the request', async () => {
    const url = `/api/v1/vendors/${second?.slug ?? ''}`;
    const before = await offThread.inject({ url });
    fixture.clock.advance(31 * SECOND);
    const during = await offThread.inject({ url });
    expect(during.headers.etag).toBe(before.headers.etag);
    const after = await nextVersion(offThread, url, String(before.headers.etag));
    expect(after.json().generatedAt).toBe(fixture.clock.now());
  });

  it("leave other vendors' documents alone when a result is written", async () => {
    const other = `/api/v1/vendors/${second?.slug ?? ''}`;
    const written = `/api/v1/vendors/${first?.slug ?? ''}`;
    const [otherBefore, writtenBefore] = [await onThread.inject({ url: other }), await onThread.inject({ url: written })];
    writeHumanReply(first?.slug ?? '', 900_002);
    expect((await onThread.inject({ url: other })).headers.etag).toBe(otherBefore.headers.etag);
    expect((await onThread.inject({ url: written })).headers.etag).not.toBe(writtenBefore.headers.etag);
  });
});

describe('writes close together', () => {
  it('go into one rebuild per gap; the next rebuild takes them all in, and ageing out is not held back', async () => {
    const own = openFixtureStore({ days: 30 });
    const queries = publicQueries(own.store);
    const builder = mainThreadBuilder({ store: own.store, queries, demoTime: false });
    let builds = 0;
    const counted: typeof builder = {
      build: (request, now, waiting) => {
        builds++;
        return builder.build(request, now, waiting);
      },
      close: () => builder.close(),
    };
    const gapMs = 300;
    const gapped = statusDocuments({ store: own.store, clock: own.clock, queries, builder: counted, ttlMs: 30 * SECOND, rebuildGapMs: gapMs });
    const eager = statusDocuments({ store: own.store, clock: own.clock, queries, builder, ttlMs: 30 * SECOND });
    try {
      const before = await gapped.vendors('90d', false);
      const startedAt = performance.now();
      writeHumanReply(first?.slug ?? '', 910_001, own);
      writeHumanReply(second?.slug ?? '', 910_002, own);
      const during = await gapped.vendors('90d', false);
      if (performance.now() - startedAt < gapMs) {
        expect(during).toBe(before);
        expect(builds).toBe(1);
      }
      // The gap is real time (the injected clock does not move here): ask until it has passed.
      let after = during;
      while (after.etag === before.etag) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        after = await gapped.vendors('90d', false);
      }
      expect(builds).toBe(2);
      expect(after.raw.toString()).toBe((await eager.vendors('90d', false)).raw.toString());

      writeHumanReply(first?.slug ?? '', 910_003, own);
      own.clock.advance(31 * SECOND);
      const aged = await gapped.vendors('90d', false);
      expect(builds).toBe(3);
      expect(aged.raw.toString()).toBe((await eager.vendors('90d', false)).raw.toString());
    } finally {
      await gapped.close();
      await eager.close();
      own.close();
    }
  });
});

describe('the vendors list on the main thread', () => {
  it('is never parsed whole by the routes that read it (feed, admin list, home page, embed, vendor page)', async () => {
    const adminToken = 'list-admin-token';
    const admin = { authorization: `Bearer ${adminToken}` };
    const slug = first?.slug ?? '';
    for (const statusWorker of [true, false]) {
      const app = await buildApp({ store: fixture.store, clock: fixture.clock, statusWorker, adminToken });
      try {
        const lists = async () => [await app.inject({ url: '/api/v1/vendors' }), await app.inject({ url: '/api/v1/vendors', headers: admin })];
        const before = await lists();
        writeHumanReply(slug, statusWorker ? 920_001 : 920_002);
        // Both lists in their new versions (built off the main thread when statusWorker), and nothing read from them yet.
        let after = await lists();
        while (after.some((res, i) => res.headers.etag === before[i]?.headers.etag)) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          after = await lists();
        }
        const longest = Math.min(...after.map((res) => res.rawPayload.length));
        const parse = vi.spyOn(JSON, 'parse');
        const responses = [];
        let parsed: number[] = [];
        try {
          for (const [url, headers] of [
            ['/feed.atom', {}],
            ['/api/v1/admin/vendors', admin],
            ['/', {}],
            ['/', admin],
            ['/?all=1', {}],
            [`/embed/${slug}`, {}],
            [`/vendor/${slug}`, {}],
          ] as const)
            responses.push({ url, res: await app.inject({ url, headers }) });
        } finally {
          parsed = parse.mock.calls.map(([text]) => String(text).length);
          parse.mockRestore();
        }
        for (const { url, res } of responses) expect(res.statusCode, url).toBe(200);
        expect(parsed.length).toBeGreaterThan(0);
        expect(Math.max(...parsed), `statusWorker: ${statusWorker}`).toBeLessThan(longest);
        // The admin list still carries the whole list with private vendors, as its builder serialized it.
        const adminList = responses.find((r) => r.url === '/api/v1/admin/vendors')?.res.json();
        expect(adminList.document).toEqual(after[1]?.json());
      } finally {
        await app.close();
      }
    }
  });

  it('brings the home page without a search built and compressed: after a write, no HTML, parse or compression on the main thread', async () => {
    const zlib: typeof import('node:zlib') = createRequire(import.meta.url)('node:zlib');
    const urls = ['/', '/?lang=zh-CN', '/?page=1'];
    const before = await offThread.inject({ url: '/api/v1/vendors' });
    for (const url of urls) await offThread.inject({ url });
    writeHumanReply(second?.slug ?? '', 930_001);
    const after = await caughtUp('/api/v1/vendors', String(before.headers.etag));
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const parse = vi.spyOn(JSON, 'parse');
    const gzip = vi.spyOn(zlib, 'gzipSync');
    const brotli = vi.spyOn(zlib, 'brotliCompressSync');
    // The ESM bindings cache.ts imported follow the spied module object.
    syncBuiltinESMExports();
    const responses = [];
    try {
      for (const url of urls) responses.push(await offThread.inject({ url, headers: { 'accept-encoding': 'br' } }));
      expect(gzip).not.toHaveBeenCalled();
      expect(brotli).not.toHaveBeenCalled();
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
      gzip.mockRestore();
      brotli.mockRestore();
      syncBuiltinESMExports();
    }
    // The same page the route builds on the main thread, byte for byte, in every encoding.
    for (const [i, url] of urls.entries()) {
      const res = responses[i];
      expect(res?.statusCode, url).toBe(200);
      expect(res?.headers['content-encoding'], url).toBe('br');
      const html = brotliDecompressSync(res?.rawPayload ?? Buffer.alloc(0)).toString();
      expect(html, url).toContain(url.includes('zh-CN') ? 'lang="zh-CN"' : 'lang="en"');
      const gzipped = await offThread.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(gunzipSync(gzipped.rawPayload).toString(), url).toBe(html);
      const built = await onThread.inject({ url });
      expect(built.payload, url).toBe(html);
    }
  });

  it('brings the Atom feed built with the list for the base asked before; an alert written since is served at once', async () => {
    const zlib: typeof import('node:zlib') = createRequire(import.meta.url)('node:zlib');
    const before = await offThread.inject({ url: '/api/v1/vendors' });
    // The first request names the base (built here); the list's next builds make the feed for it.
    expect((await offThread.inject({ url: '/feed.atom' })).statusCode).toBe(200);
    writeHumanReply(first?.slug ?? '', 930_002);
    await caughtUp('/api/v1/vendors', String(before.headers.etag));
    const gzip = vi.spyOn(zlib, 'gzipSync');
    const brotli = vi.spyOn(zlib, 'brotliCompressSync');
    syncBuiltinESMExports();
    const feed = await offThread.inject({ url: '/feed.atom', headers: { 'accept-encoding': 'br' } });
    // Counted before the spies are restored (restoring clears their calls).
    const compressions = gzip.mock.calls.length + brotli.mock.calls.length;
    gzip.mockRestore();
    brotli.mockRestore();
    syncBuiltinESMExports();
    expect(compressions).toBe(0);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    const text = brotliDecompressSync(feed.rawPayload).toString();
    expect(text).toContain(`/feed/status/${first?.slug}/`);
    expect(text).toBe((await onThread.inject({ url: '/feed.atom' })).payload);

    const alert = fixture.store.alerts.insertOpen({
      rule: 'sla_breach',
      vendor: second?.slug ?? '',
      channel: null,
      severity: 'warning',
      audience: 'subscriber',
      summary: 'written after the list was built',
      details: '{}',
      probeId: null,
    });
    expect(alert).toBeDefined();
    const after = await offThread.inject({ url: '/feed.atom' });
    expect(after.payload).toContain(`/feed/alert/${alert?.id}/open`);
    expect(after.payload).toBe((await onThread.inject({ url: '/feed.atom' })).payload);
    if (alert) fixture.store.alerts.resolve(alert.id, 'test over');
  });

  it("comes with an index that matches its body: each vendor's slice, the head and the feed's newest statuses", async () => {
    const queries = publicQueries(fixture.store);
    const builders = {
      main: mainThreadBuilder({ store: fixture.store, queries, demoTime: false }),
      worker: workerBuilder({ path: fixture.store.db.name, demoTime: false }),
    };
    for (const [name, builder] of Object.entries(builders)) {
      const documents = statusDocuments({ store: fixture.store, clock: fixture.clock, queries, builder, ttlMs: 30 * SECOND });
      try {
        for (const admin of [false, true]) {
          const list = await documents.list('90d', admin);
          const text = list.raw.toString();
          const whole: VendorsDocument = JSON.parse(text);
          expect(JSON.stringify(whole), name).toBe(text);
          const { vendors, statuses, ...head } = list.index;
          expect(head).toEqual({ generatedAt: whole.generatedAt, window: whole.window, demoTime: whole.demoTime });
          expect(vendors.map((v) => [v.slug, v.name, v.rows])).toEqual(whole.vendors.map((v) => [v.slug, v.name, v.channels.length]));
          expect(documents.listedVendors(list, vendors)).toEqual(whole.vendors);
          expect(documents.listedVendor(list, whole.vendors[1]?.slug ?? '')).toEqual(whole.vendors[1]);
          expect(documents.listedVendor(list, 'no-such-vendor')).toBeUndefined();
          const expected = whole.vendors
            .flatMap((v) =>
              v.channels.flatMap((c) =>
                c.lastProbeAt === null
                  ? []
                  : [
                      {
                        slug: v.slug,
                        name: v.name,
                        channel: c.channel,
                        status: c.status,
                        lastProbeAt: c.lastProbeAt,
                        met: c.sla.met,
                        known: c.sla.known,
                        noReplyShare: c.noReplyShare,
                        n: c.n,
                      },
                    ],
              ),
            )
            .sort((a, b) => b.lastProbeAt - a.lastProbeAt)
            .slice(0, feedStatuses);
          expect(statuses.length).toBeGreaterThan(0);
          expect(statuses, name).toEqual(expected);
        }
      } finally {
        await documents.close();
      }
    }
  });
});

describe('the read-only store', () => {
  it('reads what the writer committed and refuses to write', () => {
    const reader = openStore(fixture.store.db.name, fixture.clock, { readOnly: true });
    try {
      expect(reader.vendors.all().map((v) => v.slug)).toEqual(fixture.store.vendors.all().map((v) => v.slug));
      expect(() => reader.db.exec('DELETE FROM probe_month_rollups')).toThrow(/readonly/i);
    } finally {
      reader.close();
    }
  });
});
