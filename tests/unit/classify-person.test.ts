// Person-side signs: a salutation naming someone opens a person's answer; one naming a role does not.
import { describe, expect, it } from 'vitest';
import { personRules } from '../../src/classify/person.ts';
import { buildView, withoutListFooter } from '../../src/classify/view.ts';
import { classifyEmail } from '../../src/classify/classify-email.ts';
import type { ParsedMail } from '../../src/classify/types.ts';

function rulesOn(text: string, more: Partial<ParsedMail> = {}): string[] {
  const mail: ParsedMail = {
    references: [],
    subject: 'Question',
    to: ['probes@firstreply.test'],
    text,
    contentType: 'text/plain',
    size: text.length,
    headers: {},
    ...more,
  };
  return personRules(buildView(mail, { receivedAt: Date.UTC(2026, 0, 5), fastReplyMs: 60_000 })).map((s) => s.rule);
}

describe('person.greets-by-name', () => {
  it.each([
    'Hi Erlend,\n\nI do not know what that means for you.',
    'Lieber Willi,\n\ndie Ausgaben wurden am 13.6. zugesandt.',
    'Dear Mr. Smith,\nplease find the logs attached.',
    'Sehr geehrter Herr Müller,\nanbei die Protokolle.',
    'Bonjour Valérie,\nvoici la réponse.',
    'Hola Juan:\nya está resuelto.',
    'Hej Anna\nBerättar gärna.',
    'Здравствуйте Иван,\nпроблема решена.',
  ])('sees a named salutation: %s', (text) => {
    expect(rulesOn(text)).toContain('person.greets-by-name');
  });

  it.each([
    'Dear Customer,\nyour ticket has been received.',
    'Sehr geehrte Damen und Herren,\nIhre Anfrage ist eingegangen.',
    'Hello there,\nthanks for writing in.',
    'Dear valued member,\nour newsletter is here.',
    'Hi {{first_name}},\nwe got your message.',
    'Hi all,\nthe release is out.',
    'Bonjour,\nnous avons bien reçu votre demande.',
    'Thanks for your message. Hi Bob, see below.',
    `Hi ${'A'.repeat(80)},\nlong first line.`,
  ])('sees none in a role salutation, none at all, or one not opening the text: %s', (text) => {
    expect(rulesOn(text)).not.toContain('person.greets-by-name');
  });
});

describe('person.device', () => {
  // Each client's "Sent from my iPhone" in its own language (Apple's wording; the Arabic one wrapped in bidi marks as iOS writes it).
  it.each([
    'Enviado do meu iPhone',
    'Verstuurd vanaf mijn iPhone',
    'Отправлено с iPhone',
    'iPhoneから送信',
    'iPhone에서 보냄',
    'Skickat från min iPhone',
    'Wysłane z iPhone',
    '\u202bأُرسلت من الـ iPhone\u202c',
    'נשלח מה-iPhone שלי',
  ])('sees a mobile client footer: %s', (footer) => {
    expect(rulesOn(`Still broken here.\n\n${footer}`)).toContain('person.device');
  });

  it('reads first person and a question in Arabic', () => {
    const rules = rulesOn('أنا لا أفهم ما تقصدين؟');
    expect(rules).toContain('person.first-person');
    expect(rules).toContain('person.short-question');
  });
});

describe('a discussion list footer', () => {
  it('is cut from a relayed post (Mailman and Google Groups), and nothing else is', () => {
    const post = 'I can reproduce it on 6.1.\n\nThanks,\nAnn';
    expect(
      withoutListFooter(
        `${post}\n_______________________________________________\nLtp mailing list\nLtp@lists.example.org\nhttps://lists.example.org/listinfo/ltp\n`,
      ),
    ).toBe(post);
    expect(
      withoutListFooter(`${post}\n\n-- \nYou received this message because you are subscribed to the Google Groups "kasan-dev" group.\nTo unsubscribe …`),
    ).toBe(post);
    expect(
      withoutListFooter(`${post}\n\nTo unsubscribe from this group and stop receiving emails from it, send an email to help+unsubscribe@example.org.\n`),
    ).toBe(post);
    expect(withoutListFooter(`${post}\n_______________________________________________\nAnn's notes`)).toContain("Ann's notes");
  });
});

describe('an agent named by the helpdesk', () => {
  it('outweighs acknowledgement wording in the same comment: agents thank people for writing too', () => {
    const text = [
      '##- Please type your reply above this line -##',
      '',
      'You are registered as a CC on this request (23735).',
      '',
      'Priya Raman, Dec 7, 2026, 10:05 PST',
      '',
      'Hi Sam,',
      '',
      'Thanks for contacting Acme support. I checked the ingest logs for your stream and I can see the encoder reconnecting every 30 s;',
      'I raised the keyframe interval on our side. Could you try again and tell me if the drops stop?',
      '',
      'Priya',
    ].join('\n');
    const mail: ParsedMail = {
      references: ['<p@firstreply.test>'],
      inReplyTo: '<p@firstreply.test>',
      subject: 'Re: [Acme] ingest drops',
      to: ['probes@firstreply.test'],
      text,
      contentType: 'text/plain',
      size: text.length,
      from: { address: 'support@acme.zendesk.com', name: 'Priya Raman (Acme)' },
      headers: { 'auto-submitted': ['auto-generated'], 'x-auto-response-suppress': ['All'], 'message-id': ['<abc_sprut@zendesk.com>'] },
    };
    const result = classifyEmail(mail, { receivedAt: Date.UTC(2026, 11, 7, 18, 5), sentAt: Date.UTC(2026, 11, 7, 17, 20), fastReplyMs: 60_000 });
    expect(result.label).toBe('human');
    expect(result.reasons.join('\n')).toMatch(/acknowledgement phrasing.*discounted: the helpdesk names an agent/);
  });
});

describe('person.mail-client from the Message-ID', () => {
  const rulesWith = (messageId: string, headers: Record<string, string[]> = {}): string[] => rulesOn('The encoder still drops frames.', { messageId, headers });

  // Shapes each program mints (examples of the form, not copied from any one mail).
  it.each([
    '<Pine.LNX.4.64.0807121734250.25020@host.example>',
    '<alpine.DEB.2.22.394.2111150226160.6002@host.example>',
    '<87r5ky2x4p.fsf@host.example>',
    '<1299671985.4321.3.camel@host.example>',
    '<0c5e3f1a9b7d24e6f8a0c2b4d6e8f0a1b3c5d7e9.camel@host.example>',
    '<20110309111945.GA12345@host.example>',
    '<325993.29502.qm@web28416.mail.ukl.yahoo.com>',
    '<4F79B73C.9030506@example.org>',
    '<000601cbf4e2$189cda30$49d68e90$@example.com>',
  ])('knows the program by its Message-ID when X-Mailer is gone: %s', (id) => {
    expect(rulesWith(id)).toContain('person.mail-client');
  });

  it.each([
    '<20190427040722.23711.34559@bilbo.example>',
    '<9169D984-4E0B-45EF-82D4-8F5E53AD7012@example.com>',
    '<753be104f384c5be7ac724686dffd689@example.org>',
    '<0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0@example.com>',
  ])('a program-neutral Message-ID says nothing: %s', (id) => {
    expect(rulesWith(id)).not.toContain('person.mail-client');
  });

  it('a bulk X-Mailer is not overruled by a client-shaped Message-ID', () => {
    expect(rulesWith('<87r5ky2x4p.fsf@host.example>', { 'x-mailer': ['PHPMailer 6.8'] })).not.toContain('person.mail-client');
  });

  it('knows Outlook by Thread-Index beside Accept-Language when X-Mailer is gone, not by one alone', () => {
    expect(rulesWith('<1@example.org>', { 'thread-index': ['AdvWzhP7pEHXqR1E'], 'accept-language': ['en-US'] })).toContain('person.mail-client');
    expect(rulesWith('<1@example.org>', { 'thread-index': ['AdvWzhP7pEHXqR1E'] })).not.toContain('person.mail-client');
  });

  it('knows more personal mailbox providers (posteo, mailbox.org, disroot), not their role addresses', () => {
    for (const address of ['xoip@posteo.de', 'sam@mailbox.org', 'kim@disroot.org']) {
      expect(rulesOn('It crashes.', { from: { address } }), address).toContain('person.personal-mailbox');
    }
    expect(rulesOn('It crashes.', { from: { address: 'support@posteo.de' } })).not.toContain('person.personal-mailbox');
  });

  it("knows a personal mailbox by its provider's Feedback-ID (Proton, QQ Mail, Fastmail) and Yandex's web mail", () => {
    const stamped = (feedbackId: string) => rulesOn('It crashes.', { from: { address: 'sam@own-domain.example' }, headers: { 'feedback-id': [feedbackId] } });
    for (const id of ['50941660:user:proton', 'webmail:qq.com:bgforeign:bgforeign11', 'ie8e14432:Fastmail']) {
      expect(stamped(id), id).toContain('person.personal-mailbox');
    }
    expect(stamped('1.us-west-2.abcdef=:AmazonSES')).not.toContain('person.personal-mailbox');
    expect(rulesOn('It crashes.', { from: { address: 'sam@ya.ru' } })).toContain('person.personal-mailbox');
    expect(rulesWith('<1@example.org>', { 'x-mailer': ['Yamail [ http://yandex.ru ] 5.0'] })).toContain('person.mail-client');
  });

  it('reads the Outlook apps in their X-Mailer', () => {
    expect(rulesWith('<1@example.org>', { 'x-mailer': ['Outlook for iOS and Android'] })).toContain('person.mail-client');
  });

  it("reads Yahoo's web mail in its X-Mailer", () => {
    expect(rulesWith('<1@example.org>', { 'x-mailer': ['YahooMailRC/559 YahooMailWebService/0.8.109'] })).toContain('person.mail-client');
  });
});

describe('person.attribution', () => {
  it.each([
    'Works now, thanks.\n\nOn Mon, Jan 5, 2026 at 10:00 AM Probe <probe@firstreply.test> wrote:\n> The stream drops.',
    'Danke, geht wieder.\n\nAm 05.01.2026 um 10:00 schrieb Probe <probe@firstreply.test>:\n> Der Stream bricht ab.',
    'Merci.\n\nLe lun. 5 janv. 2026 à 10:00, Probe <probe@firstreply.test> a\nécrit :\n> Le flux coupe.',
  ])("sees a mail program's attribution above the quote: %s", (text) => {
    expect(rulesOn(text)).toContain('person.attribution');
  });

  it.each([
    'Thanks.\n\n-----Original Message-----\nFrom: Probe\nSent: Monday\n\nThe stream drops.',
    'Thanks.\n\n> The stream drops.',
    'Thanks.\n\n--- Reply above this line ---\nThe stream drops.',
  ])('not under a separator or bare quote marks: %s', (text) => {
    expect(rulesOn(text)).not.toContain('person.attribution');
  });
});
