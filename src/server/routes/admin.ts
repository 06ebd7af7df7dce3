// Admin routes behind FIRSTREPLY_ADMIN_TOKEN: every vendor (private too), pause a vendor, trigger a probe, the review queue.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError, parseInput, sendRendered, slugParam, slugParams, type ServerContext } from '../http.ts';
import { messageLabels } from '../../core/labels.ts';
import { reviewMessage } from '../../replies/review.ts';
import { markResolution } from '../../replies/quality.ts';
import { noteKinds } from '../../config/notes.ts';

export const pauseBody = z.object({ paused: z.boolean() });
const dateTime = z.iso.datetime({ offset: true }).describe('ISO 8601, e.g. 2026-03-01T02:00:00Z');
export const noteBody = z.strictObject({
  id: slugParam.optional().describe('default: admin-<ms since epoch>'),
  kind: z.enum(noteKinds),
  vendor: slugParam,
  channels: z.array(slugParam).min(1).optional().describe('default: every channel of the vendor'),
  from: dateTime,
  until: dateTime.optional().describe('absent: still in effect'),
  title: z.string().min(1).max(200),
  text: z.string().max(4000).default(''),
});
export const noteParams = z.object({ id: slugParam });
export const triggerBody = z.object({ vendor: slugParam, channel: slugParam });
export const queueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  max_confidence: z.coerce.number().min(0).max(1).default(0.75),
});
export const contextQuery = z.object({
  ids: z
    .string()
    .max(6000)
    .regex(/^\d{1,12}(,\d{1,12}){0,499}$/, 'comma-separated message ids (at most 500)'),
});
export const reviewBody = z.object({
  messageId: z.number().int().positive(),
  label: z.enum(messageLabels),
  note: z.string().max(2000).optional(),
  reviewer: z.string().min(1).max(100).default('admin'),
});
export const resolutionBody = z.object({
  messageId: z.number().int().positive(),
  resolves: z.boolean().describe('true: the reply resolves the question; false: it does not'),
  note: z.string().max(2000).optional(),
  reviewer: z.string().min(1).max(100).default('admin'),
});

export const resolutionQueueQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export function adminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request, reply) => {
        reply.header('cache-control', 'no-store');
        if (!ctx.isAdmin(request))
          throw new HttpError(
            401,
            'UNAUTHORIZED',
            ctx.adminConfigured ? 'a valid admin token is required (Authorization: Bearer …)' : 'admin routes are disabled: FIRSTREPLY_ADMIN_TOKEN is not set',
          );
      });

      admin.get('/vendors', async (_request, reply) => {
        const flags = Object.fromEntries(ctx.store.vendors.all().map((v) => [v.slug, { visibility: v.visibility, paused: v.paused === 1 }]));
        // The list goes out as the bytes its builder serialized: never parsed and serialized again here.
        const list = await ctx.documents.list('90d', true);
        const body = Buffer.concat([Buffer.from(`{"flags":${JSON.stringify(flags)},"document":`), list.raw, Buffer.from('}')]);
        return reply.type('application/json; charset=utf-8').send(body);
      });

      admin.post('/vendors/:slug/pause', async (request) => {
        const { slug } = parseInput(slugParams, request.params);
        const { paused } = parseInput(pauseBody, request.body);
        if (!ctx.store.vendors.setPaused(slug, paused)) throw new HttpError(404, 'NOT_FOUND', `no vendor "${slug}"`);
        return { vendor: slug, paused };
      });

      admin.post('/notes', async (request, reply) => {
        const body = parseInput(noteBody, request.body);
        if (!ctx.queries.vendorVisible(body.vendor, true)) throw new HttpError(404, 'NOT_FOUND', `no vendor "${body.vendor}"`);
        const unknown = (body.channels ?? []).filter((c) => !ctx.queries.channelVisible(body.vendor, c, true));
        if (unknown.length > 0) throw new HttpError(404, 'NOT_FOUND', `no channel ${unknown.map((c) => `"${c}"`).join(', ')} for "${body.vendor}"`);
        const from = Date.parse(body.from);
        const until = body.until === undefined ? undefined : Date.parse(body.until);
        if (until !== undefined && until < from) throw new HttpError(400, 'BAD_INPUT', 'until: is before from');
        const id = body.id ?? `admin-${ctx.clock.now()}`;
        if (ctx.store.vendors.note(id)) {
          throw new HttpError(409, 'CONFLICT', `a note "${id}" exists already`);
        }
        const note = {
          id,
          kind: body.kind,
          vendor: body.vendor,
          from,
          title: body.title,
          text: body.text,
          ...(body.channels ? { channels: body.channels } : {}),
          ...(until === undefined ? {} : { until }),
        };
        ctx.store.vendors.addNote(note);
        return reply.code(201).send(note);
      });

      admin.delete('/notes/:id', async (request) => {
        const { id } = parseInput(noteParams, request.params);
        if (!ctx.store.vendors.removeNote(id))
          throw new HttpError(404, 'NOT_FOUND', `no note "${id}" added through this API (file notes change in probes/notes/)`);
        return { id, removed: true };
      });

      admin.post('/probes', async (request, reply) => {
        const { vendor, channel } = parseInput(triggerBody, request.body);
        if (!ctx.queries.channelVisible(vendor, channel, true)) throw new HttpError(404, 'NOT_FOUND', `no channel "${channel}" for "${vendor}"`);
        if (!ctx.triggerProbe) throw new HttpError(501, 'UNSUPPORTED', 'this server cannot send probes (started without a probe runner)');
        const { probeId } = await ctx.triggerProbe(vendor, channel);
        return reply.code(202).send({ probeId, vendor, channel });
      });

      admin.get('/review-queue', async (request) => {
        const { limit, max_confidence } = parseInput(queueQuery, request.query);
        return {
          messages: ctx.store.messages.reviewQueue(max_confidence, limit).map((m) => ({
            id: m.id,
            probeId: m.probe_id,
            receivedAt: m.received_at,
            from: m.from_addr,
            subject: m.subject,
            label: m.label,
            confidence: m.confidence,
            reasons: parseReasons(m.reasons),
            excerpt: (m.body_text ?? '').slice(0, 500),
          })),
        };
      });

      admin.post('/reviews', async (request) => {
        const { messageId, label, note, reviewer } = parseInput(reviewBody, request.body);
        if (!ctx.store.messages.get(messageId)) throw new HttpError(404, 'NOT_FOUND', `no message ${messageId}`);
        reviewMessage(ctx.store, messageId, label, reviewer, note);
        return { messageId, label };
      });

      admin.get('/resolution-queue', async (request) => {
        const { limit } = parseInput(resolutionQueueQuery, request.query);
        return {
          replies: ctx.store.quality.unmarkedReplies(limit).map((r) => ({
            id: r.id,
            probeId: r.probe_id,
            receivedAt: r.received_at,
            from: r.from_addr,
            subject: r.subject,
            excerpt: r.excerpt,
            measured: r.measured === 1,
            rubricResolves: r.resolved_message_id === r.id,
          })),
        };
      });

      admin.post('/resolutions', async (request) => {
        const { messageId, resolves, note, reviewer } = parseInput(resolutionBody, request.body);
        const message = ctx.store.messages.get(messageId);
        if (!message || message.probe_id === null) throw new HttpError(404, 'NOT_FOUND', `no reply ${messageId} of a probe`);
        markResolution(ctx.store, messageId, resolves, reviewer, note);
        return { messageId, resolves, probeId: message.probe_id, resolvedAt: ctx.store.quality.forProbe(message.probe_id)?.resolved_at ?? null };
      });

      admin.get('/vendors/:slug/probes', async (request, reply) => {
        const { slug } = parseInput(slugParams, request.params);
        if (!ctx.queries.vendorVisible(slug, true)) throw new HttpError(404, 'NOT_FOUND', `no vendor "${slug}"`);
        return sendRendered(request, reply, await ctx.documents.probes({ vendor: slug, admin: true }, '90d', 500), true);
      });

      /** What the review queue leaves out and the page shows: each message's vendor, channel and probe clocks. */
      admin.get('/review-context', async (request) => {
        const { ids } = parseInput(contextQuery, request.query);
        const messages = ids
          .split(',')
          .map(Number)
          .flatMap((id) => {
            const message = ctx.store.messages.get(id);
            if (!message) return [];
            const probe = message.probe_id !== null ? ctx.store.probes.get(message.probe_id) : undefined;
            return [
              {
                id,
                source: message.source,
                effectiveLabel: message.effective_label,
                reviewed: message.review_label !== null,
                probe: probe
                  ? {
                      id: probe.id,
                      vendor: probe.vendor,
                      vendorName: ctx.queries.vendorName(probe.vendor) ?? probe.vendor,
                      channel: probe.channel,
                      kind: probe.kind,
                      state: probe.state,
                      sentAt: probe.sent_at,
                      firstAckAt: probe.first_ack_at,
                      firstHumanAt: probe.first_human_at,
                    }
                  : null,
              },
            ];
          });
        return { unconfirmed: ctx.store.messages.unconfirmedCount(), messages };
      });
    },
    { prefix: '/api/v1/admin' },
  );
}

function parseReasons(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((r): r is string => typeof r === 'string') : [];
}
