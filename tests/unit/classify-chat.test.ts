import { describe, expect, it } from 'vitest';
import { classifyChatMessage, type ChatClassifyContext, type ChatMessageFacts } from '../../src/classify/chat.ts';

const at = 1_000_000;
const ctx = (over: Partial<ChatClassifyContext> = {}): ChatClassifyContext => ({ lastOutgoingAt: at, humanMinLatencyMs: 2000, seenBefore: false, joinedAgents: [], ...over });
const msg = (over: Partial<ChatMessageFacts> = {}): ChatMessageFacts => ({ text: 'Let me check that for you.', author: null, marker: null, quickReplies: 0, appearedAt: at + 30_000, ...over });

describe('classifyChatMessage', () => {
  it.each([
    ['a bot marker', msg({ marker: 'bot' }), ctx(), 'bot', 'marks its author as a bot'],
    ['an instant answer', msg({ appearedAt: at + 400 }), ctx(), 'bot', 'too fast to be typed'],
    ['quick-reply buttons', msg({ quickReplies: 3 }), ctx(), 'bot', 'quick-reply'],
    ['a text seen in another probe', msg(), ctx({ seenBefore: true }), 'bot', 'a template'],
    ['"X joined the chat"', msg({ text: 'Maya joined the chat' }), ctx(), 'system', 'Maya joined'],
    ['"you are now chatting with X"', msg({ text: 'You are now chatting with Omar.' }), ctx(), 'system', 'Omar joined'],
    ['a Chinese join event', msg({ text: '客服小李已加入对话' }), ctx(), 'system', '小李 joined'],
    ['a system marker', msg({ marker: 'system', text: 'Chat started' }), ctx(), 'system', 'system event'],
    ['"left the chat"', msg({ text: 'Maya has left the chat' }), ctx(), 'system', 'chat event'],
    ['the joined agent writing', msg({ author: 'Maya' }), ctx({ joinedAgents: ['Maya'] }), 'human', 'who joined as an agent'],
    ['an agent marker', msg({ marker: 'agent', author: 'Lee' }), ctx(), 'human', 'marks its author as an agent'],
    ['an unmarked message after a join', msg(), ctx({ joinedAgents: ['Maya'] }), 'human', 'an agent has joined'],
    ['an unmarked message before any join', msg(), ctx(), 'bot', 'no agent has joined yet'],
  ] as const)('%s', (_name, message, context, label, reason) => {
    const verdict = classifyChatMessage(message, context);
    expect(verdict.label).toBe(label);
    expect(verdict.reasons.join(' | ')).toContain(reason);
    expect(verdict.confidence).toBeGreaterThan(0);
    expect(verdict.confidence).toBeLessThan(1);
  });

  it('lets timing outweigh an agent marker on an instant reply', () => {
    const verdict = classifyChatMessage(msg({ marker: 'agent', appearedAt: at + 300 }), ctx());
    expect(verdict.label).toBe('bot');
    expect(verdict.confidence).toBeLessThan(0.6);
  });

  it('names the agent a join event announces', () => {
    expect(classifyChatMessage(msg({ text: 'Agent Priya has joined the conversation.' }), ctx()).joinedAgent).toBe('Priya');
  });

  it('is more confident when signals agree', () => {
    const one = classifyChatMessage(msg({ quickReplies: 2 }), ctx());
    const three = classifyChatMessage(msg({ quickReplies: 2, marker: 'bot', appearedAt: at + 200 }), ctx());
    expect(three.confidence).toBeGreaterThan(one.confidence);
  });
});
