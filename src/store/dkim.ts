// The message_dkim table: each reply's DKIM verdict as checked at receipt (migration 017).
import type { Db } from './db.ts';

export const dkimResults = ['pass', 'fail', 'none', 'temperror', 'permerror', 'not_checked'] as const;
export type DkimResult = (typeof dkimResults)[number];

export interface DkimSignature {
  domain: string;
  selector: string | null;
  result: DkimResult;
  comment: string | null;
  /** The signing domain matches the From: domain. */
  aligned: boolean;
}

export interface DkimVerdict {
  result: DkimResult;
  domain: string | null;
  selector: string | null;
  signatures: DkimSignature[];
  checkedAt: number;
}

interface DkimRow {
  message_id: number;
  result: DkimResult;
  domain: string | null;
  selector: string | null;
  signatures: string;
  checked_at: number;
}

function signaturesOf(json: string): DkimSignature[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((s: unknown): DkimSignature[] => {
    if (typeof s !== 'object' || s === null) return [];
    const field = (name: string): unknown => (name in s ? Reflect.get(s, name) : undefined);
    const result = field('result');
    const domain = field('domain');
    const known = dkimResults.find((r) => r === result);
    if (known === undefined || typeof domain !== 'string') return [];
    const selector = field('selector');
    const comment = field('comment');
    return [
      {
        domain,
        result: known,
        selector: typeof selector === 'string' ? selector : null,
        comment: typeof comment === 'string' ? comment : null,
        aligned: field('aligned') === true,
      },
    ];
  });
}

export function dkimQueries(db: Db) {
  const insert = db.prepare(`INSERT INTO message_dkim (message_id, result, domain, selector, signatures, checked_at)
    VALUES (@message_id, @result, @domain, @selector, @signatures, @checked_at) ON CONFLICT (message_id) DO NOTHING`);
  const byMessage = db.prepare<[number], DkimRow>('SELECT * FROM message_dkim WHERE message_id = ?');
  const toVerdict = (row: DkimRow): DkimVerdict => ({
    result: row.result,
    domain: row.domain,
    selector: row.selector,
    signatures: signaturesOf(row.signatures),
    checkedAt: row.checked_at,
  });
  return {
    /** Keeps the first verdict of a message: a later check (another day's DNS key) never replaces the one at receipt. */
    record(messageId: number, verdict: DkimVerdict): void {
      insert.run({
        message_id: messageId,
        result: verdict.result,
        domain: verdict.domain,
        selector: verdict.selector,
        signatures: JSON.stringify(verdict.signatures),
        checked_at: verdict.checkedAt,
      });
    },
    forMessage(messageId: number): DkimVerdict | undefined {
      const row = byMessage.get(messageId);
      return row ? toVerdict(row) : undefined;
    },
  };
}
