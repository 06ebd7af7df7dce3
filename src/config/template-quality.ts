// What a good answer to a template contains (expect), what the probe already told (facts), scripted answers to an
// agent's questions (follow_ups), and the SLA's resolution target as a duration or a range.
import { z } from 'zod';
import { DAY, parseDuration } from '../core/clock.ts';

/** Facts the quality checks know how to recognise a request for; any other key needs its own `asked_by` terms. */
export const knownFactKinds = ['account_id', 'region', 'stream_key_prefix', 'error_text', 'incident_time', 'problem'] as const;
export type KnownFactKind = (typeof knownFactKinds)[number];

const maxPatternChars = 200;
// A quantified group that itself ends in a quantifier ((a+)+, (\w*)*, (x|y+){2,}) or a backreference can backtrack
// exponentially on the untrusted replies these patterns read; they are refused at load (DESIGN §6: linear regexes).
const nestedQuantifier = /\([^()]*[+*}][^()]*\)\s*[+*{]|\\[1-9]|\\k</;

/** The problem with a term written as /regex/, or undefined when it is fine (plain terms always are). */
export function termProblem(term: string): string | undefined {
  if (!(term.length >= 2 && term.startsWith('/') && term.endsWith('/'))) return undefined;
  const source = term.slice(1, -1);
  if (source.length > maxPatternChars) return `a pattern is at most ${maxPatternChars} characters`;
  if (nestedQuantifier.test(source)) return 'nested quantifiers and backreferences can take exponential time on a reply: rewrite the pattern without them';
  try {
    new RegExp(source, 'iu');
  } catch (err) {
    return `not a regular expression: ${err instanceof Error ? err.message : String(err)}`;
  }
  return undefined;
}

/** A word or phrase (case-insensitive; Latin terms match at a word start), or /regex/ (case-insensitive, unicode). */
const termSchema = z
  .string()
  .min(1)
  .max(maxPatternChars + 2)
  .superRefine((term, ctx) => {
    const problem = termProblem(term);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Any of the terms meets the group; every group must be met. */
export const expectGroupSchema = z.union([
  z.array(termSchema).min(1),
  z.strictObject({ name: z.string().min(1).max(80).optional(), any: z.array(termSchema).min(1) }),
]);
export type ExpectGroup = z.infer<typeof expectGroupSchema>;

const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as "en" or "zh-CN"');

/** Groups for every language, or per language (the reply's language picks its groups, else the template's). */
export const expectSchema = z.union([
  z.array(expectGroupSchema).min(1),
  z.record(languageTag, z.array(expectGroupSchema).min(1)).refine((r) => Object.keys(r).length > 0, 'give the groups of at least one language'),
]);
export type Expect = z.infer<typeof expectSchema>;

const factValue = z.string().min(1).max(2000);
const factSchema = z.union([factValue, z.strictObject({ value: factValue, asked_by: z.array(termSchema).min(1) })]);

export const factsSchema = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,40}$/, 'a fact name such as "account_id"'), factSchema).superRefine((facts, ctx) => {
  for (const [name, fact] of Object.entries(facts)) {
    if (typeof fact === 'string' && !(knownFactKinds as readonly string[]).includes(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `"${name}" is not a known fact (${knownFactKinds.join(', ')}): write { value, asked_by: [terms an agent asking for it uses] }`,
      });
    }
  }
});
export type Facts = z.infer<typeof factsSchema>;

/** A scripted customer answer, in the template's language, sent when an agent's question matches one of `when`. */
export const followUpSchema = z.strictObject({
  intent: z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/, 'a short name such as "logs" or "time_window"'),
  when: z.array(termSchema).min(1),
  answer: z.string().min(1).max(5000),
});
export type FollowUp = z.infer<typeof followUpSchema>;

const followUpsSchema = z.array(followUpSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((f, i) => {
    if (seen.has(f.intent)) ctx.addIssue({ code: 'custom', path: [i, 'intent'], message: `intent "${f.intent}" is given twice` });
    seen.add(f.intent);
  });
});

/** Rounds a conversation may have, the probe and its first reply being round 1 (so at most max_rounds − 1 follow-ups). */
export const defaultMaxRounds = 3;

/** The quality fields of a template (spread into its schema). */
export const templateQualityFields = {
  expect: expectSchema.optional(),
  facts: factsSchema.optional(),
  follow_ups: followUpsSchema.optional(),
  max_rounds: z.number().int().min(1).max(10).optional(),
};

/**
 * A resolution target: resolved within [lowMs, highMs] (the upper end is the deadline). With `businessDays` the
 * bounds are whole days counted on the vendor's business calendar (its support hours, else Monday to Friday).
 */
export interface ResolutionRange {
  lowMs: number;
  highMs: number;
  businessDays: boolean;
}
/** `case_by_case`: the SLA names no resolution time (the reference P3); such probes get a time but no verdict. */
export type ResolutionTarget = ResolutionRange | 'case_by_case';

const businessDaysText = /^(\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*)?(?:business|working)\s+days?$/i;
const rangeText = /^([0-9.]+\s*[a-z]*)\s*(?:-|–|to)\s*([0-9.]+\s*[a-z]+)$/i;

/** Reads "4h", "2h-4h", "2–4 h", "3-5 business days", "case by case"; throws with a hint otherwise. */
export function parseResolutionTarget(text: string | number): ResolutionTarget {
  if (typeof text === 'number') return { lowMs: text, highMs: text, businessDays: false };
  const trimmed = text.trim();
  if (/^case[ -_]by[ -_]case$/i.test(trimmed)) return 'case_by_case';
  const days = businessDaysText.exec(trimmed);
  if (days) {
    const low = Number(days[1]);
    const high = days[2] === undefined ? low : Number(days[2]);
    return checkedRange(low * DAY, high * DAY, true, text);
  }
  const range = rangeText.exec(trimmed);
  if (range) {
    const unit = /[a-z]+$/i.exec(range[2] ?? '')?.[0] ?? '';
    const lowText = /[a-z]$/i.test(range[1] ?? '') ? (range[1] ?? '') : `${range[1] ?? ''}${unit}`;
    return checkedRange(parseDuration(lowText.replace(/\s+/g, '')), parseDuration((range[2] ?? '').replace(/\s+/g, '')), false, text);
  }
  const single = parseDuration(trimmed.replace(/\s+/g, ''));
  return checkedRange(single, single, false, text);
}

function checkedRange(lowMs: number, highMs: number, businessDays: boolean, text: string): ResolutionRange {
  if (!(lowMs > 0 && highMs >= lowMs)) throw new Error(`"${text}": a resolution range runs from a shorter to a longer positive time`);
  return { lowMs, highMs, businessDays };
}

const resolutionRangeSchema = z.strictObject({ lowMs: z.number().positive(), highMs: z.number().positive(), businessDays: z.boolean() });

/** `resolution:` as written in a vendor file: a duration, a range, business days, or "case by case". */
export const resolutionTargetSchema = z.union([z.string().min(1), z.number().positive()]).transform((value, ctx): ResolutionTarget => {
  try {
    return parseResolutionTarget(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `${err instanceof Error ? err.message : String(err)} (use e.g. 4h, 2h-4h, 3-5 business days, case by case)` });
    return z.NEVER;
  }
});

/** The same, as stored in a vendor definition (already parsed), or free text written before it was validated (unreadable: undefined). */
export const storedResolutionSchema = z.union([
  resolutionRangeSchema,
  z.literal('case_by_case'),
  z.union([z.string(), z.number()]).transform((value): ResolutionTarget | undefined => {
    try {
      return parseResolutionTarget(value);
    } catch {
      return undefined; // free text from before resolution was validated: no target, as if none was declared
    }
  }),
]);
