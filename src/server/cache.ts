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

interface ResponseCacheOptions {
  /** Changes whenever a result is written (store revision + SQLite data_version). */
  version: () => string;
  now: () => number;
  /** Even without writes, figures move with time (open probes pass deadlines): rebuild after this long. */
  ttlMs: number;
  maxEntries?: number;
}

/**
 * Bodies this large are served often: compressed further than small ones, but not to the last percent, since the
 * vendors list (800 KB at 200 vendors) is compressed again after every write. There gzip 9 took 75–98 ms for 3 % less
 * than level 8 (39 ms), brotli 9 56 ms for 2.6 % less than quality 8 (17 ms).
 */
const largeBody = 64 * 1024;
const large = { gzipLevel: 8, brotliQuality: 8 };
const small = { gzipLevel: 6, brotliQuality: 5 };

export function render(value: unknown, now: number): RenderedBody {
  return renderBytes(Buffer.from(JSON.stringify(value)), now);
}

export function renderBytes(raw: Buffer, now: number): RenderedBody {
  const etag = `"${createHash('sha1').update(raw).digest('base64url').slice(0, 22)}"`;
  const levels = raw.length >= largeBody ? large : small;
  return {
    raw,
    gzip: gzipSync(raw, { level: levels.gzipLevel }),
    br: brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: levels.brotliQuality, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    etag,
    builtAt: now,
  };
}

interface Entry<T> {
  version: string;
  builtAt: number;
  value: T;
}

export function createResponseCache(options: ResponseCacheOptions) {
  const maxEntries = options.maxEntries ?? 2000;
  const entries = new Map<string, Entry<unknown>>();
  let hits = 0;
  let misses = 0;
  /** The cached value for `key`, building it with `build` when missing, stale or outdated. */
  const lookup = <T>(key: string, build: (now: number) => T, valid: (value: unknown) => value is T): T => {
    const version = options.version();
    const now = options.now();
    const entry = entries.get(key);
    if (entry && entry.version === version && now - entry.builtAt < options.ttlMs && now >= entry.builtAt && valid(entry.value)) {
      hits++;
      return entry.value;
    }
    misses++;
    const value = build(now);
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.delete(key);
    entries.set(key, { version, builtAt: now, value });
    return value;
  };
  return {
    /** JSON of the value `build` returns. */
    get: (key: string, build: () => unknown): RenderedBody => lookup(key, (now) => render(build(), now), isRendered),
    /** Text (HTML, SVG, XML) `build` returns. */
    getText: (key: string, build: () => string): RenderedBody => lookup(key, (now) => renderBytes(Buffer.from(build()), now), isRendered),
    /** A value kept as it is (keys must not collide with rendered ones); `is` tells it apart from other entries. */
    getValue: <T>(key: string, build: () => T, is: (value: unknown) => value is T): T => lookup(key, () => build(), is),
    clear: () => entries.clear(),
    stats: () => ({ hits, misses, entries: entries.size }),
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;

function isRendered(value: unknown): value is RenderedBody {
  return typeof value === 'object' && value !== null && 'etag' in value && 'gzip' in value;
}

type Encoding = 'br' | 'gzip' | 'identity';

/** Picks the best encoding the client accepts among br, gzip and none. */
function pickEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
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
  return 'identity';
}

const encodingMemo = new Map<string, Encoding>();

/** pickEncoding, remembered per distinct header value (clients send a handful of them). */
export function encodingFor(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  let encoding = encodingMemo.get(acceptEncoding);
  if (encoding === undefined) {
    encoding = pickEncoding(acceptEncoding);
    if (encodingMemo.size >= 256) encodingMemo.clear();
    encodingMemo.set(acceptEncoding, encoding);
  }
  return encoding;
}

/** True when an If-None-Match header names this ETag (or `*`); weak validators compare equal. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch === etag) return true;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

export interface SendOptions {
  /** Content-Type (default JSON). */
  type?: string;
  /** Vary (default `Accept-Encoding, Authorization`). */
  vary?: string;
  /** max-age of public responses in seconds (default 5). */
  maxAgeS?: number;
}

/** What a response of one body in one encoding sends: every header computed once, then the bytes as they are. */
export interface PreparedResponse {
  headers: Record<string, string>;
  notModified: Record<string, string>;
  body: Buffer;
}

const encodings: readonly Encoding[] = ['identity', 'gzip', 'br'];

/**
 * Headers for serving `body` in each encoding, public or private, computed on first use and kept with the body (so they
 * go when the body leaves the cache).
 */
export function preparer(options: SendOptions = {}) {
  const memo = new WeakMap<RenderedBody, PreparedResponse[]>();
  const type = options.type ?? 'application/json; charset=utf-8';
  const vary = options.vary ?? 'Accept-Encoding, Authorization';
  const publicCache = `public, max-age=${options.maxAgeS ?? 5}, must-revalidate`;
  return (body: RenderedBody, encoding: Encoding, privateView: boolean): PreparedResponse => {
    let list = memo.get(body);
    if (!list) {
      list = [];
      memo.set(body, list);
    }
    const index = encodings.indexOf(encoding) * 2 + (privateView ? 1 : 0);
    const ready = list[index];
    if (ready) return ready;
    const bytes = encoding === 'br' ? body.br : encoding === 'gzip' ? body.gzip : body.raw;
    const common = { etag: body.etag, vary, 'cache-control': privateView ? 'private, no-store' : publicCache };
    const prepared: PreparedResponse = {
      headers: {
        ...common,
        'content-type': type,
        ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
        'content-length': String(bytes.length),
      },
      notModified: common,
      body: bytes,
    };
    list[index] = prepared;
    return prepared;
  };
}
