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
  /** When the chat last announced a hand-over to a person ("Transferring you…", "正在为您转接人工客服"), ms UTC; null if never. */
  handoverAt: number | null;
}

interface ChatClassification {
  label: ChatLabel;
  confidence: number;
  reasons: string[];
  signals: Signal[];
  /** Set when the message announces an agent joining. */
  joinedAgent?: string;
  /** Set when the message announces a hand-over to a person (whoever wrote it): the caller keeps its time as `handoverAt`. */
  handover?: true;
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

// A hand-over to a person is announced, not yet done: no name, so it is not a join; some widgets never send a join event.
const handoverPatterns: RegExp[] = [
  /\btransferr(?:ing|ed) you\b/i,
  /\b(?:connecting|putting) you (?:through )?(?:with|to)\b/i,
  /\b(?:handing|passing) you (?:over )?to\b/i,
  /(?:正在|即将|马上)?为您转接|正在为您(?:接入|分配)人工/,
];
// A person saying who they are. The "X here" form must open the message: elsewhere "X here" is too often not a name.
const introductionPatterns: RegExp[] = [
  /\b(?:I(?:'|’)m|I am|[Mm]y name is|[Tt]his is)\s+(\p{Lu}[\p{L}'-]{1,29})/u,
  /^(?:(?:[Hh]i|[Hh]ello|[Hh]ey|[Gg]ood (?:morning|afternoon|evening))(?: there)?[,!.]?\s+)?(\p{Lu}[\p{L}'-]{1,29})(?: (?:from|with|on) (?:the )?[\p{L}&\s-]{1,40}?)? here(?=[\s.,!;:—–-]|$)/u,
  /我是(?:[\p{Script=Han}A-Za-z]{1,8}?的)?([\p{Script=Han}A-Za-z]{1,8}?)(?=[，。！？,.!?\s]|$)/u,
];
// Persona bots introduce themselves too, and say what they are. A person who mentions the bot is missed: no false person.
const automatonWords = /\b(?:bot|chatbot|virtual|assistant|automated|AI)\b|智能|机器人|助手/i;

/** "Transferring you to the video team": a hand-over, unless its target is another automaton ("…to our virtual assistant"). */
function announcesHandover(text: string): boolean {
  for (const pattern of handoverPatterns) {
    const match = pattern.exec(text);
    if (match) return !automatonWords.test(text.slice(match.index));
  }
  return false;
}

/** The name in a self-introduction ("I'm Ines", "Jonas from the video team here", "我是小周"), if the text has one. */
function introducedName(text: string): string | undefined {
  for (const pattern of introductionPatterns) {
    const name = pattern.exec(text)?.[1];
    if (name) return name;
  }
  return undefined;
}

/**
 * After an announced hand-over, a person who names themself is the expected agent — unless the text calls itself an
 * automaton, the widget shows another author (a brand author with "I'm X" is not trusted), or it came too soon.
 */
function handoverIntroduction(
  text: string,
  author: string | undefined,
  sinceHandover: number,
  minLatencyMs: number,
): { label: ChatLabel; weight: number; reason: string } | undefined {
  const name = introducedName(text);
  if (!name) return undefined;
  if (automatonWords.test(text))
    return { label: 'bot', weight: 0.3, reason: `introduces itself as ${name} but says it is an assistant or bot, not the announced person` };
  if (author && !author.toLowerCase().includes(name.toLowerCase())) return undefined;
  if (sinceHandover < minLatencyMs)
    return {
      label: 'bot',
      weight: 0.3,
      reason: `introduces itself as ${name} ${sinceHandover} ms after the hand-over was announced (under ${minLatencyMs} ms): too soon for the person`,
    };
  return {
    label: 'human',
    weight: 0.6,
    reason: `a hand-over to a person was announced ${Math.round(sinceHandover / 1000)} s earlier and ${name} introduces themself`,
  };
}

/** Joins a signal list into one verdict: the label with the most weight; confidence grows with weight and agreement. */
function combine(signals: Signal[]): { label: ChatLabel; confidence: number } {
  const totals = new Map<ChatLabel, number>();
  for (const s of signals) if (s.label === 'human' || s.label === 'bot' || s.label === 'system') totals.set(s.label, (totals.get(s.label) ?? 0) + s.weight);
  let label: ChatLabel = 'bot';
  let top = 0;
  let sum = 0;
  for (const [l, w] of totals) {
    sum += w;
    if (w > top) {
      top = w;
      label = l;
    }
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
  const handover = !joinedAgent && announcesHandover(text);
  if (message.marker === 'bot') add('marker', 'bot', 0.9, 'the widget marks its author as a bot');
  if (message.marker === 'agent') add('marker', 'human', 0.6, 'the widget marks its author as an agent');
  if (message.quickReplies > 0) add('quick-replies', 'bot', 0.6, `offers ${message.quickReplies} quick-reply button(s)`);
  const latency = message.appearedAt - ctx.lastOutgoingAt;
  const tooFast = latency >= 0 && latency < ctx.humanMinLatencyMs;
  if (tooFast) add('latency', 'bot', 0.8, `appeared ${latency} ms after our message (under ${ctx.humanMinLatencyMs} ms): too fast to be typed`);
  // Agents paste canned greetings too: with the widget's agent marker and a human pace, a repeat only lowers confidence.
  if (ctx.seenBefore && message.marker === 'agent' && !tooFast)
    add(
      'template',
      'bot',
      0.3,
      "the same text appeared in another probe's chat, but an agent-marked author sent it at a human pace: maybe a macro pasted by a person",
    );
  else if (ctx.seenBefore) add('template', 'bot', 0.7, "the same text appeared in another probe's chat: a template");
  const author = message.author?.trim() || undefined;
  const joined = author ? ctx.joinedAgents.find((a) => a.toLowerCase() === author.toLowerCase() || author.toLowerCase().includes(a.toLowerCase())) : undefined;
  if (joined) add('joined-author', 'human', 0.6, `written by ${joined}, who joined as an agent`);
  const sinceHandover = ctx.handoverAt === null ? undefined : message.appearedAt - ctx.handoverAt;
  // A hand-over announcement makes an agent expected even when the widget never sends a join event.
  if (sinceHandover !== undefined && !tooFast && !joinedAgent) {
    const introduction = handoverIntroduction(text, author, sinceHandover, ctx.humanMinLatencyMs);
    if (introduction) add('handover-introduction', introduction.label, introduction.weight, introduction.reason);
  }
  const decisive = signals.some((s) => s.weight >= 0.6);
  if (!decisive) {
    if (ctx.joinedAgents.length > 0) add('after-join', 'human', 0.35, 'an agent has joined and nothing marks this as automatic');
    else if (ctx.handoverAt !== null)
      add('before-join', 'bot', 0.3, 'a hand-over was announced, but no agent has joined and nothing shows that a person wrote this');
    else add('before-join', 'bot', 0.3, 'no agent has joined yet');
  }
  const verdict = combine(signals);
  return {
    ...verdict,
    reasons: signals.map((s) => `${s.label}: ${s.reason}`),
    signals,
    ...(joinedAgent ? { joinedAgent } : {}),
    ...(handover ? { handover: true as const } : {}),
  };
}

/** The form in which chat texts are stored and compared across probes. */
export function normaliseChatText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 4000);
}
