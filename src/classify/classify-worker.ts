// The classifier's worker thread: parses raw mail and classifies parsed mail, one job at a time, for worker-pool.ts.
import type { MessagePort } from 'node:worker_threads';
import type { TemplateMemory } from '../store/fingerprints.ts';
import type { Classification, ParsedMail, ReplyContext } from './types.ts';
import { parseMail } from './parse.ts';
import { classifyEmail } from './classify-email.ts';
import { errorMessage } from '../core/errors.ts';

/** A Map does not need to cross the thread boundary: the template memory travels as entries. */
export type WorkerJob =
  | { id: number; kind: 'parse'; raw: Uint8Array }
  | { id: number; kind: 'classify'; mail: ParsedMail; ctx: Omit<ReplyContext, 'templates'>; templates: Array<[string, TemplateMemory]> };

export type WorkerResult =
  | { id: number; ok: true; kind: 'parse'; mail: ParsedMail }
  | { id: number; ok: true; kind: 'classify'; classification: Classification };
/** `ready` is sent once, when the worker's modules are loaded: a job's deadline starts only then. */
export type WorkerReply = WorkerResult | { id: number; ok: false; error: string } | { ready: true };

export async function runJob(job: WorkerJob): Promise<WorkerReply> {
  try {
    if (job.kind === 'parse') {
      const mail = await parseMail(Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength));
      return { id: job.id, ok: true, kind: 'parse', mail };
    }
    const ctx: ReplyContext = job.templates.length > 0 ? { ...job.ctx, templates: new Map(job.templates) } : { ...job.ctx };
    return { id: job.id, ok: true, kind: 'classify', classification: classifyEmail(job.mail, ctx) };
  } catch (err) {
    return { id: job.id, ok: false, error: errorMessage(err) };
  }
}

/** Answers jobs from the pool on `port` (the worker's parentPort). */
export function serveJobs(port: MessagePort): void {
  port.on('message', (job: WorkerJob) => void runJob(job).then((reply) => port.postMessage(reply)));
  port.postMessage({ ready: true } satisfies WorkerReply);
}
