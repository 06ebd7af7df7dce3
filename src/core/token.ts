// Probe tokens: short, unguessable, easy to spot in a rewritten subject ("FR-7K2M9QX4PD").
import { randomBytes } from 'node:crypto';

const alphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ'; // no 0/O, 1/I/L, U

export function newToken(): string {
  const bytes = randomBytes(10);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `FR-${out}`;
}

export const tokenPattern = /\bFR-[2-9A-HJKMNP-TV-Z]{10}\b/i;

/** The token in a text (subject, body, address), upper-cased, if any. */
export function findToken(text: string | undefined | null): string | undefined {
  const match = text?.match(tokenPattern);
  return match ? match[0].toUpperCase() : undefined;
}

/** `probes@example.org` + token → `probes+fr-xxxx@example.org` (matched back by findToken). */
export function plusAddress(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${token.toLowerCase()}${address.slice(at)}`;
}
