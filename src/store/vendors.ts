// Queries of the vendors and channels tables: the catalog mirrored into the store.
import type { Db } from './db.ts';
import type { Clock } from '../core/clock.ts';
import type { Catalog, ChannelKind } from '../config/schema.ts';

export interface VendorRow {
  slug: string;
  name: string;
  visibility: 'public' | 'private';
  timezone: string;
  definition: string;
  paused: number;
  updated_at: number;
}

export interface ChannelRow {
  id: number;
  vendor: string;
  channel: string;
  kind: ChannelKind;
  definition: string;
  updated_at: number;
}

export function vendorQueries(db: Db, clock: Clock) {
  const upsertVendor = db.prepare(`INSERT INTO vendors (slug, name, visibility, timezone, definition, updated_at)
    VALUES (@slug, @name, @visibility, @timezone, @definition, @updated_at)
    ON CONFLICT (slug) DO UPDATE SET name = excluded.name, visibility = excluded.visibility,
      timezone = excluded.timezone, definition = excluded.definition, updated_at = excluded.updated_at`);
  const upsertChannel = db.prepare(`INSERT INTO channels (vendor, channel, kind, definition, updated_at)
    VALUES (@vendor, @channel, @kind, @definition, @updated_at)
    ON CONFLICT (vendor, channel) DO UPDATE SET kind = excluded.kind, definition = excluded.definition, updated_at = excluded.updated_at`);
  const allVendors = db.prepare<[], VendorRow>('SELECT * FROM vendors ORDER BY slug');
  const oneVendor = db.prepare<[string], VendorRow>('SELECT * FROM vendors WHERE slug = ?');
  const allChannels = db.prepare<[], ChannelRow>('SELECT * FROM channels ORDER BY vendor, channel');
  const oneChannel = db.prepare<[string, string], ChannelRow>('SELECT * FROM channels WHERE vendor = ? AND channel = ?');
  const channelById = db.prepare<[number], ChannelRow>('SELECT * FROM channels WHERE id = ?');
  const setPaused = db.prepare('UPDATE vendors SET paused = ?, updated_at = ? WHERE slug = ?');

  return {
    /** Mirrors the catalog; vendors and channels no longer defined are kept (their history stays). */
    sync(catalog: Catalog): void {
      const now = clock.now();
      db.transaction(() => {
        for (const vendor of catalog.vendors) {
          const { channels, templates, ...rest } = vendor;
          upsertVendor.run({ slug: vendor.slug, name: vendor.name, visibility: vendor.visibility, timezone: vendor.timezone, definition: JSON.stringify({ ...rest, templates: templates.map((t) => ({ id: t.id, tier: t.tier, language: t.language, scenario: t.scenario, expect: t.expect, facts: t.facts, follow_ups: t.follow_ups })) }), updated_at: now });
          for (const channel of channels) {
            upsertChannel.run({ vendor: vendor.slug, channel: channel.id, kind: channel.kind, definition: JSON.stringify(channel), updated_at: now });
          }
        }
      })();
    },
    all: () => allVendors.all(),
    get: (slug: string) => oneVendor.get(slug),
    channels: () => allChannels.all(),
    channel: (vendor: string, channel: string) => oneChannel.get(vendor, channel),
    channelById: (id: number) => channelById.get(id),
    setPaused: (slug: string, paused: boolean) => setPaused.run(paused ? 1 : 0, clock.now(), slug).changes > 0,
  };
}
