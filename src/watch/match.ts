// Matches an incoming e-mail to its probe: In-Reply-To/References, then the token, then the plus-address, then a ticket number.
import type { ParsedMail } from '../classify/types.ts';
import type { ProbeView } from '../store/probes.ts';
import { findToken } from '../runner/token.ts';

export type MatchMethod = 'in_reply_to' | 'references' | 'thread' | 'token_subject' | 'token_body' | 'plus_address' | 'ticket_ref' | 'token_raw';

export interface ProbeMatch {
  probe: ProbeView;
  method: MatchMethod;
}

/** What matching may look up; the watcher passes store queries. */
export interface MatchLookups {
  byMessageId(messageId: string): ProbeView | undefined;
  byToken(token: string): ProbeView | undefined;
  byTicket(ticket: string): ProbeView[];
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

/** Ticket numbers helpdesks put in subjects: `[#1234]`, `Ticket #1234`, `Case 00012345`, `[Request ID: 42]`, `工单号：1234`. */
const ticketPatterns: RegExp[] = [
  /\[#\s*([A-Z0-9][A-Z0-9-]{2,})\]/i,
  /\b(?:ticket|case|request|incident|issue)\s*(?:id|no\.?|number)?\s*[:#]?\s*#?\s*([A-Z]{0,5}-?\d{3,})\b/i,
  /(?:工单|工单号|单号|案例|请求)\s*[:：#＃]?\s*([A-Z0-9-]{3,})/i,
];

export function findTicketRef(text: string | undefined): string | undefined {
  if (!text) return undefined;
  for (const pattern of ticketPatterns) {
    const found = text.match(pattern)?.[1];
    if (found && !/^FR-/i.test(found)) return found.toUpperCase();
  }
  return undefined;
}

const addressHeaders = ['delivered-to', 'x-original-to', 'envelope-to', 'to', 'cc'];

/** `raw`, when given, is searched last: bounces carry our token only in the returned headers or the original message. */
export function matchProbe(mail: ParsedMail, lookups: MatchLookups, options: { plusAddressing: boolean; raw?: Buffer }): ProbeMatch | undefined {
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

  const ticket = findTicketRef(mail.subject);
  if (ticket) {
    const candidates = lookups.byTicket(ticket);
    // Two probes with the same ticket number (different vendors' counters) would be a guess: leave it unmatched.
    if (candidates.length === 1 && candidates[0]) return { probe: candidates[0], method: 'ticket_ref' };
  }
  const inRaw = options.raw ? byToken(options.raw.toString('latin1')) : undefined;
  if (inRaw) return { probe: inRaw, method: 'token_raw' };
  return undefined;
}
