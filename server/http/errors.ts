/**
 * Error answers shared by both servers (CONVENTIONS §7): every failure leaves as
 * `{ error: { code, message, details? } }` with the HTTP status of its code (server/domain/errors.ts).
 * Unexpected errors are reported to the server's logger with their stack and answered 500 `internal`
 * without internals.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, type ErrorBody } from '../domain/errors.ts';

/** Receives an unexpected error (not an AppError, not a Hono 4xx) with the request it broke. */
export type UnhandledErrorLogger = (err: Error, c: Context) => void;

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
