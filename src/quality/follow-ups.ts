// Pure: which of a template's scripted customer answers (follow_ups) a human reply asks for, read from its requests only.
import type { FollowUp } from '../config/template-quality.ts';
import { compileTerm, sentencesOf } from './text.ts';

interface FollowUpMatch {
  intent: string;
  answer: string;
  /** The request that asked (cut to 160 characters) and the term that matched it, for the round's reasons. */
  sentence: string;
  term: string;
}

/** The follow-ups a reply's requests ask for, in the script's order, each once; a statement naming a term asks nothing. */
export function followUpsAskedFor(text: string, followUps: readonly FollowUp[]): FollowUpMatch[] {
  const requests = sentencesOf(text).filter((s) => s.request);
  if (requests.length === 0) return [];
  const found: FollowUpMatch[] = [];
  for (const followUp of followUps) {
    const terms = followUp.when.map(compileTerm);
    for (const sentence of requests) {
      const term = terms.find((t) => t.find(sentence.asks).length > 0);
      if (term) {
        found.push({ intent: followUp.intent, answer: followUp.answer, sentence: sentence.text.slice(0, 160), term: term.written });
        break;
      }
    }
  }
  return found;
}
