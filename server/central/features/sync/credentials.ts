/**
 * Pairing a clinic's local server with the central API and the clinic credentials that follow
 * (docs/sync.md "Pairing and credentials"):
 * - an admin makes a one-time pairing code for a clinic (`PAIRING_CODE_LENGTH` characters, valid
 *   `PAIRING_CODE_TTL_MS`, usable once; only its SHA-256 is stored);
 * - the clinic trades the code for a credential (256 random bits, base64url; only its SHA-256 is stored),
 *   which revokes the clinic's earlier credentials (one live credential per clinic);
 * - the clinic rotates it (the old one is revoked in the same transaction); an admin revokes them all.
 * Every sync call then names its clinic by its credential alone (`clinicOfRequest`).
 */
import { randomInt } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../domain/errors.ts';
import {
  normalisePairingCode,
  PAIRING_CODE_ALPHABET,
  PAIRING_CODE_LENGTH,
  PAIRING_CODE_TTL_MS,
  type CredentialDto,
  type PairingCodeDto,
} from '../../../domain/sync.ts';
import { writeAudit } from '../../db/changes.ts';
import { publishCatalogue } from './catalogue.ts';
import type { CentralTx } from '../../db/database.ts';
import { clinics, syncCredentials, syncPairingCodes } from '../../db/schema.ts';
import type { CentralDeps } from '../../deps.ts';
import { hashToken, newToken } from '../../http/auth.ts';

/** A fresh pairing code: `PAIRING_CODE_LENGTH` uniformly random characters of the alphabet. */
function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++)
    code += PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)];
  return code;
}

/**
 * Makes a one-time pairing code for `clinicId`, valid `PAIRING_CODE_TTL_MS` from now (audited as
 * `sync.pairing_code`).
 * @returns the code (shown once to the admin) and its expiry, ISO-8601 UTC
 * @throws AppError clinic_not_found (404)
 */
export async function createPairingCode(deps: CentralDeps, clinicId: string): Promise<PairingCodeDto> {
  const now = deps.now();
  const code = newPairingCode();
  const expiresAt = new Date(now + PAIRING_CODE_TTL_MS);
  await deps.db.transaction(async (tx) => {
    const [clinic] = await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, clinicId));
    if (!clinic) throw new AppError('clinic_not_found', `no clinic ${clinicId}`);
    await tx.insert(syncPairingCodes).values({
      codeHash: hashToken(code),
      clinicId,
      createdAt: new Date(now),
      expiresAt,
    });
    await writeAudit(tx, now, {
      actor: 'admin',
      action: 'sync.pairing_code',
      entity: 'clinic',
      entityId: clinicId,
      clinicId,
      details: { expiresAt: expiresAt.toISOString() },
    });
  });
  return { code, expiresAt: expiresAt.toISOString() };
}

/** Stores a new credential for the clinic and returns it (caller's transaction). */
async function issueCredential(tx: CentralTx, clinicId: string, now: number): Promise<CredentialDto> {
  const credential = newToken();
  await tx.insert(syncCredentials).values({
    id: uuidv7(),
    clinicId,
    tokenHash: hashToken(credential),
    createdAt: new Date(now),
  });
  return { clinicId, credential };
}

/** Revokes the clinic's live credentials; returns how many. */
async function revokeLive(
  tx: CentralTx,
  clinicId: string,
  now: number,
  reason: 'repaired' | 'rotated' | 'admin',
): Promise<number> {
  const rows = await tx
    .update(syncCredentials)
    .set({ revokedAt: new Date(now), revokedReason: reason })
    .where(and(eq(syncCredentials.clinicId, clinicId), isNull(syncCredentials.revokedAt)))
    .returning({ id: syncCredentials.id });
  return rows.length;
}

/**
 * Trades a pairing code for the clinic's credential. The code is used up (a second use is refused);
 * the clinic's earlier credentials are revoked ('repaired'), and the clinic's catalogue is published in its
 * feed (`publishCatalogue`: practitioners, schedules, time off). Wrong, used and expired codes get the same
 * answer, so the answer tells nothing about which codes exist.
 * @throws AppError pairing_code_invalid (400)
 */
export async function pair(deps: CentralDeps, code: string, ip: string | null): Promise<CredentialDto> {
  const now = deps.now();
  const codeHash = hashToken(normalisePairingCode(code));
  return deps.db.transaction(async (tx) => {
    const [used] = await tx
      .update(syncPairingCodes)
      .set({ usedAt: new Date(now) })
      .where(
        and(
          eq(syncPairingCodes.codeHash, codeHash),
          isNull(syncPairingCodes.usedAt),
          gt(syncPairingCodes.expiresAt, new Date(now)),
        ),
      )
      .returning({ clinicId: syncPairingCodes.clinicId });
    if (!used) throw new AppError('pairing_code_invalid', 'pairing code unknown, used or expired');
    const revoked = await revokeLive(tx, used.clinicId, now, 'repaired');
    const issued = await issueCredential(tx, used.clinicId, now);
    // The initial snapshot of the catalogue: the clinic's first pull brings it.
    await publishCatalogue(tx, used.clinicId, now);
    await writeAudit(tx, now, {
      actor: `clinic:${used.clinicId}`,
      action: 'sync.paired',
      entity: 'clinic',
      entityId: used.clinicId,
      clinicId: used.clinicId,
      ip,
      details: { revoked },
    });
    return issued;
  });
}

/**
 * The clinic a sync request belongs to, from its `Authorization: Bearer <credential>` header.
 * @throws AppError sync_credential_invalid (401) when the header is missing, malformed, unknown or revoked
 */
export async function clinicOfRequest(deps: CentralDeps, c: Context): Promise<string> {
  const m = /^Bearer (\S{20,200})$/.exec(c.req.header('authorization') ?? '');
  if (!m) throw new AppError('sync_credential_invalid', 'clinic credential required (Authorization: Bearer)');
  const [row] = await deps.db
    .select({ clinicId: syncCredentials.clinicId })
    .from(syncCredentials)
    .where(and(eq(syncCredentials.tokenHash, hashToken(m[1]!)), isNull(syncCredentials.revokedAt)));
  if (!row) throw new AppError('sync_credential_invalid', 'clinic credential unknown or revoked');
  return row.clinicId;
}

/**
 * Replaces the calling clinic's credential: a new one is issued and every earlier one revoked
 * ('rotated'), in one transaction.
 * @throws AppError sync_credential_invalid (401)
 */
export async function rotate(deps: CentralDeps, c: Context, ip: string | null): Promise<CredentialDto> {
  const clinicId = await clinicOfRequest(deps, c);
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    await revokeLive(tx, clinicId, now, 'rotated');
    const issued = await issueCredential(tx, clinicId, now);
    await writeAudit(tx, now, {
      actor: `clinic:${clinicId}`,
      action: 'sync.credential_rotated',
      entity: 'clinic',
      entityId: clinicId,
      clinicId,
      ip,
    });
    return issued;
  });
}

/**
 * Revokes every live credential of a clinic (admin); the clinic must pair again.
 * @returns how many were revoked (0 when none was live)
 * @throws AppError clinic_not_found (404)
 */
export async function revokeAll(deps: CentralDeps, clinicId: string): Promise<{ revoked: number }> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const [clinic] = await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, clinicId));
    if (!clinic) throw new AppError('clinic_not_found', `no clinic ${clinicId}`);
    const revoked = await revokeLive(tx, clinicId, now, 'admin');
    await writeAudit(tx, now, {
      actor: 'admin',
      action: 'sync.credentials_revoked',
      entity: 'clinic',
      entityId: clinicId,
      clinicId,
      details: { revoked },
    });
    return { revoked };
  });
}
