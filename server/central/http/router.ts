/**
 * The central API's router: an `OpenAPIHono` whose routes are declared with `createRoute` from the same
 * zod schemas they validate with, so `/openapi.json` is generated from what the code enforces.
 * Validation failures leave as 400 `validation_failed` in our error shape (server/domain/errors.ts).
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../domain/errors.ts';
import type { CentralEnv } from './context.ts';

/** A new router for one feature; mount it in app.ts. */
export function newRouter() {
  return new OpenAPIHono<CentralEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new AppError(
          'validation_failed',
          issues.map((i) => `${i.path || result.target}: ${i.message}`).join('; '),
          { issues },
        );
      }
    },
  });
}

/** The error body schema, as documented on every route. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'machine code (server/domain/errors.ts)' }),
      message: z.string().meta({ description: 'English; the portal shows its own PT/EN text' }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

/**
 * OpenAPI `responses` entries for the error codes a route can answer, grouped by status, e.g.
 * `errors('validation_failed', 'unauthorized')` → `{ 400: …, 401: … }`.
 */
export function errors(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<
    number,
    { description: string; content: { 'application/json': { schema: typeof errorBodySchema } } }
  > = {};
  for (const [status, cs] of byStatus) {
    out[status] = {
      description: cs.join(' | '),
      content: { 'application/json': { schema: errorBodySchema } },
    };
  }
  return out;
}

/** A JSON response entry for `createRoute`'s `responses`. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

/** A JSON request body entry for `createRoute`'s `request.body`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}
