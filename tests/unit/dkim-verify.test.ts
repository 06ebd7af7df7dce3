// DKIM verification of raw bytes (watch/dkim.ts) against keys made here and published by a loopback DNS server.
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { dkimKey, startDnsServer, type DnsServer } from '../../src/sandbox/dns-server.ts';
import { dnsResolver, verifyDkim } from '../../src/watch/dkim.ts';

const key = dkimKey('vendor.example', 'mail');
const at = Date.UTC(2026, 2, 1, 12);
let dns: DnsServer;
let signed: string;
const unsigned =
  'From: Dana <help@vendor.example>\r\nTo: probes@firstreply.test\r\nSubject: Re: keys\r\nMessage-ID: <1@vendor.example>\r\n\r\nAdd a second key, then revoke the old one.\r\n';

beforeAll(async () => {
  dns = await startDnsServer([key.record]);
  const { signatures } = await dkimSign(unsigned, {
    // mailauth signs from signatureData; its typings also ask for the first signature's fields at the top.
    signingDomain: 'vendor.example',
    selector: 'mail',
    privateKey: key.privateKey,
    signatureData: [{ signingDomain: 'vendor.example', selector: 'mail', privateKey: key.privateKey }],
    signTime: new Date(at),
    expires: new Date(at + 3_600_000),
  });
  signed = signatures + unsigned;
});
afterAll(() => dns.stop());

const check = (raw: string, options: { servers?: string[]; receivedAt?: number; timeoutMs?: number } = {}) =>
  verifyDkim(Buffer.from(raw), {
    resolver: dnsResolver({ servers: options.servers ?? [dns.server], timeoutMs: options.timeoutMs ?? 1_000 }),
    receivedAt: options.receivedAt ?? at + 60_000,
    checkedAt: at + 61_000,
    timeoutMs: 5_000,
  });

describe('verifyDkim', () => {
  it('passes a signature whose key the signer publishes, aligned with From:', async () => {
    expect(await check(signed)).toMatchObject({
      result: 'pass',
      domain: 'vendor.example',
      selector: 'mail',
      checkedAt: at + 61_000,
      signatures: [{ aligned: true }],
    });
  });

  it('fails a message changed after signing, and names why', async () => {
    const verdict = await check(signed.replace('second key', 'third key'));
    expect(verdict.result).toBe('fail');
    expect(verdict.signatures[0]?.comment).toMatch(/body hash/);
  });

  it('says unsigned for a message without a signature', async () => {
    expect(await check(unsigned)).toEqual({ result: 'none', domain: null, selector: null, signatures: [], checkedAt: at + 61_000 });
  });

  it("judges the signature's expiry at the moment of receipt", async () => {
    const verdict = await check(signed, { receivedAt: at + 2 * 3_600_000 });
    expect(verdict.result).toBe('fail');
    expect(verdict.signatures[0]?.comment).toMatch(/expired/i);
  });

  it('is a temporary error, not a failure, when no name server answers', async () => {
    // A bound socket that never replies.
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', () => resolve()));
    try {
      const verdict = await check(signed, { servers: [`127.0.0.1:${silent.address().port}`], timeoutMs: 200 });
      expect(verdict.result).toBe('temperror');
      expect(verdict.domain).toBe('vendor.example');
    } finally {
      silent.close();
    }
  });
});
