// Adding a channel kind is one module + one registry line: a fake kind registered here runs a probe through the real
// runner and store, its settings parsed by the union built the way config builds it; migration 014 lets its replies be stored.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock, MINUTE } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { channelDefSchemaOf, settingsSchema, vendorSchema, type Catalog, type ChannelDef } from '../../src/config/schema.ts';
import { migrate, openStore, type Store } from '../../src/store/db.ts';
import { createProbeRunner } from '../../src/runner/probe-runner.ts';
import { recordMessage } from '../../src/replies/record.ts';
import { newMessage } from '../../src/replies/message.ts';
import type { ChannelModule, SendContext } from '../../src/channels/channel.ts';
import { channels, registerChannels } from '../../src/channels/registry.ts';

const fakeSettingsSchema = z.strictObject({ desk: z.string().min(1) });

/** The whole of a new kind: its settings, what it needs, whether it is scheduled, its replies' source, its send. */
function fakeChannel(sent: Array<SendContext<'fake'>>): ChannelModule<'fake'> {
  return {
    kind: 'fake',
    settings: fakeSettingsSchema,
    needs: { browser: false, mailbox: false },
    scheduled: true,
    replySource: 'chat',
    async send(ctx) {
      sent.push(ctx);
      return { sentAt: ctx.services.clock.now() };
    },
    async reconcile() {
      return { outcome: 'unknown', note: 'the fake desk keeps no trace' };
    },
  };
}

/**
 * The one cast of this test: the production Catalog's channel union lists the production kinds; the fake kind is
 * in this test's registry only, and its definition came from the union derived from that registry.
 */
const asCatalogChannel = (channel: unknown): ChannelDef => channel as ChannelDef;

let store: Store | undefined;
afterEach(() => store?.close());

describe('a channel kind registered by one line', () => {
  it('parses its settings, sends one probe through the real runner and records its reply in the store', async () => {
    const sent: Array<SendContext<'fake'>> = [];
    const registry = registerChannels({ ...channels, fake: fakeChannel(sent) });
    const settingsByKind = Object.fromEntries(Object.values(registry).map((m) => [m.kind, m.settings]));
    const definition = channelDefSchemaOf(settingsByKind).parse({ id: 'desk', kind: 'fake', desk: 'front', expiry: '1d' });
    expect(definition).toMatchObject({ kind: 'fake', desk: 'front', enabled: true, expiry: 86_400_000 });
    expect(() => channelDefSchemaOf(settingsByKind).parse({ id: 'desk', kind: 'fake' })).toThrow(/desk/);

    const vendor = vendorSchema.parse({
      slug: 'acme',
      name: 'Acme',
      visibility: 'public',
      timezone: 'UTC',
      rate_caps: { per_day: 5, per_week: 10 },
      templates: [{ id: 'q1', tier: 'P3', subject: 'Q1 {{token}}', body: 'body' }],
      channels: [{ id: 'email', kind: 'email', to: 'support@acme.test' }],
    });
    const templates = vendor.templates.flatMap((t) => ('use' in t ? [] : [t]));
    const catalog: Catalog = {
      dir: 'probes',
      settings: settingsSchema.parse({}),
      vendors: [{ ...vendor, templates, channels: [asCatalogChannel(definition)], file: 'acme.yaml' }],
    };
    const clock = new ManualClock();
    store = openStore(':memory:', clock);
    store.vendors.sync(catalog);
    const runner = createProbeRunner({
      store,
      catalog,
      clock,
      logger: silentLogger,
      channels: registry,
      services: { store, settings: catalog.settings, clock, evidenceDir: '/tmp' },
    });
    expect(registry.fake.scheduled).toBe(true);

    const probe = await runner.send(runner.plan('acme', 'desk').id);
    expect(probe.state).toBe('sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.channel).toMatchObject({ kind: 'fake', desk: 'front' });

    clock.advance(3 * MINUTE);
    recordMessage(
      store,
      newMessage({
        probe_id: probe.id,
        source: registry.fake.replySource,
        received_at: clock.now(),
        detected_at: clock.now(),
        body_text: 'Hello, this is Mia from the front desk.',
        label: 'human',
        confidence: 0.9,
        reasons: ['fake desk'],
      }),
    );
    const answered = store.probes.get(probe.id);
    expect(answered?.state).toBe('answered');
    expect(answered?.first_human_at).toBe(probe.sent_at === null ? null : probe.sent_at + 3 * MINUTE);
    await runner.close();
  });
});

describe('migration 014', () => {
  it('rebuilds messages without the source CHECK, keeping rows, reviews, indexes and triggers', () => {
    const clock = new ManualClock();
    store = openStore(':memory:', clock);
    const { db } = store;
    db.exec(`INSERT INTO vendors (slug, name, visibility, timezone, definition, updated_at) VALUES ('acme', 'Acme', 'public', 'UTC', '{}', 0);
      INSERT INTO channels (id, vendor, channel, kind, definition, updated_at) VALUES (1, 'acme', 'email', 'email', '{}', 0);
      INSERT INTO probes (id, token, channel_id, template, tier, state, sent_at, scheduled_at, created_at) VALUES (1, 'FR-AAAAAAAAAA', 1, 't', 'P3', 'sent', 0, 0, 0);
      INSERT INTO messages (id, probe_id, source, received_at, detected_at, label, confidence, created_at, truncated) VALUES (7, 1, 'imap', 5, 6, 'unknown', 0, 0, 1);
      INSERT INTO reviews (message_id, label, reviewer, created_at) VALUES (7, 'human', 'anna', 0);`);
    const schemaOf = () => db.prepare(`SELECT type, name FROM sqlite_master WHERE tbl_name = 'messages' ORDER BY type, name`).all();
    const before = schemaOf();

    db.exec('DELETE FROM schema_migrations WHERE version = 14');
    expect(migrate(db, clock.now())).toEqual([14]);
    expect(schemaOf()).toEqual(before);
    expect(db.prepare('SELECT id, probe_id, source, truncated FROM messages').all()).toEqual([{ id: 7, probe_id: 1, source: 'imap', truncated: 1 }]);
    expect(db.prepare('SELECT count(*) AS n FROM reviews WHERE message_id = 7').get()).toEqual({ n: 1 });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'messages'`).pluck().get()).not.toMatch(/source\s+TEXT NOT NULL CHECK/);
    db.prepare(
      `INSERT INTO messages (probe_id, source, received_at, detected_at, label, confidence, created_at) VALUES (1, 'webhook', 8, 8, 'human', 1, 0)`,
    ).run();
    expect(() =>
      db
        .prepare(`INSERT INTO messages (probe_id, source, received_at, detected_at, label, confidence, created_at) VALUES (1, 'imap', 8, 8, 'nonsense', 1, 0)`)
        .run(),
    ).toThrow(/CHECK/);
  });
});
