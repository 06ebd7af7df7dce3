// Reads what a trial report needs: the statistics of its vendors, channels and window (private vendors included: the
// report is the operator's), each probe with its token, and the evidence files kept for it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Store } from '../store/db.ts';
import { trialProbeQueries, type TrialProbeRow } from '../store/trial-probes.ts';
import { readReportRows, reportFrom, type StatsQuery } from '../metrics/report.ts';
import type { ProbeTiming } from '../store/stats.ts';
import { elapsedMs } from '../core/instant.ts';
import type { Trial } from './load.ts';
import type { ObservedSpread } from './plan.ts';
import { summarize } from '../metrics/survival.ts';
import { humanObservation } from '../metrics/report.ts';
import { trialReportFrom, type EvidenceFile, type TrialProbe, type TrialReport } from './report.ts';

const maxFilesPerProbe = 200;

function kindOf(file: string): EvidenceFile['kind'] {
  const ext = extname(file).toLowerCase();
  if (ext === '.eml') return 'eml';
  if (ext === '.jpg' || ext === '.jpeg' || ext === '.png') return 'screenshot';
  if (ext === '.json' || ext === '.txt' || ext === '.html') return 'transcript';
  return 'other';
}

function stringsOf(json: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** The probe's evidence: its messages' raw .eml, the paths the channel recorded, and the files under <evidence_dir>/<token>/. */
function evidenceOf(row: TrialProbeRow, evidenceDir: string): EvidenceFile[] {
  const raw = stringsOf(row.raw_messages).flatMap(
    (entry): Array<[string, string | null]> =>
      Array.isArray(entry) && typeof entry[0] === 'string' ? [[entry[0], typeof entry[1] === 'string' ? entry[1] : null]] : [],
  );
  const recorded = stringsOf(row.evidence).filter((path): path is string => typeof path === 'string');
  return probeEvidenceFiles({ token: row.token, raw, recorded }, evidenceDir);
}

interface ProbeEvidenceSources {
  token: string;
  /** [raw_path, raw_sha256] of the probe's stored messages. */
  raw: ReadonlyArray<readonly [string, string | null]>;
  /** Paths the channel recorded (probes.evidence). */
  recorded: readonly string[];
}

/** Every evidence file of a probe inside the evidence directory (nothing outside it), each once, with its recorded hash. */
export function probeEvidenceFiles(sources: ProbeEvidenceSources, evidenceDir: string): EvidenceFile[] {
  const root = resolve(evidenceDir);
  const found = new Map<string, EvidenceFile>();
  const add = (path: string, sha256: string | null) => {
    const absolute = isAbsolute(path) ? path : resolve(path);
    const inside = relative(root, absolute);
    // Only files inside the evidence directory are linked: the report must not point anywhere else on the machine.
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return;
    const file = inside.split(sep).join('/');
    if (!found.has(file)) found.set(file, { file, kind: kindOf(file), sha256 });
  };
  for (const [path, sha256] of sources.raw) add(path, sha256);
  for (const path of sources.recorded) add(path, null);
  const folder = join(root, sources.token.toLowerCase());
  if (existsSync(folder) && statSync(folder).isDirectory()) {
    for (const name of readdirSync(folder).sort().slice(0, maxFilesPerProbe)) {
      if (statSync(join(folder, name)).isFile()) add(join(folder, name), null);
    }
  }
  return [...found.values()];
}

interface CollectOptions {
  now: number;
  evidenceDir: string;
}

export function collectTrialReport(store: Store, trial: Trial, options: CollectOptions): TrialReport {
  const query: StatsQuery = { now: options.now, from: trial.from, to: trial.to, includePrivate: true };
  const rows = readReportRows(store, query);
  rows.vendors = rows.vendors
    .filter((v) => trial.vendors.includes(v.row.slug))
    .map((v) => ({ ...v, channels: v.channels.filter((c) => (trial.channelsOf[v.row.slug] ?? []).includes(c.channel.channel)) }));
  const stats = reportFrom(rows, query);
  const timings = new Map<string, ProbeTiming[]>();
  for (const v of rows.vendors) for (const c of v.channels) timings.set(`${v.row.slug}/${c.channel.channel}`, c.timings);
  const queries = trialProbeQueries(store);
  const probes: TrialProbe[] = [];
  for (const v of rows.vendors) {
    for (const c of v.channels) {
      for (const row of queries.probes(v.row.slug, c.channel.channel, trial.from, trial.to)) {
        probes.push({
          id: row.id,
          vendor: row.vendor,
          channel: row.channel,
          kind: row.kind,
          tier: row.tier,
          template: row.template,
          language: row.language,
          state: row.state,
          token: row.token,
          ticketRef: row.ticket_ref,
          sentAt: row.sent_at,
          deadlineAt: row.deadline_at,
          firstAckAt: row.first_ack_at,
          firstBotAt: row.first_bot_at,
          firstHumanAt: row.first_human_at,
          resolvedAt: row.resolved_at,
          firstHumanMs: row.sent_at !== null && row.first_human_at !== null ? elapsedMs(row.sent_at, row.first_human_at) : null,
          awaitingReview: row.review_since !== null,
          evidence: evidenceOf(row, options.evidenceDir),
        });
      }
    }
  }
  return trialReportFrom({ trial, stats, timings, probes, now: options.now });
}

/** What the store has seen so far (all time) of each trial channel: the median, the spread of ln(answer time) and the no-reply share. */
export function observedSpreads(store: Store, trial: Trial, now: number): Map<string, ObservedSpread> {
  const out = new Map<string, ObservedSpread>();
  for (const v of readReportRows(store, { now, window: 'all', includePrivate: true }).vendors) {
    if (!trial.vendors.includes(v.row.slug)) continue;
    for (const c of v.channels) {
      const logs = c.timings
        .filter((t) => t.first_human_at !== null && t.first_human_at <= now)
        .map((t) => Math.log(Math.max(1_000, elapsedMs(t.sent_at, t.first_human_at ?? t.sent_at))));
      const closed = c.timings.filter((t) => t.state !== 'sent').length;
      const mean = logs.reduce((a, b) => a + b, 0) / Math.max(1, logs.length);
      const sigma = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, logs.length - 1));
      const summary = summarize(
        c.timings.map((t) => humanObservation(t, now)),
        { curve: false },
      );
      out.set(`${v.row.slug}/${c.channel.channel}`, {
        answered: logs.length,
        closed,
        medianMs: summary.median.value ?? Math.exp(mean),
        sigma,
        noReplyShare: closed === 0 ? 0 : Math.max(0, closed - logs.length) / closed,
      });
    }
  }
  return out;
}
