// The two busiest public documents answered before routing: the vendors list and one vendor's document, public view,
// default window, when a version is in memory. Anything else (a query, credentials, HEAD, only a first build) goes on
// to the routes, which send the same bytes and headers (tests/integration/ready-path.test.ts compares them).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodingFor, etagMatches, type PreparedResponse } from './cache.ts';
import { defaultWindow, type Documents } from './documents.ts';
import type { StatusBody } from './document-build.ts';
import { prepareJson, slugPattern } from './http.ts';
import { sharedPublicHeaders } from './security.ts';
import type { PublicQueries } from '../store/public-probes.ts';

const vendorPrefix = '/api/v1/vendors/';

interface Sent {
  ok: Record<string, string>;
  notModified: Record<string, string>;
}

export interface ReadyPath {
  /** Answers the request and returns true, or returns false (nothing written) for the routes to answer. */
  serve(request: IncomingMessage, response: ServerResponse): boolean;
  /** From now on every request goes to the routes (the server is closing: they answer as it closes). */
  stop(): void;
}

export function readyPath(documents: Documents, queries: Pick<PublicQueries, 'vendorVisible'>): ReadyPath {
  let open = true;
  // The response headers of each prepared body and encoding, merged with the security headers once.
  const sent = new WeakMap<PreparedResponse, Sent>();
  const headersOf = (prepared: PreparedResponse): Sent => {
    let headers = sent.get(prepared);
    if (!headers) {
      headers = { ok: { ...sharedPublicHeaders, ...prepared.headers }, notModified: { ...sharedPublicHeaders, ...prepared.notModified } };
      sent.set(prepared, headers);
    }
    return headers;
  };
  const bodyFor = (url: string): StatusBody | undefined => {
    if (url === '/api/v1/vendors') return documents.readyVendors(defaultWindow, false);
    if (!url.startsWith(vendorPrefix)) return undefined;
    const slug = url.slice(vendorPrefix.length);
    // A query, a second segment, an unknown or private vendor (the route's 404): the routes answer.
    if (!slugPattern.test(slug) || !queries.vendorVisible(slug, false)) return undefined;
    return documents.readyVendor({ vendor: slug, channel: undefined, admin: false }, defaultWindow);
  };
  return {
    serve(request, response) {
      const url = request.url;
      if (!open || request.method !== 'GET' || url === undefined || request.headers.authorization !== undefined) return false;
      const body = bodyFor(url);
      if (!body) return false;
      const prepared = prepareJson(body, encodingFor(request.headers['accept-encoding']), false);
      const headers = headersOf(prepared);
      if (etagMatches(request.headers['if-none-match'], body.etag)) {
        response.writeHead(304, headers.notModified);
        response.end();
      } else {
        response.writeHead(200, headers.ok);
        response.end(prepared.body);
      }
      return true;
    },
    stop() {
      open = false;
    },
  };
}
