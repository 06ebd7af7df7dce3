// Bounded memory: messages larger than max_message_bytes are fetched only up to it, stored flagged truncated, and the
// watcher goes on; subjects and header JSON are stored cut. Parsing and classifying run on the worker pool, as in main.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailWatcher } from '../../src/watch/imap.ts';
import { createClassifierPool, type ClassifierPool } from '../../src/classify/worker-pool.ts';
import { classifyElsewhereAndRemember } from '../../src/replies/template-memory.ts';
import { openEmailWorld, probeAddress, rawReply, until, worldWatcher, type EmailWorld } from './email-fixtures.ts';

let world: EmailWorld | undefined;
let watcher: MailWatcher | undefined;
let pool: ClassifierPool | undefined;

afterEach(async () => {
  await watcher?.stop();
  await pool?.close();
  await world?.close();
  watcher = undefined;
  pool = undefined;
  world = undefined;
});

const MB = 1024 * 1024;

/** A reply to the probe carrying `bytes` of attachment (random, so every message is distinct). */
function bigReply(inReplyTo: string, n: number, bytes: number): Buffer {
  const head = rawReply({
    subject: `Re: How do we rotate stream keys? (log ${n})`,
    inReplyTo,
    contentType: 'multipart/mixed; boundary="b1"',
    body: '',
  });
  const attachment = randomBytes(Math.ceil((bytes * 3) / 4))
    .toString('base64')
    .replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    `${head}--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi Sam,\r\n\r\nI attached the encoder log you asked for (${n}).\r\n\r\nBest regards,\r\nPriya\r\n--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="log.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b1--\r\n`,
  );
}

const rows = (w: EmailWorld) =>
  w.store.db
    .prepare<
      [],
      {
        uid: number;
        subject: string | null;
        size: number;
        truncated: number;
        raw_path: string | null;
        headers: string | null;
        label: string;
        probe_id: number | null;
      }
    >('SELECT uid, subject, size, truncated, raw_path, headers, label, probe_id FROM messages ORDER BY uid')
    .all();

describe('large messages', () => {
  it('stores 25 MB messages cut at max_message_bytes with the flag, and goes on to the next reply', async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    const maxBytes = w.settings.mailboxes.default?.max_message_bytes ?? 0;
    expect(maxBytes).toBe(4 * MB);
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    const inReplyTo = probe.message_id ?? '';
    for (let n = 1; n <= 3; n++) await w.stack.deliver(probeAddress, bigReply(inReplyTo, n, 25 * MB));
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `Re: ${'long subject '.repeat(10_000)}`,
        inReplyTo,
        headers: { 'X-Padding': 'p'.repeat(200_000) },
        body: 'One more thing: the old key stays valid for an hour.\n\nPriya',
      }),
    );
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: 'Re: How do we rotate stream keys?',
        inReplyTo,
        body: 'Hi Sam,\n\nadd a second key, switch the encoder to it, then revoke the old one.\n\nBest regards,\nPriya',
      }),
    );

    const activePool = (pool = createClassifierPool());
    watcher = worldWatcher(w, {
      parse: (raw) => activePool.parse(raw),
      classify: (mail, context) => classifyElsewhereAndRemember(w.store, mail, context, (m, c) => activePool.classify(m, c)),
    });
    await watcher.start();
    const stored = await until(w.store, () => (rows(w).length === 5 ? rows(w) : undefined), 60_000, 'five stored messages');

    for (const big of stored.slice(0, 3)) {
      expect(big.truncated).toBe(1);
      expect(big.size).toBeGreaterThan(25 * MB);
      expect(big.probe_id).toBe(probe.id);
      expect(statSync(big.raw_path ?? '').size).toBe(maxBytes);
    }
    const [, , , longSubject, last] = stored;
    expect(longSubject?.truncated).toBe(0);
    expect(longSubject?.subject?.length).toBeLessThanOrEqual(2_000);
    expect(longSubject?.headers?.length).toBeLessThanOrEqual(64 * 1024);
    expect(last?.truncated).toBe(0);
    expect(last?.label).toBe('human');
    expect(w.store.probes.get(probe.id)?.state).toBe('answered');
  });
});
