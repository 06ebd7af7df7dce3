// HTML quotes: the sender's own part of an HTML mail, with quoted earlier messages removed by their markup
// (blockquote, Gmail, Outlook, Apple, Yahoo, Thunderbird, Zimbra, Hotmail) or cut at a quote header in the text.
import { Parser } from 'htmlparser2';
import { fromFieldLine, quoteHeaderAt } from './quote-headers.ts';

/** HTML beyond this is not read (the parser caps mail HTML at 256 KB already). */
const MAX_HTML_QUOTE_CHARS = 256 * 1024;

interface HtmlQuoteSplit {
  /** The HTML without quoted blocks and without everything after a reply/forward header. */
  freshHtml: string;
  /** The text of freshHtml. */
  freshText: string;
  /** The text of what was removed. */
  quotedText: string;
  /** True when a quote was found (by markup or by a header in the text). */
  found: boolean;
}

/** Class names of elements that hold a quoted message (Outlook on the web prefixes them with `x_`). */
const quoteClass =
  /^(?:x_)?(?:gmail_quote|yahoo_quoted|moz-cite-prefix|protonmail_quote|zmail_extra|freshdesk_quote|OutlookMessageHeader|mail-editor-reference-message-container|tutanota_quote|AppleOriginalContents)$/i;
const quoteId = /^(?:x_)?(?:yahoo_quoted|OLK_SRC_BODY_SECTION|isForwardContent|reply-intro|origbody)/i;
/** Elements from which everything to the end is the earlier message (Outlook, Hotmail, Zimbra). */
const cutId = /^(?:x_)?(?:divRplyFwdMsg|appendonsend|stopSpelling|zwchr|OLK_SRC_BODY_SECTION|mail-editor-reference-message-container)$/i;
const blockTags = new Set([
  'p',
  'div',
  'tr',
  'li',
  'ul',
  'ol',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'hr',
  'pre',
  'section',
  'article',
  'header',
  'footer',
]);
const hiddenTags = new Set(['script', 'style', 'head', 'title', 'template']);

interface Open {
  name: string;
  start: number;
  quote: boolean;
  borderTop: boolean;
  sawText: boolean;
}

function isQuoteElement(name: string, attribs: Record<string, string>): boolean {
  if (name === 'blockquote') return true;
  if ((attribs.type ?? '').toLowerCase() === 'cite') return true;
  if ((attribs.class ?? '').split(/\s+/).some((c) => quoteClass.test(c))) return true;
  return quoteId.test(attribs.id ?? '');
}

/** Splits HTML into the sender's own part and quoted material. */
export function splitHtmlQuotes(html: string): HtmlQuoteSplit {
  const input = html.length > MAX_HTML_QUOTE_CHARS ? html.slice(0, MAX_HTML_QUOTE_CHARS) : html;
  const removed: Array<[number, number]> = [];
  const stack: Open[] = [];
  const bordered: Open[] = [];
  let quoteDepth = 0; // >0 while inside a quote element (its index + 1 in the stack)
  let hiddenDepth = 0;
  let cutAt: number | undefined;
  // Text outside quote elements, by line, each line with the HTML offset where it starts.
  const lines: string[] = [''];
  const lineStart: number[] = [0];
  const quotedParts: string[] = [];
  const afterCutParts: string[] = [];
  const newline = (at: number) => {
    if ((lines[lines.length - 1] ?? '') !== '') {
      lines.push('');
      lineStart.push(at);
    } else lineStart[lineStart.length - 1] = at;
  };
  const parser: Parser = new Parser(
    {
      onopentag(name, attribs) {
        const start = parser.startIndex;
        if (cutAt === undefined && quoteDepth === 0 && cutId.test(attribs.id ?? '')) cutAt = start;
        const style = (attribs.style ?? '').toLowerCase();
        const open: Open = {
          name,
          start,
          quote: false,
          borderTop: style.includes('border-top') && !style.includes('border-top:none') && !style.includes('border-top: none'),
          sawText: false,
        };
        if (quoteDepth === 0 && cutAt === undefined && isQuoteElement(name, attribs)) {
          open.quote = true;
          quoteDepth = stack.length + 1;
        }
        stack.push(open);
        if (open.borderTop) bordered.push(open);
        if (hiddenTags.has(name)) hiddenDepth++;
        if (quoteDepth === 0 && (name === 'br' || blockTags.has(name))) newline(start);
      },
      onclosetag(name) {
        const open = stack.pop();
        if (!open) return;
        if (open.borderTop && !open.sawText) bordered.splice(bordered.indexOf(open) >>> 0, 1);
        if (hiddenTags.has(open.name)) hiddenDepth = Math.max(0, hiddenDepth - 1);
        if (open.quote) {
          removed.push([open.start, Math.min(input.length, parser.endIndex + 1)]);
          quoteDepth = 0;
        } else if (quoteDepth === 0 && blockTags.has(name)) newline(parser.endIndex + 1);
      },
      ontext(data) {
        if (hiddenDepth > 0) return;
        if (quoteDepth > 0) {
          quotedParts.push(data);
          return;
        }
        if (cutAt !== undefined) {
          afterCutParts.push(data);
          return;
        }
        // Outlook's reply header: a div with a top border whose first words are "From:" (any language).
        // Only bordered elements still waiting for their first words are looked at (never the whole stack: unclosed
        // tags, "<b@c.d>" in plain text among them, would make that quadratic).
        if (data.trim() !== '' && bordered.length > 0) {
          const waiting = bordered.splice(0);
          for (const open of waiting) {
            open.sawText = true;
            if (fromFieldLine.test(data)) {
              cutAt = open.start;
              afterCutParts.push(data);
              return;
            }
          }
        }
        // Line breaks in HTML source are spaces; only <br> and block elements end a line.
        lines[lines.length - 1] += data.replace(/[\s\u00a0]+/g, ' ');
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(input);
  parser.end();
  // A quote element still open at the end runs to the end.
  const unclosed = stack.find((o) => o.quote);
  if (unclosed) removed.push([unclosed.start, input.length]);

  // Headers in the text (QQMail's "------------------ 原始邮件 ------------------", "On … wrote:", Outlook blocks).
  let freshLines = lines.length;
  const trimmed = lines.map((l) => l.trim());
  for (let i = 0; i < trimmed.length; i++) {
    if (lineStart[i] !== undefined && cutAt !== undefined && (lineStart[i] ?? 0) >= cutAt) {
      freshLines = i;
      break;
    }
    if (quoteHeaderAt(trimmed, i, () => trimmed.slice(Math.max(0, i - 40), i).join('\n')) > 0) {
      freshLines = i;
      const at = lineStart[i] ?? input.length;
      if (cutAt === undefined || at < cutAt) cutAt = at;
      break;
    }
  }
  const end = cutAt ?? input.length;
  let freshHtml = '';
  let pos = 0;
  for (const [a, b] of removed.sort((x, y) => x[0] - y[0])) {
    if (a >= end) break;
    if (a >= pos) freshHtml += input.slice(pos, a);
    pos = Math.max(pos, b);
  }
  if (pos < end) freshHtml += input.slice(pos, end);
  const freshText = trimmed
    .slice(0, freshLines)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const afterCut = trimmed.slice(freshLines).join('\n');
  const quotedText = `${quotedParts.join(' ')}\n${afterCut}\n${afterCutParts.join(' ')}`
    .replace(/[\t\u00a0 ]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { freshHtml, freshText, quotedText, found: removed.length > 0 || cutAt !== undefined };
}
