// What each HTTP route takes and answers, for /api/v1/openapi.json and docs/api.md: the routes' own zod schemas plus words.
import { z } from 'zod';
import type { ChannelStatus } from '../metrics/report-types.ts';
import { tiers } from '../config/schema.ts';
import { compareQuery, hourQuery, probesQuery, vendorQuery, vendorsQuery } from './routes/public.ts';
import { contextQuery, noteBody, noteParams, pauseBody, queueQuery, resolutionBody, resolutionQueueQuery, reviewBody, triggerBody } from './routes/admin.ts';
import { badgeQuery } from './routes/badges.ts';
import { probeIdParams } from './routes/evidence.ts';
import { slugParam, slugParams } from './http.ts';
import type { VendorsDocument } from './views.ts';

/** A JSON schema written out (responses that are not JSON, or documents described in words). */
export type JsonSchema = Record<string, unknown>;

export interface RouteSpec {
  tags: ['public'] | ['admin'];
  summary: string;
  description?: string;
  querystring?: z.ZodType;
  params?: z.ZodType;
  body?: z.ZodType;
  response: Record<number, z.ZodType | JsonSchema>;
}

const channelStatuses = ['meeting_sla', 'slower_than_sla', 'not_answering', 'insufficient_data'] as const satisfies readonly ChannelStatus[];
const ms = z.number().int();
const nullableMs = ms.nullable();

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).describe('An error with its stable code');

const channelSummarySchema = z.object({
  channel: z.string(),
  kind: z.string(),
  status: z.enum(channelStatuses),
  medianMs: nullableMs.describe('Median time to the first human reply (Kaplan–Meier, whole seconds); null = not reached'),
  ci95Ms: z.tuple([nullableMs, nullableMs]).describe('[low, high] of the 95 % confidence interval of the median; a null end is not reached (one-sided)'),
  n: z.number().int().describe('Probes in the window, not those awaiting review'),
  awaitingReview: z.number().int().describe("Probes whose first reply awaits a person's label: in no other figure of the row"),
  noReplyShare: z.number().nullable().describe('Share of the probes never answered by a person (0..1)'),
  sla: z.object({ met: z.number().int(), known: z.number().int() }).describe('Probes answered within their SLA target, of those whose SLA outcome is known'),
  lastProbeAt: nullableMs,
  days: z
    .object({
      first: z.string().nullable().describe('UTC day (YYYY-MM-DD) of the first entry'),
      last: z.string().nullable().describe('UTC day of the last entry (today)'),
      withinSla: z.array(z.number().int()),
      missedSla: z.array(z.number().int()),
      noReply: z.array(z.number().int()),
      open: z.array(z.number().int()),
    })
    .describe("The 90-day bar in columns: entry i of each array is day first + i; the four counts split that day's probes by outcome"),
  open: z
    .array(z.object({ id: z.number().int(), tier: z.enum(tiers), sentAt: ms, deadlineAt: nullableMs, firstAckAt: nullableMs }))
    .describe('Probes still waiting for a person'),
  incident: z
    .object({
      kind: z.enum(['sla_breach', 'regression']),
      since: ms.describe('When the alert opened'),
      summary: z.string().describe('What the alert says, in words'),
    })
    .nullable()
    .describe('An open SLA-breach or regression alert: the channel is "slower than usual since" `since` (the page and badge show it amber); null when none'),
});

const windowSchema = z.object({ label: z.string(), from: nullableMs, to: ms });

const vendorsDocumentSchema = z
  .object({
    generatedAt: ms,
    window: windowSchema,
    demoTime: z.boolean(),
    vendors: z.array(z.object({ slug: z.string(), name: z.string(), timezone: z.string(), channels: z.array(channelSummarySchema) })),
  })
  .describe('Every public vendor × channel');

/**
 * The schema says what the code sends: this line stops compiling when VendorsDocument changes without it.
 * @public (a compile-time check, not called)
 */
export const vendorsDocumentChecked: (value: VendorsDocument) => z.input<typeof vendorsDocumentSchema> = (value) => value;

/** Documents whose fields are listed in words (docs/api.md has a real example of each). */
const described = (description: string) => z.looseObject({ generatedAt: ms, window: windowSchema }).describe(description);

const svg = (description: string): JsonSchema => ({ description, content: { 'image/svg+xml': { schema: { type: 'string' } } } });
const text = (type: string, description: string): JsonSchema => ({ description, content: { [type]: { schema: { type: 'string' } } } });

const notFound = errorSchema.describe('No such vendor or channel, or a private one');
const badInput = errorSchema.describe('A parameter failed validation; the message names it');
const unauthorized = errorSchema.describe('No valid admin token');

const badgeParams = z.object({
  vendor: z.string().describe('vendor slug'),
  file: z.string().describe('`<channel>.svg`'),
});

export const routeSpecs: Record<string, RouteSpec> = {
  'GET /api/v1': {
    tags: ['public'],
    summary: 'The API version, the windows and the routes',
    response: { 200: z.object({ version: z.number().int(), windows: z.array(z.string()), routes: z.array(z.string()) }) },
  },
  'GET /api/v1/openapi.json': {
    tags: ['public'],
    summary: 'This document: the API in OpenAPI 3.1',
    response: { 200: z.looseObject({ openapi: z.string() }) },
  },
  'GET /api/v1/vendors': {
    tags: ['public'],
    summary: 'Every public vendor × channel with its status and 90-day bar',
    description:
      'The document the home page draws. It is compact: times are rounded to whole seconds, shares to 0.001; the full statistics of a vendor are on `/api/v1/vendors/{slug}`. Per channel: `medianMs` and `ci95Ms` are the median time to the first human reply and its 95 % interval (`null` = not reached; a null end of the interval means it is one-sided), `n` the probes in the window, `noReplyShare` the share never answered by a person, `sla` the probes answered within their SLA target (`met`) of those whose outcome is known (`known`), `days` the 90-day bar in columns (entry i of `withinSla`, `missedSla`, `noReply` and `open` counts the probes sent on day `first` + i; all four 0 = no probe that day), `open` the probes still waiting for a person, and `awaitingReview` the probes whose first reply the classifier could not decide and no person has labelled yet: they are in none of the other figures until then. `incident`, when not null, is the channel\'s open SLA-breach or regression alert (`kind`, `since`, `summary`): the pages show the channel amber, "slower than usual since …", and so does its badge.',
    querystring: vendorsQuery,
    response: { 200: vendorsDocumentSchema, 400: badInput },
  },
  'GET /api/v1/vendors/:slug': {
    tags: ['public'],
    summary: 'The full statistics of one vendor',
    description:
      "The same document as `firstreply stats --json <vendor>`: per channel the Kaplan–Meier estimates (`{ value, low, high }` in ms) of time to first human reply, to the first acknowledgement and to the first bot answer, percentiles, the no-reply share, SLA compliance per tier, the 90-day daily series, hour-of-week coverage (in the vendor's time zone and in UTC), open probes and how many labels still await review, plus a cross-channel comparison. Each channel has `tiers`: per tier with probes in the window (P0 first) `{ tier, n, events, censored, noEventShare, median: { value, low, high }, ratio, sufficient, needed }`, the Kaplan–Meier median time to the first human reply of that tier's probes with its 95 % interval; `ratio` is the interval's high / low (null while an end is not reached), `sufficient` is true from 5 probes with `ratio` ≤ 3, and otherwise `needed` says how many more answered probes (`answered`) and probes at the no-reply share seen (`probes`) the interval is expected to need, and what that count rests on (`basis`: `interval`, `spread` or `assumed`). Each channel has `incident` (its open SLA-breach or regression alert: `{ id, channel, kind, since, resolvedAt, summary, evidence }`, or null); the vendor has `incidents` (open and resolved, newest first, `evidence` being the `{ label, value }` facts the alert fired with) and `notes` (operator notes: `{ id, kind: maintenance | paused | method_change | other, channels, from, until, title, text }`).",
    params: slugParams,
    querystring: vendorQuery,
    response: { 200: described('The statistics report (see src/metrics/report-types.ts: StatsReport)'), 400: badInput, 404: notFound },
  },
  'GET /api/v1/vendors/:slug/probes': {
    tags: ['public'],
    summary: 'Probes of one vendor, newest first',
    description:
      "Timings, tier, template and language, and the labels of the replies in order of arrival (`reviewed` when a person confirmed or corrected the label). `awaitingReviewSince` is set while the probe awaits review. `resolvedAt` is when the reply that resolves the question arrived (it meets the template's `expect:`, or a person marked it; the mark wins), null while unresolved. Rate limited.",
    params: slugParams,
    querystring: probesQuery,
    response: { 200: described('The probes list'), 400: badInput, 404: notFound, 429: errorSchema.describe('Over the rate limit') },
  },
  'GET /api/v1/vendors/:slug/daily': {
    tags: ['public'],
    summary: 'One bucket per UTC day over the last 90 days, per channel',
    description: "Per day: probes, answered, within / missed SLA, no reply, still open, and that day's median time to the first human reply.",
    params: slugParams,
    querystring: vendorQuery.pick({ channel: true }),
    response: { 200: described('The daily series'), 400: badInput, 404: notFound },
  },
  'GET /api/v1/vendors/:slug/hour-of-week': {
    tags: ['public'],
    summary: '168 hour-of-week cells per channel',
    description:
      'Hour 0 is Monday 00:00. Each cell has the probes sent in that hour of the week, how many a person answered and their median time to the first human reply.',
    params: slugParams,
    querystring: hourQuery,
    response: { 200: described('The hour-of-week matrix'), 400: badInput, 404: notFound },
  },
  'GET /api/v1/compare': {
    tags: ['public'],
    summary: 'Side-by-side scorecards of 1 to 12 vendors',
    description:
      'Response time, SLA compliance, 7×24 coverage, channel coverage and consistency, and answer quality. `quality` has `measured` (probes whose resolution is measured: the template says what a good answer contains, or a person marked a reply), `resolved`, and `{ count, n, share }` for `firstContact` (resolved by the first human reply, of the measured probes a person answered), `canned` (answered probes with a canned reply) and `askedForGiven` (answered probes where a reply asked for a fact the probe gave), summed over channels; `channels` lists per channel `firstReplyMedianMs` beside `resolutionMedianMs` (Kaplan–Meier medians, unresolved probes censored; null = not reached) with the same counts. `tiers` lists per channel and tier `{ channel, kind, tier, n, events, median, sufficient, needed }`, as `tiers` of the vendor document. Rate limited.',
    querystring: compareQuery,
    response: { 200: described('The scorecards'), 400: badInput, 404: notFound, 429: errorSchema.describe('Over the rate limit') },
  },
  'GET /healthz': {
    tags: ['public'],
    summary: 'Liveness',
    description: "The server's clock and the store revision (grows with every result written). Never cached.",
    response: { 200: z.object({ ok: z.boolean(), now: ms, revision: z.number().int() }) },
  },
  'GET /badge/:vendor/:file': {
    tags: ['public'],
    summary: 'An SVG badge of one channel',
    description:
      'For READMEs and other sites (any origin may load it): the median time to the first human reply, or the SLA share with `metric=sla`, coloured by the channel\'s status. A vendor or channel that is unknown or private answers a grey "unknown" badge with status 404.',
    params: badgeParams,
    querystring: badgeQuery,
    response: { 200: svg('The badge'), 404: svg('An "unknown" badge') },
  },
  'GET /embed/:slug': {
    tags: ['public'],
    summary: 'A small page of one vendor that other sites may frame',
    description:
      'Status, median and SLA share per channel over the last 90 days, for an `<iframe>` (its own `frame-ancestors *`; every other page refuses to be framed). `lang=en|zh-CN`, else `Accept-Language`.',
    params: slugParams,
    querystring: z.object({ lang: z.string().max(20).optional() }),
    response: { 200: text('text/html', 'The widget'), 404: text('text/html', 'No such public vendor') },
  },
  'GET /feed.atom': {
    tags: ['public'],
    summary: 'Atom feed of SLA breaches, regressions and status changes',
    description: "Links use the `public_url` of `probes/settings.yaml`, else the request's host.",
    response: { 200: text('application/atom+xml', 'The feed') },
  },
  'GET /api/v1/admin/vendors': {
    tags: ['admin'],
    summary: 'Every vendor with its visibility and pause flag, and the vendors list including private vendors',
    response: {
      200: z.looseObject({ flags: z.record(z.string(), z.object({ visibility: z.enum(['public', 'private']), paused: z.boolean() })) }),
      401: unauthorized,
    },
  },
  'POST /api/v1/admin/vendors/:slug/pause': {
    tags: ['admin'],
    summary: 'Pauses or resumes probing of a vendor',
    params: slugParams,
    body: pauseBody,
    response: { 200: z.object({ vendor: z.string(), paused: z.boolean() }), 401: unauthorized, 404: notFound },
  },
  'POST /api/v1/admin/notes': {
    tags: ['admin'],
    summary: 'Adds an operator note (maintenance, probes paused, a method change) shown on the vendor page and in the feed',
    description: 'Notes of files in probes/notes/ are replaced at each start; notes added here stay until deleted here. 409 `CONFLICT` when the id is taken.',
    body: noteBody,
    response: {
      201: z.looseObject({ id: z.string(), vendor: z.string() }),
      400: badInput,
      401: unauthorized,
      404: notFound,
      409: errorSchema.describe('The id is taken'),
    },
  },
  'DELETE /api/v1/admin/notes/:id': {
    tags: ['admin'],
    summary: 'Removes an operator note added through the admin API',
    params: noteParams,
    response: { 200: z.object({ id: z.string(), removed: z.boolean() }), 401: unauthorized, 404: notFound },
  },
  'POST /api/v1/admin/probes': {
    tags: ['admin'],
    summary: 'Sends one probe now',
    description: "Answers 202 with the new probe's id; a server started without a probe runner answers 501 `UNSUPPORTED`.",
    body: triggerBody,
    response: {
      202: z.object({ probeId: z.number().int(), vendor: z.string(), channel: z.string() }),
      401: unauthorized,
      404: notFound,
      501: errorSchema.describe('No probe runner'),
    },
  },
  'GET /api/v1/admin/review-queue': {
    tags: ['admin'],
    summary: 'Replies labelled with a confidence at or below max_confidence',
    description: 'For a person to confirm or correct. Unlike every public route, this one shows senders, subjects and the start of the body.',
    querystring: queueQuery,
    response: { 200: z.looseObject({ messages: z.array(z.looseObject({ id: z.number().int() })) }), 401: unauthorized },
  },
  'GET /api/v1/admin/review-context': {
    tags: ['admin'],
    summary: 'Vendor, channel and probe clocks of review-queue messages',
    querystring: contextQuery,
    response: { 200: z.looseObject({ unconfirmed: z.number().int(), messages: z.array(z.looseObject({ id: z.number().int() })) }), 401: unauthorized },
  },
  'POST /api/v1/admin/reviews': {
    tags: ['admin'],
    summary: 'Confirms or corrects the label of one reply',
    description: 'Figures are recomputed with the reviewed label.',
    body: reviewBody,
    response: { 200: z.object({ messageId: z.number().int(), label: z.string() }), 401: unauthorized, 404: notFound },
  },
  'GET /api/v1/admin/resolution-queue': {
    tags: ['admin'],
    summary: 'Human replies no person has marked as resolving the question or not',
    description:
      "Replies of probes whose resolution is measured come first (`measured`), newest first; `rubricResolves` says whether the template's `expect:` already counts this reply as the resolving one. Like the review queue, it shows senders, subjects and the start of the body.",
    querystring: resolutionQueueQuery,
    response: {
      200: z.object({
        replies: z.array(z.looseObject({ id: z.number().int(), probeId: z.number().int(), measured: z.boolean(), rubricResolves: z.boolean() })),
      }),
      400: badInput,
      401: unauthorized,
    },
  },
  'POST /api/v1/admin/resolutions': {
    tags: ['admin'],
    summary: 'Marks whether one reply resolves the question',
    description:
      "A person's mark wins over the template's `expect:` rubric; the probe's resolution and the figures follow. Answers the probe's `resolvedAt` after the mark.",
    body: resolutionBody,
    response: {
      200: z.object({ messageId: z.number().int(), resolves: z.boolean(), probeId: z.number().int(), resolvedAt: nullableMs }),
      400: badInput,
      401: unauthorized,
      404: notFound,
    },
  },
  'GET /api/v1/admin/probes/:id/evidence': {
    tags: ['admin'],
    summary: "One probe's evidence: timeline, replies with the classifier's reasons and people's labels, DKIM at receipt, stored files with SHA-256",
    description:
      "What the viewer page `/admin/probe/<id>` shows. `timeline` is `{ event, at, messageId }` sorted by time (scheduled, sending, sent, first_ack, first_bot, first_human, resolved, deadline, expires, closed). Each message has its sender, subject, decoded text, `label`/`confidence`/`reasons`, `reviews` and `resolutionMarks` (a person's), `rawFile` and `rawSha256` (recorded at receipt) and `dkim`: `{ result: pass | fail | none | temperror | permerror | not_checked, domain, selector, signatures, checkedAt }` as verified when the reply was received, or null (not an e-mail, or received before DKIM was checked). `files` lists every stored file (relative to the evidence directory) with `sha256Now` computed on this request and `matches` (same as the hash recorded at receipt; null when none was). The raw message downloads at `/admin/probe/<id>/message/<messageId>.eml`, any file at `/admin/probe/<id>/file/<file>`, both behind the same token or a signed-in operator session.",
    params: probeIdParams,
    response: {
      200: z.looseObject({
        probe: z.looseObject({ id: z.number().int(), vendor: z.string(), channel: z.string(), token: z.string() }),
        timeline: z.array(z.object({ event: z.string(), at: ms, messageId: z.number().int().nullable() })),
        messages: z.array(z.looseObject({ id: z.number().int(), dkim: z.looseObject({ result: z.string(), domain: z.string().nullable() }).nullable() })),
        files: z.array(z.looseObject({ file: z.string(), sha256Now: z.string().nullable(), matches: z.boolean().nullable() })),
      }),
      400: badInput,
      401: unauthorized,
      404: notFound,
    },
  },
  'GET /api/v1/admin/vendors/:slug/probes': {
    tags: ['admin'],
    summary: 'The probes list of any vendor, private ones included (last 90 days, 500 newest)',
    params: z.object({ slug: slugParam }),
    response: { 200: described('The probes list'), 401: unauthorized, 404: notFound },
  },
};

/** Paths whose every route must be described here (the test and buildApp both check). */
export function mustBeDescribed(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/badge/') || url.startsWith('/embed/') || url === '/feed.atom' || url === '/healthz';
}
