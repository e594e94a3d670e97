/**
 * Test helpers for the board's optimistic concurrency: the state and place changes of an appointment
 * (`POST /api/appointments/:id/{status,call,move,reschedule,cancel}`) require `expectedVersion`
 * (server/domain/schemas.ts). Tests that are not about concurrency send the current version, as a desk
 * showing a fresh board would.
 */
import type { DbContext } from '../db/database.ts';

/**
 * The appointment's stored version.
 * @throws Error when there is no such appointment (a test's mistake)
 */
export function versionOf(ctx: DbContext, id: string): number {
  const row = ctx.db.prepare('SELECT version FROM appointments WHERE id = ?').get(id) as
    { version: number } | undefined;
  if (!row) throw new Error(`versionOf: no appointment ${id}`);
  return row.version;
}

const VERSIONED = /^\/api\/appointments\/([^/]+)\/(status|call|move|reschedule|cancel)$/;

/**
 * `body` with `expectedVersion` = the appointment's current version (1 for an unknown id) when `route` is
 * one of the versioned changes and the body has none; any other route or body is returned as is.
 */
export function withVersion<T extends Record<string, unknown>>(
  ctx: DbContext,
  route: string,
  body: T,
): T & { expectedVersion?: number } {
  const m = VERSIONED.exec(route);
  if (!m || 'expectedVersion' in body) return body;
  const row = ctx.db.prepare('SELECT version FROM appointments WHERE id = ?').get(m[1]) as
    { version: number } | undefined;
  // An unknown id gets version 1, so the route answers its own 404 rather than a missing field.
  return { ...body, expectedVersion: row?.version ?? 1 };
}
