// Quote headers of the big mail clients in many languages: the lines that start a quoted earlier message.
// Every pattern is tested against one line (or two or three short lines joined) of at most MAX_HEADER_CHARS, and is
// linear: no nested quantifiers over overlapping classes, bounded `.{0,N}` before a fixed suffix.

/** Lines longer than this are never a quote header (a flattened HTML paragraph can hold one; see `midLine*`). */
const MAX_HEADER_CHARS = 400;

interface QuoteHeader {
  id: string;
  /** Languages (BCP 47 tags) or `*`. */
  langs: readonly string[];
  /** Clients known to write it. */
  clients: string;
  re: RegExp;
  /** A second test the line must also pass. */
  also?: RegExp;
}

/** Verbs that end an attribution line ("On … X wrote:"), per language. */
const wroteVerbs = [
  'wrote',
  'writes', // en
  'schrieb',
  'geschrieben', // de
  'a écrit',
  'écrit', // fr
  'escribió',
  'escribio',
  'escribieron', // es
  'escreveu',
  'escreveram', // pt
  'ha scritto',
  'scritto', // it
  'schreef',
  'geschreven', // nl
  'napisał\\(a\\)',
  'napisała',
  'napisał',
  'pisze', // pl
  'написал\\(а\\)',
  'написала',
  'написал',
  'пишет',
  'пише',
  'написав', // ru, uk
  'đã viết',
  'viết', // vi
  'şunu yazdı',
  'yazdı', // tr
  'menulis', // id
  'skrev',
  'kirjoitti', // da/no/sv, fi
  '写道',
  '寫道', // zh
  'のメッセージ',
  'のメール',
  'は書きました', // ja
  '님이 작성',
  '작성', // ko
  'كتب/كتبت',
  'كتبت',
  'كتب', // ar
  'כתב\\(ה\\)',
  'כתבה',
  'כתב', // he
  'نوشت', // fa
].join('|');

/** Field names of a header block ("From: / Sent: / To: / Subject:"), the sender's field first. */
const fromFields = [
  'From',
  'De',
  'Von',
  'Van',
  'Da',
  'Od',
  'От',
  'Від',
  'Från',
  'Fra',
  'Lähettäjä',
  'Kimden',
  'Dari',
  'Từ',
  'Expéditeur',
  'Remetente',
  'Absender',
  '发件人',
  '發件人',
  '寄件者',
  '寄件人',
  '差出人',
  '보낸 사람',
  '보낸사람',
  'من', // ar (Outlook)
  'מאת', // he
  'از', // fa
];
const otherFields = [
  'Sent',
  'Date',
  'To',
  'Subject',
  'Cc',
  'Reply-To', // en
  'Gesendet',
  'Datum',
  'An',
  'Betreff',
  'Kopie', // de
  'Envoyé',
  'Envoye',
  'À',
  'A',
  'Objet',
  "Date d'envoi", // fr (and it "A:")
  'Enviado',
  'Enviada',
  'Fecha',
  'Para',
  'Asunto',
  'Assunto',
  'CC', // es, pt
  'Inviato',
  'Data',
  'Oggetto',
  'Risposta', // it
  'Skickat',
  'Till',
  'Ämne',
  'Sendt',
  'Til',
  'Emne',
  'Lähetetty',
  'Vastaanottaja',
  'Aihe',
  'Надіслано',
  'Кому',
  'Тема', // sv, da/no, fi, uk
  'Verzonden',
  'Aan',
  'Onderwerp', // nl
  'Wysłano',
  'Wysłane',
  'Do',
  'Temat',
  'DW', // pl
  'Отправлено',
  'Дата',
  'Кому',
  'Тема',
  'Копия', // ru
  'Đã gửi',
  'Ngày',
  'Đến',
  'Chủ đề', // vi
  'Gönderildi',
  'Tarih',
  'Kime',
  'Konu',
  'Bilgi', // tr
  'Dikirim',
  'Tanggal',
  'Kepada',
  'Subjek',
  'Perihal', // id
  '发送时间',
  '發送時間',
  '日期',
  '时间',
  '時間',
  '收件人',
  '抄送',
  '主题',
  '主題', // zh-Hans
  '寄件日期',
  '傳送時間',
  '收件者',
  '副本',
  '主旨', // zh-Hant
  '送信日時',
  '宛先',
  '件名',
  '日付',
  'CC', // ja
  '보낸 날짜',
  '날짜',
  '받는 사람',
  '받는사람',
  '참조',
  '제목', // ko
  'تم الإرسال',
  'التاريخ',
  'إلى',
  'نسخة',
  'الموضوع', // ar
  'נשלח',
  'תאריך',
  'אל',
  'עותק',
  'נושא', // he
  'ارسال شده',
  'تاریخ',
  'به',
  'موضوع', // fa
];

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s?');

/** `From:` / `*From:*` / `From：` (full-width colon) / `De :` (French spacing), at the start of a line. */
export const fromFieldLine = new RegExp(`^\\s{0,8}\\*?(?:${fromFields.map(escapeRegex).join('|')})\\*?\\s?[:：]`, 'i');
export const anyFieldLine = new RegExp(`^\\s{0,8}\\*?(?:${[...fromFields, ...otherFields].map(escapeRegex).join('|')})\\*?\\s?[:：]`, 'i');
/** The same block flattened onto one line ("From: X <x@y> Sent: Monday… To: … Subject: …"), as HTML-to-text gives. */
const oneLineFieldBlock = new RegExp(
  `^\\s{0,8}\\*?(?:${fromFields.map(escapeRegex).join('|')})\\*?\\s?[:：].{1,300}?\\s\\*?(?:Sent|Date|Gesendet|Envoyé|Enviado|Inviato|Verzonden|Wysłano|Отправлено|Đã gửi|Gönderildi|Dikirim|发送时间|寄件日期|送信日時|보낸 날짜)\\*?\\s?[:：]`,
  'i',
);

/** Names of the original/forwarded message in "-----Original Message-----" separators. */
const originalNames = [
  'Original Message',
  'Original',
  'Forwarded message',
  'Forwarded Message',
  'Reply Message',
  'Message transféré',
  "Message d'origine",
  'Message original',
  'Ursprüngliche Nachricht',
  'Originalnachricht',
  'Weitergeleitete Nachricht',
  'Mensaje original',
  'Mensaje reenviado',
  'Mensagem original',
  'Mensagem encaminhada',
  'Messaggio originale',
  'Messaggio inoltrato',
  'Oorspronkelijk bericht',
  'Origineel bericht',
  'Doorgestuurd bericht',
  'Wiadomość oryginalna',
  'Oryginalna wiadomość',
  'Przekazana wiadomość',
  'Исходное сообщение',
  'Пересылаемое сообщение',
  'Пересланное сообщение',
  'Thư Gốc',
  'Thư gốc',
  'Tin nhắn gốc',
  'Thư chuyển tiếp',
  'Orijinal Mesaj',
  'Özgün İleti',
  'Özgün ileti',
  'İletilen ileti',
  'Pesan Asli',
  'Pesan asli',
  'Pesan yang diteruskan',
  'Oprindelig meddelelse',
  'Opprinnelig melding',
  'Ursprungligt meddelande',
  '原始邮件',
  '原始郵件',
  '原邮件',
  '回复的原邮件',
  '转发邮件信息',
  '转发的邮件',
  '轉寄的郵件',
  '原始信件',
  '元のメッセージ',
  '転送メッセージ',
  '원본 메시지',
  '전달된 메시지',
  'الرسالة الأصلية',
  'رسالة معاد توجيهها',
  'הודעה מקורית',
  'הודעה שהועברה',
  'پیام اصلی',
];

/** The Request Tracker auto-reply puts the request under a line of this many dashes or more ("a summary of which appears below"). */
const RT_DASHES = 60;

const quoteHeaderTable: readonly QuoteHeader[] = [
  {
    id: 'separator.original',
    langs: ['*'],
    clients: 'Outlook, Exchange, Zimbra, Samsung/Android, QQMail/Foxmail, NetEase, Lotus',
    re: new RegExp(`^\\s{0,8}(?:[-_=*]\\s?){2,40}\\s{0,4}(?:${originalNames.map(escapeRegex).join('|')})\\s{0,4}(?:[-_=*]\\s?){2,40}$`, 'i'),
  },
  {
    id: 'separator.helpdesk',
    langs: ['en'],
    clients: 'helpdesks ("-- Reply above this line --")',
    re: /^\s{0,8}-{2,}\s?reply above this line\s?-{2,}\s*$/i,
  },
  {
    id: 'attribution.on-wrote',
    langs: ['*'],
    clients: 'Gmail, Apple Mail, Thunderbird, Android, Zoho ("---- On … wrote ----"), OTRS, NetEase',
    re: new RegExp(`^.{0,${MAX_HEADER_CHARS}}(?:${wroteVerbs})\\s?(?:[:：]|[:：]?\\s?-{2,})\\s*$`, 'i'),
    // A date, an address, a known opening word, or a name alone ("John Smith wrote:"), not any sentence ending in "wrote:".
    also: /\p{Nd}|@|^\s{0,8}(?:-{2,}\s?)?(?:On|Le|Am|El|Em|Il|Op|W dniu|Dnia|Vào|Pada|Den|At|في|在|於)\s|^\s{0,8}\p{Lu}[\p{L}'’.-]{0,30}(?:\s\p{Lu}[\p{L}'’.-]{0,30}){0,3}\s\p{L}{1,12}(?:\s\p{L}{1,12})?\s?[:：]\s*$/u,
  },
  {
    // Gmail in ru/ja and others: "пн, 5 янв. 2026 г. в 10:00, Иван <ivan@x.ru>:" — a date, an address and a colon.
    id: 'attribution.date-address',
    langs: ['*'],
    clients: 'Gmail (ru, ja, ko, ISO dates "2026-01-05 10:00 GMT+01:00 X <x@y>:")',
    re: /[\w.+-]@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\s?(?:[>\])]|&gt;){0,3}\s?[:：]\s*$/,
    also: /\p{Nd}/u,
  },
  {
    // "Max <max@x.de> schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:", "X <x@y> escreveu em 5 jan 2026:" — the verb before the date.
    id: 'attribution.verb-date',
    langs: ['de', 'pt', 'en', 'pl', 'ru', 'tr'],
    clients: 'Gmail (de, pt), Android',
    re: /(?:schrieb|wrote|escreveu|napisał|написал|пише|пишет|yazdı)\s.{0,120}\d.{0,60}[:：]\s*$/i,
    // An address, or a name of at most four words right before "schrieb am" / "wrote on" (Gmail's apps without the address).
    also: /@|^\s{0,8}\S{1,40}(?:\s{1,3}\S{1,40}){0,3}\s{1,3}(?:schrieb am|wrote on|escreveu em|napisał\(a\)? w dniu)\s/i,
  },
  {
    // "Am 07.05.2012 08:10, schrieb Martin via Znuny Team:", "Op 5 jan. 2026 schreef X het volgende:" — the verb in the middle.
    id: 'attribution.opening-verb',
    langs: ['de', 'nl', 'da', 'no', 'sv', 'fr', 'es', 'pt', 'it', 'pl'],
    clients: 'Thunderbird, Apple Mail, Gmail',
    re: /^\s{0,8}(?:Am|Op|Le|El|Em|Il|Den|W dniu|Dnia)\s.{0,200}\s(?:schrieb|schreef|skrev|a écrit|escribió|escreveu|scritto|napisał|pisze)\s.{0,100}[:：]\s*$/i,
    also: /\d/,
  },
  {
    // Older Gmail: "2013/7/20 sam via Discourse Meta <info@discourse.org>" (no verb, no colon).
    id: 'attribution.date-name-address',
    langs: ['*'],
    clients: 'Gmail (older)',
    re: /^\s{0,8}\d{4}[/-]\d{1,2}[/-]\d{1,2}\s.{0,200}<[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}>\s?[:：]?\s*$/,
  },
  {
    id: 'attribution.at-wrote',
    langs: ['en'],
    clients: 'Eudora, older Outlook ("At 10:00 1/5/2026, X wrote:")',
    re: /^\s{0,8}At\s.{0,200}\bwrote:\s*$/i,
  },
  {
    id: 'block.fields',
    langs: ['*'],
    clients: 'Outlook, Exchange, Outlook.com, Lotus, Zimbra (From:/Sent:/To:/Subject: in each language, full-width colon)',
    re: fromFieldLine,
  },
  {
    id: 'block.one-line',
    langs: ['*'],
    clients: 'Outlook blocks flattened by HTML-to-text, Android one-line headers',
    re: oneLineFieldBlock,
  },
  {
    id: 'separator.outlook-underscores',
    langs: ['*'],
    clients: 'Outlook ("________________________________" above From:), mailing-list footers',
    re: /^\s{0,8}_{10,}\s*$/,
  },
];

/** Where a one-line forward/reply separator starts inside a longer line ("Sent from my phone.-------- Original message --------From: …"). */
export const midLineSeparator = new RegExp(`(?:-{2,40}|_{10,40})\\s{0,4}(?:${originalNames.map(escapeRegex).join('|')})\\s{0,4}-{2,40}`, 'i');
/** Where an "On … wrote:" attribution starts at the end of a longer line ("Thanks! On Mon, 5 Jan 2026 … wrote:"). */
export const midLineOnWrote =
  /(?:^|[.!?。！？]\s{0,4}|\s)((?:On|Le|Am|El|Em|Il|Op|Vào|W dniu|Dnia|في|在|於)\s.{4,240}(?:wrote|a écrit|schrieb|escribió|escreveu|ha scritto|schreef|napisał|pisze|đã viết|كتب|写道|寫道)\s?[:：])\s*$/;

/** The helpdesk's "reply above this line" marker line itself: dropped, it is neither quote nor own words. */
export const helpdeskMarker =
  /^\s{0,8}#{2,}-?.{0,60}(?:reply above this line|在此行上方回复|請在此行上方回覆|請在此行上方回复|antworten sie oberhalb dieser zeile|répondez au-dessus de cette ligne).{0,20}-?#{2,}\s*$/i;

/** Sign-off lines after which a short block is a signature. */
export const signOff =
  /^\s{0,8}(?:best(?: regards| wishes)?|kind(?:est)? regards|warm(?:est)? regards|regards|many thanks|thanks(?: again| so much| a lot)?|thank you(?: again)?|cheers|sincerely(?: yours)?|yours(?: sincerely| truly)?|all the best|br|rgds|mit freundlichen grüßen|viele grüße|beste grüße|gruß|cordialement|bien à vous|salutations|saludos(?: cordiales)?|atentamente|un saludo|atenciosamente|abraços|cumprimentos|cordiali saluti|distinti saluti|saluti|met vriendelijke groet(?:en)?|groeten|pozdrawiam|z poważaniem|с уважением|спасибо|trân trọng|cảm ơn|saygılarımla|iyi çalışmalar|salam|hormat saya|terima kasih|谢谢|謝謝|祝好|此致敬礼|此致|顺祝商祺|順祝商祺|よろしくお願いいたします|よろしくお願いします|감사합니다)\s?[,.!，。！]?\s*$/i;
/** "Sent from my iPhone" and friends: a client's footer, not the sender's words. */
export const clientFooter =
  /^\s{0,8}(?:sent from (?:my |mail for |outlook|yahoo|the )|get outlook for |von meinem .{1,40} gesendet|gesendet von |envoyé de mon |envoyé depuis |enviado desde |enviado do meu |inviato da |verzonden (?:met|vanaf) |verstuurd vanaf |wysłane z |отправлено с |gửi từ |được gửi từ |sent via the |(?:iphone|ipad)'umdan gönderildi|dikirim dari |skickat från |sendt fra |lähetetty |发自我的|从我的|從我的 ?iphone 傳送|來自我的|寄自我的|(?:iphone|ipad)から送信|(?:iphone|ipad|android)에서 보냄|أ?\u064f?رسلت من |مرسل من |נשלח מה)/iu;

/**
 * Characters that change nothing a reader sees: bidirectional marks and embeddings (RTL clients put them around
 * quote headers: "‫في … كتب:‬"), zero-width spaces, byte-order marks. Removed before the text is split.
 */
const invisible = /[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]/g;
export const withoutInvisible = (text: string): string => text.replace(invisible, '');

/** A line is joined with at most this many following ones to find a header wrapped by the client ("On … <" / "x@y> wrote:"). */
const WRAP_LINES = 2;
const WRAP_MAX_CHARS = 200;
const openingWord = /^\s{0,8}(?:-{2,}\s?)?(?:On|Le|Am|El|Em|Il|Op|W dniu|Dnia|Vào|Pada|Den|At|في|在|於)\s/i;
/** A line that can begin a wrapped header: a known opening word, or a date or an address in it. */
const wrapStart = /^\s{0,8}(?:-{2,}\s?)?(?:On|Le|Am|El|Em|Il|Op|W dniu|Dnia|Vào|Pada|Den|At|في|在|於)\s|\p{Nd}|@|<\s*$/iu;
export const quoteMark = /^\s{0,8}>/;
const rtDashes = new RegExp(`^\\s{0,8}-{${RT_DASHES},}\\s*$`);
const anySeparator = /^\s{0,8}([=*#~_-])\1{19,}\s*$/;
const refersBelow =
  /\b(?:below|underneath)\b|以下|如下|下方|unten|ci-dessous|a continuación|abaixo|di seguito|hieronder|poniżej|ниже|bên dưới|aşağıda|di bawah/i;

function headerMatch(line: string, h: QuoteHeader): boolean {
  return line.length <= MAX_HEADER_CHARS && h.re.test(line) && (h.also === undefined || h.also.test(line));
}

const singleLine = quoteHeaderTable.filter(
  (h) => h.id.startsWith('separator.original') || h.id.startsWith('separator.helpdesk') || h.id.startsWith('attribution.') || h.id === 'block.one-line',
);
const attributions = quoteHeaderTable.filter((h) => h.id.startsWith('attribution.'));

/**
 * Whether quoted text opens with a mail program's attribution ("On … wrote:", "Am … schrieb …:", wrapped over up to
 * three lines): what a person's reply button writes. Helpdesks and list robots quote under separators instead.
 */
export function opensWithAttribution(quoted: string): boolean {
  const lines = quoted
    .split('\n', 8)
    .filter((l) => l.trim() !== '')
    .slice(0, 3);
  for (let n = 1; n <= lines.length; n++) {
    const joined = lines
      .slice(0, n)
      .map((l) => l.trim())
      .join(' ');
    if (attributions.some((h) => headerMatch(joined, h))) return true;
  }
  return false;
}

/** How many lines starting at `i` form a quote header (0: none). `freshSoFar` is the text above, for the RT form. */
export function quoteHeaderAt(lines: readonly string[], i: number, freshSoFar: () => string = () => ''): number {
  const line = lines[i] ?? '';
  if (line.trim() === '' || line.length > MAX_HEADER_CHARS) return 0;
  if (singleLine.some((h) => headerMatch(line, h))) return 1;
  if (fromFieldLine.test(line) || anyFieldLine.test(line)) {
    // A header block: a sender field plus at least one more field within the next few lines (any order: "Gesendet: / Von:").
    let fields = 1;
    let from = fromFieldLine.test(line);
    for (let k = i + 1; k <= i + 5 && k < lines.length; k++) {
      const next = lines[k] ?? '';
      if (next.trim() === '') continue;
      if (!anyFieldLine.test(next)) break;
      fields++;
      if (fromFieldLine.test(next)) from = true;
    }
    if (from && (fields >= 3 || (fields >= 2 && fromFieldLine.test(line)))) return 1;
  }
  // Outlook's "________________________________" above a From: block; mailing-list footers use the same line.
  if (/^\s{0,8}_{10,}\s*$/.test(line)) return 1;
  if (rtDashes.test(line) && refersBelow.test(freshSoFar().slice(-2000)) && !lines.slice(i + 1, i + 400).some((l) => anySeparator.test(l))) return 1;
  if (wrapStart.test(line) && line.length <= WRAP_MAX_CHARS) {
    let joined = line;
    for (let n = 1; n <= WRAP_LINES && i + n < lines.length; n++) {
      const next = lines[i + n] ?? '';
      if (n === 1 && i > 0 && openingWord.test(next) && !openingWord.test(line)) break; // the header starts on the next line
      if (next.trim() === '' || next.length > WRAP_MAX_CHARS || (quoteMark.test(next) && !/^\s{0,8}>{1,2}\s?[:：]\s*$/.test(next))) break;
      joined = `${joined.trimEnd()} ${next.trim()}`;
      if (attributions.some((h) => headerMatch(joined, h))) return n + 1;
    }
  }
  return 0;
}
