// Global set-up of the peers project: collects what each peer test file reported and prints one summary at the end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { z } from 'zod';
import type { PeerNote } from './helpers/peer-report.ts';

const noteSchema = z.union([
  z.object({ kind: z.literal('peer'), peer: z.string(), file: z.string(), skipped: z.string().nullable() }),
  z.object({ kind: z.literal('figure'), name: z.string(), value: z.number(), unit: z.string(), file: z.string(), detail: z.string().optional() }),
]);

function readNotes(file: string): PeerNote[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line): PeerNote => noteSchema.parse(JSON.parse(line)));
}

export function summaryLines(notes: readonly PeerNote[]): string[] {
  const lines = ['real peers (tests/peers):'];
  const peers = new Map<string, { used: Set<string>; skipped: Map<string, string> }>();
  for (const note of notes) {
    if (note.kind !== 'peer') continue;
    const entry = peers.get(note.peer) ?? { used: new Set<string>(), skipped: new Map<string, string>() };
    if (note.skipped === null) entry.used.add(basename(note.file));
    else entry.skipped.set(basename(note.file), note.skipped);
    peers.set(note.peer, entry);
  }
  if (peers.size === 0) lines.push('  (no peer test reported)');
  for (const [peer, entry] of [...peers].sort(([a], [b]) => a.localeCompare(b))) {
    if (entry.used.size > 0) lines.push(`  ${peer}: real, used by ${[...entry.used].join(', ')}`);
    for (const [file, why] of entry.skipped) lines.push(`  ${peer}: SKIPPED in ${file}: ${why}`);
  }
  const figures = notes.flatMap((note) => (note.kind === 'figure' ? [note] : []));
  if (figures.length > 0) lines.push('figures measured against real peers:');
  for (const figure of figures)
    lines.push(`  ${figure.name}: ${figure.value} ${figure.unit}${figure.detail ? ` (${figure.detail})` : ''} [${basename(figure.file)}]`);
  return lines;
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'firstreply-peers-report-'));
  const file = join(dir, 'notes.jsonl');
  project.provide('peersReport', file);
  return () => {
    console.log(`\n${summaryLines(readNotes(file)).join('\n')}\n`);
    rmSync(dir, { recursive: true, force: true });
  };
}
