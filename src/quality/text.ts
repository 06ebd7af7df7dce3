// Pure: a reply's text in sentences and clauses, which of them ask something, its script-level language, and term matching.
import { termProblem } from '../config/template-quality.ts';

/** Quality checks read at most this much of a reply's own words (a support answer is far shorter). */
const maxQualityChars = 20_000;

interface Sentence {
  text: string;
  /** Ends with a question mark or is phrased as a request for something. */
  request: boolean;
  /**
   * The part that asks: a request joined to an instruction ("Switch the ingest URL …, and let me know if it is still
   * slow") asks only in its own clause; a sentence of one clause asks in the whole of it. Empty when not a request.
   */
  asks: string;
  /** An interrogative about the customer's situation (not a suggestion such as "could you try …?"). */
  infoQuestion: boolean;
}

const han = /\p{Script=Han}/u;
const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

// Each pattern is a flat alternation of literals or bounded gaps: linear on any input.
const enRequest =
  /\b(?:could|can|would|will|may) (?:you|i|we)\b|\blet (?:us|me) know\b|\b(?:please|kindly)\b[^.?!\n]{0,80}?\b(?:send|provide|share|confirm|tell|give|specify|advise|attach|describe|include|let)\b|\bwe (?:need|require|would need)\b/i;
const zhRequest = /(?:请|麻烦|能否|可否|是否可以|方便|劳烦)[^。！？?!\n]{0,12}?(?:提供|告知|告诉|发送|发给|发一下|确认|描述|说明|截图|补充)|(?:吗|呢|么)\s*$/;
const suggestion = /\btry\b|\btrying\b|\brecommend|\bsuggest|尝试|试试|试一下|建议|可以把|您可以/i;

/** Where a sentence joins two clauses: ", and", ", then", ", so", "; " (a list's commas do not). */
const clauseJoint = /,\s*(?:and|then|so|and then)\s+|，\s*(?:然后|并且|再)/i;
const interrogative = /^(?:what|which|when|where|who|whom|whose|why|how|is|are|do|does|did|can|could|would|will|may|have|has)\b/i;

/** The clauses of a request sentence that ask (see `Sentence.asks`); the whole sentence when none stands out. */
function askingPart(body: string, question: boolean): string {
  const parts = body.split(clauseJoint).map((p) => p.trim());
  if (parts.length === 1) return body;
  const asking = parts.filter((p, i) => enRequest.test(p) || zhRequest.test(p) || interrogative.test(p) || (question && i === parts.length - 1));
  return asking.length > 0 ? asking.join(' … ') : body;
}

/** Splits into sentences (keeping which ones ask something); whitespace runs are folded. */
export function sentencesOf(text: string): Sentence[] {
  const capped = text.length > maxQualityChars ? text.slice(0, maxQualityChars) : text;
  const out: Sentence[] = [];
  // One pass: a sentence ends after . ! ? 。 ！ ？ ; ； or at a line break.
  let start = 0;
  const push = (end: number, mark: string) => {
    const body = capped.slice(start, end).replace(/\s+/g, ' ').trim();
    if (body !== '') {
      const question = mark === '?' || mark === '？';
      const request = question || enRequest.test(body) || zhRequest.test(body);
      out.push({ text: body, request, asks: request ? askingPart(body, question) : '', infoQuestion: question && !suggestion.test(body) });
    }
  };
  for (let i = 0; i < capped.length; i++) {
    const c = capped[i] ?? '';
    if (
      c === '\n' ||
      c === '!' ||
      c === '?' ||
      c === '。' ||
      c === '！' ||
      c === '？' ||
      c === ';' ||
      c === '；' ||
      (c === '.' && !/\w/.test(capped[i + 1] ?? ''))
    ) {
      push(c === '\n' ? i : i + 1, c);
      start = i + 1;
    }
  }
  push(capped.length, '');
  return out;
}

/** Clauses of a sentence: negation reaches to the end of its clause only ("no problem, set the region to …"). */
export function clausesOf(sentence: string): string[] {
  return sentence
    .split(/[,，、:：()（）]|\bbut\b|\bhowever\b|但是|不过|但/i)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** Script-level language of a text: zh (Han, no kana), ja (kana), latin, or undefined when there is nothing to read. */
export function scriptOf(text: string): 'zh' | 'ja' | 'latin' | undefined {
  let hanCount = 0;
  let kanaCount = 0;
  let latinLetters = 0;
  const capped = text.length > maxQualityChars ? text.slice(0, maxQualityChars) : text;
  for (const ch of capped) {
    if (han.test(ch)) hanCount++;
    else if (kana.test(ch)) kanaCount++;
    else if (/[A-Za-z]/.test(ch)) latinLetters++;
  }
  if (kanaCount >= 3 && kanaCount * 10 >= hanCount) return 'ja';
  // A Han character carries about a word: compare with Latin words (≈ 5 letters), so product names in English do not flip it.
  if (hanCount > 0 && hanCount * 5 >= latinLetters) return 'zh';
  if (latinLetters > 0) return 'latin';
  return hanCount > 0 ? 'zh' : undefined;
}

/** The script a language tag is written in ("zh-CN" → zh, "en" → latin). */
export function scriptOfLanguage(tag: string): 'zh' | 'ja' | 'latin' {
  const primary = tag.toLowerCase().split('-')[0] ?? '';
  if (primary === 'zh') return 'zh';
  if (primary === 'ja') return 'ja';
  return 'latin';
}

/** A compiled term: plain (case-insensitive, Latin ones at a word start) or /regex/. */
export interface Term {
  written: string;
  /** Start indexes of each occurrence in `text` (already lower-cased for plain terms). */
  find(text: string): number[];
}

const wordChar = /[\p{L}\p{N}_]/u;

export function compileTerm(written: string): Term {
  if (written.length >= 2 && written.startsWith('/') && written.endsWith('/')) {
    const problem = termProblem(written);
    // Validated at load; a stored definition edited by hand still never runs a dangerous pattern.
    if (problem !== undefined) return { written, find: () => [] };
    const re = new RegExp(written.slice(1, -1), 'giu');
    return {
      written,
      find(text) {
        const found: number[] = [];
        re.lastIndex = 0;
        for (const m of text.matchAll(re)) {
          found.push(m.index);
          if (found.length >= 50) break;
        }
        return found;
      },
    };
  }
  const needle = written.toLowerCase();
  const latinStart = /^[a-z0-9]/i.test(needle);
  return {
    written,
    find(text) {
      const hay = text.toLowerCase();
      const found: number[] = [];
      let at = hay.indexOf(needle);
      while (at >= 0 && found.length < 50) {
        if (!latinStart || at === 0 || !wordChar.test(hay[at - 1] ?? '')) found.push(at);
        at = hay.indexOf(needle, at + 1);
      }
      return found;
    },
  };
}

const enNegation =
  /\b(?:not|no|never|cannot|can't|can’t|won't|won’t|don't|don’t|doesn't|doesn’t|didn't|didn’t|isn't|isn’t|aren't|aren’t|unable|impossible|nor)\b/i;
const zhNegation = /无法|不能|不可以|不可|不支持|没法|没办法|未能|不会|暂不|暂时不|不提供|没有|无权|不允许/;

/** The negation word before `index` in its clause, if any ("we cannot configure the region", "无法配置节点"). */
export function negationBefore(clause: string, index: number): string | undefined {
  const before = clause.slice(0, index);
  return enNegation.exec(before)?.[0] ?? zhNegation.exec(before)?.[0];
}
