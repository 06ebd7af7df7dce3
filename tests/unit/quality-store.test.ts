// Answer quality in the store: computed when a reply or a review arrives, a person's mark overrides the rubric, and the
// statistics (time to resolution, first-contact resolution, rounds, canned share) follow.
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, ManualClock } from '../../src/core/clock.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { settingsSchema, vendorSchema, type Vendor } from '../../src/config/schema.ts';
import { recordMessage } from '../../src/replies/record.ts';
import { reviewMessage } from '../../src/replies/review.ts';
import { markResolution } from '../../src/replies/quality.ts';
import { buildStatsReport } from '../../src/metrics/report.ts';
import { newToken } from '../../src/core/token.ts';
import type { MessageLabel } from '../../src/core/labels.ts';
import type { ChannelStats } from '../../src/metrics/report-types.ts';

const now = Date.UTC(2026, 2, 16, 12, 0, 0);
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function vendor(): Vendor {
  const input = vendorSchema.parse({
    slug: 'ingest-co',
    name: 'Ingest Co',
    visibility: 'public',
    rate_caps: { per_day: 5, per_week: 20 },
    sla: { P2: { first_response: '8h', resolution: '1d-2d' } },
    templates: [
      {
        id: 'latency',
        tier: 'P2',
        language: 'en',
        subject: 'Ingest latency {{token}}',
        body: 'Latency in Singapore, account 48213377. {{token}}',
        expect: [['ingest', '推流'], ['region', 'Singapore', '节点'], ['/\\b(?:switch|set|change)\\b/']],
        facts: { account_id: '48213377', region: 'Singapore' },
        follow_ups: [{ intent: 'logs', when: ['logs', 'log file'], answer: 'Here are the logs.' }],
      },
      { id: 'plain', tier: 'P3', language: 'en', subject: 'Question {{token}}', body: 'A question. {{token}}' },
    ],
    channels: [{ id: 'email', kind: 'email', to: 'support@ingest.example' }],
  });
  const templates = input.templates.flatMap((t) => ('use' in t ? [] : [t]));
  return { ...input, templates, file: 'ingest-co.yaml' };
}

function setup(): Store {
  const store = openStore(':memory:', new ManualClock(now));
  stores.push(store);
  store.vendors.sync({ dir: '.', settings: settingsSchema.parse({}), vendors: [vendor()] });
  return store;
}

function probe(store: Store, sentAt: number, template = 'latency'): number {
  const channel = store.vendors.channel('ingest-co', 'email');
  if (!channel) throw new Error('no channel');
  const p = store.probes.create({
    token: newToken(),
    channelId: channel.id,
    template,
    tier: template === 'latency' ? 'P2' : 'P3',
    language: 'en',
    scheduledAt: sentAt - 1000,
  });
  store.probes.markSending(p.id);
  store.probes.markSent(p.id, { sentAt, deadlineAt: sentAt + 8 * HOUR, expiresAt: sentAt + 7 * DAY });
  return p.id;
}

let uid = 1;
function reply(
  store: Store,
  probeId: number,
  receivedAt: number,
  body: string,
  label: MessageLabel = 'human',
  from = 'Anna <support@ingest.example>',
  reasons = '[]',
): number {
  uid++;
  const id = recordMessage(store, {
    probe_id: probeId,
    source: 'imap',
    mailbox: 'default',
    folder: 'INBOX',
    uidvalidity: 1,
    uid,
    message_id: `<m${uid}@ingest.example>`,
    in_reply_to: null,
    subject: 'Re: Ingest latency',
    from_addr: from,
    received_at: receivedAt,
    detected_at: receivedAt + 1000,
    header_date: receivedAt,
    raw_path: null,
    raw_sha256: null,
    size: 500,
    headers: '{}',
    body_text: body,
    label,
    confidence: 0.9,
    reasons,
    match_method: 'token',
    parse_error: null,
  });
  if (id === undefined) throw new Error('not stored');
  return id;
}

const email = (store: Store): ChannelStats => {
  const c = buildStatsReport(store, { now, window: '90d' }).vendors[0]?.channels[0];
  if (!c) throw new Error('no channel stats');
  return c;
};

describe('answer quality in the store', () => {
  it('marks a probe of a template with expect: as measured from the start, and one without as not', () => {
    const store = setup();
    const measured = probe(store, now - 3 * DAY);
    const plain = probe(store, now - 3 * DAY, 'plain');
    expect(store.quality.forProbe(measured)?.quality_flags).toBe(1);
    expect(store.quality.forProbe(plain)?.quality_flags).toBe(0);
    expect(email(store).resolution.n).toBe(1);
    expect(email(store).resolution.time.censored).toBe(1);
  });

  it('sets resolved_at at the first human reply meeting expect:, with its reasons', () => {
    const store = setup();
    const id = probe(store, now - 3 * DAY);
    reply(store, id, now - 3 * DAY + HOUR, 'Hi! Could you send your account id?');
    expect(store.quality.forProbe(id)).toMatchObject({ resolved_at: null, asked_for_given: ['account_id'], human_replies: 1 });
    reply(store, id, now - 3 * DAY + 5 * HOUR, 'Please switch the ingest to our Singapore region sg2.');
    const q = store.quality.forProbe(id);
    expect(q).toMatchObject({ resolved_by: 'rubric', resolution_rounds: 2, human_replies: 2, language_match: true });
    expect(q?.resolved_at).toBe(now - 3 * DAY + 5 * HOUR + 500);
    expect(q?.reasons.some((r) => r.startsWith('resolved: reply #2'))).toBe(true);
  });

  it("a person's mark overrides the automatic resolution and the figures follow", () => {
    const store = setup();
    const first = probe(store, now - 4 * DAY);
    const second = probe(store, now - 3 * DAY);
    const meets = reply(store, first, now - 4 * DAY + 2 * HOUR, 'Please switch the ingest to our Singapore region.');
    reply(store, second, now - 3 * DAY + 2 * HOUR, 'We are looking into it.');
    let c = email(store).resolution;
    expect(c.firstContact).toMatchObject({ n: 2, count: 1 });
    expect(c.time.events).toBe(1);
    expect(c.tiers[0]).toMatchObject({ tier: 'P2', source: 'vendor', met: 1, target: { lowMs: DAY, highMs: 2 * DAY } });

    markResolution(store, meets, false, 'ops', 'the region is not the cause');
    expect(store.quality.forProbe(first)).toMatchObject({ resolved_at: null, resolved_by: null });
    c = email(store).resolution;
    expect(c.firstContact).toMatchObject({ n: 2, count: 0 });
    expect(c.time.events).toBe(0);

    const later = reply(store, second, now - 2 * DAY, 'Fixed on our side, sorry for the trouble.');
    markResolution(store, later, true, 'ops');
    expect(store.quality.forProbe(second)).toMatchObject({ resolved_by: 'mark', resolution_rounds: 2 });
    c = email(store).resolution;
    expect(c.time.events).toBe(1);
    expect(c.rounds).toMatchObject({ n: 1, median: 2 });
    expect(c.tiers[0]).toMatchObject({ met: 1, missed: 1 });
    expect(email(store).resolution).toStrictEqual(buildStatsReport(store, { now, window: '90d', rollups: false }).vendors[0]?.channels[0]?.resolution);
  });

  it('a review that makes a reply human recomputes the quality', () => {
    const store = setup();
    const id = probe(store, now - 3 * DAY);
    const m = reply(store, id, now - 3 * DAY + HOUR, 'Please switch the ingest to our Singapore region.', 'unknown');
    expect(store.quality.forProbe(id)?.resolved_at).toBeNull();
    reviewMessage(store, m, 'human', 'ops');
    expect(store.quality.forProbe(id)?.resolved_by).toBe('rubric');
  });

  it("judges a saved reply's pace as the classifier did, with the deployment's fast-reply threshold", () => {
    // Replies 3 s after the probe: under the default minute, but the classifier (fast_reply_ms 1.5 s, as in the demo)
    // left no timing signal, so they came at a person's pace and the repeated skeleton is a saved reply.
    const canned = 'Hello, thanks for writing. Please send us your account id so we can check. Regards, Anna';
    const memory = "human +0.00 fingerprint.canned: the same skeleton as 2 earlier replies, at a person's pace: a saved reply";
    const paced = JSON.stringify(['human +1.00 person.in-thread: a reply within a thread', memory]);
    const fast = JSON.stringify(['auto_ack -1.20 timing.fast: arrived 3s after our probe was sent (under 60s)', memory]);
    for (const [reasons, expected] of [
      [paced, true],
      [fast, false],
    ] as const) {
      const store = setup();
      const first = probe(store, now - 3 * DAY);
      const second = probe(store, now - 2 * DAY);
      reply(store, first, now - 3 * DAY + 3000, canned, 'human', 'Anna <support@ingest.example>', reasons);
      reply(store, second, now - 2 * DAY + 3000, canned, 'human', 'Anna <support@ingest.example>', reasons);
      expect(store.quality.forProbe(second)?.canned_replies ?? 0, reasons).toBe(expected ? 1 : 0);
    }
  });

  it('counts a second agent and a phrase as hand-offs, and a reply in another script as a language mismatch', () => {
    const store = setup();
    const id = probe(store, now - 3 * DAY);
    reply(store, id, now - 3 * DAY + HOUR, '您好，已转交技术团队处理。');
    reply(store, id, now - 3 * DAY + 2 * HOUR, 'Hello, Bo here from the video team.', 'human', 'Bo <support@ingest.example>');
    expect(store.quality.forProbe(id)).toMatchObject({ handoffs: 2, language_match: false });
    const c = email(store).resolution;
    expect(c.handoff).toMatchObject({ n: 1, count: 1 });
    expect(c.languageMismatch).toMatchObject({ n: 1, count: 1 });
  });
});
