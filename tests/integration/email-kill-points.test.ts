// A crash at each moment of an e-mail probe's send, through the real loopback SMTP and Dovecot, then a restart:
// never sent twice, never lost, sent_at the 250's time whenever the 250 was seen.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { silentLogger } from '../../src/core/logger.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { createProbeRunner, type FaultPoint, type ProbeRunner } from '../../src/runner/probe-runner.ts';
import type { OutboundMail } from '../../src/sandbox/mail-stack.ts';
import { openEmailWorld, probeAddress, rawReply, until, worldWatcher, type EmailWorld } from './email-fixtures.ts';

let world: EmailWorld | undefined;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await world?.close();
  world = undefined;
});

class Crash extends Error {}

/** The process dies at `point`: the store is gone and nothing after it runs. */
function crashAt(w: EmailWorld, point: FaultPoint, seen: FaultPoint[]) {
  return {
    at(reached: FaultPoint) {
      seen.push(reached);
      if (reached !== point) return;
      w.store.close();
      throw new Crash(`crash at ${point}`);
    },
  };
}

function runnerOn(w: EmailWorld, store: Store, faults?: { at(point: FaultPoint): void }): ProbeRunner {
  return createProbeRunner({
    store,
    catalog: w.catalog,
    clock: w.clock,
    logger: silentLogger,
    channels: w.registry,
    faults,
    services: { store, settings: w.settings, clock: w.clock, evidenceDir: w.settings.evidence_dir },
  });
}

/** The store and runner of the process started again on the same database file. */
function restart(w: EmailWorld): { store: Store; runner: ProbeRunner } {
  const store = openStore(join(w.dir, 'test.db'), w.clock);
  const runner = runnerOn(w, store);
  cleanups.push(async () => {
    await runner.close();
    store.close();
  });
  return { store, runner };
}

async function sentFolder(w: EmailWorld): Promise<string[]> {
  const client = new ImapFlow({ host: w.stack.imap.host, port: w.stack.imap.port, secure: false, auth: { user: 'probes', pass: 'probe-pass' }, logger: false });
  await client.connect();
  try {
    const lock = await client.getMailboxLock('Sent');
    try {
      const ids: string[] = [];
      if (client.mailbox !== false && client.mailbox.exists === 0) return ids;
      for await (const message of client.fetch('1:*', { envelope: true })) ids.push(message.envelope?.messageId ?? '');
      return ids;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

const messageIdOf = (raw: Buffer): string | undefined => raw.toString('latin1').match(/^Message-ID:\s*(<[^>]+>)/im)?.[1];

describe('a crash at each moment of an e-mail send, then a restart', () => {
  const points: FaultPoint[] = ['before-send', 'at-250', 'after-250', 'after-evidence', 'after-append'];

  for (const point of points) {
    it(`crash ${point}: not sent twice, not lost, dated by the 250 when it was seen`, async () => {
      const w = (world = await openEmailWorld());
      const delivered: OutboundMail[] = [];
      w.stack.onOutbound((mail) => {
        delivered.push(mail);
      });
      const seen: FaultPoint[] = [];
      const doomed = runnerOn(w, w.store, crashAt(w, point, seen));
      const planned = doomed.plan('acme', 'email');
      await expect(doomed.send(planned.id)).rejects.toThrow(Crash);
      expect(seen.at(-1)).toBe(point);

      const { store, runner } = restart(w);
      await runner.reconcile();
      // A second restart and a stray send call change nothing: nothing is ever sent again.
      await runner.reconcile();
      await runner.send(planned.id);
      await until(store, () => (point === 'before-send' || delivered.length > 0 ? true : undefined), 5_000, 'the outbound copy');

      const probe = store.probes.get(planned.id);
      if (!probe) throw new Error('probe vanished');
      expect(delivered).toHaveLength(point === 'before-send' ? 0 : 1);
      const sentCopies = await sentFolder(w);
      expect(sentCopies.length).toBeLessThanOrEqual(1);

      if (point === 'before-send' || point === 'at-250') {
        // The 250 was never stored: the probe is send_unknown, not resent.
        expect(probe.state).toBe('send_unknown');
        expect(probe.error_text).toContain('not resent');
        expect(sentCopies).toHaveLength(0);
        return;
      }
      const accepted = delivered[0];
      if (!accepted) throw new Error('no delivery');
      expect(probe.state).toBe('sent');
      expect(probe.sent_basis).toBe('accepted');
      expect(probe.sent_at).toBeGreaterThanOrEqual(accepted.acceptedAt - 50);
      expect(probe.sent_at).toBeLessThanOrEqual(accepted.acceptedAt + 500);
      expect(probe.copies_owed).toBe(0);
      // The copies a crash left unkept were kept at reconcile, once: the same bytes as sent, one copy in Sent.
      expect(sentCopies).toEqual([messageIdOf(accepted.raw)]);
      const evidence = JSON.parse(probe.evidence) as string[];
      expect(evidence).toHaveLength(1);
      expect(existsSync(evidence[0] ?? '')).toBe(true);
    });
  }

  it('crash at-250 then a threaded reply: the probe is upgraded to sent, dated sending_at, never later than the 250', async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    const delivered: OutboundMail[] = [];
    w.stack.onOutbound((mail) => {
      delivered.push(mail);
    });
    const doomed = runnerOn(w, w.store, crashAt(w, 'at-250', []));
    const planned = doomed.plan('acme', 'email');
    await expect(doomed.send(planned.id)).rejects.toThrow(Crash);

    const { store, runner } = restart(w);
    await runner.reconcile();
    const unknown = store.probes.get(planned.id);
    expect(unknown?.state).toBe('send_unknown');
    const sendingAt = unknown?.sending_at ?? 0;
    expect(unknown?.deadline_at).not.toBeNull();

    const watcher = worldWatcher(w, { store });
    cleanups.push(() => watcher.stop());
    await watcher.start();
    const accepted = await until(store, () => delivered[0], 5_000, 'the outbound copy');
    const messageId = messageIdOf(accepted.raw);
    await w.stack.deliver(
      probeAddress,
      rawReply({
        subject: `Re: How do we rotate stream keys? (ref ${planned.token})`,
        inReplyTo: messageId,
        body: `Hi Sam,\n\nI had a look at your channel settings: you can rotate the key under Settings > Stream, and viewers stay connected for 60 seconds.\n\nBest,\nDana`,
      }),
    );
    const upgraded = await until(
      store,
      () => {
        const p = store.probes.get(planned.id);
        return p && p.state !== 'send_unknown' ? p : undefined;
      },
      10_000,
      'the upgrade',
    );
    expect(['sent', 'answered']).toContain(upgraded.state);
    expect(upgraded.sent_basis).toBe('reply');
    expect(upgraded.sent_at).toBe(sendingAt);
    expect(upgraded.sent_at).toBeLessThanOrEqual(accepted.acceptedAt);
    expect(upgraded.expires_at).toBe(sendingAt + 3_600_000);
    // It counts again: in the store's figures, not out of them.
    const channel = store.vendors.channel('acme', 'email');
    const timings = store.stats.timings(channel?.id ?? 0, 0, Date.now() + 60_000);
    expect(timings.map((t) => t.id)).toContain(planned.id);
    // The next reconcile keeps its Sent copy, once.
    await runner.reconcile();
    await runner.reconcile();
    expect(await sentFolder(w)).toEqual([messageId]);
    expect(delivered).toHaveLength(1);
  });

  it('a crash while the Sent folder stalls the append: the probe is already sent, dated by the 250', async () => {
    const w = (world = await openEmailWorld());
    const delivered: OutboundMail[] = [];
    w.stack.onOutbound((mail) => {
      delivered.push(mail);
    });
    const mailbox = w.settings.mailboxes.default;
    if (!mailbox) throw new Error('no mailbox');
    // An IMAP server that accepts the connection and never says a word.
    const sockets = new Set<Socket>();
    let reached: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      reached();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const realPort = mailbox.imap.port;
    const address = silent.address();
    mailbox.imap.port = typeof address === 'object' && address ? address.port : 0;

    const doomed = runnerOn(w, w.store);
    const planned = doomed.plan('acme', 'email');
    doomed.send(planned.id).catch(() => undefined);
    await stalled;
    // The process dies while the append hangs.
    w.store.close();

    mailbox.imap.port = realPort;
    const { store, runner } = restart(w);
    await runner.reconcile();
    const probe = store.probes.get(planned.id);
    const accepted = delivered[0];
    if (!accepted) throw new Error('no delivery');
    expect(probe?.state).toBe('sent');
    expect(probe?.sent_at).toBeGreaterThanOrEqual(accepted.acceptedAt - 50);
    expect(probe?.sent_at).toBeLessThanOrEqual(accepted.acceptedAt + 500);
    expect(await sentFolder(w)).toEqual([messageIdOf(accepted.raw)]);
    expect(delivered).toHaveLength(1);
  });
});
