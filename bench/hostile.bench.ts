// Event-loop delay while the real watcher catches up ≥ 200 generated hostile mails on a loopback Dovecot: classification on
// the worker pool (what main runs), beside the same load classified on the main thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import iconv from 'iconv-lite';
import type { Figure } from './run.ts';
import { systemClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/core/logger.ts';
import { errorMessage } from '../src/core/errors.ts';
import { settingsSchema } from '../src/config/schema.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { startMailStack } from '../src/sandbox/mail-stack.ts';
import { createMailWatcher, type MailWatcherOptions } from '../src/watch/imap.ts';
import { withFolder } from '../src/watch/imap-client.ts';
import { createClassifierPool } from '../src/classify/worker-pool.ts';
import { classifyAndRemember, classifyElsewhereAndRemember } from '../src/replies/template-memory.ts';

const address = 'probes@firstreply.bench';
const variants = Number(process.env.FR_BENCH_HOSTILE_VARIANTS ?? 14);
const STALL_MS = 50;

const KB = 1024;
const head = (fields: Record<string, string>): string =>
  Object.entries({
    From: 'Hostile Sender <x@hostile.example>',
    To: address,
    Subject: 'Re: your question',
    'MIME-Version': '1.0',
    ...fields,
  })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
const mail = (fields: Record<string, string>, body: string | Buffer): Buffer =>
  Buffer.concat([
    Buffer.from(`${head({ 'Message-ID': `<${Math.random().toString(36).slice(2)}@hostile.example>`, ...fields })}\r\n\r\n`),
    typeof body === 'string' ? Buffer.from(body) : body,
  ]);

function nested(depth: number): string {
  let body = 'the innermost text';
  for (let d = depth; d > 0; d--) body = `--n${d}\r\nContent-Type: multipart/mixed; boundary="n${d + 1}"\r\n\r\n${body}\r\n--n${d}--`;
  return body;
}

/** Each generator makes its i-th variant; sizes grow with i (about 50–120 KB of hostile text, a few much larger). */
const hostileKinds: Record<string, (i: number) => Buffer> = {
  'long line of letters': (i) => mail({}, 'a'.repeat((50 + i * 5) * KB)),
  NULs: (i) => mail({}, '\0'.repeat((50 + i * 5) * KB)),
  '&amp; runs (HTML)': (i) => mail({ 'Content-Type': 'text/html; charset=utf-8' }, '&amp;'.repeat((10 + i) * KB)),
  'digits and letters': (i) => mail({}, 'a1'.repeat((25 + i * 3) * KB)),
  '> and spaces': (i) => mail({}, '> '.repeat((25 + i * 3) * KB)),
  'On repeated': (i) => mail({}, 'On '.repeat((17 + i * 2) * KB)),
  'CJK without spaces': (i) => mail({ 'Content-Type': 'text/plain; charset=utf-8' }, '您好请问工单'.repeat((3 + i) * KB)),
  'unclosed tags (HTML)': (i) => mail({ 'Content-Type': 'text/html' }, `${'<'.repeat((30 + i * 5) * KB)}${'<a '.repeat(10 * KB)}${'<script'.repeat(5 * KB)}`),
  'deep MIME nesting': (i) => mail({ 'Content-Type': 'multipart/mixed; boundary="n1"' }, nested(40 + i * 20)),
  'broken base64': (i) =>
    mail(
      { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': 'base64' },
      `${Buffer.from('hello '.repeat(2000))
        .toString('base64')
        .slice(0, 5000 + i * 7)}!!@@##$$${'=*'.repeat((20 + i) * KB)}`,
    ),
  'GBK labelled GB2312': (i) =>
    mail(
      { 'Content-Type': 'text/plain; charset=gb2312', 'Content-Transfer-Encoding': '8bit' },
      iconv.encode('您好，您的工单已收到。我们会尽快回复。'.repeat(200 + i * 100), 'gbk'),
    ),
  'huge headers': (i) =>
    mail({ Subject: `Re: ${'x'.repeat((50 + i * 5) * KB)}`, 'X-Long': 'y '.repeat((50 + i * 5) * KB), References: '<'.repeat(50 * KB) }, 'short body'),
  'thousands of headers': (i) =>
    mail(Object.fromEntries(Array.from({ length: 2000 + i * 200 }, (_, k) => [`X-H${k}`, `v${k} ${'z'.repeat(20)}`])), 'short body'),
  'encoded-word runs': (i) =>
    mail({ Subject: '=?utf-8?B?5oKo5aW9?= '.repeat((3 + i) * KB), From: `${'=?x?q?a?= '.repeat(5 * KB)}<x@hostile.example>` }, 'short body'),
  'large HTML body': (i) =>
    mail(
      { 'Content-Type': 'text/html; charset=utf-8' },
      `<html><body>${'<div><p>Thanks for your message &amp; <b>details</b></p></div>'.repeat(((20 + i * 4) * KB) / 8)}</body></html>`,
    ),
};

export function hostileMails(): Array<{ kind: string; raw: Buffer }> {
  const out: Array<{ kind: string; raw: Buffer }> = [];
  for (let i = 0; i < variants; i++) for (const [kind, make] of Object.entries(hostileKinds)) out.push({ kind, raw: make(i) });
  return out;
}

function storedCount(store: Store): number {
  return store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages').get()?.n ?? 0;
}

interface Outcome {
  delivered: number;
  stored: number;
  notIngested: number;
  unknown: number;
  p99Ms: number;
  maxMs: number;
  stalls: number;
  seconds: number;
}

async function catchUp(mode: 'worker' | 'main', mails: Array<{ kind: string; raw: Buffer }>): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), `firstreply-bench-hostile-${mode}-`));
  const stack = await startMailStack({ dir, users: [{ user: 'probes', pass: 'bench', address }] });
  const store = openStore(join(dir, 'bench.db'), systemClock);
  const pool = mode === 'worker' ? createClassifierPool() : undefined;
  let watcher: ReturnType<typeof createMailWatcher> | undefined;
  try {
    let delivered = 0;
    for (const { kind, raw } of mails) {
      try {
        await stack.deliver(address, raw, 'x@hostile.example');
        delivered++;
      } catch (err) {
        process.stderr.write(`hostile bench: the server refused a "${kind}" mail: ${errorMessage(err)}\n`);
      }
    }
    const settings = settingsSchema.parse({
      mailboxes: {
        default: { address, imap: { host: stack.imap.host, port: stack.imap.port, secure: false, user: 'probes', pass: 'bench' }, folders: ['INBOX'] },
      },
      evidence_dir: join(dir, 'evidence'),
      classifier: { fast_reply_ms: 60_000 },
    });
    const options: MailWatcherOptions = { store, settings, mailbox: 'default', clock: systemClock, logger: silentLogger };
    if (pool) {
      options.parse = (raw) => pool.parse(raw);
      options.classify = (m, c) => classifyElsewhereAndRemember(store, m, c, (mm, cc) => pool.classify(mm, cc));
    } else {
      options.classify = (m, c) => classifyAndRemember(store, m, c);
    }
    // No open probe: a first catch-up would skip old mail, so the folder's progress is set to before the delivered mail.
    const mailbox = settings.mailboxes.default;
    if (!mailbox) throw new Error('bench mailbox missing');
    const uidValidity = await withFolder(mailbox, 'INBOX', async (client) => Number(client.mailbox ? client.mailbox.uidValidity : 0));
    store.mailboxState.put('default', 'INBOX', uidValidity, 0);
    watcher = createMailWatcher(options);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let stalls = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      if (now - last - 10 > STALL_MS) stalls++;
      last = now;
    }, 10);
    const started = performance.now();
    delay.enable();
    const done = new Promise<void>((resolve) => {
      const check = () => {
        if (storedCount(store) < delivered) return;
        store.events.off('message', check);
        resolve();
      };
      store.events.on('message', check);
      check();
    });
    await watcher.start();
    await done;
    delay.disable();
    clearInterval(ticker);
    const seconds = (performance.now() - started) / 1000;
    const labels = store.db.prepare<[], { label: string; reasons: string }>('SELECT label, reasons FROM messages').all();
    return {
      delivered,
      stored: labels.length,
      seconds,
      stalls,
      notIngested: labels.filter((l) => l.reasons.includes('not ingested')).length,
      unknown: labels.filter((l) => l.label === 'unknown').length,
      p99Ms: delay.percentile(99) / 1e6,
      maxMs: delay.max / 1e6,
    };
  } finally {
    await watcher?.stop();
    await pool?.close();
    store.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function run(): Promise<Figure[]> {
  const mails = hostileMails();
  const figures: Figure[] = [];
  for (const mode of ['worker', 'main'] as const) {
    const o = await catchUp(mode, mails);
    const where = mode === 'worker' ? 'classified on the worker pool' : 'classified on the main thread (peer)';
    const note = `${o.stored}/${o.delivered} hostile mails stored (${mails.length} generated, ${Object.keys(hostileKinds).length} kinds), ${o.unknown} unknown, ${o.notIngested} not ingested, ${round1(o.seconds)} s`;
    figures.push({ bench: 'hostile', figure: `event-loop delay p99, ${where}`, value: round1(o.p99Ms), unit: 'ms', note: `goal ≤ 50 ms; ${note}` });
    figures.push({ bench: 'hostile', figure: `event-loop delay max, ${where}`, value: round1(o.maxMs), unit: 'ms', note });
    figures.push({ bench: 'hostile', figure: `loop stalls > ${STALL_MS} ms, ${where}`, value: o.stalls, unit: 'stalls', note });
  }
  return figures;
}
