/**
 * Request guards and response headers shared by both servers (docs/security.md "Limits" and
 * "Security headers"):
 * - `apiBodyGuard`: on every write to /api, a body must be JSON (else 415 `unsupported_media_type`,
 *   so a cross-site `text/plain` or form post never reaches a handler and a mislabelled body is not
 *   silently read as `{}`) and at most `maxBytes` (else 413 `payload_too_large`). A declared
 *   Content-Length over the limit is refused before a byte is read; a body without a length (chunked)
 *   is read only up to the limit, then the stream is cancelled. Routes that take images or batches
 *   keep their own, larger limit (`ownLimit`) and routes that take raw bytes skip the type check
 *   (`rawBody`).
 * - `securityHeaders`: nosniff, a deny-all CSP on answers that set none (JSON, errors, redirects),
 *   frame-ancestors 'none', no-referrer, COOP same-origin, Permissions-Policy, and HSTS where asked.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../domain/errors.ts';

/** The default limit of a JSON body on /api: 64 KiB (the largest ordinary form is a few KiB). */
export const DEFAULT_JSON_LIMIT_BYTES = 64 * 1024;

/** What `apiBodyGuard` needs to know about the route that will answer. */
export interface BodyGuardOptions {
  /** Largest body accepted, bytes. */
  maxBytes: number;
  /** True for a route that enforces its own (larger) limit: this guard does not count its bytes. */
  ownLimit?: (c: Context) => boolean;
  /** True for a route that takes a non-JSON body on purpose (an image, a provider's callback). */
  rawBody?: (c: Context) => boolean;
}

const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The media type of a Content-Type header, lowercased, without parameters ('' when absent). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Whether the request carries a body. Over HTTP/1.1 a request with neither Content-Length nor
 * Transfer-Encoding has none (RFC 9112 §6.3), although @hono/node-server still gives it an empty body
 * stream (a bodiless DELETE was refused 415). In-process requests (`app.request`, tests) carry neither
 * header, so there the body stream decides.
 */
function hasBody(c: Context): boolean {
  const length = c.req.header('content-length');
  if (length !== undefined) return length.trim() !== '0';
  if (c.req.header('transfer-encoding') !== undefined) return true;
  const overHttp = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
  return !overHttp && c.req.raw.body !== null;
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `request body over ${maxBytes} bytes`, { maxBytes });
}

/**
 * Reads at most `maxBytes` of `body`; cancels the stream and returns null as soon as it is longer.
 * Memory held: at most `maxBytes` plus one chunk.
 */
async function readCapped(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * Middleware for /api/*: JSON-only, size-capped request bodies (see the module doc).
 * @throws AppError unsupported_media_type (415) | payload_too_large (413, details.maxBytes)
 */
export function apiBodyGuard(options: BodyGuardOptions): MiddlewareHandler {
  return async (c, next) => {
    if (NO_BODY_METHODS.has(c.req.method) || !hasBody(c)) return next();
    if (!options.rawBody?.(c)) {
      const type = mediaType(c.req.header('content-type'));
      if (type !== 'application/json')
        throw new AppError(
          'unsupported_media_type',
          `send the body as application/json (got ${type || 'no Content-Type'})`,
        );
    }
    if (options.ownLimit?.(c)) return next();
    const length = c.req.header('content-length');
    if (length !== undefined) {
      const n = Number(length);
      if (!Number.isSafeInteger(n) || n < 0) throw new AppError('bad_json', 'bad Content-Length');
      if (n > options.maxBytes) throw tooLarge(options.maxBytes);
    }
    if (c.req.raw.body === null) return next();
    const bytes = await readCapped(c.req.raw.body, options.maxBytes);
    if (bytes === null) throw tooLarge(options.maxBytes);
    const headers = new Headers(c.req.raw.headers);
    headers.delete('transfer-encoding');
    headers.set('content-length', String(bytes.byteLength));
    c.req.raw = new Request(c.req.raw.url, {
      method: c.req.raw.method,
      headers,
      body: bytes,
      signal: c.req.raw.signal,
    });
    await next();
  };
}

/** The CSP of answers that set none of their own (JSON, errors, redirects): nothing may load or frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** What `securityHeaders` adds beyond the common set. */
export interface SecurityHeaderOptions {
  /** `Permissions-Policy` of this answer (e.g. `camera=(self)` for the kiosk and desk pages). */
  permissionsPolicy: (c: Context) => string;
  /** Whether to send `Strict-Transport-Security` on this answer. */
  hsts?: (c: Context) => boolean;
}

/** HSTS value: one year, subdomains (docs/security.md). */
export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/**
 * Middleware for '*': after the handler, sets `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer`, `Cross-Origin-Opener-Policy: same-origin`, `X-Frame-Options: DENY`,
 * `Permissions-Policy`, HSTS when `hsts` says so, and `API_CSP` unless the answer set its own CSP
 * (pages do: server/clinic/http/pages.ts, server/central/http/pages.ts).
 */
export function securityHeaders(options: SecurityHeaderOptions): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    const set = (name: string, value: string) => {
      if (!h.has(name)) h.set(name, value);
    };
    try {
      set('X-Content-Type-Options', 'nosniff');
      set('Referrer-Policy', 'no-referrer');
      set('Cross-Origin-Opener-Policy', 'same-origin');
      set('X-Frame-Options', 'DENY');
      set('Permissions-Policy', options.permissionsPolicy(c));
      set('Content-Security-Policy', API_CSP);
      if (options.hsts?.(c)) set('Strict-Transport-Security', HSTS_VALUE);
    } catch {
      // An immutable Response (a fetch() answer passed through) keeps its own headers.
    }
  };
}
