// Pure: does a reply contain what the template's `expect:` says a good answer contains? Every group met by a term that
// is neither negated in its clause nor part of a question back to the customer.
import type { Expect, ExpectGroup } from '../config/template-quality.ts';
import { clausesOf, compileTerm, negationBefore, scriptOf, scriptOfLanguage, sentencesOf, type Term } from './text.ts';

interface CompiledGroup {
  name: string;
  terms: Term[];
}

/** Groups per language tag; `*` holds groups written for every language. */
type CompiledExpect = Map<string, CompiledGroup[]>;

function compileGroup(group: ExpectGroup, index: number): CompiledGroup {
  const terms = Array.isArray(group) ? group : group.any;
  const name =
    !Array.isArray(group) && group.name !== undefined ? group.name : `group ${index + 1} {${terms.slice(0, 3).join('|')}${terms.length > 3 ? '|…' : ''}}`;
  return { name, terms: terms.map(compileTerm) };
}

export function compileExpect(expect: Expect): CompiledExpect {
  if (Array.isArray(expect)) return new Map([['*', expect.map(compileGroup)]]);
  return new Map(Object.entries(expect).map(([language, groups]) => [language, groups.map(compileGroup)]));
}

/** The groups that apply to a reply: those of its script's language, else the template's language, else the shared ones. */
function groupsFor(expect: CompiledExpect, replyText: string, templateLanguage: string): { language: string; groups: CompiledGroup[] } | undefined {
  const shared = expect.get('*');
  if (shared) return { language: '*', groups: shared };
  const script = scriptOf(replyText);
  const matching = [...expect.keys()].find((tag) => script !== undefined && scriptOfLanguage(tag) === script);
  const language = matching ?? (expect.has(templateLanguage) ? templateLanguage : [...expect.keys()][0]);
  const groups = language === undefined ? undefined : expect.get(language);
  return language !== undefined && groups ? { language, groups } : undefined;
}

interface GroupVerdict {
  group: string;
  /** The term that met it, or null. */
  met: string | null;
  /** Occurrences that did not count, each with why ("negated by "cannot"", "asked back as a question"). */
  discounted: string[];
}

interface RubricVerdict {
  met: boolean;
  language: string;
  groups: GroupVerdict[];
  /** One line per group, for the probe's reasons. */
  reasons: string[];
}

/** Reads a reply against the groups: a term counts only outside negation and outside questions about the customer. */
export function meetsExpect(text: string, expect: CompiledExpect, templateLanguage: string): RubricVerdict | undefined {
  const picked = groupsFor(expect, text, templateLanguage);
  if (!picked) return undefined;
  const sentences = sentencesOf(text);
  const groups: GroupVerdict[] = picked.groups.map((group) => {
    const discounted: string[] = [];
    for (const sentence of sentences) {
      for (const clause of clausesOf(sentence.text)) {
        for (const term of group.terms) {
          for (const at of term.find(clause)) {
            const negation = negationBefore(clause, at);
            if (negation !== undefined) {
              if (discounted.length < 3) discounted.push(`"${term.written}" negated by "${negation}"`);
              continue;
            }
            if (sentence.infoQuestion) {
              if (discounted.length < 3) discounted.push(`"${term.written}" only in a question back to us`);
              continue;
            }
            return { group: group.name, met: term.written, discounted };
          }
        }
      }
    }
    return { group: group.name, met: null, discounted };
  });
  const met = groups.every((g) => g.met !== null);
  const reasons = groups.map((g) =>
    g.met !== null ? `expect ${g.group}: met by "${g.met}"` : `expect ${g.group}: not met${g.discounted.length > 0 ? ` (${g.discounted.join('; ')})` : ''}`,
  );
  return { met, language: picked.language, groups, reasons };
}
