import { describe, expect, it } from 'vitest';
import { classifyChatMessage, type ChatClassifyContext, type ChatMessageFacts } from '../../src/classify/chat.ts';

const at = 1_000_000;
const ctx = (over: Partial<ChatClassifyContext> = {}): ChatClassifyContext => ({
  lastOutgoingAt: at,
  humanMinLatencyMs: 2000,
  seenBefore: false,
  joinedAgents: [],
  handoverAt: null,
  ...over,
});
const msg = (over: Partial<ChatMessageFacts> = {}): ChatMessageFacts => ({
  text: 'Let me check that for you.',
  author: null,
  marker: null,
  quickReplies: 0,
  appearedAt: at + 30_000,
  ...over,
});

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

  describe('after an announced hand-over without a join event', () => {
    const handoverAt = at - 60_000;
    it.each([
      [
        'a person naming themself, as the widget names the author',
        msg({ author: 'Jonas', text: 'Hi, Jonas from the video team here. Which player version is this?' }),
        'human',
        'Jonas introduces themself',
      ],
      ['an unnamed author saying "I\'m X"', msg({ text: "Good morning! I'm Ines and I can see the duplicate charge." }), 'human', 'Ines introduces themself'],
      ['a Chinese introduction', msg({ author: '售后-小周', text: '您好，我是售后的小周，我帮您查一下。' }), 'human', '小周 introduces themself'],
      ['a message without an introduction', msg({ text: 'Let me check that for you.' }), 'bot', 'a hand-over was announced, but no agent has joined'],
      [
        'an introduction under another author (a brand)',
        msg({ author: 'Copperline', text: "Hi, I'm Remy, happy to help." }),
        'bot',
        'a hand-over was announced',
      ],
      [
        'a persona that calls itself an assistant',
        msg({ author: 'Remy', text: "Hi, I'm Remy, the billing assistant. What's your invoice number?" }),
        'bot',
        'says it is an assistant or bot',
      ],
      [
        'a Chinese persona that calls itself 智能助手',
        msg({ text: '我是智能助手小星，人工客服接入前请先描述问题。' }),
        'bot',
        'says it is an assistant or bot',
      ],
    ] as const)('%s', (_name, message, label, reason) => {
      const verdict = classifyChatMessage(message, ctx({ handoverAt }));
      expect(verdict.label).toBe(label);
      expect(verdict.reasons.join(' | ')).toContain(reason);
    });

    it('does not trust an introduction that follows the announcement faster than a person could pick the chat up', () => {
      const verdict = classifyChatMessage(
        msg({ author: 'Remy', text: "Hi, I'm Remy! Could you tell me the invoice number?" }),
        ctx({ handoverAt: at + 29_000 }),
      );
      expect(verdict.label).toBe('bot');
      expect(verdict.reasons.join(' | ')).toContain('1000 ms after the hand-over was announced');
    });

    it('does not trust an introduction typed faster than a person could after our message', () => {
      const verdict = classifyChatMessage(msg({ author: 'Jonas', text: 'Jonas here.', appearedAt: at + 500 }), ctx({ handoverAt }));
      expect(verdict.label).toBe('bot');
      expect(verdict.reasons.join(' | ')).toContain('too fast to be typed');
    });

    it('needs the announcement: the same introduction with none is a persona bot', () => {
      const verdict = classifyChatMessage(msg({ author: 'Jonas', text: 'Hi, Jonas from the video team here.' }), ctx());
      expect(verdict.label).toBe('bot');
      expect(verdict.reasons.join(' | ')).toContain('no agent has joined yet');
    });
  });

  it.each([
    ['Transferring you to the video team…', true],
    ["Of course. I'm connecting you with the video team now.", true],
    ['正在为您转接人工客服，请稍候', true],
    ['Transferring you to our virtual assistant.', false],
    ['Would you like to talk to a member of our team?', false],
    ['猜您想问：1. 如何开启跨区域复制 2. 转人工', false],
  ] as const)('tells whether %j announces a hand-over to a person', (text, handover) => {
    expect(classifyChatMessage(msg({ text, appearedAt: at + 800 }), ctx()).handover === true).toBe(handover);
  });

  describe("a text seen in another probe's chat from an agent-marked author", () => {
    const macro = 'Hi, thanks for contacting Blue Harbor, let me take a look at this for you.';
    it("stays human at a human pace, with less confidence than a fresh text (an agent's macro)", () => {
      const fresh = classifyChatMessage(msg({ marker: 'agent', author: 'Sam', text: macro }), ctx());
      const repeated = classifyChatMessage(msg({ marker: 'agent', author: 'Sam', text: macro }), ctx({ seenBefore: true }));
      expect(repeated.label).toBe('human');
      expect(repeated.confidence).toBeLessThan(fresh.confidence);
      expect(repeated.reasons.join(' | ')).toContain('maybe a macro pasted by a person');
    });

    it('is a bot when it came too fast to be typed', () => {
      const verdict = classifyChatMessage(msg({ marker: 'agent', text: macro, appearedAt: at + 900 }), ctx({ seenBefore: true }));
      expect(verdict.label).toBe('bot');
      expect(verdict.reasons.join(' | ')).toContain('a template');
    });

    it('is still a template without the agent marker', () => {
      expect(classifyChatMessage(msg({ author: 'Sam', text: macro }), ctx({ seenBefore: true })).label).toBe('bot');
    });
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
