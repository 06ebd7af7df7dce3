// The status server through inject: API documents, privacy (no private vendor, token, address or body), escaping, caching, admin.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { slugParams } from '../../src/server/http.ts';
import { vendorQuery } from '../../src/server/routes/public.ts';
import { buildStatsReport } from '../../src/metrics/report.ts';
import { tokenPattern } from '../../src/core/token.ts';
import { recordMessage } from '../../src/replies/record.ts';
import { DAY, HOUR, MINUTE } from '../../src/core/clock.ts';
import { trialSchema } from '../../src/config/trial.ts';
import { defaultFixtureVendors, openFixtureStore, secretMarkers, type FixtureStore, type FixtureVendor } from '../helpers/fixture-store.ts';

const adminToken = 'admin-secret-for-tests-0123456789';
const xssName = '<script>window.__pwned = 1</script> "Evil" & Co';
const vendors: FixtureVendor[] = [
  ...defaultFixtureVendors,
  { slug: 'evil-corp', name: xssName, timezone: 'UTC', channels: [{ id: 'email', kind: 'email', medianMs: 5 * HOUR, noReplyShare: 0.2 }] },
  { slug: 'new-vendor', name: 'New Vendor', timezone: 'UTC', channels: [{ id: 'email', kind: 'email', medianMs: 30 * MINUTE, noReplyShare: 0, perDay: 0.03 }] },
];
const statuses = ['meeting_sla', 'slower_than_sla', 'not_answering', 'insufficient_data'];

let fixture: FixtureStore;
let app: FastifyInstance;
const triggered: Array<[string, string]> = [];

beforeAll(async () => {
  fixture = openFixtureStore({ vendors });
  const {
    start: _s,
    end: _e,
    ...trialInput
  } = trialSchema.parse({ name: 'Hidden Lab trial', start: '2026-01-01', end: '2026-12-31', vendors: ['hidden-lab', 'acme-cloud'] });
  const now = fixture.clock.now();
  app = await buildApp({
    store: fixture.store,
    clock: fixture.clock,
    adminToken,
    evidenceDir: fixture.dir,
    trials: [
      {
        ...trialInput,
        id: 'hidden-trial',
        file: 'trials/hidden-trial.yaml',
        from: now - 60 * DAY,
        to: now,
        channelsOf: { 'hidden-lab': ['email'], 'acme-cloud': ['email', 'chat'] },
      },
    ],
    triggerProbe: async (vendor, channel) => {
      triggered.push([vendor, channel]);
      return { probeId: 4242 };
    },
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  fixture.close();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const admin = { authorization: `Bearer ${adminToken}` };

/** Everything a public reader can request about the fixture's public vendors. */
function publicUrls(): string[] {
  const urls = [
    '/',
    '/compare',
    '/methodology',
    '/feed.atom',
    '/healthz',
    '/api/v1',
    '/api/v1/vendors',
    '/api/v1/vendors?window=all',
    `/api/v1/compare?vendors=${vendors
      .filter((v) => v.visibility !== 'private')
      .map((v) => v.slug)
      .join(',')}`,
    `/compare?vendors=acme-cloud&vendors=evil-corp&window=90d`,
  ];
  for (const vendor of vendors.filter((v) => v.visibility !== 'private')) {
    urls.push(
      `/vendor/${vendor.slug}`,
      `/api/v1/vendors/${vendor.slug}`,
      `/api/v1/vendors/${vendor.slug}/probes?limit=2000&window=all`,
      `/api/v1/vendors/${vendor.slug}/daily`,
      `/api/v1/vendors/${vendor.slug}/hour-of-week`,
      `/api/v1/vendors/${vendor.slug}/hour-of-week?tz=utc`,
    );
    for (const channel of vendor.channels) urls.push(`/badge/${vendor.slug}/${channel.id}.svg`, `/badge/${vendor.slug}/${channel.id}.svg?metric=sla`);
  }
  return urls;
}

describe('public API', () => {
  it('lists every public vendor and channel with a status, never the private one', async () => {
    const res = await get('/api/v1/vendors');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const slugs = doc.vendors.map((v: { slug: string }) => v.slug).sort();
    expect(slugs).toEqual(
      vendors
        .filter((v) => v.visibility !== 'private')
        .map((v) => v.slug)
        .sort(),
    );
    for (const vendor of doc.vendors) {
      for (const channel of vendor.channels) {
        expect(statuses).toContain(channel.status);
        expect(channel.days.withinSla.length).toBeGreaterThan(80);
      }
    }
  });

  it('keeps the list compact and in agreement with the full report of each vendor', async () => {
    const doc = (await get('/api/v1/vendors')).json();
    const acme = doc.vendors.find((v: { slug: string }) => v.slug === 'acme-cloud');
    const full = (await get('/api/v1/vendors/acme-cloud')).json().vendors[0];
    const second = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000) * 1000);
    for (const channel of acme.channels) {
      expect(Object.keys(channel).sort()).toEqual([
        'awaitingReview',
        'channel',
        'ci95Ms',
        'days',
        'incident',
        'kind',
        'lastProbeAt',
        'medianMs',
        'n',
        'noReplyShare',
        'open',
        'sla',
        'status',
      ]);
      const stats = full.channels.find((c: { channel: string }) => c.channel === channel.channel);
      expect(channel.awaitingReview).toBe(stats.awaitingReview);
      const { value, low, high } = stats.human.median;
      expect(channel.medianMs).toBe(second(value));
      expect(channel.ci95Ms).toEqual([second(low), second(high)]);
      expect(channel.n).toBe(stats.human.n);
      const met = stats.sla.reduce((sum: number, row: { met: number }) => sum + row.met, 0);
      const known = stats.sla.reduce((sum: number, row: { n: number }) => sum + row.n, 0);
      expect(channel.sla).toEqual({ met, known });
      expect(channel.lastProbeAt).toBe(second(stats.lastProbeAt));
      type Day = { day: string; probes: number; withinSla: number; missedSla: number; noReply: number; open: number };
      const daily: Day[] = stats.daily;
      expect(channel.days).toEqual({
        first: daily[0]?.day,
        last: daily.at(-1)?.day,
        withinSla: daily.map((d) => d.withinSla),
        missedSla: daily.map((d) => d.missedSla),
        noReply: daily.map((d) => d.noReply),
        open: daily.map((d) => d.open),
      });
      expect(channel.days.last).toBe(new Date(fixture.clock.now()).toISOString().slice(0, 10));
      expect(daily.map((_d, i) => channel.days.withinSla[i] + channel.days.missedSla[i] + channel.days.noReply[i] + channel.days.open[i])).toEqual(
        daily.map((d) => d.probes),
      );
      expect(channel.open.map((o: { id: number }) => o.id)).toEqual(stats.openProbes.map((p: { id: number }) => p.id));
      expect(channel.incident).toBe(stats.incident);
    }
  });

  it('does not call a channel with too few probes green', async () => {
    const doc = (await get('/api/v1/vendors')).json();
    const fresh = doc.vendors.find((v: { slug: string }) => v.slug === 'new-vendor');
    expect(fresh.channels[0].n).toBeLessThan(5);
    expect(fresh.channels[0].status).toBe('insufficient_data');
    const silent = doc.vendors.find((v: { slug: string }) => v.slug === 'silent-systems');
    expect(silent.channels[0].status).toBe('not_answering');
  });

  it('serves the same report as `firstreply stats --json` for one vendor', async () => {
    const res = await get('/api/v1/vendors/acme-cloud?window=30d');
    expect(res.statusCode).toBe(200);
    const expected = buildStatsReport(fixture.store, { now: fixture.clock.now(), vendor: 'acme-cloud', window: '30d', includePrivate: false });
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('lists probes with timings and timeline labels only', async () => {
    const res = await get('/api/v1/vendors/acme-cloud/probes?channel=email&limit=50');
    expect(res.statusCode).toBe(200);
    const { probes } = res.json();
    expect(probes).toHaveLength(50);
    const allowed = [
      'id',
      'channel',
      'kind',
      'tier',
      'template',
      'language',
      'state',
      'scheduledAt',
      'sentAt',
      'deadlineAt',
      'expiresAt',
      'firstAckAt',
      'firstBotAt',
      'firstHumanAt',
      'closedAt',
      'resolvedAt',
      'virtualClock',
      'awaitingReviewSince',
      'timeline',
    ];
    for (const probe of probes) {
      expect(Object.keys(probe).sort()).toEqual([...allowed].sort());
      expect(probe.channel).toBe('email');
      for (const entry of probe.timeline) expect(Object.keys(entry).sort()).toEqual(['label', 'receivedAt', 'reviewed']);
    }
    const answered = probes.find((p: { firstHumanAt: number | null }) => p.firstHumanAt !== null);
    expect(answered.timeline.some((m: { label: string }) => m.label === 'human')).toBe(true);
    expect(probes[0].sentAt).toBeGreaterThanOrEqual(probes[probes.length - 1].sentAt);
  });

  it('has a 90-day daily series and a 168-cell hour-of-week matrix', async () => {
    const daily = (await get('/api/v1/vendors/northwind-video/daily')).json();
    expect(daily.channels.map((c: { channel: string }) => c.channel).sort()).toEqual(['email', 'form']);
    expect(daily.channels[0].daily.length).toBeGreaterThanOrEqual(90);
    const hours = (await get('/api/v1/vendors/northwind-video/hour-of-week?channel=email')).json();
    expect(hours.timezone).toBe('America/New_York');
    expect(hours.channels).toHaveLength(1);
    expect(hours.channels[0].cells).toHaveLength(168);
    const probed = hours.channels[0].cells.reduce((sum: number, c: { n: number }) => sum + c.n, 0);
    expect(probed).toBeGreaterThan(50);
  });

  it('compares several vendors side by side', async () => {
    const res = await get('/api/v1/compare?vendors=acme-cloud,silent-systems&window=90d');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.vendors.map((v: { slug: string }) => v.slug)).toEqual(['acme-cloud', 'silent-systems']);
    const [acme, silent] = doc.vendors;
    expect(acme.responseTime.median.value).toBeLessThan(HOUR * 6);
    expect(silent.responseTime.noReplyShare).toBeGreaterThan(0.8);
    expect(acme.channels.total).toBe(2);
    expect(acme.quality.channels.map((c: { channel: string }) => c.channel).sort()).toEqual(['chat', 'email']);
    for (const key of ['firstContact', 'canned', 'askedForGiven']) expect(Object.keys(acme.quality[key]).sort()).toEqual(['count', 'n', 'share']);
    const email = acme.quality.channels.find((c: { channel: string }) => c.channel === 'email');
    expect(email.firstReplyMedianMs).toBeLessThan(HOUR * 6);
    expect(email).toHaveProperty('resolutionMedianMs');
  });

  it('rejects bad input with a stable code', async () => {
    const res = await get('/api/v1/vendors?window=5y');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BAD_INPUT');
    expect((await get('/api/v1/vendors/NOT%20A%20SLUG')).statusCode).toBe(400);
    expect((await get('/api/v1/vendors/nobody')).json().error.code).toBe('NOT_FOUND');
    expect((await get('/api/v1/vendors/acme-cloud?channel=fax')).statusCode).toBe(404);
  });

  it("validates a request's query and parameters once, by the route's schema, not again in the handler", async () => {
    const query = vi.spyOn(vendorQuery, 'safeParse');
    const params = vi.spyOn(slugParams, 'safeParse');
    try {
      expect((await get('/api/v1/vendors/acme-cloud?window=30d')).statusCode).toBe(200);
      expect(query).toHaveBeenCalledTimes(1);
      expect(params).toHaveBeenCalledTimes(1);
    } finally {
      query.mockRestore();
      params.mockRestore();
    }
  });

  it('answers /healthz', async () => {
    const res = await get('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, now: fixture.clock.now() });
  });
});

describe('privacy', () => {
  it('no public route ever returns the private vendor, a trial, a token, an address or a message body', async () => {
    const forbidden = [
      'hidden-lab',
      'Hidden Lab',
      'hidden-trial',
      secretMarkers.agentAddress,
      secretMarkers.bodyPhrase,
      secretMarkers.subjectPhrase,
      'support@',
      '.example',
    ];
    const urls = publicUrls();
    // A signed-in operator looks at every page first (private vendors and the trial): none of it may reach a visitor.
    const signIn = await app.inject({
      method: 'POST',
      url: '/admin/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${adminToken}`,
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    for (const url of [...urls, '/vendor/hidden-lab', '/compare?vendors=hidden-lab,acme-cloud', '/trial/hidden-trial']) {
      const res = await get(url, { cookie });
      if (!url.startsWith('/api/') && !url.startsWith('/badge/') && !['/feed.atom', '/healthz', '/methodology'].includes(url))
        expect(res.headers['cache-control'], url).toBe('private, no-store');
    }
    expect((await get('/trial/hidden-trial', { cookie })).body).toContain('Hidden Lab');
    expect(urls.length).toBeGreaterThan(40);
    for (const url of urls) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      for (const word of forbidden) expect(res.body.includes(word), `${url} contains ${word}`).toBe(false);
      expect(tokenPattern.test(res.body), `${url} contains a probe token`).toBe(false);
    }
    expect(fixture.fill.tokens.length).toBeGreaterThan(500);
  });

  it('answers 404 for the private vendor on every public route, exactly like an unknown one', async () => {
    for (const url of [
      '/api/v1/vendors/hidden-lab',
      '/api/v1/vendors/hidden-lab/probes',
      '/api/v1/vendors/hidden-lab/daily',
      '/api/v1/vendors/hidden-lab/hour-of-week',
      '/api/v1/compare?vendors=acme-cloud,hidden-lab',
      '/vendor/hidden-lab',
      '/badge/hidden-lab/email.svg',
      '/trial/hidden-trial',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('Hidden Lab');
    }
    const compare = await get('/compare?vendors=hidden-lab');
    expect(compare.body).not.toContain('Hidden Lab');
  });

  it('shows the private vendor to the admin token only, and never caches that view publicly', async () => {
    const res = await get('/api/v1/vendors', admin);
    expect(res.json().vendors.map((v: { slug: string }) => v.slug)).toContain('hidden-lab');
    expect(res.headers['cache-control']).toContain('no-store');
    expect((await get('/api/v1/vendors/hidden-lab', admin)).statusCode).toBe(200);
    const wrong = await get('/api/v1/vendors/hidden-lab', { authorization: 'Bearer wrong' });
    expect(wrong.statusCode).toBe(404);
    const afterwards = await get('/api/v1/vendors');
    expect(afterwards.body).not.toContain('hidden-lab');
  });
});

describe('escaping', () => {
  it('never puts a vendor-controlled string into markup unescaped', async () => {
    const home = await get('/');
    expect(home.body).not.toContain('<script>window.__pwned');
    expect(home.body).toContain('\\u003cscript\\u003ewindow.__pwned');
    const vendorPage = await get('/vendor/evil-corp');
    expect(vendorPage.statusCode).toBe(200);
    expect(vendorPage.body).not.toContain('<script>window.__pwned');
    expect(vendorPage.body).toContain('&lt;script&gt;window.__pwned');
    const feed = await get('/feed.atom');
    expect(feed.body).not.toContain('<script>');
    expect(feed.body).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt; &quot;Evil&quot; &amp; Co');
    const api = await get('/api/v1/vendors/evil-corp');
    expect(api.json().vendors[0].vendor.name).toBe(xssName);
    expect(api.headers['content-type']).toContain('application/json');
  });

  it('sends a strict content security policy and companions on every response', async () => {
    for (const url of ['/', '/api/v1/vendors', '/assets/home.js', '/nowhere']) {
      const res = await get(url);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('caching and compression', () => {
  it('answers 304 to a matching ETag and changes the ETag when a result is written', async () => {
    const own = openFixtureStore({ vendors: defaultFixtureVendors.filter((v) => v.slug === 'silent-systems'), days: 30 });
    const server = await buildApp({ store: own.store, clock: own.clock });
    try {
      const url = '/api/v1/vendors/silent-systems';
      const first = await server.inject({ url });
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^".+"$/);
      const again = await server.inject({ url, headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');

      const probe = own.store.probes.inStates(['expired']).find((p) => p.vendor === 'silent-systems');
      expect(probe).toBeDefined();
      if (!probe) return;
      const before = first.json().vendors[0].channels[0].human.events;
      recordMessage(own.store, {
        probe_id: probe.id,
        source: 'imap',
        mailbox: 'default',
        folder: 'INBOX',
        uidvalidity: 1,
        uid: 999_999,
        message_id: '<late@vendor.example>',
        in_reply_to: null,
        subject: 'Re: late',
        from_addr: 'late@vendor.example',
        received_at: own.clock.now() - MINUTE,
        detected_at: own.clock.now(),
        header_date: null,
        raw_path: null,
        raw_sha256: null,
        size: 10,
        headers: '{}',
        body_text: 'late answer',
        label: 'human',
        confidence: 0.9,
        reasons: '[]',
        match_method: 'token',
        parse_error: null,
      });
      const after = await server.inject({ url, headers: { 'if-none-match': etag } });
      expect(after.statusCode).toBe(200);
      expect(after.headers.etag).not.toBe(etag);
      expect(after.json().vendors[0].channels[0].human.events).toBe(before + 1);
    } finally {
      await server.close();
      own.close();
    }
  });

  it('sends pre-compressed JSON that decompresses to the plain body', async () => {
    const plain = await get('/api/v1/vendors');
    const gz = await app.inject({ method: 'GET', url: '/api/v1/vendors', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    const br = await app.inject({ method: 'GET', url: '/api/v1/vendors', headers: { 'accept-encoding': 'br;q=1, gzip;q=0.5' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    for (const res of [plain, gz, br]) {
      expect(res.headers['content-length']).toBe(String(res.rawPayload.length));
      expect(res.headers.vary).toBe('Accept-Encoding, Authorization');
      expect(res.headers.etag).toBe(plain.headers.etag);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
    expect(plain.headers['content-encoding']).toBeUndefined();
    const listed = await app.inject({ method: 'GET', url: '/api/v1/vendors', headers: { 'if-none-match': `"other", ${String(plain.headers.etag)}` } });
    expect(listed.statusCode).toBe(304);
    expect(listed.headers.etag).toBe(plain.headers.etag);
  });

  it('serves the site and uPlot from this server, with ETags, and nothing else of node_modules', async () => {
    for (const url of ['/assets/home.js', '/assets/style.css', '/assets/uplot/uPlot.iife.min.js', '/assets/uplot/uPlot.min.css']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers.etag, url).toBeDefined();
    }
    expect((await get('/assets/uplot/package.json')).statusCode).toBe(404);
    expect((await get('/assets/uplot/uPlot.cjs.js')).statusCode).toBe(404);
    expect((await get('/assets/../package.json')).statusCode).toBe(404);
  });
});

describe('pages, badges and feed', () => {
  it('picks the language from ?lang=, then the cookie, then Accept-Language', async () => {
    const zh = await get('/', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    expect(zh.body).toContain('<html lang="zh-CN">');
    expect(zh.body).toContain('各厂商、各渠道的客服响应情况');
    expect(zh.headers.vary).toContain('Accept-Language');
    const en = await get('/?lang=en', { 'accept-language': 'zh-CN' });
    expect(en.body).toContain('<html lang="en">');
    expect(String(en.headers['set-cookie'])).toContain('lang=en');
    const remembered = await get('/methodology', { cookie: 'lang=zh-CN', 'accept-language': 'en' });
    expect(remembered.body).toContain('测量方法');
    expect((await get('/', { 'accept-language': 'fr-FR, de' })).body).toContain('<html lang="en">');
  });

  it('renders each page with its document for the script, and 404 pages in HTML', async () => {
    for (const url of ['/', '/vendor/acme-cloud', '/compare?vendors=acme-cloud,blue-harbor', '/methodology']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('<main id="main"');
    }
    expect((await get('/vendor/acme-cloud')).body).toContain('uPlot.iife.min.js');
    const missing = await get('/vendor/nobody');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('text/html');
  });

  it('labels demo figures on every page when the clock is simulated', async () => {
    const demo = await buildApp({ store: fixture.store, clock: fixture.clock, demoTime: true });
    try {
      for (const url of ['/', '/vendor/acme-cloud', '/compare', '/methodology'])
        expect((await demo.inject({ url })).body, url).toContain('class="demo-banner"');
      expect((await demo.inject({ url: '/api/v1/vendors' })).json().demoTime).toBe(true);
    } finally {
      await demo.close();
    }
    expect((await get('/')).body).not.toContain('class="demo-banner"');
  });

  it('draws badges with the median or the SLA share', async () => {
    const median = await get('/badge/blue-harbor/email.svg');
    expect(median.headers['content-type']).toContain('image/svg+xml');
    expect(median.body).toMatch(/<svg[^>]*aria-label="email first reply: \d+ (m|h)/);
    const sla = await get('/badge/blue-harbor/email.svg?metric=sla');
    expect(sla.body).toMatch(/email SLA: \d+%/);
    const fresh = await get('/badge/new-vendor/email.svg');
    expect(fresh.body).toContain('insufficient data');
    expect((await get('/badge/acme-cloud/fax.svg')).statusCode).toBe(404);
  });

  it('publishes an Atom feed of status changes of public vendors', async () => {
    const res = await get('/feed.atom');
    expect(res.headers['content-type']).toContain('application/atom+xml');
    expect(res.body.startsWith('<?xml')).toBe(true);
    const entries = res.body.match(/<entry>/g) ?? [];
    expect(entries.length).toBeGreaterThanOrEqual(7);
    expect(res.body).toContain('Silent Systems / email: Not answering');
    const configured = await buildApp({ store: fixture.store, clock: fixture.clock, publicUrl: 'https://status.example.org/' });
    try {
      const feed = (await configured.inject({ url: '/feed.atom' })).body;
      expect(feed).toContain('<link rel="self" type="application/atom+xml" href="https://status.example.org/feed.atom"/>');
      expect(feed).toContain('href="https://status.example.org/vendor/silent-systems"');
    } finally {
      await configured.close();
    }
  });
});

describe('admin routes', () => {
  it('answer 401 without the token or with a wrong one', async () => {
    expect((await get('/api/v1/admin/vendors')).statusCode).toBe(401);
    const wrong = await get('/api/v1/admin/vendors', { authorization: `Bearer ${adminToken}x` });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('UNAUTHORIZED');
    const post = await app.inject({ method: 'POST', url: '/api/v1/admin/probes', payload: { vendor: 'acme-cloud', channel: 'email' } });
    expect(post.statusCode).toBe(401);
    expect(triggered).toHaveLength(0);
  });

  it('are all closed when no admin token is configured', async () => {
    const closed = await buildApp({ store: fixture.store, clock: fixture.clock });
    try {
      const res = await closed.inject({ url: '/api/v1/admin/vendors', headers: { authorization: 'Bearer ' } });
      expect(res.statusCode).toBe(401);
      expect((await closed.inject({ url: '/api/v1/vendors/hidden-lab', headers: { authorization: 'Bearer undefined' } })).statusCode).toBe(404);
    } finally {
      await closed.close();
    }
  });

  it('list private vendors, trigger a probe, pause a vendor, and review a label', async () => {
    const list = await get('/api/v1/admin/vendors', admin);
    expect(list.statusCode).toBe(200);
    expect(list.json().flags['hidden-lab']).toEqual({ visibility: 'private', paused: false });

    const trigger = await app.inject({ method: 'POST', url: '/api/v1/admin/probes', headers: admin, payload: { vendor: 'hidden-lab', channel: 'email' } });
    expect(trigger.statusCode).toBe(202);
    expect(trigger.json()).toEqual({ probeId: 4242, vendor: 'hidden-lab', channel: 'email' });
    expect(triggered).toEqual([['hidden-lab', 'email']]);
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/admin/probes', headers: admin, payload: { vendor: 'acme-cloud', channel: 'fax' } });
    expect(unknown.statusCode).toBe(404);

    const pause = await app.inject({ method: 'POST', url: '/api/v1/admin/vendors/northwind-video/pause', headers: admin, payload: { paused: true } });
    expect(pause.statusCode).toBe(200);
    expect(fixture.store.vendors.get('northwind-video')?.paused).toBe(1);
    await app.inject({ method: 'POST', url: '/api/v1/admin/vendors/northwind-video/pause', headers: admin, payload: { paused: false } });

    const queue = await get('/api/v1/admin/review-queue?limit=5', admin);
    expect(queue.statusCode).toBe(200);
    const [first] = queue.json().messages;
    expect(first.confidence).toBeLessThan(0.75);
    const review = await app.inject({ method: 'POST', url: '/api/v1/admin/reviews', headers: admin, payload: { messageId: first.id, label: 'auto_ack' } });
    expect(review.statusCode).toBe(200);
    expect(fixture.store.messages.get(first.id)?.effective_label).toBe('auto_ack');
    const bad = await app.inject({ method: 'POST', url: '/api/v1/admin/reviews', headers: admin, payload: { messageId: first.id, label: 'maybe' } });
    expect(bad.statusCode).toBe(400);
  });

  it('mark whether a reply resolves the question, and the probes list and the compare scorecard follow', async () => {
    const reply = fixture.store.db
      .prepare<[], { id: number; probe_id: number; channel: string }>(`SELECT m.id, m.probe_id, c.channel FROM messages m
      JOIN probes p ON p.id = m.probe_id JOIN channels c ON c.id = p.channel_id
      WHERE c.vendor = 'acme-cloud' AND m.label = 'human' AND m.received_at = p.first_human_at ORDER BY m.received_at DESC LIMIT 1`)
      .get();
    if (!reply) throw new Error('the fixture has no human reply of acme-cloud');
    const before = (await get('/api/v1/compare?vendors=acme-cloud&window=all')).json().vendors[0].quality;
    const queued = async (): Promise<number[]> =>
      (await get('/api/v1/admin/resolution-queue?limit=500', admin)).json().replies.map((r: { id: number }) => r.id);
    expect(await queued()).toContain(reply.id);
    const mark = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/resolutions',
      headers: admin,
      payload: { messageId: reply.id, resolves: true, reviewer: 'ops' },
    });
    expect(mark.statusCode).toBe(200);
    expect(mark.json()).toMatchObject({ messageId: reply.id, resolves: true, probeId: reply.probe_id });
    expect(mark.json().resolvedAt).toEqual(expect.any(Number));
    const probes = (await get(`/api/v1/vendors/acme-cloud/probes?window=all&limit=2000&channel=${reply.channel}`)).json().probes;
    expect(probes.find((p: { id: number }) => p.id === reply.probe_id).resolvedAt).toBe(mark.json().resolvedAt);
    const after = (await get('/api/v1/compare?vendors=acme-cloud&window=all')).json().vendors[0].quality;
    expect(after.measured).toBe(before.measured + 1);
    expect(after.firstContact.count).toBe(before.firstContact.count + 1);
    const channel = after.channels.find((c: { channel: string }) => c.channel === reply.channel);
    expect(channel.measured).toBeGreaterThan(0);

    expect(await queued()).not.toContain(reply.id);
    expect((await get('/api/v1/admin/resolution-queue')).statusCode).toBe(401);
    const undo = await app.inject({ method: 'POST', url: '/api/v1/admin/resolutions', headers: admin, payload: { messageId: reply.id, resolves: false } });
    expect(undo.json().resolvedAt).toBeNull();
    const unresolved = (await get(`/api/v1/vendors/acme-cloud/probes?window=all&limit=2000&channel=${reply.channel}`)).json().probes;
    expect(unresolved.find((p: { id: number }) => p.id === reply.probe_id).resolvedAt).toBeNull();
    expect((await get('/api/v1/compare?vendors=acme-cloud&window=all')).json().vendors[0].quality.firstContact.count).toBe(before.firstContact.count);

    expect((await app.inject({ method: 'POST', url: '/api/v1/admin/resolutions', payload: { messageId: reply.id, resolves: true } })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/admin/resolutions', headers: admin, payload: { messageId: 99_999_999, resolves: true } })).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/admin/resolutions', headers: admin, payload: { messageId: reply.id, resolves: 'yes' } })).statusCode,
    ).toBe(400);
  });

  it('answer 501 to a trigger when the server has no probe runner', async () => {
    const readOnly = await buildApp({ store: fixture.store, clock: fixture.clock, adminToken });
    try {
      const res = await readOnly.inject({ method: 'POST', url: '/api/v1/admin/probes', headers: admin, payload: { vendor: 'acme-cloud', channel: 'email' } });
      expect(res.statusCode).toBe(501);
      expect(res.json().error.code).toBe('UNSUPPORTED');
    } finally {
      await readOnly.close();
    }
  });
});

describe('rate limiting', () => {
  it('limits the routes that compute on demand, not the cached ones', async () => {
    const limited = await buildApp({ store: fixture.store, clock: fixture.clock, rateLimit: { max: 3, timeWindowMs: 60_000 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.inject({ url: `/api/v1/compare?vendors=acme-cloud,blue-harbor&window=7d` })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const probeCodes: number[] = [];
      for (let i = 0; i < 4; i++) probeCodes.push((await limited.inject({ url: '/api/v1/vendors/acme-cloud/probes' })).statusCode);
      expect(probeCodes).toEqual([200, 200, 200, 429]);
      const last = await limited.inject({ url: '/api/v1/vendors/acme-cloud/probes' });
      expect(last.json().error.code).toBe('RATE_LIMITED');
      for (let i = 0; i < 10; i++) expect((await limited.inject({ url: '/api/v1/vendors' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('probes awaiting review', () => {
  it('are counted as a plain field of the vendor, channel and list documents, and settle when a person labels the reply', async () => {
    const own = openFixtureStore({ vendors: defaultFixtureVendors.filter((v) => v.slug === 'blue-harbor') });
    const server = await buildApp({ store: own.store, clock: own.clock, adminToken });
    try {
      const read = async () => {
        const list = (await server.inject({ method: 'GET', url: '/api/v1/vendors' })).json();
        const full = (await server.inject({ method: 'GET', url: '/api/v1/vendors/blue-harbor' })).json().vendors[0];
        return { row: list.vendors[0].channels[0], vendor: full, channel: full.channels[0] };
      };
      const before = await read();
      expect(before.vendor.awaitingReview).toBe(0);
      const channelId = own.store.vendors.channel('blue-harbor', 'email')?.id ?? 0;
      const sentAt = own.clock.now() - 9 * 24 * HOUR;
      const probe = own.store.probes.create({ token: 'FR-AWAITREVW1', channelId, template: 'question-p3', tier: 'P3', language: 'en', scheduledAt: sentAt });
      own.store.probes.markSending(probe.id);
      own.store.probes.markSent(probe.id, { sentAt, deadlineAt: sentAt + 8 * HOUR, expiresAt: sentAt + 7 * 24 * HOUR });
      const messageId = recordMessage(own.store, {
        probe_id: probe.id,
        source: 'imap',
        mailbox: 'default',
        folder: 'INBOX',
        uidvalidity: 9,
        uid: 1,
        message_id: null,
        in_reply_to: null,
        subject: 'Re: question',
        from_addr: 'desk@blue-harbor.example',
        received_at: sentAt + HOUR,
        detected_at: sentAt + HOUR + 2000,
        header_date: null,
        raw_path: null,
        raw_sha256: null,
        size: 100,
        headers: null,
        body_text: 'Noted.',
        label: 'unknown',
        confidence: 0.3,
        reasons: '[]',
        match_method: 'token',
        parse_error: null,
      });
      own.store.probes.expireDue(own.clock.now());
      own.clock.advance(1000);

      const waiting = await read();
      expect(waiting.vendor.awaitingReview).toBe(1);
      expect(waiting.channel.awaitingReview).toBe(1);
      expect(waiting.row.awaitingReview).toBe(1);
      expect(waiting.channel.human.n).toBe(before.channel.human.n);
      expect(waiting.row.noReplyShare).toBe(before.row.noReplyShare);
      const listed = (await server.inject({ method: 'GET', url: '/api/v1/vendors/blue-harbor/probes?limit=500&window=all' })).json().probes;
      expect(listed.find((p: { id: number }) => p.id === probe.id)).toMatchObject({ state: 'sent', awaitingReviewSince: sentAt + HOUR });
      expect(listed.filter((p: { awaitingReviewSince: number | null }) => p.awaitingReviewSince !== null)).toHaveLength(1);

      const review = await server.inject({ method: 'POST', url: '/api/v1/admin/reviews', headers: admin, payload: { messageId, label: 'human' } });
      expect(review.statusCode).toBe(200);
      const settled = await read();
      expect(settled.channel.awaitingReview).toBe(0);
      expect(settled.channel.human.n).toBe(before.channel.human.n + 1);
      expect(settled.channel.human.events).toBe(before.channel.human.events + 1);
    } finally {
      await server.close();
      own.close();
    }
  });
});
