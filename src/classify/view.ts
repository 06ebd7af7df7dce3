// What every rule family reads: the mail, its context, and the text split into the sender's own words and quotes.
import type { MessageLabel } from '../core/labels.ts';
import type { ParsedMail, ReplyContext, Signal } from './types.ts';
import {
  anyFieldLine,
  clientFooter,
  helpdeskMarker,
  midLineOnWrote,
  midLineSeparator,
  quoteHeaderAt,
  quoteMark,
  signOff,
  withoutInvisible,
} from './quote-headers.ts';
import { splitHtmlQuotes } from './quotes-html.ts';

export type Language = 'en' | 'zh' | 'other';

export interface MailView {
  mail: ParsedMail;
  ctx: ReplyContext;
  /** The sender's own text: above the first quote header, without `>` lines or helpdesk markers. */
  fresh: string;
  /** Everything quoted (earlier messages, our probe, an acknowledgement). */
  quoted: string;
  /** The mail's HTML without quoted blocks, when its HTML has a quote: links and pixels of the sender's own part. */
  freshHtml?: string;
  /** The signature block at the end of `fresh` (after "-- ", a client footer, a sign-off and a few short lines), if any; still part of `fresh`. */
  signature?: string;
  subject: string;
  lang: Language;
  header(name: string): string | undefined;
  headers(name: string): string[];
}

export type Rule = (view: MailView) => Signal[];

export function signal(rule: string, label: MessageLabel, weight: number, reason: string, generic = false): Signal {
  return generic ? { rule, label, weight, reason, generic } : { rule, label, weight, reason };
}

/** Text longer than this is not searched for quotes (mail text is capped at 64 KB by the parser already). */
const MAX_SPLIT_CHARS = 64 * 1024;
/** Splits a line that carries a header after the sender's own words ("Sent from my phone-------- Original message --------From: …"). */
function splitMidLine(line: string): string[] {
  if (line.length < 12) return [line];
  if (line.includes('--') || line.includes('__')) {
    const m = midLineSeparator.exec(line);
    // Words before it ("Sent from my phone-------- Original…"), or the header's fields glued after it ("-------- Original --------From: …").
    if (m && (line.slice(0, m.index).trim() !== '' || line.slice(m.index + m[0].length).trim() !== '')) {
      const rest = line.slice(m.index + m[0].length);
      const before = line.slice(0, m.index).trimEnd();
      return [...(before.trim() ? [before] : []), m[0], ...(rest.trim() ? [rest.trim()] : [])];
    }
  }
  const tailStart = Math.max(0, line.length - 300);
  const m = midLineOnWrote.exec(line.slice(tailStart));
  if (m?.[1]) {
    const at = tailStart + m.index + m[0].indexOf(m[1]);
    if (at > 0 && line.slice(0, at).trim() !== '') return [line.slice(0, at).trimEnd(), line.slice(at)];
  }
  return [line];
}

/** Splits text into the sender's own words and quoted material (earlier messages below a quote header, `>` lines). */
export function splitQuotes(text: string): { fresh: string; quoted: string } {
  const lines = withoutInvisible(text.slice(0, MAX_SPLIT_CHARS)).replace(/\r\n?/g, '\n').split('\n').flatMap(splitMidLine);
  const fresh: string[] = [];
  const quoted: string[] = [];
  // After a quote header, `>`-marked quotes end where the `>` lines end (bottom posting); unmarked ones run to the end.
  let mode: 'fresh' | 'marked' | 'unmarked' = 'fresh';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (mode === 'unmarked') {
      quoted.push(line.replace(/^\s{0,8}>+ ?/, ''));
      continue;
    }
    if (helpdeskMarker.test(line)) continue;
    if (quoteMark.test(line)) {
      quoted.push(line.replace(/^\s{0,8}>+ ?/, ''));
      continue;
    }
    let n = quoteHeaderAt(lines, i, () => fresh.slice(-40).join('\n'));
    if (n > 0) {
      // The rest of a header block ("From: / Sent: / To: / Subject:") belongs to the header.
      let m = n;
      while (i + m < lines.length && anyFieldLine.test(lines[i + m] ?? '')) m++;
      n = m;
      const after = lines.slice(i + n, i + n + 40).find((l) => l.trim() !== '') ?? '';
      mode = quoteMark.test(after) ? 'marked' : 'unmarked';
      quoted.push(...lines.slice(i, i + n));
      i += n - 1;
      continue;
    }
    fresh.push(line);
  }
  return { fresh: fresh.join('\n').trim(), quoted: quoted.join('\n').trim() };
}

/** The signature block at the end of the sender's own words: after "-- ", a client footer, or a sign-off and ≤ 6 short lines. */
export function findSignature(fresh: string): string | undefined {
  const lines = fresh.split('\n');
  let end = lines.length;
  while (end > 0 && (lines[end - 1] ?? '').trim() === '') end--;
  const from = Math.max(0, end - 12);
  for (let i = from; i < end; i++) if (/^-- ?$/.test(lines[i] ?? '') && end - i <= 12) return lines.slice(i, end).join('\n').trim();
  for (let i = Math.max(0, end - 3); i < end; i++) if (clientFooter.test(lines[i] ?? '')) return lines.slice(i, end).join('\n').trim();
  for (let i = Math.max(0, end - 7); i < end - 1; i++) {
    if (!signOff.test(lines[i] ?? '')) continue;
    const rest = lines.slice(i + 1, end).filter((l) => l.trim() !== '');
    if (rest.length >= 1 && rest.length <= 6 && rest.every((l) => l.trim().length <= 60)) return lines.slice(i, end).join('\n').trim();
  }
  return undefined;
}

function detectLanguage(text: string): Language {
  const sample = text.slice(0, 4000);
  const han = (sample.match(/[\u4e00-\u9fff]/g) ?? []).length;
  const latin = (sample.match(/[A-Za-z]/g) ?? []).length;
  if (han >= 4 && han * 3 >= latin / 2) return 'zh';
  if (latin >= 10) return 'en';
  return han > 0 ? 'zh' : 'other';
}

/**
 * The footer a discussion list appends to every post (Mailman's underscores then "… mailing list", Google Groups'
 * "You received this message because you are subscribed…"): the list's words, not the author's. Cut from the first
 * such footer line on, for mail that carries list headers only. Line by line: linear.
 */
export function withoutListFooter(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const mailman = /^_{20,}$/.test(line) && lines.slice(i + 1, i + 6).some((l) => /mailing list|listinfo|mailman/i.test(l));
    const groups =
      /^you received this (message|topic) because you are subscribed to the google groups?\b/i.test(line) ||
      /^to unsubscribe from this group and stop receiving emails from it, send an email to\b/i.test(line);
    if (mailman || groups) {
      const start = groups && /^--\s*$/.test((lines[i - 1] ?? '').trim()) ? i - 1 : i;
      return lines.slice(0, start).join('\n').trimEnd();
    }
  }
  return text;
}

export function buildView(mail: ParsedMail, ctx: ReplyContext): MailView {
  const fromList = mail.headers['list-id'] !== undefined || mail.headers['list-post'] !== undefined;
  const split = splitQuotes(fromList ? withoutListFooter(mail.text) : mail.text);
  let { fresh, quoted } = split;
  let freshHtml: string | undefined;
  if (mail.html) {
    const html = splitHtmlQuotes(mail.html);
    if (html.found) {
      freshHtml = html.freshHtml;
      // The markup is the surer guide: its fresh text wins when the text part left quoted material in (or found no quote).
      const fromHtml = splitQuotes(html.freshText).fresh;
      const size = (s: string) => s.replace(/\s+/g, '').length;
      if (fromHtml && (!quoted || size(fromHtml) < 0.8 * size(fresh))) {
        fresh = fromHtml;
        quoted = [html.quotedText, quoted].filter(Boolean).join('\n');
      }
    }
  }
  const signature = findSignature(fresh);
  const view: MailView = {
    mail,
    ctx,
    fresh,
    quoted,
    subject: mail.subject,
    lang: detectLanguage(`${mail.subject}\n${fresh || mail.text}`),
    header: (name) => mail.headers[name.toLowerCase()]?.[0],
    headers: (name) => mail.headers[name.toLowerCase()] ?? [],
  };
  if (freshHtml !== undefined) view.freshHtml = freshHtml;
  if (signature) view.signature = signature;
  return view;
}

/** The first match of any pattern, for a reason string that quotes what was seen. */
export function firstMatch(text: string, patterns: readonly RegExp[]): string | undefined {
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) return m[0].replace(/\s+/g, ' ').trim().slice(0, 80);
  }
  return undefined;
}
