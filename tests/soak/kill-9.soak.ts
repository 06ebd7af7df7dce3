// Soak: a probe runner in a child process is killed with SIGKILL at random moments (most within 35 ms of an SMTP 250,
// where the send's steps are) across many probes, and restarted each time; a simulated vendor answers every delivered
// probe. Reports kills survived, probes lost (delivered but out of the figures), double-sent, misdated. JSON line last.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openStore } from '../../src/store/db.ts';
import { channels } from '../../src/channels/registry.ts';
import { createEmailChannel } from '../../src/channels/email.ts';
import { createProbeRunner } from '../../src/runner/probe-runner.ts';
import { createMailWatcher } from '../../src/watch/imap.ts';
import { startMailStack } from '../../src/sandbox/mail-stack.ts';
import { probeAddress, rawReply, until, worldCatalog, worldSettings } from '../integration/email-fixtures.ts';

const total = Number(process.env.SOAK_PROBES ?? 60);
const targetKills = Number(process.env.SOAK_KILLS ?? 45);
const childPath = fileURLToPath(new URL('./kill-9-runner.ts', import.meta.url));
const messageIdOf = (raw: Buffer): string => raw.toString('latin1').match(/^Message-ID:\s*(<[^>]+>)/im)?.[1] ?? '';

const dir = mkdtempSync(join(tmpdir(), 'firstreply-soak-'));
const stack = await startMailStack({ dir, users: [{ user: 'probes', pass: 'probe-pass', address: probeAddress }] });
const accepted = new Map<string, number[]>();
const replies: Promise<void>[] = [];
let child: ChildProcess | undefined;
let generation = 0;
let kills = 0;
let restarts = 0;
/** Kills not yet followed by a completed reconcile; a restart that reconciles survives them all. */
let pendingKills = 0;
let survived = 0;
let killsDuringRestart = 0;
let reconciledThisRun = false;
const killAt: Record<string, number> = { 'after 250': 0, 'at random': 0 };

function kill(gen: number, why: string): void {
  if (gen !== generation || !child || child.exitCode !== null || kills >= targetKills) return;
  kills++;
  pendingKills++;
  if (!reconciledThisRun) killsDuringRestart++;
  killAt[why] = (killAt[why] ?? 0) + 1;
  child.kill('SIGKILL');
}

stack.onOutbound((mail) => {
  const id = messageIdOf(mail.raw);
  accepted.set(id, [...(accepted.get(id) ?? []), mail.acceptedAt]);
  const gen = generation;
  if (Math.random() < 0.75) setTimeout(() => kill(gen, 'after 250'), Math.random() * 35);
  // The vendor answers in the thread; the watcher reads it after the run.
  replies.push(
    stack.deliver(
      probeAddress,
      rawReply({
        from: 'Dana <dana@acme.test>',
        subject: 'Re: How do we rotate stream keys?',
        inReplyTo: id,
        body: 'Hi Sam,\n\nI looked at your channel: rotate the key under Settings > Stream; viewers stay connected for a minute.\n\nBest,\nDana',
      }),
    ),
  );
});

const args = JSON.stringify({ dir, smtp: stack.smtp, imap: stack.imap, total });
function runChild(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const gen = ++generation;
  restarts++;
  reconciledThisRun = false;
  const proc = spawn(process.execPath, ['--import', 'tsx', childPath, args], { stdio: ['ignore', 'pipe', 'inherit'] });
  child = proc;
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    if (!chunk.includes('"event":"reconciled"')) return;
    reconciledThisRun = true;
    survived += pendingKills;
    pendingKills = 0;
  });
  if (Math.random() < 0.3) setTimeout(() => kill(gen, 'at random'), 300 + Math.random() * 1500);
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
}

const started = Date.now();
for (;;) {
  const exit = await runChild();
  if (exit.code === 0) break;
  if (exit.signal !== 'SIGKILL') throw new Error(`runner exited with ${exit.code ?? exit.signal}`);
}
// One clean restart more: it reconciles after the last run.
await runChild();
await Promise.allSettled(replies);

// The replies are read; then a last reconcile keeps the Sent copies of probes a reply proved delivered.
const settings = worldSettings(stack, dir, stack.smtp.port, 0);
const catalog = worldCatalog(settings);
const store = openStore(join(dir, 'soak.db'), systemClock);
const watcher = createMailWatcher({ store, settings, mailbox: 'default', clock: systemClock, logger: silentLogger, backoff: { initialMs: 50, maxMs: 1000 } });
await watcher.start();
const expected = accepted.size;
await until(
  store,
  () => {
    const answered = store.probes.recent(total * 2).filter((p) => store.messages.forProbe(p.id).length > 0).length;
    return answered >= expected ? true : undefined;
  },
  60_000,
  'every reply',
).catch((err: unknown) => console.error(String(err)));
await watcher.stop();
const runner = createProbeRunner({
  store,
  catalog,
  clock: systemClock,
  logger: silentLogger,
  channels: { ...channels, email: createEmailChannel({ retryDelaysMs: [] }) },
  services: { store, settings, clock: systemClock, evidenceDir: settings.evidence_dir },
});
await runner.reconcile();
await runner.close();

const client = new ImapFlow({ host: stack.imap.host, port: stack.imap.port, secure: false, auth: { user: 'probes', pass: 'probe-pass' }, logger: false });
await client.connect();
const sentIds: string[] = [];
const lock = await client.getMailboxLock('Sent');
try {
  if (client.mailbox && client.mailbox.exists > 0) for await (const m of client.fetch('1:*', { envelope: true })) sentIds.push(m.envelope?.messageId ?? '');
} finally {
  lock.release();
  await client.logout();
}

const measured = new Set(['sent', 'answered', 'expired']);
let lost = 0,
  misdated = 0,
  phantom = 0,
  upgraded = 0,
  byAcceptance = 0,
  sendUnknownUndelivered = 0,
  maxOverstatementMs = 0,
  maxAcceptanceErrorMs = 0;
const probes = store.probes.recent(total * 2);
for (const probe of probes) {
  const times = accepted.get(probe.message_id ?? '');
  const at = times?.[0];
  if (at === undefined) {
    if (measured.has(probe.state)) phantom++;
    else if (probe.state === 'send_unknown') sendUnknownUndelivered++;
    continue;
  }
  if (!measured.has(probe.state) || probe.sent_at === null) {
    lost++;
    continue;
  }
  if (probe.sent_basis === 'reply') {
    upgraded++;
    maxOverstatementMs = Math.max(maxOverstatementMs, at - probe.sent_at);
    if (probe.sent_at > at) misdated++;
  } else {
    byAcceptance++;
    maxAcceptanceErrorMs = Math.max(maxAcceptanceErrorMs, Math.abs(probe.sent_at - at));
    if (Math.abs(probe.sent_at - at) > 1000) misdated++;
  }
}
const doubleSent = [...accepted.values()].filter((t) => t.length > 1).length;
const sentDuplicates = sentIds.length - new Set(sentIds).size;
const sentMissing = probes.filter((p) => measured.has(p.state) && !sentIds.includes(p.message_id ?? '')).length;
store.close();
await stack.stop();
rmSync(dir, { recursive: true, force: true });

const result = {
  soak: 'kill-9',
  probes: probes.length,
  delivered: accepted.size,
  kills,
  killsAfter250: killAt['after 250'],
  killsAtRandom: killAt['at random'],
  killsSurvived: survived,
  killsDuringRestart,
  restarts,
  lost,
  doubleSent,
  misdated,
  phantom,
  measuredBy250: byAcceptance,
  upgradedByReply: upgraded,
  neverDeliveredSendUnknown: sendUnknownUndelivered,
  sentFolderDuplicates: sentDuplicates,
  sentFolderMissing: sentMissing,
  maxAcceptanceErrorMs,
  maxUpgradeOverstatementMs: maxOverstatementMs,
  seconds: Math.round((Date.now() - started) / 1000),
};
console.log(
  `kill -9 soak: ${kills} kills (${survived} survived), ${probes.length} probes, ${accepted.size} delivered: ${lost} lost, ${doubleSent} double-sent, ${misdated} misdated`,
);
console.log(JSON.stringify(result));
process.exitCode = lost + doubleSent + misdated + phantom + sentDuplicates + sentMissing === 0 && survived === kills ? 0 : 1;
