import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { parseMail, MAX_TEXT_CHARS } from '../../src/classify/parse.ts';
import { decodeBytes, decodeEncodedWords } from '../../src/classify/charset.ts';
import { splitQuotes } from '../../src/classify/view.ts';

const crlf = (s: string) => s.replace(/\n/g, '\r\n');

describe('parseMail', () => {
  it('reads a multipart whose boundary never occurs as a text body, its charset sniffed', async () => {
    const raw = Buffer.concat([
      Buffer.from(crlf('From: Ann <ann@example.cn>\nSubject: help\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="----=_b1"\n\n')),
      iconv.encode('  我想问一下，该怎么入手？推荐他看些什么书？\n', 'gbk'),
    ]);
    const mail = await parseMail(raw);
    expect(mail.text).toContain('该怎么入手');
  });

  it('decodes GBK, GB2312-labelled GBK and Big5 bodies and encoded-word subjects', async () => {
    const gbk = Buffer.concat([
      Buffer.from(
        crlf(
          `From: =?GBK?B?${iconv.encode('王磊', 'gbk').toString('base64')}?= <w@example.cn>\nSubject: =?GB2312?B?${iconv.encode('回复：发票', 'gb2312').toString('base64')}?=\nContent-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: 8bit\n\n`,
        ),
      ),
      iconv.encode('收到，我看一下。镕', 'gbk'), // 镕 is GBK but not GB2312
    ]);
    const mail = await parseMail(gbk);
    expect(mail.subject).toBe('回复：发票');
    expect(mail.from).toEqual({ address: 'w@example.cn', name: '王磊' });
    expect(mail.text).toContain('收到，我看一下。镕');

    const big5 = Buffer.concat([Buffer.from(crlf('Subject: x\nContent-Type: text/plain; charset=big5\n\n')), iconv.encode('帳號無法登入', 'big5')]);
    expect((await parseMail(big5)).text).toContain('帳號無法登入');
  });

  it('repairs UTF-8 bytes declared as Big5', async () => {
    const raw = Buffer.concat([
      Buffer.from(crlf('Subject: hi\nContent-Type: text/plain; charset=big5\nContent-Transfer-Encoding: 8bit\n\n')),
      Buffer.from('您好！你今天好吗？', 'utf8'),
    ]);
    expect((await parseMail(raw)).text).toContain('您好！你今天好吗？');
  });

  it('turns an HTML-only mail into text and keeps the HTML', async () => {
    const raw = Buffer.from(
      crlf('Subject: x\nContent-Type: text/html; charset=utf-8\n\n<p>Hello&nbsp;Sam,</p><script>evil()</script><p>Refunded &amp; done.</p>'),
    );
    const mail = await parseMail(raw);
    expect(mail.text).toContain('Refunded & done.');
    expect(mail.text).not.toContain('evil');
    expect(mail.html).toContain('<p>');
  });

  it('never throws: garbage, empty input and broken MIME give a ParsedMail', async () => {
    for (const raw of [
      Buffer.alloc(0),
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
      Buffer.from('Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhalf a part'),
    ]) {
      const mail = await parseMail(raw);
      expect(typeof mail.text).toBe('string');
      expect(mail.size).toBe(raw.length);
    }
  });

  it('caps huge bodies and says so', async () => {
    const raw = Buffer.from(`Subject: big\r\nContent-Type: text/plain\r\n\r\n${'lorem ipsum '.repeat(20_000)}`);
    const mail = await parseMail(raw);
    expect(mail.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(mail.truncated).toBe(true);
  });

  it('records DSN structure: multipart/report and the delivery-status text', async () => {
    const raw = Buffer.from(
      crlf(
        `From: MAILER-DAEMON@x.example\nSubject: Undelivered\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n--b\nContent-Type: text/plain\n\nfailed\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x.example\n\nFinal-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.1.1\n--b--\n`,
      ),
    );
    const mail = await parseMail(raw);
    expect(mail.partTypes).toContain('message/delivery-status');
    expect(mail.deliveryStatus).toContain('Status: 5.1.1');
  });
});

describe('charset helpers and quote splitting', () => {
  it('decodes encoded words in several charsets, joined when adjacent', () => {
    const a = iconv.encode('自动', 'gbk').toString('base64');
    const b = iconv.encode('回复', 'gbk').toString('base64');
    expect(decodeEncodedWords(`=?GBK?B?${a}?= =?GBK?B?${b}?=: x`)).toBe('自动回复: x');
    expect(decodeEncodedWords('=?utf-8?Q?caf=C3=A9_ok?=')).toBe('café ok');
  });

  it('tries CJK charsets for undeclared 8-bit text', () => {
    expect(decodeBytes(iconv.encode('数据同步延迟', 'gbk'))).toBe('数据同步延迟');
  });

  it("separates the sender's words from quotes, including bottom posting and Chinese headers", () => {
    const top = splitQuotes('Fixed it.\n\nOn Tue, 10 Mar 2026 at 09:12, Sam <s@x> wrote:\n> question\n> more');
    expect(top.fresh).toBe('Fixed it.');
    expect(top.quoted).toContain('question');
    const inline = splitQuotes('On 12.03.26 Sam wrote:\n> q1\nanswer one\n> q2\nanswer two');
    expect(inline.fresh).toBe('answer one\nanswer two');
    const zh = splitQuotes('已经修复。\n------------------ 原始邮件 ------------------\n发件人: a\n我们已收到您的邮件');
    expect(zh.fresh).toBe('已经修复。');
  });
});
