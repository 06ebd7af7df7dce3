// The status worker's side: builds documents from its own read-only connection and sends them back rendered.
import type { MessagePort } from 'node:worker_threads';
import { ManualClock } from '../core/clock.ts';
import { errorMessage } from '../core/errors.ts';
import { openStore } from '../store/db.ts';
import { publicQueries } from '../store/public-probes.ts';
import { documentBuilder, renderDocument, type DocumentRequest, type ListIndex } from './document-build.ts';

export interface StatusWorkerData {
  path: string;
  demoTime: boolean;
}

export interface StatusJob {
  id: number;
  request: DocumentRequest;
  now: number;
}

export type StatusReply =
  | {
      id: number;
      ok: true;
      /** raw, gzip and br one after the other in one buffer, transferred (not copied) to the main thread. */
      bytes: ArrayBuffer;
      rawLength: number;
      gzipLength: number;
      etag: string;
      builtAt: number;
      /** The vendors list's index (small: a few numbers and names a vendor), so the main thread never parses the list. */
      index?: ListIndex;
    }
  | { id: number; ok: false; error: string };

export function serveStatusJobs(port: MessagePort, data: StatusWorkerData): void {
  // The main thread's clock is injected per job: the worker reads as of the moment the request names.
  const clock = new ManualClock(0);
  const store = openStore(data.path, clock, { readOnly: true });
  const build = documentBuilder({ store, queries: publicQueries(store), demoTime: data.demoTime });
  port.on('message', (job: StatusJob) => {
    try {
      clock.set(job.now);
      const body = renderDocument(build(job.request, job.now), job.now);
      // One copy here, off the main thread, instead of a structured clone of each buffer on the main thread's side.
      const bytes = new ArrayBuffer(body.raw.length + body.gzip.length + body.br.length);
      const view = new Uint8Array(bytes);
      view.set(body.raw, 0);
      view.set(body.gzip, body.raw.length);
      view.set(body.br, body.raw.length + body.gzip.length);
      const reply: StatusReply = {
        id: job.id,
        ok: true,
        bytes,
        rawLength: body.raw.length,
        gzipLength: body.gzip.length,
        etag: body.etag,
        builtAt: body.builtAt,
        ...(body.index ? { index: body.index } : {}),
      };
      port.postMessage(reply, [bytes]);
    } catch (err) {
      const reply: StatusReply = { id: job.id, ok: false, error: errorMessage(err) };
      port.postMessage(reply);
    }
  });
  port.postMessage({ ready: true });
}
