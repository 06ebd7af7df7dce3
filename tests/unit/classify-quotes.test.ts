import { describe, expect, it } from 'vitest';
import { expectLinearTime } from '../helpers/linear-time.ts';
import { buildView, findSignature, splitQuotes } from '../../src/classify/view.ts';
import { splitHtmlQuotes } from '../../src/classify/quotes-html.ts';
import { layoutRules } from '../../src/classify/layout.ts';
import type { ParsedMail } from '../../src/classify/types.ts';

const own = 'Your refund was issued today.';
const quotedRequest = 'Hi, where is my refund?';

// One short example per client and language (written for these tests): own words, a header, the quoted request.
const headers: Array<[string, string]> = [
  ['en Gmail', 'On Mon, Jan 5, 2026 at 10:00 AM Sam Lee <sam@example.com> wrote:'],
  ['en Gmail wrapped', 'On Mon, Jan 5, 2026 at 10:00 AM Sam Lee <\nsam@example.com> wrote:'],
  ['en Outlook', '-----Original Message-----\nFrom: Sam Lee <sam@example.com>\nSent: Monday, January 5, 2026 10:00 AM'],
  ['en Outlook block', 'From: Sam Lee <sam@example.com>\nSent: Monday, January 5, 2026 10:00 AM\nTo: support@vendor.example\nSubject: refund'],
  ['en Outlook underscores', '________________________________\nFrom: Sam Lee <sam@example.com>\nSent: Monday, January 5, 2026 10:00 AM'],
  ['en full-width colon', 'From：Sam Lee <sam@example.com>\nDate：2026-01-05 10:00'],
  ['en Zoho', '---- On Mon, 05 Jan 2026 10:00:00 +0100 Sam Lee <sam@example.com> wrote ----'],
  ['en OTRS', '01.02.2026 10:00 - Sam Lee wrote:'],
  ['en Eudora', 'At 10:00 AM 1/5/2026, Sam Lee wrote:'],
  ['en Samsung', '-------- Original message --------\nFrom: Sam Lee <sam@example.com>\nDate: 1/5/26 10:00 (GMT+01:00)'],
  ['en forward', '---------- Forwarded message ---------\nFrom: Sam Lee <sam@example.com>'],
  ['zh-Hans NetEase', '在 2026-01-01 10:00:00，"Sam" <sam@example.com> 写道：'],
  ['zh-Hans QQMail', '------------------ 原始邮件 ------------------\n发件人: "Sam" <sam@example.com>\n发送时间: 2026年1月5日(星期一) 上午10:00'],
  ['zh-Hans QQMail en', '------------------ Original ------------------\nFrom: "Sam" <sam@example.com>'],
  ['zh-Hans Outlook', '发件人: Sam Lee <sam@example.com>\n发送时间: 2026年1月5日 10:00\n收件人: support\n主题: 退款'],
  ['zh-Hant Gmail', '於 2026年1月5日 週一 上午10:00，Sam Lee <sam@example.com> 寫道：'],
  ['zh-Hant Outlook', '寄件者: Sam Lee <sam@example.com>\n寄件日期: 2026年1月5日 10:00\n收件者: support\n主旨: 退款'],
  ['ja Gmail', '2026年1月5日(月) 10:00 Sam Lee <sam@example.com>:'],
  ['ja Outlook', '差出人: Sam Lee <sam@example.com>\n送信日時: 2026年1月5日 10:00\n宛先: support\n件名: 返金'],
  ['ja Outlook separator', '-----元のメッセージ-----\n差出人: Sam Lee'],
  ['ko Gmail', '2026년 1월 5일 (월) 오전 10:00, Sam Lee <sam@example.com>님이 작성:'],
  ['ko Outlook', '보낸 사람: Sam Lee <sam@example.com>\n보낸 날짜: 2026년 1월 5일 월요일 오전 10:00\n받는 사람: support\n제목: 환불'],
  ['de Gmail', 'Am Mo., 5. Jan. 2026 um 10:00 Uhr schrieb Sam Lee <sam@example.com>:'],
  ['de Thunderbird', 'Am 05.01.2026 10:00, schrieb Sam Lee via Support:'],
  ['de Gmail name first', 'Sam Lee <sam@example.com> schrieb am Mo., 5. Jan. 2026 um 10:00 Uhr:'],
  ['de Outlook', 'Von: Sam Lee <sam@example.com>\nGesendet: Montag, 5. Januar 2026 10:00\nAn: support\nBetreff: Erstattung'],
  ['de Outlook Gesendet first', 'Gesendet: Montag, 5. Januar 2026 10:00\nVon: Sam Lee <sam@example.com>\nAn: support'],
  ['de Outlook separator', '-----Ursprüngliche Nachricht-----\nVon: Sam Lee'],
  ['fr Gmail', 'Le lun. 5 janv. 2026 à 10:00, Sam Lee <sam@example.com> a écrit :'],
  ['fr Outlook', "-----Message d'origine-----\nDe : Sam Lee <sam@example.com>\nEnvoyé : lundi 5 janvier 2026 10:00"],
  ['fr Outlook block', 'De : Sam Lee <sam@example.com>\nEnvoyé : lundi 5 janvier 2026 10:00\nÀ : support\nObjet : remboursement'],
  ['es Gmail', 'El lun, 5 ene 2026 a las 10:00, Sam Lee (<sam@example.com>) escribió:'],
  ['es Outlook', 'De: Sam Lee <sam@example.com>\nEnviado: lunes, 5 de enero de 2026 10:00\nPara: support\nAsunto: reembolso'],
  ['pt Gmail', 'Em seg., 5 de jan. de 2026 às 10:00, Sam Lee <sam@example.com> escreveu:'],
  ['pt Outlook', 'De: Sam Lee <sam@example.com>\nEnviado: segunda-feira, 5 de janeiro de 2026 10:00\nPara: support\nAssunto: reembolso'],
  ['it Gmail', 'Il giorno lun 5 gen 2026 alle ore 10:00 Sam Lee <sam@example.com> ha scritto:'],
  ['it Outlook', 'Da: Sam Lee <sam@example.com>\nInviato: lunedì 5 gennaio 2026 10:00\nA: support\nOggetto: rimborso'],
  ['nl Gmail', 'Op ma 5 jan. 2026 om 10:00 schreef Sam Lee <sam@example.com>:'],
  ['nl Apple', 'Op 5 jan. 2026 om 10:00 heeft Sam Lee <sam@example.com> het volgende geschreven:'],
  ['nl Outlook', 'Van: Sam Lee <sam@example.com>\nVerzonden: maandag 5 januari 2026 10:00\nAan: support\nOnderwerp: terugbetaling'],
  ['pl Thunderbird', 'Dnia 5.01.2026 o 10:00 Sam Lee <sam@example.com> napisał(a):'],
  ['pl W dniu', 'W dniu 5.01.2026 o 10:00, Sam Lee pisze:'],
  ['pl Outlook', 'Od: Sam Lee <sam@example.com>\nWysłano: poniedziałek, 5 stycznia 2026 10:00\nDo: support\nTemat: zwrot'],
  ['ru Gmail', 'пн, 5 янв. 2026 г. в 10:00, Сэм Ли <sam@example.com>:'],
  ['ru Thunderbird', '05.01.2026 10:00, Сэм Ли пишет:'],
  ['ru написал', '5 января 2026 г. Сэм Ли написал:'],
  ['ru Outlook', 'От: Сэм Ли <sam@example.com>\nОтправлено: 5 января 2026 г. 10:00\nКому: support\nТема: возврат'],
  ['vi Gmail', 'Vào Th 2, 5 thg 1, 2026 vào lúc 10:00 Sam Lee <sam@example.com> đã viết:'],
  ['vi Outlook', '-----Thư Gốc-----\nTừ: Sam Lee <sam@example.com>\nĐã gửi: 05/01/2026 10:00'],
  ['tr Gmail', 'Sam Lee <sam@example.com>, 5 Oca 2026 Pzt, 10:00 tarihinde şunu yazdı:'],
  ['tr Outlook', 'Kimden: Sam Lee <sam@example.com>\nGönderildi: 5 Ocak 2026 Pazartesi 10:00\nKime: support\nKonu: iade'],
  ['id Gmail', 'Pada tanggal Sen, 5 Jan 2026 pukul 10.00 Sam Lee <sam@example.com> menulis:'],
  ['id Outlook', 'Dari: Sam Lee <sam@example.com>\nDikirim: Senin, 05 Januari 2026 10:00\nKepada: support\nSubjek: pengembalian dana'],
  ['de Gmail app, name without address', 'Sam Lee schrieb am Mo., 5. Jan. 2026 um 10:00:'],
  ['ar Gmail', 'في الاثنين، ٥ يناير ٢٠٢٦، ١٠:٠٠ ص Sam Lee <sam@example.com> كتب:'],
  ['ar Apple Mail', 'في ٠٥‏/٠١‏/٢٠٢٦ الساعة ١٠:٠٠ ص، كتب/كتبت Sam Lee <sam@example.com>:'],
  ['ar Outlook', 'من: Sam Lee <sam@example.com>\nتم الإرسال: Monday, January 5, 2026 10:00 AM\nإلى: support\nالموضوع: refund'],
  ['ar Outlook separator', '-----الرسالة الأصلية-----\nمن: Sam Lee'],
  ['he Gmail', 'בתאריך יום ב׳, 5 בינו׳ 2026 ב-10:00 מאת Sam Lee <sam@example.com>:'],
  ['he Outlook', 'מאת: Sam Lee <sam@example.com>\nנשלח: יום שני 05 ינואר 2026 10:00\nאל: support\nנושא: refund'],
];

describe('splitQuotes', () => {
  it.each(headers)('cuts the quote below a %s header', (_name, header) => {
    const text = `${own}\n\n${header}\n\n${quotedRequest}\nhttps://tracker.example.com/unsubscribe\n----------------------------------------`;
    const { fresh, quoted } = splitQuotes(text);
    expect(fresh).toBe(own);
    expect(quoted).toContain(quotedRequest);
  });

  it.each(headers)('cuts a >-quoted request below a %s header and keeps an answer below it', (_name, header) => {
    const { fresh, quoted } = splitQuotes(`${header}\n> ${quotedRequest}\n\n${own}`);
    expect(fresh).toBe(own);
    expect(quoted).toContain(quotedRequest);
  });

  it('cuts one-line Android and Outlook headers run into the own words', () => {
    expect(
      splitQuotes(
        `${own}\n\nSent from my Samsung Galaxy smartphone.-------- Original message --------From: Sam <sam@example.com> Date: 1/5/26 10:00 To: support Subject: refund\n${quotedRequest}`,
      ).fresh,
    ).toBe(`${own}\n\nSent from my Samsung Galaxy smartphone.`);
    expect(splitQuotes(`${own} On Mon, Jan 5, 2026 at 10:00 AM Sam <sam@example.com> wrote:\n${quotedRequest}`).fresh).toBe(own);
    expect(
      splitQuotes(`${own}\nFrom: Sam Lee <sam@example.com> Sent: Monday, January 5, 2026 10:00 AM To: support Subject: refund\n${quotedRequest}`).fresh,
    ).toBe(own);
  });

  it('cuts a separator with its header fields run onto the same line ("-------- Original message --------From: …")', () => {
    const { fresh, quoted } = splitQuotes(
      `${own}\n-------- Ursprüngliche Nachricht --------Von: Sam Lee  Datum: 05.01.26  10:00  (GMT+01:00) An: Betreff: Erstattung\n\n${quotedRequest}`,
    );
    expect(fresh).toBe(own);
    expect(quoted).toContain(quotedRequest);
  });

  it('reads quote headers wrapped in the bidirectional marks right-to-left clients write, and zero-width spaces', () => {
    const rtl = '\u202bفي ٠٥\u200f/٠١\u200f/٢٠٢٦ الساعة ١٠:٠٠ ص، كتب/كتبت \u200fSam Lee \u200f<sam@example.com>:\u202c  ';
    const { fresh, quoted } = splitQuotes(`مرحبا، أين المبلغ؟\n\u200b\n${rtl}\n\u200b\n${quotedRequest}`);
    expect(fresh).toBe('مرحبا، أين المبلغ؟');
    expect(quoted).toContain(quotedRequest);
  });

  it("takes the request below Request Tracker's line of dashes as quoted in its auto-reply", () => {
    const rt = [
      'Greetings,',
      '',
      'This message has been automatically generated in response to the',
      'creation of a trouble ticket regarding:',
      '\t"where is my refund?",',
      'a summary of which appears below.',
      '',
      'There is no need to reply to this message right now.',
      'Your ticket has been assigned an ID of [rt.example.com #4242].',
      '',
      'Thank you,',
      '\tsupport@rt.example.com',
      '',
      '-------------------------------------------------------------------------',
      quotedRequest,
      'I paid on 2 January and heard nothing.',
    ].join('\n');
    const { fresh, quoted } = splitQuotes(rt);
    expect(fresh).toContain('a summary of which appears below');
    expect(fresh).not.toContain(quotedRequest);
    expect(quoted).toContain('I paid on 2 January');
  });

  it('keeps own words that only mention writing, dates or fields', () => {
    for (const text of [
      'Here is what I wrote:\nthe export finished at 10:00.',
      'On Monday we will ship the fix.\nThanks for waiting.',
      'From: our side everything looks fine.\nThanks!',
      'Subject: refund\nWe sent it today.',
      'Status below:\n----------------------------------------\nall green\n----------------------------------------',
    ])
      expect(splitQuotes(text).fresh).toBe(text);
  });

  it('drops helpdesk "reply above this line" markers', () => {
    expect(splitQuotes(`##- Please type your reply above this line -##\n\n${own}`).fresh).toBe(own);
  });
});

describe('findSignature', () => {
  it('finds "-- " blocks, client footers and sign-offs with a few short lines', () => {
    expect(findSignature(`${own}\n\n-- \nSam Lee\nAcme Support`)).toBe('-- \nSam Lee\nAcme Support');
    expect(findSignature(`${own}\n\nSent from my iPhone`)).toBe('Sent from my iPhone');
    expect(findSignature(`${own}\n\nBest regards,\nSam Lee\nSupport Engineer | Acme\n+1 555 0100`)).toBe(
      'Best regards,\nSam Lee\nSupport Engineer | Acme\n+1 555 0100',
    );
    expect(findSignature(`${own}\n\nMit freundlichen Grüßen\nSam Lee`)).toBe('Mit freundlichen Grüßen\nSam Lee');
    expect(findSignature(own)).toBeUndefined();
    expect(findSignature(`Thanks,\n${'a long line of real text that goes on and on about the problem and its cause, far beyond a signature'}`)).toBeUndefined();
  });
});

const htmlCases: Array<[string, string]> = [
  ['blockquote', `<div>${own}</div><blockquote><div>${quotedRequest}</div></blockquote>`],
  [
    'Gmail',
    `<div dir="ltr">${own}</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Jan 5, 2026 at 10:00 AM Sam &lt;<a href="mailto:sam@example.com">sam@example.com</a>&gt; wrote:<br></div><blockquote class="gmail_quote">${quotedRequest}</blockquote></div>`,
  ],
  ['Apple', `<div>${own}</div><div><br><blockquote type="cite"><div>On 5 Jan 2026, at 10:00, Sam wrote:</div><div>${quotedRequest}</div></blockquote></div>`],
  [
    'Apple header outside',
    `<div>${own}</div><div><br><div>On 5 Jan 2026, at 10:00, Sam &lt;sam@example.com&gt; wrote:</div><br><div>${quotedRequest}</div></div>`,
  ],
  [
    'Outlook divRplyFwdMsg',
    `<div>${own}</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><font><b>From:</b> Sam<br><b>Sent:</b> Monday<br></font></div><div>${quotedRequest}</div>`,
  ],
  [
    'Outlook border-top',
    `<div class="WordSection1"><p class="MsoNormal">${own}</p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in"><p class="MsoNormal"><b>From:</b> Sam<br><b>Sent:</b> Monday</p></div><p>${quotedRequest}</p></div>`,
  ],
  [
    'Outlook de border-top',
    `<p>${own}</p><div style="border:none;border-top:solid #E1E1E1 1.0pt"><p><b>Von:</b> Sam<br><b>Gesendet:</b> Montag</p></div><p>${quotedRequest}</p>`,
  ],
  ['Yahoo', `<div>${own}</div><div id="yahoo_quoted_123" class="yahoo_quoted"><div>On Monday, Sam wrote:</div><div>${quotedRequest}</div></div>`],
  [
    'Thunderbird',
    `<p>${own}</p><div class="moz-cite-prefix">On 05/01/2026 10:00, Sam wrote:<br></div><blockquote type="cite" cite="mid:x@y">${quotedRequest}</blockquote>`,
  ],
  ['Zimbra', `<div>${own}</div><hr id="zwchr"><div><b>From: </b>Sam<br><b>Sent: </b>Monday</div><div>${quotedRequest}</div>`],
  [
    'QQMail',
    `<div>${own}</div><div><br></div><div style="font-size: 12px;font-family: Arial Narrow;padding:2px 0 2px 0;">------------------&nbsp;Original&nbsp;------------------</div><div><b>From:</b>&nbsp;"Sam"&lt;sam@example.com&gt;;</div><div>${quotedRequest}</div>`,
  ],
  [
    'QQMail zh',
    `<div>${own}</div><div>------------------ 原始邮件 ------------------</div><div><b>发件人:</b> "Sam"&lt;sam@example.com&gt;;</div><div>${quotedRequest}</div>`,
  ],
  [
    'NetEase 163',
    `<div>${own}</div><div class="J-reply"><div>在 2026-01-01 10:00:00，"Sam" &lt;sam@example.com&gt; 写道：</div><div>${quotedRequest}</div></div>`,
  ],
];

describe('splitHtmlQuotes', () => {
  it.each(htmlCases)('removes a %s quote', (_name, html) => {
    const r = splitHtmlQuotes(html);
    expect(r.found).toBe(true);
    expect(r.freshText).toBe(own);
    expect(r.freshHtml).toContain(own);
    expect(r.freshHtml).not.toContain(quotedRequest);
    expect(r.quotedText).toContain(quotedRequest);
  });

  it('leaves HTML without a quote alone', () => {
    const html = `<p>${own}</p><p>Best regards,<br>Sam</p>`;
    const r = splitHtmlQuotes(html);
    expect(r.found).toBe(false);
    expect(r.freshHtml).toBe(html);
    expect(r.freshText).toBe(`${own}\nBest regards,\nSam`);
  });

  it("does not count links and tracking pixels of a quoted newsletter as the sender's layout", () => {
    const links = Array.from({ length: 8 }, (_, k) => `<a href="https://news.example.com/${k}">item ${k}</a>`).join(' ');
    const html = `<div>${own}</div><blockquote type="cite">${links}<img src="https://t.example.com/p.gif" width="1" height="1"> unsubscribe</blockquote>`;
    const mail: ParsedMail = {
      references: ['<a@b>'],
      subject: 'Re: refund',
      to: [],
      headers: {},
      text: `${own}\n\n> ${quotedRequest}`,
      html,
      contentType: 'multipart/alternative',
      size: html.length,
    };
    const view = buildView(mail, { receivedAt: 0, fastReplyMs: 60_000 });
    expect(view.fresh).toBe(own);
    expect(view.freshHtml).toBeDefined();
    expect(layoutRules(view).map((s) => s.rule)).toEqual([]);
    const unquoted = buildView(
      { ...mail, html: `<div>${own}</div>${links}<img src="https://t.example.com/p.gif" width="1" height="1">` },
      { receivedAt: 0, fastReplyMs: 60_000 },
    );
    expect(
      layoutRules(unquoted)
        .map((s) => s.rule)
        .sort(),
    ).toEqual(['layout.links', 'layout.pixel']);
  });

  it('uses the HTML quote when the text part has none the text splitter finds', () => {
    const html = `<div>${own}</div><div class="gmail_quote">Sam said:<div>${quotedRequest}</div></div>`;
    const mail: ParsedMail = {
      references: [],
      subject: 'Re: refund',
      to: [],
      headers: {},
      text: `${own}\n\nSam said:\n${quotedRequest}`,
      html,
      contentType: 'multipart/alternative',
      size: 1,
    };
    const view = buildView(mail, { receivedAt: 0, fastReplyMs: 60_000 });
    expect(view.fresh).toBe(own);
    expect(view.quoted).toContain(quotedRequest);
  });
});

describe('adversarial input', () => {
  // Growth, not wall-clock time (tests/helpers/linear-time.ts): speed itself is a bench's business.
  const inputs: Array<[string, (n: number) => string]> = [
    ['one long line of letters', (n) => 'a'.repeat(n)],
    ['&amp; entities', (n) => '&amp;'.repeat(n / 5)],
    ['> characters', (n) => '>'.repeat(n)],
    ['spaces', (n) => ' '.repeat(n)],
    ['"On x" lines without "wrote:"', (n) => 'On x\n'.repeat(n / 20).padEnd(n, 'x')],
    ['"On a, " without a line break', (n) => 'On a, '.repeat(n / 6)],
    ['dashes', (n) => '-'.repeat(n)],
    ['From: lines', (n) => 'From: a <b@c.d>\n'.repeat(n / 16)],
    ['open tags', (n) => '<div class="gmail_quote">'.repeat(n / 25)],
    ['an unterminated tag', (n) => `<img width="1" ${'a'.repeat(n)}`],
  ];
  it.each(inputs)('splits %s in time linear in its length', (name, make) => {
    expectLinearTime(`splitQuotes on ${name}`, splitQuotes, make);
    expectLinearTime(`splitHtmlQuotes on ${name}`, splitHtmlQuotes, make);
  });
});
