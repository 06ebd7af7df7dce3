// A small, forgiving MIME reader: raw headers and text parts with our own charset handling (parse.ts's fallback).
import { decodeBytes, decodeEncodedWords, qpDecode } from './charset.ts';

export interface MimeHeaders {
  /** Lower-cased name → decoded values, in order. */
  map: Record<string, string[]>;
}

export interface TextPart {
  type: string;
  text: string;
}

export interface MimeTree {
  headers: MimeHeaders;
  contentType: string;
  textParts: TextPart[];
  /** Every part's media type, depth first (the root first). */
  partTypes: string[];
}

const MAX_DEPTH = 12;
const MAX_PARTS = 200;
const MAX_HEADER_DECODE_CHARS = 16 * 1024;

/** Splits a message into its header block and body at the first empty line. */
export function splitMessage(raw: Buffer): { head: Buffer; body: Buffer } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  let at = -1;
  let sep = 0;
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) {
    at = crlf;
    sep = 4;
  } else if (lf >= 0) {
    at = lf;
    sep = 2;
  }
  if (at < 0) return { head: raw, body: Buffer.alloc(0) };
  return { head: raw.subarray(0, at), body: raw.subarray(at + sep) };
}

/** Parses a header block: unfolds, decodes 8-bit values and encoded words. */
export function parseHeaderBlock(head: Buffer): MimeHeaders {
  const map: Record<string, string[]> = {};
  const text = decodeBytes(head);
  const lines = text.split(/\r?\n/);
  let current: string | undefined;
  const entries: string[] = [];
  for (const line of lines) {
    if (/^From /.test(line) && entries.length === 0 && current === undefined) continue;
    if (/^[ \t]/.test(line) && current !== undefined) current += ` ${line.trim()}`;
    else {
      if (current !== undefined) entries.push(current);
      current = line;
    }
  }
  if (current !== undefined) entries.push(current);
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    if (colon <= 0) continue;
    const name = entry.slice(0, colon).trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    // parse.ts keeps 8 KB of a value; decoding more would only cost time.
    const value = decodeEncodedWords(entry.slice(colon + 1, colon + 1 + MAX_HEADER_DECODE_CHARS).trim());
    (map[name] ??= []).push(value);
  }
  return { map };
}

export function headerValue(headers: MimeHeaders, name: string): string | undefined {
  return headers.map[name]?.[0];
}

/** A header parameter (charset, boundary, report-type…), with RFC 2231 continuations ignored beyond the first. */
function headerParam(value: string | undefined, param: string): string | undefined {
  if (!value) return undefined;
  const re = new RegExp(`(?:^|;)\\s*${param}\\*?(?:0\\*?)?\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i');
  const m = re.exec(value);
  const found = m?.[1] ?? m?.[2];
  if (found === undefined) return undefined;
  return found.replace(/^[\w-]*'[\w-]*'/, '');
}

function mediaType(value: string | undefined): string {
  const t = (value ?? 'text/plain').split(';')[0]?.trim().toLowerCase();
  return t?.includes('/') ? t : 'text/plain';
}

function decodeTransfer(body: Buffer, encoding: string | undefined): Buffer {
  const enc = (encoding ?? '7bit').trim().toLowerCase();
  if (enc === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (enc === 'quoted-printable') return qpDecode(body.toString('latin1'));
  return body;
}

function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const parts: Buffer[] = [];
  let pos = text.indexOf(delimiter);
  while (pos >= 0 && parts.length < MAX_PARTS) {
    const lineEnd = text.indexOf('\n', pos);
    if (text.startsWith(`${delimiter}--`, pos) || lineEnd < 0) break;
    const next = text.indexOf(`\n${delimiter}`, lineEnd);
    const end = next < 0 ? text.length : next;
    const chunk = text.slice(lineEnd + 1, end).replace(/\r$/, '');
    parts.push(Buffer.from(chunk, 'latin1'));
    if (next < 0) break;
    pos = next + 1;
  }
  return parts;
}

/** Walks the MIME tree; text parts inside attached messages are not the reply's own text and are skipped. */
export function readMime(raw: Buffer): MimeTree {
  const { head, body } = splitMessage(raw);
  const headers = parseHeaderBlock(head);
  const tree: MimeTree = { headers, contentType: headerValue(headers, 'content-type') ?? 'text/plain', textParts: [], partTypes: [] };
  walk(headers, body, 0, tree, false);
  return tree;
}

function walk(headers: MimeHeaders, body: Buffer, depth: number, tree: MimeTree, insideAttachment: boolean): void {
  if (depth > MAX_DEPTH || tree.partTypes.length >= MAX_PARTS) return;
  const ct = headerValue(headers, 'content-type');
  const type = mediaType(ct);
  tree.partTypes.push(type);
  if (type.startsWith('multipart/')) {
    const boundary = headerParam(ct, 'boundary');
    // A multipart whose boundary never occurs (stripped by an archive or a broken sender): mail readers show the body
    // as text, and so does this reader (the charset is sniffed).
    if (!boundary || !body.includes(`--${boundary}`, 0, 'latin1')) {
      if (depth === 0 && !insideAttachment && /\S/.test(body.subarray(0, 4096).toString('latin1')))
        tree.textParts.push({ type: 'text/plain', text: decodeBytes(body) });
      return;
    }
    for (const part of splitMultipart(body, boundary)) {
      const split = splitMessage(part);
      walk(parseHeaderBlock(split.head), split.body, depth + 1, tree, insideAttachment);
    }
    return;
  }
  if (type === 'message/rfc822' || type === 'message/global' || type === 'text/rfc822-headers') {
    if (type === 'text/rfc822-headers') return;
    const inner = splitMessage(decodeTransfer(body, headerValue(headers, 'content-transfer-encoding')));
    walk(parseHeaderBlock(inner.head), inner.body, depth + 1, tree, true);
    return;
  }
  const disposition = (headerValue(headers, 'content-disposition') ?? '').toLowerCase();
  if (insideAttachment || disposition.startsWith('attachment')) return;
  if (type === 'text/plain' || type === 'text/html' || type === 'message/delivery-status' || type === 'message/global-delivery-status') {
    const bytes = decodeTransfer(body, headerValue(headers, 'content-transfer-encoding'));
    tree.textParts.push({ type, text: decodeBytes(bytes, headerParam(ct, 'charset')) });
  }
}

const entities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  ldquo: '“',
  rdquo: '”',
};

/** HTML to readable text: drops scripts/styles, keeps block breaks and quote markers, decodes entities. */
export function htmlToText(html: string): string {
  // Every pattern is linear on hostile markup: tag bodies stop at the next `<`, and elements without an end are cut by indexOf.
  return dropHidden(dropComments(html))
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<blockquote\b[^<>]*>/gi, '\n> ')
    .replace(/<\/(p|div|tr|li|h[1-6]|blockquote|table|section|article|header|footer)\s*>/gi, '\n')
    .replace(/<(p|div|tr|li|h[1-6]|table)\b[^<>]*>/gi, '\n')
    .replace(/<[^<>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return safeChar(parseInt(name.slice(2), 16), whole);
      if (name.startsWith('#')) return safeChar(parseInt(name.slice(1), 10), whole);
      return entities[name.toLowerCase()] ?? whole;
    })
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** `<!-- … -->` removed; an unclosed comment runs to the end, as in a browser. */
function dropComments(html: string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const open = html.indexOf('<!--', pos);
    if (open < 0) return out + html.slice(pos);
    out += html.slice(pos, open);
    const close = html.indexOf('-->', open + 4);
    if (close < 0) return out;
    pos = close + 3;
  }
}

/** Scripts, styles, head and title removed with their content; one whose end tag never comes is left as it is. */
function dropHidden(html: string): string {
  const hiddenElement = /<(script|style|head|title)\b/gi;
  const endTags = new Map<string, RegExp>();
  const unclosed = new Set<string>();
  let out = '';
  let pos = 0;
  for (let m = hiddenElement.exec(html); m; m = hiddenElement.exec(html)) {
    const name = (m[1] ?? '').toLowerCase();
    if (unclosed.has(name)) continue;
    const endTag = endTags.get(name) ?? new RegExp(`</${name}\\s*>`, 'gi');
    endTags.set(name, endTag);
    endTag.lastIndex = m.index + m[0].length;
    const end = endTag.exec(html);
    // No end tag after this start means none after any later one either: each search covers new text, so this is linear.
    if (!end) {
      unclosed.add(name);
      continue;
    }
    out += html.slice(pos, m.index);
    pos = end.index + end[0].length;
    hiddenElement.lastIndex = pos;
  }
  return out + html.slice(pos);
}

function safeChar(code: number, fallback: string): string {
  return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}
