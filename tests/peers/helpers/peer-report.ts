// What the peer tests tell the summary (tests/peers/summary.ts): which real peers ran or were skipped and why, and figures.
import { appendFileSync } from 'node:fs';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The JSON-lines file the peers project's global set-up prints at the end of the run. */
    peersReport: string;
  }
}

export type PeerNote =
  | { kind: 'peer'; peer: string; file: string; skipped: string | null }
  | { kind: 'figure'; name: string; value: number; unit: string; file: string; detail?: string };

function write(note: PeerNote): void {
  // Outside the peers project (a single file run with another config) there is no summary: the line is printed instead.
  const report: string | undefined = inject('peersReport');
  if (report) appendFileSync(report, `${JSON.stringify(note)}\n`);
  else console.log(`[peers] ${JSON.stringify(note)}`);
}

/**
 * Records whether a real peer is used by `file` (`missing` null) or skipped (`missing` says why), and returns
 * whether to skip: `describe.skipIf(skipPeer(...))`. A skip is always in the printed summary.
 */
export function skipPeer(peer: string, missing: string | null, file: string): boolean {
  write({ kind: 'peer', peer, file, skipped: missing });
  return missing !== null;
}

/** A figure a peer test measured (printed at once and again in the summary). */
export function reportFigure(name: string, value: number, unit: string, file: string, detail?: string): void {
  console.log(`[peers] ${name}: ${value} ${unit}${detail ? ` (${detail})` : ''}`);
  write({ kind: 'figure', name, value, unit, file, ...(detail ? { detail } : {}) });
}
