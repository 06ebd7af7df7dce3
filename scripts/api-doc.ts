// Writes docs/api.md: the HTTP API with example responses taken from a server over the fixture store (`npx tsx scripts/api-doc.ts`).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.ts';
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

const shownHeaders = ['content-type', 'content-encoding', 'content-length', 'etag', 'cache-control', 'vary', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'];

async function example(app: FastifyInstance, call: Call, options: { trim?: Trim; headers?: boolean; status?: boolean; body?: boolean; expect?: number; text?: (body: string) => string } = {}): Promise<string> {
  const res = await app.inject({
    method: call.method ?? 'GET', url: call.url,
    headers: { ...(call.admin ? { authorization: `Bearer ${adminToken}` } : {}), ...(call.body ? { 'content-type': 'application/json' } : {}), ...(call.headers ?? {}) },
    ...(call.body ? { payload: JSON.stringify(call.body) } : {}),
  });
  const expected = options.expect ?? 200;
  if (res.statusCode !== expected) throw new Error(`${call.url}: HTTP ${res.statusCode}, expected ${expected}: ${res.body.slice(0, 300)}`);
  const status = `HTTP/1.1 ${res.statusCode}`;
  const head = options.headers
    ? `${status}\n${shownHeaders.filter((h) => res.headers[h] !== undefined).map((h) => `${h}: ${String(res.headers[h])}`).join('\n')}`
    : options.status ? status : '';
  const type = String(res.headers['content-type'] ?? '');
  const body = res.statusCode === 304 || options.body === false ? ''
    : type.includes('json') ? trimmedJson(res.json(), options.trim) : (options.text ?? ((b: string) => b))(res.body).trimEnd();
  const fence = head ? 'http' : type.includes('json') ? 'jsonc' : type.includes('xml') || type.includes('svg') ? 'xml' : 'text';
  const shown = head && body ? `${head}\n\n${body}` : head || body;
  return `\`\`\`sh\n${curl(call, head && !body ? 'headers' : head ? 'both' : 'body')}\n\`\`\`\n\n\`\`\`${fence}\n${shown}\n\`\`\``;
}

/** The first `count` <entry> elements of an Atom feed, the rest left out. */
function firstEntries(xml: string, count: number): string {
  const entries = xml.split('<entry>');
  if (entries.length <= count + 1) return xml;
  const head = entries.slice(0, count + 1).join('<entry>');
  return `${head.trimEnd()}\n<!-- … ${entries.length - 1 - count} more entries -->\n</feed>`;
}

export async function apiDoc(): Promise<string> {
  const fixture = openFixtureStore();
  const app = await buildApp({
    store: fixture.store, clock: fixture.clock, adminToken, publicUrl: 'https://status.example.org',
    triggerProbe: async () => ({ probeId: (fixture.store.probes.recent(1)[0]?.id ?? 0) + 1 }),
  });
  const limited = await buildApp({ store: fixture.store, clock: fixture.clock, rateLimit: { max: 1, timeWindowMs: 60_000 } });
  try {
    const list = await app.inject({ url: '/api/v1/vendors', headers: { 'accept-encoding': 'gzip' } });
    const etag = String(list.headers.etag);
    const reviewed = fixture.store.messages.reviewQueue(0.75, 1)[0];
    await limited.inject({ url: '/api/v1/compare?vendors=acme-cloud' });
    const ex = {
      index: await example(app, { url: '/api/v1' }, { trim: { values: 20 } }),
      vendorsHead: await example(app, { url: '/api/v1/vendors', headers: { 'accept-encoding': 'gzip' } }, { headers: true, body: false }),
      vendors: await example(app, { url: '/api/v1/vendors' }, { trim: { items: 1, chars: 60 } }),
      notModified: await example(app, { url: '/api/v1/vendors', headers: { 'if-none-match': etag } }, { headers: true, expect: 304 }),
      vendor: await example(app, { url: '/api/v1/vendors/acme-cloud?window=30d&channel=email' }, { trim: { items: 1, values: 6 } }),
      probes: await example(app, { url: '/api/v1/vendors/acme-cloud/probes?channel=email&limit=2' }, { headers: true }),
      daily: await example(app, { url: '/api/v1/vendors/acme-cloud/daily?channel=chat' }, { trim: { items: 3 } }),
      hours: await example(app, { url: '/api/v1/vendors/northwind-video/hour-of-week?channel=email&tz=utc' }, { trim: { items: 3 } }),
      compare: await example(app, { url: '/api/v1/compare?vendors=acme-cloud,silent-systems&window=90d' }, { trim: { items: 2 } }),
      healthz: await example(app, { url: '/healthz' }),
      badge: await example(app, { url: '/badge/blue-harbor/email.svg' }, { headers: true }),
      badgeSla: await example(app, { url: '/badge/acme-cloud/email.svg?metric=sla&window=90d' }),
      feed: await example(app, { url: '/feed.atom' }, { text: (xml) => firstEntries(xml, 2) }),
      adminVendors: await example(app, { url: '/api/v1/admin/vendors', admin: true }, { trim: { items: 1, chars: 60 } }),
      adminPrivate: await example(app, { url: '/api/v1/vendors/hidden-lab/probes?limit=1', admin: true }, { headers: true }),
      pause: await example(app, { method: 'POST', url: '/api/v1/admin/vendors/acme-cloud/pause', admin: true, body: { paused: true } }),
      trigger: await example(app, { method: 'POST', url: '/api/v1/admin/probes', admin: true, body: { vendor: 'acme-cloud', channel: 'email' } }, { status: true, expect: 202 }),
      queue: await example(app, { url: '/api/v1/admin/review-queue?limit=1&max_confidence=0.75', admin: true }),
      review: await example(app, { method: 'POST', url: '/api/v1/admin/reviews', admin: true, body: { messageId: reviewed?.id ?? 1, label: 'human', note: 'signed by a named agent', reviewer: 'ops' } }),
      adminProbes: await example(app, { url: '/api/v1/admin/vendors/hidden-lab/probes', admin: true }, { trim: { items: 1 } }),
      badInput: await example(app, { url: '/api/v1/vendors?window=5y' }, { status: true, expect: 400 }),
      notFound: await example(app, { url: '/api/v1/vendors/no-such-vendor' }, { status: true, expect: 404 }),
      privateNotFound: await example(app, { url: '/api/v1/vendors/hidden-lab' }, { status: true, expect: 404 }),
      unauthorized: await example(app, { url: '/api/v1/admin/vendors' }, { status: true, expect: 401 }),
      limited: await example(limited, { url: '/api/v1/compare?vendors=acme-cloud' }, { headers: true, expect: 429 }),
    };
    return document(ex);
  } finally {
    await limited.close();
    await app.close();
    fixture.close();
  }
}

function document(ex: Record<string, string>): string {
  return `# HTTP API

<!-- Generated by \`npx tsx scripts/api-doc.ts\` from a server over the test fixture store; edit the script, not this file. -->

The status server (\`firstreply serve\` or \`firstreply start\`, on \`HOST:PORT\`, default \`127.0.0.1:8080\`) answers JSON under
\`/api/v1/…\`, SVG badges, an Atom feed and \`/healthz\`. Everything public is read-only and shows **public vendors only**: a
private vendor answers 404 exactly like one that does not exist. Public responses never contain message bodies,
addresses, subjects or probe tokens — only timings, tiers and the labels of each probe's timeline.

The examples below are real responses of a server over the fixture store used by the tests (five vendors, 90 days,
clock at 2026-03-16 12:00 UTC). Long arrays and strings are cut: \`… 88 more\` and \`…(180 characters)\` mark what was left
out, so the examples are not valid JSON as printed.

## Conventions

- Times are milliseconds since 1970-01-01 UTC; durations are milliseconds. Days (\`"2026-03-16"\`) are UTC days.
- \`window\` is one of \`7d\`, \`30d\`, \`90d\` (default for most routes), \`all\`. Daily series cover at most the last 90 days of a window.
- Vendor and channel identifiers are slugs: \`[a-z0-9][a-z0-9-]{0,62}\`.
- An estimate is \`{ "value", "low", "high" }\`: a Kaplan–Meier median (or percentile) with its 95 % confidence interval;
  \`null\` means not reached (for example, fewer than half the probes were ever answered by a person).
- Channel status is one of \`meeting_sla\`, \`slower_than_sla\`, \`not_answering\`, \`insufficient_data\` (fewer than 5 probes
  or 5 known SLA outcomes — never shown as green).
- \`demoTime: true\` marks figures produced on a simulated clock (\`firstreply demo\`).

## Caching and compression

Every JSON document, page, badge and feed is built once and kept serialized and pre-compressed (brotli and gzip) until a
probe result is written, and at most 30 s (figures move with time: open probes pass their deadlines). Responses carry an
\`ETag\`; send it back in \`If-None-Match\` to get \`304 Not Modified\` with no body. \`Content-Encoding\` follows
\`Accept-Encoding\` (\`br\`, then \`gzip\`, else none). Public JSON is \`Cache-Control: public, max-age=5, must-revalidate\`
(badges 300 s, feed 60 s, pages 0 s); anything requested with the admin token is \`private, no-store\`.

${ex.vendorsHead}

${ex.notModified}

## Rate limits

The routes that compute on demand for arbitrary parameters — \`/api/v1/vendors/:slug/probes\`, \`/api/v1/compare\` and the
\`/compare\` page — allow 120 requests per minute per client address (configurable through the server's \`rateLimit\`
option). Every other route serves cached documents and is not limited. Limited responses carry \`x-ratelimit-limit\`,
\`x-ratelimit-remaining\` and \`x-ratelimit-reset\` (seconds); over the limit the answer is 429 with \`retry-after\`:

${ex.limited}

## Errors

Errors are JSON \`{ "error": { "code", "message" } }\` with a stable \`code\` (pages answer 404 in HTML instead):

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

### \`GET /api/v1\`

The API version, the windows and the routes.

${ex.index}

### \`GET /api/v1/vendors\`

Every public vendor × channel with its status and a 90-day bar: the document the home page draws. It is compact: times
are rounded to whole seconds, shares to 0.001; the full statistics of a vendor are on \`/api/v1/vendors/:slug\`.

| Query | Default | |
|---|---|---|
| \`window\` | \`90d\` | window of the figures (\`7d\`, \`30d\`, \`90d\`, \`all\`) |

Per channel: \`median\` is \`[value, low, high]\` of the median time to the first human reply (ms, \`null\` = not reached);
\`n\` the probes in the window; \`noReplyShare\` the share never answered by a person; \`sla\` is \`[met, known]\` — probes
answered within their SLA target and probes whose SLA outcome is known; \`days\` has one comma-separated entry per UTC
day, oldest first, the last one being \`lastDay\`, with one letter per probe sent that day: \`g\` answered within the SLA,
\`s\` answered later, \`n\` no human reply, \`o\` still open (an empty entry is a day without probes); \`open\` lists the probes
still waiting for a person as \`[id, tier, sentAt, deadlineAt, firstAckAt]\`.

${ex.vendors}

### \`GET /api/v1/vendors/:slug\`

The full statistics report of one vendor — the same document as \`firstreply stats --json <vendor>\`: per channel the
Kaplan–Meier estimates of time to first human reply and to the first acknowledgement, percentiles, the no-reply share,
SLA compliance per tier, the 90-day daily series, hour-of-week coverage (in the vendor's time zone and in UTC), open
probes and how many labels still await review, plus a cross-channel comparison.

| Query | Default | |
|---|---|---|
| \`window\` | \`90d\` | window of the figures |
| \`channel\` | all | one channel only (404 if the vendor has no such channel) |

${ex.vendor}

### \`GET /api/v1/vendors/:slug/probes\`

Probes of one vendor, newest first: timings, tier, template and language, and the labels of the replies in order of
arrival (\`reviewed\` when a person confirmed or corrected the label). Rate limited.

| Query | Default | |
|---|---|---|
| \`window\` | \`90d\` | probes scheduled within the window |
| \`channel\` | all | one channel only |
| \`limit\` | \`500\` | 1 to 2000 |

${ex.probes}

### \`GET /api/v1/vendors/:slug/daily\`

One bucket per UTC day over the last 90 days, per channel: probes, answered, within / missed SLA, no reply, still open,
and that day's median time to the first human reply.

| Query | Default | |
|---|---|---|
| \`channel\` | all | one channel only |

${ex.daily}

### \`GET /api/v1/vendors/:slug/hour-of-week\`

168 cells per channel — hour 0 is Monday 00:00 — with the probes sent in that hour of the week, how many a person
answered and their median time to the first human reply.

| Query | Default | |
|---|---|---|
| \`window\` | \`90d\` | window of the figures |
| \`channel\` | all | one channel only |
| \`tz\` | \`vendor\` | \`vendor\` (the vendor's time zone, named in \`timezone\`) or \`utc\` |

${ex.hours}

### \`GET /api/v1/compare\`

Side-by-side scorecards of 1 to 12 vendors: response time, SLA compliance, 7×24 coverage, channel coverage and
consistency. Answer quality is not measured yet and is always \`null\`. Rate limited.

| Query | Default | |
|---|---|---|
| \`vendors\` | (required) | \`vendors=a,b\` or \`vendors=a&vendors=b\`; 404 names any that is unknown or private |
| \`window\` | \`30d\` | window of the figures |

${ex.compare}

### \`GET /healthz\`

Liveness: the server's clock and the store revision (grows with every result written). Never cached.

${ex.healthz}

### \`GET /badge/:vendor/:channel.svg\`

An SVG badge for READMEs and status pages, coloured by the channel's status: the median time to the first human reply,
or the SLA share with \`metric=sla\`.

| Query | Default | |
|---|---|---|
| \`metric\` | \`median\` | \`median\` or \`sla\` |
| \`window\` | \`30d\` | window of the figure |

${ex.badge}

${ex.badgeSla}

### \`GET /feed.atom\`

An Atom feed of SLA breaches and regressions (subscriber alerts) and of each public channel's current status. Links use
the \`public_url\` of \`probes/settings.yaml\` (here \`https://status.example.org\`), else the request's host.

${ex.feed}

## Admin routes

Admin routes need the token the server was started with (\`FIRSTREPLY_ADMIN_TOKEN\`) as \`Authorization: Bearer …\`;
without it they answer 401, and when the variable is not set they are disabled. The same header on a public route
includes private vendors, and the response is \`Cache-Control: private, no-store\`:

${ex.adminPrivate}

### \`GET /api/v1/admin/vendors\`

Every vendor with its visibility and pause flag, and the vendors list document including private vendors.

${ex.adminVendors}

### \`POST /api/v1/admin/vendors/:slug/pause\`

Pauses (\`{"paused": true}\`) or resumes (\`{"paused": false}\`) probing of a vendor.

${ex.pause}

### \`POST /api/v1/admin/probes\`

Sends one probe now on a vendor's channel and answers 202 with the new probe's id; a server started without a probe
runner answers 501 \`UNSUPPORTED\`.

${ex.trigger}

### \`GET /api/v1/admin/review-queue\`

Replies labelled with a confidence at or below \`max_confidence\`, for a person to confirm or correct. Unlike every
public route, this one shows senders, subjects and the start of the body.

| Query | Default | |
|---|---|---|
| \`limit\` | \`100\` | 1 to 500 |
| \`max_confidence\` | \`0.75\` | only labels at or below this confidence |

${ex.queue}

### \`POST /api/v1/admin/reviews\`

Confirms or corrects the label of one reply (${messageLabels.map((l) => `\`${l}\``).join(', ')}); figures are recomputed with the reviewed label.
Body: \`messageId\`, \`label\`, optional \`note\` (≤ 2000 characters) and \`reviewer\` (default \`admin\`).

${ex.review}

### \`GET /api/v1/admin/vendors/:slug/probes\`

The probes list of any vendor, private ones included (last 90 days, 500 newest).

${ex.adminProbes}

Without the token:

${ex.unauthorized}
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(out, await apiDoc());
  process.stdout.write(`wrote ${out}\n`);
}
