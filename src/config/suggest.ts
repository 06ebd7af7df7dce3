// "Did you mean …": the allowed key closest to an unknown one, by edit distance on a normalised spelling.
import type { z } from 'zod';

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((d[(i - 1) * cols + j] ?? 0) + 1, (d[i * cols + j - 1] ?? 0) + 1, (d[(i - 1) * cols + j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (d[(i - 2) * cols + j - 2] ?? 0) + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1] ?? 0;
}

const normalise = (key: string) => key.toLowerCase().replace(/[-_\s]/g, '');

/** The allowed key an unknown key most likely meant, if one is close enough (sentFolder, sent-folder, sentfolder → sent_folder). */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const wanted = normalise(key);
  let best: { key: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const distance = editDistance(wanted, normalise(candidate));
    if (best === undefined || distance < best.distance) best = { key: candidate, distance };
  }
  if (!best) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(wanted.length, normalise(best.key).length) / 3));
  return best.distance <= limit ? best.key : undefined;
}

export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const guess = suggestKey(key, allowed);
  if (guess !== undefined) return `unknown key "${key}" (did you mean "${guess}"?)`;
  const listed = allowed.length <= 12 ? ` (allowed: ${allowed.join(', ')})` : '';
  return `unknown key "${key}"${listed}`;
}

/** The keys a strict object schema allows, read from the schema that raised the issue. */
function allowedKeysOf(schema: unknown): string[] {
  const def = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.shape ? Object.keys(def.shape) : [];
}

type RawIssue = Parameters<Extract<NonNullable<z.core.ParseContext<z.core.$ZodIssue>['error']>, (...args: never[]) => unknown>>[0];

/** A zod error map that words unknown keys with suggestions, one message per key joined by "; ". */
export function unknownKeysErrorMap() {
  return (issue: RawIssue): string | undefined => {
    if (issue.code !== 'unrecognized_keys') return undefined;
    const keys = allowedKeysOf(issue.inst);
    return issue.keys.map((key) => unknownKeyMessage(key, keys)).join('; ');
  };
}
