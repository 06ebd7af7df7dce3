// `firstreply review [messageId label]`: the review queue from the terminal; a person's label overrides the classifier.
import { resolve } from 'node:path';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadCatalog } from '../config/load.ts';
import { systemClock } from '../core/clock.ts';
import { FirstReplyError } from '../core/errors.ts';
import { openStore, type Store } from '../store/db.ts';
import { messageLabels, type MessageLabel } from '../core/labels.ts';
import type { MessageWithReview } from '../store/messages.ts';
import { reviewMessage } from '../replies/review.ts';

const usage = `usage: firstreply review [--limit N] [--max-confidence X] [--json] [--db PATH] [--dir probes]
       firstreply review <messageId> <label> [--note TEXT] [--reviewer NAME] [--db PATH] [--dir probes]

Without arguments: lists messages waiting for a person — labelled "unknown" or classified with confidence below
--max-confidence (default 0.75) and not reviewed yet — with the classifier's reasons.
With a message id and a label (${messageLabels.join(', ')}): records the person's label; the probe's timeline
and every statistic use it from then on.`;

function isLabel(text: string): text is MessageLabel {
  return messageLabels.some((l) => l === text);
}

function reasonsOf(row: MessageWithReview): string[] {
  try {
    const value: unknown = JSON.parse(row.reasons);
    return Array.isArray(value) ? value.map(String) : [];
  } catch (err) {
    return [`(unreadable reasons: ${err instanceof Error ? err.message : String(err)})`];
  }
}

export function formatQueue(rows: readonly MessageWithReview[], unconfirmed: number): string {
  const lines = [`${rows.length} message(s) to review; ${unconfirmed} matched message(s) without a person's label`];
  for (const row of rows) {
    const at = new Date(row.received_at).toISOString().replace('T', ' ').slice(0, 16);
    lines.push(`#${row.id}  ${row.label} (${row.confidence.toFixed(2)})  ${at}  probe ${row.probe_id ?? '-'}  from ${row.from_addr ?? '?'}`);
    lines.push(`    subject: ${(row.subject ?? '').slice(0, 100)}`);
    for (const reason of reasonsOf(row).slice(0, 6)) lines.push(`    ${reason.slice(0, 160)}`);
  }
  return lines.join('\n');
}

/** Records a person's label for a message; returns the message as it now reads. */
export function applyReview(store: Store, messageId: number, label: string, reviewer: string, note?: string): MessageWithReview {
  if (!isLabel(label)) throw new FirstReplyError('BAD_INPUT', `unknown label "${label}" (use one of ${messageLabels.join(', ')})`);
  if (!store.messages.get(messageId)) throw new FirstReplyError('NOT_FOUND', `no message ${messageId}`);
  reviewMessage(store, messageId, label, reviewer, note);
  const after = store.messages.get(messageId);
  if (!after) throw new FirstReplyError('NOT_FOUND', `no message ${messageId}`);
  return after;
}

export const reviewCommand: Command = {
  summary: "list low-confidence replies, or give a reply a person's label",
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      limit: { type: 'string', default: '50' },
      'max-confidence': { type: 'string', default: '0.75' },
      json: { type: 'boolean', default: false },
      note: { type: 'string' },
      reviewer: { type: 'string' },
      db: { type: 'string' },
      dir: { type: 'string', default: 'probes' },
    });
    const dbPath = resolve(values.db ?? loadCatalog(values.dir, { mailSecrets: false }).settings.database);
    const store = openStore(dbPath, systemClock);
    try {
      if (positionals.length === 0) {
        const rows = store.messages.reviewQueue(Number(values['max-confidence']), Number(values.limit));
        const unconfirmed = store.messages.unconfirmedCount();
        if (values.json) process.stdout.write(`${JSON.stringify({ unconfirmed, queue: rows.map((r) => ({ ...r, reasons: reasonsOf(r) })) }, null, 2)}\n`);
        else process.stdout.write(`${formatQueue(rows, unconfirmed)}\n`);
        return 0;
      }
      const [idText, label] = positionals;
      const id = Number(idText);
      if (!Number.isInteger(id) || !label || positionals.length > 2)
        throw new FirstReplyError('BAD_INPUT', 'usage: firstreply review <messageId> <label> [--note TEXT]');
      const reviewer = values.reviewer ?? process.env.USER ?? 'cli';
      const after = applyReview(store, id, label, reviewer, values.note);
      process.stdout.write(
        `message #${id}: ${after.label} → ${after.effective_label} (by ${reviewer})${after.probe_id !== null ? `; probe ${after.probe_id}'s timeline updated` : ''}\n`,
      );
      return 0;
    } finally {
      store.close();
    }
  },
};
