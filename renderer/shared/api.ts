/**
 * Typed API client for the pages: `hc<AppType>` from Hono, so every call is checked against the server's
 * routes. The screen's credential travels in an HttpOnly cookie (`cfd_<screen>`) set when the page was
 * opened with `?token=`; every call names the page's screen (`x-cfd-screen`, or `?screen=` for
 * EventSource) so the server picks that cookie when several screens are open in one browser.
 * Errors come back as `{ error: { code, message } }`; `ApiError` carries the code for i18n.
 */
import { hc } from 'hono/client';
// The API contract is a type-only import (CONVENTIONS §3); nothing from server/ reaches the bundle.
import type { AppType } from '../../server/clinic/app.ts';
import { SCREENS, type Screen } from '../../server/domain/ready.ts';

/**
 * The page's own origin as base, so `$url()` yields an absolute URL (a bare '/' base makes `new URL()`
 * throw). Outside a browser (unit tests) any origin will do.
 */
const origin = typeof location === 'undefined' ? 'http://127.0.0.1' : location.origin;

/** This page's screen, from the first path segment ('/kiosk/' → 'kiosk'); 'desk' outside a page. */
export const screen: Screen =
  typeof location === 'undefined'
    ? 'desk'
    : (SCREENS.find((s) => s === location.pathname.split('/')[1]) ?? 'desk');

/**
 * A typed client URL (`$url()`) as a plain link's address: a link, a download or a new window cannot send
 * the `x-cfd-screen` header, so this screen is named in the query instead (the server then picks this
 * screen's cookie when several screens are open in one browser).
 */
export function linkFor(url: URL): string {
  url.searchParams.set('screen', screen);
  return url.href;
}

/** The typed client of the clinic API. */
export const api = hc<AppType>(origin, {
  init: { credentials: 'same-origin' },
  headers: { 'x-cfd-screen': screen },
});

/**
 * An API failure: the server's machine code (or 'network' / 'unauthorized'), message and HTTP status
 * (0 when the request never got an answer).
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** The server's `error.details`, e.g. `{ imageIndex }` for enrolment errors. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Resolves a client call to its JSON body or throws `ApiError` with the server's code. */
export async function unwrap<T>(
  res:
    | Promise<{ ok: boolean; status: number; json(): Promise<T> }>
    | { ok: boolean; status: number; json(): Promise<T> },
): Promise<Exclude<T, { error: unknown }>> {
  let r: { ok: boolean; status: number; json(): Promise<T> };
  try {
    r = await res;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('network', (err as Error).message, 0);
  }
  if (!r.ok) {
    let code = r.status === 401 ? 'unauthorized' : 'network';
    let message = `HTTP ${r.status}`;
    let details: Record<string, unknown> | undefined;
    try {
      const body = (await r.json()) as {
        error?: { code: string; message: string; details?: Record<string, unknown> };
      };
      if (body.error) ({ code, message, details } = body.error);
    } catch {
      // not JSON: keep the HTTP status as the message
    }
    throw new ApiError(code, message, r.status, details);
  }
  return (await r.json()) as Exclude<T, { error: unknown }>;
}

/**
 * A fresh idempotency key: 32 hex digits from `crypto.getRandomValues` (which, unlike `randomUUID`, also
 * works on a desk opened over the LAN by plain http, not a secure context).
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Sends a creating POST with an `Idempotency-Key` (server/clinic/http/idempotency.ts) and, when the answer
 * is lost (a network failure, not an HTTP error), sends it again with the same key: the server answers
 * the entity the first attempt created instead of creating a second one.
 * @param send the client call, given the headers to add
 * @param retries further attempts after a network failure (default 2), `delayMs` apart (default 1,000)
 * @returns the first answer that arrived (any HTTP status); rejects with the last network error
 */
export async function sendOnce<R>(
  send: (init: { headers: Record<string, string> }) => Promise<R>,
  retries = 2,
  delayMs = 1_000,
): Promise<R> {
  const headers = { 'Idempotency-Key': newIdempotencyKey() };
  for (let attempt = 0; ; attempt++) {
    try {
      return await send({ headers });
    } catch (err) {
      if (attempt >= retries || (err instanceof DOMException && err.name === 'AbortError')) throw err;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/** True when the error means the page has no (valid) token: show the "open from the printed link" screen. */
export function isUnauthorized(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'unauthorized' || err.status === 401);
}

/** Asks the server whether our token is accepted; network failures count as "yes, keep retrying". */
async function tokenAccepted(): Promise<boolean> {
  try {
    const res = await api.api.health.$get();
    return res.status !== 401;
  } catch {
    return true;
  }
}

/**
 * Subscribes to a server-sent-events stream; EventSource reconnects by itself after a network drop
 * and the server sends a full snapshot on every (re)connect, so the page catches up without polling.
 * When the server answers with an error status EventSource gives up for good; then we check the token
 * (401 → `onUnauthorized`, stop) or reopen the stream with backoff (1 s doubling to 15 s).
 * @returns a function that closes the stream
 */
export function subscribe<T>(
  path: string,
  event: string,
  onData: (data: T) => void,
  onStatus?: (online: boolean) => void,
  onUnauthorized?: () => void,
): () => void {
  let source: EventSource | null = null;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let delayMs = 1000;

  const open = () => {
    const current = new EventSource(`${path}${path.includes('?') ? '&' : '?'}screen=${screen}`);
    source = current;
    current.addEventListener(event, (e) => {
      delayMs = 1000;
      onData(JSON.parse((e as MessageEvent<string>).data) as T);
    });
    current.addEventListener('open', () => {
      delayMs = 1000;
      onStatus?.(true);
    });
    current.addEventListener('error', () => {
      onStatus?.(false);
      if (current.readyState !== EventSource.CLOSED || stopped) return;
      current.close();
      void tokenAccepted().then((ok) => {
        if (stopped) return;
        if (!ok) {
          onUnauthorized?.();
          return;
        }
        retryTimer = setTimeout(open, delayMs);
        delayMs = Math.min(delayMs * 2, 15_000);
      });
    });
  };

  open();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    source?.close();
  };
}
