// What every rule family reads: the mail, its context, and the text split into the sender's own words and quotes.
import type { MessageLabel } from '../store/messages.ts';
import type { ParsedMail, ReplyContext, Signal } from './types.ts';

export type Language = 'en' | 'zh' | 'other';

export interface MailView {
  mail: ParsedMail;
  ctx: ReplyContext;
  /** The sender's own text: above the first quote header, without `>` lines or helpdesk markers. */
  fresh: string;
  /** Everything quoted (earlier messages, our probe, an acknowledgement). */
  quoted: string;
  subject: string;
  lang: Language;
  header(name: string): string | undefined;
  headers(name: string): string[];
}

export type Rule = (view: MailView) => Signal[];

export function signal(rule: string, label: MessageLabel, weight: number, reason: string, generic = false): Signal {
  return generic ? { rule, label, weight, reason, generic } : { rule, label, weight, reason };
}

const quoteHeaders: RegExp[] = [
  /^\s*On\b.{0,200}\bwrote:\s*$/i,
  /^\s*On\b.{0,120}$/i, // "On Mon, 5 Jan 2026 at 10:00, X <x@y>" broken over two lines before "wrote:"
  /^\s*-{2,}\s*(Original Message|Forwarded message|Reply above this line)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/,
  /^\s*From:\s.+$/i,
  /^\s*(发件人|寄件者)[:：]/,
  /^\s*在\s?.{2,80}写道[:：]\s*$/,
  /^\s*-{3,}\s*原始邮件\s*-{3,}\s*$/,
  /^\s*-{3,}\s*(回复的原邮件|原始郵件)\s*-{3,}\s*$/,
  /^\s*Le\b.{0,200}\ba écrit\s*:\s*$/i,
  /^\s*Am\b.{0,200}\bschrieb.{0,60}:\s*$/i,
];

const helpdeskMarkers = /^\s*#{2,}-?.{0,60}(reply above this line|在此行上方回复|請在此行上方回覆|請在此行上方回复).{0,20}-?#{2,}\s*$/i;

function isQuoteHeader(lines: readonly string[], i: number): boolean {
  const line = lines[i] ?? '';
  return quoteHeaders.some((re, k) => {
    if (!re.test(line)) return false;
    if (k === 1) return /wrote:\s*$/i.test(lines[i + 1] ?? ''); // the two-line "On … / … wrote:" form
    if (k === 4) return /^\s*(Sent|Date|To|Subject|发送时间|收件人):/i.test(lines[i + 1] ?? '') || /^\s*(Sent|Date|To):/i.test(lines[i + 2] ?? '');
    return true;
  });
}

/** Splits text into the sender's own words and quoted material. */
export function splitQuotes(text: string): { fresh: string; quoted: string } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const fresh: string[] = [];
  const quoted: string[] = [];
  // After a quote header, `>`-marked quotes end where the `>` lines end (bottom posting); unmarked ones run to the end.
  let mode: 'fresh' | 'marked' | 'unmarked' = 'fresh';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (helpdeskMarkers.test(line)) continue;
    if (mode !== 'unmarked' && !/^\s*>/.test(line) && isQuoteHeader(lines, i)) {
      const next = lines.slice(i + 1).find((l) => l.trim() !== '') ?? '';
      const wrapped = /^\s*On\b/i.test(line) && !/wrote:\s*$/i.test(line);
      const after = wrapped ? lines.slice(i + 2).find((l) => l.trim() !== '') ?? '' : next;
      mode = /^\s*>/.test(after) ? 'marked' : 'unmarked';
      quoted.push(line);
      if (wrapped) { quoted.push(lines[i + 1] ?? ''); i++; }
      continue;
    }
    if (mode === 'unmarked' || /^\s*>/.test(line)) quoted.push(line.replace(/^\s*>+ ?/, ''));
    else fresh.push(line);
  }
  return { fresh: fresh.join('\n').trim(), quoted: quoted.join('\n').trim() };
}

export function detectLanguage(text: string): Language {
  const sample = text.slice(0, 4000);
  const han = (sample.match(/[\u4e00-\u9fff]/g) ?? []).length;
  const latin = (sample.match(/[A-Za-z]/g) ?? []).length;
  if (han >= 4 && han * 3 >= latin / 2) return 'zh';
  if (latin >= 10) return 'en';
  return han > 0 ? 'zh' : 'other';
}

export function buildView(mail: ParsedMail, ctx: ReplyContext): MailView {
  const { fresh, quoted } = splitQuotes(mail.text);
  return {
    mail,
    ctx,
    fresh,
    quoted,
    subject: mail.subject,
    lang: detectLanguage(`${mail.subject}\n${fresh || mail.text}`),
    header: (name) => mail.headers[name.toLowerCase()]?.[0],
    headers: (name) => mail.headers[name.toLowerCase()] ?? [],
  };
}

/** The first match of any pattern, for a reason string that quotes what was seen. */
export function firstMatch(text: string, patterns: readonly RegExp[]): string | undefined {
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) return m[0].replace(/\s+/g, ' ').trim().slice(0, 80);
  }
  return undefined;
}
