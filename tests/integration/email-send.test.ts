// SMTP outcomes of the e-mail channel on real loopback servers: 5xx, 4xx then success, a crash while sending.
import { afterEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { ImapFlow } from 'imapflow';
import type { ChannelRegistry } from '../../src/channels/channel.ts';
import { createEmailChannel } from '../../src/channels/email.ts';
import { createProbeRunner } from '../../src/runner/probe-runner.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openEmailWorld, type EmailWorld } from './email-fixtures.ts';

let world: EmailWorld | undefined;
const servers: SMTPServer[] = [];

afterEach(async () => {
  await world?.close();
  world = undefined;
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** An SMTP server on 127.0.0.1:0 whose answer to each DATA is decided by `answer(attempt)`. */
async function scriptedSmtp(answer: (attempt: number) => { code: number; text: string } | undefined, rcptAnswer?: { code: number; text: string }) {
  const accepted: Array<{ at: number; raw: Buffer }> = [];
  let attempts = 0;
  const server = new SMTPServer({
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(rcptAnswer ? Object.assign(new Error(rcptAnswer.text), { responseCode: rcptAnswer.code }) : undefined);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const verdict = answer(++attempts);
        if (verdict) return callback(Object.assign(new Error(verdict.text), { responseCode: verdict.code }));
        accepted.push({ at: Date.now(), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  servers.push(server);
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { port: address.port, accepted, attempts: () => attempts };
}

describe('e-mail channel over SMTP', () => {
  it('a 5xx at RCPT makes the probe send_failed with the server text, without retrying', async () => {
    const smtp = await scriptedSmtp(() => undefined, { code: 550, text: '5.1.1 <support@acme.test>: Recipient address rejected: User unknown' });
    const w = (world = await openEmailWorld({ smtpPort: () => smtp.port }));
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    expect(probe.state).toBe('send_failed');
    expect(probe.error_code).toBe('SMTP_REJECTED');
    expect(probe.error_text).toContain('550 5.1.1 <support@acme.test>: Recipient address rejected: User unknown');
    expect(probe.sent_at).toBeNull();
    expect(smtp.attempts()).toBe(0);
  });

  it('a 5xx to DATA fails once; a 4xx is retried with backoff until the server accepts', async () => {
    const rejecting = await scriptedSmtp(() => ({ code: 554, text: '5.7.1 Message rejected as spam' }));
    const w = (world = await openEmailWorld({ smtpPort: () => rejecting.port, retryDelaysMs: [30, 60, 120] }));
    const failed = await w.runner.send(w.runner.plan('acme', 'email').id);
    expect([failed.state, failed.error_code]).toEqual(['send_failed', 'SMTP_REJECTED']);
    expect(failed.error_text).toContain('554 5.7.1 Message rejected as spam');
    expect(rejecting.attempts()).toBe(1);

    const deferring = await scriptedSmtp((attempt) => (attempt <= 2 ? { code: 451, text: '4.7.1 Greylisted, try again later' } : undefined));
    w.settings.smtp.default!.port = deferring.port;
    const before = Date.now();
    const sent = await w.runner.send(w.runner.plan('acme', 'email').id);
    expect(sent.state).toBe('sent');
    expect(deferring.attempts()).toBe(3);
    expect(deferring.accepted).toHaveLength(1);
    // sent_at is the moment of the 250 to the third DATA, after two backoffs.
    expect(sent.sent_at).toBeGreaterThanOrEqual(deferring.accepted[0]!.at);
    expect((sent.sent_at ?? 0) - before).toBeGreaterThanOrEqual(30 + 60);
    expect((sent.sent_at ?? 0) - deferring.accepted[0]!.at).toBeLessThan(100);

    const always = await scriptedSmtp(() => ({ code: 452, text: '4.2.2 Mailbox full' }));
    w.settings.smtp.default!.port = always.port;
    const gaveUp = await w.runner.send(w.runner.plan('acme', 'email').id);
    expect([gaveUp.state, gaveUp.error_code]).toEqual(['send_failed', 'SMTP_TEMPORARY']);
    expect(gaveUp.error_text).toContain('452 4.2.2 Mailbox full');
    expect(always.attempts()).toBe(4); // the first try and three bounded retries
  });

  it('an unreachable server is send_failed, never sent', async () => {
    const smtp = await scriptedSmtp(() => undefined);
    const w = (world = await openEmailWorld({ smtpPort: () => smtp.port, retryDelaysMs: [10] }));
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    expect([probe.state, probe.error_code]).toEqual(['send_failed', 'SMTP_UNREACHABLE']);
  });

  it('after a crash between the 250 and storing it, reconcile never sends again: without a Sent copy yet the probe is send_unknown', async () => {
    const w = (world = await openEmailWorld());
    const delivered: Buffer[] = [];
    w.stack.onOutbound((mail) => {
      delivered.push(mail.raw);
    });
    const real = createEmailChannel({ retryDelaysMs: [] });
    let sends = 0;
    let channelDone: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      channelDone = resolve;
    });
    // The process "dies" as the channel returns with the 250: the runner never gets to write `sent`, and the Sent copy,
    // made only after that, does not exist (a reply can still prove delivery: email-kill-points.test.ts).
    const crashing: ChannelRegistry = {
      ...w.registry,
      email: {
        ...real,
        async send(ctx) {
          sends++;
          await real.send(ctx);
          channelDone();
          return new Promise(() => undefined);
        },
      },
    };
    const doomed = createProbeRunner({
      store: w.store,
      catalog: w.catalog,
      clock: w.clock,
      logger: silentLogger,
      channels: crashing,
      services: { store: w.store, settings: w.settings, clock: w.clock, evidenceDir: w.settings.evidence_dir },
    });
    const lost = doomed.plan('acme', 'email');
    const before = Date.now();
    void doomed.send(lost.id);
    const neverSent = doomed.plan('acme', 'email');
    w.store.probes.markSending(neverSent.id, `<fr-never.${neverSent.id}@firstreply.test>`);
    await finished;
    expect(w.store.probes.get(lost.id)?.state).toBe('sending');

    const restarted = w.newRunner();
    const reconciled = await restarted.reconcile();
    expect(reconciled.map((p) => [p.id, p.state])).toEqual([
      [lost.id, 'send_unknown'],
      [neverSent.id, 'send_unknown'],
    ]);
    const found = w.store.probes.get(lost.id);
    expect(found?.sent_at).toBeNull();
    expect(Math.abs((found?.sending_at ?? 0) - before)).toBeLessThan(2000);
    expect(found?.error_text).toContain('not resent');
    expect(w.store.probes.get(neverSent.id)?.error_text).toContain('not resent');
    expect(sends).toBe(1);
    expect(delivered).toHaveLength(1);
  });

  it('with sent_folder_autosave, leaves the Sent copy to the server (no duplicate) and still reconciles from it', async () => {
    const w = (world = await openEmailWorld());
    const mailbox = w.settings.mailboxes.default;
    if (!mailbox) throw new Error('no default mailbox');
    mailbox.sent_folder_autosave = true;
    // A Gmail-like server: whatever is sent through its SMTP appears in Sent on its own.
    const imap = { host: w.stack.imap.host, port: w.stack.imap.port, secure: false, auth: { user: 'probes', pass: 'probe-pass' }, logger: false as const };
    const filed: Promise<unknown>[] = [];
    w.stack.onOutbound((mail) => {
      filed.push(
        (async () => {
          const client = new ImapFlow(imap);
          await client.connect();
          try {
            await client.append('Sent', mail.raw, ['\\Seen']);
          } finally {
            await client.logout();
          }
        })(),
      );
    });
    const sentCopies = async (): Promise<number> => {
      const client = new ImapFlow(imap);
      await client.connect();
      try {
        const status = await client.status('Sent', { messages: true });
        return status === false ? 0 : (status.messages ?? 0);
      } finally {
        await client.logout();
      }
    };
    const first = w.runner.plan('acme', 'email');
    await w.runner.send(first.id);
    await Promise.all(filed);
    expect(w.store.probes.get(first.id)?.state).toBe('sent');
    expect(await sentCopies()).toBe(1); // the server's copy only

    // A crash after the 250: reconcile finds the server's copy.
    const real = createEmailChannel({ retryDelaysMs: [] });
    let channelDone: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      channelDone = resolve;
    });
    const crashing: ChannelRegistry = {
      ...w.registry,
      email: {
        ...real,
        async send(ctx) {
          await real.send(ctx);
          channelDone();
          return new Promise(() => undefined);
        },
      },
    };
    const doomed = createProbeRunner({
      store: w.store,
      catalog: w.catalog,
      clock: w.clock,
      logger: silentLogger,
      channels: crashing,
      services: { store: w.store, settings: w.settings, clock: w.clock, evidenceDir: w.settings.evidence_dir },
    });
    const lost = doomed.plan('acme', 'email');
    void doomed.send(lost.id);
    await finished;
    await Promise.all(filed);
    expect(await sentCopies()).toBe(2);
    const reconciled = await w.newRunner().reconcile();
    expect(reconciled.map((p) => [p.id, p.state])).toEqual([[lost.id, 'sent']]);
  });
});
