import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, chatVendor, probe, evidenceOf, type BrowserRig } from './browser-setup.ts';
import type { SiteEvent } from '../../src/sandbox/vendor-site.ts';

let rig: BrowserRig;

const botThenHuman = [
  { after: 300, kind: 'bot', text: 'I am the virtual assistant. Pick a topic.', quick_replies: ['Billing', 'Technical'] },
  { after: 1500, kind: 'join', agent: 'Maya' },
  { after: 2600, kind: 'human', agent: 'Maya' },
];

beforeAll(async () => {
  rig = await startRig([
    chatVendor('chatco', { script: botThenHuman }),
    chatVendor('plainchat', { markers: false, script: botThenHuman }),
    chatVendor('reloadco', {
      script: [
        { after: 300, kind: 'bot', text: 'Assistant here: an agent will be with you shortly.' },
        { after: 900, kind: 'reload' },
        { after: 2000, kind: 'join', agent: 'Omar' },
        { after: 3200, kind: 'human', agent: 'Omar' },
      ],
    }),
    chatVendor(
      'botonly',
      { script: [{ after: 200, kind: 'bot', text: 'Our agents are busy. Please read our FAQ.', quick_replies: ['FAQ'] }] },
      { max_wait: 1500 },
    ),
    chatVendor('changedchat', { variant: 'changed_markup' }, { timeout: 800 }),
    chatVendor(
      'shadowchat',
      { variant: 'shadow_dom', script: botThenHuman },
      {
        preset: 'generic',
        selectors: {
          launcher: '#fr-chat-launcher',
          input: 'textarea.fr-input',
          send: 'button.fr-send',
          transcript: 'ol.fr-transcript',
          message: 'li.fr-msg',
          text: '.fr-text',
          author: '.fr-author',
          agent_marker: '[data-role="agent"]',
          bot_marker: '[data-role="bot"]',
          system_marker: '[data-role="system"]',
        },
      },
    ),
  ]);
});
afterAll(async () => {
  await rig?.stop();
});

type ChatEvent = Extract<SiteEvent, { kind: 'chat_message' }>;
const truth = (token: string, role: ChatEvent['role']): ChatEvent | undefined => {
  const visitor = rig.site.events().find((e): e is ChatEvent => e.kind === 'chat_message' && e.role === 'visitor' && e.token === token);
  if (role === 'visitor') return visitor;
  // The first such message after ours (the widget's greeting comes before it and is no reply).
  return rig.site
    .events()
    .find(
      (e): e is ChatEvent =>
        e.kind === 'chat_message' && e.role === role && visitor !== undefined && e.conversation === visitor.conversation && e.id > visitor.id,
    );
};

async function watched(vendor: string) {
  const before = rig.followUps.length;
  const sent = await probe(rig, vendor);
  expect(sent.state, sent.error_text ?? '').toBe('sent');
  await rig.followUps[before];
  const p = rig.store.probes.get(sent.id);
  if (!p) throw new Error('probe vanished');
  return { p, messages: rig.store.messages.forProbe(p.id) };
}

describe('chat probe in Chromium against the sandbox widget', () => {
  it.each(['chatco', 'plainchat'])('labels the bot, the join event and the human agent, with their true times (%s)', async (vendor) => {
    const { p, messages } = await watched(vendor);
    const visitor = truth(p.token, 'visitor');
    const bot = truth(p.token, 'bot');
    const agent = truth(p.token, 'agent');
    expect(visitor && bot && agent).toBeTruthy();
    expect(Math.abs((p.sent_at ?? 0) - (visitor?.at ?? 0))).toBeLessThan(250);
    expect(messages.map((m) => m.label)).toEqual(['bot', 'system', 'human']);
    expect(messages.every((m) => m.source === 'chat')).toBe(true);
    expect(p.state).toBe('answered');
    expect(Math.abs((p.first_bot_at ?? 0) - (bot?.at ?? 0))).toBeLessThan(250);
    expect(Math.abs((p.first_human_at ?? 0) - (agent?.at ?? 0))).toBeLessThan(250);
    const reasons = messages.map((m) => m.reasons).join(' ');
    if (vendor === 'plainchat') {
      // Without role markers: timing, quick replies, the join event and the joined agent's name decide.
      expect(reasons).toContain('too fast to be typed');
      expect(reasons).toContain('quick-reply');
      expect(reasons).toContain('who joined as an agent');
    } else {
      expect(reasons).toContain('marks its author as a bot');
    }
    const transcript = evidenceOf(p).find((e) => e.endsWith('transcript.json'));
    expect(existsSync(transcript ?? '')).toBe(true);
    const saved: { messages: Array<{ direction: string }> } = JSON.parse(readFileSync(transcript ?? '', 'utf8'));
    expect(saved.messages.map((m) => m.direction)).toEqual(['before', 'out', 'in', 'in', 'in']);
    expect(rig.pool.openContexts()).toBe(0);
    expect(rig.pool.chats().open).toBe(0);
  });

  it("finds a widget rendered in shadow DOM with the generic preset and the vendor's own selectors", async () => {
    const { p, messages } = await watched('shadowchat');
    expect(messages.map((m) => m.label)).toEqual(['bot', 'system', 'human']);
    expect(Math.abs((p.first_human_at ?? 0) - (truth(p.token, 'agent')?.at ?? 0))).toBeLessThan(250);
    expect(rig.pool.openContexts()).toBe(0);
  });

  it('recognises a bot text seen in an earlier probe as a template', async () => {
    const { messages } = await watched('plainchat');
    expect(messages[0]?.label).toBe('bot');
    expect(messages[0]?.reasons).toContain('a template');
  });

  it('reconnects when the page reloads mid-chat and still times the human reply exactly', async () => {
    const { p, messages } = await watched('reloadco');
    const agent = truth(p.token, 'agent');
    expect(messages.map((m) => m.label)).toEqual(['bot', 'system', 'human']);
    expect(Math.abs((p.first_human_at ?? 0) - (agent?.at ?? 0))).toBeLessThan(250);
    const transcript = evidenceOf(p).find((e) => e.endsWith('transcript.json')) ?? '';
    const saved: { reconnects: number } = JSON.parse(readFileSync(transcript, 'utf8'));
    expect(saved.reconnects).toBe(1);
    expect(rig.pool.openContexts()).toBe(0);
  });

  it('censors the probe at max wait when no agent ever comes', async () => {
    const { p, messages } = await watched('botonly');
    expect(messages.map((m) => m.label)).toEqual(['bot']);
    expect(p.state).toBe('expired');
    expect(p.first_human_at).toBeNull();
    expect(p.closed_at).toBe((p.sent_at ?? 0) + 1500);
    expect(rig.pool.openContexts()).toBe(0);
  });

  it('fails as send_failed with the step, the selector and a screenshot when the widget markup changed', async () => {
    const p = await probe(rig, 'changedchat');
    expect(p.state).toBe('send_failed');
    expect(p.error_code).toBe('SELECTOR_MISSING');
    expect(p.error_text).toContain('open widget (input)');
    expect(p.error_text).toContain('textarea.fr-input');
    expect(existsSync(evidenceOf(p)[0] ?? '')).toBe(true);
    expect(rig.pool.openContexts()).toBe(0);
    expect(rig.pool.chats().open).toBe(0);
  });
});
