// The evidence viewer in Chromium: a probe answered by a DKIM-signing sandbox vendor, a copy altered after signing, an
// unsigned reply carrying script, and a screenshot; shown behind the admin token with nothing a vendor sent running.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../../src/core/logger.ts';
import { buildApp } from '../../src/server/app.ts';
import { evidenceContentSecurityPolicy } from '../../src/server/routes/evidence.ts';
import type { ProbeEvidence } from '../../src/server/probe-evidence.ts';
import { dkimKey, startDnsServer, type DnsServer } from '../../src/sandbox/dns-server.ts';
import { startMailVendors } from '../../src/sandbox/mail-vendor.ts';
import { dnsResolver } from '../../src/watch/dkim.ts';
import type { MailWatcher } from '../../src/watch/imap.ts';
import { openEmailWorld, probeAddress, rawReply, until, worldWatcher, type EmailWorld } from '../integration/email-fixtures.ts';

let world: EmailWorld | undefined;
let dns: DnsServer | undefined;
let watcher: MailWatcher | undefined;
let vendors: { stop(): Promise<void> } | undefined;
let app: FastifyInstance | undefined;
let browser: Browser | undefined;

afterEach(async () => {
  await browser?.close();
  await app?.close();
  await watcher?.stop();
  await vendors?.stop();
  await world?.close();
  await dns?.stop();
  world = dns = watcher = vendors = app = browser = undefined;
});

const token = 'evidence-test-token';
// A 1×1 PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('evidence viewer', () => {
  it('shows the timeline, DKIM verified / failed / unsigned, hashes, downloads and screenshots; vendor markup stays text', async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    const key = dkimKey('acme.test', 'sel1');
    dns = await startDnsServer([key.record]);
    const [vendor] = w.catalog.vendors;
    if (!vendor) throw new Error('no vendor');
    vendors = startMailVendors({
      catalog: { ...w.catalog, vendors: [{ ...vendor, sandbox: { email: [{ after: 0, kind: 'human', agent: 'Dana' }] } }] },
      stack: w.stack,
      clock: w.clock,
      logger: silentLogger,
      dkimKeys: new Map([['acme.test', key]]),
    });
    let ingested = 0;
    const waiting: Array<() => void> = [];
    const ingestedCount = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (ingested >= n ? resolve() : waiting.push(check));
        check();
      });
    watcher = worldWatcher(w, {
      dkimResolver: dnsResolver({ servers: [dns.server] }),
      onMessage: () => {
        ingested++;
        for (const c of waiting.splice(0)) c();
      },
    });
    await watcher.start();

    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    await ingestedCount(1);
    const signed = await until(w.store, () => w.store.messages.forProbe(probe.id)[0], 1_000, 'the signed reply');
    const raw = readFileSync(signed.raw_path ?? '');
    await w.stack.deliver(probeAddress, Buffer.from(raw.toString('latin1').replace('Hi Sam,', 'Hi Tom,'), 'latin1'));
    await ingestedCount(2);
    const hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: 'Re: keys',
        inReplyTo: probe.message_id ?? '',
        contentType: 'text/html; charset=utf-8',
        body: `<p>Hi Sam, add a second key.</p>${hostile}`,
      }),
    );
    await ingestedCount(3);
    const shotDir = join(w.settings.evidence_dir, probe.token.toLowerCase());
    mkdirSync(shotDir, { recursive: true });
    writeFileSync(join(shotDir, 'submitted.png'), png);

    app = await buildApp({ store: w.store, clock: w.clock, adminToken: token, evidenceDir: w.settings.evidence_dir });
    const auth = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: `/admin/probe/${probe.id}` })).statusCode).toBe(401);
    expect((await app.inject({ url: `/api/v1/admin/probes/${probe.id}/evidence` })).statusCode).toBe(401);
    expect((await app.inject({ url: '/admin/probe/999999', headers: auth })).statusCode).toBe(404);

    const json = await app.inject({ url: `/api/v1/admin/probes/${probe.id}/evidence`, headers: auth });
    expect(json.statusCode).toBe(200);
    const evidence = json.json<ProbeEvidence>();
    expect(evidence.messages.map((m) => m.dkim?.result)).toEqual(['pass', 'fail', 'none']);
    expect(evidence.timeline.map((t) => t.event)).toEqual(expect.arrayContaining(['scheduled', 'sending', 'sent', 'first_human']));
    const emls = evidence.files.filter((f) => f.kind === 'eml' && f.sha256 !== null);
    expect(emls.length).toBeGreaterThanOrEqual(3);
    for (const f of emls) expect(f.matches).toBe(true);
    expect(evidence.files.find((f) => f.file.endsWith('submitted.png'))).toMatchObject({ kind: 'screenshot', bytes: png.length });

    const download = await app.inject({ url: `/admin/probe/${probe.id}/message/${signed.id}.eml`, headers: auth });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('message/rfc822');
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.rawPayload.equals(raw)).toBe(true);
    expect((await app.inject({ url: `/admin/probe/${probe.id}/file/..%2F..%2Ftest.db`, headers: auth })).statusCode).toBe(404);
    expect((await app.inject({ url: `/admin/probe/${probe.id}/file/../test.db`, headers: auth })).statusCode).toBe(404);

    const page = await app.inject({ url: `/admin/probe/${probe.id}`, headers: auth });
    expect(page.headers['content-security-policy']).toBe(evidenceContentSecurityPolicy);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).not.toMatch(/<script|<img src=x|onerror="/i);
    expect(page.body).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');

    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    const context = await browser.newContext({ extraHTTPHeaders: auth });
    try {
      const tab = await context.newPage();
      const dialogs: string[] = [];
      tab.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await tab.goto(`${address}/admin/probe/${probe.id}`);
      const dkimLines = await tab.locator('[data-dkim]').allTextContents();
      expect(dkimLines).toEqual([
        'signed by acme.test, verified at receipt',
        expect.stringMatching(/^signed by acme\.test, FAILED at receipt: .*body hash/),
        'unsigned',
      ]);
      expect(await tab.locator('tr[data-event="first_human"] td').first().textContent()).toMatch(/^\d{4}-\d\d-\d\dT/);
      await tab.locator('figure img').scrollIntoViewIfNeeded();
      await expect.poll(() => tab.locator('figure img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
      expect(await tab.evaluate(() => Reflect.get(window, '__pwned'))).toBeUndefined();
      expect(await tab.locator('script').count()).toBe(0);
      expect(await tab.getByText('<script>window.__pwned = 1</script>', { exact: false }).count()).toBeGreaterThan(0);
      expect(dialogs).toEqual([]);
      const zh = await context.newPage();
      await zh.goto(`${address}/admin/probe/${probe.id}?lang=zh-CN`);
      expect(await zh.locator('[data-dkim="pass"]').textContent()).toBe('由 acme.test 签名，收到时验证通过');
    } finally {
      await context.close();
    }
    // A browser without the header: refused, then let in by the operator's sign-in (session cookie).
    const visitor = await browser.newContext();
    try {
      const tab = await visitor.newPage();
      expect((await tab.goto(`${address}/admin/probe/${probe.id}`))?.status()).toBe(401);
      // The sign-in form's POST, sent by the context's own request client: the session cookie lands in this browser.
      const signIn = await visitor.request.post(`${address}/admin/sign-in`, { form: { token, next: `/admin/probe/${probe.id}` }, maxRedirects: 0 });
      expect(signIn.status()).toBe(303);
      expect((await tab.goto(`${address}/admin/probe/${probe.id}`))?.status()).toBe(200);
      expect(await tab.locator('[data-dkim]').count()).toBe(3);
    } finally {
      await visitor.close();
    }
  }, 90_000);
});
