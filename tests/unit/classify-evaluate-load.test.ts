// Public fixtures that are only a body (no header block) are read as a body, whatever their file name.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport, classifyInOrder, formatReport, loadCorpus } from '../../src/classify/evaluate.ts';
import { classifyEmail } from '../../src/classify/classify-email.ts';

const dir = mkdtempSync(join(tmpdir(), 'fr-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCorpus', () => {
  it('reads an HTML body, a plain body without extension and a whole message each as what it is', async () => {
    writeFileSync(join(dir, 'reply.html'), '<div>\n<div>Dear Ben,</div><div>I just realized we never replied.</div>\n</div>\n');
    writeFileSync(join(dir, 'note'), 'Thanks, that fixed it.\n\nOn Tue, Bob wrote:\n> try again\n');
    writeFileSync(join(dir, 'whole.eml'), 'From: Ann <ann@example.com>\r\nSubject: Re: x\r\n\r\nDone.\r\n');
    writeFileSync(join(dir, 'labels.tsv'), 'reply.html\thuman\tbody only\nnote\thuman\tbody only\nwhole.eml\thuman\twhole\n');
    const mails = new Map((await loadCorpus(dir)).map((m) => [m.file, m.mail]));
    expect(mails.get('reply.html')?.contentType).toMatch(/text\/html/);
    expect(mails.get('reply.html')?.text).toContain('Dear Ben,');
    expect(mails.get('reply.html')?.text).not.toContain('<div>');
    expect(mails.get('note')?.text).toContain('Thanks, that fixed it.');
    expect(mails.get('whole.eml')?.from?.address).toBe('ann@example.com');
    expect(mails.get('whole.eml')?.text.trim()).toBe('Done.');
  });

  it('tells replies, first messages and header-less bodies apart, and reports each', async () => {
    const shapes = mkdtempSync(join(tmpdir(), 'fr-shape-'));
    try {
      writeFileSync(join(shapes, 'body.txt'), 'Thanks, that fixed it.\n');
      writeFileSync(join(shapes, 'reply.eml'), 'From: Ann <ann@example.com>\r\nSubject: Stream drops\r\nIn-Reply-To: <1@example.com>\r\n\r\nDone.\r\n');
      writeFileSync(join(shapes, 'quoting.eml'), 'From: Ann <ann@example.com>\r\nSubject: Stream\r\n\r\nDone.\r\n\r\nOn Tue, Bob wrote:\r\n> try again\r\n');
      writeFileSync(join(shapes, 'first.eml'), 'From: Ann <ann@example.com>\r\nSubject: Stream drops\r\n\r\nThe stream drops every minute.\r\n');
      writeFileSync(join(shapes, 'labels.tsv'), 'body.txt\thuman\tb\nreply.eml\thuman\tr\nquoting.eml\thuman\tq\nfirst.eml\tauto_ack\tf\n');
      const corpus = await loadCorpus(shapes);
      expect(Object.fromEntries(corpus.map((m) => [m.file, m.shape]))).toEqual({
        'body.txt': 'body',
        'first.eml': 'first',
        'quoting.eml': 'reply',
        'reply.eml': 'reply',
      });
      const report = buildReport(
        shapes,
        'firstreply',
        classifyInOrder(corpus, (mail, ctx) => classifyEmail(mail, ctx)),
      );
      expect(report.perShape.reply?.humanCount).toBe(2);
      expect(report.perShape.first?.automaticCount).toBe(1);
      expect(report.perShape.body?.n).toBe(1);
      expect(formatReport(report)).toMatch(/\[a reply or quoting one\] n=2 .*\n.*\[a first message\] n=1 .*\n.*\[a body without headers\] n=1 /);
    } finally {
      rmSync(shapes, { recursive: true, force: true });
    }
  });
});
