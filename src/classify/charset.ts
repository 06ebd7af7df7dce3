// Decodes mail bytes to text: declared charsets via iconv-lite, with the repairs real CJK mail needs.
import iconv from 'iconv-lite';

const aliases: Record<string, string> = {
  // GB2312-labelled mail routinely contains GBK/GB18030 characters; the superset decodes both.
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  cp936: 'gb18030',
  'euc-cn': 'gb18030',
  gb_2312_80: 'gb18030',
  big5: 'big5hkscs',
  'big5-hkscs': 'big5hkscs',
  'x-big5': 'big5hkscs',
  'cn-big5': 'big5hkscs',
  'ks_c_5601-1987': 'euc-kr',
  'unicode-1-1-utf-7': 'utf-7',
  utf8: 'utf-8',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
};

/** The iconv-lite name for a declared charset, or undefined when it is unknown. */
function normalizeCharset(declared: string | undefined): string | undefined {
  if (!declared) return undefined;
  const name = declared
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (!name) return undefined;
  const mapped = aliases[name] ?? name;
  return iconv.encodingExists(mapped) ? mapped : undefined;
}

/** True when the bytes are well-formed UTF-8 and contain at least one multi-byte sequence. */
function isNonAsciiUtf8(bytes: Uint8Array): boolean {
  let multi = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) continue;
    let extra: number;
    if (b >= 0xc2 && b <= 0xdf) extra = 1;
    else if (b >= 0xe0 && b <= 0xef) extra = 2;
    else if (b >= 0xf0 && b <= 0xf4) extra = 3;
    else return false;
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return false;
    }
    i += extra;
    multi = true;
  }
  return multi;
}

function hasHighBytes(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return true;
  return false;
}

export function replacementCount(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === '\uFFFD') n++;
  return n;
}

/**
 * Bytes to text. Well-formed multi-byte UTF-8 wins over a declared legacy charset (senders mislabel UTF-8 as Big5 or
 * GB2312; the reverse practically never forms valid UTF-8). Undeclared or unknown 8-bit text tries the CJK charsets.
 */
export function decodeBytes(bytes: Uint8Array, declared?: string): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!hasHighBytes(buf)) return buf.toString('latin1');
  if (isNonAsciiUtf8(buf)) return buf.toString('utf8');
  const charset = normalizeCharset(declared);
  if (charset && charset !== 'utf-8') return iconv.decode(buf, charset);
  const candidates = ['gb18030', 'big5hkscs', 'windows-1252'].map((c) => iconv.decode(buf, c));
  let best = candidates[0] ?? '';
  for (const c of candidates) if (replacementCount(c) < replacementCount(best)) best = c;
  return best;
}

/** Decodes RFC 2047 encoded words (=?charset?B|Q?…?=), joining adjacent ones as the RFC asks. */
export function decodeEncodedWords(value: string): string {
  const joined = value.replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bBqQ]\?)/g, '$1');
  return joined.replace(/=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g, (whole, charset: string, enc: string, payload: string) => {
    const cs = charset.split('*')[0] ?? charset;
    let bytes: Buffer;
    if (enc.toUpperCase() === 'B') bytes = Buffer.from(payload, 'base64');
    else bytes = qpDecode(payload.replace(/_/g, ' '));
    const known = normalizeCharset(cs);
    if (!known && cs.toLowerCase() !== 'utf-8') return decodeBytes(bytes) || whole;
    return decodeBytes(bytes, cs);
  });
}

/** Quoted-printable to bytes; malformed escapes are kept literally. */
export function qpDecode(text: string): Buffer {
  const src = text.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const ch = src.charCodeAt(i);
    if (ch === 0x3d && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      out.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(ch & 0xff);
  }
  return Buffer.from(out);
}

const jisDecoder = new TextDecoder('iso-2022-jp');

/**
 * ISO-2022-JP left as escape sequences: a decoder that does not know the charset (iconv-lite, mailparser's) passes its
 * 7-bit bytes through, so "\x1b$B2sZ@\x1b(B" reaches the rules instead of 回收. Each escaped run is decoded.
 */
export function decodeJisRuns(text: string): string {
  if (!text.includes('\x1b$')) return text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ISO-2022-JP shifts in and out with ESC sequences.
  return text.replace(/\x1b\$[@B][^\x1b]*(?:\x1b\([BJ])?/g, (run) => jisDecoder.decode(Buffer.from(run, 'latin1')));
}
