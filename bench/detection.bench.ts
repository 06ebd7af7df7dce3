// Reply detection lag on a real Dovecot: detected_at − the moment the server stored the reply, against a bare IDLE client's floor.
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

const replies = Number(process.env.FR_BENCH_REPLIES ?? 200);
/** Replies far enough apart that each finds both clients idling: the cost of our fetch on top of the server's notification. */
const sparseReplies = Number(process.env.FR_BENCH_SPARSE_REPLIES ?? 30);
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

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-bench-detection-'));
  const stack = await startMailStack({ dir, users: [{ user: 'probes', pass: 'bench', address }] });
  const store = openStore(join(dir, 'bench.db'), systemClock);
  const bare = new ImapFlow({ host: stack.imap.host, port: stack.imap.port, secure: false, auth: { user: 'probes', pass: 'bench' }, logger: false, autoIdleDelay: 200 });
  let watcher: ReturnType<typeof createMailWatcher> | undefined;
  try {
    const settings = settingsSchema.parse({
      mailboxes: { default: { address, imap: { host: stack.imap.host, port: stack.imap.port, secure: false, user: 'probes', pass: 'bench' }, folders: ['INBOX'] } },
      evidence_dir: join(dir, 'evidence'),
      classifier: { fast_reply_ms: 60_000 },
    });
    const vendorInput = vendorSchema.parse({
      slug: 'bench', name: 'Bench', visibility: 'private', rate_caps: { per_day: 24, per_week: 100 },
      templates: [{ id: 'q', tier: 'P3', subject: 'Question (ref {{token}})', body: 'A question. ref {{token}}' }],
      channels: [{ id: 'email', kind: 'email', to: 'support@bench.example' }],
    });
    const templates = vendorInput.templates.flatMap((t) => ('use' in t ? [] : [t]));
    const catalog: Catalog = { dir: 'bench', settings, vendors: [{ ...vendorInput, templates, file: 'bench.yaml' }] };
    store.vendors.sync(catalog);
    const channel = store.vendors.channel('bench', 'email');
    if (!channel) throw new Error('bench channel missing');
    const now = Date.now();
    const probes = store.transaction(() => Array.from({ length: openProbes }, () => {
      const token = newToken();
      const probe = store.probes.create({ token, channelId: channel.id, template: 'q', tier: 'P3', language: 'en', scheduledAt: now - 120_000, messageId: `<${token.toLowerCase()}@firstreply.bench>` });
      store.probes.markSending(probe.id);
      store.probes.markSent(probe.id, { sentAt: now - 110_000, deadlineAt: now + 86_400_000, expiresAt: now + 7 * 86_400_000 });
      return probe;
    }));

    const existsAt = new Map<number, number>();
    bare.on('exists', (event: { count: number; prevCount: number }) => {
      const at = Date.now();
      for (let seq = event.prevCount + 1; seq <= event.count; seq++) existsAt.set(seq, at);
    });
    await bare.connect();
    await bare.mailboxOpen('INBOX');

    const total = replies + sparseReplies;
    let stored = 0;
    let allStored: () => void = () => undefined;
    const done = new Promise<void>((resolve) => { allStored = resolve; });
    watcher = createMailWatcher({
      store, settings, mailbox: 'default', clock: systemClock, logger: silentLogger,
      onMessage: () => { if (++stored === total) allStored(); },
    });
    await watcher.start();
    process.stderr.write(`detection: ${openProbes} open probes, delivering ${replies} replies, then ${sparseReplies} spaced out…\n`);

    for (let i = 0; i < total; i++) {
      const probe = probes[(i * 7919) % probes.length];
      if (!probe) continue;
      const raw = [
        'From: Agent <agent@bench.example>', `To: ${address}`, `Subject: Re: Question (ref ${probe.token})`,
        `Message-ID: <reply-${i}@bench.example>`, `In-Reply-To: ${probe.message_id}`, `Date: ${new Date().toUTCString()}`,
        'Content-Type: text/plain; charset=utf-8', '', `Hello,\r\n\r\nhere is the answer to your question (${i}).\r\n\r\nBest regards,\r\nAlex`, '',
      ].join('\r\n');
      await stack.deliver(address, raw);
      // Replies land at irregular intervals, as real mail does (a steady rate would hide batching effects).
      const gap = i < replies ? 40 + ((i * 37) % 80) : 700 + ((i * 37) % 300);
      await new Promise((resolve) => setTimeout(resolve, gap));
    }
    const timeout = setTimeout(() => allStored(), 30_000);
    await done;
    clearTimeout(timeout);

    const storedAt = storedAtByUid(stack.dovecot.maildir('probes'));
    const rows = store.db.prepare<[], { uid: number; detected_at: number }>('SELECT uid, detected_at FROM messages ORDER BY uid').all();
    const lags = (from: number, to: number) => {
      const ours: number[] = [];
      const floor: number[] = [];
      for (const row of rows) {
        const at = storedAt.get(row.uid);
        if (at === undefined || row.uid < from || row.uid > to) continue;
        ours.push(row.detected_at - at);
        const bareAt = existsAt.get(row.uid); // a fresh mailbox without expunges: sequence number = UID
        if (bareAt !== undefined) floor.push(bareAt - at);
      }
      return { ours: ours.sort((a, b) => a - b), floor: floor.sort((a, b) => a - b) };
    };
    const { ours, floor } = lags(1, replies);
    const sparse = lags(replies + 1, total);
    const p50 = percentile(ours, 50);
    const bareP50 = percentile(floor, 50);
    const note = `${ours.length} replies, ${openProbes} open probes, one mailbox, Dovecot on loopback`;
    return [
      { bench: 'detection', figure: 'p50_ms', value: p50, unit: 'ms', note },
      { bench: 'detection', figure: 'p99_ms', value: percentile(ours, 99), unit: 'ms', note },
      { bench: 'detection', figure: 'overhead_p50_ms', value: p50 - bareP50, unit: 'ms', note: 'our p50 minus a bare imapflow IDLE client p50 on the same mailbox' },
      { bench: 'detection', figure: 'bare_idle_p50_ms', value: bareP50, unit: 'ms', note: "the server's own notification floor" },
      { bench: 'detection', figure: 'replies', value: ours.length, unit: 'count' },
      { bench: 'detection', figure: 'sparse_p50_ms', value: percentile(sparse.ours, 50), unit: 'ms', note: `${sparse.ours.length} replies about a second apart` },
      { bench: 'detection', figure: 'sparse_overhead_p50_ms', value: percentile(sparse.ours, 50) - percentile(sparse.floor, 50), unit: 'ms', note: 'the same, minus the bare IDLE client' },
    ];
  } finally {
    await watcher?.stop();
    await bare.logout().catch(() => bare.close());
    store.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
