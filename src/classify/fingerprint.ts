// Template fingerprints: a reply's text skeleton (names, numbers, links blanked) — the same skeleton twice is a template.
import { createHash } from 'node:crypto';
import type { MessageLabel } from '../store/messages.ts';
import { signal, splitQuotes, type Rule } from './view.ts';

/** Skeletons shorter than this say too little ("Thanks!") to call a repeat a template. */
export const MIN_SKELETON_CHARS = 60;

const greeting = /^\s*(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)\b|您好|你好|尊敬的|親愛的|亲爱的)[^\n]{0,60}\n/i;

/** The text with everything that varies between two sends of one template removed. */
export function skeleton(text: string): string {
  const lines = text.replace(greeting, '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.join(' ')
    .replace(/https?:\/\/\S+|www\.\S+/gi, ' ')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ')
    .replace(/\bFR-[A-Z0-9]{6,}\b/g, ' ')
    .replace(/\S*\d\S*/g, ' ')
    .replace(/\b[A-Z][a-z]+\b/g, (w) => (commonCapitalized.has(w.toLowerCase()) ? w : ' '))
    .toLowerCase()
    .replace(/[^\p{L}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 800);
}

const commonCapitalized = new Set(['we', 'our', 'your', 'you', 'thank', 'thanks', 'this', 'the', 'a', 'if', 'please', 'in', 'one', 'for', 'to', 'it', 'i', 'best', 'kind', 'regards', 'hi', 'hello', 'dear', 'do', 'note', 'you\'ll', 'we\'ll', 'we\'ve', 'meanwhile', 'sincerely', 'cheers', 'any', 'all', 'while', 'as', 'when', 'there', 'that', 'what', 'how', 'can', 'is', 'have', 'has', 'and', 'or', 'no', 'yes', 'support', 'team', 'ticket', 'request']);

export function fingerprintOf(text: string): string | undefined {
  const skel = skeleton(text);
  if (skel.replace(/\s/g, '').length < MIN_SKELETON_CHARS) return undefined;
  return createHash('sha256').update(skel).digest('hex').slice(0, 20);
}

/** The fingerprint of a stored reply's text, computed as the classifier did (the sender's own words, quotes dropped). */
export function replyFingerprint(text: string): string | undefined {
  return fingerprintOf(splitQuotes(text).fresh || text);
}

const templateKinds: ReadonlySet<MessageLabel> = new Set(['auto_ack', 'out_of_office', 'bounce', 'bot', 'marketing', 'system']);

export const fingerprintRules: Rule = (view) => {
  const known = view.ctx.knownFingerprints;
  if (!known || known.size === 0) return [];
  const print = fingerprintOf(view.fresh || view.mail.text);
  if (!print || !known.has(print)) return [];
  const kind = view.ctx.templateLabels?.get(print);
  const reason = `same text skeleton as an earlier message from ${view.ctx.vendor ?? 'this sender'} (template ${print.slice(0, 8)})`;
  if (kind && templateKinds.has(kind)) return [signal('fingerprint.template', kind, 2.5, `${reason}, labelled ${kind}`)];
  return [signal('fingerprint.template', 'auto_ack', 2.5, reason, true)];
};
