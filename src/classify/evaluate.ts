// Measures a classifier against a labeled directory of .eml files: confusion matrix, false-human and missed-human rates.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { MessageLabel } from '../core/labels.ts';
import type { Classification, ParsedMail, ReplyContext } from './types.ts';
import type { TemplateMemory } from '../store/fingerprints.ts';
import { replyPace } from './timing.ts';
import { parseMail } from './parse.ts';
import { buildView, type Language, type MailView } from './view.ts';
import { inThread } from './person.ts';
import { FirstReplyError } from '../core/errors.ts';
import { parseDuration } from '../core/clock.ts';

type Coarse = 'human' | 'auto' | 'bounce' | 'unknown';
const coarseLabels: readonly string[] = ['human', 'auto', 'bounce'];
const fineLabels: readonly string[] = ['human', 'auto_ack', 'out_of_office', 'bounce', 'bot', 'marketing', 'system'];

function toCoarse(label: string): Coarse {
  if (label === 'human' || label === 'bounce' || label === 'unknown') return label;
  return 'auto';
}

interface LabeledMail {
  file: string;
  /** As written in the labels: a fine label (auto_ack…) or a coarse one (human | auto | bounce). */
  expected: string;
  reason: string;
  /** The independent source it came from: its folder in the corpus (one per origin repository), else the corpus. */
  source: string;
  /**
   * Unsolicited mail (spam, phishing, cold sales): never matched to a probe in production (matching needs our token or thread), so out of the
   * classifier's domain. Kept in the corpus, left out of training and of the headline figures, reported apart.
   */
  outOfDomain?: boolean;
  /** Where the file came from (repository, path, commit), when the labels say. */
  origin?: { repo: string; path: string; commit: string };
  /** Seconds between our probe and the reply's arrival, when the fixture says. */
  delaySeconds?: number;
  probe?: { subject: string; body: string };
  vendor?: string;
}

/**
 * Reads a corpus's labels: `labels.tsv` and any `labels-*.tsv` beside it. Two layouts: the development one (file,
 * label, reason, then key=value columns: delay=45s, probe=ID, vendor=SLUG) and the external one, with a header
 * naming its columns (filename, label, source_repo, source_path, source_commit, label_derivation, and `kind`, a
 * fine label preferred over the coarse `label` when present).
 */
export function readLabels(dir: string): LabeledMail[] {
  const main = join(dir, 'labels.tsv');
  if (!existsSync(main)) throw new FirstReplyError('NOT_FOUND', `no labels.tsv in ${dir}`);
  const files = [
    main,
    ...readdirSync(dir)
      .filter((f) => /^labels-[\w-]+\.tsv$/.test(f))
      .sort()
      .map((f) => join(dir, f)),
  ];
  const probesPath = join(dir, 'probes.json');
  const probes: Record<string, { subject: string; body: string }> = existsSync(probesPath) ? parseProbes(readFileSync(probesPath, 'utf8')) : {};
  const out: LabeledMail[] = [];
  const seen = new Set<string>();
  const groups = readSourceGroups(dir);
  for (const path of files) {
    let columns: string[] | undefined;
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (!line.trim() || line.startsWith('#')) return;
        const cols = line.split('\t').map((c) => c.trim());
        if (index === 0 && (cols[0] === 'file' || cols[0] === 'filename')) {
          if (cols.includes('source_repo') || cols.includes('kind')) columns = cols;
          return;
        }
        const at = `${path}:${index + 1}`;
        const entry = columns ? namedRow(cols, columns, at, dir) : positionalRow(cols, at, probes, dir);
        if (seen.has(entry.file)) throw new FirstReplyError('BAD_INPUT', `${at}: ${entry.file} is labelled twice`);
        seen.add(entry.file);
        out.push({ ...entry, source: groups.get(entry.source) ?? entry.source });
      });
  }
  return out;
}

/**
 * Folders that are not independent of each other (one archive's lists, one library's ports) map to one source in
 * DIR/source-groups.tsv (folder<TAB>source); leave-one-source-out holds them out together.
 */
function readSourceGroups(dir: string): Map<string, string> {
  const path = join(dir, 'source-groups.tsv');
  const groups = new Map<string, string>();
  if (!existsSync(path)) return groups;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (!line.trim() || line.startsWith('#')) return;
      const [folder, source] = line.split('\t').map((c) => c.trim());
      if (!folder || !source) throw new FirstReplyError('BAD_INPUT', `${path}:${index + 1}: expected folder<TAB>source`);
      groups.set(folder, source);
    });
  return groups;
}

const isLabel = (label: string): boolean => coarseLabels.includes(label) || fineLabels.includes(label);

function sourceOf(file: string, dir: string): string {
  const slash = file.indexOf('/');
  return slash > 0 ? file.slice(0, slash) : basename(dir);
}

function namedRow(cols: readonly string[], columns: readonly string[], at: string, dir: string): LabeledMail {
  const get = (name: string): string => cols[columns.indexOf(name)] ?? '';
  const file = get('filename') || get('file');
  const kind = get('kind');
  const expected = kind && fineLabels.includes(kind) ? kind : get('label');
  if (!isLabel(expected)) throw new FirstReplyError('BAD_INPUT', `${at}: label: unknown label "${expected}"`);
  if (kind && !fineLabels.includes(kind)) throw new FirstReplyError('BAD_INPUT', `${at}: kind: unknown kind "${kind}"`);
  if (kind && toCoarse(kind) !== toCoarse(get('label'))) throw new FirstReplyError('BAD_INPUT', `${at}: kind: "${kind}" contradicts label "${get('label')}"`);
  const entry: LabeledMail = { file, expected, reason: get('label_derivation') || get('reason'), source: sourceOf(file, dir) };
  if (get('source_repo')) entry.origin = { repo: get('source_repo'), path: get('source_path'), commit: get('source_commit') };
  if (/spam|phishing|scam|cold_sales|unsolicited/i.test(get('fine_label'))) entry.outOfDomain = true;
  return entry;
}

function positionalRow(cols: readonly string[], at: string, probes: Record<string, { subject: string; body: string }>, dir: string): LabeledMail {
  const file = cols[0] ?? '';
  const expected = cols[1] ?? '';
  if (!isLabel(expected)) throw new FirstReplyError('BAD_INPUT', `${at}: unknown label "${expected}"`);
  const entry: LabeledMail = { file, expected, reason: cols[2] ?? '', source: sourceOf(file, dir) };
  for (const col of cols.slice(3)) {
    const [key, value] = col.split('=', 2).map((v) => v.trim());
    if (!key || value === undefined) continue;
    if (key === 'delay') entry.delaySeconds = parseDuration(value) / 1000;
    else if (key === 'vendor') entry.vendor = value;
    else if (key === 'probe') {
      const probe = probes[value];
      if (!probe) throw new FirstReplyError('BAD_INPUT', `${at}: no probe "${value}" in probes.json`);
      entry.probe = probe;
    }
  }
  return entry;
}

function parseProbes(text: string): Record<string, { subject: string; body: string }> {
  const value: unknown = JSON.parse(text);
  const out: Record<string, { subject: string; body: string }> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [id, probe] of Object.entries(value)) {
    if (
      typeof probe === 'object' &&
      probe !== null &&
      'subject' in probe &&
      'body' in probe &&
      typeof probe.subject === 'string' &&
      typeof probe.body === 'string'
    ) {
      out[id] = { subject: probe.subject, body: probe.body };
    }
  }
  return out;
}

interface Outcome {
  file: string;
  outOfDomain?: boolean;
  source: string;
  expected: string;
  predicted: MessageLabel;
  confidence: number;
  language: Language;
  shape: Shape;
  reasons: string[];
}

/**
 * What a mail is, whatever its label: a reply (in a thread, or quoting one: the shape of a vendor's answer to a
 * probe), a first message, or a body without headers (a fixture; probes never meet one).
 */
export type Shape = 'reply' | 'first' | 'body';
const shapes: Record<Shape, string> = { reply: 'a reply or quoting one', first: 'a first message', body: 'a body without headers' };

function shapeOf(view: MailView, headerless: boolean): Shape {
  if (headerless) return 'body';
  return inThread(view) || view.quoted.trim() !== '' ? 'reply' : 'first';
}

type Classifier = (mail: ParsedMail, ctx: ReplyContext) => Classification;

/** A fixed arrival time for fixtures that give no delay: timing rules then stay silent. */
const FIXTURE_RECEIVED_AT = Date.UTC(2026, 0, 5, 12, 0, 0);

/** A labeled mail, parsed once, with the context production would pass for it (template memory aside). */
export interface CorpusMail extends LabeledMail {
  mail: ParsedMail;
  vendor: string;
  language: Language;
  shape: Shape;
  ctx: ReplyContext;
}

export async function loadCorpus(dir: string, fastReplyMs = 60_000): Promise<CorpusMail[]> {
  const labels = readLabels(dir).sort((a, b) => a.file.localeCompare(b.file));
  const out: CorpusMail[] = [];
  for (const entry of labels) {
    const bytes = readFileSync(join(dir, entry.file));
    // Some public fixtures are a message body without headers (.txt, .html, no extension): read them as a plain-text
    // or HTML message, nothing added.
    const headerless = !hasHeaderBlock(bytes);
    const mail = await parseMail(headerless ? asMessage(bytes) : bytes);
    const vendor = entry.vendor ?? mail.from?.address.split('@')[1] ?? 'unknown';
    const ctx: ReplyContext = { receivedAt: FIXTURE_RECEIVED_AT, receivedResolutionMs: 1000, fastReplyMs, vendor };
    if (entry.delaySeconds !== undefined) ctx.sentAt = FIXTURE_RECEIVED_AT - entry.delaySeconds * 1000;
    if (entry.probe) {
      ctx.probeSubject = entry.probe.subject;
      ctx.probeBody = entry.probe.body;
    }
    const view = buildView(mail, ctx);
    out.push({ ...entry, mail, vendor, language: view.lang, shape: shapeOf(view, headerless), ctx });
  }
  return out;
}

/** Whether a file opens with a header field (or an mbox "From " line), as a whole message does. */
function hasHeaderBlock(bytes: Buffer): boolean {
  const first =
    /^[^\r\n]*/.exec(
      bytes
        .subarray(0, 1000)
        .toString('latin1')
        .replace(/^(\s*\r?\n)+/, ''),
    )?.[0] ?? '';
  return /^[!-9;-~]+:/.test(first) || /^From \S/.test(first);
}

function asMessage(body: Buffer): Buffer {
  const type = /^\s*<(!doctype|html|div|p|body|table|span|br|meta|head)\b/i.test(body.subarray(0, 200).toString('utf8')) ? 'text/html' : 'text/plain';
  return Buffer.concat([Buffer.from(`Content-Type: ${type}; charset=utf-8\r\n\r\n`), body]);
}

/**
 * Classifies mails in file order. Template memory accumulates per vendor (the `vendor` column, else the sender's
 * domain) as it would in production: each mail is judged knowing only the mails before it in the same pass.
 */
export function classifyInOrder(mails: readonly CorpusMail[], classify: Classifier): Outcome[] {
  const memory = new Map<string, Map<string, TemplateMemory>>();
  const outcomes: Outcome[] = [];
  for (const entry of mails) {
    const templates = memory.get(entry.vendor) ?? new Map<string, TemplateMemory>();
    const result = classify(entry.mail, { ...entry.ctx, templates });
    if (result.fingerprint) {
      const before = templates.get(result.fingerprint);
      const pace = replyPace(entry.ctx);
      templates.set(result.fingerprint, {
        label: result.label,
        seen: (before?.seen ?? 0) + 1,
        fastSeen: (before?.fastSeen ?? 0) + (pace === 'fast' ? 1 : 0),
        pacedSeen: (before?.pacedSeen ?? 0) + (pace === 'paced' ? 1 : 0),
      });
    }
    memory.set(entry.vendor, templates);
    outcomes.push({
      file: entry.file,
      outOfDomain: entry.outOfDomain,
      source: entry.source,
      expected: entry.expected,
      predicted: result.label,
      confidence: result.confidence,
      language: entry.language,
      shape: entry.shape,
      reasons: result.reasons,
    });
  }
  return outcomes;
}

/**
 * Leave-one-source-out: every source is scored by a classifier whose data-driven parts were built without it
 * (`build` receives the other sources' mails), its template memory starting empty. Outcomes keep file order.
 */
export function leaveOneSourceOut(mails: readonly CorpusMail[], build: (training: readonly CorpusMail[], heldOut: string) => Classifier): Outcome[] {
  const sources = [...new Set(mails.map((m) => m.source))].sort();
  const out: Outcome[] = [];
  for (const source of sources) {
    const classify = build(
      mails.filter((m) => m.source !== source),
      source,
    );
    out.push(
      ...classifyInOrder(
        mails.filter((m) => m.source === source),
        classify,
      ),
    );
  }
  return out;
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
  /** Replies, first messages and header-less bodies apart (see Shape). */
  perShape: Partial<Record<Shape, Rates>>;
  /** Rates of each independent source (its folder in the corpus). */
  perSource: Record<string, Rates>;
  /** Counts by expected label, fine where the labels are fine (auto_ack, out_of_office…). */
  perKind: Record<string, number>;
  /** Spam and phishing (out of the classifier's domain): left out of every figure above, measured apart. */
  outOfDomain?: Rates;
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

export function buildReport(corpus: string, classifier: string, all: readonly Outcome[]): Report {
  const outcomes = all.filter((o) => !o.outOfDomain);
  const spam = all.filter((o) => o.outOfDomain);
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
  const perShape: Report['perShape'] = {};
  for (const shape of Object.keys(shapes) as Shape[]) {
    const subset = outcomes.filter((o) => o.shape === shape);
    if (subset.length > 0) perShape[shape] = rates(subset, granularity);
  }
  const perSource: Report['perSource'] = {};
  for (const source of [...new Set(outcomes.map((o) => o.source))].sort())
    perSource[source] = rates(
      outcomes.filter((o) => o.source === source),
      granularity,
    );
  const perKind: Record<string, number> = {};
  for (const o of outcomes) perKind[o.expected] = (perKind[o.expected] ?? 0) + 1;
  return {
    corpus,
    classifier,
    granularity,
    labels: columns,
    confusion,
    perLabel,
    overall: rates(outcomes, granularity),
    perLanguage,
    perShape,
    perSource,
    perKind,
    ...(spam.length > 0 ? { outOfDomain: rates(spam, granularity) } : {}),
    errors: outcomes
      .filter((o) => !sameClass(o.expected, o.predicted, granularity))
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
  lines.push(
    `  accuracy ${pct(o.accuracy)}   false-human ${pct(o.falseHuman)} (${o.falseHumanCount}/${o.automaticCount})   missed-human ${pct(o.missedHuman)} (${o.missedHumanCount}/${o.humanCount}, ${o.humanUnknown} unknown)   unknown ${pct(o.unknownShare)}`,
  );
  for (const [lang, r] of Object.entries(report.perLanguage)) {
    lines.push(
      `  [${lang}] n=${r.n} accuracy ${pct(r.accuracy)} false-human ${pct(r.falseHuman)} (${r.falseHumanCount}/${r.automaticCount}) missed-human ${pct(r.missedHuman)} (${r.missedHumanCount}/${r.humanCount})`,
    );
  }
  for (const [shape, r] of Object.entries(report.perShape)) {
    lines.push(
      `  [${shapes[shape as Shape]}] n=${r.n} false-human ${pct(r.falseHuman)} (${r.falseHumanCount}/${r.automaticCount}) missed-human ${pct(r.missedHuman)} (${r.missedHumanCount}/${r.humanCount}, ${r.humanUnknown} unknown) unknown ${pct(r.unknownShare)}`,
    );
  }
  const sources = Object.entries(report.perSource);
  if (sources.length > 1) {
    lines.push(`  by source (${sources.length}):`);
    for (const [source, r] of sources) {
      lines.push(
        `    ${source.padEnd(22)} n=${String(r.n).padStart(4)}  false-human ${pct(r.falseHuman).padStart(6)} (${r.falseHumanCount}/${r.automaticCount})  missed-human ${pct(r.missedHuman).padStart(6)} (${r.missedHumanCount}/${r.humanCount}, ${r.humanUnknown} unknown)  unknown ${pct(r.unknownShare)}`,
      );
    }
    const worstFalse = sources.reduce((a, b) => (b[1].falseHuman > a[1].falseHuman ? b : a));
    const worstMissed = sources.reduce((a, b) => (b[1].missedHuman > a[1].missedHuman ? b : a));
    lines.push(
      `  worst source: false-human ${pct(worstFalse[1].falseHuman)} (${worstFalse[0]}), missed-human ${pct(worstMissed[1].missedHuman)} (${worstMissed[0]})`,
    );
  }
  if (report.outOfDomain) {
    const r = report.outOfDomain;
    lines.push(
      `  unsolicited mail: spam, phishing, cold sales (out of domain, not in the figures above): n=${r.n} counted human ${pct(r.falseHuman)} (${r.falseHumanCount}/${r.automaticCount})`,
    );
  }
  lines.push(
    `  kinds: ${Object.entries(report.perKind)
      .sort()
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  const width = Math.max(8, ...report.labels.map((l) => l.length));
  lines.push(`  confusion (rows: expected, columns: predicted)`);
  lines.push(`  ${''.padEnd(width)} ${report.labels.map((l) => l.slice(0, 8).padStart(8)).join(' ')}`);
  for (const [row, cols] of Object.entries(report.confusion)) {
    lines.push(`  ${row.padEnd(width)} ${report.labels.map((c) => String(cols[c] ?? 0).padStart(8)).join(' ')}`);
  }
  lines.push(
    `  per label: ${Object.entries(report.perLabel)
      .map(([l, m]) => `${l} P=${pct(m.precision)} R=${pct(m.recall)} (n=${m.support})`)
      .join('; ')}`,
  );
  return lines.join('\n');
}
