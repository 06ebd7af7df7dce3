// Phrase families shared by the language rule files: patterns that together make one weighted, quoted reason.
import type { MessageLabel } from '../store/messages.ts';
import type { Signal } from './types.ts';
import { firstMatch, signal } from './view.ts';

export interface PhraseFamily {
  rule: string;
  label: MessageLabel;
  /** Weight of the first matching pattern; each further distinct match adds `more`, up to `max`. */
  weight: number;
  more: number;
  max: number;
  what: string;
  patterns: RegExp[];
  subject?: RegExp[];
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export function familySignals(text: string, subject: string, family: PhraseFamily): Signal[] {
  const hits: string[] = [];
  for (const re of family.patterns) {
    const m = re.exec(text);
    if (m) hits.push(m[0].replace(/\s+/g, ' ').trim().slice(0, 70));
  }
  const subjectHit = family.subject ? firstMatch(subject, family.subject) : undefined;
  const out: Signal[] = [];
  if (hits.length > 0) {
    const weight = Math.min(family.max, family.weight + family.more * (hits.length - 1));
    out.push(signal(family.rule, family.label, round(weight), `${family.what}: "${hits.slice(0, 3).join('", "')}"`));
  }
  if (subjectHit) out.push(signal(`${family.rule}.subject`, family.label, round(family.weight * 0.7), `subject: "${subjectHit}"`));
  return out;
}

/** A person-wording signal from a list of patterns: each distinct hit adds, up to a cap. */
export function personSignal(rule: string, text: string, patterns: readonly RegExp[], what: string): Signal[] {
  const hits = patterns.map((re) => re.exec(text)?.[0]).filter((m): m is string => m !== undefined);
  if (hits.length === 0) return [];
  return [signal(rule, 'human', round(Math.min(2.2, 0.9 + 0.5 * (hits.length - 1))), `${what}: "${hits.slice(0, 3).map((h) => h.trim().slice(0, 50)).join('", "')}"`)];
}
