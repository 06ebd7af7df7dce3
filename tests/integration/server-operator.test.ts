// The signed-in operator: sign-in and sign-out, the session cookie, private vendors on every page, the trial page, no public trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { DAY, MINUTE } from '../../src/core/clock.ts';
import { trialSchema } from '../../src/config/trial.ts';
import type { Trial } from '../../src/trials/load.ts';
import { sessionCookieName } from '../../src/server/session.ts';
import { trialCandidates } from '../helpers/trial-candidates.ts';
import { defaultFixtureVendors, openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const adminToken = 'operator-token-for-tests-0123456789';
let fixture: FixtureStore;
let app: FastifyInstance;
let trial: Trial;
/** One session for the page tests: sign-in is rate limited per client. */
let operatorCookie: string;

const privateVendors = trialCandidates(25 * MINUTE);

function trialOf(now: number, id = 'cdn-q2'): Trial {
  const input = trialSchema.parse({ name: 'CDN support trial Q2', start: '2026-02-01', end: '2026-03-31', vendors: privateVendors.map((v) => v.slug) });
  const { start: _s, end: _e, ...rest } = input;
  return {
    ...rest,
    id,
    file: `trials/${id}.yaml`,
    from: now - 30 * DAY,
    to: now + DAY,
    channelsOf: { 'cand-alpha': ['email', 'chat'], 'cand-beta': ['email'], 'cand-gamma': ['email'] },
  };
}

beforeAll(async () => {
  fixture = openFixtureStore({ days: 30, vendors: [...defaultFixtureVendors, ...privateVendors] });
  trial = trialOf(fixture.clock.now());
  app = await buildApp({ store: fixture.store, clock: fixture.clock, adminToken, trials: [trial], evidenceDir: fixture.dir, trustProxy: 1 });
  await app.ready();
  operatorCookie = cookieOf((await signIn()).headers['set-cookie']);
});

afterAll(async () => {
  await app.close();
  fixture.close();
});

const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

async function signIn(token = adminToken, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/admin/sign-in', headers: { ...formHeaders, ...headers }, payload: form({ token, next: '/compare' }) });
}

function cookieOf(setCookie: string | string[] | undefined): string {
  const line = Array.isArray(setCookie) ? setCookie.find((c) => c.startsWith(sessionCookieName)) : setCookie;
  return (line ?? '').split(';')[0] ?? '';
}

describe('operator sign-in', () => {
  it('serves a sign-in form that posts the token', async () => {
    const res = await app.inject({ method: 'GET', url: '/admin/sign-in' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<form method="post" action="/admin/sign-in"');
    expect(res.body).toContain('name="token" type="password"');
  });

  it('sets an HttpOnly, SameSite=Strict session cookie holding a random id, never the token', async () => {
    const res = await signIn();
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/compare');
    const line = String(res.headers['set-cookie']);
    expect(line).toMatch(new RegExp(`^${sessionCookieName}=[A-Za-z0-9_-]{43}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict$`));
    expect(line).not.toContain(adminToken);
    expect(line).not.toContain(Buffer.from(adminToken).toString('base64'));
    const again = await signIn();
    expect(cookieOf(again.headers['set-cookie'])).not.toBe(cookieOf(res.headers['set-cookie']));
  });

  it('marks the cookie Secure when the page is served over TLS', async () => {
    const res = await signIn(adminToken, { 'x-forwarded-proto': 'https' });
    expect(String(res.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
  });

  it('refuses a wrong token with the form again and no cookie, a post from another site, and an open redirect', async () => {
    const wrong = await signIn('not-the-token');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.body).toContain('sign-in-error');
    const crossSites: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of crossSites) {
      const crossSite = await signIn(adminToken, headers);
      expect(crossSite.statusCode, JSON.stringify(headers)).toBe(403);
      expect(crossSite.headers['set-cookie']).toBeUndefined();
    }
    expect((await signIn(adminToken, { origin: 'null', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(303);
    const away = await app.inject({
      method: 'POST',
      url: '/admin/sign-in',
      headers: formHeaders,
      payload: form({ token: adminToken, next: '//evil.example/x' }),
    });
    expect(away.headers.location).toBe('/');
  });

  it('ends the session on sign-out: the same cookie no longer opens private pages', async () => {
    const cookie = cookieOf((await signIn()).headers['set-cookie']);
    expect((await app.inject({ method: 'GET', url: '/vendor/cand-beta', headers: { cookie } })).statusCode).toBe(200);
    const out = await app.inject({ method: 'POST', url: '/admin/sign-out', headers: { cookie, ...formHeaders }, payload: '' });
    expect(out.statusCode).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(new RegExp(`^${sessionCookieName}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`));
    expect((await app.inject({ method: 'GET', url: '/vendor/cand-beta', headers: { cookie } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/trial/${trial.id}`, headers: { cookie } })).statusCode).toBe(404);
  });
});

describe('private pages for the operator', () => {
  it('render private vendors and the trial on home, vendor, compare and trial pages, privately and uncached', async () => {
    const cookie = operatorCookie;
    const pages = ['/', '/vendor/cand-alpha', '/compare?vendors=cand-alpha,cand-beta,cand-gamma', `/trial/${trial.id}`];
    for (const url of pages) {
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('private, no-store');
      expect(res.headers.vary, url).toContain('Cookie');
      expect(res.body, url).toContain('Candidate Alpha');
      expect(res.body, url).toContain('action="/admin/sign-out"');
    }
    const home = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
    expect(home.body).toContain(`href="/trial/${trial.id}"`);
    // A private vendor has no badge or embed to share.
    expect((await app.inject({ method: 'GET', url: '/vendor/cand-alpha', headers: { cookie } })).body).not.toContain('/badge/cand-alpha');
  });

  it('puts the decision summary first on the trial page, then each vendor with per-tier medians and its probes', async () => {
    const cookie = operatorCookie;
    const html = (await app.inject({ method: 'GET', url: `/trial/${trial.id}`, headers: { cookie } })).body;
    const decision = html.indexOf('id="decision"');
    expect(decision).toBeGreaterThan(0);
    expect(decision).toBeLessThan(html.indexOf('id="vendor-cand-alpha"'));
    for (const dimension of ['first_reply', 'sla', 'coverage', 'consistency']) expect(html).toContain(`data-dimension="${dimension}"`);
    // Alpha (20 min) and Gamma (25 min) are close on P2 e-mail; Beta (6 h) never leads.
    const firstRow =
      /<tr data-dimension="first_reply" data-verdict="(\w+)"><th scope="row">First human reply · P2 · e-mail<\/th><td><strong>([^<]+)<\/strong>/.exec(html);
    expect(['Candidate Alpha', 'Candidate Gamma']).toContain(firstRow?.[2]);
    expect(html).toMatch(/data-dimension="sla" data-verdict="(real|not_detectable)"/);
    expect(html).toMatch(/No detectable difference with n = \d+ and \d+|Yes<\/strong> — p/);
    for (const v of privateVendors) expect(html).toContain(`id="vendor-${v.slug}"`);
    expect(html).toMatch(/<th scope="row">P3<\/th><td class="num">\d+<\/td><td>\d/);
    expect(html).toMatch(/<a href="\/admin\/probe\/\d+">\d+<\/a>/);
    const zh = (await app.inject({ method: 'GET', url: `/trial/${trial.id}?lang=zh-CN`, headers: { cookie } })).body;
    expect(zh).toContain('决策摘要');
  });

  it('opens for the admin token too, and answers 404 to anyone else, exactly like an unknown trial', async () => {
    expect((await app.inject({ method: 'GET', url: `/trial/${trial.id}`, headers: { authorization: `Bearer ${adminToken}` } })).statusCode).toBe(200);
    const anonymous = await app.inject({ method: 'GET', url: `/trial/${trial.id}` });
    const unknown = await app.inject({ method: 'GET', url: '/trial/no-such-trial' });
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.body).toBe(unknown.body);
    const forged = await app.inject({ method: 'GET', url: `/trial/${trial.id}`, headers: { cookie: `${sessionCookieName}=${'A'.repeat(43)}` } });
    expect(forged.statusCode).toBe(404);
  });

  it('never lets an operator view reach a public visitor through the response cache', async () => {
    const cookie = operatorCookie;
    for (const url of ['/', '/compare?vendors=cand-alpha,acme-cloud']) {
      const operator = await app.inject({ method: 'GET', url, headers: { cookie } });
      const visitor = await app.inject({ method: 'GET', url });
      const revalidated = await app.inject({ method: 'GET', url, headers: { 'if-none-match': String(operator.headers.etag) } });
      expect(visitor.statusCode).toBe(200);
      expect(visitor.body).not.toContain('Candidate');
      expect(visitor.headers['cache-control']).toContain('public');
      expect(revalidated.statusCode).toBe(200);
      expect(revalidated.body).not.toContain('Candidate');
    }
  });
});
