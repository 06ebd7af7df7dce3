// Layout: how a mail is built rather than what it says — links, tracking pixels, banner separators, broadcast length.
import type { Signal } from './types.ts';
import { signal, type Rule } from './view.ts';

/** Replies people write rarely carry more links than this. */
const MANY_LINKS = 6;
/** Own text longer than this, outside any thread, reads as a broadcast rather than an answer. */
const BROADCAST_CHARS = 2500;

/** Lines of a code host's push or commit notification (GitHub's "[owner/repo] abc123: …", Gitea's, cgit hooks'). */
const commitNoticeLines: readonly RegExp[] = [
  /^\s*Branch:\s+refs\/heads\/\S+\s*$/m,
  /^\s*Changed paths:\s*$/m,
  /^\s*Compare:\s+https?:\/\/\S+\/compare\/\S+/m,
  /^\s*Commit:\s+[0-9a-f]{40}\s*$/m,
];

/**
 * A line of a labelled field ("Name: …", "Ticket: …", "お名前：…"): forms echoed back, notifications and reports are
 * built of them; people write a few at most, and a signature's contact details alone are no form.
 */
const fieldLine = /^\s{0,4}([\p{L}\p{N}][\p{L}\p{N} ._/()#-]{0,30}?)\s?[:：]\s?\S/u;
const contactField =
  /^(?:tel|tel\.|telefon|telephone|phone|mobile|mob|cell|handy|fax|e-?mail|mail|web|website|internet|www|skype|address|adresse|anschrift|sitz|sitz der gesellschaft|registergericht|amtsgericht|geschäftsführer|geschäftsführung|vorstand|ust-idnr|ust-id|steuernummer|hrb|iban|bic|bank|https?|mailto|手机|电话|傳真|传真|邮箱|郵箱|地址|网址|網址|微信|qq)$/iu;
/** This many field lines in a row (blank lines aside) make a form or a report. */
const FIELD_RUN = 4;

/**
 * The label of a field line, or undefined. A colon between digits is a time, an address or a line number ("May 20
 * 16:23:58 host kernel: …", "05:00.2 Parallel controller", "sip.cpp:22:2: warning"), and "https://" a link: the logs and
 * compiler output people paste into a question are no form.
 */
function fieldLabel(line: string): string | undefined {
  const match = fieldLine.exec(line);
  const label = match?.[1];
  if (!match || label === undefined) return undefined;
  const value = line.slice(match[0].length - 1);
  // Nothing between the colon and the value: "16:23", "cpp:22", "https://".
  const tight = /[:：]$/.test(match[0].slice(0, -1));
  if (tight && value.startsWith('//')) return undefined;
  if (tight && /^\d/.test(value) && (/\d$/.test(label) || /\.[a-z]{1,4}$/i.test(label))) return undefined;
  // A label names a field in words ("Ticket", "お名前"), not an offset ("12: 41 80 3e 00  cmpb …").
  if (!/\p{L}{2}/u.test(label)) return undefined;
  // A register dump ("RSP: 0018:ffffc90010fcf878 EFLAGS: 00010246", "Code: 00 48 85 c0 …"): hex values, several fields to a line.
  if (
    /^\s?(?:0x[0-9a-f]+|(?=[0-9]*[a-f])[0-9a-f]{8,}|[0-9]{16,}|[0-9a-f]{4}:\w|(?:[0-9a-f]{2}\s){8})/i.test(value) ||
    (value.match(/\s[A-Za-z0-9_]{2,8}\s?:\s/g) ?? []).length >= 2
  )
    return undefined;
  return label.trim();
}

/**
 * The longest run of labelled-field lines in the sender's own words, its signature left out, counting each label once:
 * a form names each field once, a log repeats its prefix ("ACPI Error: …" three times is one field).
 */
function fieldRun(own: string): number {
  let labels = new Set<string>();
  let others = 0;
  let best = 0;
  for (const line of own.split('\n')) {
    if (line.trim() === '') continue;
    const label = line.length <= 200 ? fieldLabel(line)?.toLowerCase() : undefined;
    if (label === undefined) {
      labels = new Set();
      others = 0;
      continue;
    }
    if (labels.has(label)) continue;
    labels.add(label);
    // Contact details belong to a form too ("Email: …"), but alone they are a signature's: a run needs two other fields.
    if (!contactField.test(label)) others++;
    if (others >= 2) best = Math.max(best, labels.size);
  }
  return best;
}

/** How many different web addresses, scheme, `www.` and a trailing slash aside. */
function distinct(urls: readonly string[]): number {
  return new Set(
    urls.map((u) =>
      u
        .toLowerCase()
        .replace(/&amp;/g, '&')
        .replace(/^https?:\/\//, '')
        .replace(/^www\./, '')
        .replace(/[/.,;:]+$/, ''),
    ),
  ).size;
}

export const layoutRules: Rule = (view) => {
  const out: Signal[] = [];
  const ct = view.mail.contentType.toLowerCase();
  const reportType = /report-type\s*=\s*"?([\w-]+)/.exec(ct)?.[1];
  if (ct.startsWith('multipart/report') && reportType && !/delivery-status|disposition-notification/.test(reportType)) {
    out.push(signal('layout.report', 'system', 3, `multipart/report; report-type=${reportType} (a machine report)`));
  }
  // Links and pixels of the sender's own HTML only: a quoted request or newsletter below a reply is not the sender's layout.
  const html = view.freshHtml ?? view.mail.html;
  // Distinct addresses: "http://www.x [http://www.x]" (HTML flattened to text) is one link, not four.
  const textLinks = distinct(view.fresh.match(/\b(?:https?:\/\/|www\.)[^\s<>[\]()"']+/gi) ?? []);
  // Tag bodies stop at the next `<`, so a run of unclosed tags is read once. Mail programs turn every address into a
  // mailto: link, so only web links count.
  const htmlLinks = distinct(
    [...(html?.matchAll(/<a\s[^<>]{0,2000}?href\s{0,4}=\s{0,4}["']?([^"'\s>]+)/gi) ?? [])].map((m) => m[1] ?? '').filter((h) => !/^(mailto|tel|cid):/i.test(h)),
  );
  const links = Math.max(textLinks, htmlLinks);
  if (links >= MANY_LINKS) out.push(signal('layout.links', 'marketing', 1.2, `${links} links (newsletter-style)`));
  if (html && /<img\b[^<>]{0,2000}?\b(?:width|height)\s{0,8}=\s{0,8}["']?1(?:px)?["'\s>;]/i.test(html)) {
    out.push(signal('layout.pixel', 'marketing', 1.5, 'a 1×1 tracking image'));
  }
  const separators = view.fresh.split('\n').filter((l) => /^\s*([=*#~_-])\1{19,}\s*$/.test(l)).length;
  if (separators >= 2) out.push(signal('layout.separators', 'system', 0.8, `${separators} banner separator lines`, true));
  const notice = commitNoticeLines.filter((re) => re.test(view.fresh)).length;
  if (notice >= 2) out.push(signal('layout.commit-notice', 'system', 2.5, "a code host's push notification (branch, commit, changed paths)"));
  const own = view.signature ? view.fresh.slice(0, view.fresh.lastIndexOf(view.signature)) : view.fresh;
  const fields = fieldRun(own.slice(0, 20_000));
  if (fields >= FIELD_RUN)
    out.push(signal('layout.fields', 'system', 1, `${fields} lines of labelled fields in a row (a form echoed back, a notification or a report)`, true));
  const isReply = view.mail.inReplyTo !== undefined || view.mail.references.length > 0 || /^\s*(re|aw|sv|antw|回复|回覆|答复)\s*[:：]/i.test(view.subject);
  if (!isReply && view.fresh.length > BROADCAST_CHARS) {
    out.push(signal('layout.broadcast', 'marketing', 0.8, `${view.fresh.length} characters of its own, not a reply to anything`, true));
  }
  return out;
};
