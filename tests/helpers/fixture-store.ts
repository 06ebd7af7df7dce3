// Fills a temporary store through the store API with realistic, seeded probe histories for server tests and benches.
import { seededRandom } from '../../src/core/random.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, DAY, HOUR, MINUTE } from '../../src/core/clock.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { vendorSchema, templateSchema, tiers, type Vendor, type Tier, type ChannelKind } from '../../src/config/schema.ts';
import { alertsConfigSchema } from '../../src/config/alerts.ts';
import { deadlineFor } from '../../src/metrics/sla.ts';
import { recordMessage } from '../../src/replies/record.ts';
import { newToken } from '../../src/core/token.ts';
import type { MessageLabel } from '../../src/core/labels.ts';

export interface FixtureChannel {
  id: string;
  kind: ChannelKind;
  /** Typical time to the first human reply. */
  medianMs: number;
  /** Share of probes never answered by a person. */
  noReplyShare: number;
  /** Share of probes that get an automatic acknowledgement first. */
  ackShare?: number;
  /** Probes per day on average. */
  perDay?: number;
  /** Share of probes acknowledged within half a second (shown as "0 s"). */
  instantAckShare?: number;
  /** Share of probes answered by a bot before any person. */
  botShare?: number;
}

export interface FixtureVendor {
  slug: string;
  name: string;
  visibility?: 'public' | 'private';
  timezone?: string;
  sla?: Partial<Record<Tier, { first_response: string; business_hours?: boolean }>>;
  channels: FixtureChannel[];
}

/** Strings that must never leave the store through a public route. */
export const secretMarkers = {
  agentAddress: 'agent.hidden@support.vendor.example',
  bodyPhrase: 'INTERNAL-BODY-TEXT do not publish',
  subjectPhrase: 'INTERNAL-SUBJECT',
};

export const defaultFixtureVendors: FixtureVendor[] = [
  {
    slug: 'acme-cloud',
    name: 'Acme Cloud',
    timezone: 'Europe/Berlin',
    sla: { P2: { first_response: '8h' }, P3: { first_response: '1d' } },
    channels: [
      { id: 'email', kind: 'email', medianMs: 3 * HOUR, noReplyShare: 0.05, ackShare: 0.9 },
      { id: 'chat', kind: 'chat', medianMs: 4 * MINUTE, noReplyShare: 0.1, perDay: 2 },
    ],
  },
  {
    slug: 'northwind-video',
    name: 'Northwind Video',
    timezone: 'America/New_York',
    channels: [
      { id: 'email', kind: 'email', medianMs: 20 * HOUR, noReplyShare: 0.3, ackShare: 0.5 },
      { id: 'form', kind: 'webform', medianMs: 9 * HOUR, noReplyShare: 0.15, ackShare: 1 },
    ],
  },
  {
    slug: 'blue-harbor',
    name: 'Blue Harbor 蓝港云',
    timezone: 'Asia/Shanghai',
    channels: [{ id: 'email', kind: 'email', medianMs: 50 * MINUTE, noReplyShare: 0.02, ackShare: 0.2 }],
  },
  { slug: 'silent-systems', name: 'Silent Systems', timezone: 'UTC', channels: [{ id: 'email', kind: 'email', medianMs: 6 * DAY, noReplyShare: 0.95 }] },
  {
    slug: 'hidden-lab',
    name: 'Hidden Lab Private',
    visibility: 'private',
    timezone: 'UTC',
    channels: [{ id: 'email', kind: 'email', medianMs: 2 * HOUR, noReplyShare: 0.1 }],
  },
];

/** A small deterministic PRNG so fixtures are the same on every run. */
export { seededRandom };

function channelDefinition(vendor: FixtureVendor, channel: FixtureChannel): Record<string, unknown> {
  const base = { id: channel.id, kind: channel.kind, expiry: '7d' };
  switch (channel.kind) {
    case 'email':
      return { ...base, to: `support@${vendor.slug}.example` };
    case 'webform':
      return {
        ...base,
        url: `https://${vendor.slug}.example/contact`,
        steps: [{ goto: `https://${vendor.slug}.example/contact` }],
        confirmation: { wait_for: '#done' },
      };
    case 'chat':
      return { ...base, url: `https://${vendor.slug}.example/` };
    case 'manual':
      return base;
  }
}

export function fixtureVendor(spec: FixtureVendor): Vendor {
  const templates = tiers
    .filter((t) => t === 'P2' || t === 'P3')
    .map((tier) =>
      templateSchema.parse({
        id: `question-${tier.toLowerCase()}`,
        tier,
        subject: `Question ({{token}})`,
        body: `Hello, a question. ref {{token}}`,
      }),
    );
  const parsed = vendorSchema.parse({
    slug: spec.slug,
    name: spec.name,
    visibility: spec.visibility ?? 'public',
    timezone: spec.timezone ?? 'UTC',
    support_hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' },
    rate_caps: { per_day: 24, per_week: 100 },
    sla: spec.sla ?? {},
    templates,
    channels: spec.channels.map((c) => channelDefinition(spec, c)),
  });
  return { ...parsed, templates, file: `${spec.slug}.yaml` };
}

interface FillOptions {
  vendors?: FixtureVendor[];
  /** Days of history before `now`. */
  days?: number;
  now: number;
  seed?: number;
}

export interface FillResult {
  vendors: Vendor[];
  probes: number;
  messages: number;
  tokens: string[];
}

/** Draws a log-normal delay around `medianMs` (spread of about ×3). */
function delay(random: () => number, medianMs: number): number {
  const u = Math.max(random(), 1e-9);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(20_000, Math.round(medianMs * Math.exp(normal * 1.1)));
}

export function fillStore(store: Store, options: FillOptions): FillResult {
  const random = seededRandom(options.seed ?? 7);
  const specs = options.vendors ?? defaultFixtureVendors;
  const days = options.days ?? 90;
  const now = options.now;
  const vendors = specs.map(fixtureVendor);
  store.vendors.sync({
    dir: 'fixtures',
    settings: {
      database: ':memory:',
      evidence_dir: 'data/evidence',
      public_url: 'http://127.0.0.1',
      demo_time: false,
      mailboxes: {},
      smtp: {},
      classifier: { fast_reply_ms: 60_000 },
      browser: { executable: '/usr/bin/chromium', max_chats: 20 },
      alerts: alertsConfigSchema.parse({}),
    },
    vendors,
  });
  let probes = 0;
  let messages = 0;
  const tokens: string[] = [];
  store.transaction(() => {
    for (const [index, spec] of specs.entries()) {
      const vendor = vendors[index];
      if (!vendor) continue;
      for (const channel of spec.channels) {
        const row = store.vendors.channel(spec.slug, channel.id);
        if (!row) throw new Error(`channel ${spec.slug}/${channel.id} missing after sync`);
        const perDay = channel.perDay ?? 1;
        const total = Math.round(days * perDay);
        for (let i = 0; i < total; i++) {
          const sentAt = now - Math.round((total - i) * (DAY / perDay) + random() * 6 * HOUR) + 2 * HOUR;
          const tier: Tier = random() < 0.7 ? 'P3' : 'P2';
          const token = newToken();
          tokens.push(token);
          const probe = store.probes.create({
            token,
            channelId: row.id,
            template: `question-${tier.toLowerCase()}`,
            tier,
            language: random() < 0.2 ? 'zh' : 'en',
            scheduledAt: sentAt - 30_000,
            messageId: `<${token}@firstreply.test>`,
          });
          probes++;
          if (random() < 0.02) {
            store.probes.markFailed(probe.id, 'send_failed', 'SMTP_REJECTED', 'mailbox unavailable');
            continue;
          }
          store.probes.markSending(probe.id);
          store.probes.markSent(probe.id, { sentAt, deadlineAt: deadlineFor(vendor, tier, sentAt), expiresAt: sentAt + 7 * DAY });
          const reply = (label: MessageLabel, at: number, confidence: number) => {
            if (at > now) return;
            const id = recordMessage(store, {
              probe_id: probe.id,
              source: channel.kind === 'chat' ? 'chat' : 'imap',
              mailbox: 'default',
              folder: 'INBOX',
              uidvalidity: 1,
              uid: messages + 1,
              message_id: `<reply-${messages}@vendor.example>`,
              in_reply_to: probe.message_id,
              subject: `Re: ${secretMarkers.subjectPhrase} ${token}`,
              from_addr: secretMarkers.agentAddress,
              received_at: at,
              detected_at: at + 1500,
              header_date: at,
              raw_path: null,
              raw_sha256: null,
              size: 1200,
              headers: '{}',
              body_text: `${secretMarkers.bodyPhrase} regarding ${token}`,
              label,
              confidence,
              reasons: JSON.stringify([`fixture ${label}`]),
              match_method: 'token',
              parse_error: null,
            });
            if (id !== undefined) messages++;
          };
          if (random() < (channel.ackShare ?? 0)) reply('auto_ack', sentAt + 20_000 + Math.round(random() * 60_000), 0.95);
          if (channel.instantAckShare !== undefined && random() < channel.instantAckShare) reply('auto_ack', sentAt + Math.round(random() * 400), 0.95);
          if (channel.botShare !== undefined && random() < channel.botShare) reply('bot', sentAt + 5_000 + Math.round(random() * 20_000), 0.9);
          if (random() >= channel.noReplyShare) {
            reply('human', sentAt + delay(random, channel.medianMs), random() < 0.1 ? 0.55 : 0.9);
          }
        }
      }
    }
    store.probes.expireDue(now);
  });
  return { vendors, probes, messages, tokens };
}

export interface FixtureStore {
  store: Store;
  clock: ManualClock;
  dir: string;
  fill: FillResult;
  close(): void;
}

/** A store in a fresh temporary directory, filled with `options` (default: five vendors, 90 days). */
export function openFixtureStore(options: Partial<FillOptions> = {}): FixtureStore {
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-fixture-'));
  const now = options.now ?? Date.UTC(2026, 2, 16, 12, 0, 0);
  const clock = new ManualClock(now);
  const store = openStore(join(dir, 'fixture.db'), clock);
  const fill = fillStore(store, { ...options, now });
  return {
    store,
    clock,
    dir,
    fill,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `count` generated public vendors with four channels each, of varied speed, for benches. */
export function generatedVendors(count: number, perDay: number, seed = 11): FixtureVendor[] {
  const random = seededRandom(seed);
  const kinds: ChannelKind[] = ['email', 'webform', 'chat', 'manual'];
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Asia/Tokyo', 'America/Los_Angeles'];
  return Array.from({ length: count }, (_, i) => ({
    slug: `vendor-${String(i + 1).padStart(3, '0')}`,
    name: `Vendor ${i + 1}`,
    timezone: zones[i % zones.length] ?? 'UTC',
    channels: kinds.map((kind, k) => ({
      id: kind === 'webform' ? 'form' : kind,
      kind,
      medianMs: Math.round((kind === 'chat' ? 5 * MINUTE : 2 * HOUR) * Math.exp((random() - 0.5) * 4)),
      noReplyShare: Math.min(0.9, random() * random() * (k + 1) * 0.3),
      ackShare: kind === 'email' ? 0.8 : 0.2,
      perDay,
    })),
  }));
}

/**
 * A reply to `probeId` as the IMAP watcher records it (a person's, unless `label` says otherwise): benches, simulations
 * and tests. Returns the stored message's id (undefined when the uid was stored already).
 */
export function recordReply(
  store: Store,
  probeId: number,
  reply: {
    uid: number;
    receivedAt: number;
    detectedAt?: number;
    messageId?: string | null;
    mailbox?: string;
    subject?: string;
    from?: string;
    body?: string;
    label?: 'human' | 'unknown';
    confidence?: number;
  },
): number | undefined {
  return recordMessage(store, {
    probe_id: probeId,
    source: 'imap',
    mailbox: reply.mailbox ?? 'default',
    folder: 'INBOX',
    uidvalidity: 1,
    uid: reply.uid,
    message_id: reply.messageId ?? null,
    in_reply_to: null,
    subject: reply.subject ?? 'Re: question',
    from_addr: reply.from ?? 'agent@vendor.example',
    received_at: reply.receivedAt,
    detected_at: reply.detectedAt ?? reply.receivedAt,
    header_date: null,
    raw_path: null,
    raw_sha256: null,
    size: 100,
    headers: null,
    body_text: reply.body ?? 'Hello, here is the answer.',
    label: reply.label ?? 'human',
    confidence: reply.confidence ?? 0.9,
    reasons: '[]',
    match_method: 'token',
    parse_error: null,
  });
}
