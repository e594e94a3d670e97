/**
 * Paired devices: a kiosk or waiting-room display (an Electron window on another machine, or any
 * browser on the clinic's LAN) pairs with the desk and receives a durable device token of one kind:
 * `display` = the masked public feed only, `kiosk` = identification and check-in only
 * (server/clinic/http/access.ts). The desk makes a one-time 6-digit code (`PAIRING_CODE_TTL_MS`, 10 min);
 * the device sends it to `POST /api/devices/pair` and gets the token in an HttpOnly cookie. Tokens and
 * codes are stored as SHA-256 only; tokens survive restarts; the desk lists devices with when each was
 * last seen and revokes them. Pairing attempts are throttled per address (server/domain/throttle.ts
 * IP policy) so the million codes cannot be walked. Every pairing and revocation is audited.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { AppError } from '../../../domain/errors.ts';
import { PAIRING_CODE_TTL_MS, type DeviceKind, type DeviceView } from '../../../domain/staff.ts';
import { lockRemainingMs, type ThrottlePolicy } from '../../../domain/throttle.ts';
import { writeAudit, type Actor } from '../../db/changes.ts';
import type { DbContext } from '../../db/database.ts';
import { hashToken, newToken } from '../staff/sessions.ts';
import { readThrottle, recordFailure } from '../staff/throttle-repo.ts';

/** A device seen within this many ms is not written again (last_seen_at is coarse on purpose). */
const SEEN_GRANULARITY_MS = 60_000;

/** Pairing attempts per address: 10 wrong codes in 15 min, then locks of 1, 2, 4 … ≤ 60 min. */
export const PAIRING_POLICY: ThrottlePolicy = {
  maxFailures: 10,
  windowMs: 15 * 60_000,
  baseLockMs: 60_000,
  maxLockMs: 60 * 60_000,
};

interface DeviceRow {
  id: string;
  kind: DeviceKind;
  name: string;
  created_by: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

function view(r: DeviceRow): DeviceView {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
  };
}

/**
 * Makes a one-time pairing code for a device of `kind` named `name` (shown at the desk).
 * @returns the 6-digit code and when it expires (ISO-8601 UTC)
 */
export function createPairingCode(
  ctx: DbContext,
  input: { kind: DeviceKind; name: string },
  actor: Actor,
): { code: string; expiresAt: string } {
  const now = ctx.now();
  const expiresAt = new Date(now + PAIRING_CODE_TTL_MS).toISOString();
  for (;;) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const inserted = ctx.db
      .prepare(
        `INSERT INTO pairing_codes (code_hash, kind, name, created_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(code_hash) DO NOTHING`,
      )
      .run(hashToken(code), input.kind, input.name, actor, new Date(now).toISOString(), expiresAt);
    if (inserted.changes === 1) {
      writeAudit(ctx, actor, 'device.pairing_code', 'device', null, { kind: input.kind, name: input.name });
      return { code, expiresAt };
    }
  }
}

/**
 * Pairs a device with a code: one use, before it expires. Returns the device and its token (to be put
 * in the device's cookie; it is never shown again).
 * @throws AppError too_many_attempts (429), pairing_code_invalid (400) for a wrong, used or expired code
 */
export function pairDevice(ctx: DbContext, code: string, ip: string): { device: DeviceView; token: string } {
  const key = `pair:${ip}`;
  const now = ctx.now();
  const wait = lockRemainingMs(readThrottle(ctx, key), now);
  if (wait > 0)
    throw new AppError('too_many_attempts', 'too many wrong codes: try again later', {
      retryAfterSec: Math.ceil(wait / 1000),
    });
  const iso = new Date(now).toISOString();
  const token = newToken();
  const result = ctx.db.transaction(() => {
    const row = ctx.db
      .prepare('SELECT kind, name, created_by, expires_at, used_at FROM pairing_codes WHERE code_hash = ?')
      .get(hashToken(code)) as
      | { kind: DeviceKind; name: string; created_by: string; expires_at: string; used_at: string | null }
      | undefined;
    if (!row || row.used_at !== null || Date.parse(row.expires_at) <= now) {
      recordFailure(ctx, key, PAIRING_POLICY);
      return null;
    }
    const id = randomUUID();
    ctx.db
      .prepare(
        `INSERT INTO devices (id, kind, name, token_hash, created_by, created_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, row.kind, row.name, hashToken(token), row.created_by, iso, iso);
    ctx.db
      .prepare('UPDATE pairing_codes SET used_at = ?, device_id = ? WHERE code_hash = ?')
      .run(iso, id, hashToken(code));
    writeAudit(ctx, `${row.kind}:${id}`, 'device.paired', 'device', id, {
      kind: row.kind,
      name: row.name,
      ip,
    });
    return ctx.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow;
  })();
  if (!result) throw new AppError('pairing_code_invalid', 'wrong or expired pairing code');
  return { device: view(result), token };
}

/**
 * The live (not revoked) device whose token this is, or null. Moves `last_seen_at` at most once a
 * minute.
 */
export function deviceByToken(ctx: DbContext, token: string): { id: string; kind: DeviceKind } | null {
  const row = ctx.db
    .prepare('SELECT id, kind, last_seen_at FROM devices WHERE token_hash = ? AND revoked_at IS NULL')
    .get(hashToken(token)) as { id: string; kind: DeviceKind; last_seen_at: string | null } | undefined;
  if (!row) return null;
  const now = ctx.now();
  if (row.last_seen_at === null || now - Date.parse(row.last_seen_at) >= SEEN_GRANULARITY_MS)
    ctx.db
      .prepare('UPDATE devices SET last_seen_at = ? WHERE id = ?')
      .run(new Date(now).toISOString(), row.id);
  return { id: row.id, kind: row.kind };
}

/** Every device, live ones first, newest first. */
export function listDevices(ctx: DbContext): DeviceView[] {
  const rows = ctx.db
    .prepare('SELECT * FROM devices ORDER BY revoked_at IS NOT NULL, created_at DESC')
    .all() as DeviceRow[];
  return rows.map(view);
}

/**
 * Revokes a device: its token stops working at once.
 * @throws AppError device_not_found
 */
export function revokeDevice(ctx: DbContext, id: string, actor: Actor): DeviceView {
  const row = ctx.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
  if (!row) throw new AppError('device_not_found', 'no such device');
  if (row.revoked_at === null) {
    ctx.db
      .prepare('UPDATE devices SET revoked_at = ?, revoked_by = ? WHERE id = ?')
      .run(new Date(ctx.now()).toISOString(), actor, id);
    writeAudit(ctx, actor, 'device.revoked', 'device', id, { kind: row.kind, name: row.name });
  }
  return view(ctx.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow);
}
