// The status worker's side: builds documents from its own read-only connection and sends them back rendered.
import type { MessagePort } from 'node:worker_threads';
import { ManualClock } from '../core/clock.ts';
import { errorMessage } from '../core/errors.ts';
import { openStore } from '../store/db.ts';
import { publicQueries } from '../store/public-probes.ts';
import { documentBuilder, renderDocument, type DocumentRequest, type ListFeed, type ListIndex } from './document-build.ts';
import type { RenderedBody } from './cache.ts';
import { languages, type Language } from './i18n.ts';

const isLanguage = (text: string): text is Language => languages.some((lang) => lang === text);

export interface StatusWorkerData {
  path: string;
  demoTime: boolean;
}

export interface StatusJob {
  id: number;
  request: DocumentRequest;
  now: number;
}

/** A rendered body as sent over: raw, gzip and br one after the other in one buffer, transferred (not copied). */
export interface PackedBody {
  bytes: ArrayBuffer;
  rawLength: number;
  gzipLength: number;
  etag: string;
  builtAt: number;
}

export type StatusReply =
  | (PackedBody & {
      id: number;
      ok: true;
      /** The vendors list's index (small: a few numbers and names a vendor), so the main thread never parses the list. */
      index?: ListIndex;
      /** The home pages and the feed built with the list, when asked for. */
      home?: { lang: Language; body: PackedBody }[];
      feed?: ListFeed<PackedBody>;
    })
  | { id: number; ok: false; error: string };

function pack(body: RenderedBody): PackedBody {
  // One copy here, off the main thread, instead of a structured clone of each buffer on the main thread's side.
  const bytes = new ArrayBuffer(body.raw.length + body.gzip.length + body.br.length);
  const view = new Uint8Array(bytes);
  view.set(body.raw, 0);
  view.set(body.gzip, body.raw.length);
  view.set(body.br, body.raw.length + body.gzip.length);
  return { bytes, rawLength: body.raw.length, gzipLength: body.gzip.length, etag: body.etag, builtAt: body.builtAt };
}

/** The three encodings of a packed body as views of its one buffer. */
export function unpack(packed: PackedBody): RenderedBody {
  const { bytes, rawLength, gzipLength } = packed;
  return {
    raw: Buffer.from(bytes, 0, rawLength),
    gzip: Buffer.from(bytes, rawLength, gzipLength),
    br: Buffer.from(bytes, rawLength + gzipLength),
    etag: packed.etag,
    builtAt: packed.builtAt,
  };
}

export function serveStatusJobs(port: MessagePort, data: StatusWorkerData): void {
  // The main thread's clock is injected per job: the worker reads as of the moment the request names.
  const clock = new ManualClock(0);
  const store = openStore(data.path, clock, { readOnly: true });
  const build = documentBuilder({ store, queries: publicQueries(store), demoTime: data.demoTime });
  port.on('message', (job: StatusJob) => {
    try {
      clock.set(job.now);
      const body = renderDocument(build(job.request, job.now), job.now);
      const packed = pack(body);
      const home = Object.entries(body.home ?? {}).flatMap(([lang, page]) => (isLanguage(lang) && page ? [{ lang, body: pack(page) }] : []));
      const feed = body.feed ? { ...body.feed, body: pack(body.feed.body) } : undefined;
      const reply: StatusReply = {
        id: job.id,
        ok: true,
        ...packed,
        ...(body.index ? { index: body.index } : {}),
        ...(home.length > 0 ? { home } : {}),
        ...(feed ? { feed } : {}),
      };
      port.postMessage(reply, [packed.bytes, ...home.map((page) => page.body.bytes), ...(feed ? [feed.body.bytes] : [])]);
    } catch (err) {
      const reply: StatusReply = { id: job.id, ok: false, error: errorMessage(err) };
      port.postMessage(reply);
    }
  });
  port.postMessage({ ready: true });
}
