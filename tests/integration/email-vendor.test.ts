// The demo's simulated vendors: the scripts in probes/demo drive real replies through the mail stack, on an injected clock and timers.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { ManualClock, SECOND } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { loadCatalog } from '../../src/config/load.ts';
import { startMailStack, type MailStack } from '../../src/sandbox/mail-stack.ts';
import { startMailVendors, type Timers, type VendorReply } from '../../src/sandbox/mail-vendor.ts';
import { withFolder } from '../../src/watch/imap-client.ts';
import { settingsSchema } from '../../src/config/schema.ts';

let stack: MailStack | undefined;
let dir: string | undefined;
afterEach(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  stack = dir = undefined;
});

/** Timers that only record what was scheduled; the test fires them, so no test waits for a script's delays. */
function recordingTimers() {
  const scheduled: Array<{ ms: number; fire: () => void }> = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const timers: Timers = {
    setTimeout(fn, ms) {
      scheduled.push({ ms, fire: fn });
      for (const w of waiters.filter((x) => scheduled.length >= x.count)) w.resolve();
      return setTimeout(() => undefined, 0);
    },
    clearTimeout: (handle) => clearTimeout(handle),
  };
  const scheduledCount = (count: number) =>
    new Promise<void>((resolve) => {
      if (scheduled.length >= count) resolve();
      else waiters.push({ count, resolve });
    });
  return { timers, scheduled, scheduledCount };
}

describe('sandbox mail vendors', () => {
  it('answer per their demo scripts: a Chinese ack with a ticket, then an agent quoting the question, slower after regress_after', async () => {
    dir = mkdtempSync(join(tmpdir(), 'firstreply-vendor-'));
    stack = await startMailStack({ dir, users: [{ user: 'probes', pass: 'pw', address: 'probes@firstreply.demo' }] });
    const catalog = loadCatalog('probes/demo', { env: { ...process.env, FR_DEMO_SITE_URL: 'http://127.0.0.1:9' } });
    const clock = new ManualClock(Date.now());
    const { timers, scheduled, scheduledCount } = recordingTimers();
    const replies: VendorReply[] = [];
    let replied: () => void = () => undefined;
    const nextReply = () =>
      new Promise<void>((resolve) => {
        replied = resolve;
      });
    const vendors = startMailVendors({
      catalog,
      stack,
      clock,
      logger: silentLogger,
      timers,
      onReply: (r) => {
        replies.push(r);
        replied();
      },
    });
    const outbound = new Promise<void>((resolve) => stack?.onOutbound(() => resolve()));
    const smtp = nodemailer.createTransport({ host: stack.smtp.host, port: stack.smtp.port, secure: false, ignoreTLS: true });
    const ask = (token: string) =>
      smtp.sendMail({
        from: 'Sam Rivera <probes@firstreply.demo>',
        to: 'kefu@lumen-video.demo',
        replyTo: `probes+${token.toLowerCase()}@firstreply.demo`,
        subject: `咨询：回源带宽如何计费？（编号 ${token}）`,
        text: `您好，\n\n请问回源带宽是按峰值还是按总流量计费？\n\n编号 ${token}`,
        messageId: `<${token.toLowerCase()}.1@firstreply.demo>`,
      });

    await ask('FR-AAAAAAAAAA');
    await outbound;
    await scheduledCount(2);
    expect(scheduled.map((s) => s.ms)).toEqual([1 * SECOND, 5 * SECOND]);

    clock.advance(121 * SECOND); // past lumen-video's regress_after (120 s after its first probe): its people answer five times slower
    await ask('FR-BBBBBBBBBB');
    await scheduledCount(4);
    expect(scheduled.slice(2).map((s) => s.ms)).toEqual([1 * SECOND, 25 * SECOND]);

    // Fired one after the other, as their delays would: the ack first, then the agent.
    for (const s of scheduled.slice(0, 2)) {
      const reply = nextReply();
      s.fire();
      await reply;
    }
    await vendors.stop();
    smtp.close();

    const mailbox = settingsSchema.parse({
      mailboxes: {
        m: { address: 'probes@firstreply.demo', imap: { host: stack.imap.host, port: stack.imap.port, secure: false, user: 'probes', pass: 'pw' } },
      },
    }).mailboxes.m!;
    const raws = await withFolder(mailbox, 'INBOX', async (client) => {
      const out: Buffer[] = [];
      for await (const m of client.fetch('1:*', { source: true })) if (m.source) out.push(m.source);
      return out;
    });
    const [ack, human] = await Promise.all(raws.map((r) => simpleParser(r)));
    expect(ack?.headers.get('auto-submitted')).toBe('auto-replied');
    expect(ack?.subject).toMatch(/^【工单 #\d+】已收到：咨询/);
    expect(ack?.text).toContain('您的邮件已收到');
    expect(ack?.to && 'text' in ack.to ? ack.to.text : '').toBe('probes+fr-aaaaaaaaaa@firstreply.demo');
    expect(human?.headers.get('auto-submitted')).toBeUndefined();
    expect(human?.inReplyTo).toBe('<fr-aaaaaaaaaa.1@firstreply.demo>');
    expect(human?.subject).toBe('Re: 咨询：回源带宽如何计费？（编号 FR-AAAAAAAAAA）');
    expect(human?.text).toContain('王伟');
    expect(human?.text).toContain('> 请问回源带宽是按峰值还是按总流量计费？');
    expect(replies.map((r) => [r.vendor, r.kind, r.token])).toEqual([
      ['lumen-video', 'ack', 'FR-AAAAAAAAAA'],
      ['lumen-video', 'human', 'FR-AAAAAAAAAA'],
    ]);
  });
});
