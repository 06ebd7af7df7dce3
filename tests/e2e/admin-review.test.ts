// The admin review page in real headless Chromium: token refused or kept, queue with reasons, relabel moves the statistics, vendor text stays text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { recordMessage } from '../../src/replies/record.ts';
import { openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

const adminToken = 'review-page-token-3f9c1e';
const hostileBody = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> Your case is <b>open</b>.';
const hostileReason = 'unknown: <img src=x onerror="window.__pwned=3"> conflicting signals';

interface QueueItem {
  id: number;
  probeId: number | null;
  receivedAt: number;
  label: string;
  confidence: number;
  reasons: string[];
  excerpt: string;
}
interface ChannelDoc {
  channel: string;
  unconfirmedLabels: number;
}
interface VendorReport {
  vendors: { channels: ChannelDoc[] }[];
}

let fixture: FixtureStore;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let hostileId: number;

async function api<T>(path: string, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body: T = await res.json();
  return { status: res.status, body };
}

/** The vendor report's count of labels no person has confirmed, for one channel. */
async function unconfirmed(vendor: string, channel: string): Promise<number> {
  const { body } = await api<VendorReport>(`/api/v1/vendors/${vendor}`, adminToken);
  const found = body.vendors[0]?.channels.find((c) => c.channel === channel);
  if (!found) throw new Error(`no ${vendor}/${channel} in the vendor report`);
  expect(typeof found.unconfirmedLabels).toBe('number');
  return found.unconfirmedLabels;
}

async function openPage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const res = await page.goto(`${base}/admin/review`);
  expect(res?.status()).toBe(200);
  await page.waitForSelector('body[data-rendered="true"]');
  return { context, page, problems };
}

async function unlock(page: Page, token: string): Promise<void> {
  await page.fill('#admin-token', token);
  await page.fill('#reviewer', 'Dana');
  await page.click('#token-form button[type="submit"]');
}

beforeAll(async () => {
  fixture = openFixtureStore({ days: 20 });
  const { store, clock } = fixture;
  const probe = fixture.fill.tokens.map((t) => store.probes.byToken(t)).find((p) => p?.vendor === 'acme-cloud' && p.channel === 'email' && p.sent_at !== null);
  if (!probe) throw new Error('fixture has no sent acme-cloud e-mail probe');
  const id = recordMessage(store, {
    probe_id: probe.id,
    source: 'imap',
    mailbox: 'default',
    folder: 'INBOX',
    uidvalidity: 1,
    uid: 900_001,
    message_id: '<hostile@vendor.example>',
    in_reply_to: null,
    subject: '<script>window.__pwned=4</script>Re: case',
    from_addr: 'desk@acme-cloud.example',
    received_at: clock.now() - 60_000,
    detected_at: clock.now(),
    header_date: null,
    raw_path: null,
    raw_sha256: null,
    size: 400,
    headers: '{}',
    body_text: hostileBody,
    label: 'unknown',
    confidence: 0.3,
    reasons: JSON.stringify([hostileReason, "human: signed by a person's name"]),
    match_method: 'token',
    parse_error: null,
  });
  if (id === undefined) throw new Error('hostile message not stored');
  hostileId = id;
  app = await buildApp({ store, clock, adminToken });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  fixture?.close();
});

describe('admin review page', () => {
  it('serves a shell without data under the strict CSP, and the API refuses a wrong token', async () => {
    const res = await fetch(`${base}/admin/review`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect(html).not.toContain('desk@acme-cloud.example');
    expect((await api('/api/v1/admin/review-context?ids=1')).status).toBe(401);
    expect((await api('/api/v1/admin/review-context?ids=1', 'wrong')).status).toBe(401);
    expect((await api('/api/v1/admin/review-context?ids=1;drop', adminToken)).status).toBe(400);
  });

  it('refuses a wrong token and keeps nothing of it', async () => {
    const { context, page, problems } = await openPage();
    try {
      await unlock(page, 'not-the-token');
      await expect.poll(() => page.textContent('#auth-error')).toContain('refused');
      expect(await page.isHidden('#queue')).toBe(true);
      expect(await page.evaluate(() => sessionStorage.getItem('firstreply.admin-token'))).toBeNull();
      expect(await page.$$('.review-item')).toHaveLength(0);
      expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lists the queue with label, confidence, every reason, vendor/channel and time; vendor text stays text', async () => {
    const { context, page, problems } = await openPage();
    try {
      await unlock(page, adminToken);
      await page.waitForSelector('.review-item');
      const { body } = await api<{ messages: QueueItem[] }>('/api/v1/admin/review-queue?limit=100&max_confidence=0.75', adminToken);
      const items = await page.$$eval('.review-item', (lis) =>
        lis.map((li) => ({
          id: Number(li.getAttribute('data-message')),
          label: li.getAttribute('data-label'),
          heading: li.querySelector('h3')?.textContent ?? '',
          meta: li.querySelector('.meta')?.textContent ?? '',
          reasons: [...li.querySelectorAll('.reasons li')].map((r) => r.textContent),
          excerpt: li.querySelector('.excerpt')?.textContent ?? '',
        })),
      );
      expect(items.map((i) => i.id)).toEqual(body.messages.map((m) => m.id));
      for (const [index, message] of body.messages.entries()) {
        const item = items[index];
        expect(item?.label).toBe(message.label);
        expect(item?.reasons).toEqual(message.reasons);
        expect(item?.heading).toContain(message.confidence.toFixed(2));
      }
      expect(await page.evaluate(() => sessionStorage.getItem('firstreply.admin-token'))).toBe(adminToken);

      const hostile = items.find((i) => i.id === hostileId);
      expect(hostile?.meta).toContain('Acme Cloud / email (email)');
      expect(hostile?.meta).toContain('after the probe was sent');
      expect(hostile?.excerpt).toContain('<script>window.__pwned=1</script>');
      expect(hostile?.reasons).toContain(hostileReason);
      expect(await page.textContent(`[data-message="${hostileId}"] .subject`)).toContain('<script>window.__pwned=4</script>');
      expect(await page.$$('#review-list script, #review-list img, #review-list b')).toHaveLength(0);
      expect(await page.evaluate(() => Reflect.get(window, '__pwned'))).toBeUndefined();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('marks a reply "resolves the question" / "does not": the probe\'s resolution and the vendor page\'s figures follow', async () => {
    const { store } = fixture;
    const { body } = await api<{ messages: QueueItem[] }>('/api/v1/admin/review-queue?limit=100&max_confidence=0.75', adminToken);
    // The last candidate: the relabel test below takes the first.
    const target = body.messages
      .filter((m) => {
        if (m.label !== 'human' || m.probeId === null) return false;
        const probe = store.probes.get(m.probeId);
        return (
          probe !== undefined && store.vendors.get(probe.vendor)?.visibility === 'public' && probe.first_human_at === m.receivedAt && probe.sent_at !== null
        );
      })
      .at(-1);
    if (!target || target.probeId === null) throw new Error('the queue has no low-confidence first human reply of a public vendor');
    const probe = store.probes.get(target.probeId);
    if (!probe) throw new Error('probe missing');
    const { context, page, problems } = await openPage();
    try {
      const pointsOf = async (): Promise<{ points: number; firstContact: string }> => {
        await page.goto(`${base}/vendor/${probe.vendor}?window=all`);
        await page.waitForSelector('body[data-rendered="true"]');
        return {
          // The scatter is left out while no probe of the vendor is resolved: no scatter, no points.
          points: Number((await page.$('#quality-scatter')) ? await page.getAttribute('#quality-scatter', 'data-points') : 0),
          firstContact: (await page.textContent(`tr[data-quality="${probe.channel}"] td:nth-child(4)`)) ?? '',
        };
      };
      const before = await pointsOf();
      await page.goto(`${base}/admin/review`);
      await page.waitForSelector('body[data-rendered="true"]');
      await unlock(page, adminToken);
      await page.waitForSelector('.review-item');
      const row = page.locator(`.review-item[data-message="${target.id}"]`);
      await row.locator('button[data-action="resolves"]').click();
      await page.waitForSelector(`.review-item[data-message="${target.id}"] .resolution[data-marked="resolves"]`);
      expect(await row.locator('button[data-action="resolves"]').getAttribute('aria-pressed')).toBe('true');
      const said = await row.locator('.resolution-result').textContent();
      expect(said).toContain('Marked as resolving the question by Dana.');
      expect(said).toContain('resolved at +');
      expect(store.quality.forProbe(target.probeId)?.resolved_at).toBe(target.receivedAt);

      const marked = await pointsOf();
      expect(marked.points).toBe(before.points + 1);
      expect(marked.firstContact).not.toBe(before.firstContact);

      await page.goto(`${base}/admin/review`);
      await page.waitForSelector('.review-item');
      await row.locator('button[data-action="does-not-resolve"]').click();
      await page.waitForSelector(`.review-item[data-message="${target.id}"] .resolution[data-marked="does-not"]`);
      expect(await row.locator('.resolution-result').textContent()).toContain('The probe is now unresolved.');
      expect(store.quality.forProbe(target.probeId)?.resolved_at ?? null).toBeNull();
      expect((await pointsOf()).points).toBe(before.points);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lists human replies nobody has judged, and a mark there takes the reply off the list', async () => {
    const { context, page, problems } = await openPage();
    try {
      await unlock(page, adminToken);
      await page.waitForSelector('.judgement-item');
      const { body } = await api<{ replies: { id: number; probeId: number }[] }>('/api/v1/admin/resolution-queue?limit=100', adminToken);
      const shown = await page.$$eval('.judgement-item', (lis) => lis.map((li) => Number(li.getAttribute('data-message'))));
      expect(shown).toEqual(body.replies.map((r) => r.id));
      const first = body.replies[0];
      if (!first) throw new Error('no human reply to judge');
      const item = page.locator(`.judgement-item[data-message="${first.id}"]`);
      expect(await item.locator('.meta').textContent()).toContain('probe #');
      await item.locator('button[data-action="does-not-resolve"]').click();
      await page.waitForSelector(`.judgement-item[data-message="${first.id}"] .resolution[data-marked="does-not"]`);
      expect(await item.locator('.resolution-result').textContent()).toContain('Marked as not resolving the question by Dana.');
      expect(fixture.store.quality.marksForMessage(first.id).at(-1)?.reviewer).toBe('Dana');
      expect(fixture.store.quality.forProbe(first.probeId)?.quality_flags ?? 0).toBeGreaterThan(0);
      await page.click('#filter-form button[type="submit"]');
      await page.waitForFunction((id) => !document.querySelector(`.judgement-item[data-message="${id}"]`), first.id);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("relabels a reply: the probe's first human reply moves and the report counts one unconfirmed label fewer", async () => {
    const { store } = fixture;
    const { body } = await api<{ messages: QueueItem[] }>('/api/v1/admin/review-queue?limit=100&max_confidence=0.75', adminToken);
    const target =
      body.messages.find((m) => {
        if (m.label !== 'human' || m.probeId === null) return false;
        const probe = store.probes.get(m.probeId);
        return probe?.vendor === 'acme-cloud' && probe.first_human_at === m.receivedAt;
      }) ?? body.messages.find((m) => m.label === 'human' && m.probeId !== null && store.probes.get(m.probeId)?.first_human_at === m.receivedAt);
    if (!target || target.probeId === null) throw new Error('the queue has no low-confidence first human reply');
    const probe = store.probes.get(target.probeId);
    if (!probe) throw new Error('probe missing');
    const before = await unconfirmed(probe.vendor, probe.channel);
    const vendorPageBefore = await fetch(`${base}/vendor/${probe.vendor}`);
    expect(vendorPageBefore.status).toBe(200);

    const { context, page, problems } = await openPage();
    try {
      await unlock(page, adminToken);
      await page.waitForSelector('.review-item');
      const row = page.locator(`.review-item[data-message="${target.id}"]`);
      await row.locator('select').selectOption('auto_ack');
      await row.locator('button[data-action="relabel"]').click();
      await page.waitForSelector(`.review-item[data-message="${target.id}"][data-reviewed="auto_ack"]`);
      const result = await row.locator('.review-result').textContent();
      expect(result).toContain('Relabelled');
      expect(result).toContain('Dana');

      const after = store.probes.get(target.probeId);
      expect(after?.first_human_at).not.toBe(probe.first_human_at);
      expect(store.messages.get(target.id)?.effective_label).toBe('auto_ack');
      expect(store.reviews.forMessage(target.id).at(-1)?.reviewer).toBe('Dana');
      expect(await unconfirmed(probe.vendor, probe.channel)).toBe(before - 1);
      expect(await page.getAttribute('#queue-summary', 'data-unconfirmed')).toBe(String(store.messages.unconfirmedCount()));

      await page.goto(`${base}/vendor/${probe.vendor}`);
      await page.waitForSelector('body[data-rendered="true"]');
      const notes = await page.$$eval('.channel', (sections) =>
        sections.map((s) => ({
          heading: s.querySelector('h2')?.textContent ?? '',
          n: s.querySelector('.unconfirmed')?.getAttribute('data-unconfirmed'),
          text: s.querySelector('.unconfirmed')?.textContent ?? '',
        })),
      );
      const note = notes.find((n) => n.heading.includes(probe.channel));
      expect(note?.n).toBe(String(before - 1));
      expect(note?.text).toContain('not yet confirmed by a person');

      await page.goto(`${base}/admin/review`);
      await page.waitForSelector('.review-item');
      expect(await page.$$(`.review-item[data-message="${target.id}"]`)).toHaveLength(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
