// Operator sessions for the pages: a random id in an HttpOnly cookie; the server keeps only an HMAC of it, never the token.
import { createHmac, randomBytes } from 'node:crypto';

export const sessionCookieName = 'firstreply_session';
const defaultSessionTtlMs = 12 * 3_600_000;

export interface OperatorSessions {
  /** A new session: the id for the cookie (shown once, kept only as its HMAC). */
  create(): string;
  valid(id: string | undefined): boolean;
  end(id: string | undefined): void;
  readonly ttlMs: number;
  size(): number;
}

interface SessionOptions {
  ttlMs?: number;
  /** Sessions kept at most; the oldest goes first. */
  max?: number;
  /** Real elapsed time: a demo's simulated clock must not end a sign-in after seconds. */
  monotonicNow?: () => number;
}

export function operatorSessions(options: SessionOptions = {}): OperatorSessions {
  const ttlMs = options.ttlMs ?? defaultSessionTtlMs;
  const max = options.max ?? 1000;
  const now = options.monotonicNow ?? (() => performance.now());
  const key = randomBytes(32);
  const expiries = new Map<string, number>();
  const digest = (id: string) => createHmac('sha256', key).update(id).digest('base64url');
  const wellFormed = (id: string | undefined): id is string => id !== undefined && /^[A-Za-z0-9_-]{43}$/.test(id);
  return {
    ttlMs,
    create() {
      const id = randomBytes(32).toString('base64url');
      if (expiries.size >= max) {
        const oldest = expiries.keys().next();
        if (!oldest.done) expiries.delete(oldest.value);
      }
      expiries.set(digest(id), now() + ttlMs);
      return id;
    },
    valid(id) {
      if (!wellFormed(id)) return false;
      const mac = digest(id);
      const expiresAt = expiries.get(mac);
      if (expiresAt === undefined) return false;
      if (now() >= expiresAt) {
        expiries.delete(mac);
        return false;
      }
      return true;
    },
    end(id) {
      if (wellFormed(id)) expiries.delete(digest(id));
    },
    size: () => expiries.size,
  };
}

/** The session id from a Cookie header, if any. */
export function sessionIdOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === sessionCookieName) return value.join('=');
  }
  return undefined;
}

/** Set-Cookie for a session; Secure when the page was served over TLS. An empty id with maxAgeS 0 clears it. */
export function sessionCookie(id: string, options: { secure: boolean; maxAgeS: number }): string {
  return `${sessionCookieName}=${id}; Path=/; Max-Age=${options.maxAgeS}; HttpOnly; SameSite=Strict${options.secure ? '; Secure' : ''}`;
}
