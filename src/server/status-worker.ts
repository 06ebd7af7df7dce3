// The status worker's side: builds documents from its own read-only connection and sends them back rendered.
import type { MessagePort } from 'node:worker_threads';
import { ManualClock } from '../core/clock.ts';
import { errorMessage } from '../core/errors.ts';
import { openStore } from '../store/db.ts';
import { publicQueries } from '../store/public-probes.ts';
import { render } from './cache.ts';
import { documentBuilder, type DocumentRequest } from './document-build.ts';

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
  | { id: number; ok: true; raw: Uint8Array; gzip: Uint8Array; br: Uint8Array; etag: string; builtAt: number }
  | { id: number; ok: false; error: string };

export function serveStatusJobs(port: MessagePort, data: StatusWorkerData): void {
  // The main thread's clock is injected per job: the worker reads as of the moment the request names.
  const clock = new ManualClock(0);
  const store = openStore(data.path, clock, { readOnly: true });
  const build = documentBuilder({ store, queries: publicQueries(store), demoTime: data.demoTime });
  port.on('message', (job: StatusJob) => {
    try {
      clock.set(job.now);
      const body = render(build(job.request, job.now), job.now);
      const reply: StatusReply = { id: job.id, ok: true, raw: body.raw, gzip: body.gzip, br: body.br, etag: body.etag, builtAt: body.builtAt };
      port.postMessage(reply);
    } catch (err) {
      const reply: StatusReply = { id: job.id, ok: false, error: errorMessage(err) };
      port.postMessage(reply);
    }
  });
  port.postMessage({ ready: true });
}
