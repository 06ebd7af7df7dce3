// The trial page's export links: the report as the CLI writes it, in the page's language, for the operator only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { DAY, MINUTE } from '../../src/core/clock.ts';
import { trialSchema } from '../../src/config/trial.ts';
import type { Trial } from '../../src/trials/load.ts';
import { csvColumns } from '../../src/trials/render.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const adminToken = 'export-token-for-tests-0123456789';
const auth = { authorization: `Bearer ${adminToken}` };
let fixture: FixtureStore;
let app: FastifyInstance;
let trial: Trial;

beforeAll(async () => {
  fixture = openFixtureStore({
    days: 20,
    vendors: [
      { slug: 'cand-a', name: 'Candidate A', visibility: 'private', channels: [{ id: 'email', kind: 'email', medianMs: 20 * MINUTE, noReplyShare: 0 }] },
      { slug: 'cand-b', name: 'Candidate B', visibility: 'private', channels: [{ id: 'email', kind: 'email', medianMs: 90 * MINUTE, noReplyShare: 0.1 }] },
    ],
  });
  const now = fixture.clock.now();
  const input = trialSchema.parse({ name: 'Mail desk trial', start: '2026-02-01', end: '2026-03-31', vendors: ['cand-a', 'cand-b'] });
  const { start: _s, end: _e, ...rest } = input;
  trial = { ...rest, id: 'desk', file: 'trials/desk.yaml', from: now - 20 * DAY, to: now + DAY, channelsOf: { 'cand-a': ['email'], 'cand-b': ['email'] } };
  app = await buildApp({ store: fixture.store, clock: fixture.clock, adminToken, trials: [trial], evidenceDir: fixture.dir });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  fixture.close();
});

describe('trial report export from the trial page', () => {
  it("links every format in the page's language", async () => {
    const en = (await app.inject({ method: 'GET', url: '/trial/desk?lang=en', headers: auth })).body;
    for (const format of ['html', 'pdf', 'csv', 'json']) expect(en).toContain(`href="/trial/desk/report?format=${format}&amp;lang=en" download`);
    const zh = (await app.inject({ method: 'GET', url: '/trial/desk?lang=zh-CN', headers: auth })).body;
    expect(zh).toContain('导出报告');
    expect(zh).toContain('href="/trial/desk/report?format=html&amp;lang=zh-CN" download');
    expect(zh).toContain('href="/trial/desk/report?format=pdf&amp;lang=zh-CN" download');
  });

  it('serves the HTML report in Chinese with the decision summary first, private and uncached', async () => {
    const res = await app.inject({ method: 'GET', url: '/trial/desk/report?format=html&lang=zh-CN', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['content-disposition']).toBe('attachment; filename="desk-report.zh-CN.html"');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const html = res.body;
    expect(html).toContain('<html lang="zh-CN">');
    const decision = html.indexOf('<h2>决策摘要</h2>');
    expect(decision).toBeGreaterThan(0);
    expect(decision).toBeLessThan(html.indexOf('<h2>各厂商概览</h2>'));
    expect(decision).toBeLessThan(html.indexOf('id="vendor-cand-a"'));
    expect(html).toMatch(
      /<tr data-dimension="first_reply" data-verdict="\w+"><th scope="row">首次人工回复 · P2 · 电子邮件<\/th><td><strong>Candidate A<\/strong>/,
    );
    expect(html).not.toMatch(/<script\b/i);
    // Evidence links lead to the evidence viewer's downloads, not to a path on the operator's disk.
    expect(html).not.toContain('href="evidence/');
  });

  it('serves CSV and JSON the same in every language', async () => {
    const csv = await app.inject({ method: 'GET', url: '/trial/desk/report?format=csv&lang=zh-CN', headers: auth });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\n')[0]).toBe(csvColumns.join(','));
    const csvEn = await app.inject({ method: 'GET', url: '/trial/desk/report?format=csv&lang=en', headers: auth });
    expect(csv.body).toBe(csvEn.body);
    const json = await app.inject({ method: 'GET', url: '/trial/desk/report?format=json', headers: auth });
    const document: { format: string; decision: { rows: unknown[] }; caveatDetails: { code: string }[] } = json.json();
    expect(document.format).toBe('firstreply-trial-report/1');
    expect(document.decision.rows.length).toBeGreaterThan(0);
    expect(document.caveatDetails.map((c) => c.code)).toContain('still_running');
  });

  it('answers 404 to a visitor and 501 for a PDF when the server has no browser', async () => {
    const visitor = await app.inject({ method: 'GET', url: '/trial/desk/report?format=html' });
    expect(visitor.statusCode).toBe(404);
    expect(visitor.body).not.toContain('Candidate');
    expect((await app.inject({ method: 'GET', url: '/trial/nope/report?format=html', headers: auth })).statusCode).toBe(404);
    const pdf = await app.inject({ method: 'GET', url: '/trial/desk/report?format=pdf', headers: auth });
    expect(pdf.statusCode).toBe(501);
    expect(pdf.json()).toMatchObject({ error: { code: 'UNSUPPORTED' } });
    expect((await app.inject({ method: 'GET', url: '/trial/desk/report?format=docx', headers: auth })).statusCode).toBe(400);
  });
});
