// Pure: a probe's answer quality from its replies: resolution (rubric or a person's mark, which wins), rounds to
// resolution, facts asked for though given, canned answers, language match and hand-offs, each with its reasons.
import type { MessageLabel } from '../core/labels.ts';
import type { Expect, Facts } from '../config/template-quality.ts';
import { compileExpect, meetsExpect } from './rubric.ts';
import { askedForGiven, compileFacts } from './facts.ts';
import { agentOf, anotherAgent, cannedOf, handoffPhrase, languageMatch, type Agent, type SkeletonMemory } from './reply-flags.ts';

/** What the template says about a good answer. */
export interface QualitySpec {
  language: string;
  expect?: Expect | undefined;
  facts?: Facts | undefined;
}

/** One message of the probe, oldest first, as the quality checks need it. */
export interface QualityReply {
  id: number;
  /** Its estimated arrival (as the timeline dates it). */
  arrivedAt: number;
  /** The sender's own words (quotes and signature stripped). */
  text: string;
  sender: string | null;
  /** The effective label (a person's review wins). */
  label: MessageLabel;
  pace: 'fast' | 'paced' | undefined;
  memory: SkeletonMemory | undefined;
  classifierCanned: boolean;
  /** A person's latest mark: true "resolves the question", false "does not", null none. */
  mark: boolean | null;
}

interface ProbeQuality {
  /** Resolution can be judged: the template has `expect:`, or a person marked a reply. */
  measured: boolean;
  resolvedAt: number | null;
  resolvedBy: 'rubric' | 'mark' | null;
  resolvedMessageId: number | null;
  /** Human replies up to and including the resolving one (1 = resolved at first contact). */
  rounds: number | null;
  humanReplies: number;
  /** Facts the probe gave that a human reply asked for again, each once. */
  askedForGiven: string[];
  /** Human replies that are a saved reply at a person's pace. */
  cannedReplies: number;
  /** The first human reply is in the language asked (null: no human reply, or nothing to read). */
  languageMatch: boolean | null;
  /** Another agent took over, or a reply said the case was passed on. */
  handoffs: number;
  reasons: string[];
}

/** Bits of `probes.quality_flags`, the compact copy the statistics read (src/store/quality.ts). */
export const qualityFlag = { measured: 1, canned: 2, askedForGiven: 4, languageMismatch: 8, handoff: 16 } as const;

export function qualityFlagsOf(q: ProbeQuality): number {
  return (
    (q.measured ? qualityFlag.measured : 0) |
    (q.cannedReplies > 0 ? qualityFlag.canned : 0) |
    (q.askedForGiven.length > 0 ? qualityFlag.askedForGiven : 0) |
    (q.languageMatch === false ? qualityFlag.languageMismatch : 0) |
    (q.handoffs > 0 ? qualityFlag.handoff : 0)
  );
}

export function probeQuality(spec: QualitySpec, messages: readonly QualityReply[]): ProbeQuality {
  const reasons: string[] = [];
  const expect = spec.expect === undefined ? undefined : compileExpect(spec.expect);
  const facts = compileFacts(spec.facts);
  const ordered = [...messages].sort((a, b) => a.arrivedAt - b.arrivedAt || a.id - b.id);
  const marked = ordered.some((m) => m.mark !== null);
  const measured = expect !== undefined || marked;
  if (!measured) reasons.push('resolution: not measured (the template has no expect: and no reply is marked)');

  let humanReplies = 0;
  let resolved: { message: QualityReply; by: 'rubric' | 'mark'; rounds: number } | undefined;
  const asked = new Set<string>();
  let canned = 0;
  let language: boolean | null = null;
  let handoffs = 0;
  const agents: Agent[] = [];

  for (const message of ordered) {
    const human = message.label === 'human';
    if (human) humanReplies++;
    const n = humanReplies;
    const tag = `reply #${n} (message ${message.id})`;
    if (!resolved && message.mark === true) {
      resolved = { message, by: 'mark', rounds: Math.max(1, n) };
      reasons.push(`resolved: a person marked message ${message.id} as resolving the question`);
    }
    if (!human) continue;
    if (message.mark === false) reasons.push(`${tag}: a person marked it as not resolving the question`);
    if (!resolved && expect && message.mark === null) {
      const verdict = meetsExpect(message.text, expect, spec.language);
      if (verdict) {
        for (const r of verdict.reasons) reasons.push(`${tag}: ${r}`);
        if (verdict.met) {
          resolved = { message, by: 'rubric', rounds: n };
          reasons.push(`resolved: ${tag} meets every expected group`);
        }
      }
    }
    for (const a of askedForGiven(message.text, facts)) {
      if (asked.has(a.fact)) continue;
      asked.add(a.fact);
      reasons.push(`${tag}: asked for ${a.fact}, which the probe gave ("${a.sentence}")`);
    }
    const flag = cannedOf({ pace: message.pace, memory: message.memory, classifierCanned: message.classifierCanned });
    if (flag.canned) {
      canned++;
      reasons.push(`${tag}: ${flag.reason ?? 'canned'}`);
    }
    if (n === 1) {
      const verdict = languageMatch(message.text, spec.language);
      language = verdict.match;
      reasons.push(`${tag}: ${verdict.reason}`);
    }
    const agent = agentOf(message.sender);
    if (agent && agents.every((seen) => anotherAgent(seen, agent))) {
      if (agents.length > 0) {
        handoffs++;
        reasons.push(`${tag}: hand-off: another agent (${agent.name ?? agent.address}) took over`);
      }
      agents.push(agent);
    }
    const phrase = handoffPhrase(message.text);
    if (phrase !== undefined) {
      handoffs++;
      reasons.push(`${tag}: hand-off: "${phrase}"`);
    }
  }
  if (measured && !resolved)
    reasons.push(
      humanReplies === 0
        ? 'resolution: no human reply yet'
        : `resolution: none of ${humanReplies} human repl${humanReplies === 1 ? 'y' : 'ies'} resolves the question yet`,
    );

  return {
    measured,
    resolvedAt: resolved?.message.arrivedAt ?? null,
    resolvedBy: resolved?.by ?? null,
    resolvedMessageId: resolved?.message.id ?? null,
    rounds: resolved?.rounds ?? null,
    humanReplies,
    askedForGiven: [...asked],
    cannedReplies: canned,
    languageMatch: language,
    handoffs,
    reasons,
  };
}
