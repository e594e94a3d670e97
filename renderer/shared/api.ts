/**
 * Typed API client for the pages: `hc<AppType>` from Hono, so every call is checked against the server's
 * routes. The token travels in an HttpOnly cookie set when the page was opened with `?token=`.
 * Errors come back as `{ error: { code, message } }`; `ApiError` carries the code for i18n.
 */
import { hc } from 'hono/client';
import type { AppType } from '../../server/app';

export const api = hc<AppType>('/', { init: { credentials: 'same-origin' } });

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Resolves a client call to its JSON body or throws `ApiError` with the server's code. */
export async function unwrap<T>(res: Promise<{ ok: boolean; status: number; json(): Promise<T> }> | { ok: boolean; status: number; json(): Promise<T> }): Promise<Exclude<T, { error: unknown }>> {
  const r = await res;
  if (!r.ok) {
    let code = 'network';
    let message = `HTTP ${r.status}`;
    try {
      const body = (await r.json()) as { error?: { code: string; message: string } };
      if (body.error) ({ code, message } = body.error);
    } catch {
      // not JSON: keep the HTTP status as the message
    }
    throw new ApiError(code, message, r.status);
  }
  return (await r.json()) as Exclude<T, { error: unknown }>;
}

/**
 * Subscribes to a server-sent-events stream; EventSource reconnects by itself after a server restart
 * and the server sends a full snapshot on every (re)connect, so the page catches up without polling.
 * @returns a function that closes the stream
 */
export function subscribe<T>(path: string, event: string, onData: (data: T) => void, onStatus?: (online: boolean) => void): () => void {
  const source = new EventSource(path);
  source.addEventListener(event, (e) => onData(JSON.parse((e as MessageEvent<string>).data) as T));
  source.addEventListener('open', () => onStatus?.(true));
  source.addEventListener('error', () => onStatus?.(false));
  return () => source.close();
}
