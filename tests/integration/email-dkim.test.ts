// DKIM at receipt through the real path: the sandbox vendor signs over SMTP, Dovecot stores, the watcher fetches over
// IMAP and verifies against a loopback DNS server publishing a key made in the test.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.ts';
import { dkimQueries } from '../../src/store/dkim.ts';
import { dkimKey, startDnsServer, type DnsServer } from '../../src/sandbox/dns-server.ts';
import { startMailVendors } from '../../src/sandbox/mail-vendor.ts';
import { dnsResolver } from '../../src/watch/dkim.ts';
import type { MailWatcher } from '../../src/watch/imap.ts';
import { openEmailWorld, probeAddress, rawReply, until, worldWatcher, type EmailWorld } from './email-fixtures.ts';

let world: EmailWorld | undefined;
let dns: DnsServer | undefined;
let watcher: MailWatcher | undefined;
let vendors: { stop(): Promise<void> } | undefined;

afterEach(async () => {
  await watcher?.stop();
  await vendors?.stop();
  await world?.close();
  await dns?.stop();
  world = dns = watcher = vendors = undefined;
});

describe('DKIM verified at receipt', () => {
  it('a signed sandbox reply verifies, the same reply altered after signing fails, an unsigned one is unsigned', async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    const key = dkimKey('acme.test', 'sel2026');
    dns = await startDnsServer([key.record]);
    const [vendor] = w.catalog.vendors;
    if (!vendor) throw new Error('no vendor in the world catalog');
    const catalog = { ...w.catalog, vendors: [{ ...vendor, sandbox: { email: [{ after: 0, kind: 'human', agent: 'Dana' }] } }] };
    vendors = startMailVendors({ catalog, stack: w.stack, clock: w.clock, logger: silentLogger, dkimKeys: new Map([['acme.test', key]]) });
    // onMessage runs once a reply is fully ingested, its DKIM verdict included.
    const ingested: number[] = [];
    const waiting: Array<() => void> = [];
    const ingestedCount = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (ingested.length >= n ? resolve() : waiting.push(check));
        check();
      });
    watcher = worldWatcher(w, {
      dkimResolver: dnsResolver({ servers: [dns.server], timeoutMs: 2_000 }),
      onMessage: (_probe, id) => {
        ingested.push(id);
        for (const check of waiting.splice(0)) check();
      },
    });
    await watcher.start();
    const dkim = dkimQueries(w.store.db);

    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    await ingestedCount(1);
    const signed = await until(w.store, () => w.store.messages.forProbe(probe.id)[0], 1_000, 'the signed reply');
    const verdict = dkim.forMessage(signed.id);
    expect(verdict).toMatchObject({ result: 'pass', domain: 'acme.test', selector: 'sel2026' });
    expect(verdict?.signatures).toEqual([expect.objectContaining({ domain: 'acme.test', result: 'pass', aligned: true })]);
    expect(verdict?.checkedAt).toBe(signed.detected_at);

    // The stored bytes, one word changed in the body after signing, delivered again.
    const raw = readFileSync(signed.raw_path ?? '', 'latin1');
    expect(raw).toMatch(/^DKIM-Signature:/im);
    const altered = raw.replace('Hi Sam,', 'Hi Tom,');
    expect(altered).not.toBe(raw);
    await w.stack.deliver(probeAddress, Buffer.from(altered, 'latin1'));
    await ingestedCount(2);
    const second = await until(w.store, () => w.store.messages.forProbe(probe.id)[1], 1_000, 'the altered reply');
    expect(dkim.forMessage(second.id)).toMatchObject({ result: 'fail', domain: 'acme.test' });

    await w.stack.deliver(
      probeAddress,
      rawReply({ subject: 'Re: keys', inReplyTo: probe.message_id ?? '', body: 'Hi Sam,\n\nadd a second key, then revoke the old one.\n\nDana' }),
    );
    await ingestedCount(3);
    const third = await until(w.store, () => w.store.messages.forProbe(probe.id)[2], 1_000, 'the unsigned reply');
    expect(dkim.forMessage(third.id)).toMatchObject({ result: 'none', domain: null, signatures: [] });

    // The verdict is the one at receipt: withdrawing the key later changes nothing stored.
    dns.setTxt(key.record.name, 'v=DKIM1; p=');
    expect(dkim.forMessage(signed.id)?.result).toBe('pass');
  }, 60_000);
});
