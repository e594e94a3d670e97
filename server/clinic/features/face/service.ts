/**
 * Face enrolment (with consent) and the gallery a kiosk probe is compared with. Only descriptors are kept
 * (encrypted and bound to the patient, server/clinic/face/crypto.ts); photos are dropped after use.
 * Identification at the kiosk is in features/kiosk.
 */
import { AppError } from '../../../domain/errors.ts';
import type { AppointmentId, PatientId } from '../../../domain/ids.ts';
import type { GalleryEntry } from '../../../domain/matching.ts';
import type { Settings } from '../../../domain/settings.ts';
import type { Actor } from '../../db/changes.ts';
import { writeAudit } from '../../db/changes.ts';
import type { FaceDeps } from '../../deps.ts';
import { FaceWorkerError } from '../../face/client.ts';
import { decryptDescriptors, encryptDescriptors } from '../../face/crypto.ts';
import {
  ImageDecodeError,
  type AnalyzeOptions,
  type AnalyzeResult,
  type FaceEngine,
} from '../../face/engine.ts';
import { log } from '../../lib/log.ts';
import { expectedNow } from '../appointments/service.ts';
import { getPatient } from '../patients/repo.ts';
import { readSettings } from '../settings/repo.ts';
import { deleteEnrolmentRow, findEnrolment, listEnrolments, upsertEnrolment } from './repo.ts';

/** Whether a patient is enrolled, since when (ISO-8601 UTC), with how many samples of which model. */
export interface EnrolmentStatus {
  enrolled: boolean;
  consentAt: string | null;
  sampleCount: number;
  modelId: string | null;
}

/** The loaded engine. @throws AppError face_engine_unavailable (503) while it is starting or failed */
export function requireEngine(deps: FaceDeps): FaceEngine {
  const engine = deps.engine();
  if (!engine)
    throw new AppError(
      'face_engine_unavailable',
      'the face engine is still starting; try again in a few seconds',
    );
  return engine;
}

/** `engine.analyze` with undecodable images reported as AppError image_invalid (400). */
export async function analyze(
  engine: FaceEngine,
  image: Uint8Array,
  options: AnalyzeOptions,
): Promise<AnalyzeResult> {
  try {
    return await engine.analyze(image, options);
  } catch (err) {
    const invalid =
      err instanceof ImageDecodeError || (err instanceof FaceWorkerError && err.code === 'image_invalid');
    if (invalid) throw new AppError('image_invalid', (err as Error).message);
    throw err;
  }
}

/** @throws AppError patient_not_found */
export function enrolmentStatus(deps: FaceDeps, patientId: PatientId): EnrolmentStatus {
  getPatient(deps, patientId);
  const row = findEnrolment(deps, patientId);
  return row
    ? { enrolled: true, consentAt: row.consent_at, sampleCount: row.sample_count, modelId: row.model_id }
    : { enrolled: false, consentAt: null, sampleCount: 0, modelId: null };
}

/**
 * Enrols (or re-enrols) a patient from 1–5 photos, with explicit consent recorded by `actor`.
 * Each photo must hold exactly one face at least `faceMinSizePx` wide.
 * @throws AppError consent_required | patient_not_found | face_engine_unavailable | no_face |
 *   multiple_faces | face_too_small | image_invalid
 */
export async function enrol(
  deps: FaceDeps,
  patientId: PatientId,
  images: Uint8Array[],
  consent: boolean,
  actor: Actor,
): Promise<EnrolmentStatus> {
  if (!consent)
    throw new AppError('consent_required', "the patient's explicit consent is required to enrol their face");
  getPatient(deps, patientId);
  const engine = requireEngine(deps);
  const settings = readSettings(deps);
  const descriptors: Float32Array[] = [];
  for (const [index, image] of images.entries()) {
    const result = await analyze(engine, image, { detector: 'ssd', maxFaces: 1, padIfNone: true });
    const reject = (code: 'no_face' | 'multiple_faces' | 'face_too_small', message: string) => {
      log('info', 'face.enrol.rejected', { patient: patientId, imageIndex: index, reason: code });
      return new AppError(code, message, { imageIndex: index });
    };
    const [face, ...others] = result.faces;
    if (!face) throw reject('no_face', `no face found in image ${index + 1}`);
    if (others.length > 0)
      throw reject('multiple_faces', `image ${index + 1} shows ${others.length + 1} faces; use one`);
    if (face.box.width < settings.faceMinSizePx) {
      const width = Math.round(face.box.width);
      throw reject(
        'face_too_small',
        `the face in image ${index + 1} is ${width} px wide; at least ${settings.faceMinSizePx} px needed`,
      );
    }
    descriptors.push(face.descriptor);
  }
  const blob = encryptDescriptors(deps.faceKey, patientId, descriptors);
  deps.db.transaction(() => {
    upsertEnrolment(deps, {
      patientId,
      blob,
      sampleCount: descriptors.length,
      modelId: engine.info.modelId,
      consentBy: actor,
    });
    writeAudit(deps, actor, 'face.enrol', 'patient', patientId, {
      samples: descriptors.length,
      modelId: engine.info.modelId,
    });
  })();
  deps.events.emit('face', patientId);
  return enrolmentStatus(deps, patientId);
}

/** Deletes the patient's descriptors (consent withdrawn). @throws AppError patient_not_found | enrolment_not_found */
export function deleteEnrolment(deps: FaceDeps, patientId: PatientId, actor: Actor): void {
  getPatient(deps, patientId);
  deps.db.transaction(() => {
    if (!deleteEnrolmentRow(deps, patientId))
      throw new AppError('enrolment_not_found', 'this patient has no face enrolment');
    writeAudit(deps, actor, 'face.delete', 'patient', patientId);
  })();
  deps.events.emit('face', patientId);
}

/**
 * The gallery for one probe: descriptors of consented, enrolled patients with a scheduled appointment
 * inside the check-in window, keyed by appointment id. Enrolments from another model are left out.
 */
export function expectedGallery(
  deps: FaceDeps,
  settings: Settings,
  modelId: string,
): GalleryEntry<AppointmentId>[] {
  const byPatient = new Map<PatientId, AppointmentId>();
  for (const a of expectedNow(deps, settings)) {
    // A patient booked twice inside the window is represented by the earliest appointment.
    if (!byPatient.has(a.patient_id)) byPatient.set(a.patient_id, a.id);
  }
  return listEnrolments(deps, [...byPatient.keys()])
    .filter((r) => r.model_id === modelId)
    .map((r) => ({
      key: byPatient.get(r.patient_id)!,
      descriptors: decryptDescriptors(deps.faceKey, r.patient_id, r.descriptors),
    }));
}
