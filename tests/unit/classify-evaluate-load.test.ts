// Public fixtures that are only a body (no header block) are read as a body, whatever their file name.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/classify/evaluate.ts';

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
});
