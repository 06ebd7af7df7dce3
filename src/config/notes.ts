// Operator notes (probes/notes/*.yaml, one note a file): maintenance, a vendor's request to pause probes, a method change.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ConfigProblem } from '../core/errors.ts';
import { fieldOf, lineOf, parseFile, validateFile } from './config-file.ts';
import { instant, slug } from './primitives.ts';

export const noteKinds = ['maintenance', 'paused', 'method_change', 'other'] as const;

const noteSchema = z
  .strictObject({
    /** maintenance: ours or the vendor's; paused: probes paused (e.g. the vendor asked); method_change: how we measure changed. */
    kind: z.enum(noteKinds),
    vendor: slug,
    /** The channels it concerns; absent: every channel of the vendor. */
    channels: z.array(slug).min(1).optional(),
    from: instant,
    /** absent: still in effect. */
    until: instant.optional(),
    title: z.string().min(1).max(200),
    text: z.string().max(4000).default(''),
  })
  .refine((n) => n.until === undefined || n.until >= n.from, { message: 'until is before from', path: ['until'] });
type NoteInput = z.infer<typeof noteSchema>;

/** A note as stored and shown: its id is its file name without .yaml (or the admin API's id). */
export interface OperatorNote extends NoteInput {
  id: string;
}

/** What the notes may name: each vendor slug with its channel ids. */
type KnownChannels = ReadonlyMap<string, readonly string[]>;

/** Reads `<dir>/notes/*.yaml`; every problem at its file:line, a note naming an unknown vendor or channel included. */
export function loadNotes(dir: string, known: KnownChannels, show: (path: string) => string, problems: ConfigProblem[]): OperatorNote[] {
  const notesDir = join(dir, 'notes');
  if (!existsSync(notesDir)) return [];
  const notes: OperatorNote[] = [];
  for (const name of readdirSync(notesDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const path = join(notesDir, name);
    const parsed = parseFile(path, show(path), problems);
    if (!parsed) continue;
    const note = validateFile(noteSchema, parsed, parsed.value, problems);
    if (!note) continue;
    const at = (field: readonly (string | number)[], message: string) =>
      problems.push({ file: parsed.file, line: lineOf(parsed, field), field: fieldOf(field), message });
    const channels = known.get(note.vendor);
    if (!channels) {
      at(['vendor'], `no vendor "${note.vendor}" in the catalog`);
      continue;
    }
    const before = problems.length;
    note.channels?.forEach((c, i) => {
      if (!channels.includes(c)) at(['channels', i], `no channel "${c}" for ${note.vendor} (known: ${channels.join(', ')})`);
    });
    if (problems.length === before) notes.push({ id: name.replace(/\.ya?ml$/, ''), ...note });
  }
  return notes;
}
