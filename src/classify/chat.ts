// Pure: labels one incoming chat message human | bot | system from explainable signals (markers, join events, latency, quick replies, templates).
import type { Signal } from './types.ts';

export type ChatLabel = 'human' | 'bot' | 'system';

export interface ChatMessageFacts {
  text: string;
  author: string | null;
  /** Role marker found by the widget preset's selectors. */
  marker: 'agent' | 'bot' | 'system' | null;
  quickReplies: number;
  /** When the message appeared (ms UTC). */
  appearedAt: number;
}

export interface ChatClassifyContext {
  /** When our latest message appeared in the transcript. */
  lastOutgoingAt: number;
  /** A reply sooner than this after ours is not a person typing (channel `human_min_latency_ms`). */
  humanMinLatencyMs: number;
  /** The same text appeared in another probe's chat with this vendor (a template). */
  seenBefore: boolean;
  /** Agents announced by earlier "X joined the chat" events in this chat. */
  joinedAgents: readonly string[];
}

export interface ChatClassification {
  label: ChatLabel;
  confidence: number;
  reasons: string[];
  signals: Signal[];
  /** Set when the message announces an agent joining. */
  joinedAgent?: string;
}

const joinPatterns: RegExp[] = [
  /^(?:agent\s+)?(.{1,60}?)\s+(?:has\s+)?joined(?:\s+the\s+(?:chat|conversation))?[.!]?$/i,
  /^you(?:'re| are) now (?:chatting|connected|talking) (?:with|to)\s+(.{1,60}?)[.!]?$/i,
  /^(.{1,60}?)\s+is now (?:assisting|helping) you[.!]?$/i,
  /^(?:客服|人工客服)?\s*(.{1,30}?)\s*(?:已加入(?:对话|会话)|加入了(?:对话|会话))[。！]?$/,
  /^已为您(?:接入|转接)人工客服\s*(.{1,30}?)[。！]?$/,
];
const otherSystemPatterns: RegExp[] = [
  /\b(?:has )?left the (?:chat|conversation)\b/i,
  /\b(?:chat|conversation) (?:has )?(?:ended|closed)\b/i,
  /\btransferr(?:ed|ing) (?:you )?to\b/i,
  /^you are (?:number|#)\s*\d+ in (?:the )?queue/i,
  /(?:对话|会话)已结束|正在为您转接|排队/,
];

/** Joins a signal list into one verdict: the label with the most weight; confidence grows with weight and agreement. */
function combine(signals: Signal[]): { label: ChatLabel; confidence: number } {
  const totals = new Map<ChatLabel, number>();
  for (const s of signals) if (s.label === 'human' || s.label === 'bot' || s.label === 'system') totals.set(s.label, (totals.get(s.label) ?? 0) + s.weight);
  let label: ChatLabel = 'bot';
  let top = 0;
  let sum = 0;
  for (const [l, w] of totals) {
    sum += w;
    if (w > top) { top = w; label = l; }
  }
  const confidence = sum === 0 ? 0.1 : Math.min(0.99, Math.max(0.05, (top / sum) * Math.min(1, top)));
  return { label, confidence: Math.round(confidence * 100) / 100 };
}

export function classifyChatMessage(message: ChatMessageFacts, ctx: ChatClassifyContext): ChatClassification {
  const signals: Signal[] = [];
  const add = (rule: string, label: ChatLabel, weight: number, reason: string) => signals.push({ rule, label, weight, reason });
  const text = message.text.trim();
  let joinedAgent: string | undefined;

  if (message.marker === 'system') add('marker', 'system', 0.95, 'the widget marks it as a system event');
  for (const pattern of joinPatterns) {
    const match = pattern.exec(text);
    if (match?.[1]) {
      joinedAgent = match[1].trim();
      add('join-event', 'system', 0.9, `announces that ${joinedAgent} joined`);
      break;
    }
  }
  if (!joinedAgent && otherSystemPatterns.some((p) => p.test(text))) add('system-event', 'system', 0.8, 'reads as a chat event (left, ended, transfer, queue)');
  if (message.marker === 'bot') add('marker', 'bot', 0.9, 'the widget marks its author as a bot');
  if (message.marker === 'agent') add('marker', 'human', 0.6, 'the widget marks its author as an agent');
  if (message.quickReplies > 0) add('quick-replies', 'bot', 0.6, `offers ${message.quickReplies} quick-reply button(s)`);
  const latency = message.appearedAt - ctx.lastOutgoingAt;
  if (latency >= 0 && latency < ctx.humanMinLatencyMs) add('latency', 'bot', 0.8, `appeared ${latency} ms after our message (under ${ctx.humanMinLatencyMs} ms): too fast to be typed`);
  if (ctx.seenBefore) add('template', 'bot', 0.7, 'the same text appeared in another probe\'s chat: a template');
  const author = message.author?.trim();
  const joined = author ? ctx.joinedAgents.find((a) => a.toLowerCase() === author.toLowerCase() || author.toLowerCase().includes(a.toLowerCase())) : undefined;
  if (joined) add('joined-author', 'human', 0.6, `written by ${joined}, who joined as an agent`);

  const decisive = signals.some((s) => s.weight >= 0.6);
  if (!decisive) {
    if (ctx.joinedAgents.length > 0) add('after-join', 'human', 0.35, 'an agent has joined and nothing marks this as automatic');
    else add('before-join', 'bot', 0.3, 'no agent has joined yet');
  }
  const verdict = combine(signals);
  return { ...verdict, reasons: signals.map((s) => `${s.label}: ${s.reason}`), signals, ...(joinedAgent ? { joinedAgent } : {}) };
}

/** The form in which chat texts are stored and compared across probes. */
export function normaliseChatText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 4000);
}
