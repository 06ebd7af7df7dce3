// A conversation of three rounds in one chat session, in Chromium against the sandbox widget: each agent question the
// template's follow_ups answer is answered in the open session, and the chat closes after the reply that resolves.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { channels } from '../../src/channels/registry.ts';
import { createConversations, type Conversations } from '../../src/runner/conversation.ts';
import type { SiteEvent } from '../../src/sandbox/vendor-site.ts';
import { startRig, chatVendor, probe, evidenceOf, type BrowserRig } from './browser-setup.ts';

let rig: BrowserRig;
let conversations: Conversations;

beforeAll(async () => {
  rig = await startRig([
    chatVendor(
      'talkco',
      {
        script: [
          { after: 300, kind: 'bot', text: 'I am the virtual assistant. An agent will be with you shortly.' },
          { after: 1200, kind: 'join', agent: 'Maya' },
          { after: 2600, kind: 'human', agent: 'Maya', text: 'Hi, Maya here. Which SDK version are you using?' },
        ],
        follow_ups: [
          { after: 2500, agent: 'Maya', text: 'Thanks! And what time did it start?' },
          { after: 2500, agent: 'Maya', text: 'Found it: I raised the ingest limit per stream key for your account, it is live now.' },
        ],
      },
      { follow_up_wait: '3s', max_wait: '40s' },
    ),
  ]);
  const vendor = rig.catalog.vendors[0];
  const template = vendor?.templates[0];
  if (!vendor || !template) throw new Error('no template');
  vendor.templates[0] = {
    ...template,
    expect: [
      { name: 'limit', any: ['ingest limit'] },
      { name: 'a step', any: ['/\\braised\\b/'] },
    ],
    follow_ups: [
      { intent: 'sdk', when: ['sdk version'], answer: 'We use the web SDK 4.2.1.' },
      { intent: 'time_window', when: ['what time', 'when did'], answer: 'It started at 10:02 UTC today.' },
    ],
  };
  rig.store.vendors.sync(rig.catalog);
  conversations = createConversations({ store: rig.store, catalog: rig.catalog, clock: systemClock, logger: silentLogger, channels, services: rig.services });
  conversations.start();
});
afterAll(async () => {
  await conversations?.stop();
  await rig?.stop();
});

type ChatEvent = Extract<SiteEvent, { kind: 'chat_message' }>;

describe('a conversation in one chat session', () => {
  it('answers two agent questions in the open chat and closes after the reply that resolves, each round stored with its times', async () => {
    const sent = await probe(rig, 'talkco');
    expect(sent.state, sent.error_text ?? '').toBe('sent');
    await rig.followUps[0];
    const p = rig.store.probes.get(sent.id);
    if (!p) throw new Error('probe vanished');
    const messages = rig.store.messages.forProbe(p.id);
    expect(messages.map((m) => m.label)).toEqual(['bot', 'system', 'human', 'human', 'human']);
    const humans = messages.filter((m) => m.label === 'human');

    const rounds = rig.store.rounds.forProbe(p.id);
    expect(rounds.map((r) => [r.round, r.state, JSON.parse(r.intents), r.question_message_id, r.reply_message_id])).toEqual([
      [2, 'sent', ['sdk'], humans[0]?.id, humans[1]?.id],
      [3, 'sent', ['time_window'], humans[1]?.id, humans[2]?.id],
    ]);
    expect(rig.store.quality.forProbe(p.id)).toMatchObject({ resolved_by: 'rubric', resolution_rounds: 3, resolved_message_id: humans[2]?.id });

    // The widget saw our three messages in order, in one conversation, each answered after it was sent.
    const conversation = rig.site.events().find((e): e is ChatEvent => e.kind === 'chat_message' && e.role === 'visitor' && e.token === p.token)?.conversation;
    const visitor = rig.site.events().filter((e): e is ChatEvent => e.kind === 'chat_message' && e.role === 'visitor' && e.conversation === conversation);
    expect(visitor.map((e) => e.text)).toEqual([expect.stringContaining(p.token), 'We use the web SDK 4.2.1.', 'It started at 10:02 UTC today.']);
    for (const [i, r] of rounds.entries()) {
      expect(Math.abs((r.sent_at ?? 0) - (visitor[i + 1]?.at ?? 0))).toBeLessThan(250);
      expect(r.reply_at ?? 0).toBeGreaterThan(r.sent_at ?? Infinity);
      expect(r.sent_at ?? 0).toBeGreaterThan(r.asked_at);
    }

    const transcript = evidenceOf(p).find((e) => e.endsWith('transcript.json'));
    expect(existsSync(transcript ?? '')).toBe(true);
    const saved: { messages: Array<{ direction: string }> } = JSON.parse(readFileSync(transcript ?? '', 'utf8'));
    expect(saved.messages.map((m) => m.direction)).toEqual(['before', 'out', 'in', 'in', 'in', 'out', 'in', 'out', 'in']);
    expect(rig.services.openChats?.size).toBe(0);
    expect(rig.pool.openContexts()).toBe(0);
  }, 90_000);
});
