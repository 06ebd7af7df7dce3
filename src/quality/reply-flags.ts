// Pure: flags on a human reply besides the rubric: canned (a saved reply at a person's pace), language match, hand-offs.
import { scriptOf, scriptOfLanguage } from './text.ts';

/** What the vendor's template memory says about the reply's skeleton (src/store/fingerprints.ts), when it has one. */
export interface SkeletonMemory {
  seen: number;
  fastSeen: number;
  pacedSeen: number;
}

interface CannedInput {
  /** How soon after our probe it came: the classifier's fast-reply threshold splits machine from person. */
  pace: 'fast' | 'paced' | undefined;
  memory: SkeletonMemory | undefined;
  /** The classifier already said so (its `fingerprint.canned` reason) when the reply arrived. */
  classifierCanned: boolean;
}

/**
 * Canned: the same skeleton as this vendor's answers to other probes, at a person's pace. The same text seconds after
 * each probe is a machine (the classifier's business, not a flag on a person); a skeleton seen once is just a reply.
 */
export function cannedOf(input: CannedInput): { canned: boolean; reason: string | undefined } {
  if (input.pace === 'fast') return { canned: false, reason: undefined };
  if (input.classifierCanned)
    return { canned: true, reason: "canned: the classifier found the same skeleton among this vendor's earlier replies, at a person's pace" };
  const memory = input.memory;
  if (memory && memory.pacedSeen >= 2 && memory.fastSeen === 0) {
    return { canned: true, reason: `canned: the same text skeleton came ${memory.pacedSeen} times at a person's pace and never within seconds of a probe` };
  }
  return { canned: false, reason: undefined };
}

interface LanguageVerdict {
  match: boolean | null;
  reason: string;
}

/** Answered in the script of the language asked (zh, ja, or a Latin-script language; Latin languages are not told apart). */
export function languageMatch(text: string, asked: string): LanguageVerdict {
  const script = scriptOf(text);
  if (script === undefined) return { match: null, reason: 'language: nothing to read' };
  const wanted = scriptOfLanguage(asked);
  return script === wanted
    ? { match: true, reason: `language: answered in ${script === 'latin' ? 'a Latin-script language' : script}, as asked (${asked})` }
    : { match: false, reason: `language: asked in ${asked}, answered in ${script === 'latin' ? 'a Latin-script language' : script}` };
}

const enHandoff =
  /\b(?:transferred|transferring|escalated|escalating|forwarded|forwarding|passed|handed (?:over|off)|assigned|reassigned|routed|referred)\b[^.?!\n]{0,60}?\b(?:team|department|engineers?|specialists?|colleagues?|tier|level|L2|L3|experts?|support)\b/i;
const zhHandoff =
  /(?:转交|转给|转到|转接|升级给|升级至|升级到|提交给|转发给|移交|交由)[^。！？\n]{0,20}?(?:团队|部门|工程师|同事|技术|专员|二线|三线|后端|专家)/;

/** A sentence saying the case went to someone else ("transferred to our technical team", "已转交技术团队"). */
export function handoffPhrase(text: string): string | undefined {
  return enHandoff.exec(text)?.[0] ?? zhHandoff.exec(text)?.[0];
}

export interface Agent {
  name: string | null;
  address: string;
}

/** Who wrote a reply ("Ann Lee <support@x.com>" → name and address, lower-cased); null when unknown. */
export function agentOf(sender: string | null): Agent | null {
  if (sender === null || sender.trim() === '') return null;
  const address = (/<([^>]+)>/.exec(sender)?.[1] ?? sender).trim().toLowerCase();
  const name = /^\s*"?([^"<]+?)"?\s*</.exec(sender)?.[1]?.trim().toLowerCase();
  return { name: name === undefined || name === '' ? null : name, address };
}

/** Another person: another address, or another name on a shared desk address (a missing name proves nothing). */
export function anotherAgent(a: Agent, b: Agent): boolean {
  if (a.address !== b.address) return true;
  return a.name !== null && b.name !== null && a.name !== b.name;
}
