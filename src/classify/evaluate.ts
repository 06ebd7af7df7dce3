// Measures a classifier against a labeled directory of .eml files: confusion matrix, false-human and missed-human rates.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageLabel } from '../store/messages.ts';
import type { Classification, ParsedMail, ReplyContext } from './types.ts';
import { parseMail } from './parse.ts';
import { buildView, type Language } from './view.ts';
import { FirstReplyError } from '../core/errors.ts';
import { parseDuration } from '../core/clock.ts';

export type Coarse = 'human' | 'auto' | 'bounce' | 'unknown';
const coarseLabels: readonly string[] = ['human', 'auto', 'bounce'];
const fineLabels: readonly string[] = ['human', 'auto_ack', 'out_of_office', 'bounce', 'bot', 'marketing', 'system'];

export function toCoarse(label: string): Coarse {
  if (label === 'human' || label === 'bounce' || label === 'unknown') return label;
  return 'auto';
}

export interface LabeledMail {
  file: string;
  /** As written in labels.tsv: a fine label (auto_ack…) or a coarse one (human | auto | bounce). */
  expected: string;
  reason: string;
  /** Seconds between our probe and the reply's arrival, when the fixture says. */
  delaySeconds?: number;
  probe?: { subject: string; body: string };
  vendor?: string;
}

/** Reads `labels.tsv` (file, label, reason, then optional key=value columns: delay=45s, probe=ID, vendor=SLUG). */
export function readLabels(dir: string): LabeledMail[] {
  const path = join(dir, 'labels.tsv');
  if (!existsSync(path)) throw new FirstReplyError('NOT_FOUND', `no labels.tsv in ${dir}`);
  const probesPath = join(dir, 'probes.json');
  const probes: Record<string, { subject: string; body: string }> = existsSync(probesPath) ? parseProbes(readFileSync(probesPath, 'utf8')) : {};
  const out: LabeledMail[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, index) => {
    if (!line.trim() || line.startsWith('#')) return;
    const cols = line.split('\t');
    const file = cols[0]?.trim() ?? '';
    const expected = cols[1]?.trim() ?? '';
    if (index === 0 && (file === 'file' || file === 'filename')) return;
    if (!coarseLabels.includes(expected) && !fineLabels.includes(expected)) {
      throw new FirstReplyError('BAD_INPUT', `${path}:${index + 1}: unknown label "${expected}"`);
    }
    const entry: LabeledMail = { file, expected, reason: cols[2]?.trim() ?? '' };
    for (const col of cols.slice(3)) {
      const [key, value] = col.split('=', 2).map((s) => s.trim());
      if (!key || value === undefined) continue;
      if (key === 'delay') entry.delaySeconds = parseDuration(value) / 1000;
      else if (key === 'vendor') entry.vendor = value;
      else if (key === 'probe') {
        const probe = probes[value];
        if (!probe) throw new FirstReplyError('BAD_INPUT', `${path}:${index + 1}: no probe "${value}" in probes.json`);
        entry.probe = probe;
      }
    }
    out.push(entry);
  });
  return out;
}

function parseProbes(text: string): Record<string, { subject: string; body: string }> {
  const value: unknown = JSON.parse(text);
  const out: Record<string, { subject: string; body: string }> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [id, probe] of Object.entries(value)) {
    if (typeof probe === 'object' && probe !== null && 'subject' in probe && 'body' in probe && typeof probe.subject === 'string' && typeof probe.body === 'string') {
      out[id] = { subject: probe.subject, body: probe.body };
    }
  }
  return out;
}

export interface Outcome {
  file: string;
  expected: string;
  predicted: MessageLabel;
  confidence: number;
  language: Language;
  reasons: string[];
}

export type Classifier = (mail: ParsedMail, ctx: ReplyContext) => Classification;

/** A fixed arrival time for fixtures that give no delay: timing rules then stay silent. */
const FIXTURE_RECEIVED_AT = Date.UTC(2026, 0, 5, 12, 0, 0);

/**
 * Classifies every labeled mail in file order. Template fingerprints accumulate per vendor (the `vendor` column, else
 * the sender's domain) as they would in production: each mail is judged knowing only the mails before it.
 */
export async function runCorpus(dir: string, classifiers: Record<string, Classifier>, fastReplyMs = 60_000): Promise<Record<string, Outcome[]>> {
  const labels = readLabels(dir).sort((a, b) => a.file.localeCompare(b.file));
  const results: Record<string, Outcome[]> = {};
  const seen: Record<string, Map<string, Set<string>>> = {};
  for (const name of Object.keys(classifiers)) { results[name] = []; seen[name] = new Map(); }
  for (const entry of labels) {
    const mail = await parseMail(readFileSync(join(dir, entry.file)));
    const vendor = entry.vendor ?? mail.from?.address.split('@')[1] ?? 'unknown';
    const language = buildView(mail, { receivedAt: 0, fastReplyMs }).lang;
    for (const [name, classify] of Object.entries(classifiers)) {
      const prints = seen[name]?.get(vendor) ?? new Set<string>();
      const ctx: ReplyContext = { receivedAt: FIXTURE_RECEIVED_AT, fastReplyMs, vendor, knownFingerprints: prints };
      if (entry.delaySeconds !== undefined) ctx.sentAt = FIXTURE_RECEIVED_AT - entry.delaySeconds * 1000;
      if (entry.probe) { ctx.probeSubject = entry.probe.subject; ctx.probeBody = entry.probe.body; }
      const result = classify(mail, ctx);
      if (result.fingerprint) prints.add(result.fingerprint);
      seen[name]?.set(vendor, prints);
      results[name]?.push({ file: entry.file, expected: entry.expected, predicted: result.label, confidence: result.confidence, language, reasons: result.reasons });
    }
  }
  return results;
}

export interface Rates {
  n: number;
  accuracy: number;
  /** Automatic mail (anything not written by a person) classified human: the costly error. */
  falseHuman: number;
  falseHumanCount: number;
  automaticCount: number;
  /** Human mail not classified human (including `unknown`, which waits for a person). */
  missedHuman: number;
  missedHumanCount: number;
  humanCount: number;
  /** Human mail classified `unknown` (part of missedHuman). */
  humanUnknown: number;
  unknownShare: number;
}

export interface Report {
  corpus: string;
  classifier: string;
  granularity: 'fine' | 'coarse';
  labels: string[];
  /** confusion[expected][predicted] = count. */
  confusion: Record<string, Record<string, number>>;
  perLabel: Record<string, { precision: number; recall: number; support: number }>;
  overall: Rates;
  perLanguage: Partial<Record<Language, Rates>>;
  errors: { file: string; expected: string; predicted: string; confidence: number }[];
}

function sameClass(expected: string, predicted: MessageLabel, granularity: 'fine' | 'coarse'): boolean {
  return granularity === 'fine' ? expected === predicted : toCoarse(expected) === toCoarse(predicted);
}

function rates(outcomes: readonly Outcome[], granularity: 'fine' | 'coarse'): Rates {
  const humans = outcomes.filter((o) => o.expected === 'human');
  const automatic = outcomes.filter((o) => o.expected !== 'human');
  const falseHumanCount = automatic.filter((o) => o.predicted === 'human').length;
  const missedHumanCount = humans.filter((o) => o.predicted !== 'human').length;
  const correct = outcomes.filter((o) => sameClass(o.expected, o.predicted, granularity)).length;
  const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10000) / 10000);
  return {
    n: outcomes.length,
    accuracy: ratio(correct, outcomes.length),
    falseHuman: ratio(falseHumanCount, automatic.length),
    falseHumanCount,
    automaticCount: automatic.length,
    missedHuman: ratio(missedHumanCount, humans.length),
    missedHumanCount,
    humanCount: humans.length,
    humanUnknown: humans.filter((o) => o.predicted === 'unknown').length,
    unknownShare: ratio(outcomes.filter((o) => o.predicted === 'unknown').length, outcomes.length),
  };
}

export function buildReport(corpus: string, classifier: string, outcomes: readonly Outcome[]): Report {
  const granularity = outcomes.every((o) => fineLabels.includes(o.expected)) ? 'fine' : 'coarse';
  const mapped = (label: string) => (granularity === 'fine' ? label : toCoarse(label));
  const labels = granularity === 'fine' ? [...fineLabels] : [...coarseLabels];
  const columns = [...labels, 'unknown'];
  const confusion: Record<string, Record<string, number>> = {};
  for (const l of labels) confusion[l] = Object.fromEntries(columns.map((c) => [c, 0]));
  for (const o of outcomes) {
    const row = confusion[mapped(o.expected)];
    const col = mapped(o.predicted);
    if (row) row[col] = (row[col] ?? 0) + 1;
  }
  const perLabel: Report['perLabel'] = {};
  for (const l of labels) {
    const tp = confusion[l]?.[l] ?? 0;
    const support = Object.values(confusion[l] ?? {}).reduce((a, b) => a + b, 0);
    const predicted = labels.reduce((sum, row) => sum + (confusion[row]?.[l] ?? 0), 0);
    perLabel[l] = { precision: predicted === 0 ? 0 : round4(tp / predicted), recall: support === 0 ? 0 : round4(tp / support), support };
  }
  const perLanguage: Report['perLanguage'] = {};
  for (const lang of ['en', 'zh', 'other'] as const) {
    const subset = outcomes.filter((o) => o.language === lang);
    if (subset.length > 0) perLanguage[lang] = rates(subset, granularity);
  }
  return {
    corpus, classifier, granularity, labels: columns, confusion, perLabel,
    overall: rates(outcomes, granularity), perLanguage,
    errors: outcomes.filter((o) => !sameClass(o.expected, o.predicted, granularity))
      .map((o) => ({ file: o.file, expected: o.expected, predicted: o.predicted, confidence: o.confidence })),
  };
}

function round4(n: number): number {
  return Math.round(n * 10000) / 10000;
}

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

export function formatReport(report: Report): string {
  const lines: string[] = [];
  const o = report.overall;
  lines.push(`${report.classifier} on ${report.corpus} (${o.n} mails, ${report.granularity} labels)`);
  lines.push(`  accuracy ${pct(o.accuracy)}   false-human ${pct(o.falseHuman)} (${o.falseHumanCount}/${o.automaticCount})   missed-human ${pct(o.missedHuman)} (${o.missedHumanCount}/${o.humanCount}, ${o.humanUnknown} unknown)   unknown ${pct(o.unknownShare)}`);
  for (const [lang, r] of Object.entries(report.perLanguage)) {
    lines.push(`  [${lang}] n=${r.n} accuracy ${pct(r.accuracy)} false-human ${pct(r.falseHuman)} (${r.falseHumanCount}/${r.automaticCount}) missed-human ${pct(r.missedHuman)} (${r.missedHumanCount}/${r.humanCount})`);
  }
  const width = Math.max(8, ...report.labels.map((l) => l.length));
  lines.push(`  confusion (rows: expected, columns: predicted)`);
  lines.push(`  ${''.padEnd(width)} ${report.labels.map((l) => l.slice(0, 8).padStart(8)).join(' ')}`);
  for (const [row, cols] of Object.entries(report.confusion)) {
    lines.push(`  ${row.padEnd(width)} ${report.labels.map((c) => String(cols[c] ?? 0).padStart(8)).join(' ')}`);
  }
  lines.push(`  per label: ${Object.entries(report.perLabel).map(([l, m]) => `${l} P=${pct(m.precision)} R=${pct(m.recall)} (n=${m.support})`).join('; ')}`);
  return lines.join('\n');
}
