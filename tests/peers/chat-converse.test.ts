// firstreply's chat channel against a web chat it does not control: converse.js (from npm, served on loopback) logged in
// anonymously to Debian's Prosody over websocket, and a desk agent scripted over XMPP that greets from its `bot`
// resource, then types (XEP-0085) and answers as a person. The probe runs through src/main.ts as production wires it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger.ts';
import { settingsSchema, vendorSchema, type Catalog } from '../../src/config/schema.ts';
import { startFirstReply, type Running } from '../../src/main.ts';
import type { MessageRow } from '../../src/store/messages.ts';
import { until } from '../integration/email-fixtures.ts';
import { prosodyMissing, startProsody, type ProsodyPeer } from './helpers/prosody.ts';
import { startDeskAgent, type DeskAgent } from './helpers/prosody-agent.ts';
import { startVisitorPage, type VisitorPage } from './helpers/prosody-visitor-page.ts';
import { reportFigure, skipPeer } from './helpers/peer-report.ts';

const file = 'tests/peers/chat-converse.test.ts';
const chromium = '/usr/bin/chromium';

const script = {
  greeting: 'Hi! I am the Assistant, an automated helper. A member of our support team will be with you shortly.',
  reply: 'Hello, Dana from the support team here. Each stream key accepts up to 50 ingest requests per second; above that you get HTTP 429.',
  typingAfterMs: 2500,
  typingMs: 1200,
};

function missing(): string | null {
  return prosodyMissing() ?? (existsSync(chromium) ? null : `${chromium} not found: install Debian's chromium (scripts/setup.sh does)`);
}

const skipProsody = skipPeer('prosody + converse.js', missing(), file);

function catalogFor(pageUrl: string, dir: string): Catalog {
  const settings = settingsSchema.parse({
    database: join(dir, 'firstreply.db'),
    evidence_dir: join(dir, 'evidence'),
    // The chat channel reads no mail; a mailbox is still part of every settings file.
    mailboxes: { default: { address: 'probes@firstreply.test', imap: { host: '127.0.0.1', port: 1, secure: false, user: 'p', pass: 'p' } } },
    browser: { executable: chromium },
  });
  const input = vendorSchema.parse({
    slug: 'xmpp-desk',
    name: 'XMPP Desk',
    visibility: 'public',
    timezone: 'UTC',
    rate_caps: { per_day: 1000, per_week: 1000 },
    templates: [{ id: 'limits', tier: 'P3', subject: 'Ingest limits {{token}}', body: 'Hello, what are the ingest limits per stream key? Ref {{token}}' }],
    channels: [{ id: 'chat', kind: 'chat', url: pageUrl, preset: 'converse', max_wait: '60s', timeout: 20_000 }],
  });
  const vendor = { ...input, templates: input.templates.flatMap((t) => ('use' in t ? [] : [t])), file: 'xmpp-desk.yaml' };
  return { dir, settings, vendors: [vendor] };
}

const describeMessages = (messages: readonly MessageRow[]): string =>
  messages
    .map(
      (m) => `  #${m.id} ${m.label} at ${m.received_at} by ${m.from_addr}: ${m.body_text}\n    ${(JSON.parse(m.reasons || '[]') as string[]).join('\n    ')}`,
    )
    .join('\n');

describe.skipIf(skipProsody)('chat probe against converse.js and Prosody', () => {
  let dir: string | undefined;
  let prosody: ProsodyPeer | undefined;
  let agent: DeskAgent | undefined;
  let page: VisitorPage | undefined;
  let running: Running | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firstreply-peers-chat-'));
    const startedAt = Date.now();
    prosody = await startProsody();
    reportFigure('Prosody start-up', Date.now() - startedAt, 'ms', file);
    agent = await startDeskAgent({
      c2sPort: prosody.c2sPort,
      domain: prosody.deskDomain,
      username: prosody.agent.username,
      password: prosody.agent.password,
      script,
    });
    page = await startVisitorPage({ websocketUrl: prosody.websocketUrl, anonymousDomain: prosody.anonymousDomain, deskJid: prosody.agent.jid });
    running = await startFirstReply({ catalog: catalogFor(page.url, dir), logger: silentLogger, port: 0, host: '127.0.0.1', schedule: false, watch: false });
  });

  afterAll(async () => {
    try {
      await running?.stop();
    } finally {
      try {
        await agent?.stop();
        await page?.close();
      } finally {
        await prosody?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("records the bot greeting as bot and the person's reply as human, timed to the agent's send", async () => {
    const r = running;
    const desk = agent;
    if (!r || !desk || !prosody) throw new Error('the peers did not start');
    const store = r.store;
    const sent = await r.runner.send(r.runner.plan('xmpp-desk', 'chat', { ignoreCaps: true }).id);
    expect(sent.state, sent.error_text ?? '').toBe('sent');
    const dump = () =>
      `probe ${JSON.stringify(store.probes.get(sent.id))}\n${describeMessages(store.messages.forProbe(sent.id))}\ndesk sent ${JSON.stringify(desk.sends())}\nprosody:\n${prosody?.log().split('\n').slice(-20).join('\n')}`;

    const reply = await desk.replied(sent.token, 30_000).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${dump()}`);
    });
    const probe = await until(
      store,
      () => {
        const p = store.probes.get(sent.id);
        return p?.first_human_at != null ? p : undefined;
      },
      15_000,
      'first_human_at',
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${dump()}`);
    });

    const messages = store.messages.forProbe(sent.id);
    // The typing notification is not a message: exactly the greeting and the reply came back.
    expect(
      messages.map((m) => m.label),
      dump(),
    ).toEqual(['bot', 'human']);
    expect(messages.map((m) => m.body_text)).toEqual([script.greeting, script.reply]);
    expect(messages[0]?.reasons).toContain('marks its author as a bot');
    expect(messages[1]?.reasons).toContain('marks its author as an agent');
    expect(probe.state).toBe('answered');

    const visitorMessage = desk.received().find((m) => m.body.includes(sent.token));
    const greeting = desk.sends().find((s) => s.kind === 'greeting' && s.to === reply.to);
    const composing = desk.sends().find((s) => s.kind === 'composing' && s.to === reply.to);
    expect(visitorMessage && greeting && composing).toBeTruthy();
    expect(composing?.sentAt ?? Infinity).toBeLessThan(reply.sentAt);
    expect(greeting?.from.endsWith('/bot')).toBe(true);
    expect(reply.from.endsWith('/bot')).toBe(false);

    const humanError = (probe.first_human_at ?? 0) - reply.sentAt;
    const botError = (probe.first_bot_at ?? 0) - (greeting?.sentAt ?? 0);
    const sendError = (probe.sent_at ?? 0) - (visitorMessage?.at ?? 0);
    reportFigure('chat first_human_at − agent send (converse.js + Prosody)', humanError, 'ms', file);
    reportFigure('chat first_bot_at − bot send (converse.js + Prosody)', botError, 'ms', file);
    reportFigure(
      'chat sent_at − agent receipt of our message (converse.js + Prosody)',
      sendError,
      'ms',
      file,
      'converse shows our message before the server relays it',
    );
    expect(Math.abs(humanError), dump()).toBeLessThan(250);
    expect(Math.abs(botError), dump()).toBeLessThan(250);
    expect(Math.abs(sendError), dump()).toBeLessThan(1000);
  });
});
