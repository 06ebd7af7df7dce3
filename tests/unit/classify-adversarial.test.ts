// Hostile text never takes super-linear time: every rule family, the view, fingerprints, the parser and matching, at 25 and 100 KB.
import { describe, expect, it } from 'vitest';
import { ruleFamilies } from '../../src/classify/classify-email.ts';
import { buildView, type MailView } from '../../src/classify/view.ts';
import { fingerprintOf } from '../../src/classify/fingerprint.ts';
import { parseMail, MAX_HEADER_VALUE_CHARS, MAX_SUBJECT_CHARS } from '../../src/classify/parse.ts';
import { htmlToText } from '../../src/classify/mime.ts';
import { matchProbe, subjectTags, type MatchLookups } from '../../src/watch/match.ts';
import type { ParsedMail, ReplyContext } from '../../src/classify/types.ts';
import type { TemplateMemory } from '../../src/store/fingerprints.ts';

/** Inputs of about `n` characters that make backtracking patterns quadratic or worse. */
const hostile: Record<string, (n: number) => string> = {
  letters: (n) => 'a'.repeat(n),
  NULs: (n) => '\0'.repeat(n),
  '&amp;': (n) => '&amp;'.repeat(n / 5),
  'digits+letters': (n) => 'a1'.repeat(n / 2),
  '> and spaces': (n) => '> '.repeat(n / 2),
  'On repeated': (n) => 'On '.repeat(n / 3),
  'CJK without spaces': (n) => '您好请问工单'.repeat(n / 6),
  spaces: (n) => ' '.repeat(n),
  'unclosed tags': (n) => '<'.repeat(n),
  '<a without >': (n) => '<a '.repeat(n / 3),
  'open comments': (n) => '<!--'.repeat(n / 4),
  'open scripts': (n) => '<script'.repeat(n / 7),
  'open blockquotes': (n) => '<blockquote'.repeat(n / 11),
  'addresses without domain': (n) => 'a.b@'.repeat(n / 4),
  'wrote lines': (n) => 'On Mon x wrote:\n'.repeat(n / 16),
  'request + spaces': (n) => `request ${' '.repeat(n - 20)} #`,
};

const SMALL = 25_000;
const LARGE = 100_000;
/** Linear work grows 4× from 25 to 100 KB, quadratic 16×; below this the clock's noise decides. */
const MAX_RATIO = 8;
const FLOOR_MS = 10;
/** A load spike on a shared machine can slow one measurement: a pattern must fail every attempt to be called super-linear. */
const ATTEMPTS = 3;
const MAX_CALL_MS = 2_000;

async function elapsed(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** The fastest of three runs (another process on the machine only ever makes a run slower). */
async function fastest(fn: () => unknown): Promise<number> {
  return Math.min(await elapsed(fn), await elapsed(fn), await elapsed(fn));
}

/** Asserts linear growth: the 100 KB call costs at most MAX_RATIO × the 25 KB one, and each stays under 2 s. */
async function expectLinear(what: string, run: (input: string) => unknown, make: (n: number) => string): Promise<void> {
  const small = make(SMALL);
  const large = make(LARGE);
  await run(make(1000));
  let worst = '';
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // A quadratic pattern already takes seconds at 25 KB (or at 100 KB): stop at the first slow call rather than wait minutes.
    const smallMs = await elapsed(() => run(small));
    expect(smallMs, `${what} at 25 KB`).toBeLessThan(MAX_CALL_MS);
    const largeMs = await elapsed(() => run(large));
    expect(largeMs, `${what} at 100 KB`).toBeLessThan(MAX_CALL_MS);
    const smallBest = Math.min(smallMs, await fastest(() => run(small)));
    const largeBest = Math.min(largeMs, await fastest(() => run(large)));
    if (largeBest / Math.max(smallBest, FLOOR_MS) < MAX_RATIO) return;
    worst = `${smallBest.toFixed(1)} ms at 25 KB, ${largeBest.toFixed(1)} ms at 100 KB`;
  }
  expect.fail(`${what} grows faster than linearly: ${worst}`);
}

const templates = new Map<string, TemplateMemory>([['0123456789abcdef0123', { label: 'auto_ack', seen: 3, fastSeen: 2, pacedSeen: 1 }]]);
const ctx: ReplyContext = {
  sentAt: Date.UTC(2026, 2, 10),
  receivedAt: Date.UTC(2026, 2, 10) + 90_000,
  receivedResolutionMs: 1000,
  fastReplyMs: 60_000,
  vendor: 'acme',
  probeSubject: 'How do we rotate stream keys? (ref FR-ABCDEFGH)',
  probeBody: 'Hello,\n\nhow do we rotate stream keys?\n\nThanks,\nSam',
  threadPosition: 0,
  templates,
};

const fields = ['text', 'html', 'subject', 'header'] as const;
type Field = (typeof fields)[number];

function mailWith(field: Field, input: string): ParsedMail {
  const mail: ParsedMail = {
    references: ['<a@b>'],
    subject: 'Re: rotate stream keys',
    to: ['probes@firstreply.test'],
    text: 'Thanks, looking into it.',
    contentType: 'text/plain',
    size: 1,
    from: { address: 'agent@acme.test', name: 'Priya Raman' },
    inReplyTo: '<x@y>',
    headers: { from: ['Priya Raman <agent@acme.test>'], subject: ['Re: rotate stream keys'], 'x-mailer': ['Thunderbird'] },
  };
  if (field === 'text') mail.text = input;
  if (field === 'html') {
    mail.html = `<html><body><div>${input}</div></body></html>`;
    mail.contentType = 'text/html';
  }
  if (field === 'subject') {
    mail.subject = input;
    mail.headers.subject = [input];
  }
  if (field === 'header') {
    for (const name of [
      'from',
      'x-mailer',
      'user-agent',
      'auto-submitted',
      'precedence',
      'list-id',
      'list-unsubscribe',
      'return-path',
      'received',
      'x-autoreply',
      'message-id',
      'references',
    ])
      mail.headers[name] = [input];
    mail.from = { address: `${input}@acme.test`, name: input };
  }
  return mail;
}

describe('rule families on hostile input grow linearly', () => {
  for (const [family, rule] of Object.entries(ruleFamilies)) {
    for (const [name, make] of Object.entries(hostile)) {
      it(`${family}: ${name}`, async () => {
        for (const field of fields) {
          // The view is built outside the timing: each family is measured alone (buildView has its own test).
          const views = new Map<string, MailView>([1000, SMALL, LARGE].map((n) => [make(n), buildView(mailWith(field, make(n)), ctx)]));
          const viewOf = (input: string) => views.get(input) ?? buildView(mailWith(field, input), ctx);
          await expectLinear(
            `${family} (${field})`,
            (input) => rule(viewOf(input)),
            (n) => make(n),
          );
        }
      });
    }
  }
});

describe('the view, fingerprints, parsing and matching on hostile input grow linearly', () => {
  const lookups: MatchLookups = { byMessageId: () => undefined, byToken: () => undefined, byTicket: () => [], byRef: () => [], probeOfReply: () => undefined };
  const raw = (field: Field | 'from', input: string): Buffer => {
    const head = ['From: Priya <agent@acme.test>', 'To: probes@firstreply.test', 'Subject: Re: keys', 'Message-ID: <r1@acme.test>'];
    if (field === 'subject') head[2] = `Subject: ${input}`;
    if (field === 'from') head[0] = `From: ${input}`;
    if (field === 'header') head.push(`X-Long: ${input}`, `References: ${input}`, `Content-Type: text/plain; charset=${input.slice(0, 50_000)}`);
    if (field === 'html') head.push('Content-Type: text/html; charset=utf-8');
    const body = field === 'text' || field === 'html' ? input : 'Thanks, looking into it.';
    return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`);
  };
  for (const [name, make] of Object.entries(hostile)) {
    it(`buildView: ${name}`, async () => {
      for (const field of fields) await expectLinear(`buildView (${field})`, (input) => buildView(mailWith(field, input), ctx), make);
    });
    it(`fingerprintOf: ${name}`, async () => {
      await expectLinear('fingerprintOf', (input) => fingerprintOf(input), make);
    });
    it(`parseMail: ${name}`, async () => {
      for (const field of [...fields, 'from'] as const) await expectLinear(`parseMail (${field})`, (input) => parseMail(raw(field, input)), make);
    });
    it(`htmlToText: ${name}`, async () => {
      await expectLinear('htmlToText', (input) => htmlToText(input), make);
    });
    it(`matchProbe and subjectTags: ${name}`, async () => {
      for (const field of fields)
        await expectLinear(
          `matchProbe (${field})`,
          (input) => matchProbe(mailWith(field, input), lookups, { plusAddressing: true, raw: Buffer.from(input) }),
          make,
        );
      await expectLinear('subjectTags', (input) => subjectTags(input), make);
    });
  }
});

describe('inputs are capped at the classifier edge', () => {
  it('cuts a long subject and long header values, and says so', async () => {
    const mail = await parseMail(Buffer.from(`From: a@acme.test\r\nSubject: ${'s'.repeat(1_000_000)}\r\nX-Long: ${'h'.repeat(200_000)}\r\n\r\nhello`));
    expect(mail.subject.length).toBe(MAX_SUBJECT_CHARS);
    expect(mail.headers['x-long']?.[0]?.length).toBeLessThanOrEqual(MAX_HEADER_VALUE_CHARS);
    expect(mail.truncated).toBe(true);
    expect(mail.text).toBe('hello');
  });

  it('keeps what htmlToText must keep when the markup is hostile', () => {
    expect(htmlToText('<p>Hi</p><script>x()</script><!-- note --><div>there</div>')).toBe('Hi\n\nthere');
    expect(htmlToText('a <script> never closed')).toBe('a never closed');
    expect(htmlToText('<style>p{}</style >b<br/>c')).toBe('b\nc');
  });
});
