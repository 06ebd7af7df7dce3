// Pure: classifies a parsed reply by combining every rule family's signals with the learned model; too little evidence gives `unknown`.
import type { MessageLabel } from '../core/labels.ts';
import type { Classification, ParsedMail, ReplyContext, Signal } from './types.ts';
import { buildView, type MailView, type Rule } from './view.ts';
import { headerRules } from './headers.ts';
import { helpdeskDiscounts, helpdeskRules } from './helpdesk.ts';
import { englishContentRules } from './content-en.ts';
import { chineseContentRules } from './content-zh.ts';
import { japaneseContentRules } from './content-ja.ts';
import { europeanContentRules } from './content-eu.ts';
import { timingRules } from './timing.ts';
import { signatureRules } from './signature.ts';
import { quotingRules } from './quoting.ts';
import { fingerprintOf, fingerprintRules } from './fingerprint.ts';
import { round } from './phrases.ts';
import { layoutRules } from './layout.ts';
import { personRules } from './person.ts';
import { UNITS_PER_LOGIT, featureKey, scoreSignals, type ClassifierModel } from './model.ts';
import { headerOnlyModel, shippedModel } from './model-weights.ts';

/** Every rule family, in the order their reasons are listed. */
export const ruleFamilies: Record<string, Rule> = {
  headers: headerRules,
  helpdesk: helpdeskRules,
  'content-en': englishContentRules,
  'content-zh': chineseContentRules,
  'content-ja': japaneseContentRules,
  'content-eu': europeanContentRules,
  layout: layoutRules,
  signature: signatureRules,
  person: personRules,
  quoting: quotingRules,
  timing: timingRules,
  fingerprint: fingerprintRules,
};

const automaticOrder: readonly MessageLabel[] = ['bounce', 'out_of_office', 'bot', 'auto_ack', 'marketing', 'system'];

export function classifyEmail(mail: ParsedMail, ctx: ReplyContext, model: ClassifierModel = shippedModel): Classification {
  return classifyWith(mail, ctx, Object.values(ruleFamilies), true, model);
}

/** The header-only baseline (RFC 3834 and friends, as generic helpdesks use them): shown beside ours in evaluations. */
export function classifyHeadersOnly(mail: ParsedMail, ctx: ReplyContext): Classification {
  return classifyWith(mail, ctx, [headerRules], false, headerOnlyModel);
}

/** Every signal the rule families give for a mail (helpdesk discounts applied): what the model combines. */
export function signalsOf(
  mail: ParsedMail,
  ctx: ReplyContext,
  rules: readonly Rule[] = Object.values(ruleFamilies),
  useHelpdeskKnowledge = true,
): { view: MailView; signals: Signal[] } {
  const view = buildView(mail, ctx);
  const raw = rules.flatMap((rule) => rule(view));
  return { view, signals: useHelpdeskKnowledge ? discount(view, raw) : raw };
}

function classifyWith(mail: ParsedMail, ctx: ReplyContext, rules: readonly Rule[], useHelpdeskKnowledge: boolean, model: ClassifierModel): Classification {
  const { view, signals } = signalsOf(mail, ctx, rules, useHelpdeskKnowledge);
  const fingerprint = fingerprintOf(view.fresh || mail.text);
  const result = combine(view, signals, model);
  return fingerprint ? { ...result, fingerprint } : result;
}

/** What a helpdesk's agent answer carries too: thanks for writing, and the web script or library the desk sends it by. */
const alsoOnAgentAnswers: { rule: RegExp; why: string }[] = [
  { rule: /^(en|zh|ja)\.ack(\.subject)?$/, why: 'agents thank people for writing too' },
  { rule: /^header\.(php-script|program-mailer)$/, why: "the desk sends its agents' answers by the same program" },
];

/**
 * Signs of a reply written in a mail program: bots, list robots and mail systems answer in threads and quote as people
 * do, and a read receipt or recall notice is written by the person's own mail program, in their name.
 */
const replyShape = new Set(['person.in-thread', 'person.quoting-reply', 'person.brief', 'person.short-question', 'person.mail-client', 'sender.person-name']);
/**
 * What makes a reply's shape say nothing of a person: the sender names itself a program (its name or its mailbox), or
 * the mail is a receipt. RFC 3834 headers are not enough: some helpdesks put them on their agents' replies (a
 * conflict, sent to review).
 */
const shapeExplainedBy: Record<string, string> = {
  'header.bot-sender': 'the sender names itself a program, and programs reply in threads too',
  'header.from-daemon': 'the sender is a mail system, and mail systems reply in threads too',
  'header.receipt-subject': "a receipt or recall notice is written by the person's mail program, in their name",
  'header.tool-notice': "a maintainer's script answers in the thread, in the maintainer's name",
  'en.survey.subject': "a tracker's notice of a change (closed, resolved) answers in the issue's thread and quotes it",
  'header.calendar': "a calendar program answers invitations in the thread, in the person's name",
};

function discount(view: MailView, signals: Signal[]): Signal[] {
  const found = helpdeskDiscounts(view);
  const byAgent = signals.some((s) => s.rule === 'helpdesk.agent-comment');
  const byProgram = signals.map((s) => shapeExplainedBy[s.rule]).find((why) => why !== undefined);
  if (!found && !byAgent && !byProgram) return signals;
  return signals.map((s) => {
    if (s.label === 'human') {
      if (!byProgram || !replyShape.has(s.rule)) return s;
      return { ...s, weight: round(s.weight * 0.2), reason: `${s.reason} — discounted: ${byProgram}` };
    }
    if (found?.rules.has(s.rule)) return { ...s, weight: round(s.weight * 0.2), reason: `${s.reason} — discounted: ${found.reason}` };
    const alsoAgents = byAgent ? alsoOnAgentAnswers.find((a) => a.rule.test(s.rule)) : undefined;
    if (alsoAgents) {
      return { ...s, weight: round(s.weight * 0.5), reason: `${s.reason} — discounted: the helpdesk names an agent as the author, and ${alsoAgents.why}` };
    }
    return s;
  });
}

/** Both sides this strong (logits) and the total within CONFLICT_MARGIN of even… */
const CONFLICT_FLOOR = 1.5;
const CONFLICT_MARGIN = 1.2;
/** …or within this share of the weaker side's evidence: 11 for a person against 8 for a machine is a conflict. */
const CONFLICT_SHARE = 0.3;

const logit = (units: number): string => (units / UNITS_PER_LOGIT).toFixed(2);

/**
 * The model's logit over every signal decides; a label needs evidence on its own side (no prior decides alone), and
 * a logit between the two thresholds is `unknown`, for a person to label.
 */
function combine(view: MailView, signals: Signal[], model: ClassifierModel): Classification {
  if (view.mail.parseError && !view.mail.text.trim()) {
    return { label: 'unknown', confidence: 0.2, reasons: [`could not read the mail: ${view.mail.parseError}`], signals };
  }
  const score = scoreSignals(model, signals);
  const byRule = new Map<string, number>();
  for (const c of score.contributions) byRule.set(`${c.rule}|${c.feature}`, (byRule.get(`${c.rule}|${c.feature}`) ?? 0) + c.units);
  const reasons = signals.map((s) => {
    const units = byRule.get(`${s.rule}|${featureKey(s)}`) ?? 0;
    return `${s.label} ${units >= 0 ? '+' : ''}${logit(units)} ${s.rule}: ${s.reason}`;
  });
  if (signals.length === 0) reasons.push('unknown no evidence either way: nothing in the mail or its context speaks for a person or a machine');
  const summary = `logit ${logit(score.logitUnits)} (base ${logit(score.biasUnits)}, for a person +${logit(score.humanEvidenceUnits)}, for a machine −${logit(score.automaticEvidenceUnits)})`;
  const p = 1 / (1 + Math.exp(-score.logitUnits / UNITS_PER_LOGIT));
  const strong = CONFLICT_FLOOR * UNITS_PER_LOGIT;
  const weaker = Math.min(score.humanEvidenceUnits, score.automaticEvidenceUnits);
  if (weaker >= strong && Math.abs(score.logitUnits) < Math.max(CONFLICT_MARGIN * UNITS_PER_LOGIT, CONFLICT_SHARE * weaker)) {
    return { label: 'unknown', confidence: 0.35, reasons: [`conflicting evidence: ${summary}`, ...reasons], signals };
  }
  const least = Math.max(1, (model.minEvidence ?? 0) * 100);
  if (score.logitUnits >= model.humanAt * 100 && (score.humanEvidenceUnits >= least || !model.requireEvidence)) {
    return { label: 'human', confidence: bounded(p), reasons: [summary, ...reasons], signals };
  }
  if (score.logitUnits <= model.automaticAt * 100 && (score.automaticEvidenceUnits >= least || !model.requireEvidence)) {
    const perLabel = new Map<MessageLabel, number>();
    for (const s of signals) {
      if (s.label === 'human' || s.label === 'unknown') continue;
      perLabel.set(s.label, (perLabel.get(s.label) ?? 0) + toUnits(s.weight) * (s.generic ? 1 : 4));
    }
    let best: MessageLabel = 'system';
    let bestScore = -1;
    for (const label of automaticOrder) {
      const labelScore = perLabel.get(label) ?? 0;
      if (labelScore > bestScore) {
        best = label;
        bestScore = labelScore;
      }
    }
    return { label: best, confidence: bounded(1 - p), reasons: [summary, ...reasons], signals };
  }
  return { label: 'unknown', confidence: 0.4, reasons: [`too little evidence either way: ${summary}`, ...reasons], signals };
}

const toUnits = (weight: number): number => Math.round(weight * 100);

function bounded(p: number): number {
  return round(Math.max(0.5, Math.min(0.99, p)));
}
