// Rendered JSON kept serialized and pre-compressed, with its ETag, until the store changes or the entry ages out.
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';

export interface RenderedBody {
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
  builtAt: number;
}

export interface ResponseCacheOptions {
  /** Changes whenever a result is written (store revision + SQLite data_version). */
  version: () => string;
  now: () => number;
  /** Even without writes, figures move with time (open probes pass deadlines): rebuild after this long. */
  ttlMs: number;
  maxEntries?: number;
}

export function render(value: unknown, now: number): RenderedBody {
  return renderBytes(Buffer.from(JSON.stringify(value)), now);
}

export function renderBytes(raw: Buffer, now: number): RenderedBody {
  const etag = `"${createHash('sha1').update(raw).digest('base64url').slice(0, 22)}"`;
  return {
    raw,
    gzip: gzipSync(raw, { level: 6 }),
    br: brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    etag,
    builtAt: now,
  };
}

export function createResponseCache(options: ResponseCacheOptions) {
  const maxEntries = options.maxEntries ?? 2000;
  const entries = new Map<string, { version: string; body: RenderedBody }>();
  let hits = 0;
  let misses = 0;
  /** The cached body for `key`, building it with `build` when missing, stale or outdated. */
  const lookup = (key: string, build: (now: number) => RenderedBody): RenderedBody => {
    const version = options.version();
    const now = options.now();
    const entry = entries.get(key);
    if (entry && entry.version === version && now - entry.body.builtAt < options.ttlMs && now >= entry.body.builtAt) {
      hits++;
      return entry.body;
    }
    misses++;
    const body = build(now);
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.delete(key);
    entries.set(key, { version, body });
    return body;
  };
  return {
    /** JSON of the value `build` returns. */
    get: (key: string, build: () => unknown): RenderedBody => lookup(key, (now) => render(build(), now)),
    /** Text (HTML, SVG, XML) `build` returns. */
    getText: (key: string, build: () => string): RenderedBody => lookup(key, (now) => renderBytes(Buffer.from(build()), now)),
    clear: () => entries.clear(),
    stats: () => ({ hits, misses, entries: entries.size }),
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;

/** Picks the best encoding the client accepts among br, gzip and none. */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  if (!acceptEncoding) return null;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  const quality = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (quality('br') > 0) return 'br';
  if (quality('gzip') > 0) return 'gzip';
  return null;
}
