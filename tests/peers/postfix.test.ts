// The private Postfix the peer tests route mail through: a domain piped to a command, a domain relayed to an SMTP
// listener on loopback, a domain that bounces, and everything else refused at RCPT; stop() leaves no process behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { postfixMissing, startPostfix, type PostfixPeer } from './helpers/postfix.ts';
import { skipPeer } from './helpers/peer-report.ts';

const file = 'tests/peers/postfix.test.ts';
const skip = skipPeer('postfix', postfixMissing(), file);

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** Resolves with the first value `check` returns, polling the file system the pipe writes to. */
async function eventually<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(skip)('a private Postfix on loopback', () => {
  let dir: string | undefined;
  let postfix: PostfixPeer | undefined;
  let listener: SMTPServer | undefined;
  const relayed: Received[] = [];
  const waiters: Array<() => void> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firstreply-peers-postfix-'));
    // The pipe runs as nobody: its command and spool are where nobody may reach them.
    const spool = join(dir, 'piped');
    mkdirSync(spool, { mode: 0o777 });
    chmodSync(spool, 0o777);
    chmodSync(dir, 0o755);
    const command = join(dir, 'desk-inbox');
    // Written under a hidden name, then renamed: the test never reads a file the command is still writing.
    writeFileSync(command, `#!/bin/sh\ncat > "${spool}/.$1-$$.part" && mv "${spool}/.$1-$$.part" "${spool}/$1-$$.eml"\n`, { mode: 0o755 });
    listener = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        callback(
          address.address.startsWith('nobody@') ? Object.assign(new Error(`5.1.1 <${address.address}>: no such user`), { responseCode: 550 }) : undefined,
        );
      },
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => {
          raw += chunk.toString();
        });
        stream.once('end', () => {
          relayed.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
          for (const wake of waiters.splice(0)) wake();
          callback();
        });
      },
    });
    const smtp = listener;
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const address = smtp.server.address();
    if (!address || typeof address === 'string') throw new Error('no listener port');
    postfix = await startPostfix({
      dir,
      hostname: 'mx.peers.test',
      transports: {
        'desk.test': { kind: 'pipe', argv: [command, '${recipient}'] },
        'relay.test': { kind: 'smtp', port: address.port },
        'closed.test': { kind: 'error', text: '5.1.1 this domain takes no mail' },
      },
    });
  });

  afterAll(async () => {
    try {
      await postfix?.stop();
    } finally {
      await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: postfix?.smtpPort ?? 0, secure: false, ignoreTLS: true });

  it('pipes a domain to a command, one run per recipient, with the message on stdin', async () => {
    await transport().sendMail({ from: 'sam@firstreply.test', to: 'support@desk.test', subject: 'Piped', text: 'to the desk' });
    const spool = join(dir ?? '', 'piped');
    const name = await eventually(() => readdirSync(spool).find((f) => f.startsWith('support@desk.test-')), 15_000, `the piped message\n${postfix?.log()}`);
    const text = readFileSync(join(spool, name), 'utf8');
    expect(text).toMatch(/^Return-Path: <sam@firstreply\.test>/m);
    expect(text).toMatch(/^Subject: Piped/m);
    expect(text).toContain('to the desk');
  });

  it('relays a domain to an SMTP listener on loopback', async () => {
    const arrived = new Promise<void>((resolve) => waiters.push(resolve));
    await transport().sendMail({ from: 'sam@firstreply.test', to: 'agent@relay.test', subject: 'Relayed', text: 'through postfix' });
    await arrived;
    expect(relayed.at(-1)?.to).toEqual(['agent@relay.test']);
    expect(relayed.at(-1)?.raw).toMatch(/^Received: from .*\s+by mx\.peers\.test \(Postfix\)/m);
  });

  it('returns a DSN to the sender when the next hop refuses a user, refuses a closed domain with its text and any other domain at RCPT', async () => {
    const arrived = new Promise<void>((resolve) => waiters.push(resolve));
    await transport().sendMail({ from: 'sam@relay.test', to: 'nobody@relay.test', subject: 'Unknown user', text: 'nobody reads this' });
    await arrived;
    const dsn = relayed.at(-1);
    expect(dsn?.from).toBe('');
    expect(dsn?.to).toEqual(['sam@relay.test']);
    expect(dsn?.raw).toMatch(/^From: MAILER-DAEMON@mx\.peers\.test \(Mail Delivery System\)|^From: Mail Delivery System <MAILER-DAEMON@mx\.peers\.test>/m);
    expect(dsn?.raw).toMatch(/^Content-Type: multipart\/report; report-type=delivery-status/m);
    expect(dsn?.raw).toContain('5.1.1 <nobody@relay.test>: no such user');
    await expect(transport().sendMail({ from: 'sam@firstreply.test', to: 'someone@closed.test', subject: 'Closed', text: 'no' })).rejects.toThrow(
      /550 5\.1\.1 .*this domain takes no mail/,
    );
    await expect(transport().sendMail({ from: 'sam@firstreply.test', to: 'x@example.com', subject: 'Out', text: 'no' })).rejects.toThrow(/Relay access denied/);
  });

  it('leaves no process and no directory behind once stopped', async () => {
    const peer = await startPostfix({ dir: dir ?? tmpdir(), transports: { 'closed.test': { kind: 'error' } } });
    const queue = peer.dir;
    const pids = () =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(queue);
          } catch {
            return false; // gone while listing
          }
        });
    expect(pids().length).toBeGreaterThan(0);
    await peer.stop();
    expect(pids()).toEqual([]);
    expect(existsSync(queue)).toBe(false);
  });
});
