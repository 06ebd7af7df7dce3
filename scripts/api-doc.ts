// Writes docs/api.md: the HTTP API with example responses taken from a server over the fixture store (`npx tsx scripts/api-doc.ts`).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.ts';
import { tokenPattern } from '../src/core/token.ts';
import { messageLabels } from '../src/core/labels.ts';
import { openFixtureStore } from '../tests/helpers/fixture-store.ts';

const base = 'http://127.0.0.1:8080';
const adminToken = 'example-admin-token';
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'api.md');

interface Trim {
  /** Items kept of arrays of objects or arrays. */
  items?: number;
  /** Items kept of arrays of numbers and strings. */
  values?: number;
  /** Characters kept of long strings. */
  chars?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Pretty JSON with long arrays and strings cut, saying how much was left out (`…`, not valid JSON on purpose). */
export function trimmedJson(value: unknown, trim: Trim = {}, indent = ''): string {
  const items = trim.items ?? 2;
  const values = trim.values ?? 8;
  const chars = trim.chars ?? 100;
  const inner = `${indent}  `;
  if (typeof value === 'string') return value.length > chars ? `${JSON.stringify(value.slice(0, chars))}…(${value.length} characters)` : JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const simple = value.every((v) => v === null || typeof v !== 'object');
    if (simple || value.every((v) => Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object'))) {
      const keep = simple ? values : items;
      const shown = value.slice(0, keep).map((v) => trimmedJson(v, trim, inner));
      const rest = value.length - shown.length;
      return `[${shown.join(', ')}${rest > 0 ? `, … ${rest} more` : ''}]`;
    }
    const shown = value.slice(0, items).map((v) => `${inner}${trimmedJson(v, trim, inner)}`);
    const rest = value.length - shown.length;
    return `[\n${shown.join(',\n')}${rest > 0 ? `,\n${inner}… ${rest} more` : ''}\n${indent}]`;
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    if (entries.every(([, v]) => v === null || typeof v !== 'object')) {
      const line = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${trimmedJson(v, trim, inner)}`).join(', ')} }`;
      if (line.length + indent.length <= 120) return line;
    }
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${trimmedJson(v, trim, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

interface Call {
  method?: 'GET' | 'POST';
  url: string;
  admin?: boolean;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

function curl(call: Call, show: 'body' | 'headers' | 'both'): string {
  const parts = ['curl', ...(show === 'headers' ? ['-s -D - -o /dev/null'] : show === 'both' ? ['-i'] : [])];
  if (call.method === 'POST') parts.push('-X POST');
  if (call.admin) parts.push('-H "Authorization: Bearer $FIRSTREPLY_ADMIN_TOKEN"');
  for (const [name, value] of Object.entries(call.headers ?? {})) parts.push(`-H '${name}: ${value}'`);
  if (call.body) parts.push(`-H 'content-type: application/json' -d '${JSON.stringify(call.body)}'`);
  parts.push(`'${base}${call.url}'`);
  return parts.join(' ');
}

const shownHeaders = [
  'content-type',
  'content-encoding',
  'content-length',
  'etag',
  'cache-control',
  'vary',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
];

interface ExampleOptions {
  trim?: Trim;
  headers?: boolean;
  /** Headers to show instead of the usual list. */
  shown?: string[];
  status?: boolean;
  body?: boolean;
  expect?: number;
  text?: (body: string) => string;
  /** What of a JSON body to show. */
  json?: (value: unknown) => unknown;
}

async function example(app: FastifyInstance, call: Call, options: ExampleOptions = {}): Promise<string> {
  const res = await app.inject({
    method: call.method ?? 'GET',
    url: call.url,
    headers: {
      ...(call.admin ? { authorization: `Bearer ${adminToken}` } : {}),
      ...(call.body ? { 'content-type': 'application/json' } : {}),
      ...(call.headers ?? {}),
    },
    ...(call.body ? { payload: JSON.stringify(call.body) } : {}),
  });
  const expected = options.expect ?? 200;
  if (res.statusCode !== expected) throw new Error(`${call.url}: HTTP ${res.statusCode}, expected ${expected}: ${res.body.slice(0, 300)}`);
  const status = `HTTP/1.1 ${res.statusCode}`;
  const head = options.headers
    ? `${status}\n${(options.shown ?? shownHeaders)
        .filter((h) => res.headers[h] !== undefined)
        .map((h) => `${h}: ${String(res.headers[h])}`)
        .join('\n')}`
    : options.status
      ? status
      : '';
  const type = String(res.headers['content-type'] ?? '');
  const body =
    res.statusCode === 304 || options.body === false
      ? ''
      : type.includes('json')
        ? trimmedJson((options.json ?? ((v: unknown) => v))(res.json()), options.trim)
        : (options.text ?? ((b: string) => b))(res.body).trimEnd();
  const fence = head ? 'http' : type.includes('json') ? 'jsonc' : type.includes('xml') || type.includes('svg') ? 'xml' : 'text';
  const shown = head && body ? `${head}\n\n${body}` : head || body;
  // Probe tokens are random in the fixture: a fixed stand-in keeps the document reproducible.
  const stable = shown.replace(new RegExp(tokenPattern.source, 'gi'), 'FR-TOKEN0000');
  return `\`\`\`sh\n${curl(call, head && !body ? 'headers' : head ? 'both' : 'body')}\n\`\`\`\n\n\`\`\`${fence}\n${stable}\n\`\`\``;
}

/** The first `count` <entry> elements of an Atom feed, the rest left out. */
function firstEntries(xml: string, count: number): string {
  const entries = xml.split('<entry>');
  if (entries.length <= count + 1) return xml;
  const head = entries.slice(0, count + 1).join('<entry>');
  return `${head.trimEnd()}\n<!-- … ${entries.length - 1 - count} more entries -->\n</feed>`;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Record<string, unknown>;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, Record<string, unknown>>; required?: string[] } }> };
  responses: Record<string, { description: string }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  return isRecord(value) && isRecord(value.paths);
}

/** What a parameter accepts, in words: its enumeration, range or pattern. */
function accepts(schema: Record<string, unknown> = {}): string {
  const parts: string[] = [];
  if (Array.isArray(schema.enum)) parts.push(schema.enum.map((v) => `\`${String(v)}\``).join(', '));
  else if (Array.isArray(schema.anyOf)) parts.push('one value, a comma-separated list or the parameter repeated');
  else if (typeof schema.minimum === 'number' && typeof schema.maximum === 'number') parts.push(`${schema.minimum} to ${schema.maximum}`);
  else if (typeof schema.pattern === 'string') parts.push(`\`${schema.pattern}\``);
  else if (typeof schema.type === 'string') parts.push(schema.type);
  return parts.join('; ');
}

function parameterTable(operation: Operation): string {
  const rows = (operation.parameters ?? [])
    .filter((p) => p.in === 'query')
    .map((p) => {
      const fallback = p.schema?.default;
      const what = [p.description ?? (typeof p.schema?.description === 'string' ? p.schema.description : ''), accepts(p.schema)]
        .filter((x) => x.length > 0)
        .join(': ');
      return `| \`${p.name}\` | ${p.required ? '(required)' : fallback === undefined ? '—' : `\`${String(fallback)}\``} | ${what} |`;
    });
  const body = Object.values(operation.requestBody?.content ?? {})[0]?.schema;
  const bodyRows = Object.entries(body?.properties ?? {}).map(
    ([name, schema]) =>
      `| \`${name}\` (body) | ${(body?.required ?? []).includes(name) && schema.default === undefined ? '(required)' : schema.default === undefined ? '—' : `\`${String(schema.default)}\``} | ${accepts(schema)} |`,
  );
  const all = [...rows, ...bodyRows];
  return all.length === 0 ? '' : `| Parameter | Default | Accepts |\n|---|---|---|\n${all.join('\n')}`;
}

/** One section per operation of the OpenAPI document with `tag`, in the document's order, with its examples. */
function routeSections(doc: OpenApiDocument, tag: string, examples: Record<string, string[]>): string {
  const sections: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!(operation.tags ?? []).includes(tag)) continue;
      const route = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
      const errors = Object.entries(operation.responses)
        .filter(([code]) => Number(code) >= 400)
        .map(([code, r]) => `${code} — ${r.description}`);
      sections.push(
        [
          `### \`${route}\``,
          [operation.summary ? `${operation.summary}.` : '', operation.description ?? ''].filter((x) => x.length > 0).join(' '),
          parameterTable(operation),
          errors.length > 0 ? `Errors: ${errors.join('; ')}.` : '',
          ...(examples[route] ?? []),
        ]
          .filter((x) => x.length > 0)
          .join('\n\n'),
      );
    }
  }
  return sections.join('\n\n');
}

export async function apiDoc(): Promise<string> {
  const fixture = openFixtureStore();
  const app = await buildApp({
    store: fixture.store,
    clock: fixture.clock,
    adminToken,
    publicUrl: 'https://status.example.org',
    triggerProbe: async () => ({ probeId: (fixture.store.probes.recent(1)[0]?.id ?? 0) + 1 }),
  });
  const limited = await buildApp({ store: fixture.store, clock: fixture.clock, rateLimit: { max: 1, timeWindowMs: 60_000 } });
  try {
    const openapi: unknown = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    if (!isOpenApiDocument(openapi)) throw new Error('/api/v1/openapi.json is not an OpenAPI document');
    const list = await app.inject({ url: '/api/v1/vendors', headers: { 'accept-encoding': 'gzip' } });
    const etag = String(list.headers.etag);
    const reviewed = fixture.store.messages.reviewQueue(0.75, 1)[0];
    await limited.inject({ url: '/api/v1/compare?vendors=acme-cloud' });
    const prose = {
      vendorsHead: await example(app, { url: '/api/v1/vendors', headers: { 'accept-encoding': 'gzip' } }, { headers: true, body: false }),
      notModified: await example(app, { url: '/api/v1/vendors', headers: { 'if-none-match': etag } }, { headers: true, expect: 304 }),
      cors: await example(
        app,
        { url: '/badge/blue-harbor/email.svg', headers: { origin: 'https://blog.example' } },
        { headers: true, body: false, shown: ['access-control-allow-origin', 'cross-origin-resource-policy'] },
      ),
      badInput: await example(app, { url: '/api/v1/vendors?window=5y' }, { status: true, expect: 400 }),
      notFound: await example(app, { url: '/api/v1/vendors/no-such-vendor' }, { status: true, expect: 404 }),
      privateNotFound: await example(app, { url: '/api/v1/vendors/hidden-lab' }, { status: true, expect: 404 }),
      adminPrivate: await example(app, { url: '/api/v1/vendors/hidden-lab/probes?limit=1', admin: true }, { headers: true }),
      unauthorized: await example(app, { url: '/api/v1/admin/vendors' }, { status: true, expect: 401 }),
      limited: await example(limited, { url: '/api/v1/compare?vendors=acme-cloud' }, { headers: true, expect: 429 }),
    };
    const examples: Record<string, string[]> = {
      'GET /api/v1': [await example(app, { url: '/api/v1' }, { trim: { values: 20 } })],
      'GET /api/v1/openapi.json': [
        await example(
          app,
          { url: '/api/v1/openapi.json' },
          {
            trim: { values: 30, chars: 60 },
            json: (v) => (isOpenApiDocument(v) && isRecord(v) ? { openapi: v.openapi, info: v.info, tags: v.tags, paths: Object.keys(v.paths) } : v),
          },
        ),
      ],
      'GET /api/v1/vendors': [await example(app, { url: '/api/v1/vendors' }, { trim: { items: 1, chars: 60, values: 6 } })],
      'GET /api/v1/vendors/:slug': [await example(app, { url: '/api/v1/vendors/acme-cloud?window=30d&channel=email' }, { trim: { items: 1, values: 6 } })],
      'GET /api/v1/vendors/:slug/probes': [await example(app, { url: '/api/v1/vendors/acme-cloud/probes?channel=email&limit=2' }, { headers: true })],
      'GET /api/v1/vendors/:slug/daily': [await example(app, { url: '/api/v1/vendors/acme-cloud/daily?channel=chat' }, { trim: { items: 3 } })],
      'GET /api/v1/vendors/:slug/hour-of-week': [
        await example(app, { url: '/api/v1/vendors/northwind-video/hour-of-week?channel=email&tz=utc' }, { trim: { items: 3 } }),
      ],
      'GET /api/v1/compare': [await example(app, { url: '/api/v1/compare?vendors=acme-cloud,silent-systems&window=90d' }, { trim: { items: 2 } })],
      'GET /healthz': [await example(app, { url: '/healthz' })],
      'GET /badge/:vendor/:file': [
        await example(app, { url: '/badge/blue-harbor/email.svg' }, { headers: true }),
        await example(app, { url: '/badge/acme-cloud/email.svg?metric=sla&window=90d' }),
        await example(app, { url: '/badge/acme-cloud/fax.svg' }, { status: true, expect: 404 }),
      ],
      'GET /embed/:slug': [
        await example(app, { url: '/embed/acme-cloud' }, { body: false, headers: true, shown: ['content-type', 'content-security-policy'] }),
        'On a page: `<iframe src="https://status.example.org/embed/acme-cloud" title="Acme Cloud · firstreply" width="480" height="182" style="border:0;max-width:100%" loading="lazy"></iframe>` (the vendor page offers this snippet and one per badge).',
      ],
      'GET /feed.atom': [await example(app, { url: '/feed.atom' }, { text: (xml) => firstEntries(xml, 2) })],
      'GET /api/v1/admin/vendors': [await example(app, { url: '/api/v1/admin/vendors', admin: true }, { trim: { items: 1, chars: 60, values: 6 } })],
      'POST /api/v1/admin/vendors/:slug/pause': [
        await example(app, { method: 'POST', url: '/api/v1/admin/vendors/acme-cloud/pause', admin: true, body: { paused: true } }),
      ],
      'POST /api/v1/admin/probes': [
        await example(
          app,
          { method: 'POST', url: '/api/v1/admin/probes', admin: true, body: { vendor: 'acme-cloud', channel: 'email' } },
          { status: true, expect: 202 },
        ),
      ],
      'GET /api/v1/admin/review-queue': [await example(app, { url: '/api/v1/admin/review-queue?limit=1&max_confidence=0.75', admin: true })],
      'POST /api/v1/admin/reviews': [
        await example(app, {
          method: 'POST',
          url: '/api/v1/admin/reviews',
          admin: true,
          body: { messageId: reviewed?.id ?? 1, label: 'human', note: 'signed by a named agent', reviewer: 'ops' },
        }),
      ],
      'GET /api/v1/admin/vendors/:slug/probes': [await example(app, { url: '/api/v1/admin/vendors/hidden-lab/probes', admin: true }, { trim: { items: 1 } })],
    };
    return document(prose, routeSections(openapi, 'public', examples), routeSections(openapi, 'admin', examples));
  } finally {
    await limited.close();
    await app.close();
    fixture.close();
  }
}

function document(ex: Record<string, string>, publicRoutes: string, adminRoutes: string): string {
  return `# HTTP API

<!-- Generated by \`npx tsx scripts/api-doc.ts\` from /api/v1/openapi.json and a server over the test fixture store; edit the route descriptions in src/server/api-spec.ts or this script, not this file. -->

The status server (\`firstreply serve\` or \`firstreply start\`, on \`HOST:PORT\`, default \`127.0.0.1:8080\`) answers JSON under
\`/api/v1/…\`, SVG badges, an embeddable widget, an Atom feed and \`/healthz\`. Everything public is read-only and shows
**public vendors only**: a private vendor answers 404 exactly like one that does not exist. Public responses never contain
message bodies, addresses, subjects or probe tokens — only timings, tiers and the labels of each probe's timeline.

The machine-readable description is [\`/api/v1/openapi.json\`](#get-apiv1openapijson) (OpenAPI 3.1); the route sections
below are written from it. Changes to the API are listed in [CHANGELOG.md](../CHANGELOG.md).

The examples below are real responses of a server over the fixture store used by the tests (five vendors, 90 days,
clock at 2026-03-16 12:00 UTC). Long arrays and strings are cut: \`… 88 more\` and \`…(180 characters)\` mark what was left
out, so the examples are not valid JSON as printed.

## Conventions

- Times are milliseconds since 1970-01-01 UTC; durations are milliseconds, and fields holding one end in \`Ms\`. Days (\`"2026-03-16"\`) are UTC days.
- \`window\` is one of \`7d\`, \`30d\`, \`90d\` (default for most routes), \`all\`. Daily series cover at most the last 90 days of a window.
- Vendor and channel identifiers are slugs: \`[a-z0-9][a-z0-9-]{0,62}\`.
- Figures are named fields. In the vendors list a median is \`"medianMs": 3000, "ci95Ms": [2000, 5000], "n": 8\`; in the full
  report an estimate is \`{ "value", "low", "high" }\` (a Kaplan–Meier median or percentile with its 95 % confidence
  interval). \`null\` means not reached (for example, fewer than half the probes were ever answered by a person); an
  interval with one \`null\` end is one-sided ("at least …").
- Channel status is one of \`meeting_sla\`, \`slower_than_sla\`, \`not_answering\`, \`insufficient_data\` (fewer than 5 probes
  or 5 known SLA outcomes — never shown as green).
- \`demoTime: true\` marks figures produced on a simulated clock (\`firstreply demo\`).

## Use from other sites

Badges, the widget, the feed and every public \`/api/v1\` route are sent with \`Access-Control-Allow-Origin: *\` and
\`Cross-Origin-Resource-Policy: cross-origin\`: a badge \`<img>\` or a \`fetch()\` from any origin works. Admin routes,
the pages and any request carrying an \`Authorization\` header keep \`Cross-Origin-Resource-Policy: same-origin\` and get no
CORS header. \`/embed/<vendor>\` is the only page that may be framed (\`frame-ancestors *\`).

${ex.cors}

## Caching and compression

Every JSON document, page, badge and feed is built once and kept serialized and pre-compressed (brotli and gzip) until a
probe result is written, and at most 30 s (figures move with time: open probes pass their deadlines). Responses carry an
\`ETag\`; send it back in \`If-None-Match\` to get \`304 Not Modified\` with no body. \`Content-Encoding\` follows
\`Accept-Encoding\` (\`br\`, then \`gzip\`, else none). Public JSON is \`Cache-Control: public, max-age=5, must-revalidate\`
(badges 300 s, feed and widget 60 s, pages 0 s); anything requested with the admin token is \`private, no-store\`.

${ex.vendorsHead}

${ex.notModified}

## Rate limits

The routes that compute on demand for arbitrary parameters — \`/api/v1/vendors/:slug/probes\`, \`/api/v1/compare\` and the
\`/compare\` page — allow 120 requests per minute per client address (configurable through the server's \`rateLimit\`
option). Every other route serves cached documents and is not limited. Limited responses carry \`x-ratelimit-limit\`,
\`x-ratelimit-remaining\` and \`x-ratelimit-reset\` (seconds); over the limit the answer is 429 with \`retry-after\`:

${ex.limited}

## Errors

Errors are JSON \`{ "error": { "code", "message" } }\` with a stable \`code\` (pages answer 404 in HTML, badges an "unknown" SVG):

| Status | Code | When |
|---|---|---|
| 400 | \`BAD_INPUT\` | a query parameter, path parameter or body fails validation (the message names the field) |
| 401 | \`UNAUTHORIZED\` | an admin route without a valid token, or \`FIRSTREPLY_ADMIN_TOKEN\` is not set on the server |
| 404 | \`NOT_FOUND\` | no such route, vendor or channel — or the vendor is private and no admin token was sent |
| 429 | \`RATE_LIMITED\` | over the rate limit of the route |
| 501 | \`UNSUPPORTED\` | \`POST /api/v1/admin/probes\` on a server started without a probe runner |
| 500 | \`INTERNAL\` | a bug; details go to the server log, never to the client |

${ex.badInput}

${ex.notFound}

${ex.privateNotFound}

## Public routes

${publicRoutes}

## Admin routes

Admin routes need the token the server was started with (\`FIRSTREPLY_ADMIN_TOKEN\`) as \`Authorization: Bearer …\`;
without it they answer 401, and when the variable is not set they are disabled. The same header on a public route
includes private vendors, and the response is \`Cache-Control: private, no-store\`:

${ex.adminPrivate}

Without the token:

${ex.unauthorized}

Labels a review may give: ${messageLabels.map((l) => `\`${l}\``).join(', ')}.

${adminRoutes}

## Metrics

With \`metrics: true\` in \`probes/settings.yaml\` (or \`FIRSTREPLY_METRICS=1\`), \`GET /metrics\` answers Prometheus text on
the status server, or only on \`metrics_listen\` (\`host:port\`) when that is set; otherwise it is 404. Private vendors are
counted as \`vendor="private"\` unless \`metrics_private_vendors: true\`. It is not part of the public API above.
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(out, await apiDoc());
  process.stdout.write(`wrote ${out}\n`);
}
