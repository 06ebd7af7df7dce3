// Reply detection lag on a real Dovecot: detected_at − the moment the server stored the reply. Peers in the same run: a
// bare IDLE client issuing the same commands as the watcher (the floor) and a client polling every 5 s (the anchor).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import type { Figure } from './run.ts';
import { systemClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/core/logger.ts';
import { settingsSchema, vendorSchema, type Catalog } from '../src/config/schema.ts';
import { openStore } from '../src/store/db.ts';
import { startMailStack } from '../src/sandbox/mail-stack.ts';
import { createMailWatcher } from '../src/watch/imap.ts';
import { newToken } from '../src/core/token.ts';
import { seededRandom } from '../tests/helpers/fixture-store.ts';

/** A burst: replies 40–120 ms apart, so several arrive while the watcher is still busy with the last. */
const replies = Number(process.env.FR_BENCH_REPLIES ?? 200);
/** Sparse replies, each after a random gap long enough that it finds every client idling: the headline figures. */
const sparseReplies = Number(process.env.FR_BENCH_SPARSE_REPLIES ?? 200);
const sparseGapMs = { min: 300, max: 900 };
const pollEveryMs = 5_000;
const openProbes = Number(process.env.FR_BENCH_OPEN_PROBES ?? 500);
const address = 'probes@firstreply.bench';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

/**
 * When Dovecot stored each message, from its Maildir file name (`<seconds>.M<microseconds>P<pid>…`, written at
 * delivery by the server), keyed by UID through dovecot-uidlist. INTERNALDATE has whole seconds only.
 */
function storedAtByUid(maildir: string): Map<number, number> {
  const out = new Map<number, number>();
  const files = new Map<string, string>();
  for (const sub of ['new', 'cur']) {
    for (const name of readdirSync(join(maildir, sub))) files.set(name.split(':')[0] ?? name, name);
  }
  for (const line of readFileSync(join(maildir, 'dovecot-uidlist'), 'utf8').split('\n').slice(1)) {
    const uid = Number(line.split(' ')[0]);
    const base = line.slice(line.lastIndexOf(':') + 1).trim();
    const match = base.match(/^(\d+)\.M(\d+)P/);
    if (!Number.isFinite(uid) || !match || !files.has(base)) continue;
    out.set(uid, Number(match[1]) * 1000 + Math.floor(Number(match[2]) / 1000));
  }
  return out;
}

interface Peer {
  /** When this peer had each message's source in hand, by UID. */
  seenAt: Map<number, number>;
  stop(): Promise<void>;
}

interface ImapLogin {
  host: string;
  port: number;
  user: string;
  pass: string;
}

/**
 * The watcher's commands without its work: on every EXISTS a read-only lock on INBOX, a UID FETCH of UIDs and sizes
 * from the last seen, then a UID FETCH of the new sources; IDLE again after 200 ms, as the watcher's client. It sees
 * EXISTS exactly as the watcher does (notification while idling, or the untagged response to its own commands).
 */
async function bareIdlePeer(login: ImapLogin): Promise<Peer> {
  const imap = new ImapFlow({
    host: login.host,
    port: login.port,
    secure: false,
    auth: { user: login.user, pass: login.pass },
    logger: false,
    autoIdleDelay: 200,
  });
  const seenAt = new Map<number, number>();
  let last = 0;
  let work = Promise.resolve();
  let pending = false;
  const catchUp = async (): Promise<void> => {
    const lock = await imap.getMailboxLock('INBOX', { readOnly: true });
    try {
      const listed: number[] = [];
      for await (const m of imap.fetch(`${last + 1}:*`, { uid: true, size: true }, { uid: true })) if (m.uid > last) listed.push(m.uid);
      if (listed.length === 0) return;
      for await (const m of imap.fetch(listed.join(','), { uid: true, internalDate: true, size: true, source: true }, { uid: true })) {
        seenAt.set(m.uid, Date.now());
        last = Math.max(last, m.uid);
      }
    } finally {
      lock.release();
    }
  };
  imap.on('exists', () => {
    if (pending) return;
    pending = true;
    work = work
      .then(() => {
        pending = false;
        return catchUp();
      })
      .catch(() => undefined);
  });
  await imap.connect();
  await catchUp();
  return {
    seenAt,
    stop: async () => {
      await work;
      await imap.logout().catch(() => imap.close());
    },
  };
}

/** The anchor a cron job would be: no IDLE, a NOOP and a UID FETCH of anything new every 5 s. */
async function pollerPeer(login: ImapLogin, everyMs: number): Promise<Peer> {
  const imap = new ImapFlow({
    host: login.host,
    port: login.port,
    secure: false,
    auth: { user: login.user, pass: login.pass },
    logger: false,
    disableAutoIdle: true,
  });
  const seenAt = new Map<number, number>();
  let last = 0;
  await imap.connect();
  await imap.mailboxOpen('INBOX', { readOnly: true });
  const poll = async (): Promise<void> => {
    // Dovecot reports new mail to a selected mailbox when a command syncs it (NOOP), not on a FETCH alone.
    await imap.noop();
    for await (const m of imap.fetch(`${last + 1}:*`, { uid: true, source: true }, { uid: true })) {
      if (m.uid > last) seenAt.set(m.uid, Date.now());
    }
    for (const uid of seenAt.keys()) last = Math.max(last, uid);
  };
  await poll();
  let work = Promise.resolve();
  // Its phase against the replies is arbitrary, as a cron job's would be.
  const timer = setInterval(() => {
    work = work.then(poll).catch(() => undefined);
  }, everyMs);
  return {
    seenAt,
    stop: async () => {
      clearInterval(timer);
      await work;
      await imap.logout().catch(() => imap.close());
    },
  };
}

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-bench-detection-'));
  const stack = await startMailStack({ dir, users: [{ user: 'probes', pass: 'bench', address }] });
  const store = openStore(join(dir, 'bench.db'), systemClock);
  const login = { host: stack.imap.host, port: stack.imap.port, user: 'probes', pass: 'bench' };
  const peers: Peer[] = [];
  let watcher: ReturnType<typeof createMailWatcher> | undefined;
  try {
    const settings = settingsSchema.parse({
      mailboxes: {
        default: { address, imap: { host: stack.imap.host, port: stack.imap.port, secure: false, user: 'probes', pass: 'bench' }, folders: ['INBOX'] },
      },
      evidence_dir: join(dir, 'evidence'),
      classifier: { fast_reply_ms: 60_000 },
    });
    const vendorInput = vendorSchema.parse({
      slug: 'bench',
      name: 'Bench',
      visibility: 'private',
      rate_caps: { per_day: 24, per_week: 100 },
      templates: [{ id: 'q', tier: 'P3', subject: 'Question (ref {{token}})', body: 'A question. ref {{token}}' }],
      channels: [{ id: 'email', kind: 'email', to: 'support@bench.example' }],
    });
    const templates = vendorInput.templates.flatMap((t) => ('use' in t ? [] : [t]));
    const catalog: Catalog = { dir: 'bench', settings, vendors: [{ ...vendorInput, templates, file: 'bench.yaml' }] };
    store.vendors.sync(catalog);
    const channel = store.vendors.channel('bench', 'email');
    if (!channel) throw new Error('bench channel missing');
    const now = Date.now();
    const probes = store.transaction(() =>
      Array.from({ length: openProbes }, () => {
        const token = newToken();
        const probe = store.probes.create({
          token,
          channelId: channel.id,
          template: 'q',
          tier: 'P3',
          language: 'en',
          scheduledAt: now - 120_000,
          messageId: `<${token.toLowerCase()}@firstreply.bench>`,
        });
        store.probes.markSending(probe.id);
        store.probes.markSent(probe.id, { sentAt: now - 110_000, deadlineAt: now + 86_400_000, expiresAt: now + 7 * 86_400_000 });
        return probe;
      }),
    );

    const bare = await bareIdlePeer(login);
    peers.push(bare);
    const poller = await pollerPeer(login, pollEveryMs);
    peers.push(poller);

    const total = replies + sparseReplies;
    let stored = 0;
    let allStored: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      allStored = resolve;
    });
    watcher = createMailWatcher({
      store,
      settings,
      mailbox: 'default',
      clock: systemClock,
      logger: silentLogger,
      onMessage: () => {
        if (++stored === total) allStored();
      },
    });
    await watcher.start();
    process.stderr.write(
      `detection: ${openProbes} open probes, delivering ${replies} replies in a burst, then ${sparseReplies} ${sparseGapMs.min}–${sparseGapMs.max} ms apart…\n`,
    );
    const random = seededRandom(18);

    for (let i = 0; i < total; i++) {
      const probe = probes[(i * 7919) % probes.length];
      if (!probe) continue;
      const raw = [
        'From: Agent <agent@bench.example>',
        `To: ${address}`,
        `Subject: Re: Question (ref ${probe.token})`,
        `Message-ID: <reply-${i}@bench.example>`,
        `In-Reply-To: ${probe.message_id}`,
        `Date: ${new Date().toUTCString()}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Hello,\r\n\r\nhere is the answer to your question (${i}).\r\n\r\nBest regards,\r\nAlex`,
        '',
      ].join('\r\n');
      await stack.deliver(address, raw);
      // Replies land at irregular intervals, as real mail does (a steady rate would hide batching effects).
      const gap = i < replies ? 40 + ((i * 37) % 80) : sparseGapMs.min + random() * (sparseGapMs.max - sparseGapMs.min);
      await new Promise((resolve) => setTimeout(resolve, gap));
    }
    const timeout = setTimeout(() => allStored(), 30_000);
    await done;
    clearTimeout(timeout);
    // The poller's next round picks up the last replies.
    await new Promise((resolve) => setTimeout(resolve, pollEveryMs + 500));

    const storedAt = storedAtByUid(stack.dovecot.maildir('probes'));
    const rows = store.db.prepare<[], { uid: number; detected_at: number }>('SELECT uid, detected_at FROM messages ORDER BY uid').all();
    const sorted = (values: number[]) => values.sort((a, b) => a - b);
    const lags = (from: number, to: number) => {
      const ours: number[] = [];
      const floor: number[] = [];
      const polled: number[] = [];
      for (const row of rows) {
        const at = storedAt.get(row.uid);
        if (at === undefined || row.uid < from || row.uid > to) continue;
        ours.push(row.detected_at - at);
        const bareAt = bare.seenAt.get(row.uid);
        if (bareAt !== undefined) floor.push(bareAt - at);
        const polledAt = poller.seenAt.get(row.uid);
        if (polledAt !== undefined) polled.push(polledAt - at);
      }
      return { ours: sorted(ours), floor: sorted(floor), polled: sorted(polled) };
    };
    const burst = lags(1, replies);
    const sparse = lags(replies + 1, total);
    const p50 = percentile(sparse.ours, 50);
    const pollP50 = percentile(sparse.polled, 50);
    const bareP50 = percentile(sparse.floor, 50);
    const where = `${openProbes} open probes, one mailbox, Dovecot on loopback, lag from the Maildir file's time`;
    const note = `${sparse.ours.length} replies ${sparseGapMs.min}–${sparseGapMs.max} ms apart (random), ${where}`;
    const round = (ms: number) => Math.round(ms);
    return [
      { bench: 'detection', figure: 'p50_ms', value: round(p50), unit: 'ms', note },
      { bench: 'detection', figure: 'p99_ms', value: round(percentile(sparse.ours, 99)), unit: 'ms', note },
      { bench: 'detection', figure: 'replies', value: sparse.ours.length, unit: 'count', note },
      {
        bench: 'detection',
        figure: 'bare_idle_p50_ms',
        value: round(bareP50),
        unit: 'ms',
        note: `the floor: a bare imapflow client issuing the watcher's commands on EXISTS (${sparse.floor.length} replies)`,
      },
      { bench: 'detection', figure: 'bare_idle_p99_ms', value: round(percentile(sparse.floor, 99)), unit: 'ms', note: 'the same peer' },
      {
        bench: 'detection',
        figure: 'overhead_p50_ms',
        value: round(p50 - bareP50),
        unit: 'ms',
        note: 'p50_ms minus bare_idle_p50_ms: what the watcher adds before it holds the message (detected_at is taken as the fetch returns it)',
      },
      {
        bench: 'detection',
        figure: 'poll_5s_p50_ms',
        value: round(pollP50),
        unit: 'ms',
        note: `a client fetching new UIDs every 5 s (${sparse.polled.length} replies)`,
      },
      { bench: 'detection', figure: 'ratio_to_poll_5s', value: Math.round((p50 / pollP50) * 1000) / 1000, unit: 'ratio', note: 'p50_ms / poll_5s_p50_ms' },
      {
        bench: 'detection',
        figure: 'burst_p50_ms',
        value: round(percentile(burst.ours, 50)),
        unit: 'ms',
        note: `${burst.ours.length} replies 40–120 ms apart, ${where}`,
      },
      { bench: 'detection', figure: 'burst_p99_ms', value: round(percentile(burst.ours, 99)), unit: 'ms', note: 'the same burst' },
      { bench: 'detection', figure: 'burst_bare_idle_p50_ms', value: round(percentile(burst.floor, 50)), unit: 'ms', note: 'the bare peer on the same burst' },
    ];
  } finally {
    await watcher?.stop();
    for (const peer of peers) await peer.stop().catch(() => undefined);
    store.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
