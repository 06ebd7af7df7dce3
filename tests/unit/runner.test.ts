import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, HOUR, MINUTE } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { ProbeError } from '../../src/core/errors.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { vendorSchema, settingsSchema, type Catalog, type ChannelKind } from '../../src/config/schema.ts';
import { createProbeRunner } from '../../src/runner/probe-runner.ts';
import { recordMessage } from '../../src/replies/record.ts';
import { reviewMessage } from '../../src/replies/review.ts';
import { findToken, newToken, plusAddress } from '../../src/core/token.ts';
import type { ChannelModule, ChannelRegistry, SendContext } from '../../src/channels/channel.ts';
import { channels as realChannels } from '../../src/channels/registry.ts';
import type { NewMessage } from '../../src/store/messages.ts';

const settings = settingsSchema.parse({
  mailboxes: { default: { address: 'probes@firstreply.test', imap: { host: '127.0.0.1', port: 143, secure: false, user: 'p', pass: 'p' } } },
  smtp: { default: { host: '127.0.0.1', port: 25, security: 'plain', from: 'probes@firstreply.test' } },
});

function catalogWith(overrides: Record<string, unknown> = {}): Catalog {
  const input = vendorSchema.parse({
    slug: 'acme',
    name: 'Acme',
    visibility: 'public',
    timezone: 'UTC',
    rate_caps: { per_day: 2, per_week: 5 },
    templates: [
      { id: 'q1', tier: 'P3', subject: 'Q1 {{token}}', body: 'body {{vendor}}' },
      { id: 'q2', tier: 'P2', subject: 'Q2 {{token}}', body: 'body' },
      { id: 'drill', tier: 'P0', subject: 'Down {{token}}', body: 'down' },
    ],
    channels: [{ id: 'email', kind: 'email', to: 'support@acme.test', expiry: '2d' }],
    ...overrides,
  });
  const templates = input.templates.flatMap((t) => ('use' in t ? [] : [t]));
  return { dir: 'probes', settings, vendors: [{ ...input, templates, file: 'acme.yaml' }] };
}

function recordingChannel(behaviour: (ctx: SendContext<'email'>) => Promise<number>) {
  const calls: SendContext<'email'>[] = [];
  const module: ChannelModule<'email'> = {
    ...realChannels.email,
    async send(ctx) {
      calls.push(ctx);
      return { sentAt: await behaviour(ctx) };
    },
    async reconcile() {
      return { outcome: 'unknown', note: 'no trace found' };
    },
  };
  return { module, calls };
}

let store: Store;
afterEach(() => store?.close());

function setup(behaviour: (ctx: SendContext<'email'>) => Promise<number>, catalog = catalogWith()) {
  const clock = new ManualClock();
  store = openStore(':memory:', clock);
  store.vendors.sync(catalog);
  const channel = recordingChannel(behaviour);
  const registry: ChannelRegistry = { ...realChannels, email: channel.module };
  const runner = createProbeRunner({
    store,
    catalog,
    clock,
    logger: silentLogger,
    channels: registry,
    services: { store, settings, clock, evidenceDir: '/tmp' },
  });
  return { clock, runner, calls: channel.calls };
}

let nextUid = 1;
function reply(probeId: number, receivedAt: number, label: NewMessage['label']): NewMessage {
  return {
    probe_id: probeId,
    source: 'imap',
    mailbox: 'default',
    folder: 'INBOX',
    uidvalidity: 1,
    uid: nextUid++,
    message_id: null,
    in_reply_to: null,
    subject: 's',
    from_addr: 'a@b',
    received_at: receivedAt,
    detected_at: receivedAt + 500,
    header_date: null,
    raw_path: null,
    raw_sha256: null,
    size: 1,
    headers: null,
    body_text: null,
    label,
    confidence: 0.9,
    reasons: '[]',
    match_method: 'token',
    parse_error: null,
  };
}

describe('probe runner', () => {
  it('writes sending before the channel acts, then sent with SLA deadline and expiry', async () => {
    let stateDuringSend: string | undefined;
    const { clock, runner, calls } = setup(async (ctx) => {
      stateDuringSend = store.probes.get(ctx.probe.id)?.state;
      return clock.advance(1234);
    });
    const planned = runner.plan('acme', 'email');
    expect(planned.state).toBe('scheduled');
    const sent = await runner.send(planned.id);
    expect(stateDuringSend).toBe('sending');
    expect(sent.state).toBe('sent');
    expect(sent.sent_at).toBe(clock.now());
    expect(sent.deadline_at).toBe(clock.now() + 24 * HOUR); // P3 reference target
    expect(sent.expires_at).toBe(clock.now() + 48 * HOUR);
    expect(calls[0]?.message.subject).toContain(planned.token);
    expect(calls[0]?.message.replyTo).toBe(plusAddress('probes@firstreply.test', planned.token));
    expect(calls[0]?.message.messageId).toMatch(/^<fr-[a-z0-9]+\.\d+@firstreply\.test>$/);
    expect(sent.message_id).toBe(calls[0]?.message.messageId);
    // sending a probe twice never acts twice
    await runner.send(planned.id);
    expect(calls).toHaveLength(1);
  });

  it('rotates templates and never picks a drill without consent', () => {
    const { runner } = setup(async () => 0, catalogWith({ rate_caps: { per_day: 24, per_week: 100 } }));
    const picked = [runner.plan('acme', 'email'), runner.plan('acme', 'email'), runner.plan('acme', 'email')].map((p) => p.template);
    expect(new Set(picked.slice(0, 2))).toEqual(new Set(['q1', 'q2']));
    expect(picked).not.toContain('drill');
    expect(() => runner.plan('acme', 'email', { template: 'drill' })).toThrow(ProbeError);
  });

  it('enforces the vendor rate caps from the persisted probes', () => {
    const { clock, runner } = setup(async () => 0);
    runner.plan('acme', 'email');
    runner.plan('acme', 'email');
    expect(() => runner.plan('acme', 'email')).toThrow(/cap of 2 per day/);
    clock.advance(25 * HOUR);
    runner.plan('acme', 'email');
    runner.plan('acme', 'email');
    clock.advance(25 * HOUR);
    runner.plan('acme', 'email');
    expect(() => runner.plan('acme', 'email')).toThrow(/cap of 5 per week/);
  });

  it('records channel failures as states with their codes', async () => {
    const { runner } = setup(async () => {
      throw new ProbeError('SMTP_REJECTED', '550 mailbox unavailable');
    });
    const failed = await runner.send(runner.plan('acme', 'email').id);
    expect(failed).toMatchObject({ state: 'send_failed', error_code: 'SMTP_REJECTED', error_text: '550 mailbox unavailable' });
    const { runner: second } = setup(async () => {
      throw new Error('socket hang up after DATA');
    });
    const unknown = await second.send(second.plan('acme', 'email').id);
    expect(unknown).toMatchObject({ state: 'send_unknown', error_code: 'SEND_UNKNOWN' });
  });

  it('reconciles a probe left in sending without resending it', async () => {
    const { runner, calls } = setup(async () => 0);
    const probe = runner.plan('acme', 'email');
    store.probes.markSending(probe.id, '<x@y>');
    const [reconciled] = await runner.reconcile();
    expect(reconciled).toMatchObject({ id: probe.id, state: 'send_unknown' });
    expect(calls).toHaveLength(0);
  });

  it("moves the timeline with replies and a person's review", async () => {
    const { clock, runner } = setup(async () => clock.now());
    const probe = await runner.send(runner.plan('acme', 'email').id);
    const t0 = probe.sent_at ?? 0;
    recordMessage(store, reply(probe.id, t0 + 5_000, 'auto_ack'));
    const misread = recordMessage(store, reply(probe.id, t0 + 20 * MINUTE, 'unknown'));
    recordMessage(store, reply(probe.id, t0 + 2 * HOUR, 'human'));
    // IMAP replies detected 500 ms after their whole-second INTERNALDATE arrived, at the midpoint, 250 ms after it.
    expect(store.probes.get(probe.id)).toMatchObject({
      state: 'answered',
      first_ack_at: t0 + 5_250,
      first_human_at: t0 + 2 * HOUR + 250,
      closed_at: t0 + 2 * HOUR + 250,
    });
    reviewMessage(store, misread ?? 0, 'human', 'anna');
    expect(store.probes.get(probe.id)).toMatchObject({ state: 'answered', first_human_at: t0 + 20 * MINUTE + 250 });
    // the same IMAP message is never stored twice
    const again = reply(probe.id, t0 + 5_000, 'auto_ack');
    expect(recordMessage(store, again)).toBeDefined();
    expect(recordMessage(store, again)).toBeUndefined();
  });

  it('censors sent probes at expiry', async () => {
    const { clock, runner } = setup(async () => clock.now());
    const probe = await runner.send(runner.plan('acme', 'email').id);
    clock.advance(47 * HOUR);
    expect(runner.expire()).toEqual([]);
    clock.advance(2 * HOUR);
    expect(runner.expire()).toEqual([probe.id]);
    expect(store.probes.get(probe.id)).toMatchObject({ state: 'expired', closed_at: probe.expires_at });
    // a late human reply still counts as an answer (it is its true time), reopening the censored probe
    recordMessage(store, reply(probe.id, clock.now(), 'human'));
    expect(store.probes.get(probe.id)?.state).toBe('answered');
  });
});

describe('tokens', () => {
  it('are unguessable, distinct and found in rewritten subjects and plus-addresses', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newToken));
    expect(tokens.size).toBe(1000);
    const token = newToken();
    expect(findToken(`[#1234] Re: Question (ref ${token})`)).toBe(token);
    expect(findToken(`回复：问题 ${token.toLowerCase()}`)).toBe(token);
    expect(findToken(plusAddress('probes@x.org', token))).toBe(token);
    expect(findToken('no token here FR-123')).toBeUndefined();
  });
});

const kinds: ChannelKind[] = ['email', 'webform', 'chat', 'manual'];
describe('channel registry', () => {
  it('maps every kind to its module', () => {
    for (const kind of kinds) expect(realChannels[kind].kind).toBe(kind);
  });
});
