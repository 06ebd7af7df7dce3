// Parses and classifies mail on worker threads, so no message can hold the event loop: a deadline per job, a bounded queue.
import { Worker } from 'node:worker_threads';
import { FirstReplyError, errorMessage } from '../core/errors.ts';
import type { Classification, ParsedMail, ReplyContext } from './types.ts';
import type { WorkerJob, WorkerReply, WorkerResult } from './classify-worker.ts';

interface ClassifierPoolOptions {
  /** Worker threads; each reads one message at a time. */
  size?: number;
  /** A job running longer than this is given up and its worker replaced. */
  timeoutMs?: number;
  /** Jobs waiting for a worker beyond this are refused at once. */
  maxQueue?: number;
  /** The worker script (classify-worker.mjs); tests pass one that can be made to hang. */
  entry?: URL;
}

export interface ClassifierPool {
  parse(raw: Buffer): Promise<ParsedMail>;
  classify(mail: ParsedMail, ctx: ReplyContext): Promise<Classification>;
  close(): Promise<void>;
}

interface Pending {
  job: WorkerJob;
  settle(reply: WorkerResult | { id: number; ok: false; error: string }): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Pending;
  timer?: NodeJS.Timeout;
}

const DEFAULT_CLASSIFY_TIMEOUT_MS = 5_000;

export function createClassifierPool(options: ClassifierPoolOptions = {}): ClassifierPool {
  const size = Math.max(1, options.size ?? 1);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLASSIFY_TIMEOUT_MS;
  const maxQueue = options.maxQueue ?? 100;
  const entry = options.entry ?? new URL('./classify-worker.mjs', import.meta.url);
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): Slot {
    // The entry registers tsx itself; inheriting the parent's loader flags would register it twice. A mail that would
    // exhaust the limited heap kills only this worker: its job fails and the message is stored unknown.
    const worker = new Worker(entry, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 } });
    const slot: Slot = { worker, ready: false };
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        slot.worker.unref();
        dispatch();
        return;
      }
      const pending = slot.job;
      if (!pending || pending.job.id !== reply.id) return;
      finish(slot);
      pending.settle(reply);
      dispatch();
    });
    worker.on('error', (err) => retire(slot, new FirstReplyError('ABORTED', `classifier worker failed: ${errorMessage(err)}`)));
    worker.on('exit', () => retire(slot, new FirstReplyError('ABORTED', 'classifier worker exited')));
    return slot;
  }

  function finish(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
    slot.worker.unref();
  }

  /** Gives up the slot and its job; the queue gets a fresh worker when it next has work. */
  function retire(slot: Slot, reason: Error): void {
    const at = slots.indexOf(slot);
    if (at < 0) return;
    slots.splice(at, 1);
    const job = slot.job;
    finish(slot);
    void slot.worker.terminate();
    job?.reject(reason);
    // A worker that died before it was ready would die again: the waiting jobs fail rather than spawn forever.
    if (!slot.ready) for (const pending of queue.splice(0)) pending.reject(reason);
    dispatch();
  }

  function dispatch(): void {
    while (!closed && queue.length > 0) {
      const slot = slots.find((s) => s.ready && !s.job);
      if (!slot) {
        // Workers still starting count as capacity: their first job waits for them, not for a new one.
        const starting = slots.filter((s) => !s.ready).length;
        if (slots.length < size && starting < queue.length) slots.push(spawn());
        return;
      }
      const pending = queue.shift();
      if (!pending) return;
      slot.job = pending;
      slot.worker.ref();
      slot.timer = setTimeout(() => retire(slot, new FirstReplyError('ABORTED', `classification took longer than ${timeoutMs} ms`)), timeoutMs);
      // A parse job's bytes are the pool's own copy: handed over to the worker, not copied a second time.
      slot.worker.postMessage(pending.job, pending.job.kind === 'parse' ? [pending.job.raw.buffer as ArrayBuffer] : []);
    }
  }

  function run<T>(job: WorkerJob, pick: (reply: WorkerResult) => T | undefined): Promise<T> {
    if (closed) return Promise.reject(new FirstReplyError('ABORTED', 'the classifier pool is closed'));
    if (queue.length >= maxQueue) return Promise.reject(new FirstReplyError('ABORTED', `the classifier queue is full (${maxQueue} waiting)`));
    return new Promise<T>((resolve, reject) => {
      const settle: Pending['settle'] = (reply) => {
        const result = reply.ok ? pick(reply) : undefined;
        if (result !== undefined) resolve(result);
        else reject(new FirstReplyError('BAD_INPUT', `classifier worker: ${reply.ok ? `unexpected ${reply.kind} reply` : reply.error}`));
      };
      queue.push({ job, settle, reject });
      dispatch();
    });
  }

  return {
    parse: (raw) => run({ id: nextId++, kind: 'parse', raw: new Uint8Array(raw) }, (r) => (r.kind === 'parse' ? r.mail : undefined)),
    classify: (mail, ctx) => {
      const { templates, ...rest } = ctx;
      const job: WorkerJob = { id: nextId++, kind: 'classify', mail, ctx: rest, templates: templates ? [...templates.entries()] : [] };
      return run(job, (r) => (r.kind === 'classify' ? r.classification : undefined));
    },
    async close() {
      closed = true;
      const reason = new FirstReplyError('ABORTED', 'the classifier pool is closed');
      for (const pending of queue.splice(0)) pending.reject(reason);
      const all = slots.splice(0);
      for (const slot of all) {
        const job = slot.job;
        finish(slot);
        job?.reject(reason);
      }
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}
