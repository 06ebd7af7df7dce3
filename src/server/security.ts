// Security headers on every response: a strict CSP (no inline script or style, no third party) and friends; what other sites may use.
import type { FastifyInstance, onRequestHookHandler } from 'fastify';

const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const headers = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
};

/** The embeddable widget may be framed by any site; every other page keeps `frame-ancestors 'none'`. */
const embedContentSecurityPolicy = contentSecurityPolicy.replace("frame-ancestors 'none'", 'frame-ancestors *');

/** Public, read-only resources other sites may load: a badge <img>, a cross-origin fetch of the API, a feed. */
const shareHeaders = {
  'cross-origin-resource-policy': 'cross-origin',
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
};

/**
 * Whether a route's responses may be used by other origins: the public API, badges, the feed and the embed, never an
 * admin route, and never a response to a request carrying credentials (an admin token can show private vendors).
 */
function isShared(routeUrl: string | undefined, authorization: string | undefined): boolean {
  if (routeUrl === undefined || authorization !== undefined) return false;
  if (routeUrl.startsWith('/api/v1/admin') || routeUrl.startsWith('/admin')) return false;
  return (
    routeUrl === '/api/v1' || routeUrl.startsWith('/api/v1/') || routeUrl.startsWith('/badge/') || routeUrl.startsWith('/embed/') || routeUrl === '/feed.atom'
  );
}

/** Every header a shared public route adds to a response without credentials (the ready-document path sends these). */
export const sharedPublicHeaders: Readonly<Record<string, string>> = { ...headers, ...shareHeaders };

const routeHooks = new WeakSet<object>();

/**
 * Security headers on every response from one global hook; what a route adds (sharing, the embed's framing) comes
 * from an onRequest hook of its own, chosen once when the route is added: reading the route's URL per request costs
 * Fastify an object a request.
 */
export function securityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  app.addHook('onRoute', (route) => {
    const shared = isShared(route.url, undefined);
    const embed = route.url.startsWith('/embed/');
    if (!shared && !embed) return;
    const hooks = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    if (hooks.some((hook) => routeHooks.has(hook))) return;
    const hook: onRequestHookHandler = (request, reply, done) => {
      if (shared && request.headers.authorization === undefined) reply.headers(shareHeaders);
      if (embed) {
        reply.header('content-security-policy', embedContentSecurityPolicy);
        reply.removeHeader('x-frame-options');
      }
      done();
    };
    routeHooks.add(hook);
    // First among the route's own hooks, so one that answers early (a rate limit) answers with them too.
    route.onRequest = [hook, ...hooks];
  });
}
