// Quoting analysis: does the reply answer our question, or only restate it (as many acknowledgements do)?
import type { Signal } from './types.ts';
import { signal, type Rule } from './view.ts';

const stopwords = new Set(
  (
    'the a an and or but if then than that this these those there their them they you your yours we our ours us i me my ' +
    'is are was were be been being have has had do does did will would shall should can could may might must to of in on at by for with ' +
    'from as about into over after before again further once here when where why how all any both each few more most other some such ' +
    'no nor not only own same so too very just also please thanks thank hello dear regards best support team ticket request message email'
  ).split(' '),
);

/** Comparable units: lower-cased words for Latin text, overlapping character pairs for CJK. */
function units(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = m[0];
    if (/[\u3400-\u9fff]/.test(word)) {
      for (let i = 0; i + 1 < word.length; i++) out.push(word.slice(i, i + 2));
    } else out.push(word);
  }
  return out;
}

function shingles(list: readonly string[], n: number): Set<string> {
  const set = new Set<string>();
  for (let i = 0; i + n <= list.length; i++) set.add(list.slice(i, i + n).join(' '));
  return set;
}

/** Share of `text`'s 3-unit shingles that also occur in `source`. */
function restatedShare(text: string, source: string): number {
  const a = shingles(units(text), 3);
  if (a.size === 0) return 0;
  const b = shingles(units(source), 3);
  let hit = 0;
  for (const s of a) if (b.has(s)) hit++;
  return hit / a.size;
}

/**
 * A word's first five letters: an answer says "rotated", "channel" and "viewer" where the question said "rotate",
 * "channels" and "viewers". Crude, and only for finding words shared with our question; CJK pairs stay as they are.
 */
const stem = (unit: string): string => (/[\u3400-\u9fff]/.test(unit) ? unit : unit.slice(0, 5));

/** The sender's own lines that are not a restatement of our probe. */
function ownLines(fresh: string, probe: string): string {
  return fresh
    .split('\n')
    .filter((line) => units(line).length < 4 || restatedShare(line, probe) < 0.5)
    .join('\n');
}

export const quotingRules: Rule = (view) => {
  const probe = `${view.ctx.probeSubject ?? ''}\n${view.ctx.probeBody ?? ''}`.trim();
  if (!probe) return [];
  const out: Signal[] = [];
  const own = ownLines(view.fresh, probe);
  const ownUnits = units(own).filter((u) => !stopwords.has(u));
  const restated = restatedShare(view.fresh, probe);
  if (restated >= 0.25 && ownUnits.length < 40) {
    out.push(signal('quoting.restates', 'auto_ack', 1.2, `restates our question (${Math.round(restated * 100)}% of its text) with little of its own`, true));
  }
  const probeWords = new Set(
    units(probe)
      .filter((u) => !stopwords.has(u) && (u.length >= 5 || /[\u3400-\u9fff]/.test(u)))
      .map(stem),
  );
  const echoed = [...new Set(ownUnits.map(stem).filter((u) => probeWords.has(u)))];
  if (echoed.length >= 3 && ownUnits.length >= 12) {
    out.push(signal('quoting.answers', 'human', 0.8, `answers in its own words about "${echoed.slice(0, 4).join('", "')}" from our question`));
  }
  return out;
};
