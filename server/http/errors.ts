/**
 * Error answers shared by both servers (CONVENTIONS §7): every failure leaves as
 * `{ error: { code, message, details? } }` with the HTTP status of its code (server/domain/errors.ts).
 * A full disk under either database (SQLite `SQLITE_FULL`, PostgreSQL / PGlite `53100 disk_full`, the
 * OS's ENOSPC / EFBIG; also when wrapped as an error's `cause`, as Drizzle does) is answered 507
 * `storage_full` with a message saying nothing was saved (the transaction rolled back), and logged.
 * A request whose client hung up while its body was being read (Node's `aborted`) is answered 400
 * `bad_json` without being logged as unhandled: nobody is there to read it, and it is not a server fault
 * (found by the route fuzzing, which logged several per long run).
 * Other unexpected errors are reported to the server's logger with their stack and answered 500
 * `internal` without internals.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, type ErrorBody } from '../domain/errors.ts';

/** Receives an unexpected error (not an AppError, not a Hono 4xx) with the request it broke. */
export type UnhandledErrorLogger = (err: Error, c: Context) => void;

/** Codes of a full disk: SQLite's, PostgreSQL's (`disk_full`) and the OS's (no space; file too large). */
const STORAGE_FULL_CODES = new Set(['SQLITE_FULL', '53100', 'ENOSPC', 'EFBIG']);

/** Whether `err` (or an error in its `cause` chain, a few levels deep) is a full disk. */
export function isStorageFull(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    if (STORAGE_FULL_CODES.has(String((e as { code?: unknown }).code))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Whether `err` is the client hanging up before its request body was read: Node's `Error: aborted`
 * (code ECONNRESET, from the HTTP server's incoming message) or a request whose abort signal fired. A
 * database connection reset has another message and stays an unexpected error.
 */
export function isClientAbort(err: unknown, c: Context): boolean {
  const e = err as { message?: unknown; code?: unknown };
  return (e.message === 'aborted' && e.code === 'ECONNRESET') || c.req.raw.signal?.aborted === true;
}

/** `app.onError`: AppError → its status; Hono's own 4xx (bad JSON, body limit, not JSON) → a code; else 500. */
export function errorHandler(logUnhandled: UnhandledErrorLogger): ErrorHandler {
  return (err, c) => {
    let body: ErrorBody;
    let status: number;
    if (err instanceof AppError) {
      body = {
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      };
      status = err.status;
      const retryAfter = err.details?.retryAfterSec;
      if (status === 429 && typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
    } else if (err instanceof HTTPException && err.status < 500) {
      const code =
        err.status === 413
          ? 'payload_too_large'
          : err.status === 415
            ? 'unsupported_media_type'
            : err.status === 401
              ? 'unauthorized'
              : 'bad_json';
      body = { error: { code, message: err.message || 'bad request' } };
      status = err.status;
    } else if (isClientAbort(err, c)) {
      body = { error: { code: 'bad_json', message: 'request body incomplete: the client hung up' } };
      status = 400;
    } else if (isStorageFull(err)) {
      logUnhandled(err, c);
      body = {
        error: {
          code: 'storage_full',
          message: 'the server has no disk space left: nothing was saved; free some space and try again',
        },
      };
      status = 507;
    } else {
      logUnhandled(err, c);
      body = { error: { code: 'internal', message: 'internal error' } };
      status = 500;
    }
    return c.json(body, status as 400);
  };
}

/** `app.notFound`: 404 `not_found` naming the method and path. */
export const notFound: NotFoundHandler = (c) =>
  c.json(
    { error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } } satisfies ErrorBody,
    404,
  );
