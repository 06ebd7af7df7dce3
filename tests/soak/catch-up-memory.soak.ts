// Peak memory of the mail watcher catching up 50 × 25 MB messages on a loopback Dovecot (goal ≤ 300 MB RSS). The mail is
// delivered by this process; the watcher runs in a child process of its own, so its peak RSS is the watcher's alone.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { settingsSchema } from '../../src/config/schema.ts';
import { openStore } from '../../src/store/db.ts';
import { createMailWatcher } from '../../src/watch/imap.ts';
import { withFolder } from '../../src/watch/imap-client.ts';
import { createClassifierPool } from '../../src/classify/worker-pool.ts';
import { classifyElsewhereAndRemember } from '../../src/replies/template-memory.ts';

const MB = 1024 * 1024;
const count = Number(process.env.FR_SOAK_MESSAGES ?? 50);
const messageBytes = Number(process.env.FR_SOAK_MESSAGE_MB ?? 25) * MB;
const goalMb = 300;
const address = 'probes@firstreply.soak';

interface WatchArgs {
  dir: string;
  host: string;
  port: number;
  count: number;
}

function bigMail(n: number): Buffer {
  const attachment = randomBytes(Math.ceil((messageBytes * 3) / 4))
    .toString('base64')
    .replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      'From: Priya <priya@acme.test>',
      `To: ${address}`,
      `Subject: Re: logs (${n})`,
      `Message-ID: <big-${n}@acme.test>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Here is the log (${n}).`,
      '--b1',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      '',
      attachment,
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

/** The child: the watcher as main runs it (worker pool included) until every message is stored; prints its peak RSS. */
async function watch(args: WatchArgs): Promise<void> {
  const settings = settingsSchema.parse({
    mailboxes: { default: { address, imap: { host: args.host, port: args.port, secure: false, user: 'probes', pass: 'soak' }, folders: ['INBOX'] } },
    evidence_dir: join(args.dir, 'evidence'),
  });
  const store = openStore(join(args.dir, 'soak.db'), systemClock);
  const pool = createClassifierPool();
  const mailbox = settings.mailboxes.default;
  if (!mailbox) throw new Error('soak mailbox missing');
  const uidValidity = await withFolder(mailbox, 'INBOX', async (client) => Number(client.mailbox ? client.mailbox.uidValidity : 0));
  store.mailboxState.put('default', 'INBOX', uidValidity, 0);
  const watcher = createMailWatcher({
    store,
    settings,
    mailbox: 'default',
    clock: systemClock,
    logger: silentLogger,
    parse: (raw) => pool.parse(raw),
    classify: (m, c) => classifyElsewhereAndRemember(store, m, c, (mm, cc) => pool.classify(mm, cc)),
  });
  const baselineRssMb = Math.round(process.memoryUsage().rss / MB);
  const started = Date.now();
  const stored = () =>
    store.db.prepare<[], { n: number; truncated: number }>('SELECT count(*) AS n, coalesce(sum(truncated), 0) AS truncated FROM messages').get() ?? {
      n: 0,
      truncated: 0,
    };
  const done = new Promise<void>((resolve) => {
    const check = () => {
      if (stored().n < args.count) return;
      store.events.off('message', check);
      resolve();
    };
    store.events.on('message', check);
    check();
  });
  await watcher.start();
  await done;
  const seconds = Math.round((Date.now() - started) / 1000);
  const { n, truncated } = stored();
  await watcher.stop();
  await pool.close();
  store.close();
  // maxRSS is in kilobytes: the process's high-water mark, the worker thread included.
  console.log(JSON.stringify({ stored: n, truncated, seconds, baselineRssMb, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-soak-memory-'));
  // Only the delivering parent loads the sandbox mail stack: the child's RSS is the watcher's alone.
  const { startMailStack } = await import('../../src/sandbox/mail-stack.ts');
  const stack = await startMailStack({ dir, users: [{ user: 'probes', pass: 'soak', address }] });
  try {
    for (let n = 1; n <= count; n++) await stack.deliver(address, bigMail(n), 'priya@acme.test');
    const args: WatchArgs = { dir, host: stack.imap.host, port: stack.imap.port, count };
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'watch', JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const line = out.trim().split('\n').pop() ?? '{}';
    const watched: { stored?: number; truncated?: number; seconds?: number; baselineRssMb?: number; peakRssMb?: number } = JSON.parse(line);
    const result = {
      soak: 'catch-up-memory',
      figure: `peak RSS while catching up ${count} × ${messageBytes / MB} MB`,
      value: watched.peakRssMb ?? null,
      unit: 'MB',
      goal: `≤ ${goalMb} MB`,
      rssBeforeCatchUpMb: watched.baselineRssMb ?? null,
      stored: watched.stored ?? 0,
      truncated: watched.truncated ?? 0,
      seconds: watched.seconds ?? null,
      watcherExit: code,
    };
    console.log(JSON.stringify(result));
    process.exitCode = code === 0 && result.stored === count && (watched.peakRssMb ?? Infinity) <= goalMb ? 0 : 1;
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'watch') await watch(JSON.parse(process.argv[3] ?? '{}'));
else await main();
