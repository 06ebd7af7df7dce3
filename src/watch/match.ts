// Matches an incoming e-mail to its probe (our own Message-ID, In-Reply-To/References, helpdesk thread ids, the token, the plus-address,
// then ticket tags) and judges whether the match may be credited or needs a person.
import type { ParsedMail } from '../classify/types.ts';
import type { ProbeRef, ProbeView } from '../store/probes.ts';
import { findToken, tokenPattern } from '../core/token.ts';

export type MatchMethod =
  | 'own_message_id'
  | 'in_reply_to'
  | 'references'
  | 'thread'
  | 'helpdesk_thread'
  | 'token_subject'
  | 'token_body'
  | 'plus_address'
  | 'ticket_ref'
  | 'token_raw';

interface ProbeMatch {
  probe: ProbeView;
  method: MatchMethod;
}

/** What matching may look up; the watcher passes store queries. */
export interface MatchLookups {
  byMessageId(messageId: string): ProbeView | undefined;
  byToken(token: string): ProbeView | undefined;
  byTicket(ticket: string): ProbeView[];
  /** Probes that learned this helpdesk reference (subject tags only from `domain`); two or more are a guess. */
  byRef(kind: ProbeRef['kind'], value: string, domain?: string): ProbeView[];
  /** The probe an earlier stored reply with this Message-ID belongs to. */
  probeOfReply(messageId: string): ProbeView | undefined;
}

/** `<id@host>` whatever the parser left of the brackets. */
export function normalizeMessageId(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const inner = trimmed.match(/<([^<>\s]+)>/)?.[1] ?? trimmed.replace(/^<|>$/g, '');
  return inner ? `<${inner}>` : undefined;
}

/** A ticket tag of a subject: `value` is what probes are matched by, `number` the helpdesk's own ticket id. */
interface SubjectTag {
  value: string;
  number: string;
}

interface TagPattern {
  pattern: RegExp;
  tag(groups: string[]): SubjectTag;
}

const byNumber = (groups: string[]): SubjectTag => {
  const number = (groups[0] ?? '').toUpperCase();
  return { value: number, number };
};

// In the order tried; each match is blanked before the next pattern, so `[vendor.test #3]` is not also a bare `#3`.
// Every pattern is linear: no nested or overlapping quantifiers.
const tagPatterns: TagPattern[] = [
  // Request Tracker: `[rtname #3]` — the queue's rtname is part of the tag.
  { pattern: /\[([a-z0-9][a-z0-9.-]{0,100})\s+#(\d{1,12})\]/gi, tag: ([rtname = '', n = '']) => ({ value: `${rtname.toUpperCase()} #${n}`, number: n }) },
  // Znuny/OTRS: `[Ticket#2026010110000012]`, `Ticket#: 2026010110000012`.
  { pattern: /\bticket#\s*:?\s*(\d{6,24})\b/gi, tag: byNumber },
  // Zoho Desk / ServiceDesk Plus: `[Request ID :##RE-12345##]`.
  { pattern: /##\s*([a-z]{1,8}-\d{1,12}|\d{1,12})\s*##/gi, tag: byNumber },
  // Jira Service Management: `[JIRA] (SUP-12) Summary`.
  { pattern: /\[jira\]\s*\(([a-z][a-z0-9_]{0,30}-\d{1,12})\)/gi, tag: byNumber },
  // Salesforce Email-to-Case thread id: `[ ref:_00D5g0abc._5005g0XYZ:ref ]`.
  {
    pattern: /ref:_?([a-z0-9]{5,20})\._?([a-z0-9]{5,20}):ref/gi,
    tag: ([org = '', rec = '']) => ({ value: `REF:${org}.${rec}`.toUpperCase(), number: `${org}.${rec}` }),
  },
  // WHMCS, osTicket and others: `(Ticket ID: 123)`, `[Ticket ID: #123]`.
  { pattern: /[([]\s*ticket\s+id\s*:\s*#?\s*([a-z0-9][a-z0-9-]{0,30})\s*[)\]]/gi, tag: byNumber },
  // Freshdesk, Help Scout and generic desks: `[#1234]`.
  { pattern: /\[#\s*([a-z0-9][a-z0-9-]{0,30})\]/gi, tag: byNumber },
  // `Ticket #1234`, `Case #00012345`, `Request ID: 42`, `Incident no. 7`.
  { pattern: /\b(?:ticket|case|request|incident|issue)(?:\s+(?:id|no\.?|number))?\s*(?::\s*#?|#)\s*([a-z]{0,5}-?\d{1,20})\b/gi, tag: byNumber },
  // Salesforce's default `Case 00012345:`.
  { pattern: /\bcase\s+(\d{5,20})\b/gi, tag: byNumber },
  // Chinese desks: `工单号: 1234`, `工单 #1234`, `【工单 #1234】`.
  { pattern: /(?:工单编号|工单号|工单|单号|案例号)\s*[:：]?\s*[#＃]?\s*([a-z]{0,8}-?\d[\d-]{0,30})/gi, tag: byNumber },
  // A bare `#3` (not an HTML entity).
  { pattern: /(?:^|[^\w&#])#(\d{1,12})\b/g, tag: byNumber },
];

const subjectLimit = 2_000;

/** Every ticket tag of a subject, most specific form first; our own token is never a ticket. */
export function subjectTags(subject: string | undefined): SubjectTag[] {
  if (!subject) return [];
  let rest = subject.slice(0, subjectLimit);
  const tags: SubjectTag[] = [];
  for (const { pattern, tag } of tagPatterns) {
    rest = rest.replace(pattern, (whole: string, ...args: unknown[]) => {
      const groups = args.filter((a): a is string => typeof a === 'string');
      const found = tag(groups);
      if (found.number && !/^FR-/i.test(found.number) && !tags.some((t) => t.value === found.value)) tags.push(found);
      return ' '.repeat(whole.length);
    });
  }
  return tags;
}

/** The helpdesk's ticket number in a subject (the first tag's), for the probe's `ticket_ref`. */
export function findTicketRef(text: string | undefined): string | undefined {
  return subjectTags(text)[0]?.number;
}

/**
 * A helpdesk's per-ticket thread id, as a key shared by every mail of the ticket: Request Tracker's
 * `<RT-Ticket-3@host>`, `<ticket-123@host>`, Zendesk's `<ENCODEDID@zendesk.com>` and `<ENCODEDID_…_sprut@zendesk.com>`.
 */
export function helpdeskThreadKey(messageId: string | undefined): string | undefined {
  const id = normalizeMessageId(messageId);
  if (!id || id.length > 300) return undefined;
  if (/^<rt-ticket-\d{1,12}@[^<>@\s]+>$/i.test(id) || /^<ticket[-._]\d{1,20}@[^<>@\s]+>$/i.test(id)) return id.toLowerCase();
  const zendesk = /^<([a-z0-9]{6,16})(?:_[a-z0-9_]{1,100}_sprut)?@zendesk\.com>$/i.exec(id);
  if (zendesk?.[1]) return `zendesk:${zendesk[1].toUpperCase()}`;
  return undefined;
}

/** The domain of the mail's sender, lower-cased. */
function senderDomain(mail: Pick<ParsedMail, 'from'>): string | undefined {
  const address = mail.from?.address;
  const at = address?.lastIndexOf('@') ?? -1;
  return address && at >= 0 ? address.slice(at + 1).toLowerCase() : undefined;
}

const threadIdsOf = (mail: Pick<ParsedMail, 'messageId' | 'inReplyTo' | 'references'>): string[] =>
  [mail.inReplyTo, mail.messageId, ...mail.references].slice(0, 100).flatMap((r) => normalizeMessageId(r) ?? []);

/** What a probe learns from a reply of its own: its subject's ticket tags (scoped to the sender's domain) and helpdesk thread ids. */
export function helpdeskRefs(mail: ParsedMail): ProbeRef[] {
  const domain = senderDomain(mail) ?? null;
  const refs: ProbeRef[] = domain ? subjectTags(mail.subject).map((t) => ({ kind: 'subject', value: t.value, domain })) : [];
  for (const id of threadIdsOf(mail)) {
    const key = helpdeskThreadKey(id);
    if (key && !refs.some((r) => r.kind === 'thread' && r.value === key)) refs.push({ kind: 'thread', value: key });
  }
  return refs;
}

/** Matches strong enough to teach a probe its helpdesk references: never a guess by ticket number or a bounce's quoted original. */
export const teachingMethods: ReadonlySet<MatchMethod> = new Set([
  'in_reply_to',
  'references',
  'thread',
  'helpdesk_thread',
  'token_subject',
  'token_body',
  'plus_address',
]);

/** The one probe among the candidates; none when they disagree (two desks' counters can collide: that would be a guess). */
function only(candidates: readonly ProbeView[]): ProbeView | undefined {
  const first = candidates[0];
  if (!first || candidates.some((c) => c.id !== first.id)) return undefined;
  return first;
}

const addressHeaders = ['delivered-to', 'x-original-to', 'envelope-to', 'to', 'cc'];

/** `raw`, when given, is searched last: bounces carry our token only in the returned headers or the original message. */
export function matchProbe(mail: ParsedMail, lookups: MatchLookups, options: { plusAddressing: boolean; raw?: Buffer }): ProbeMatch | undefined {
  // A copy of our own probe (a list or desk echoing it, a server filing it): no reply, but kept.
  const own = normalizeMessageId(mail.messageId);
  const ownProbe = own ? lookups.byMessageId(own) : undefined;
  if (ownProbe) return { probe: ownProbe, method: 'own_message_id' };
  const inReplyTo = normalizeMessageId(mail.inReplyTo);
  if (inReplyTo) {
    const probe = lookups.byMessageId(inReplyTo);
    if (probe) return { probe, method: 'in_reply_to' };
  }
  const references = mail.references.map(normalizeMessageId).filter((r): r is string => r !== undefined);
  for (const ref of [...references].reverse()) {
    const probe = lookups.byMessageId(ref);
    if (probe) return { probe, method: 'references' };
  }
  for (const ref of [inReplyTo, ...[...references].reverse()]) {
    const probe = ref ? lookups.probeOfReply(ref) : undefined;
    if (probe) return { probe, method: 'thread' };
  }
  const byThreadKey = only(
    threadIdsOf(mail).flatMap((id) => {
      const key = helpdeskThreadKey(id);
      return key ? lookups.byRef('thread', key) : [];
    }),
  );
  if (byThreadKey) return { probe: byThreadKey, method: 'helpdesk_thread' };

  const byToken = (text: string | undefined) => {
    const token = findToken(text);
    return token ? lookups.byToken(token) : undefined;
  };
  const fromSubject = byToken(mail.subject);
  if (fromSubject) return { probe: fromSubject, method: 'token_subject' };
  const fromBody = byToken(mail.text) ?? byToken(mail.html);
  if (fromBody) return { probe: fromBody, method: 'token_body' };

  if (options.plusAddressing) {
    const addresses = [...mail.to, ...addressHeaders.flatMap((h) => mail.headers[h] ?? [])];
    for (const address of addresses) {
      const probe = byToken(address);
      if (probe) return { probe, method: 'plus_address' };
    }
  }

  const tags = subjectTags(mail.subject);
  const domain = senderDomain(mail);
  const byTag = domain ? only(tags.flatMap((t) => lookups.byRef('subject', t.value, domain))) : undefined;
  if (byTag) return { probe: byTag, method: 'ticket_ref' };
  // A ticket number the channel itself captured (a web form's confirmation page), not scoped to a sender.
  const ticket = tags[0]?.number;
  if (ticket && ticket.length >= 3) {
    const byTicket = only(lookups.byTicket(ticket));
    if (byTicket) return { probe: byTicket, method: 'ticket_ref' };
  }
  const rawToken = options.raw ? findTokenInBytes(options.raw) : undefined;
  const inRaw = rawToken ? lookups.byToken(rawToken) : undefined;
  if (inRaw) return { probe: inRaw, method: 'token_raw' };
  return undefined;
}

/** Bytes of a raw message decoded at a time when it is searched for a token. */
const rawTokenWindow = 64 * 1024;
const tokenLength = 'FR-'.length + 10;
const tokenPatternAll = new RegExp(tokenPattern.source, 'gi');

/**
 * The first token in raw bytes, as findToken finds it in their latin1 text, decoded a window at a time: a whole
 * message as one string (megabytes, held outside the heap until a collection) would double the memory a catch-up
 * needs. Each window is decoded with the byte before it and the token's length after it, so `\b` sees the same
 * neighbours; it reports only tokens starting inside it, and windows are read in order.
 */
export function findTokenInBytes(raw: Buffer, window = rawTokenWindow): string | undefined {
  for (let start = 0; start < raw.length; start += window) {
    const from = Math.max(0, start - 1);
    const text = raw.toString('latin1', from, Math.min(raw.length, start + window + tokenLength));
    for (const match of text.matchAll(tokenPatternAll)) {
      const at = from + match.index;
      if (at >= start + window) break;
      if (at >= start) return match[0].toUpperCase();
    }
  }
  return undefined;
}

/** How a matched mail is recorded: credited as a reply, kept as our own copy, or held for a person with the reason. */
export type MatchJudgement = { kind: 'reply'; provesDelivery: boolean } | { kind: 'own_copy' } | { kind: 'review'; reason: string };

/** Whom a reply may come from. */
export interface SenderTrust {
  /** The domains a vendor's replies come from (subdomains included): declared, or its addresses' and acknowledgements'. */
  replyDomains(vendor: string): readonly string[];
  /** Our own mail domains: a bounce from our relay carries the token only in the returned message. */
  ownDomains: readonly string[];
}

const threadMethods: ReadonlySet<MatchMethod> = new Set(['in_reply_to', 'references', 'thread', 'helpdesk_thread']);
/** Matches that rest on text anyone holding the probe can quote: they must come from the vendor's domains. */
const quotingMethods: ReadonlySet<MatchMethod> = new Set(['token_subject', 'token_body', 'plus_address', 'token_raw']);

/** `domain` is one of `domains` or a subdomain of one. */
export function withinDomains(domain: string, domains: readonly string[]): boolean {
  const d = domain.toLowerCase();
  return domains.some((allowed) => {
    const a = allowed.toLowerCase().replace(/^\.+/, '');
    return a !== '' && (d === a || d.endsWith(`.${a}`));
  });
}

const domainOfAddress = (address: string): string | undefined => {
  const at = address.lastIndexOf('@');
  const domain =
    at >= 0
      ? address
          .slice(at + 1)
          .trim()
          .toLowerCase()
      : '';
  return domain || undefined;
};

/**
 * A vendor's reply domains: the declared `reply_domains` when given; else the domains of its channel addresses and
 * website, and of the senders of its acknowledgements (the helpdesk it answers through).
 */
export function vendorReplyDomains(
  vendor: { reply_domains?: readonly string[] | undefined; website?: string | undefined },
  addresses: readonly string[],
  ackSenders: readonly string[],
): string[] {
  if (vendor.reply_domains && vendor.reply_domains.length > 0) return [...new Set(vendor.reply_domains.map((d) => d.toLowerCase()))];
  const domains = new Set<string>();
  for (const address of [...addresses, ...ackSenders]) {
    const domain = domainOfAddress(address);
    if (domain) domains.add(domain);
  }
  if (vendor.website) {
    try {
      domains.add(new URL(vendor.website).hostname.toLowerCase().replace(/^www\./, ''));
    } catch {
      // A website the schema let through but URL cannot read adds no domain.
    }
  }
  return [...domains];
}

/**
 * Whether a match may be credited. Held for review: a mail quoting a probe's token (or written to its plus-address)
 * from outside the vendor's reply domains, and one whose threading and token name different probes.
 */
export function judgeMatch(mail: ParsedMail, match: ProbeMatch, lookups: Pick<MatchLookups, 'byToken'>, trust: SenderTrust): MatchJudgement {
  if (match.method === 'own_message_id') return { kind: 'own_copy' };
  if (threadMethods.has(match.method)) {
    const token = findToken(mail.subject) ?? findToken(mail.text) ?? findToken(mail.html);
    const named = token ? lookups.byToken(token) : undefined;
    if (named && named.id !== match.probe.id) {
      return { kind: 'review', reason: `threading (${match.method}) names probe ${match.probe.id} but the token ${token} names probe ${named.id}` };
    }
  }
  if (quotingMethods.has(match.method)) {
    const domain = senderDomain(mail);
    const allowed = trust.replyDomains(match.probe.vendor);
    const trusted = match.method === 'token_raw' ? [...allowed, ...trust.ownDomains] : allowed;
    const known = allowed.length > 0 ? allowed.join(', ') : 'none known: declare reply_domains';
    if (!domain) return { kind: 'review', reason: `quotes probe ${match.probe.id}'s token (${match.method}) without a sender address` };
    if (!withinDomains(domain, trusted)) {
      return {
        kind: 'review',
        reason: `quotes probe ${match.probe.id}'s token (${match.method}) from ${domain}, outside ${match.probe.vendor}'s reply domains (${known})`,
      };
    }
  }
  return { kind: 'reply', provesDelivery: teachingMethods.has(match.method) };
}
