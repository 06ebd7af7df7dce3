// Queries of answer quality: a probe's computed figures (probes columns + probe_quality), people's resolution marks,
// and the template memory of one skeleton (people's confirmations included: a confirmed person's macro is still canned).
import type { Db, Changed } from './db.ts';
import type { Clock } from '../core/clock.ts';

interface ProbeQualityRecord {
  resolved_at: number | null;
  resolution_rounds: number | null;
  quality_flags: number;
  resolved_by: 'rubric' | 'mark' | null;
  resolved_message_id: number | null;
  human_replies: number;
  asked_for_given: string[];
  canned_replies: number;
  language_match: boolean | null;
  handoffs: number;
  reasons: string[];
}

interface ResolutionMarkRow {
  id: number;
  message_id: number;
  resolves: 0 | 1;
  reviewer: string;
  note: string | null;
  created_at: number;
}

interface StoredQuality {
  resolved_at: number | null;
  resolution_rounds: number | null;
  quality_flags: number;
  resolved_by: 'rubric' | 'mark' | null;
  resolved_message_id: number | null;
  human_replies: number | null;
  asked_for_given: string | null;
  canned_replies: number | null;
  language_match: number | null;
  handoffs: number | null;
  reasons: string | null;
}

function parseList(text: string | null): string[] {
  if (text === null) return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

interface UnmarkedReplyRow {
  id: number;
  probe_id: number;
  received_at: number;
  subject: string | null;
  from_addr: string | null;
  excerpt: string;
  /** 1: the probe's resolution is measured (its template has expect:, or a reply is marked). */
  measured: 0 | 1;
  resolved_at: number | null;
  resolved_message_id: number | null;
}

export function qualityQueries(db: Db, clock: Clock, changed: Changed) {
  const setColumns = db.prepare(
    'UPDATE probes SET resolved_at = @resolved_at, resolution_rounds = @resolution_rounds, quality_flags = @quality_flags WHERE id = @id',
  );
  const upsert =
    db.prepare(`INSERT INTO probe_quality (probe_id, resolved_by, resolved_message_id, human_replies, asked_for_given, canned_replies, language_match, handoffs, reasons, computed_at)
    VALUES (@id, @resolved_by, @resolved_message_id, @human_replies, @asked_for_given, @canned_replies, @language_match, @handoffs, @reasons, @computed_at)
    ON CONFLICT (probe_id) DO UPDATE SET resolved_by = excluded.resolved_by, resolved_message_id = excluded.resolved_message_id,
      human_replies = excluded.human_replies, asked_for_given = excluded.asked_for_given, canned_replies = excluded.canned_replies,
      language_match = excluded.language_match, handoffs = excluded.handoffs, reasons = excluded.reasons, computed_at = excluded.computed_at`);
  const byProbe = db.prepare<[number], StoredQuality>(`SELECT p.resolved_at, p.resolution_rounds, p.quality_flags, q.resolved_by, q.resolved_message_id,
      q.human_replies, q.asked_for_given, q.canned_replies, q.language_match, q.handoffs, q.reasons
    FROM probes p LEFT JOIN probe_quality q ON q.probe_id = p.id WHERE p.id = ?`);
  const insertMark = db.prepare('INSERT INTO resolution_marks (message_id, resolves, reviewer, note, created_at) VALUES (?, ?, ?, ?, ?)');
  const latestMarks = db.prepare<[number], { message_id: number; resolves: 0 | 1 }>(`SELECT k.message_id, k.resolves FROM resolution_marks k
    JOIN messages m ON m.id = k.message_id
    WHERE m.probe_id = ? AND k.id = (SELECT id FROM resolution_marks WHERE message_id = k.message_id ORDER BY created_at DESC, id DESC LIMIT 1)`);
  const marksOf = db.prepare<[number], ResolutionMarkRow>('SELECT * FROM resolution_marks WHERE message_id = ? ORDER BY created_at, id');
  const unmarked = db.prepare<
    [number],
    UnmarkedReplyRow
  >(`SELECT m.id, m.probe_id, m.received_at, m.subject, m.from_addr, substr(coalesce(m.body_text, ''), 1, 500) AS excerpt,
      p.quality_flags & 1 AS measured, p.resolved_at, q.resolved_message_id
    FROM messages m JOIN probes p ON p.id = m.probe_id LEFT JOIN probe_quality q ON q.probe_id = p.id
    WHERE coalesce((SELECT r.label FROM reviews r WHERE r.message_id = m.id ORDER BY r.created_at DESC, r.id DESC LIMIT 1), m.label) = 'human'
      AND NOT EXISTS (SELECT 1 FROM resolution_marks k WHERE k.message_id = m.id)
    ORDER BY measured DESC, m.received_at DESC LIMIT ?`);
  const skeleton = db.prepare<[string, string], { seen: number; fast_seen: number; paced_seen: number }>(
    'SELECT seen, fast_seen, paced_seen FROM template_fingerprints WHERE vendor = ? AND fingerprint = ?',
  );

  return {
    /** Stores a probe's computed quality: the columns the statistics read and the explanation. */
    save(probeId: number, q: ProbeQualityRecord): void {
      db.transaction(() => {
        setColumns.run({ id: probeId, resolved_at: q.resolved_at, resolution_rounds: q.resolution_rounds, quality_flags: q.quality_flags });
        upsert.run({
          id: probeId,
          resolved_by: q.resolved_by,
          resolved_message_id: q.resolved_message_id,
          human_replies: q.human_replies,
          asked_for_given: JSON.stringify(q.asked_for_given),
          canned_replies: q.canned_replies,
          language_match: q.language_match === null ? null : q.language_match ? 1 : 0,
          handoffs: q.handoffs,
          reasons: JSON.stringify(q.reasons),
          computed_at: clock.now(),
        });
      })();
      changed('probe', probeId);
    },
    /** A probe's stored quality (zeros and empty lists before the first computation), or undefined without the probe. */
    forProbe(probeId: number): ProbeQualityRecord | undefined {
      const row = byProbe.get(probeId);
      if (!row) return undefined;
      return {
        resolved_at: row.resolved_at,
        resolution_rounds: row.resolution_rounds,
        quality_flags: row.quality_flags,
        resolved_by: row.resolved_by,
        resolved_message_id: row.resolved_message_id,
        human_replies: row.human_replies ?? 0,
        asked_for_given: parseList(row.asked_for_given),
        canned_replies: row.canned_replies ?? 0,
        language_match: row.language_match === null ? null : row.language_match === 1,
        handoffs: row.handoffs ?? 0,
        reasons: parseList(row.reasons),
      };
    },
    mark(messageId: number, resolves: boolean, reviewer: string, note?: string): number {
      return Number(insertMark.run(messageId, resolves ? 1 : 0, reviewer, note ?? null, clock.now()).lastInsertRowid);
    },
    /** The latest mark of each marked message of a probe. */
    marksForProbe: (probeId: number): Map<number, boolean> => new Map(latestMarks.all(probeId).map((r) => [r.message_id, r.resolves === 1])),
    marksForMessage: (messageId: number) => marksOf.all(messageId),
    /** Human replies no person has marked yet, those of measured probes first, newest first: what the review page offers to mark. */
    unmarkedReplies: (limit: number) => unmarked.all(limit),
    /** What the vendor's memory holds about one skeleton, whether or not a person confirmed it as written by a person. */
    skeleton(vendor: string, fingerprint: string): { seen: number; fastSeen: number; pacedSeen: number } | undefined {
      const row = skeleton.get(vendor, fingerprint);
      return row ? { seen: row.seen, fastSeen: row.fast_seen, pacedSeen: row.paced_seen } : undefined;
    },
  };
}
