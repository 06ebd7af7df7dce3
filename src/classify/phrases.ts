// Phrase families shared by the language rule files: patterns that together make one weighted, quoted reason.
import type { MessageLabel } from '../core/labels.ts';
import type { Signal } from './types.ts';
import { firstMatch, signal } from './view.ts';

/** A pattern alone, or with its own weight when it is weaker (or stronger) evidence than the family's default. */
export type Phrase = RegExp | [RegExp, number];

export interface PhraseFamily {
  rule: string;
  label: MessageLabel;
  /** Weight of the strongest matching pattern; each further distinct match adds `more`, up to `max`. */
  weight: number;
  more: number;
  max: number;
  what: string;
  patterns: Phrase[];
  subject?: RegExp[];
  /** Says "automatic" without saying which kind. */
  generic?: boolean;
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * A family whose patterns are written in lower case, to run without the `i` flag over lower-cased text: with the `u`
 * flag a case-insensitive pattern costs about ten times as much (the European families: 253 µs a mail against 20).
 * A capital letter outside an escape would never match lower-cased text, so it is refused when the module loads.
 */
export function caseless(family: PhraseFamily): PhraseFamily {
  const strip = (re: RegExp): RegExp => {
    if (/(?<!\\)[A-Z]/.test(re.source.replace(/\\[pP]\{[^}]*\}/g, ''))) throw new Error(`${family.rule}: a capital letter in ${re.source}`);
    return new RegExp(re.source, re.flags.replace('i', ''));
  };
  return {
    ...family,
    patterns: family.patterns.map((p) => (Array.isArray(p) ? [strip(p[0]), p[1]] : strip(p))),
    ...(family.subject ? { subject: family.subject.map(strip) } : {}),
  };
}

/** Line breaks inside a sentence must not hide a phrase from a pattern. */
export function flatten(text: string): string {
  return text.replace(/\s+/g, ' ');
}

export function familySignals(flatText: string, subject: string, family: PhraseFamily): Signal[] {
  const hits: { text: string; weight: number }[] = [];
  for (const phrase of family.patterns) {
    const [re, weight] = Array.isArray(phrase) ? phrase : [phrase, family.weight];
    const m = re.exec(flatText);
    if (m) hits.push({ text: m[0].trim().slice(0, 70), weight });
  }
  const subjectHit = family.subject ? firstMatch(subject, family.subject) : undefined;
  const out: Signal[] = [];
  if (hits.length > 0) {
    hits.sort((a, b) => b.weight - a.weight);
    const weight = Math.min(family.max, (hits[0]?.weight ?? 0) + family.more * (hits.length - 1));
    out.push(
      signal(
        family.rule,
        family.label,
        round(weight),
        `${family.what}: "${hits
          .slice(0, 3)
          .map((h) => h.text)
          .join('", "')}"`,
        family.generic,
      ),
    );
  }
  if (subjectHit) out.push(signal(`${family.rule}.subject`, family.label, round(family.weight * 0.7), `subject: "${subjectHit}"`, family.generic));
  return out;
}

/** A person-wording signal from a list of patterns: each distinct hit adds, up to a cap. */
export function personSignal(rule: string, flatText: string, patterns: readonly RegExp[], what: string): Signal[] {
  const hits = patterns.map((re) => re.exec(flatText)?.[0]).filter((m): m is string => m !== undefined);
  if (hits.length === 0) return [];
  return [
    signal(
      rule,
      'human',
      round(Math.min(2.2, 0.9 + 0.5 * (hits.length - 1))),
      `${what}: "${hits
        .slice(0, 3)
        .map((h) => h.trim().slice(0, 50))
        .join('", "')}"`,
    ),
  ];
}
