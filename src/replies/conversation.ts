// Whether a human reply opens a conversation round: it asks what the template's follow_ups can answer, it is the
// latest word in the thread and answers our latest message, the probe is neither resolved nor expired, and the
// conversation has rounds left. Rate caps are the runner's to check.
import type { Store } from '../store/db.ts';
import type { FollowUp } from '../config/template-quality.ts';
import { splitQuotes } from '../classify/view.ts';
import { followUpsAskedFor } from '../quality/follow-ups.ts';
import type { RoundRow } from '../store/rounds.ts';

export interface ConversationScript {
  followUps: readonly FollowUp[];
  maxRounds: number;
}

type RoundPlan =
  | { kind: 'skip'; reason: string }
  | { kind: 'refuse'; round: number; intents: string[]; askedAt: number; reason: string }
  | { kind: 'answer'; round: number; intents: string[]; askedAt: number; text: string; reasons: string[] };

/** Follow-ups that reached, or may have reached, the vendor (each opened a round). */
export const roundCounts = (r: RoundRow): boolean => r.state === 'sending' || r.state === 'sent' || r.state === 'send_unknown';

/** Our latest message in the thread went out then (the probe itself, or the latest follow-up). */
function lastOursAt(sentAt: number, rounds: readonly RoundRow[]): number {
  return rounds.filter(roundCounts).reduce((at, r) => Math.max(at, r.sent_at ?? r.sending_at ?? r.decided_at), sentAt);
}

/** The next round for the reply `messageId` of probe `probeId`, decided at `now`. */
export function planRound(store: Store, probeId: number, messageId: number, script: ConversationScript, now: number): RoundPlan {
  const probe = store.probes.get(probeId);
  if (!probe || probe.sent_at === null) return { kind: 'skip', reason: 'the probe was not sent' };
  const messages = store.messages.forProbe(probeId);
  const message = messages.find((m) => m.id === messageId);
  if (message?.effective_label !== 'human') return { kind: 'skip', reason: 'not a human reply' };
  if (script.followUps.length === 0) return { kind: 'skip', reason: 'the template has no follow_ups' };
  if (store.rounds.byQuestion(messageId)) return { kind: 'skip', reason: 'this reply has a round already' };
  const later = messages.find(
    (m) => m.effective_label === 'human' && (m.received_at > message.received_at || (m.received_at === message.received_at && m.id > message.id)),
  );
  if (later) return { kind: 'skip', reason: `a later human reply (message ${later.id}) has the last word` };
  const rounds = store.rounds.forProbe(probeId);
  if (rounds.some((r) => r.state === 'waiting' || r.state === 'sending')) return { kind: 'skip', reason: 'a follow-up is on its way already' };
  // INTERNALDATE has whole seconds: a reply dated in our follow-up's second may still answer it.
  if (message.received_at + 1000 <= lastOursAt(probe.sent_at, rounds)) return { kind: 'skip', reason: 'the reply came before our latest message' };

  const text = message.body_text ?? '';
  const asked = followUpsAskedFor(splitQuotes(text).fresh || text, script.followUps);
  if (asked.length === 0) return { kind: 'skip', reason: 'no scripted answer for what the reply asks' };
  const intents = asked.map((a) => a.intent);
  const round = rounds.filter(roundCounts).length + 2;
  const askedAt = message.received_at;
  const refuse = (reason: string): RoundPlan => ({ kind: 'refuse', round, intents, askedAt, reason });
  if (store.quality.forProbe(probeId)?.resolved_at != null) return refuse('the probe is resolved');
  if (probe.expires_at !== null && now >= probe.expires_at) return refuse(`the probe expired at ${new Date(probe.expires_at).toISOString()}`);
  if (probe.state !== 'sent' && probe.state !== 'answered') return refuse(`the probe is ${probe.state}`);
  if (round > script.maxRounds) return refuse(`max_rounds: the conversation has had its ${script.maxRounds} round${script.maxRounds === 1 ? '' : 's'}`);
  return {
    kind: 'answer',
    round,
    intents,
    askedAt,
    text: asked.map((a) => a.answer.trim()).join('\n\n'),
    reasons: asked.map((a) => `follow-up ${a.intent}: "${a.term}" in "${a.sentence}"`),
  };
}
