// DKIM verification of a reply's raw bytes at receipt (mailauth), with a bounded DNS lookup of the signer's key.
import { Resolver } from 'node:dns/promises';
import type { DNSResolver, DKIMResult } from 'mailauth';
import { errorMessage } from '../core/errors.ts';
import type { DkimResult, DkimSignature, DkimVerdict } from '../store/dkim.ts';

export type { DNSResolver };

interface DnsOptions {
  /** Name servers ("127.0.0.1:5353"); the system's by default. */
  servers?: readonly string[] | undefined;
  timeoutMs?: number;
}

/** A TXT-only resolver (all DKIM needs) whose every lookup gives up after timeoutMs per try. */
export function dnsResolver(options: DnsOptions = {}): DNSResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 3_000, tries: 2 });
  if (options.servers) resolver.setServers([...options.servers]);
  return async (name, rrtype) => {
    if (rrtype !== 'TXT') throw Object.assign(new Error(`DKIM asks only for TXT records, not ${rrtype}`), { code: 'ENOTIMP' });
    return resolver.resolveTxt(name);
  };
}

/** mailauth reports a body hash mismatch or a bad signature as neutral: a signature that does not verify is a failure here. */
function resultOf(status: string): DkimResult {
  switch (status) {
    case 'pass':
    case 'none':
    case 'temperror':
    case 'permerror':
      return status;
    case 'temperr':
      return 'temperror';
    default:
      return 'fail';
  }
}

// mailauth's `aligned` is the aligned domain (a string) or false, whatever its typings say.
function signatureOf(r: DKIMResult): DkimSignature {
  return {
    domain: r.signingDomain,
    selector: r.selector ?? null,
    result: resultOf(r.status.result),
    comment: r.status.comment ?? null,
    aligned: Boolean(r.status.aligned),
  };
}

/** One verdict from every signature: a verified one wins (the From:-aligned first), else the first signature's result, else none. */
function verdictOf(signatures: readonly DkimSignature[], checkedAt: number): DkimVerdict {
  const passing = signatures.filter((s) => s.result === 'pass');
  const chosen = passing.find((s) => s.aligned) ?? passing[0] ?? signatures[0];
  if (!chosen) return { result: 'none', domain: null, selector: null, signatures: [], checkedAt };
  return { result: chosen.result, domain: chosen.domain, selector: chosen.selector, signatures: [...signatures], checkedAt };
}

interface VerifyOptions {
  resolver: DNSResolver;
  /** The moment of receipt (INTERNALDATE): a signature's x= expiry is judged against it. */
  receivedAt: number;
  /** Recorded as the time of the check. */
  checkedAt: number;
  /** The whole check gives up after this long (temperror). */
  timeoutMs?: number;
}

export async function verifyDkim(raw: Buffer, options: VerifyOptions): Promise<DkimVerdict> {
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`DKIM check timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // mailauth is loaded with the first reply, not at start-up (about a fifth of a second).
    const { dkimVerify } = await import('mailauth/lib/dkim/verify.js');
    const verified = await Promise.race([dkimVerify(raw, { resolver: options.resolver, curTime: new Date(options.receivedAt) }), timedOut]);
    // mailauth reports an unsigned message as one result without a signing domain.
    const signatures = verified.results.filter((r) => typeof r.signingDomain === 'string' && r.signingDomain.length > 0).map(signatureOf);
    return verdictOf(signatures, options.checkedAt);
  } catch (err) {
    return {
      result: 'temperror',
      domain: null,
      selector: null,
      signatures: [{ domain: '', selector: null, result: 'temperror', comment: errorMessage(err), aligned: false }],
      checkedAt: options.checkedAt,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** What is recorded for a message only partly fetched: its body hash cannot match, so no verdict is claimed. */
export function notChecked(checkedAt: number, bytes: number): DkimVerdict {
  return {
    result: 'not_checked',
    domain: null,
    selector: null,
    signatures: [{ domain: '', selector: null, result: 'not_checked', comment: `only the first ${bytes} bytes were fetched`, aligned: false }],
    checkedAt,
  };
}
