// Where status documents are built: on the main thread (stores only this thread can open), or on worker threads
// holding their own read-only connection to the WAL database, so no build holds the event loop.
import { Worker } from 'node:worker_threads';
import { FirstReplyError, errorMessage } from '../core/errors.ts';
import { documentBuilder, renderDocument, type DocumentRequest, type DocumentSource, type HomePages, type StatusBody } from './document-build.ts';
import { unpack, type StatusJob, type StatusReply, type StatusWorkerData } from './status-worker.ts';

export interface StatusBuilder {
  /** `waiting`: a request has nothing to serve until this is built (it goes before revalidations). */
  build(request: DocumentRequest, now: number, waiting: boolean): StatusBody | Promise<StatusBody>;
  close(): Promise<void>;
}

export function mainThreadBuilder(source: DocumentSource): StatusBuilder {
  const build = documentBuilder(source);
  return {
    build: (request, now) => renderDocument(build(request, now), now),
    close: async () => undefined,
  };
}

interface WorkerBuilderOptions extends StatusWorkerData {
  /** Threads; one is kept for documents a request waits for while the others revalidate. Default 2. */
  size?: number;
  entry?: URL;
}

interface Job {
  job: StatusJob;
  resolve(body: StatusBody): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  background: boolean;
}

/** The body the worker sent, with the list's index and home pages when it has them. */
function bodyOf(reply: Extract<StatusReply, { ok: true }>): StatusBody {
  const body: StatusBody = { ...unpack(reply), ...(reply.index ? { index: reply.index } : {}) };
  if (reply.home) {
    const home: HomePages = {};
    for (const page of reply.home) home[page.lang] = unpack(page.body);
    body.home = home;
  }
  if (reply.feed) body.feed = { ...reply.feed, body: unpack(reply.feed.body) };
  return body;
}

export function workerBuilder(options: WorkerBuilderOptions): StatusBuilder {
  const size = Math.max(2, options.size ?? 2);
  const entry = options.entry ?? new URL('./status-worker.mjs', import.meta.url);
  const data: StatusWorkerData = { path: options.path, demoTime: options.demoTime };
  const slots: Slot[] = [];
  const waiting: Job[] = [];
  const background: Job[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): Slot {
    // The entry registers tsx itself (or is the built bundle): the parent's loader flags are not inherited.
    const slot: Slot = { worker: new Worker(entry, { workerData: data, execArgv: [] }), ready: false, background: false };
    slot.worker.on('message', (reply: StatusReply | { ready: true }) => {
      if ('ready' in reply) {
        slot.ready = true;
        slot.worker.unref();
        dispatch();
        return;
      }
      const job = slot.job;
      if (!job || job.job.id !== reply.id) return;
      slot.job = undefined;
      slot.worker.unref();
      if (reply.ok) job.resolve(bodyOf(reply));
      else job.reject(new FirstReplyError('ABORTED', `status document: ${reply.error}`));
      dispatch();
    });
    const retire = (reason: Error): void => {
      const at = slots.indexOf(slot);
      if (at < 0) return;
      slots.splice(at, 1);
      slot.job?.reject(reason);
      if (!slot.ready) for (const job of [...waiting.splice(0), ...background.splice(0)]) job.reject(reason);
      void slot.worker.terminate();
      dispatch();
    };
    slot.worker.on('error', (err) => retire(new FirstReplyError('ABORTED', `status worker failed: ${errorMessage(err)}`)));
    slot.worker.on('exit', () => retire(new FirstReplyError('ABORTED', 'status worker exited')));
    return slot;
  }

  function dispatch(): void {
    while (!closed && (waiting.length > 0 || background.length > 0)) {
      // Revalidations go to the first thread, so the vendors list usually finds its rows of the last build there.
      const lane0 = waiting.length > 0 ? 'waiting' : 'background';
      const idleSlots = slots.filter((s) => s.ready && !s.job);
      const idle = lane0 === 'waiting' ? idleSlots.at(-1) : idleSlots[0];
      const busyInBackground = slots.filter((s) => s.job && s.background).length;
      // Revalidations never take the last thread: a request that waits always finds one soon.
      const lane = waiting.length > 0 ? waiting : busyInBackground < size - 1 ? background : undefined;
      if (!lane) return;
      if (!idle) {
        if (slots.length < size && slots.every((s) => s.ready)) slots.push(spawn());
        return;
      }
      const job = lane.shift();
      if (!job) return;
      idle.job = job;
      idle.background = lane === background;
      idle.worker.ref();
      idle.worker.postMessage(job.job);
    }
  }

  return {
    build(request, now, isWaiting) {
      if (closed) return Promise.reject(new FirstReplyError('ABORTED', 'the status builder is closed'));
      return new Promise<StatusBody>((resolve, reject) => {
        (isWaiting ? waiting : background).push({ job: { id: nextId++, request, now }, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      const reason = new FirstReplyError('ABORTED', 'the status builder is closed');
      for (const job of [...waiting.splice(0), ...background.splice(0)]) job.reject(reason);
      const all = slots.splice(0);
      for (const slot of all) slot.job?.reject(reason);
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}
