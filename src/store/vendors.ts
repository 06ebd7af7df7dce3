// Queries of the vendors and channels tables: the catalog mirrored into the store.
import type { Db } from './db.ts';
import type { Clock } from '../core/clock.ts';
import type { Catalog, ChannelKind } from '../config/schema.ts';
import type { OperatorNote } from '../config/notes.ts';

/** An operator note as stored (channels: JSON array or null for every channel). */
export interface NoteRow {
  id: string;
  source: 'file' | 'admin';
  kind: OperatorNote['kind'];
  vendor: string;
  channels: string | null;
  from_at: number;
  until_at: number | null;
  title: string;
  text: string;
  created_at: number;
}

export interface VendorRow {
  slug: string;
  name: string;
  visibility: 'public' | 'private';
  timezone: string;
  definition: string;
  paused: number;
  updated_at: number;
}

interface ChannelRow {
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
  const dropFileNotes = db.prepare(`DELETE FROM operator_notes WHERE source = 'file'`);
  const insertNote = db.prepare(`INSERT INTO operator_notes (id, source, kind, vendor, channels, from_at, until_at, title, text, created_at)
    VALUES (@id, @source, @kind, @vendor, @channels, @from, @until, @title, @text, @now)`);
  const vendorNotes = db.prepare<[string, number], NoteRow>('SELECT * FROM operator_notes WHERE vendor = ? ORDER BY from_at DESC, id LIMIT ?');
  const recentNotes = db.prepare<[number, number], NoteRow>(`SELECT n.* FROM operator_notes n JOIN vendors v ON v.slug = n.vendor
    WHERE (? = 1 OR v.visibility = 'public') ORDER BY n.from_at DESC, n.id LIMIT ?`);
  const noteById = db.prepare<[string], NoteRow>('SELECT * FROM operator_notes WHERE id = ?');
  const removeNote = db.prepare(`DELETE FROM operator_notes WHERE id = ? AND source = 'admin'`);
  const noteValues = (note: OperatorNote, source: NoteRow['source'], now: number) => ({
    id: note.id,
    source,
    kind: note.kind,
    vendor: note.vendor,
    channels: note.channels ? JSON.stringify(note.channels) : null,
    from: note.from,
    until: note.until ?? null,
    title: note.title,
    text: note.text,
    now,
  });

  return {
    /** Mirrors the catalog; vendors and channels no longer defined are kept (their history stays). */
    sync(catalog: Catalog): void {
      const now = clock.now();
      db.transaction(() => {
        for (const vendor of catalog.vendors) {
          const { channels, templates, ...rest } = vendor;
          upsertVendor.run({
            slug: vendor.slug,
            name: vendor.name,
            visibility: vendor.visibility,
            timezone: vendor.timezone,
            definition: JSON.stringify({
              ...rest,
              templates: templates.map((t) => ({
                id: t.id,
                tier: t.tier,
                language: t.language,
                scenario: t.scenario,
                expect: t.expect,
                facts: t.facts,
                follow_ups: t.follow_ups,
              })),
            }),
            updated_at: now,
          });
          for (const channel of channels) {
            upsertChannel.run({ vendor: vendor.slug, channel: channel.id, kind: channel.kind, definition: JSON.stringify(channel), updated_at: now });
          }
        }
        if (catalog.notes) {
          dropFileNotes.run();
          for (const note of catalog.notes) insertNote.run(noteValues(note, 'file', now));
        }
      })();
    },
    all: () => allVendors.all(),
    get: (slug: string) => oneVendor.get(slug),
    channels: () => allChannels.all(),
    channel: (vendor: string, channel: string) => oneChannel.get(vendor, channel),
    channelById: (id: number) => channelById.get(id),
    setPaused: (slug: string, paused: boolean) => setPaused.run(paused ? 1 : 0, clock.now(), slug).changes > 0,
    /** A vendor's operator notes, latest first. */
    notes: (vendor: string, limit = 50) => vendorNotes.all(vendor, limit),
    /** Notes of every vendor the reader may see, latest first (the feed). */
    recentNotes: (limit: number, includePrivate: boolean) => recentNotes.all(includePrivate ? 1 : 0, limit),
    note: (id: string) => noteById.get(id),
    /** A note added through the admin API (its id must be new). */
    addNote: (note: OperatorNote) => void insertNote.run(noteValues(note, 'admin', clock.now())),
    /** Removes a note added through the admin API; file notes change only in their file. */
    removeNote: (id: string) => removeNote.run(id).changes > 0,
  };
}
