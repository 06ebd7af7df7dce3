// The demo's Snappy and Thorough desks through the real loopback mail stack: their agents answer the probe's
// follow-ups in the same thread. Snappy asks for the account id the probe gave, round after round, and never
// resolves; Thorough resolves at first contact, or after one follow-up telling it the encoder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { loadCatalog } from '../../src/config/load.ts';
import type { Catalog } from '../../src/config/schema.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { startMailStack, type MailStack } from '../../src/sandbox/mail-stack.ts';
import { startMailVendors, thoroughFirstReply, type Timers } from '../../src/sandbox/mail-vendor.ts';
import { demoCatalogDir, demoMailbox, demoOpenHours } from '../../src/sandbox/demo.ts';
import { createProbeRunner, type ProbeRunner } from '../../src/runner/probe-runner.ts';
import { createConversations, type Conversations } from '../../src/runner/conversation.ts';
import { channels } from '../../src/channels/registry.ts';
import { createMailWatcher, type MailWatcher } from '../../src/watch/imap.ts';
import { until } from './email-fixtures.ts';

// The desks' delays shortened, but never under the demo's fast-reply threshold (1.5 s): people stay at a person's pace.
const quickTimers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, Math.max(2_000, ms / 5)), clearTimeout: (handle) => clearTimeout(handle) };

let dir = '';
let stack: MailStack;
let catalog: Catalog;
let store: Store;
let runner: ProbeRunner;
let conversations: Conversations;
let watcher: MailWatcher;
let vendors: { stop(): Promise<void> };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'firstreply-sandbox-conv-'));
  stack = await startMailStack({ dir, users: [{ ...demoMailbox, pass: 'demo-pass' }] });
  catalog = loadCatalog(demoCatalogDir, {
    env: {
      ...process.env,
      FR_DEMO_DB: join(dir, 'demo.db'),
      FR_DEMO_EVIDENCE: join(dir, 'evidence'),
      FR_DEMO_SMTP_PORT: String(stack.smtp.port),
      FR_DEMO_IMAP_PORT: String(stack.imap.port),
      FR_DEMO_IMAP_PASS: 'demo-pass',
      ...demoOpenHours(Date.now()),
    },
  });
  store = openStore(join(dir, 'demo.db'), systemClock);
  store.vendors.sync(catalog);
  const services = { store, settings: catalog.settings, clock: systemClock, evidenceDir: join(dir, 'evidence') };
  runner = createProbeRunner({ store, catalog, clock: systemClock, logger: silentLogger, channels, services });
  conversations = createConversations({ store, catalog, clock: systemClock, logger: silentLogger, channels, services });
  conversations.start();
  vendors = startMailVendors({
    catalog: { ...catalog, vendors: catalog.vendors.filter((v) => v.slug === 'snappy' || v.slug === 'thorough') },
    stack,
    clock: systemClock,
    logger: silentLogger,
    timers: quickTimers,
  });
  watcher = createMailWatcher({ store, settings: catalog.settings, mailbox: 'default', clock: systemClock, logger: silentLogger });
  await watcher.start();
});

afterAll(async () => {
  await conversations?.stop();
  await vendors?.stop();
  await watcher?.stop();
  await runner?.close();
  store?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Plans Thorough probes until one whose first reply resolves (or not), as the desk decides from the token. */
function thoroughProbe(resolvesFirst: boolean): number {
  for (let i = 0; i < 40; i++) {
    const probe = runner.plan('thorough', 'email');
    if (thoroughFirstReply(probe.token).resolves === resolvesFirst) return probe.id;
  }
  throw new Error('no token gave the wanted first reply');
}

describe('Snappy and Thorough answer follow-ups through the mail stack', () => {
  it('Snappy: three scripted replies asking for the given account id, two follow-ups answering it, then max_rounds; never resolved', async () => {
    const probe = await runner.send(runner.plan('snappy', 'email').id);
    expect(probe.state).toBe('sent');
    const refused = await until(
      store,
      () => store.rounds.forProbe(probe.id).find((r) => r.state === 'refused'),
      40_000,
      'the conversation to reach max_rounds',
    );
    expect(refused.reason).toBe('max_rounds: the conversation has had its 3 rounds');
    const rounds = store.rounds.forProbe(probe.id);
    expect(rounds.map((r) => [r.round, r.state, JSON.parse(r.intents)])).toEqual([
      [2, 'sent', ['account_id']],
      [3, 'sent', ['account_id']],
      [4, 'refused', ['account_id']],
    ]);
    const messages = store.messages.forProbe(probe.id);
    expect(messages.map((m) => m.effective_label)).toEqual(['human', 'human', 'human']);
    // Each agent reply after the first threads on our follow-up.
    expect(messages.slice(1).map((m) => m.in_reply_to)).toEqual(rounds.slice(0, 2).map((r) => r.message_id));
    expect(rounds.slice(0, 2).map((r) => r.reply_message_id)).toEqual(messages.slice(1).map((m) => m.id));
    const quality = store.quality.forProbe(probe.id);
    expect(quality).toMatchObject({ resolved_at: null, human_replies: 3, asked_for_given: ['account_id'] });
  }, 60_000);

  it('Thorough: a first reply asking for the encoder gets the scripted answer, and the next reply resolves in round 2', async () => {
    const probe = await runner.send(thoroughProbe(false));
    const resolved = await until(
      store,
      () => {
        const q = store.quality.forProbe(probe.id);
        return q?.resolved_at ? q : undefined;
      },
      40_000,
      'the resolution',
    );
    const rounds = store.rounds.forProbe(probe.id);
    // What the probe's thread held, printed with any failure below (a rare failure here left nothing to read).
    const story = JSON.stringify({
      quality: resolved,
      rounds: rounds.map((r) => ({ round: r.round, state: r.state, intents: r.intents, reason: r.reason })),
      messages: store.messages.forProbe(probe.id).map((m) => ({ label: m.effective_label, subject: m.subject })),
    });
    expect(resolved, story).toMatchObject({ resolved_by: 'rubric', resolution_rounds: 2, asked_for_given: [] });
    expect(
      rounds.map((r) => [r.round, r.state, JSON.parse(r.intents)]),
      story,
    ).toEqual([[2, 'sent', ['encoder']]]);
    expect(rounds[0]?.body, story).toContain('OBS 30.1');
    // The resolving reply closes the round (linked just after it is stored).
    const closed = await until(store, () => store.rounds.forProbe(probe.id).find((r) => r.reply_message_id !== null), 10_000, 'the round closed');
    expect(closed.reply_message_id).toBe(resolved.resolved_message_id);
  }, 60_000);

  it('Thorough: a first reply that resolves needs no follow-up', async () => {
    const probe = await runner.send(thoroughProbe(true));
    const resolved = await until(
      store,
      () => {
        const q = store.quality.forProbe(probe.id);
        return q?.resolved_at ? q : undefined;
      },
      40_000,
      'the resolution',
    );
    expect(resolved).toMatchObject({ resolved_by: 'rubric', resolution_rounds: 1 });
    expect(store.rounds.forProbe(probe.id)).toEqual([]);
  }, 60_000);
});
