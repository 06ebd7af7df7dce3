// The reply watcher against a real Dovecot: restart catch-up by UID, UIDVALIDITY change, reconnect, and bad mail.
import { afterEach, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { ManualClock, HOUR } from '../../src/core/clock.ts';
import { arrivalEstimate, replyArrival } from '../../src/core/instant.ts';
import type { MailWatcher } from '../../src/watch/imap.ts';
import { withFolder } from '../../src/watch/imap-client.ts';
import { openEmailWorld, probeAddress, rawReply, until, worldWatcher, type EmailWorld } from './email-fixtures.ts';

let world: EmailWorld | undefined;
const watchers: MailWatcher[] = [];

afterEach(async () => {
  for (const w of watchers.splice(0)) await w.stop();
  await world?.close();
  world = undefined;
});

async function started(w: EmailWorld, onMessage?: (probeId: number | null) => void): Promise<MailWatcher> {
  const watcher = worldWatcher(w, onMessage ? { onMessage } : {});
  watchers.push(watcher);
  await watcher.start();
  return watcher;
}

const humanReply = (inReplyTo: string, n: number) =>
  rawReply({
    subject: 'Re: How do we rotate stream keys?',
    inReplyTo,
    messageId: `<human-${n}.${Math.random().toString(36).slice(2)}@acme.test>`,
    body: `Hi Sam,\n\nI have checked this for you (${n}): add a second key, switch the encoder, then revoke the old key.\n\nBest regards,\nPriya`,
  });

const countMessages = (w: EmailWorld) => w.store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages').get()?.n ?? 0;

describe('reply watcher', () => {
  it('after a restart, catches up by UID a reply that arrived meanwhile, dated by INTERNALDATE; no duplicates', async () => {
    const clock = new ManualClock(Date.now());
    // The reply lands within a second of the probe: the reply-speed rule is off so the content decides the label.
    const w = (world = await openEmailWorld({ clock, fastReplyMs: 0 }));
    const first = await started(w);
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    expect(probe.state).toBe('sent');
    await first.stop();

    const arrivedAt = Date.now();
    await w.stack.deliver(probeAddress, humanReply(probe.message_id ?? '', 1));
    // Noticed two hours later on firstreply's clock: the timeline must still use the mailbox's own date.
    clock.advance(2 * HOUR);
    await started(w);
    const [message] = await until(
      w.store,
      () => {
        const m = w.store.messages.forProbe(probe.id);
        return m.length > 0 ? m : undefined;
      },
      10_000,
      'the caught-up reply',
    );
    expect(message?.label).toBe('human');
    expect(message?.detected_at).toBe(clock.now());
    expect(Math.abs((message?.received_at ?? 0) - arrivedAt)).toBeLessThan(1000);
    // Its whole-second INTERNALDATE bounds the arrival (detection two hours later does not): the estimate lies in that second.
    if (!message || probe.sent_at === null) throw new Error('reply or send time missing');
    const firstHumanAt = w.store.probes.get(probe.id)?.first_human_at ?? 0;
    expect(firstHumanAt).toBe(arrivalEstimate(probe.sent_at, replyArrival(message)));
    expect(firstHumanAt).toBeGreaterThanOrEqual(Math.max(message.received_at, probe.sent_at));
    expect(firstHumanAt).toBeLessThanOrEqual(message.received_at + 1000);
    expect(w.store.probes.get(probe.id)?.state).toBe('answered');

    for (const watcher of watchers.splice(0)) await watcher.stop();
    await started(w);
    const state = w.store.mailboxState.get('default', 'INBOX');
    expect(state?.last_uid).toBe(1);
    expect(countMessages(w)).toBe(1);
  });

  it('a UIDVALIDITY change rescans the folder: new mail is stored, mail seen before is not stored twice', async () => {
    const w = (world = await openEmailWorld());
    const watcher = await started(w);
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    await w.stack.deliver(probeAddress, humanReply(probe.message_id ?? '', 1));
    await until(w.store, () => (countMessages(w) === 1 ? true : undefined), 10_000, 'the first reply');
    const before = w.store.mailboxState.get('default', 'INBOX');
    await watcher.stop();

    await w.stack.dovecot.resetUidValidity('probes');
    await w.stack.deliver(probeAddress, humanReply(probe.message_id ?? '', 2));
    await started(w);
    await until(w.store, () => (w.store.messages.forProbe(probe.id).length === 2 ? true : undefined), 10_000, 'the second reply');
    const after = w.store.mailboxState.get('default', 'INBOX');
    expect(after?.uidvalidity).not.toBe(before?.uidvalidity);
    expect(after?.last_uid).toBe(2);
    expect(countMessages(w)).toBe(2);
    expect(new Set(w.store.messages.forProbe(probe.id).map((m) => m.uidvalidity)).size).toBe(2);
  });

  it('reconnects after the server drops the connection and picks up mail that arrived while it was away', async () => {
    const w = (world = await openEmailWorld());
    await started(w);
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    await w.stack.dovecot.kick('probes');
    await w.stack.deliver(probeAddress, humanReply(probe.message_id ?? '', 1));
    await until(w.store, () => (w.store.messages.forProbe(probe.id).length === 1 ? true : undefined), 10_000, 'the reply after reconnect');
    await w.stack.dovecot.kick('probes');
    await w.stack.deliver(probeAddress, humanReply(probe.message_id ?? '', 2));
    await until(w.store, () => (w.store.messages.forProbe(probe.id).length === 2 ? true : undefined), 10_000, 'the reply after a second reconnect');
    expect(countMessages(w)).toBe(2);
  });

  it('checks extra folders (Junk) besides the IDLE folder', async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    const watcher = worldWatcher(w, { pollIntervalMs: 100 });
    watchers.push(watcher);
    await watcher.start();
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);
    await withFolder(w.settings.mailboxes.default!, 'Junk', (client) => client.append('Junk', humanReply(probe.message_id ?? '', 1)));
    const [message] = await until(
      w.store,
      () => {
        const m = w.store.messages.forProbe(probe.id);
        return m.length > 0 ? m : undefined;
      },
      10_000,
      'the reply filed as junk',
    );
    expect(message?.folder).toBe('Junk');
    expect(message?.label).toBe('human');
    // IDLE on INBOX still works after the Junk checks re-selected it.
    await w.stack.deliver(probeAddress, humanReply(probe.message_id ?? '', 2));
    await until(w.store, () => (w.store.messages.forProbe(probe.id).some((m) => m.folder === 'INBOX') ? true : undefined), 10_000, 'the INBOX reply');
  });

  it('broken MIME, missing headers, a 5 MB body and unknown charsets are stored and never stop the watcher', async () => {
    const w = (world = await openEmailWorld({ fastReplyMs: 0 }));
    const seen: Array<number | null> = [];
    await started(w, (probeId) => seen.push(probeId));
    const probe = await w.runner.send(w.runner.plan('acme', 'email').id);

    const bad: Array<string | Buffer> = [
      // multipart without any boundary line, and a truncated header continuation
      `From: broken@acme.test\r\nSubject: broken\r\nContent-Type: multipart/mixed; boundary="never-closed"\r\n\r\n--never-closed\r\nContent-Type: text/plain\r\n\r\nhalf a part`,
      // no headers at all
      'just some text without any header block\r\n',
      // an unknown charset and an invalid transfer encoding
      rawReply({ subject: 'charset', body: 'caf\u00e9 \u00fcber', contentType: 'text/plain; charset=x-klingon-8' }).replace(
        'MIME-Version: 1.0',
        'Content-Transfer-Encoding: base64-ish\r\nMIME-Version: 1.0',
      ),
      // GBK bytes labelled as UTF-8
      Buffer.concat([
        Buffer.from(`From: kefu@acme.test\r\nTo: ${probeAddress}\r\nSubject: gbk\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`),
        iconv.encode('您的邮件已收到，我们会尽快处理。', 'gbk'),
      ]),
      // 5 MB of base64 attachment
      rawReply({
        subject: 'big',
        body: `--b\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.alloc(3_800_000, 7).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n--b--`,
        contentType: 'multipart/mixed; boundary="b"',
      }),
    ];
    for (const raw of bad) await w.stack.deliver(probeAddress, raw, 'sender@acme.test');
    await w.stack.deliver(probeAddress, humanReply(probe.message_id ?? '', 1));

    await until(w.store, () => (countMessages(w) === bad.length + 1 ? true : undefined), 20_000, 'all messages stored');
    expect(w.store.probes.get(probe.id)?.state).toBe('answered');
    expect(seen.filter((id) => id === null)).toHaveLength(bad.length);
    const rows = w.store.db
      .prepare<[], { subject: string | null; label: string; size: number; raw_path: string | null }>(
        'SELECT subject, label, size, raw_path FROM messages WHERE probe_id IS NULL ORDER BY uid',
      )
      .all();
    expect(rows).toHaveLength(bad.length);
    for (const row of rows) expect(row.raw_path).toBeTruthy();
    expect(rows.find((r) => r.subject === 'big')?.size).toBeGreaterThan(5_000_000);
    expect(rows[1]?.label).toBe('unknown');

    // Still watching after all of that.
    await w.stack.deliver(probeAddress, humanReply(probe.message_id ?? '', 2));
    await until(w.store, () => (w.store.messages.forProbe(probe.id).length === 2 ? true : undefined), 10_000, 'a reply after the bad mail');
    const inbox = await withFolder(w.settings.mailboxes.default!, 'INBOX', async (client) => client.status('INBOX', { messages: true }));
    expect(inbox === false ? undefined : inbox.messages).toBe(bad.length + 2);
  });
});
