// Helpdesk ticket references: subject tags and thread ids as each helpdesk writes them, and matching later mail by them.
import { describe, expect, it } from 'vitest';
import { expectLinearTime } from '../helpers/linear-time.ts';
import type { ParsedMail } from '../../src/classify/types.ts';
import type { ProbeRef, ProbeView } from '../../src/store/probes.ts';
import { findTicketRef, helpdeskRefs, helpdeskThreadKey, matchProbe, subjectTags, type MatchLookups } from '../../src/watch/match.ts';

describe('subject ticket tags', () => {
  it.each([
    ['Request Tracker', '[vendor.test #3] Re: How do we rotate stream keys?', 'VENDOR.TEST #3', '3'],
    ['Request Tracker, dotted rtname', '[rt.example.com #12345] AutoReply: printer on fire', 'RT.EXAMPLE.COM #12345', '12345'],
    ['Freshdesk / generic', '[#1234] Re: Your question', '1234', '1234'],
    ['a bare number', 'Re: #42 Login fails', '42', '42'],
    ['WHMCS', '[Ticket ID: 654321] New Support Ticket Opened', '654321', '654321'],
    ['osTicket', 'Support Ticket Opened (Ticket ID: 587331)', '587331', '587331'],
    ['Znuny/OTRS, left', '[Ticket#2026010110000012] Your request', '2026010110000012', '2026010110000012'],
    ['Znuny/OTRS, right', 'Re: Your request [Ticket#2026010110000012]', '2026010110000012', '2026010110000012'],
    ['Zoho Desk / ServiceDesk Plus', 'Re: [Request ID :##RE-12345##] : Unable to log in', 'RE-12345', 'RE-12345'],
    ['ServiceDesk Plus, numeric', '[Request ID :##98765##] : Password reset', '98765', '98765'],
    ['Jira Service Management', '[JIRA] (SUP-12) Cannot rotate keys', 'SUP-12', 'SUP-12'],
    ['Salesforce case number', 'Case #00012345: We received your request', '00012345', '00012345'],
    ['Salesforce default', 'Case 00012345: Your question', '00012345', '00012345'],
    ['Salesforce thread id', 'Re: Question [ ref:_00D5g0abcd._5005g0XYZ12:ref ]', 'REF:00D5G0ABCD.5005G0XYZ12', '00D5g0abcd.5005g0XYZ12'],
    ['Ticket #N', 'Ticket #90210 has been updated', '90210', '90210'],
    ['Request ID: N', 'Your Request ID: 42 was received', '42', '42'],
    ['工单号', '您的工单已创建，工单号: 20260101', '20260101', '20260101'],
    ['工单号 with a full-width colon', '工单号：A-778', 'A-778', 'A-778'],
    ['工单 #N', '【工单 #10432】已收到：咨询', '10432', '10432'],
  ])('%s: %s', (_desk, subject, value, number) => {
    expect(subjectTags(subject)[0]).toEqual({ value, number });
    expect(findTicketRef(subject)).toBe(number);
  });

  it('reads an RT tag once, not also as a bare number, and never takes our token for a ticket', () => {
    expect(subjectTags('[vendor.test #3] Re: keys (ref FR-7K2M9QX4PD)')).toEqual([{ value: 'VENDOR.TEST #3', number: '3' }]);
    expect(subjectTags('Re: keys (ref FR-7K2M9QX4PD)')).toEqual([]);
  });

  it('finds nothing in subjects without a ticket', () => {
    for (const subject of ['Re: How do we rotate stream keys?', 'Your request was received', '工单已收到', 'Price is &#36;5', ''])
      expect(subjectTags(subject)).toEqual([]);
  });

  it('stays linear on hostile subjects', () => {
    const hostile = (n: number) => `${'[a'.repeat(n / 8)} ${'#'.repeat(n / 8)} ${'工单'.repeat(n / 8)} ${'ticket '.repeat(n / 8)}`;
    expectLinearTime('subjectTags', subjectTags, hostile, 40_000);
  });
});

describe('helpdesk thread ids', () => {
  it.each([
    ['Request Tracker', '<RT-Ticket-3@vendor.test>', '<rt-ticket-3@vendor.test>'],
    ['generic ticket ids', '<ticket-123@support.vendor.test>', '<ticket-123@support.vendor.test>'],
    ['Zendesk thread root', '<ER6VKMQR6V@zendesk.com>', 'zendesk:ER6VKMQR6V'],
    ['Zendesk message of the same ticket', '<ER6VKMQR6V_5df3b2cf5ea09_7a813feae9cbcf142908be_sprut@zendesk.com>', 'zendesk:ER6VKMQR6V'],
    ['an ordinary Message-ID', '<CAKwvOdkFqaYrE4gQ7xB8EJZ@mail.gmail.com>', undefined],
    ['an RT per-message id', '<rt-5.0.3-1234-1700000000-123.3-6-0@vendor.test>', undefined],
  ])('%s', (_name, id, key) => {
    expect(helpdeskThreadKey(id)).toBe(key);
  });
});

const mail = (fields: Partial<ParsedMail>): ParsedMail => ({
  references: [],
  subject: '',
  to: [],
  headers: {},
  text: '',
  contentType: 'text/plain',
  size: 1,
  ...fields,
});

describe('what a probe learns from its acknowledgement', () => {
  it('keeps subject tags with the sender domain, and helpdesk thread ids', () => {
    const ack = mail({
      subject: '[vendor.test #3] AutoReply: How do we rotate stream keys? (ref FR-7K2M9QX4PD)',
      from: { address: 'support@Vendor.test' },
      messageId: '<rt-5.0.3-1-2-3.3-6-0@vendor.test>',
      inReplyTo: '<fr-7k2m9qx4pd.1@firstreply.test>',
      references: ['<fr-7k2m9qx4pd.1@firstreply.test>', '<RT-Ticket-3@vendor.test>'],
    });
    expect(helpdeskRefs(ack)).toEqual([
      { kind: 'subject', value: 'VENDOR.TEST #3', domain: 'vendor.test' },
      { kind: 'thread', value: '<rt-ticket-3@vendor.test>' },
    ]);
  });
});

describe('matching by learned references', () => {
  const probe = (id: number): ProbeView => ({ id }) as ProbeView;
  const learned: Array<{ probeId: number } & ProbeRef> = [
    { probeId: 1, kind: 'subject', value: 'VENDOR.TEST #3', domain: 'vendor.test' },
    { probeId: 1, kind: 'thread', value: '<rt-ticket-3@vendor.test>' },
    { probeId: 2, kind: 'subject', value: 'VENDOR.TEST #4', domain: 'vendor.test' },
    { probeId: 2, kind: 'thread', value: '<rt-ticket-4@vendor.test>' },
    { probeId: 3, kind: 'subject', value: '77', domain: 'a.test' },
    { probeId: 4, kind: 'subject', value: '77', domain: 'b.test' },
  ];
  const lookups: MatchLookups = {
    byMessageId: () => undefined,
    byToken: () => undefined,
    byTicket: () => [],
    probeOfReply: () => undefined,
    byRef: (kind, value, domain) =>
      learned.filter((r) => r.kind === kind && r.value === value && (r.domain === undefined || r.domain === domain)).map((r) => probe(r.probeId)),
  };
  const match = (m: ParsedMail) => {
    const found = matchProbe(m, lookups, { plusAddressing: false });
    return found ? `${found.probe.id}:${found.method}` : undefined;
  };

  it('matches an RT reply by its References entry alone, even with an empty In-Reply-To and a new subject', () => {
    expect(
      match(mail({ subject: 'Key rotation finished', from: { address: 'agent@vendor.test' }, inReplyTo: '', references: ['<RT-Ticket-3@vendor.test>'] })),
    ).toBe('1:helpdesk_thread');
  });

  it('prefers the thread to a ticket number of another probe named in the subject', () => {
    expect(match(mail({ subject: 'Merged with [vendor.test #3]', from: { address: 'agent@vendor.test' }, references: ['<RT-Ticket-4@vendor.test>'] }))).toBe(
      '2:helpdesk_thread',
    );
  });

  it('matches a subject tag only from the domain it was learned from, and never guesses between two probes', () => {
    expect(match(mail({ subject: 'Re: [vendor.test #4] update', from: { address: 'agent@vendor.test' } }))).toBe('2:ticket_ref');
    expect(match(mail({ subject: 'Re: [vendor.test #4] update', from: { address: 'someone@elsewhere.test' } }))).toBeUndefined();
    expect(match(mail({ subject: 'Re: [#77]', from: { address: 'x@a.test' } }))).toBe('3:ticket_ref');
    expect(match(mail({ subject: 'Re: [#77]', from: { address: 'x@c.test' } }))).toBeUndefined();
    expect(
      match(
        mail({
          subject: 'Threads of two tickets',
          from: { address: 'agent@vendor.test' },
          references: ['<RT-Ticket-3@vendor.test>', '<RT-Ticket-4@vendor.test>'],
        }),
      ),
    ).toBeUndefined();
  });
});
