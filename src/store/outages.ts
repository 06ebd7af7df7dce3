// Queries of mailbox_outages: the intervals a mailbox could not be read, and the probes they keep out of the figures.
import type { Db, Changed } from './db.ts';

interface OutageRow {
  id: number;
  mailbox: string;
  started_at: number;
  ended_at: number | null;
  code: string;
  cause: string;
  detail: string | null;
}

interface OutageStart {
  mailbox: string;
  startedAt: number;
  code: string;
  cause: string;
  detail: string | null;
}

export function outageQueries(db: Db, changed: Changed) {
  const insert = db.prepare<OutageStart, OutageRow>(`INSERT INTO mailbox_outages (mailbox, started_at, code, cause, detail)
    VALUES (@mailbox, @startedAt, @code, @cause, @detail) RETURNING *`);
  const openOf = db.prepare<[string], OutageRow>('SELECT * FROM mailbox_outages WHERE mailbox = ? AND ended_at IS NULL');
  const allOpen = db.prepare<[], OutageRow>('SELECT * FROM mailbox_outages WHERE ended_at IS NULL ORDER BY started_at, id');
  const byId = db.prepare<[number], OutageRow>('SELECT * FROM mailbox_outages WHERE id = ?');
  const recent = db.prepare<[number], OutageRow>('SELECT * FROM mailbox_outages ORDER BY started_at DESC, id DESC LIMIT ?');
  const cause = db.prepare('UPDATE mailbox_outages SET code = @code, cause = @cause, detail = @detail WHERE id = @id AND ended_at IS NULL');
  const end = db.prepare<{ id: number; at: number }, OutageRow>(
    'UPDATE mailbox_outages SET ended_at = max(@at, started_at) WHERE id = @id AND ended_at IS NULL RETURNING *',
  );
  const hidden = db.prepare<[number], { id: number }>('SELECT id FROM probes WHERE outage_id = ? ORDER BY id');

  /** Marks the probes an outage touched as changed, so caches and alert rules see them leave the figures. */
  const touch = (outageId: number): number[] => {
    const ids = hidden.all(outageId).map((r) => r.id);
    for (const id of ids) changed('probe', id);
    return ids;
  };

  return {
    /** Opens the mailbox's outage (the one still open when there is one: a restart during an outage continues it). */
    open(start: OutageStart): OutageRow {
      const row = db.transaction(() => openOf.get(start.mailbox) ?? insert.get(start))();
      if (!row) throw new Error(`could not open an outage of mailbox ${start.mailbox}`);
      touch(row.id);
      return row;
    },
    /** Keeps the open outage's cause current (a refused login after a TLS fix is a different problem). */
    setCause(id: number, next: Pick<OutageStart, 'code' | 'cause' | 'detail'>): void {
      cause.run({ id, ...next });
    },
    /** Ends the mailbox's open outage at `at`; returns it, or undefined when none was open. */
    close(mailbox: string, at: number): OutageRow | undefined {
      const open = openOf.get(mailbox);
      if (!open) return undefined;
      const row = end.get({ id: open.id, at });
      if (row) touch(row.id);
      return row;
    },
    openOf: (mailbox: string) => openOf.get(mailbox),
    allOpen: () => allOpen.all(),
    get: (id: number) => byId.get(id),
    recent: (limit = 20) => recent.all(limit),
    /** Probes left out of the figures because of this outage. */
    hiddenProbes: (outageId: number) => hidden.all(outageId).map((r) => r.id),
  };
}
