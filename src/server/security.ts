// Security headers on every response: a strict CSP (no inline script or style, no third party) and friends; what other sites may use.
import type { FastifyReply, FastifyRequest } from 'fastify';

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

export function securityHeaders(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  reply.headers(headers);
  const route = request.routeOptions.url;
  if (isShared(route, request.headers.authorization)) reply.headers(shareHeaders);
  if (route?.startsWith('/embed/')) {
    reply.header('content-security-policy', embedContentSecurityPolicy);
    reply.removeHeader('x-frame-options');
  }
  done();
}
