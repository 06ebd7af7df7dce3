// Parses a raw reply into ParsedMail; never throws: broken MIME and odd charsets degrade to a best-effort text.
import type { AddressObject, ParsedMail as MailparserMail } from 'mailparser';
import type { ParsedMail } from './types.ts';
import { decodeJisRuns, replacementCount } from './charset.ts';
import { headerValue, htmlToText, readMime, splitMessage, parseHeaderBlock, type MimeTree } from './mime.ts';
import { errorMessage } from '../core/errors.ts';

/** Bytes of a message handed to the MIME parsers; the rest (big attachments) is not needed to classify a reply. */
const MAX_PARSE_BYTES = 4 * 1024 * 1024;
export const MAX_TEXT_CHARS = 64 * 1024;
const MAX_HTML_CHARS = 256 * 1024;
/** A subject longer than this is cut (nothing real comes close); the store keeps the same. */
export const MAX_SUBJECT_CHARS = 2_000;
/** Each header value is cut to this, and a header block keeps at most MAX_HEADER_VALUES values. */
export const MAX_HEADER_VALUE_CHARS = 8 * 1024;
const MAX_HEADER_VALUES = 500;

/**
 * mailparser, loaded with the first mail rather than when the program starts; the promise is kept, so later mails do
 * not go through the module loader again (a dynamic import resolves anew each call: under tsx, a round trip to its
 * loader thread per mail).
 */
let mailparser: Promise<typeof import('mailparser')> | undefined;
const loadMailparser = (): Promise<typeof import('mailparser')> => {
  mailparser ??= import('mailparser');
  return mailparser;
};

export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  const size = raw.length;
  const input = size > MAX_PARSE_BYTES ? raw.subarray(0, MAX_PARSE_BYTES) : raw;
  const problems: string[] = [];
  if (size > MAX_PARSE_BYTES) problems.push(`message of ${size} bytes parsed up to ${MAX_PARSE_BYTES}`);

  let tree: MimeTree | undefined;
  try {
    tree = readMime(input);
  } catch (err) {
    problems.push(`mime: ${errorMessage(err)}`);
  }
  const rawHeaders = tree?.headers.map ?? safeHeaders(input);
  const headers = capHeaders(rawHeaders);

  let parsed: MailparserMail | undefined;
  try {
    const { simpleParser } = await loadMailparser();
    parsed = await simpleParser(input, {
      skipTextToHtml: true,
      skipHtmlToText: true,
      skipImageLinks: true,
      skipTextLinks: true,
      maxHtmlLengthToParse: MAX_HTML_CHARS * 4,
    });
  } catch (err) {
    problems.push(`mailparser: ${errorMessage(err)}`);
  }

  const ownPlain =
    tree?.textParts
      .filter((p) => p.type === 'text/plain')
      .map((p) => p.text)
      .join('\n') ?? '';
  const ownHtml =
    tree?.textParts
      .filter((p) => p.type === 'text/html')
      .map((p) => p.text)
      .join('\n') ?? '';
  const deliveryStatus =
    tree?.textParts
      .filter((p) => p.type.endsWith('delivery-status'))
      .map((p) => p.text)
      .join('\n') ?? '';
  const ownText = ownPlain.trim() ? ownPlain : ownHtml ? htmlToText(ownHtml) : '';
  let text = parsed?.text ?? '';
  // mailparser leaves HTML to us (skipHtmlToText); the same HTML as ours is converted once.
  if (!text.trim() && parsed && typeof parsed.html === 'string') text = parsed.html === ownHtml && !ownPlain.trim() ? ownText : htmlToText(parsed.html);
  // mailparser trusts the declared charset; ours repairs mislabelled UTF-8 and GB2312-declared GBK text.
  if (!parsed || (ownText.trim() && replacementCount(ownText) < replacementCount(text)) || (!text.trim() && ownText.trim())) text = ownText;
  const html = parsed && typeof parsed.html === 'string' ? parsed.html : ownHtml || undefined;

  const fromHeader = parsed?.from ? firstAddress(parsed.from) : undefined;
  const from = fromHeader ?? addressFromHeader(headerValue({ map: headers }, 'from'));
  const date = parsed?.date?.getTime() ?? Date.parse(headerValue({ map: headers }, 'date') ?? '');
  const fullSubject = headerValue({ map: headers }, 'subject') ?? parsed?.subject ?? '';
  const subject = decodeJisRuns(cap(fullSubject, MAX_SUBJECT_CHARS * 4))
    .replace(/\s+/g, ' ')
    .trim();

  const mail: ParsedMail = {
    references: references(parsed?.references ?? headerValue({ map: headers }, 'references')),
    subject: cap(subject, MAX_SUBJECT_CHARS),
    to: parsed?.to ? (Array.isArray(parsed.to) ? parsed.to : [parsed.to]).flatMap((a) => a.value.map((v) => v.address ?? '').filter(Boolean)) : [],
    headers,
    text: cap(decodeJisRuns(text).replace(/\r\n/g, '\n'), MAX_TEXT_CHARS),
    contentType: tree?.contentType ?? headerValue({ map: headers }, 'content-type') ?? 'text/plain',
    size,
    partTypes: tree?.partTypes ?? [],
  };
  const messageId = parsed?.messageId ?? headerValue({ map: headers }, 'message-id');
  if (messageId) mail.messageId = messageId.trim();
  const inReplyTo = parsed?.inReplyTo ?? headerValue({ map: headers }, 'in-reply-to');
  if (inReplyTo) mail.inReplyTo = inReplyTo.trim();
  if (from) mail.from = from;
  if (Number.isFinite(date)) mail.headerDate = date;
  if (html) mail.html = cap(html, MAX_HTML_CHARS);
  if (deliveryStatus.trim()) mail.deliveryStatus = cap(deliveryStatus, MAX_TEXT_CHARS);
  if (size > MAX_PARSE_BYTES || text.length > MAX_TEXT_CHARS || subject.length > MAX_SUBJECT_CHARS || headersCut(rawHeaders)) mail.truncated = true;
  if (!tree && !parsed) problems.push('unparseable');
  if (problems.length > 0) mail.parseError = problems.join('; ');
  return mail;
}

function cap(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

function capHeaders(map: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let kept = 0;
  for (const [name, values] of Object.entries(map)) {
    if (kept >= MAX_HEADER_VALUES) break;
    const room = values.slice(0, MAX_HEADER_VALUES - kept);
    kept += room.length;
    out[name] = room.map((v) => cap(v, MAX_HEADER_VALUE_CHARS));
  }
  return out;
}

function headersCut(map: Record<string, string[]>): boolean {
  let count = 0;
  for (const values of Object.values(map)) {
    count += values.length;
    if (count > MAX_HEADER_VALUES || values.some((v) => v.length > MAX_HEADER_VALUE_CHARS)) return true;
  }
  return false;
}

function safeHeaders(raw: Buffer): Record<string, string[]> {
  try {
    return parseHeaderBlock(splitMessage(raw).head).map;
  } catch {
    // A header block even the forgiving reader cannot split is reported through parseError by the caller.
    return {};
  }
}

function firstAddress(value: AddressObject | AddressObject[]): { address: string; name?: string } | undefined {
  const list = Array.isArray(value) ? value : [value];
  for (const obj of list) {
    for (const entry of obj.value) {
      if (entry.address) return entry.name ? { address: entry.address.toLowerCase(), name: entry.name } : { address: entry.address.toLowerCase() };
    }
  }
  return undefined;
}

function addressFromHeader(value: string | undefined): { address: string; name?: string } | undefined {
  if (!value) return undefined;
  // Linear forms: the name runs to the first `<`, the address holds one `@`, and a bare address starts where its run starts.
  const angle = /^([^<]*)<([^<>@]+@[^<>]+)>/.exec(value);
  if (angle?.[2]) {
    const name = (angle[1] ?? '').trim().replace(/^"|"$/g, '');
    return name ? { address: angle[2].trim().toLowerCase(), name } : { address: angle[2].trim().toLowerCase() };
  }
  const bare = /(?<![^\s<>"])[^\s<>"@]+@[^\s<>"]+/.exec(value);
  return bare ? { address: bare[0].toLowerCase() } : undefined;
}

function references(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.slice(0, 100).flatMap((v) => v.slice(0, MAX_HEADER_VALUE_CHARS).match(/<[^<>]+>/g) ?? (v.trim() ? [v.trim()] : []));
}
