// Template fingerprints: a reply's text skeleton (names, numbers, links blanked) — the same skeleton twice is a template.
import { createHash } from 'node:crypto';
import type { MessageLabel } from '../core/labels.ts';
import { signal, splitQuotes, type Rule } from './view.ts';
import { replyPace } from './timing.ts';

/** Skeletons shorter than this say too little ("Thanks!") to call a repeat a template. */
const MIN_SKELETON_CHARS = 60;

const greeting = /^\s*(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)\b|您好|你好|尊敬的|親愛的|亲爱的)[^\n]{0,60}\n/i;

/** The text with everything that varies between two sends of one template removed. */
function skeleton(text: string): string {
  const lines = text
    .replace(greeting, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return (
    lines
      .join(' ')
      .replace(/https?:\/\/\S+|www\.\S+/gi, ' ')
      // Each pattern starts only where its run starts (a lookbehind, or whole words), so a long run is read once: linear.
      .replace(/(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' ')
      .replace(/\bFR-[A-Z0-9]{6,}\b/g, ' ')
      .replace(/\S+/g, (word) => (/\d/.test(word) ? ' ' : word))
      .replace(/\b[A-Z][a-z]+\b/g, (w) => (commonCapitalized.has(w.toLowerCase()) ? w : ' '))
      .toLowerCase()
      .replace(/[^\p{L}\s]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 800)
  );
}

const commonCapitalized = new Set([
  'we',
  'our',
  'your',
  'you',
  'thank',
  'thanks',
  'this',
  'the',
  'a',
  'if',
  'please',
  'in',
  'one',
  'for',
  'to',
  'it',
  'i',
  'best',
  'kind',
  'regards',
  'hi',
  'hello',
  'dear',
  'do',
  'note',
  "you'll",
  "we'll",
  "we've",
  'meanwhile',
  'sincerely',
  'cheers',
  'any',
  'all',
  'while',
  'as',
  'when',
  'there',
  'that',
  'what',
  'how',
  'can',
  'is',
  'have',
  'has',
  'and',
  'or',
  'no',
  'yes',
  'support',
  'team',
  'ticket',
  'request',
]);

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

/**
 * A skeleton the vendor sent before. Pace decides what the repeat means: the same text seconds after each probe is
 * a machine; the same text at a person's pace, never seen fast, is an agent's saved reply (human, flagged canned).
 */
export const fingerprintRules: Rule = (view) => {
  const templates = view.ctx.templates;
  if (!templates || templates.size === 0) return [];
  const print = fingerprintOf(view.fresh || view.mail.text);
  const memory = print ? templates.get(print) : undefined;
  if (!print || !memory) return [];
  const pace = replyPace(view.ctx);
  const kind = templateKinds.has(memory.label) ? memory.label : undefined;
  const reason = `same text skeleton as ${memory.seen} earlier message(s) from ${view.ctx.vendor ?? 'this sender'} (template ${print.slice(0, 8)}${kind ? `, labelled ${kind}` : ''})`;
  if (pace === 'paced' && memory.fastSeen === 0) {
    if (kind && memory.label !== 'auto_ack') return [signal('fingerprint.template', kind, 1, `${reason}, always at a person's pace`)];
    return [signal('fingerprint.canned', 'human', 0, `${reason}, at a person's pace: a saved reply (canned), not proof of a machine`)];
  }
  const weight = pace === 'fast' || memory.fastSeen > 0 ? 2.5 : 1.5;
  const paceReason =
    pace === 'fast' ? ', again within seconds of our probe' : memory.fastSeen > 0 ? `, ${memory.fastSeen} time(s) within seconds of a probe` : '';
  if (kind) return [signal('fingerprint.template', kind, weight, `${reason}${paceReason}`)];
  return [signal('fingerprint.template', 'auto_ack', weight, `${reason}${paceReason}`, true)];
};
