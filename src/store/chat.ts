// Queries the chat channel needs: texts seen before with a vendor (templates), and censoring a chat that stopped being watched.
import type { Db, Changed } from './db.ts';

export function chatQueries(db: Db, changed: Changed) {
  const seenBefore = db.prepare<[string, string, number], { n: number }>(`SELECT count(*) AS n FROM messages m
    JOIN probes p ON p.id = m.probe_id JOIN channels c ON c.id = p.channel_id
    WHERE m.source = 'chat' AND m.body_text = ? AND c.vendor = ? AND m.probe_id <> ? LIMIT 1`);
  const censor =
    db.prepare(`UPDATE probes SET state = 'expired', expires_at = min(coalesce(expires_at, @at), @at), closed_at = min(coalesce(expires_at, @at), @at)
    WHERE id = @id AND state = 'sent' AND first_human_at IS NULL`);
  return {
    /** Whether another probe's chat with this vendor carried exactly this text. */
    seenBefore: (vendor: string, text: string, probeId: number) => (seenBefore.get(text, vendor, probeId)?.n ?? 0) > 0,
    /** A chat watched until `at` without a human reply is censored there: no later reply can reach a closed chat. */
    censor(probeId: number, at: number): boolean {
      const ok = censor.run({ id: probeId, at }).changes > 0;
      if (ok) changed('probe', probeId);
      return ok;
    },
  };
}
