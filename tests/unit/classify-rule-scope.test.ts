// Rules fire on what they describe and nothing else: a kernel version is no SMTP status, an English "FAQ" is no
// Chinese acknowledgement, one address written twice is one link; receipts, no-reply names and ISO-2022-JP are read.
import { describe, expect, it } from 'vitest';
import { buildView } from '../../src/classify/view.ts';
import { englishContentRules } from '../../src/classify/content-en.ts';
import { chineseContentRules } from '../../src/classify/content-zh.ts';
import { layoutRules } from '../../src/classify/layout.ts';
import { headerRules } from '../../src/classify/headers.ts';
import { signatureRules } from '../../src/classify/signature.ts';
import { parseMail } from '../../src/classify/parse.ts';
import { classifyEmail, signalsOf } from '../../src/classify/classify-email.ts';
import type { ParsedMail } from '../../src/classify/types.ts';
import type { Rule } from '../../src/classify/view.ts';

function mailOf(text: string, more: Partial<ParsedMail> = {}): ParsedMail {
  return { references: [], subject: 'Re: question', to: ['probes@firstreply.test'], text, contentType: 'text/plain', size: text.length, headers: {}, ...more };
}

const rulesOf = (rule: Rule, mail: ParsedMail): string[] => rule(buildView(mail, { receivedAt: Date.UTC(2026, 0, 5), fastReplyMs: 60_000 })).map((s) => s.rule);

describe('rule scope', () => {
  it('reads a run of labelled fields as a form or report, not a signature or a few facts a person gives', () => {
    const echo =
      'We have received the following inquiry.\n\nName: Sam Lee\nEmail: sam@example.com\nSubject: Stream drops\nInquiry: The stream drops every 10 minutes.\n\nWe will get back to you.';
    const jaEcho =
      'お問い合わせ内容を送信します。\n\n会社名：Example\nお名前：Sam\nメールアドレス：sam@example.com\n電話番号：0312345678\nお問い合わせ内容：配信が止まります';
    expect(rulesOf(layoutRules, mailOf(echo))).toContain('layout.fields');
    expect(rulesOf(layoutRules, mailOf(jaEcho))).toContain('layout.fields');
    const person =
      'I moved the encoder to sg2 and it still drops.\n\nOS: Ubuntu 22.04\nEncoder: OBS 30.1\n\nBest regards,\nSam Lee\nTel: +65 1234 5678\nFax: +65 1234 5679\nE-Mail: sam@example.com\nWeb: https://example.com';
    expect(rulesOf(layoutRules, mailOf(person))).not.toContain('layout.fields');
    // Logs and compiler output pasted into a question: colons of times, addresses and line numbers, and links.
    const pasted = [
      'I get this when loading the module:',
      '',
      'May 20 16:23:58 host kernel: [ 7202.060012] parport0: PC-style at 0xad00, irq 17',
      'May 20 16:23:58 host kernel: [ 7202.060020] genirq: Flags mismatch irq 17',
      '05:00.2 Parallel controller: MosChip Semiconductor PCIe 9912',
      'sip.cpp:22:2: warning: #warning apply the patch [-Wcpp]',
      'sip.cpp:26:2: error: #error',
      'https://example.org/wiki/how-to-build',
    ].join('\n');
    expect(rulesOf(layoutRules, mailOf(pasted))).not.toContain('layout.fields');
    // A register dump and a log repeating its prefix are no form either.
    const oops = [
      'The fuzzer hit this:',
      '',
      'RSP: 0018:ffffc90010fcf878 EFLAGS: 00010246',
      'RAX: 0000000000000000 RBX: 0000000000000000 RCX: 0000000000000000',
      'pstate: 80000005 (Nzcv daif -PAN -UAO)',
      'ACPI Error: No handler for Region [PFRM]',
      'ACPI Error: Region PCC (ID=10) has no handler',
      'ACPI Error: Aborting method due to previous error',
      'Workqueue: pm pm_runtime_work',
      'RIP: 0010:dccp_write_xmit+0x66/0x1d0 net/dccp/output.c:356',
      'Code: 00 48 85 c0 49 89 c4 0f 84 03 01 00 00 e8 12 1d 0d f8 41 80 3e',
      '   0: 00 48 85              add    %cl,-0x7b(%rax)',
      '   3: c0 49 89 c4           rorb   $0xc4,-0x77(%rcx)',
    ].join('\n');
    expect(rulesOf(layoutRules, mailOf(oops))).not.toContain('layout.fields');
    const report = 'Time: 3/9/2006 3:50:52 PM\nResult: Successful Send\nPage record: 1 - 1\nElapsed time: 00:58 on channel 11';
    expect(rulesOf(layoutRules, mailOf(report))).toContain('layout.fields');
    const french = 'Nom : Dupont\nPrénom : Marie\nTéléphone : 01 23 45 67 89\nMessage : le flux coupe';
    expect(rulesOf(layoutRules, mailOf(french))).toContain('layout.fields');
  });

  it("reads Precedence: junk on a post a discussion list relayed as the list's header, not the author's", () => {
    const headers = { precedence: ['junk'], 'list-post': ['<mailto:help@lists.example.org>'], 'list-id': ['<help.lists.example.org>'] };
    expect(rulesOf(headerRules, mailOf('I tried that and it still fails.', { headers }))).not.toContain('header.precedence');
    expect(rulesOf(headerRules, mailOf('Cheap pills', { headers: { precedence: ['junk'] } }))).toContain('header.precedence');
  });

  it("reads Precedence: bulk under a Majordomo or Mailman Sender (owner-list@, list-bounces@) as the list's", () => {
    const from = { address: 'yana@example.edu', name: 'Yana' };
    for (const sender of ['owner-forum@lists.example.edu', 'forum-owner@example.edu', '"Forum" <forum-bounces@example.edu>']) {
      const rules = rulesOf(headerRules, mailOf('My wedding dress, any advice?', { from, headers: { precedence: ['bulk'], sender: [sender] } }));
      expect(rules, sender).not.toContain('header.precedence');
      expect(rules, sender).toContain('header.list-relay');
    }
    // A sender's own address in Sender: is no list.
    const own = { address: 'news-owner@shop.example', name: 'Shop' };
    expect(rulesOf(headerRules, mailOf('Sale', { from: own, headers: { precedence: ['bulk'], sender: ['news-owner@shop.example'] } }))).toContain(
      'header.precedence',
    );
  });

  it('reads an enhanced status code as a bounce only beside SMTP words', () => {
    const versions = 'The fix has been merged into v6.7 and applied to the stable kernels:\n\n* 6.6.11\n* 6.1.73\n* 5.4.267\n\nRegards';
    expect(rulesOf(englishContentRules, mailOf(versions))).not.toContain('en.bounce');
    for (const dsn of ['Remote server returned #5.1.1 smtp; recipient rejected', 'Status: 5.2.2', '550 5.1.1 <a@b.test>: no such user']) {
      expect(rulesOf(englishContentRules, mailOf(dsn))).toContain('en.bounce');
    }
  });

  it('runs the Chinese wording rules on Chinese text only', () => {
    expect(rulesOf(chineseContentRules, mailOf('See the FAQ on our site; I have attached the log you asked for.'))).toEqual([]);
    expect(rulesOf(chineseContentRules, mailOf('您好，我们已收到您的邮件，请先查看常见问题。'))).toContain('zh.ack');
  });

  it('counts distinct web links, not every spelling of one address', () => {
    const sig =
      'Thanks, I will check.\n\nhttp://www.example.com [http://www.example.com]\nhttps://www.facebook.com/test [https://www.facebook.com/test]\nmailto:a@example.com';
    expect(rulesOf(layoutRules, mailOf(sig))).not.toContain('layout.links');
    const many = Array.from({ length: 7 }, (_, i) => `<a href="https://shop.example/item/${i}">item ${i}</a>`).join(' ');
    expect(rulesOf(layoutRules, mailOf('offers', { html: `<p>${many}</p>` }))).toContain('layout.links');
    const mailtos = Array.from({ length: 8 }, (_, i) => `<a href="mailto:p${i}@example.com">p${i}</a>`).join(' ');
    expect(rulesOf(layoutRules, mailOf('people', { html: `<p>${mailtos}</p>` }))).not.toContain('layout.links');
  });

  it('sees read receipts and recall notices by their subject', () => {
    for (const subject of ['Read: PhD tema', 'Recall: meeting', '回收: [PATCH] fix', '撤回：测试']) {
      expect(rulesOf(headerRules, mailOf('', { subject }))).toContain('header.receipt-subject');
    }
    for (const subject of ['Re: reading list', 'Rappel : réunion demain'])
      expect(rulesOf(headerRules, mailOf('', { subject }))).not.toContain('header.receipt-subject');
  });

  it('sees a no-reply token anywhere in the sender', () => {
    for (const from of [
      { address: 'gmail-noreply@google.com', name: 'Gmail Team' },
      { address: 'group@example.com', name: 'noreply-dmarc-support via group' },
    ]) {
      expect(rulesOf(headerRules, mailOf('hello', { from }))).toContain('header.noreply-sender');
    }
    expect(rulesOf(headerRules, mailOf('hello', { from: { address: 'norena@example.com', name: 'Norena Plyer' } }))).not.toContain('header.noreply-sender');
  });

  it('sees system accounts and DMARC aggregate reports', () => {
    expect(rulesOf(headerRules, mailOf('Regelsets gefunden: 1', { from: { address: 'oracle@db01.example.com', name: '' } }))).toContain(
      'header.system-account',
    );
    expect(rulesOf(headerRules, mailOf('hello', { from: { address: 'rootkit.fan@example.com', name: 'Root Fan' } }))).not.toContain('header.system-account');
    const subject = 'Report domain: example.cz Submitter: google.com Report-ID: 2244696771454641389';
    expect(rulesOf(headerRules, mailOf('', { subject }))).toContain('header.dmarc-report');
  });

  it("sees a code host's push notification, not a pasted git log", () => {
    const push =
      '  Branch: refs/heads/next\n  Home:   https://github.com/siemens/jailhouse\n  Commit: c1489607b44c4b1f1df6ac5163020c46e18250dd\n' +
      '  Author: A Developer <dev@example.com>\n\n  Changed paths:\n    M hypervisor/arch/arm64/entry.S\n\n  Log Message:\n  I fixed the TCR setting.';
    expect(rulesOf(layoutRules, mailOf(push))).toContain('layout.commit-notice');
    const pasted =
      'I bisected it to this one:\n\ncommit c1489607b44c4b1f1df6ac5163020c46e18250dd\nAuthor: A Developer <dev@example.com>\nDate:   Fri Aug 20\n\n    ARM64: fix';
    expect(rulesOf(layoutRules, mailOf(pasted))).not.toContain('layout.commit-notice');
  });

  it("does not read a program's reply in a thread as a person's", () => {
    const text =
      'Hello:\n\nThis series was applied to netdev/net-next.git (main)\nby Jakub Kicinski <kuba@kernel.org>:\n\nOn Mon, 3 Jan 2022 you wrote:\n> [PATCH] net: fix a leak\n> details\n\nHere is the summary with links:\n  - net: fix a leak\n';
    const bot = mailOf(text, {
      from: { address: 'patchwork-bot+netdevbpf@kernel.org', name: 'patchwork-bot+netdevbpf@kernel.org' },
      inReplyTo: '<p@x>',
      references: ['<p@x>'],
    });
    const ctx = { receivedAt: Date.UTC(2026, 0, 5), fastReplyMs: 60_000 };
    const shape = signalsOf(bot, ctx).signals.filter((s) => s.rule === 'person.in-thread' || s.rule === 'person.quoting-reply');
    expect(shape.length).toBeGreaterThan(0);
    for (const s of shape) expect(s.reason).toContain('discounted');
    expect(classifyEmail(bot, ctx).label).not.toBe('human');
    const recall = mailOf('Jane Doe would like to recall the message, "[PATCH] fix".', {
      subject: 'Recall: [PATCH] fix',
      from: { address: 'jane@example.com', name: 'Jane Doe' },
      headers: { 'x-mailer': ['Microsoft Outlook 16.0'] },
      inReplyTo: '<p@x>',
    });
    const recallShape = signalsOf(recall, ctx).signals.filter((x) => x.rule === 'sender.person-name' || x.rule === 'person.in-thread');
    expect(recallShape.length).toBeGreaterThan(0);
    for (const s of recallShape) expect(s.reason).toContain('in their name');
    const person = mailOf(text, { from: { address: 'jane@example.com', name: 'Jane Doe' }, inReplyTo: '<p@x>', references: ['<p@x>'] });
    for (const s of signalsOf(person, ctx).signals) expect(s.reason).not.toContain('discounted');
  });

  it("reads a response-time range and a contact form's footer as an acknowledgement's", () => {
    const ack =
      'Thank you for visiting our website. We aim to respond to each message within 24-48 hours.\n\n- - -\nThis e-mail was sent from a contact form on Example Plumbing (https://plumbing.example)';
    const rules = rulesOf(englishContentRules, mailOf(ack));
    expect(rules).toContain('en.ack');
    expect(rules).toContain('en.automated');
    expect(rulesOf(englishContentRules, mailOf('I filled in the contact form on your site twice; nobody answered within 48 hours.'))).toEqual([]);
  });

  it('decodes ISO-2022-JP that the MIME decoder left as escape sequences', async () => {
    const raw = Buffer.from(
      'From: a@example.com\r\nSubject: =?iso-2022-jp?B?GyRCMnNaQBsoQjogcGhvc3Bob3I=?=\r\nContent-Type: text/plain; charset=iso-2022-jp\r\n\r\n\x1b$B2sZ@\x1b(B\r\n',
      'latin1',
    );
    const mail = await parseMail(raw);
    expect(mail.subject).toBe('回收: phosphor');
    expect(mail.text.trim()).toBe('回收');
  });
  it('reads a bare SMTP reply code as a bounce only with the words of a refusal', () => {
    const signature = "Bonjour,\n\nJ'ai ma session qui est lente.\n\nCordialement,\n\nAlexandre MOATTI\nEspace Fauriel BP: 550\n35 rue Ponchardier";
    expect(rulesOf(englishContentRules, mailOf(signature))).not.toContain('en.bounce');
    expect(rulesOf(englishContentRules, mailOf('Our price is 550 - 600 EUR per seat.'))).not.toContain('en.bounce');
    for (const dsn of ['smtp; 550 User unknown', '550 Requested action not taken: mailbox unavailable', '554 rejected due to policy'])
      expect(rulesOf(englishContentRules, mailOf(dsn)), dsn).toContain('en.bounce');
  });

  it('knows a family name written in capitals, and a signature below a picture placeholder', () => {
    const from = { address: 'john.doe@demo.test', name: 'John DOE' };
    expect(rulesOf(signatureRules, mailOf('Bonjour,\n\nC’est fait.', { from }))).toContain('sender.person-name');
    for (const name of ['ACME CORP', 'Status PAGE SUPPORT', 'Billing TEAM']) {
      expect(rulesOf(signatureRules, mailOf('Hello', { from: { address: 'x@demo.test', name } })), name).not.toContain('sender.person-name');
    }
    const below = 'Bonjour,\n\nVotre société a bien été paramétrée.\n\nCordialement\n\n\n[Logo]\n\nJohn DOE';
    expect(rulesOf(signatureRules, mailOf(below))).toContain('signature.person');
    expect(rulesOf(signatureRules, mailOf('Thanks,\n[cid:image001.png@01D9A1B2.3C4D5E60]\nPriya Raman'))).toContain('signature.person');
  });
  it("reads Chinese automation in traditional characters too, and a desk's numbered receipt", () => {
    for (const text of ['此郵件為系統自動發送，請勿回覆。', '本邮件由系统自动发出，请勿回复。']) {
      expect(rulesOf(chineseContentRules, mailOf(text)), text).toContain('zh.automated');
    }
    expect(rulesOf(chineseContentRules, mailOf('您的请求 (12345) 已收到，我们的员工正在审核中。'))).toContain('zh.ack');
    const agent = '您好，我们已经定位到问题，是CDN节点配置错误，现在已经修复，请您再试一下。';
    expect(rulesOf(chineseContentRules, mailOf(agent))).toEqual(['zh.person-wording']);
  });
  it("reads Zendesk's numbered receipt and a high-volume notice as acknowledgements, not as a team at work", () => {
    for (const text of [
      'Your request (12345) has been received and is being reviewed by our support staff.',
      'Our team is currently experiencing a high volume of requests. Response times may be longer than usual.',
    ]) {
      const rules = rulesOf(englishContentRules, mailOf(text));
      expect(rules, text).toContain('en.ack');
      expect(rules, text).not.toContain('en.person-wording');
    }
    expect(rulesOf(englishContentRules, mailOf('Our engineers have fixed the ingest node; please reconnect.'))).toContain('en.person-wording');
  });
  it("reads desks' usual receipts, virtual agents and auto-closing notices, and an agent's diagnosis", () => {
    const en = (text: string) => rulesOf(englishContentRules, mailOf(text));
    expect(en("Hello! I'm Aria, your virtual support agent. Here are some resources that may help.")).toContain('en.bot');
    expect(en('We have received your support ticket. Our standard response time is 4 business hours.')).toContain('en.ack');
    expect(en('Dear customer, your ticket has been received. Ticket ID: SUP-4412. Please keep this ID for future reference.')).toContain('en.ack');
    expect(en('Good morning, the outage was caused by a misconfigured load balancer in eu-west.')).toEqual(['en.person-wording']);
    expect(en("** Changed in: firefox (Ubuntu)\n       Status: Confirmed => Won't Fix")).toContain('en.survey');
    expect(en('Status changed from New to Resolved')).toContain('en.survey');
    expect(en('Mon Nov 01 10:05:07 2010: Request 59648 was acted upon.\nTransaction: Ticket created by sam')).toContain('en.survey');
    const subject = (s: string) => rulesOf(headerRules, mailOf('I will be out of the office until Tuesday.', { subject: s }));
    expect(subject('[ILUG] Dermot Beirne/Dublin/IE/Exel is out of the office.')).toContain('header.autoreply-subject');
    expect(subject('Stan and Cindy Out of Office')).not.toContain('header.autoreply-subject');
    const zh = (text: string) => rulesOf(chineseContentRules, mailOf(text));
    expect(zh('您好，系统检测到您的工单已超过7天未回复，将于24小时后自动关闭。')).toContain('zh.survey');
    expect(zh('感谢您的耐心等待，经过排查，是您那边的防火墙拦截了1935端口，放开后即可正常推流。')).toContain('zh.person-wording');
  });
  it("reads a web form's receipt (its thanks, its copy, its promise of a week) and the PHP script that sent it", () => {
    const en = (text: string, subject = 'Re: question') => rulesOf(englishContentRules, mailOf(text, { subject }));
    expect(en('Thank you for your booking inquiry. We will be in touch within a week.')).toContain('en.ack');
    expect(en('We confirm receipt of an application from Sam Lee.')).toContain('en.ack');
    expect(en('Here is a copy of your message:\n\nThe stream drops.')).toContain('en.ack');
    expect(en('Hello', 'Copy of your form submission')).toContain('en.ack.subject');
    expect(en('Thanks for your patience, the stream should be stable now.')).not.toContain('en.ack');
    const php = mailOf('Hello', { headers: { 'x-php-originating-script': ['1009:class.phpmailer.php'] } });
    expect(rulesOf(headerRules, php)).toContain('header.php-script');
    expect(rulesOf(headerRules, mailOf('Hello'))).not.toContain('header.php-script');
    const named = (name: string, address: string) => rulesOf(headerRules, mailOf('Hello', { from: { name, address } }));
    expect(named('OTRS Notification Master', 'otrs@desk.example')).toContain('header.bot-sender');
    expect(named('Grafana Alerts', 'grafana@ops.example')).toContain('header.bot-sender');
    expect(rulesOf(headerRules, mailOf('Hello', { headers: { 'x-mailer': ['Inxmail EE 4.0.2.117'] } }))).toContain('header.campaign');
    const mailer = (name: string) => rulesOf(headerRules, mailOf('Hello', { headers: { 'x-mailer': [name] } }));
    for (const name of [
      'PHPMailer 6.5.0 (https://github.com/PHPMailer/PHPMailer)',
      'MIME::Lite 3.021',
      'Microsoft CDO for Windows 2000',
      'Drupal',
      'PHP/5.6.40',
    ]) {
      expect(mailer(name), name).toContain('header.program-mailer');
    }
    for (const name of ['Zendesk Mailer', 'Microsoft Outlook 16.0', 'Apple Mail (2.3445)', 'Mozilla Thunderbird'])
      expect(mailer(name), name).not.toContain('header.program-mailer');
    expect(rulesOf(englishContentRules, mailOf('This is an automated response to a message you have sent to sam@example.com.'))).toContain('en.automated');
    expect(rulesOf(englishContentRules, mailOf('Hello!\n\n--- Automated Message - To get a response, open a ticket ---'))).toContain('en.automated');
    expect(rulesOf(englishContentRules, mailOf('I only got an automated message back from your desk.'))).not.toContain('en.automated');
    expect(rulesOf(englishContentRules, mailOf('This is an automated mail sent by the Patchwork system.'))).toContain('en.automated');
    expect(rulesOf(englishContentRules, mailOf('This email is a notification only - you do not need to respond.'))).toContain('en.automated');
    const queued = "This is a note to let you know that I've just added the patch titled\n\n    fix the probe\n\nto the 6.1-stable tree";
    expect(rulesOf(englishContentRules, mailOf(queued))).toContain('en.automated');
    expect(rulesOf(englishContentRules, mailOf("Just a note to let you know that I've fixed it on my side."))).not.toContain('en.automated');
    // Maintainers' scripts: their mailer, and the header that tells patchwork to ignore the notice.
    for (const headers of [{ 'user-agent': ['pwcli/0.1.0-git (https://github.com/kvalo/pwcli/) Python/3.5.2'] }, { 'user-agent': ['s-nail v14.9.25'] }]) {
      expect(rulesOf(headerRules, mailOf('Patch applied, thanks.', { headers })), JSON.stringify(headers)).toContain('header.program-mailer');
    }
    expect(rulesOf(headerRules, mailOf('Applied, thanks.', { headers: { 'x-patchwork-hint': ['ignore'] } }))).toContain('header.tool-notice');
    expect(rulesOf(headerRules, mailOf('Applied to for-next.', { messageId: '<168756794811.1155588.1171@kernel.org>'.replace('@', '.b4-ty@') }))).toContain(
      'header.tool-notice',
    );
    expect(rulesOf(headerRules, mailOf('Applied, thanks.', { headers: { 'user-agent': ['Mutt/2.2.12'] } }))).not.toContain('header.tool-notice');
    // Its reply in the thread, in the maintainer's name, quoting the patch: the shape is the script's, not a person's.
    const applied = mailOf(
      'The patch\n\n   fix the probe\n\nhas been applied to the spi tree.\n\nThanks,\nMark\n\n> From: Sam Lee <sam@example.com>\n> fix the probe',
      {
        from: { name: 'Mark Brown', address: 'broonie@example.org' },
        inReplyTo: '<1@example.com>',
        headers: { 'x-patchwork-hint': ['ignore'] },
      },
    );
    expect(classifyEmail(applied, { receivedAt: Date.UTC(2026, 0, 5), fastReplyMs: 60_000 }).label).not.toBe('human');
    // Jira's change notices, in the actor's name and quoting the issue; a comment notice carries a person's words.
    const jira = (subject: string) =>
      mailOf('[ https://issues.example.org/browse/MAILET-94 ]\n\nEric Charles resolved MAILET-94.\n\n> James Mailet should use latest', {
        subject,
        from: { name: 'Eric Charles (JIRA)', address: 'jira@example.org' },
        inReplyTo: '<JIRA.1@Atlassian.JIRA>',
      });
    expect(rulesOf(englishContentRules, jira('[jira] [Resolved] (MAILET-94) James Mailet should use latest'))).toContain('en.survey.subject');
    expect(rulesOf(englishContentRules, jira('[jira] [Commented] (MAILET-94) James Mailet should use latest'))).not.toContain('en.survey.subject');
    expect(
      classifyEmail(jira('[jira] [Resolved] (MAILET-94) James Mailet should use latest'), { receivedAt: Date.UTC(2026, 0, 5), fastReplyMs: 60_000 }).label,
    ).not.toBe('human');
    // A mailbox provider's stamp on its users' mail is no bulk sender's.
    expect(rulesOf(headerRules, mailOf('Hello', { headers: { 'feedback-id': ['50941660:user:proton'] } }))).not.toContain('header.feedback-id');
    expect(rulesOf(headerRules, mailOf('Hello', { headers: { 'feedback-id': ['1.us-west-2.abc=:AmazonSES'] } }))).toContain('header.feedback-id');
    expect(rulesOf(headerRules, mailOf('Hallo', { from: { address: 'carina@cylex.example', name: 'CYLEX Newsletter' } }))).toContain('header.noreply-sender');
    // GitHub sends a commenter's words from notifications@, in the commenter's name.
    expect(named('Sam Lee', 'notifications@github.com')).not.toContain('header.bot-sender');
  });
  it("reads an agent's usual working words in English and Chinese", () => {
    for (const text of [
      'Hello Sam, we looked at the logs and your encoder is sending 12 Mbps while your plan allows 6.',
      'Hi, please try setting the keyframe interval to 2 seconds in OBS.',
      'Thanks Sam! Glad it works now.',
      'The ingest node was moved to Amsterdam; your streams should be stable now.',
    ]) {
      expect(rulesOf(englishContentRules, mailOf(text)), text).toContain('en.person-wording');
    }
    for (const text of [
      '好的，已经帮您把带宽上限调到100M了，生效需要几分钟。',
      '您好，麻烦提供一下推流地区和流名称，我们这边查一下。',
      '这个问题是已知问题，4.2.1版本已经修复，升级即可。',
    ]) {
      expect(rulesOf(chineseContentRules, mailOf(text)), text).toContain('zh.person-wording');
    }
    expect(rulesOf(englishContentRules, mailOf('Please try our help center while you wait for an answer.'))).not.toContain('en.person-wording');
  });
});
