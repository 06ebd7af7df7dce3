// Whether a matched mail is credited, kept as our own copy, or held for review; and a send_unknown probe upgraded by a reply.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import type { ParsedMail } from '../../src/classify/types.ts';
import { openStore } from '../../src/store/db.ts';
import type { ProbeView } from '../../src/store/probes.ts';
import { settingsSchema, vendorSchema } from '../../src/config/schema.ts';
import { recordMessage } from '../../src/replies/record.ts';
import { judgeMatch, matchProbe, vendorReplyDomains, withinDomains, type MatchLookups, type MatchMethod, type SenderTrust } from '../../src/watch/match.ts';

const probeA = { id: 1, token: 'FR-AAAAAAAAAA', vendor: 'acme', message_id: '<fr-a.1@firstreply.test>' } as ProbeView;
const probeB = { id: 2, token: 'FR-BBBBBBBBBB', vendor: 'acme', message_id: '<fr-b.2@firstreply.test>' } as ProbeView;
const probes = [probeA, probeB];

const lookups: MatchLookups = {
  byMessageId: (id) => probes.find((p) => p.message_id === id),
  byToken: (token) => probes.find((p) => p.token === token),
  byTicket: () => [],
  byRef: () => [],
  probeOfReply: () => undefined,
};
const trust: SenderTrust = { replyDomains: () => ['acme.test', 'acme.deskhost.test'], ownDomains: ['firstreply.test'] };

const mail = (fields: Partial<ParsedMail>): ParsedMail => ({
  references: [],
  subject: '',
  to: [],
  headers: {},
  text: '',
  contentType: 'text/plain',
  size: 100,
  ...fields,
});

function judge(m: ParsedMail) {
  const match = matchProbe(m, lookups, { plusAddressing: true, raw: Buffer.from(`${m.subject}\r\n\r\n${m.text}`) });
  if (!match) throw new Error('no match');
  return { method: match.method, probe: match.probe.id, judgement: judgeMatch(m, match, lookups, trust) };
}

describe('judging a match', () => {
  const table: Array<[string, Partial<ParsedMail>, MatchMethod, string]> = [
    ['a threaded reply from anywhere', { from: { address: 'x@elsewhere.test' }, inReplyTo: probeA.message_id ?? '' }, 'in_reply_to', 'reply'],
    ['the token from the vendor domain', { from: { address: 'dana@acme.test' }, subject: `Re: (ref ${probeA.token})` }, 'token_subject', 'reply'],
    ['the token from a subdomain', { from: { address: 'dana@eu.acme.test' }, text: `ref ${probeA.token}` }, 'token_body', 'reply'],
    ['the token from a learned helpdesk domain', { from: { address: 'bot@acme.deskhost.test' }, subject: probeA.token }, 'token_subject', 'reply'],
    ['the token from elsewhere', { from: { address: 'someone@elsewhere.test' }, subject: `Re: (ref ${probeA.token})` }, 'token_subject', 'review'],
    ['a look-alike domain', { from: { address: 'support@notacme.test' }, subject: probeA.token }, 'token_subject', 'review'],
    ['a parent-suffix trick', { from: { address: 'support@acme.test.evil.test' }, subject: probeA.token }, 'token_subject', 'review'],
    ['the token without a sender', { subject: probeA.token }, 'token_subject', 'review'],
    [
      'the plus-address from elsewhere',
      { from: { address: 'x@elsewhere.test' }, to: [`probes+${probeA.token.toLowerCase()}@firstreply.test`] },
      'plus_address',
      'review',
    ],
    [
      'our relay bouncing (token only in the raw message)',
      { from: { address: 'MAILER-DAEMON@firstreply.test' }, subject: 'Undelivered Mail' },
      'token_raw',
      'reply',
    ],
    [
      'threading and token naming different probes',
      { from: { address: 'dana@acme.test' }, inReplyTo: probeA.message_id ?? '', subject: `Re: (ref ${probeB.token})` },
      'in_reply_to',
      'review',
    ],
    [
      'threading and token naming the same probe',
      { from: { address: 'dana@acme.test' }, inReplyTo: probeA.message_id ?? '', subject: `Re: (ref ${probeA.token})` },
      'in_reply_to',
      'reply',
    ],
    [
      'our own probe coming back',
      { from: { address: 'probes@firstreply.test' }, messageId: probeA.message_id ?? '', subject: probeA.token },
      'own_message_id',
      'own_copy',
    ],
  ];
  it.each(table)('%s', (_what, fields, method, kind) => {
    const m = fields.subject === 'Undelivered Mail' ? mail({ ...fields, text: 'could not be delivered' }) : mail(fields);
    const raw = fields.subject === 'Undelivered Mail' ? Buffer.from(`X-Original: ${probeA.token}`) : undefined;
    const match = matchProbe(m, lookups, { plusAddressing: true, raw });
    expect(match?.method).toBe(method);
    const judged = match ? judgeMatch(m, match, lookups, trust) : undefined;
    expect(judged?.kind).toBe(kind);
  });

  it('says why, and only a credited reply proves delivery', () => {
    expect(judge(mail({ from: { address: 'someone@elsewhere.test' }, subject: probeA.token })).judgement).toEqual({
      kind: 'review',
      reason: "quotes probe 1's token (token_subject) from elsewhere.test, outside acme's reply domains (acme.test, acme.deskhost.test)",
    });
    expect(judge(mail({ from: { address: 'dana@acme.test' }, inReplyTo: probeA.message_id ?? '', text: `> ref ${probeB.token}` })).judgement).toEqual({
      kind: 'review',
      reason: `threading (in_reply_to) names probe 1 but the token ${probeB.token} names probe 2`,
    });
    expect(judge(mail({ from: { address: 'dana@acme.test' }, subject: probeA.token })).judgement).toEqual({ kind: 'reply', provesDelivery: true });
    const none: SenderTrust = { replyDomains: () => [], ownDomains: [] };
    const m = mail({ from: { address: 'dana@acme.test' }, subject: probeA.token });
    const match = matchProbe(m, lookups, { plusAddressing: false });
    expect(match && judgeMatch(m, match, lookups, none)).toMatchObject({
      kind: 'review',
      reason: expect.stringContaining('none known: declare reply_domains'),
    });
  });
});

describe('reply domains', () => {
  it('are the declared list, else the addresses, website and acknowledgements', () => {
    expect(vendorReplyDomains({ reply_domains: ['Acme.com'], website: 'https://www.acme.io' }, ['support@acme.net'], ['a@desk.test'])).toEqual(['acme.com']);
    expect(vendorReplyDomains({ website: 'https://www.acme.io' }, ['support@acme.net', 'billing@ACME.net'], ['no-reply@acme.zendesk.com'])).toEqual([
      'acme.net',
      'acme.zendesk.com',
      'acme.io',
    ]);
    expect(vendorReplyDomains({}, [], [])).toEqual([]);
  });

  it('include subdomains only', () => {
    expect(withinDomains('eu.mail.acme.com', ['acme.com'])).toBe(true);
    expect(withinDomains('acme.com', ['acme.com'])).toBe(true);
    expect(withinDomains('badacme.com', ['acme.com'])).toBe(false);
    expect(withinDomains('acme.com.evil.test', ['acme.com'])).toBe(false);
    expect(withinDomains('acme.com', ['', '.'])).toBe(false);
  });

  it('are validated in vendor files', () => {
    const base = {
      slug: 'acme',
      name: 'Acme',
      visibility: 'public',
      rate_caps: { per_day: 10, per_week: 50 },
      templates: [{ id: 't', tier: 'P3', subject: 'Hi {{token}}', body: 'b' }],
      channels: [{ id: 'email', kind: 'email', to: 'support@acme.test' }],
    };
    expect(vendorSchema.safeParse({ ...base, reply_domains: ['acme.test', 'acme.zendesk.com', 'xn--80ak6aa92e.com'] }).success).toBe(true);
    expect(vendorSchema.safeParse({ ...base, reply_domains: ['support@acme.test'] }).success).toBe(false);
    expect(vendorSchema.safeParse({ ...base, reply_domains: ['acme'] }).success).toBe(false);
  });
});

describe('a send_unknown probe and a reply proving delivery', () => {
  it('becomes sent, dated sending_at with the terms stored for it; a doubtful reply leaves it send_unknown; a sent probe never fails back', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const store = openStore(':memory:', clock);
    store.vendors.sync({
      dir: 'probes',
      settings: settingsSchema.parse({}),
      vendors: [
        {
          ...vendorSchema.parse({
            slug: 'acme',
            name: 'Acme',
            visibility: 'public',
            rate_caps: { per_day: 10, per_week: 50 },
            templates: [{ id: 't', tier: 'P3', subject: 'Hi {{token}}', body: 'b' }],
            channels: [{ id: 'email', kind: 'email', to: 'support@acme.test', expiry: '1h' }],
          }),
          templates: [],
          file: 'acme.yaml',
        },
      ],
    });
    const channelId = store.vendors.channel('acme', 'email')?.id ?? 0;
    const make = (token: string) => {
      const p = store.probes.create({ token, channelId, template: 't', tier: 'P3', language: 'en', scheduledAt: clock.now() });
      store.probes.markSending(p.id, `<${token}@firstreply.test>`);
      return p.id;
    };
    const sendingAt = clock.now();
    const proven = make('FR-AAAAAAAAAA');
    const legacy = make('FR-BBBBBBBBBB');
    const doubtful = make('FR-CCCCCCCCCC');
    clock.advance(200);
    store.probes.markFailed(proven, 'send_unknown', 'SEND_UNKNOWN', 'interrupted', { deadlineAt: sendingAt + 86_400_000, expiresAt: sendingAt + 3_600_000 });
    store.probes.markFailed(legacy, 'send_unknown', 'SEND_UNKNOWN', 'interrupted');
    store.probes.markFailed(doubtful, 'send_unknown', 'SEND_UNKNOWN', 'interrupted');
    clock.advance(60_000);
    const reply = (probeId: number, uid: number) => ({
      probe_id: probeId,
      source: 'imap' as const,
      mailbox: 'default',
      folder: 'INBOX',
      uidvalidity: 1,
      uid,
      message_id: null,
      in_reply_to: null,
      subject: 'Re',
      from_addr: 'dana@acme.test',
      received_at: clock.now(),
      detected_at: clock.now(),
      header_date: null,
      raw_path: null,
      raw_sha256: null,
      size: 10,
      headers: null,
      body_text: 'answer',
      label: 'human' as const,
      confidence: 0.9,
      reasons: '[]',
      match_method: 'in_reply_to',
      parse_error: null,
    });
    recordMessage(store, reply(proven, 1), { provesDelivery: true });
    recordMessage(store, reply(legacy, 2), { provesDelivery: true });
    recordMessage(store, { ...reply(doubtful, 3), label: 'unknown' }, { provesDelivery: false });
    expect(store.probes.get(proven)).toMatchObject({
      state: 'answered',
      sent_at: sendingAt,
      sent_basis: 'reply',
      deadline_at: sendingAt + 86_400_000,
      expires_at: sendingAt + 3_600_000,
      first_human_at: clock.now(),
      copies_owed: 1,
      error_code: null,
    });
    // Sent before migration 012 stored terms for it: its channel's expiry.
    expect(store.probes.get(legacy)).toMatchObject({ state: 'answered', sent_at: sendingAt, expires_at: sendingAt + 3_600_000, deadline_at: null });
    expect(store.probes.get(doubtful)).toMatchObject({ state: 'send_unknown', sent_at: null });
    // A failure after the 250 is stored never takes the probe back.
    expect(store.probes.markFailed(proven, 'send_unknown', 'SEND_UNKNOWN', 'late')).toBe(false);
    expect(store.probes.get(proven)?.state).toBe('answered');
    store.close();
  });
});
