// A loopback DNS server answering TXT queries from a fixed zone: the sandbox vendors' DKIM keys for the demo and tests.
import { createSocket, type RemoteInfo } from 'node:dgram';
import { generateKeyPairSync } from 'node:crypto';
import type { Endpoint } from './dovecot.ts';

export interface DnsServer {
  endpoint: Endpoint;
  /** "127.0.0.1:port", as node:dns setServers takes it. */
  server: string;
  /** Publishes (or replaces) the TXT record of a name. */
  setTxt(name: string, value: string): void;
  stop(): Promise<void>;
}

export interface DkimKey {
  domain: string;
  selector: string;
  /** PEM, PKCS#8. */
  privateKey: string;
  /** Where the public key is published, and the record itself. */
  record: { name: string; value: string };
}

/** A fresh RSA key pair for a signing domain, with its DKIM TXT record. */
export function dkimKey(domain: string, selector = 'sandbox', bits = 2048): DkimKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    domain,
    selector,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    record: { name: `${selector}._domainkey.${domain}`, value: `v=DKIM1; k=rsa; p=${spki}` },
  };
}

const typeTxt = 16;
const classIn = 1;

/** The question's name and type, or undefined for a packet that is not a one-question query. */
function readQuestion(packet: Buffer): { name: string; type: number; end: number } | undefined {
  if (packet.length < 12 || packet.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  while (at < packet.length) {
    const length = packet[at] ?? 0;
    at += 1;
    if (length === 0) break;
    if (length > 63 || at + length > packet.length) return undefined;
    labels.push(packet.subarray(at, at + length).toString('latin1'));
    at += length;
  }
  if (at + 4 > packet.length) return undefined;
  return { name: labels.join('.').toLowerCase(), type: packet.readUInt16BE(at), end: at + 4 };
}

/** TXT rdata: the value as character-strings of at most 255 bytes. */
function txtData(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 255) {
    const chunk = bytes.subarray(at, at + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(parts);
}

function answer(query: Buffer, zone: ReadonlyMap<string, string>): Buffer | undefined {
  const question = readQuestion(query);
  if (!question) return undefined;
  const value = question.type === typeTxt ? zone.get(question.name) : undefined;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR, AA, RD copied; NXDOMAIN for a name the zone lacks, an empty answer for another type of a known name.
  const known = zone.has(question.name);
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | (known ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(value === undefined ? 0 : 1, 6);
  const parts = [header, query.subarray(12, question.end)];
  if (value !== undefined) {
    const rdata = txtData(value);
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0);
    fixed.writeUInt16BE(typeTxt, 2);
    fixed.writeUInt16BE(classIn, 4);
    fixed.writeUInt32BE(60, 6);
    fixed.writeUInt16BE(rdata.length, 10);
    parts.push(fixed, rdata);
  }
  return Buffer.concat(parts);
}

export async function startDnsServer(records: Iterable<{ name: string; value: string }> = []): Promise<DnsServer> {
  const zone = new Map<string, string>();
  for (const r of records) zone.set(r.name.toLowerCase(), r.value);
  const socket = createSocket('udp4');
  socket.on('message', (query: Buffer, peer: RemoteInfo) => {
    const response = answer(query, zone);
    if (response) socket.send(response, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  return {
    endpoint: { host: '127.0.0.1', port },
    server: `127.0.0.1:${port}`,
    setTxt: (name, value) => void zone.set(name.toLowerCase(), value),
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
