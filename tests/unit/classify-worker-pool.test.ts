// The classifier pool: parses and classifies on a worker thread as on the main one, gives up a message past its deadline
// (replacing the worker), bounds its queue and closes cleanly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClassifierPool, type ClassifierPool } from '../../src/classify/worker-pool.ts';
import { parseMail } from '../../src/classify/parse.ts';
import { classifyEmail } from '../../src/classify/classify-email.ts';
import { fingerprintOf } from '../../src/classify/fingerprint.ts';
import { readLabels } from '../../src/classify/evaluate.ts';
import type { ReplyContext } from '../../src/classify/types.ts';

const corpus = 'tests/fixtures/mail';
const ctx: ReplyContext = { receivedAt: Date.UTC(2026, 2, 10), fastReplyMs: 60_000 };
const reply = (body: string, subject = 'Re: keys') =>
  Buffer.from(`From: Priya <priya@acme.test>\r\nTo: probes@firstreply.test\r\nSubject: ${subject}\r\nMessage-ID: <r1@acme.test>\r\n\r\n${body}`);

let pool: ClassifierPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('classifier pool', () => {
  it('parses and classifies on a worker exactly as on the main thread', async () => {
    pool = createClassifierPool({ size: 2 });
    const files = readLabels(corpus)
      .slice(0, 12)
      .map((l) => readFileSync(join(corpus, l.file)));
    for (const raw of files) {
      const here = await parseMail(raw);
      const there = await pool.parse(raw);
      expect(there).toEqual(here);
      expect(await pool.classify(there, ctx)).toEqual(classifyEmail(here, ctx));
    }
  });

  it('passes the template memory across (a Map travels as entries)', async () => {
    pool = createClassifierPool();
    const text = 'We have received your request and one of our agents will get back to you within 24 hours. Meanwhile, browse our help center.';
    const mail = await pool.parse(reply(text));
    const print = fingerprintOf(mail.text);
    expect(print).toBeDefined();
    const templates = new Map([[print ?? '', { label: 'auto_ack' as const, seen: 4, fastSeen: 4, pacedSeen: 0 }]]);
    const withMemory: ReplyContext = { ...ctx, vendor: 'acme', sentAt: ctx.receivedAt - 5_000, templates };
    const result = await pool.classify(mail, withMemory);
    expect(result.signals.map((s) => s.rule)).toContain('fingerprint.template');
    expect(result).toEqual(classifyEmail(mail, withMemory));
  });

  it('gives up a message past its deadline, replaces the worker and goes on', async () => {
    pool = createClassifierPool({ timeoutMs: 1_000, entry: new URL('../helpers/hanging-classify-worker.mjs', import.meta.url) });
    expect((await pool.parse(reply('warm up'))).text).toContain('warm up');
    const started = Date.now();
    await expect(pool.parse(reply('HANG-FOREVER'))).rejects.toMatchObject({ code: 'ABORTED', message: 'classification took longer than 1000 ms' });
    // The worker never answers: any finite wait shows the deadline acted (a loose bound: a loaded machine starts workers slowly).
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((await pool.parse(reply('after the hang'))).text).toContain('after the hang');
  });

  it('refuses work beyond its queue and after close', async () => {
    pool = createClassifierPool({ maxQueue: 2 });
    const jobs = [pool.parse(reply('one')), pool.parse(reply('two'))];
    await expect(pool.parse(reply('three'))).rejects.toMatchObject({ code: 'ABORTED' });
    expect((await Promise.all(jobs)).map((m) => m.text.trim())).toEqual(['one', 'two']);
    await pool.close();
    await expect(pool.parse(reply('four'))).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('close() fails the jobs still waiting and stops the workers', async () => {
    pool = createClassifierPool();
    const waiting = expect(pool.parse(reply('never read'))).rejects.toMatchObject({ code: 'ABORTED', message: 'the classifier pool is closed' });
    await pool.close();
    await waiting;
  });
});
