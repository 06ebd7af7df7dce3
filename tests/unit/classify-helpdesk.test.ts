// Helpdesk profiles learned from the products' own mailers: an agent's response against the desk's automatic mail.
import { describe, expect, it } from 'vitest';
import { classifyEmail } from '../../src/classify/classify-email.ts';
import { parseMail } from '../../src/classify/parse.ts';

const ctx = { receivedAt: Date.UTC(2026, 0, 5), fastReplyMs: 60_000 };
const mail = (headers: string, body: string) =>
  parseMail(
    Buffer.from(
      `From: Acme Support <support@acme.example>\r\nTo: probes@firstreply.test\r\nSubject: [#123456] Re: Stream drops every 10 minutes\r\nMessage-ID: <r1@acme.example>\r\nX-Mailer: osTicket Mailer\r\n${headers}\r\n${body}`,
    ),
  );

describe('osTicket', () => {
  it("counts an agent's response (no auto-reply or notice headers) as a person's, even signed by the desk", async () => {
    const reply = await mail('', 'Hello,\r\n\r\nPlease restart the encoder with keyframe interval 2 s and send the log.\r\n\r\nAcme Support\r\n');
    const result = classifyEmail(reply, ctx);
    expect(result.signals.map((s) => s.rule)).toContain('helpdesk.osticket');
    expect(result.label).toBe('human');
  });

  it('leaves its auto-reply and its alerts to their own headers', async () => {
    const ack = await mail(
      'Precedence: auto_reply\r\nX-Autoreply: yes\r\nX-Auto-Response-Suppress: DR, RN, OOF, AutoReply\r\nAuto-Submitted: auto-replied\r\n',
      'A request for support has been created and assigned ticket #123456. A representative will follow-up with you as soon as possible.\r\n',
    );
    const result = classifyEmail(ack, ctx);
    expect(result.signals.map((s) => s.rule)).not.toContain('helpdesk.osticket');
    expect(result.label).not.toBe('human');
  });
});

describe('GitHub', () => {
  const github = (login: string, body: string) =>
    parseMail(
      Buffer.from(
        [
          'From: Sam Lee <notifications@github.com>',
          'To: acme/encoder <encoder@noreply.github.com>',
          'Subject: Re: [acme/encoder] Stream drops every 10 minutes (Issue #42)',
          'Message-ID: <acme/encoder/issues/42/1@github.com>',
          'In-Reply-To: <acme/encoder/issues/42@github.com>',
          'Precedence: list',
          'X-Auto-Response-Suppress: All',
          `X-GitHub-Sender: ${login}`,
          'List-ID: acme/encoder <encoder.acme.github.com>',
          'List-Unsubscribe: <mailto:unsub+x@reply.github.com>',
          'Content-Type: text/plain; charset=UTF-8',
          '',
          body,
          '',
          '—',
          'Reply to this email directly, view it on GitHub.',
          'You are receiving this because you authored the thread.',
        ].join('\r\n'),
      ),
    );

  it("reads a relayed comment as its author's, not as the relay's notice", async () => {
    const result = classifyEmail(await github('samlee', 'I set the keyframe interval to 2 s and the drops stopped, thanks!'), ctx);
    expect(result.signals.map((s) => s.rule)).toContain('helpdesk.agent-comment');
    expect(result.label).toBe('human');
  });

  it("gives no author's comment to GitHub's own events or a bot's", async () => {
    const closed = classifyEmail(await github('samlee', 'Closed #42 via #43.'), ctx);
    const bot = classifyEmail(await github('dependabot[bot]', 'Bumps encoder-core from 1.2 to 1.3.'), ctx);
    for (const result of [closed, bot]) expect(result.signals.map((s) => s.rule)).not.toContain('helpdesk.agent-comment');
  });
});

describe('calendar programs', () => {
  it('reads an invitation or its answer as written by a calendar program, even sent from Outlook in a thread', async () => {
    const invite = await parseMail(
      Buffer.from(
        [
          'From: Sam Lee <sam@example.com>',
          'To: probes@firstreply.test',
          'Subject: Re: Stream review',
          'In-Reply-To: <1@example.com>',
          'X-Mailer: Microsoft Outlook 16.0',
          'Content-Type: multipart/alternative; boundary="b"',
          '',
          '--b',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Stream review, Tuesday 10:00.',
          '--b',
          'Content-Type: text/calendar; charset=utf-8; method=REQUEST',
          '',
          'BEGIN:VCALENDAR',
          'METHOD:REQUEST',
          'END:VCALENDAR',
          '--b--',
          '',
        ].join('\r\n'),
      ),
    );
    const result = classifyEmail(invite, ctx);
    expect(result.signals.map((s) => s.rule)).toContain('header.calendar');
    expect(result.label).not.toBe('human');
  });
});
