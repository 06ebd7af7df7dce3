// One probe's evidence as a document: its timeline, every reply with the classifier's reasons, people's labels and the
// DKIM verdict at receipt, and each stored file with its SHA-256 (computed now, beside the hash recorded at receipt).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Store } from '../store/db.ts';
import type { ProbeView } from '../store/probes.ts';
import type { MessageLabel } from '../core/labels.ts';
import { dkimQueries, type DkimVerdict } from '../store/dkim.ts';
import { probeEvidenceFiles } from '../trials/collect.ts';
import type { EvidenceFile } from '../trials/report.ts';

export const timelineEvents = ['scheduled', 'sending', 'sent', 'first_ack', 'first_bot', 'first_human', 'resolved', 'deadline', 'expires', 'closed'] as const;
export type TimelineEvent = (typeof timelineEvents)[number];

export interface EvidenceMessage {
  id: number;
  source: string;
  receivedAt: number;
  detectedAt: number;
  headerDate: number | null;
  from: string | null;
  subject: string | null;
  matchMethod: string | null;
  label: MessageLabel;
  confidence: number;
  reasons: string[];
  /** The label every figure uses: the latest person's, else the classifier's. */
  effectiveLabel: MessageLabel;
  reviews: Array<{ label: MessageLabel; reviewer: string; note: string | null; at: number }>;
  resolutionMarks: Array<{ resolves: boolean; reviewer: string; note: string | null; at: number }>;
  /** The stored raw message, relative to the evidence directory; null when none was kept (chat, manual). */
  rawFile: string | null;
  rawSha256: string | null;
  size: number | null;
  truncated: boolean;
  parseError: string | null;
  text: string | null;
  /** null: not an e-mail, or received before DKIM was checked at receipt. */
  dkim: DkimVerdict | null;
}

export interface EvidenceFileCheck extends EvidenceFile {
  bytes: number | null;
  /** SHA-256 of the file's bytes now; null when the file is gone. */
  sha256Now: string | null;
  /** The stored hash and today's agree; null when no hash was recorded. */
  matches: boolean | null;
}

export interface ProbeEvidence {
  probe: {
    id: number;
    vendor: string;
    vendorName: string;
    channel: string;
    kind: string;
    tier: string;
    template: string;
    language: string;
    state: string;
    token: string;
    ticketRef: string | null;
    errorCode: string | null;
    errorText: string | null;
  };
  timeline: Array<{ event: TimelineEvent; at: number; messageId: number | null }>;
  messages: EvidenceMessage[];
  resolution: { resolvedAt: number | null; resolvedBy: 'rubric' | 'mark' | null; messageId: number | null; rounds: number | null; reasons: string[] } | null;
  files: EvidenceFileCheck[];
}

function reasonsOf(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((r): r is string => typeof r === 'string') : [];
}

function recordedPaths(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

async function checkFile(root: string, file: EvidenceFile): Promise<EvidenceFileCheck> {
  const path = join(root, file.file);
  try {
    const info = await stat(path);
    const now = await sha256Of(path);
    return { ...file, bytes: info.size, sha256Now: now, matches: file.sha256 === null ? null : file.sha256 === now };
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT')
      return { ...file, bytes: null, sha256Now: null, matches: file.sha256 === null ? null : false };
    throw err;
  }
}

function timelineOf(probe: ProbeView, resolvedAt: number | null, messages: readonly EvidenceMessage[]): ProbeEvidence['timeline'] {
  const firstOf = (labels: readonly MessageLabel[], at: number | null) =>
    at === null ? null : (messages.find((m) => labels.includes(m.effectiveLabel) && m.receivedAt <= at + 1000)?.id ?? null);
  const events: Array<[TimelineEvent, number | null, number | null]> = [
    ['scheduled', probe.scheduled_at, null],
    ['sending', probe.sending_at, null],
    ['sent', probe.sent_at, null],
    ['first_ack', probe.first_ack_at, firstOf(['auto_ack', 'out_of_office'], probe.first_ack_at)],
    ['first_bot', probe.first_bot_at, firstOf(['bot'], probe.first_bot_at)],
    ['first_human', probe.first_human_at, firstOf(['human'], probe.first_human_at)],
    ['resolved', resolvedAt, null],
    ['deadline', probe.deadline_at, null],
    ['expires', probe.expires_at, null],
    ['closed', probe.closed_at, null],
  ];
  return events.flatMap(([event, at, messageId]) => (at === null ? [] : [{ event, at, messageId }])).sort((a, b) => a.at - b.at);
}

/** The evidence of one probe, or undefined when there is no such probe. */
export async function probeEvidence(store: Store, probeId: number, evidenceDir: string): Promise<ProbeEvidence | undefined> {
  const probe = store.probes.get(probeId);
  if (!probe) return undefined;
  const root = resolve(evidenceDir);
  const dkim = dkimQueries(store.db);
  const quality = store.quality.forProbe(probe.id);
  const rows = store.messages.forProbe(probe.id);
  const files = probeEvidenceFiles(
    {
      token: probe.token,
      raw: rows.flatMap((m): Array<[string, string | null]> => (m.raw_path === null ? [] : [[m.raw_path, m.raw_sha256]])),
      recorded: recordedPaths(probe.evidence),
    },
    root,
  );
  const fileOf = (path: string | null) => (path === null ? null : (files.find((f) => resolve(root, f.file) === resolve(path))?.file ?? null));
  const messages: EvidenceMessage[] = rows.map((m) => ({
    id: m.id,
    source: m.source,
    receivedAt: m.received_at,
    detectedAt: m.detected_at,
    headerDate: m.header_date,
    from: m.from_addr,
    subject: m.subject,
    matchMethod: m.match_method,
    label: m.label,
    confidence: m.confidence,
    reasons: reasonsOf(m.reasons),
    effectiveLabel: m.effective_label,
    reviews: store.reviews.forMessage(m.id).map((r) => ({ label: r.label, reviewer: r.reviewer, note: r.note, at: r.created_at })),
    resolutionMarks: store.quality.marksForMessage(m.id).map((r) => ({ resolves: r.resolves === 1, reviewer: r.reviewer, note: r.note, at: r.created_at })),
    rawFile: fileOf(m.raw_path),
    rawSha256: m.raw_sha256,
    size: m.size,
    truncated: m.truncated === 1,
    parseError: m.parse_error,
    text: m.body_text,
    dkim: dkim.forMessage(m.id) ?? null,
  }));
  return {
    probe: {
      id: probe.id,
      vendor: probe.vendor,
      vendorName: store.vendors.get(probe.vendor)?.name ?? probe.vendor,
      channel: probe.channel,
      kind: probe.kind,
      tier: probe.tier,
      template: probe.template,
      language: probe.language,
      state: probe.state,
      token: probe.token,
      ticketRef: probe.ticket_ref,
      errorCode: probe.error_code,
      errorText: probe.error_text,
    },
    timeline: timelineOf(probe, quality?.resolved_at ?? null, messages),
    messages,
    resolution: quality
      ? {
          resolvedAt: quality.resolved_at,
          resolvedBy: quality.resolved_by,
          messageId: quality.resolved_message_id,
          rounds: quality.resolution_rounds,
          reasons: quality.reasons,
        }
      : null,
    files: await Promise.all(files.map((f) => checkFile(root, f))),
  };
}

/** The absolute path of a file of this probe's evidence (only files the document lists), or undefined. */
export function evidencePath(evidence: ProbeEvidence, evidenceDir: string, file: string): string | undefined {
  return evidence.files.some((f) => f.file === file) ? join(resolve(evidenceDir), file) : undefined;
}
