/**
 * The clinic side of portal accounts and the same-patient merge (issue 9; docs/sync.md "Same-patient
 * merge"):
 * - `resolveLocalPatient(db, accountId)`: which local patient a portal account is — the row whose
 *   `portal_account_id` is the account (a walk-in who linked their account), else the row whose id is the
 *   account (a patient pulled with an online booking), following `merged_into` to the survivor. The pull
 *   (apply.ts) resolves a booking's patient and an erasure through it, so a linked walk-in gets the
 *   account's later bookings and its erasure.
 * - `applyPatientLink(ctx, change)`: a `patient_link { clinicPatientId, accountId }` change from
 *   central's feed (the patient confirmed the link in the portal): sets `portal_account_id` on the clinic
 *   record and, when a separate row of that account exists (an earlier online booking), merges it into the
 *   record with the staff merge's code (features/patients/merge.ts; the patient's own confirmation is the
 *   consent, no staff step). Runs inside the pull page's transaction; never throws for a change it cannot
 *   apply (it is skipped with a warning, so the feed moves on).
 * - `portalInviter(dataDir)`: the desk's "send an invitation to the patient area" — the sync client's
 *   call to central with the stored pairing.
 */
import type { Db, DbContext } from '../db/database.ts';
import { writeAudit, writeOutbox } from '../db/changes.ts';
import { AppError } from '../../domain/errors.ts';
import type { PatientLinkInviteDto, PatientLinkInviteInput } from '../../domain/patient-links.ts';
import { patientLinkChange } from '../../domain/patient-links.ts';
import type { PulledChange } from '../../domain/sync.ts';
import { log } from '../lib/log.ts';
import { storedRow } from '../features/catalog/repo.ts';
import { mergePatients, type MergeContext } from '../features/patients/merge.ts';
import { SyncClient } from './client.ts';
import { loadPairing, syncPairingFile } from './credentials.ts';

/** Hops of `merged_into` followed at most (a merge chain is one or two hops; a loop is a bug). */
const MAX_HOPS = 16;

/**
 * The local patient a portal account is: by `portal_account_id`, else the row with the account's id,
 * then `merged_into` to the surviving row. The row may be erased (`deleted_at` without `merged_into`):
 * the caller decides what to do with it.
 * @returns the local patient id, or null when the clinic has no row of that account
 */
export function resolveLocalPatient(db: Db, accountId: string): string | null {
  const byAccount = db.prepare('SELECT id FROM patients WHERE portal_account_id = ?').get(accountId) as
    { id: string } | undefined;
  let id: string | null = byAccount?.id ?? null;
  if (id === null) {
    const own = db.prepare('SELECT id FROM patients WHERE id = ?').get(accountId) as
      { id: string } | undefined;
    id = own?.id ?? null;
  }
  if (id === null) return null;
  return followMerges(db, id);
}

/** `id`, or the row it was merged into (transitively). */
export function followMerges(db: Db, id: string): string {
  const step = db.prepare('SELECT merged_into FROM patients WHERE id = ?');
  let current = id;
  for (let i = 0; i < MAX_HOPS; i += 1) {
    const next = (step.get(current) as { merged_into: string | null } | undefined)?.merged_into ?? null;
    if (next === null) return current;
    current = next;
  }
  throw new Error(`patient ${id}: merged_into does not end within ${MAX_HOPS} hops`);
}

/** What applying one `patient_link` change did (for the pull's result and the change bus). */
export interface PatientLinkResult {
  /** Patient rows written (the record; and the merged row). */
  patients: string[];
  /** Appointments moved to the record by a merge. */
  appointments: string[];
  /** The row merged into the record (emptied: report it as erased, so the WAL is checkpointed), or null. */
  mergedId: string | null;
  /** A merge deleted descriptors: checkpoint the WAL after the commit (`eraseFromWal`). */
  faceErased: boolean;
  /** The change could not be applied (logged `sync.pull.skipped` with the reason). */
  skipped: boolean;
}

/**
 * Applies a `patient_link` change (inside the caller's transaction). Idempotent: a replay finds the
 * record already linked and writes nothing. Skipped (not thrown) when the record is unknown or erased,
 * or linked to another account.
 * @param ctx the database and clock, and the descriptor key (to move a face enrolment with the merge)
 */
export function applyPatientLink(ctx: MergeContext, change: PulledChange): PatientLinkResult {
  const result: PatientLinkResult = {
    patients: [],
    appointments: [],
    mergedId: null,
    faceErased: false,
    skipped: false,
  };
  const skip = (reason: string) => {
    result.skipped = true;
    log('warn', 'sync.pull.skipped', { seq: change.seq, entity: change.entity, id: change.entityId, reason });
    return result;
  };
  const parsed = patientLinkChange.safeParse(change.payload);
  if (!parsed.success) return skip('payload_invalid');
  const { clinicPatientId, accountId } = parsed.data;
  const known = ctx.db.prepare('SELECT 1 FROM patients WHERE id = ?').get(clinicPatientId);
  if (!known) return skip('unknown_patient');
  const recordId = followMerges(ctx.db, clinicPatientId);
  const record = ctx.db
    .prepare('SELECT id, portal_account_id, deleted_at FROM patients WHERE id = ?')
    .get(recordId) as { id: string; portal_account_id: string | null; deleted_at: string | null };
  if (record.deleted_at !== null) return skip('patient_erased');
  if (record.portal_account_id !== null && record.portal_account_id !== accountId)
    return skip('other_portal_account');
  const other = resolveLocalPatient(ctx.db, accountId);
  const otherLive =
    other !== null &&
    other !== record.id &&
    (
      ctx.db.prepare('SELECT deleted_at FROM patients WHERE id = ?').get(other) as {
        deleted_at: string | null;
      }
    ).deleted_at === null;
  if (otherLive) {
    try {
      const merged = mergePatients(ctx, record.id, other, 'system', { via: 'link' });
      // The merge gives the record the account only when the other row had it; a pulled row has its
      // account as its id, not always in portal_account_id (rows pulled before migration 0140).
      if (merged.portalAccountId === null) setAccount(ctx, record.id, accountId);
      result.patients.push(record.id, other);
      result.mergedId = other;
      result.appointments.push(...merged.appointments);
      result.faceErased = merged.faceErased;
    } catch (err) {
      if (err instanceof AppError) return skip(err.code);
      throw err;
    }
  } else if (record.portal_account_id === null) {
    setAccount(ctx, record.id, accountId);
    result.patients.push(record.id);
  } else return result; // already linked: a replayed page
  writeAudit(ctx, 'system', 'patient.link', 'patient', record.id, {
    merged: otherLive ? other : null,
  });
  return result;
}

/** Sets the record's portal account (a new version, queued for the push). */
function setAccount(ctx: DbContext, id: string, accountId: string): void {
  ctx.db
    .prepare(
      `UPDATE patients SET portal_account_id = ?, updated_at = ?, version = version + 1
       WHERE id = ?`,
    )
    .run(accountId, new Date(ctx.now()).toISOString(), id);
  writeOutbox(ctx, 'patient', storedRow(ctx, 'patients', id));
}

/**
 * Asks central to send a patient a one-time link to their clinic record (e-mail and/or SMS).
 * @throws AppError sync_not_paired (409) when the clinic is not paired; a `SyncRequestError` when central
 *   refuses or cannot be reached (the caller maps it)
 */
export type PortalInviter = (input: PatientLinkInviteInput) => Promise<PatientLinkInviteDto>;

/**
 * The inviter of the running server: reads the stored pairing (`<data dir>/keys/sync.json`) at each call,
 * so pairing or rotating later needs no restart.
 */
export function portalInviter(dataDir: string, fetchFn?: typeof fetch): PortalInviter {
  return async (input) => {
    const pairing = loadPairing(syncPairingFile(dataDir));
    if (!pairing) throw new AppError('sync_not_paired', 'this clinic is not paired with the central API');
    const client = new SyncClient({
      centralUrl: pairing.centralUrl,
      credential: pairing.credential,
      ...(fetchFn ? { fetch: fetchFn } : {}),
    });
    return client.invitePatientLink(input);
  };
}
