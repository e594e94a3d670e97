/**
 * Face enrolment rows (`face_enrolments`): encrypted descriptors, sample count, model id and consent
 * (version, channel, time, who); and the consent history (`face_consent_events`), which outlives the
 * enrolment and never holds biometric data. Biometric data stays in the clinic: these rows are never
 * written to the outbox.
 */
import type { DbContext } from '../../db/database.ts';
import {
  FACE_CONSENT_VERSION,
  type FaceConsentChannel,
  type FaceConsentEventKind,
} from '../../../domain/consent.ts';
import type { PatientId } from '../../../domain/ids.ts';
import { newId } from '../../../domain/ids.ts';

/** A stored enrolment; `descriptors` is the AES-256-GCM blob of server/clinic/face/crypto.ts. */
export interface EnrolmentRow {
  patient_id: PatientId;
  descriptors: Buffer;
  /** Descriptors in the blob: the desk's samples, then `refresh_count` refreshed templates. */
  sample_count: number;
  /** Trailing templates added by confirmed face check-ins (0060; at most MAX_REFRESHED_TEMPLATES). */
  refresh_count: number;
  model_id: string;
  consent_at: string;
  consent_by: string;
  /** Version of the consent text agreed to (server/domain/consent.ts), or 'unrecorded' (before 0030). */
  consent_version: string;
  consent_channel: FaceConsentChannel;
}

/** A row of `face_consent_events`: consent given or withdrawn, never any face data. */
export interface ConsentEventRow {
  seq: number;
  patient_id: PatientId;
  event: FaceConsentEventKind;
  version: string;
  channel: FaceConsentChannel;
  actor: string;
  /** ISO-8601 UTC. */
  at: string;
}

/** The patient's enrolment, if any. */
export function findEnrolment(ctx: DbContext, patientId: PatientId): EnrolmentRow | undefined {
  return ctx.db
    .prepare(
      `SELECT patient_id, descriptors, sample_count, refresh_count, model_id, consent_at, consent_by,
         consent_version, consent_channel
       FROM face_enrolments WHERE patient_id = ?`,
    )
    .get(patientId) as EnrolmentRow | undefined;
}

/**
 * Creates or replaces the patient's enrolment (consent time = now, `consentBy` = who recorded it,
 * `consentChannel` where, default 'desk'; consent version = {@link FACE_CONSENT_VERSION}) and records
 * the 'given' consent event, both in one transaction (a savepoint inside the caller's).
 */
export function upsertEnrolment(
  ctx: DbContext,
  e: {
    patientId: PatientId;
    blob: Buffer;
    sampleCount: number;
    modelId: string;
    consentBy: string;
    consentChannel?: FaceConsentChannel;
  },
): void {
  const now = new Date(ctx.now()).toISOString();
  const channel = e.consentChannel ?? 'desk';
  ctx.db.transaction(() => {
    ctx.db
      .prepare(
        `INSERT INTO face_enrolments (id, patient_id, descriptors, sample_count, model_id, consent_at, consent_by,
         consent_version, consent_channel, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(patient_id) DO UPDATE SET descriptors = excluded.descriptors, sample_count = excluded.sample_count,
         refresh_count = 0,
         model_id = excluded.model_id, consent_at = excluded.consent_at, consent_by = excluded.consent_by,
         consent_version = excluded.consent_version, consent_channel = excluded.consent_channel,
         updated_at = excluded.updated_at, version = version + 1`,
      )
      .run(
        newId(),
        e.patientId,
        e.blob,
        e.sampleCount,
        e.modelId,
        now,
        e.consentBy,
        FACE_CONSENT_VERSION,
        channel,
        now,
        now,
      );
    insertConsentEvent(ctx, {
      patientId: e.patientId,
      event: 'given',
      version: FACE_CONSENT_VERSION,
      channel,
      actor: e.consentBy,
    });
  })();
}

/** Appends a consent event (time = now), in the caller's transaction. Never pass face data here. */
export function insertConsentEvent(
  ctx: DbContext,
  e: {
    patientId: PatientId;
    event: FaceConsentEventKind;
    version: string;
    channel: FaceConsentChannel;
    actor: string;
  },
): void {
  ctx.db
    .prepare(
      `INSERT INTO face_consent_events (patient_id, event, version, channel, actor, at) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(e.patientId, e.event, e.version, e.channel, e.actor, new Date(ctx.now()).toISOString());
}

/** The patient's consent history, oldest first. */
export function listConsentEvents(ctx: DbContext, patientId: PatientId): ConsentEventRow[] {
  return ctx.db
    .prepare(
      `SELECT seq, patient_id, event, version, channel, actor, at FROM face_consent_events
       WHERE patient_id = ? ORDER BY seq`,
    )
    .all(patientId) as ConsentEventRow[];
}

/** Deletes the patient's enrolment. @returns whether there was one */
export function deleteEnrolmentRow(ctx: DbContext, patientId: PatientId): boolean {
  return ctx.db.prepare('DELETE FROM face_enrolments WHERE patient_id = ?').run(patientId).changes > 0;
}

/** Patients enrolled by the demo seed (consent recorded as 'seed'), oldest first. */
export function listSeedEnrolledPatients(ctx: DbContext): PatientId[] {
  return (
    ctx.db
      .prepare(
        `SELECT patient_id FROM face_enrolments WHERE consent_by = 'seed' ORDER BY created_at, patient_id`,
      )
      .all() as { patient_id: PatientId }[]
  ).map((r) => r.patient_id);
}

/** Every enrolment's patient and encrypted blob (key rotation). */
export function listAllEnrolmentBlobs(ctx: DbContext): { patient_id: PatientId; descriptors: Buffer }[] {
  return ctx.db.prepare('SELECT patient_id, descriptors FROM face_enrolments ORDER BY patient_id').all() as {
    patient_id: PatientId;
    descriptors: Buffer;
  }[];
}

/**
 * Replaces an enrolment's templates after a confirmed check-in (template refresh): the new blob, its
 * descriptor count and how many trailing ones are refreshed; bumps the version. In the caller's
 * transaction. @returns whether the enrolment existed
 */
export function replaceEnrolmentTemplates(
  ctx: DbContext,
  patientId: PatientId,
  e: { blob: Buffer; sampleCount: number; refreshCount: number },
): boolean {
  return (
    ctx.db
      .prepare(
        `UPDATE face_enrolments SET descriptors = ?, sample_count = ?, refresh_count = ?, updated_at = ?,
           version = version + 1
         WHERE patient_id = ?`,
      )
      .run(e.blob, e.sampleCount, e.refreshCount, new Date(ctx.now()).toISOString(), patientId).changes > 0
  );
}

/** Replaces one enrolment's encrypted blob (same descriptors, new key), in the caller's transaction. */
export function updateEnrolmentBlob(ctx: DbContext, patientId: PatientId, blob: Buffer): void {
  ctx.db.prepare('UPDATE face_enrolments SET descriptors = ? WHERE patient_id = ?').run(blob, patientId);
}
