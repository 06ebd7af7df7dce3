// Pure: classifies a parsed reply by weighing every rule family's signals; conflicting evidence gives `unknown`.
import type { MessageLabel } from '../store/messages.ts';
import type { Classification, ParsedMail, ReplyContext, Signal } from './types.ts';
import { buildView, signal, type MailView, type Rule } from './view.ts';
import { headerRules } from './headers.ts';
import { helpdeskDiscounts, helpdeskRules } from './helpdesk.ts';
import { englishContentRules } from './content-en.ts';
import { chineseContentRules } from './content-zh.ts';
import { timingRules } from './timing.ts';
import { signatureRules } from './signature.ts';
import { quotingRules } from './quoting.ts';
import { fingerprintOf, fingerprintRules } from './fingerprint.ts';
import { round } from './phrases.ts';
import { layoutRules } from './layout.ts';

/** Every rule family, in the order their reasons are listed. */
export const ruleFamilies: Record<string, Rule> = {
  headers: headerRules,
  helpdesk: helpdeskRules,
  'content-en': englishContentRules,
  'content-zh': chineseContentRules,
  layout: layoutRules,
  signature: signatureRules,
  quoting: quotingRules,
  timing: timingRules,
  fingerprint: fingerprintRules,
};

/** How strongly a written reply leans human before any evidence: people write text, machines mostly send templates. */
const HUMAN_PRIOR = 0.6;
/** Margins (human score − automatic score) needed to call a label; calling "human" needs more, it is the costly error. */
const HUMAN_MARGIN = 0.5;
const AUTO_MARGIN = 0.4;
/** Both sides this strong and the margin under CONFLICT_MARGIN: a person must look. */
const CONFLICT_FLOOR = 1.5;
const CONFLICT_MARGIN = 1.2;

const automaticOrder: readonly MessageLabel[] = ['bounce', 'out_of_office', 'bot', 'auto_ack', 'marketing', 'system'];

export function classifyEmail(mail: ParsedMail, ctx: ReplyContext): Classification {
  return classifyWith(mail, ctx, Object.values(ruleFamilies), true);
}

/** The header-only baseline (RFC 3834 and friends, as generic helpdesks use them): shown beside ours in evaluations. */
export function classifyHeadersOnly(mail: ParsedMail, ctx: ReplyContext): Classification {
  return classifyWith(mail, ctx, [headerRules], false);
}

export function classifyWith(mail: ParsedMail, ctx: ReplyContext, rules: readonly Rule[], useHelpdeskKnowledge: boolean): Classification {
  const view = buildView(mail, ctx);
  const raw = rules.flatMap((rule) => rule(view));
  const signals = useHelpdeskKnowledge ? discount(view, raw) : raw;
  const fingerprint = fingerprintOf(view.fresh || mail.text);
  const result = combine(view, signals);
  return fingerprint ? { ...result, fingerprint } : result;
}

function discount(view: MailView, signals: Signal[]): Signal[] {
  const found = helpdeskDiscounts(view);
  if (!found) return signals;
  return signals.map((s) => (found.rules.has(s.rule) && s.label !== 'human'
    ? { ...s, weight: round(s.weight * 0.2), reason: `${s.reason} — discounted: ${found.reason}` }
    : s));
}

function combine(view: MailView, signals: Signal[]): Classification {
  const words = view.fresh.split(/\s+/).filter(Boolean).length + (view.fresh.match(/[\u3400-\u9fff]/g) ?? []).length / 2;
  const all = [...signals];
  if (view.mail.parseError && !view.mail.text.trim()) {
    return { label: 'unknown', confidence: 0.2, reasons: [`could not read the mail: ${view.mail.parseError}`], signals: all };
  }
  const prior = words >= 1 ? HUMAN_PRIOR : 0;
  if (prior > 0) all.push(signal('prior.written-reply', 'human', prior, 'a written reply leans human unless evidence says otherwise'));
  else all.push(signal('prior.no-text', 'unknown', 0, 'no text of its own to judge'));

  let human = 0;
  let automatic = 0;
  const perLabel = new Map<MessageLabel, number>();
  for (const s of all) {
    if (s.label === 'human') human += s.weight;
    else if (s.label !== 'unknown') {
      automatic += s.weight;
      perLabel.set(s.label, (perLabel.get(s.label) ?? 0) + s.weight * (s.generic ? 0.25 : 1));
    }
  }
  const margin = human - automatic;
  const humanEvidence = human - prior;
  const reasons = all.filter((s) => s.weight > 0 || s.label === 'unknown').map((s) => `${s.label} ${s.weight >= 0 ? '+' : ''}${s.weight} ${s.rule}: ${s.reason}`);

  const conflict = humanEvidence >= CONFLICT_FLOOR && automatic >= CONFLICT_FLOOR && Math.abs(margin) < CONFLICT_MARGIN;
  if (conflict) {
    return { label: 'unknown', confidence: 0.35, reasons: [`conflicting evidence: human ${round(human)} vs automatic ${round(automatic)}`, ...reasons], signals: all };
  }
  if (margin >= HUMAN_MARGIN) {
    return { label: 'human', confidence: confidence(margin, human, automatic), reasons, signals: all };
  }
  if (-margin >= AUTO_MARGIN && automatic > 0) {
    let best: MessageLabel = 'system';
    let bestScore = -1;
    for (const label of automaticOrder) {
      const score = perLabel.get(label) ?? 0;
      if (score > bestScore + 1e-9) { best = label; bestScore = score; }
    }
    return { label: best, confidence: confidence(-margin, automatic, human), reasons, signals: all };
  }
  return { label: 'unknown', confidence: 0.4, reasons: [`too little evidence either way: human ${round(human)} vs automatic ${round(automatic)}`, ...reasons], signals: all };
}

/** Logistic in the margin, shrunk when the losing side also had real evidence. */
function confidence(margin: number, winner: number, loser: number): number {
  const base = 1 / (1 + Math.exp(-1.3 * margin));
  const contest = winner > 0 ? loser / winner : 0;
  return round(Math.max(0.5, Math.min(0.99, base * (1 - 0.25 * contest))));
}
