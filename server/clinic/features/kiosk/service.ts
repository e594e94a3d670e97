/**
 * Check-in at the kiosk: 1:N identification of camera frames against the patients expected now (with a
 * live sequence), lookup by booking code, and the confirmation step both paths end in. Every
 * identification decision is logged with its reason, distances and gallery size (no names); outcomes
 * go to the audit log.
 */
import { assessLiveness, DEFAULT_LIVENESS_THRESHOLDS } from '../../../domain/liveness.ts';
import { AppError } from '../../../domain/errors.ts';
import { clinicDate } from '../../../domain/time.ts';
import type { AppointmentId, PatientId } from '../../../domain/ids.ts';
import { selectFace } from '../../../domain/face-frame.ts';
import {
  decideRanked,
  meanDescriptor,
  nearestTwo,
  type MatchDecision,
  type Ranked,
} from '../../../domain/matching.ts';
import type { Settings } from '../../../domain/settings.ts';
import type { KioskCheckInMethod } from '../../../domain/visit.ts';
import type { WaitBand } from '../../../domain/wait.ts';
import { writeAudit } from '../../db/changes.ts';
import type { ClinicDeps, FaceDeps } from '../../deps.ts';
import { expectedMask, galleryCache } from '../../face/gallery.ts';
import { log } from '../../lib/log.ts';
import { getView, findByBookingCode, getRow } from '../appointments/repo.ts';
import { expectedNow, transition } from '../appointments/service.ts';
import { findEnrolment } from '../face/repo.ts';
import { analyze, deleteEnrolment, refreshTemplate, requireEngine } from '../face/service.ts';
import { readSettings } from '../settings/repo.ts';
import { keypointMovement, type Observation } from './sessions.ts';

/** What the kiosk shows for confirmation: initials, booked time (ISO-8601 UTC) and practitioner only. */
export interface KioskCandidate {
  appointmentId: AppointmentId;
  initials: string;
  startsAt: string;
  practitionerName: string;
}

/**
 * A candidate found by booking code; `faceEnrolled` says whether the patient has a face enrolment, so the
 * kiosk can offer to delete it (withdraw consent) before checking in.
 */
export interface KioskCodeCandidate extends KioskCandidate {
  faceEnrolled: boolean;
}

/**
 * How long after identifying by booking code a kiosk session may withdraw that patient's face consent,
 * ms (time to read the confirm step; a patient who walked away is not withdrawn for by the next one).
 */
export const KIOSK_WITHDRAW_WINDOW_MS = 5 * 60_000;

/** What the kiosk shows after check-in; `waitMin` is the estimate stored with the check-in, `band` its band. */
export interface CheckInReceipt {
  ticket: string;
  roomName: string | null;
  practitionerName: string;
  waitMin: number;
  band: WaitBand;
  predictedStartAt: string | null;
}

/** Where a kiosk's live sequence stands after one frame. */
export type FrameState =
  | 'no_face'
  | 'multiple_faces'
  | 'too_small'
  | 'searching'
  | 'candidate'
  | 'no_match'
  /** Liveness on, the face barely moved: the kiosk asks the patient to turn their head slightly. */
  | 'turn_head'
  /** Liveness on, the sequence was planar (a picture): the kiosk offers the booking code, blaming no one. */
  | 'liveness_failed';

/** The answer to one camera frame. */
export interface FrameResult {
  state: FrameState;
  /** Largest face, in frame pixels, so the kiosk can draw it over the preview. */
  face: { x: number; y: number; width: number; height: number } | null;
  frameWidth: number;
  frameHeight: number;
  /** Share of the live sequence collected so far, 0..1. */
  progress: number;
  candidate: KioskCandidate | null;
  /** Whether the liveness check decides (false in the demo: the kiosk says liveness is off). */
  livenessEnforced: boolean;
}

/** The largest face's box, for the kiosk's overlay; null without a face. */
function largestBox(faces: readonly { box: FrameResult['face'] & object }[]): FrameResult['face'] {
  let best: FrameResult['face'] = null;
  for (const f of faces) if (!best || f.box.width * f.box.height > best.width * best.height) best = f.box;
  return best;
}

/** The candidate screen's data for an appointment. @throws AppError appointment_not_found */
export function candidateFor(deps: ClinicDeps, appointmentId: AppointmentId): KioskCandidate {
  const view = getView(deps, appointmentId);
  return {
    appointmentId: view.id,
    initials: view.patient.initials,
    startsAt: view.startsAt,
    practitionerName: view.practitioner.displayName,
  };
}

function assertExpectedNow(deps: ClinicDeps, appointmentId: AppointmentId) {
  const row = getRow(deps, appointmentId);
  if (row.status === 'cancelled')
    throw new AppError('appointment_cancelled', 'this appointment was cancelled; please see reception');
  if (row.status !== 'scheduled')
    throw new AppError('already_checked_in', 'this appointment is already checked in or closed');
  if (!expectedNow(deps, readSettings(deps)).some((a) => a.id === appointmentId)) {
    throw new AppError(
      'not_expected_now',
      'this appointment is not open for check-in now; please see reception',
    );
  }
}

/**
 * The one answer for a booking code that is unknown, of another day, or of today but not open for
 * check-in now (issue 13): the same status, code, message and shape, so the kiosk does not tell a
 * guesser which codes exist. A code of today that is cancelled or already checked in keeps its own
 * answer (the patient standing there needs it; a guesser must first hit one of today's few codes, at
 * most 10 tries a minute: routes.ts).
 */
export function noOpenAppointment(): AppError {
  return new AppError(
    'appointment_not_found',
    'no appointment open for check-in with this code now; please see reception',
  );
}

/**
 * The appointment with this booking code, if it is open for check-in now, and whether its patient has
 * a face enrolment. With a `sessionId` (the kiosk's `x-kiosk-session`), the session remembers the
 * identification (appointment, patient, time) so it may withdraw that patient's face consent for
 * {@link KIOSK_WITHDRAW_WINDOW_MS}; a failed lookup forgets any earlier one.
 * @throws AppError appointment_not_found (`noOpenAppointment`: unknown, another day, not open now) |
 *   appointment_cancelled | already_checked_in (today's code only)
 */
export function lookupCode(deps: FaceDeps, code: string, sessionId?: string): KioskCodeCandidate {
  if (sessionId) deps.kioskSessions.forgetCode(sessionId);
  const row = findByBookingCode(deps, code);
  if (!row || clinicDate(Date.parse(row.starts_at)) !== clinicDate(deps.now())) throw noOpenAppointment();
  try {
    assertExpectedNow(deps, row.id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_expected_now') throw noOpenAppointment();
    throw err;
  }
  if (sessionId)
    deps.kioskSessions.rememberCode(sessionId, {
      appointmentId: row.id,
      patientId: row.patient_id,
      at: deps.now(),
    });
  return { ...candidateFor(deps, row.id), faceEnrolled: findEnrolment(deps, row.patient_id) !== undefined };
}

/**
 * The patient at the kiosk withdraws their face consent: deletes the enrolment of the patient that this
 * kiosk session identified by booking code (appointment `appointmentId`) less than
 * {@link KIOSK_WITHDRAW_WINDOW_MS} ago, exactly as the desk does (`deleteEnrolment`: erasure, audit,
 * 'withdrawn' consent event) with actor and channel 'kiosk'. The identification is used up.
 * @throws AppError code_identification_required (403; details.reason 'none' | 'other_appointment' |
 *   'expired') | enrolment_not_found | patient_not_found
 */
export function withdrawFaceAtKiosk(
  deps: FaceDeps,
  sessionId: string,
  appointmentId: AppointmentId,
): { deleted: true } {
  const id = deps.kioskSessions.codeIdentification(sessionId);
  const refuse = (reason: 'none' | 'other_appointment' | 'expired') => {
    log('info', 'face.withdraw.refused', { session: sessionId, reason });
    return new AppError(
      'code_identification_required',
      'identify with your booking code at this kiosk first, then delete your face data',
      { reason },
    );
  };
  if (!id) throw refuse('none');
  if (id.appointmentId !== appointmentId) throw refuse('other_appointment');
  if (deps.now() - id.at > KIOSK_WITHDRAW_WINDOW_MS) {
    deps.kioskSessions.forgetCode(sessionId);
    throw refuse('expired');
  }
  deleteEnrolment(deps, id.patientId, 'kiosk', 'kiosk');
  deps.kioskSessions.forgetCode(sessionId);
  return { deleted: true };
}

/**
 * Checks the patient in after they confirmed the candidate on screen. With `sessionId` and a face
 * check-in, a template refresh the session kept for this appointment (`rememberForRefresh`, less than
 * {@link KIOSK_WITHDRAW_WINDOW_MS} old) is applied after the check-in; its failure never fails the
 * check-in (logged).
 * @throws AppError appointment_not_found | appointment_cancelled | already_checked_in | not_expected_now |
 *   version_conflict
 */
export function confirmCheckIn(
  deps: FaceDeps,
  appointmentId: AppointmentId,
  checkInMethod: KioskCheckInMethod,
  sessionId?: string,
): CheckInReceipt {
  assertExpectedNow(deps, appointmentId);
  const a = transition(deps, appointmentId, 'arrived', { actor: 'kiosk', checkInMethod });
  const match = sessionId ? deps.kioskSessions.takeMatch(sessionId) : undefined;
  if (
    match &&
    checkInMethod === 'face' &&
    match.appointmentId === appointmentId &&
    deps.now() - match.at <= KIOSK_WITHDRAW_WINDOW_MS
  ) {
    try {
      const engine = requireEngine(deps);
      refreshTemplate(deps, match.patientId, match.descriptor, engine.info.modelId, {
        distance: match.distance,
        margin: match.margin,
        appointmentId,
      });
    } catch (err) {
      log('warn', 'face.template_refresh.failed', {
        appointment: appointmentId,
        error: (err as Error).message,
      });
    }
  }
  return {
    ticket: a.ticket ?? '',
    roomName: a.room?.name ?? null,
    practitionerName: a.practitioner.displayName,
    waitMin: a.estimate?.waitMin ?? 0,
    band: a.estimate?.band ?? 'next',
    predictedStartAt: a.estimate?.predictedStartAt ?? null,
  };
}

function logDecision(
  deps: FaceDeps,
  sessionId: string,
  decision: MatchDecision<AppointmentId>,
  gallerySize: number,
  frames: number,
  state: FrameState,
  liveness: LivenessShadow | null,
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
    frames,
    state,
    ...(liveness ? { liveness } : {}),
  };
  log('info', 'face.identify', { ...detail, appointment: decision.best?.key ?? null });
  // Only outcomes that matter for review go to the audit log; per-frame searching is in the app log.
  if (state === 'candidate' || state === 'no_match' || state === 'liveness_failed') {
    writeAudit(
      deps,
      'kiosk',
      'face.identify',
      'appointment',
      decision.kind === 'match' ? decision.best.key : null,
      detail,
    );
  }
}

/**
 * 1:N search of one probe among the enrolled patients expected now (consented, current model, with a
 * scheduled appointment inside the check-in window), keyed by appointment id: the in-memory gallery
 * (server/clinic/face/gallery.ts) restricted by a mask, then `decideMatch`'s rules (`decideRanked`).
 * A patient booked twice inside the window is represented by the earliest appointment. `identifyFrame`
 * passes the mean descriptor of the kiosk's sequence.
 * @returns the decision and the number of identities searched
 */
export function matchExpected(
  deps: FaceDeps,
  settings: Settings,
  modelId: string,
  probe: Float32Array,
): { decision: MatchDecision<AppointmentId>; gallerySize: number } {
  const gallery = galleryCache(deps).get(deps, deps.faceKey, modelId);
  const appointmentOf = new Map<PatientId, AppointmentId>();
  for (const a of expectedNow(deps, settings)) {
    if (!appointmentOf.has(a.patient_id)) appointmentOf.set(a.patient_id, a.id);
  }
  const { allowed, count } = expectedMask(gallery, appointmentOf.keys());
  const found = nearestTwo(probe, gallery, allowed);
  const toAppointment = (r: Ranked<number> | null): Ranked<AppointmentId> | null =>
    r ? { key: appointmentOf.get(gallery.patients[r.key]!)!, distance: r.distance } : null;
  const decision = decideRanked(toAppointment(found.best), toAppointment(found.runnerUp), {
    maxDistance: settings.faceMaxDistance,
    minMargin: settings.faceMinMargin,
  });
  return { decision, gallerySize: count };
}

/**
 * Keeps a live face identification for template refresh at confirmation when the clinic turned it on
 * (`faceTemplateRefresh`) and the decision was clear: distance ≤ `faceRefreshMaxDistance` and a margin of
 * at least twice `faceMinMargin` (or no runner-up). The template kept is the probe that matched: the mean
 * of the sequence's descriptors.
 */
function rememberForRefresh(
  deps: FaceDeps,
  settings: Settings,
  sessionId: string,
  probe: Float32Array,
  decision: Extract<MatchDecision<AppointmentId>, { kind: 'match' }>,
): void {
  if (!settings.faceTemplateRefresh) return;
  const margin = decision.runnerUp ? decision.margin : null;
  if (decision.best.distance > settings.faceRefreshMaxDistance) return;
  if (margin !== null && margin < 2 * settings.faceMinMargin) return;
  deps.kioskSessions.rememberMatch(sessionId, {
    appointmentId: decision.best.key,
    patientId: getRow(deps, decision.best.key).patient_id,
    descriptor: probe,
    distance: decision.best.distance,
    margin,
    at: deps.now(),
  });
}

/** What the liveness check would decide for a streak, with its scores (IOD units), for the logs. */
export interface LivenessShadow {
  wouldDecide: 'live' | 'attack' | 'insufficient_motion';
  residual: number;
  parallax: number;
  motion: number;
  frames: number;
}

/**
 * The liveness check over a streak (issue 14; domain/liveness.ts, thresholds from the clinic settings):
 * what it decides and its scores, audited with every decision whether or not it is enforced. Null
 * without the 68 landmarks of at least two frames.
 */
export function livenessOf(streak: Observation[], settings: Settings): LivenessShadow | null {
  const frames = streak.filter((o) => o.landmarks && o.landmarks.length > 0 && o.box);
  if (frames.length < 2) return null;
  const r = assessLiveness(
    frames.map((o) => ({ landmarks: o.landmarks!, box: o.box! })),
    {
      ...DEFAULT_LIVENESS_THRESHOLDS,
      minFrames: settings.livenessMinFrames,
      minResidual: settings.livenessMinResidual,
      minMotion: settings.livenessMinMotion,
    },
  );
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  return {
    wouldDecide: r.decision,
    residual: round(r.scores.residual),
    parallax: round(r.scores.parallax),
    motion: round(r.scores.motion),
    frames: r.scores.frames,
  };
}

/**
 * Analyses one kiosk camera frame and advances the kiosk's live sequence. The face used is chosen by
 * `selectFace` (domain/face-frame.ts: a second box on the same head is not "two faces"); a frame with no
 * face is retried with a border (a face too close). Each frame's descriptor joins the sequence (the
 * frames of the last `faceSequenceWindowMs`; up to two frames without a usable face in a row are
 * tolerated, answered 'searching'), and the mean of the sequence's descriptors is searched among the
 * patients expected now with the `faceMaxDistance` / `faceMinMargin` rules (template-level fusion,
 * `meanDescriptor`): no single frame has to pass on its own. A decision is made once the sequence has
 * enough frames. A match becomes a
 * candidate when, with liveness on (the default), the sequence's landmarks show a 3D face
 * (domain/liveness.ts; `livenessMinFrames` frames): a planar sequence is a picture ('liveness_failed' →
 * booking code), too little motion asks the patient to turn their head ('turn_head', the sequence goes
 * on). With liveness off (the demo), `faceSequenceFrames` frames and a movement of `faceMinMovementPx`
 * suffice. A fused non-match after that many frames is 'no_match'.
 * @throws AppError face_engine_unavailable | image_invalid
 */
export async function identifyFrame(
  deps: FaceDeps,
  sessionId: string,
  frame: Uint8Array,
): Promise<FrameResult> {
  const engine = requireEngine(deps);
  const settings = readSettings(deps);
  const result = await analyze(engine, frame, {
    detector: 'tiny',
    maxFaces: 1,
    minScore: settings.faceDetectorMinScore,
    tinyInputSize: settings.faceDetectorInputSize,
    // A face too close fills the frame like a tight crop, which the detector misses without a border
    // (npm run bench: failures to acquire 48 → 34 of 966 frames, tight crops 17 → 4).
    padIfNone: true,
  });
  const base = {
    frameWidth: result.width,
    frameHeight: result.height,
    livenessEnforced: settings.livenessEnforced,
  };
  const enforced = settings.livenessEnforced;
  const needed = enforced
    ? Math.max(settings.faceSequenceFrames, settings.livenessMinFrames)
    : settings.faceSequenceFrames;
  const selection = selectFace(result.faces, settings.faceMinSizePx);
  if (selection.kind !== 'face') {
    const face = largestBox(result.faces);
    // Another person in view ends the sequence; a frame or two without a usable face does not.
    const kept = selection.kind === 'multiple_faces' ? null : deps.kioskSessions.miss(sessionId);
    if (selection.kind === 'multiple_faces') deps.kioskSessions.reset(sessionId);
    if (kept)
      return {
        ...base,
        state: 'searching',
        face,
        progress: Math.min(1, kept.length / needed),
        candidate: null,
      };
    return { ...base, state: selection.kind, face, progress: 0, candidate: null };
  }
  const main = result.faces[selection.index]!;
  const face = main.box;
  const sequence = deps.kioskSessions.push(
    sessionId,
    {
      at: deps.now(),
      keypoints: main.keypoints,
      landmarks: main.landmarks,
      box: main.box,
      descriptor: main.descriptor,
    },
    settings.faceSequenceWindowMs,
  );
  // Template-level fusion: the mean of the sequence's descriptors is searched (domain/matching.ts).
  const probe = meanDescriptor(sequence.map((o) => o.descriptor))!;
  const { decision, gallerySize } = matchExpected(deps, settings, engine.info.modelId, probe);
  const key = decision.kind === 'match' ? decision.best.key : null;
  let state: FrameState = 'searching';
  let candidate: KioskCandidate | null = null;
  let liveness: LivenessShadow | null = null;
  if (key && sequence.length >= needed) {
    liveness = livenessOf(sequence, settings);
    if (enforced) {
      // The landmark-parallax check decides (domain/liveness.ts).
      if (liveness?.wouldDecide === 'live') {
        state = 'candidate';
        candidate = candidateFor(deps, key);
        if (decision.kind === 'match') rememberForRefresh(deps, settings, sessionId, probe, decision);
      } else if (liveness?.wouldDecide === 'attack') {
        state = 'liveness_failed';
      } else {
        state = 'turn_head';
      }
    } else {
      const moved = keypointMovement(sequence.slice(-needed).map((o) => o.keypoints));
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
    }
  } else if (!key && sequence.length >= needed) {
    state = 'no_match';
  }
  logDecision(deps, sessionId, decision, gallerySize, sequence.length, state, liveness);
  if (state === 'candidate' || state === 'no_match' || state === 'liveness_failed') {
    deps.kioskSessions.reset(sessionId);
  }
  return {
    ...base,
    state,
    face,
    progress: Math.min(1, sequence.length / needed),
    candidate,
  };
}
