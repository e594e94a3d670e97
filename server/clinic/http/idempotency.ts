/**
 * Idempotency keys on the clinic's creating writes (`POST /api/patients`, `/api/appointments`,
 * `/api/walk-ins`, `/api/calendar/appointments`), after the IETF draft "The Idempotency-Key HTTP Header
 * Field" (draft-ietf-httpapi-idempotency-key-header): a client that sent a POST and lost the answer (a
 * dropped connection, a server killed mid-request) sends it again with the same `Idempotency-Key` header
 * and gets the entity the first request created, 201 again with `Idempotent-Replayed: true`, never a
 * second patient or appointment.
 *
 * The key is recorded in the same SQLite transaction as the write (better-sqlite3 nests the service's own
 * transaction as a savepoint), so a crash cannot keep one without the other. A key is scoped by the
 * caller (the audit actor: a staff member or a device) and the route, and remembered for 24 hours
 * (`IDEMPOTENCY_TTL_MS`). Only the entity's id is stored: a replay answers the entity as it is now
 * (read again), so no personal data is copied into the table and an erased patient's replay is a 404.
 * Without the header a request is handled as before.
 *
 * Errors: a malformed key → 400 `validation_failed`; the same key with a different body → 422
 * `idempotency_key_reused` (the draft's answer), nothing written.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { AppError } from '../../domain/errors.ts';
import { writeAudit } from '../db/changes.ts';
import type { ClinicDeps } from '../deps.ts';
import type { AppEnv } from './context.ts';

/** The request header carrying the key. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** The answer header set on a replayed answer. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** How long a key is remembered (ms): 24 h, far longer than any client retries. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** What a key may be: 1–128 characters of letters, digits and `._:-` (a UUID fits). */
const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Runs `create` once per idempotency key: with no `Idempotency-Key` header, just `create()`; with one
 * seen before (same caller, same route, same body), `replay(id)` of the entity it created, without
 * calling `create`, and the answer is marked `Idempotent-Replayed: true`.
 * @param input the validated request body (its SHA-256 over JSON is the request's fingerprint)
 * @param create the write; runs inside this function's transaction; returns the created entity
 * @param replay reads the entity again by id (may throw, e.g. patient_not_found after an erasure)
 * @returns what the client is answered (the route sends it with 201)
 * @throws AppError validation_failed (malformed key), idempotency_key_reused (422), or what create/replay throw
 */
export function idempotent<T extends { id: string }>(
  deps: ClinicDeps,
  c: Context<AppEnv>,
  input: unknown,
  create: () => T,
  replay: (id: string) => T,
): T {
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (key === undefined) return create();
  if (!KEY_PATTERN.test(key))
    throw new AppError(
      'validation_failed',
      `${IDEMPOTENCY_HEADER}: 1–128 characters of letters, digits and . _ : -`,
      { issues: [{ path: IDEMPOTENCY_HEADER, message: 'malformed idempotency key' }] },
    );
  const scope = `${c.var.actor} ${c.req.method} ${c.req.routePath}`;
  const hash = createHash('sha256')
    .update(JSON.stringify(input ?? null))
    .digest('hex');
  const now = deps.now();
  const out = deps.db.transaction(() => {
    // Forget keys past their 24 h first, so an old key is a new request (and its row is not in the way).
    deps.db
      .prepare('DELETE FROM idempotency_keys WHERE created_at < ?')
      .run(new Date(now - IDEMPOTENCY_TTL_MS).toISOString());
    const seen = deps.db
      .prepare('SELECT request_hash, entity_id FROM idempotency_keys WHERE scope = ? AND key = ?')
      .get(scope, key) as { request_hash: string; entity_id: string } | undefined;
    if (seen) {
      if (seen.request_hash !== hash)
        throw new AppError(
          'idempotency_key_reused',
          'this idempotency key was used for a different request; use a new key for a new request',
        );
      writeAudit(deps, c.var.actor, 'request.replayed', null, seen.entity_id, { route: c.req.routePath });
      return { entity: replay(seen.entity_id), replayed: true };
    }
    const entity = create();
    deps.db
      .prepare(
        'INSERT INTO idempotency_keys (scope, key, request_hash, entity_id, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(scope, key, hash, entity.id, new Date(now).toISOString());
    return { entity, replayed: false };
  })();
  if (out.replayed) c.header(REPLAYED_HEADER, 'true');
  return out.entity;
}
