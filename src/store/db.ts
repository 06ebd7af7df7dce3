// Opens the SQLite store (WAL, foreign keys), applies numbered migrations, and assembles the per-table queries.
import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../core/clock.ts';
import { vendorQueries } from './vendors.ts';
import { probeQueries } from './probes.ts';
import { messageQueries } from './messages.ts';
import { mailboxStateQueries } from './mailbox-state.ts';
import { reviewQueries } from './reviews.ts';
import { chatQueries } from './chat.ts';
import { statsQueries } from './stats.ts';
import { schedulerStateQueries } from './scheduler-state.ts';
import { fingerprintQueries } from './fingerprints.ts';
import { alertQueries } from './alerts.ts';
import { outageQueries } from './outages.ts';
import { qualityQueries } from './quality.ts';
import { roundQueries } from './rounds.ts';

export type Db = Database.Database;

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export function migrate(db: Db, now: number): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all().map(Number));
  const files = readdirSync(migrationsDir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort();
  const done: number[] = [];
  for (const file of files) {
    const version = Number(file.slice(0, 3));
    if (applied.has(version)) continue;
    const sql = readFileSync(join(migrationsDir, file), 'utf8');
    // A migration that rebuilds a table says `-- foreign_keys: off` (SQLite's own procedure: a DROP would cascade);
    // the keys are checked before it commits and switched back on after.
    const rebuild = /^-- foreign_keys: off$/m.test(sql);
    const keysWereOn = db.pragma('foreign_keys', { simple: true }) === 1;
    if (rebuild) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(sql);
        if (rebuild && db.prepare('PRAGMA foreign_key_check').all().length > 0) throw new Error(`migration ${file} leaves rows pointing nowhere`);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(version, file, now);
      })();
    } finally {
      if (rebuild && keysWereOn) db.pragma('foreign_keys = ON');
    }
    done.push(version);
  }
  return done;
}

/** What changed, so caches (status API, rollups) can be invalidated. */
export type ChangeKind = 'probe' | 'message' | 'alert';
type StoreEvents = Record<ChangeKind, [id: number]>;

interface OpenOptions {
  /** A reader beside the process that writes (the status worker): no migrations, every write refused. */
  readOnly?: boolean;
}

export function openStore(path: string, clock: Clock, options: OpenOptions = {}) {
  const readOnly = options.readOnly ?? false;
  if (path !== ':memory:' && !readOnly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: readOnly, fileMustExist: readOnly });
  if (!readOnly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  }
  db.pragma('busy_timeout = 5000');
  if (!readOnly) migrate(db, clock.now());
  const events = new EventEmitter<StoreEvents>();
  let revision = 0;
  const changed = (kind: ChangeKind, id: number): void => {
    revision++;
    events.emit(kind, id);
  };
  const store = {
    db,
    clock,
    events,
    /** Grows by one on every write of a result; cache keys include it. */
    revision: () => revision,
    changed,
    vendors: vendorQueries(db, clock),
    probes: probeQueries(db, clock, changed),
    messages: messageQueries(db, clock, changed),
    mailboxState: mailboxStateQueries(db, clock),
    reviews: reviewQueries(db, clock, changed),
    alerts: alertQueries(db, clock, changed),
    outages: outageQueries(db, changed),
    chat: chatQueries(db, changed),
    stats: statsQueries(db, clock),
    schedulerState: schedulerStateQueries(db, clock),
    fingerprints: fingerprintQueries(db, clock),
    quality: qualityQueries(db, clock, changed),
    rounds: roundQueries(db, changed),
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
    close(): void {
      if (db.open) db.close();
    },
  };
  return store;
}

export type Store = ReturnType<typeof openStore>;
export type Changed = (kind: ChangeKind, id: number) => void;
