// The OpenAPI document /api/v1/openapi.json (@fastify/swagger) from the routes' zod schemas, which also validate requests.
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { z } from 'zod';
import { HttpError, cachedRoute, parseInput, sendRendered } from './http.ts';
import { render, type RenderedBody } from './cache.ts';
import { mustBeDescribed, routeSpecs, type JsonSchema, type RouteSpec } from './api-spec.ts';

function jsonSchema(schema: z.ZodType | JsonSchema, io: 'input' | 'output'): JsonSchema {
  if (!(schema instanceof z.ZodType)) return schema;
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    // z.int() states the safe-integer range; every integer here is far inside it, so the bounds are noise.
    override: ({ jsonSchema: out }) => {
      if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
      if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
    },
  });
  return rest;
}

/** The route's schema for Fastify and the document: zod objects as they are (validated by the compiler below). */
function routeSchema(spec: RouteSpec): FastifySchema & Record<string, unknown> {
  return {
    tags: spec.tags,
    summary: spec.summary,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(spec.querystring ? { querystring: spec.querystring } : {}),
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    ...(spec.tags[0] === 'admin' ? { security: [{ adminToken: [] }] } : {}),
    response: spec.response,
  };
}

/** The document's form of a route schema: every zod schema in JSON Schema (requests as accepted, responses as sent). */
function documentSchema(schema: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]: [string, unknown]) => {
      if ((key === 'querystring' || key === 'params' || key === 'body') && value instanceof z.ZodType) return [key, jsonSchema(value, 'input')];
      if (key === 'response' && typeof value === 'object' && value !== null) {
        return [
          key,
          Object.fromEntries(Object.entries(value).map(([code, response]: [string, z.ZodType | JsonSchema]) => [code, jsonSchema(response, 'output')])),
        ];
      }
      return [key, value];
    }),
  );
}

function specKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}

/**
 * Before any route: request schemas are zod (validated with the same messages as parseInput), responses are serialized
 * as plain JSON, every public route gets its schema from api-spec.ts — a route under /api/, /badge/, /embed/… without
 * one stops the server from starting — and /api/v1/openapi.json serves the document.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.setValidatorCompiler(({ schema }) => (input: unknown) => {
    if (!(schema instanceof z.ZodType)) throw new Error('route schemas are zod schemas (see src/server/api-spec.ts)');
    try {
      return { value: parseInput(schema, input ?? {}) };
    } catch (err) {
      if (err instanceof HttpError) return { error: err };
      throw err;
    }
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const spec = methods.map((m) => routeSpecs[specKey(m, route.url)]).find((s) => s !== undefined);
    if (spec) route.schema = { ...routeSchema(spec), ...(route.schema ?? {}) };
    else if (mustBeDescribed(route.url))
      throw new Error(`${methods.join(',')} ${route.url} has no entry in src/server/api-spec.ts (its schema for /api/v1/openapi.json)`);
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'firstreply',
        version: '1',
        description:
          "Time to the first human reply of vendors' support, measured by synthetic probes. Public routes show public vendors only and are read-only; admin routes need the server's FIRSTREPLY_ADMIN_TOKEN.",
      },
      tags: [
        { name: 'public', description: 'Read-only, public vendors only; any origin may use them' },
        { name: 'admin', description: 'Behind the admin token' },
      ],
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
    },
    hideUntagged: true,
    exposeHeadRoutes: false,
    transform: ({ schema, url }) => ({ schema: schema ? documentSchema(schema) : schema, url }),
  });
  let document: RenderedBody | undefined;
  app.get('/api/v1/openapi.json', cachedRoute, async (request, reply) => {
    document ??= render(app.swagger(), 0);
    return sendRendered(request, reply, document, false);
  });
}
