/**
 * Face enrolment (with consent) and 1:N identification against the gallery of patients expected now.
 * Only descriptors are kept (encrypted, server/face/crypto.ts); frames and photos are dropped after use.
 * Every identification decision is logged with its reason, distances and gallery size (no names).
 */
import type { Actor } from '../../db/changes.ts';
import { writeAudit } from '../../db/changes.ts';
import { AppError } from '../../../domain/errors.ts';
import { newId } from '../../../domain/ids.ts';
import { decideMatch, type GalleryEntry, type MatchDecision } from '../../../domain/matching.ts';
import { initials } from '../../../domain/names.ts';
import type { Settings } from '../../../domain/settings.ts';
import { ImageDecodeError, type AnalyzeResult, type FaceEngine } from '../../face/engine.ts';
import { decryptDescriptors, encryptDescriptors } from '../../face/crypto.ts';
import { FaceWorkerError } from '../../face/client.ts';
import { log } from '../../lib/log.ts';
import { expectedNow, type ClinicDeps } from '../appointments/service.ts';
import { getPatient } from '../catalog/repo.ts';
import { readSettings } from '../settings/repo.ts';
import type { KioskSessions } from './sessions.ts';
import { keypointMovement } from './sessions.ts';

export interface FaceDeps extends ClinicDeps {
  /** The engine once its worker has loaded the models; null while starting or when it failed. */
  engine: () => FaceEngine | null;
  faceKey: Buffer;
  kioskSessions: KioskSessions;
}

export interface EnrolmentStatus {
  enrolled: boolean;
  consentAt: string | null;
  sampleCount: number;
  modelId: string | null;
}

function requireEngine(deps: FaceDeps): FaceEngine {
  const engine = deps.engine();
  if (!engine)
    throw new AppError(
      'face_engine_unavailable',
      'the face engine is still starting; try again in a few seconds',
    );
  return engine;
}

async function analyze(
  engine: FaceEngine,
  image: Uint8Array,
  options: Parameters<FaceEngine['analyze']>[1],
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

export function enrolmentStatus(deps: FaceDeps, patientId: string): EnrolmentStatus {
  getPatient(deps.db, patientId);
  const row = deps.db
    .prepare('SELECT consent_at, sample_count, model_id FROM face_enrolments WHERE patient_id = ?')
    .get(patientId) as { consent_at: string; sample_count: number; model_id: string } | undefined;
  return row
    ? { enrolled: true, consentAt: row.consent_at, sampleCount: row.sample_count, modelId: row.model_id }
    : { enrolled: false, consentAt: null, sampleCount: 0, modelId: null };
}

/**
 * Enrols (or re-enrols) a patient from 1–5 photos, with explicit consent recorded by `actor`.
 * Each photo must hold exactly one face at least `faceMinSizePx` wide.
 * @throws AppError patient_not_found | no_face | multiple_faces | face_too_small | image_invalid
 */
export async function enrol(
  deps: FaceDeps,
  patientId: string,
  images: Uint8Array[],
  actor: Actor,
): Promise<EnrolmentStatus> {
  getPatient(deps.db, patientId);
  const engine = requireEngine(deps);
  const settings = readSettings(deps.db);
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
  const now = new Date(deps.now()).toISOString();
  const blob = encryptDescriptors(deps.faceKey, patientId, descriptors);
  deps.db.transaction(() => {
    deps.db
      .prepare(
        `INSERT INTO face_enrolments (id, patient_id, descriptors, sample_count, model_id, consent_at, consent_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(patient_id) DO UPDATE SET descriptors = excluded.descriptors, sample_count = excluded.sample_count,
           model_id = excluded.model_id, consent_at = excluded.consent_at, consent_by = excluded.consent_by,
           updated_at = excluded.updated_at, version = version + 1`,
      )
      .run(newId(), patientId, blob, descriptors.length, engine.info.modelId, now, actor, now, now);
    writeAudit(deps.db, actor, 'face.enrol', 'patient', patientId, {
      samples: descriptors.length,
      modelId: engine.info.modelId,
    });
  })();
  deps.events.emit('face', patientId);
  return enrolmentStatus(deps, patientId);
}

/** Deletes the patient's descriptors (consent withdrawn). @throws AppError enrolment_not_found */
export function deleteEnrolment(deps: FaceDeps, patientId: string, actor: Actor): void {
  getPatient(deps.db, patientId);
  deps.db.transaction(() => {
    const res = deps.db.prepare('DELETE FROM face_enrolments WHERE patient_id = ?').run(patientId);
    if (res.changes === 0) throw new AppError('enrolment_not_found', 'this patient has no face enrolment');
    writeAudit(deps.db, actor, 'face.delete', 'patient', patientId);
  })();
  deps.events.emit('face', patientId);
}

/**
 * The gallery for one probe: descriptors of consented, enrolled patients with a scheduled appointment
 * inside the check-in window, keyed by appointment id. Enrolments from another model are left out.
 */
export function expectedGallery(deps: FaceDeps, settings: Settings, modelId: string): GalleryEntry<string>[] {
  const byPatient = new Map<string, string>();
  for (const a of expectedNow(deps, settings)) {
    // A patient booked twice inside the window is represented by the earliest appointment.
    const current = byPatient.get(a.patient_id);
    if (!current) byPatient.set(a.patient_id, a.id);
  }
  if (byPatient.size === 0) return [];
  const ids = [...byPatient.keys()];
  const rows = deps.db
    .prepare(
      `SELECT patient_id, descriptors, model_id FROM face_enrolments
       WHERE consent_at IS NOT NULL AND patient_id IN (${ids.map(() => '?').join(',')})`,
    )
    .all(...ids) as { patient_id: string; descriptors: Buffer; model_id: string }[];
  return rows
    .filter((r) => r.model_id === modelId)
    .map((r) => ({
      key: byPatient.get(r.patient_id)!,
      descriptors: decryptDescriptors(deps.faceKey, r.patient_id, r.descriptors),
    }));
}

export interface KioskCandidate {
  appointmentId: string;
  initials: string;
  startsAt: string;
  practitionerName: string;
}

export type FrameState = 'no_face' | 'multiple_faces' | 'too_small' | 'searching' | 'candidate' | 'no_match';

export interface FrameResult {
  state: FrameState;
  /** Largest face, in frame pixels, so the kiosk can draw it over the preview. */
  face: { x: number; y: number; width: number; height: number } | null;
  frameWidth: number;
  frameHeight: number;
  /** Share of the live sequence collected so far, 0..1. */
  progress: number;
  candidate: KioskCandidate | null;
}

export function candidateFor(deps: ClinicDeps, appointmentId: string): KioskCandidate {
  const row = deps.db
    .prepare(
      `SELECT a.id, a.starts_at, p.full_name, pr.display_name FROM appointments a
       JOIN patients p ON p.id = a.patient_id JOIN practitioners pr ON pr.id = a.practitioner_id WHERE a.id = ?`,
    )
    .get(appointmentId) as
    { id: string; starts_at: string; full_name: string; display_name: string } | undefined;
  if (!row) throw new AppError('appointment_not_found', `no appointment ${appointmentId}`);
  return {
    appointmentId: row.id,
    initials: initials(row.full_name),
    startsAt: row.starts_at,
    practitionerName: row.display_name,
  };
}

function logDecision(
  deps: FaceDeps,
  sessionId: string,
  decision: MatchDecision<string>,
  gallerySize: number,
  state: FrameState,
) {
  const round = (n: number | undefined) =>
    n === undefined || !Number.isFinite(n) ? null : Math.round(n * 1000) / 1000;
  const detail = {
    session: sessionId,
    decision: decision.kind,
    reason: decision.kind === 'match' ? 'distance_and_margin_ok' : decision.reason,
    bestDistance: round(decision.best?.distance),
    runnerUpDistance: round(decision.runnerUp?.distance),
    gallerySize,
    state,
  };
  log('info', 'face.identify', { ...detail, appointment: decision.best?.key ?? null });
  // Only outcomes that matter for review go to the audit log; per-frame searching is in the app log.
  if (state === 'candidate' || state === 'no_match') {
    writeAudit(
      deps.db,
      'kiosk',
      'face.identify',
      'appointment',
      decision.kind === 'match' ? decision.best.key : null,
      detail,
    );
  }
}

/**
 * Analyses one kiosk camera frame and advances the kiosk's live sequence. A candidate is proposed only
 * after `faceSequenceFrames` consecutive frames agree on the same appointment within
 * `faceSequenceWindowMs` and the face moved at least `faceMinMovementPx` (a frozen picture does not).
 * @throws AppError face_engine_unavailable | image_invalid
 */
export async function identifyFrame(
  deps: FaceDeps,
  sessionId: string,
  frame: Uint8Array,
): Promise<FrameResult> {
  const engine = requireEngine(deps);
  const settings = readSettings(deps.db);
  const result = await analyze(engine, frame, {
    detector: 'tiny',
    maxFaces: 1,
    minScore: settings.faceDetectorMinScore,
    tinyInputSize: settings.faceDetectorInputSize,
  });
  const base = { frameWidth: result.width, frameHeight: result.height };
  const main = result.faces[0];
  if (!main) {
    deps.kioskSessions.reset(sessionId);
    return { ...base, state: 'no_face', face: null, progress: 0, candidate: null };
  }
  const face = main.box;
  const second = result.faces[1];
  if (second && second.box.width > 0.6 * main.box.width) {
    deps.kioskSessions.reset(sessionId);
    return { ...base, state: 'multiple_faces', face, progress: 0, candidate: null };
  }
  if (main.box.width < settings.faceMinSizePx) {
    deps.kioskSessions.reset(sessionId);
    return { ...base, state: 'too_small', face, progress: 0, candidate: null };
  }
  const gallery = expectedGallery(deps, settings, engine.info.modelId);
  const decision = decideMatch(main.descriptor, gallery, {
    maxDistance: settings.faceMaxDistance,
    minMargin: settings.faceMinMargin,
  });
  const key = decision.kind === 'match' ? decision.best.key : null;
  const streak = deps.kioskSessions.push(
    sessionId,
    { at: deps.now(), key, keypoints: main.keypoints },
    settings.faceSequenceWindowMs,
  );
  const needed = settings.faceSequenceFrames;
  let state: FrameState = 'searching';
  let candidate: KioskCandidate | null = null;
  if (key && streak.length >= needed) {
    const moved = keypointMovement(streak.slice(-needed).map((o) => o.keypoints));
    if (moved >= settings.faceMinMovementPx) {
      state = 'candidate';
      candidate = candidateFor(deps, key);
    } else {
      log('info', 'face.liveness', {
        session: sessionId,
        reason: 'no_movement',
        movementPx: Math.round(moved * 100) / 100,
      });
    }
  } else if (!key && streak.length >= needed) {
    state = 'no_match';
  }
  logDecision(deps, sessionId, decision, gallery.length, state);
  if (state === 'candidate' || state === 'no_match') deps.kioskSessions.reset(sessionId);
  return { ...base, state, face, progress: Math.min(1, streak.length / needed), candidate };
}
