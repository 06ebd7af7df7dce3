// What the routes share: the context they receive, HTTP errors, input parsing, cached senders and the page language.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FirstReplyError, type ErrorCode } from '../core/errors.ts';
import type { Store } from '../store/db.ts';
import { encodingFor, etagMatches, preparer, type RenderedBody, type SendOptions } from './cache.ts';
import type { DocumentSources, Documents } from './documents.ts';
import type { OperatorSessions } from './session.ts';
import { cookieLanguage, fromAcceptLanguage, languageOf, type Language } from './i18n.ts';

/** Starts one probe now (the admin route). */
export type TriggerProbe = (vendor: string, channel: string) => Promise<{ probeId: number }>;

/** What every route module receives. */
export interface ServerContext extends DocumentSources {
  store: Store;
  siteDir: string;
  triggerProbe: TriggerProbe | undefined;
  expensive: { rateLimit: { max: number; timeWindow: number } };
  documents: Documents;
  isAdmin(request: FastifyRequest): boolean;
  /** The admin token, or a signed-in operator's session cookie: the pages then show private vendors and trials. */
  isOperator(request: FastifyRequest): boolean;
  /** Whether a token offered on the sign-in form is the admin token. */
  tokenValid(token: string): boolean;
  sessions: OperatorSessions;
  adminConfigured: boolean;
  publicUrl: string | undefined;
}

export class HttpError extends FirstReplyError {
  readonly status: number;
  constructor(status: number, code: ErrorCode, message?: string) {
    super(code, message);
    this.status = status;
  }
}

type CachedSender = (request: FastifyRequest, reply: FastifyReply, body: RenderedBody, privateView: boolean) => FastifyReply;

/**
 * A sender of cached bodies of one kind (JSON, HTML, SVG…): headers (ETag, Content-Encoding, Content-Length, Vary,
 * Cache-Control) are computed once per body and encoding, the pre-compressed bytes go out as they are, and a matching
 * If-None-Match gets a 304.
 */
export function cachedSender(options: SendOptions = {}): CachedSender {
  return senderWith(preparer(options));
}

function senderWith(prepare: ReturnType<typeof preparer>): CachedSender {
  return (request, reply, body, privateView) => {
    const prepared = prepare(body, encodingFor(request.headers['accept-encoding']), privateView);
    if (etagMatches(request.headers['if-none-match'], body.etag)) return reply.code(304).headers(prepared.notModified).send();
    return reply.headers(prepared.headers).send(prepared.body);
  };
}

/** The API's JSON bodies: their headers per body and encoding, shared by the routes and the ready-document path. */
export const prepareJson: ReturnType<typeof preparer> = preparer();

/** Sends a cached JSON body (the API's default headers). */
export const sendRendered: CachedSender = senderWith(prepareJson);

/** Options of routes that send cached, pre-compressed bodies: the compression plugin leaves them alone. */
export const cachedRoute: { compress: false; decompress: false } = { compress: false, decompress: false };

/** A vendor's or channel's slug, as URLs carry it. */
export const slugPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const slugParam = z.string().regex(slugPattern);
/** Schemas are made once: zod compiles each on first use. */
export const slugParams = z.object({ slug: slugParam });

/** `vendors=a,b` or `vendors=a&vendors=b`. */
export const vendorListParam = z
  .union([z.string(), z.array(z.string())])
  .transform((s) => [
    ...new Set(
      (Array.isArray(s) ? s : [s])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v.length > 0),
    ),
  ])
  .pipe(z.array(slugParam).min(1).max(12));

/**
 * The last values parseInput made, with their schemas: a route's schema validates its query and parameters just before
 * the handler (src/server/openapi.ts), so the handler's own parseInput of the same object with the same schema returns
 * it as it is. A few slots, not a WeakMap: no entry per request for the collector, and an object pushed out (requests
 * interleaving) is only parsed again.
 */
const recentSlots = 8;
const recentValues: unknown[] = new Array(recentSlots).fill(undefined);
const recentSchemas: (z.ZodType | undefined)[] = new Array(recentSlots).fill(undefined);
let recentNext = 0;

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  if (typeof input === 'object' && input !== null) {
    for (let i = 0; i < recentSlots; i++) if (recentValues[i] === input && recentSchemas[i] === schema) return input as z.infer<T>;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new HttpError(400, 'BAD_INPUT', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  }
  const value: unknown = parsed.data;
  if (typeof value === 'object' && value !== null) {
    recentValues[recentNext] = value;
    recentSchemas[recentNext] = schema;
    recentNext = (recentNext + 1) % recentSlots;
  }
  return parsed.data;
}

const oneYearS = 365 * 24 * 3600;

/** ?lang= (remembered in a cookie), else the cookie, else Accept-Language, else English. */
export function pageLanguage(request: FastifyRequest, reply: FastifyReply, requested: string | undefined): Language {
  const fromQuery = languageOf(requested);
  if (fromQuery) {
    reply.header('set-cookie', `lang=${fromQuery}; Path=/; Max-Age=${oneYearS}; SameSite=Lax`);
    return fromQuery;
  }
  return cookieLanguage(request.headers.cookie) ?? fromAcceptLanguage(request.headers['accept-language']) ?? 'en';
}
