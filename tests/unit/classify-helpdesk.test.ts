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
