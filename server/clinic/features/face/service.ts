/**
 * Face enrolment (with consent), erasure and key rotation. Only descriptors are kept (encrypted and bound
 * to the patient, server/clinic/face/crypto.ts); photos are dropped after use. The gallery a kiosk probe
 * is compared with is cached in memory by server/clinic/face/gallery.ts; identification is in
 * features/kiosk.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { FaceConsentChannel, FaceConsentEventKind } from '../../../domain/consent.ts';
import { AppError } from '../../../domain/errors.ts';
import { selectFace, type FaceSelection } from '../../../domain/face-frame.ts';
import { qualityProblem, type FaceQuality, type QualityProblem } from '../../../domain/face-quality.ts';
import type { PatientId } from '../../../domain/ids.ts';
import type { Settings } from '../../../domain/settings.ts';
import type { Actor } from '../../db/changes.ts';
import { writeAudit } from '../../db/changes.ts';
import { checkpointTruncate, type DbContext } from '../../db/database.ts';
import type { FaceDeps } from '../../deps.ts';
import { FaceWorkerError } from '../../face/client.ts';
import { decryptDescriptors, encryptDescriptors } from '../../face/crypto.ts';
import {
  FACE_KEY_BYTES,
  FileFaceKeyStore,
  ParentPortFaceKeyStore,
  type FaceKeyStore,
} from '../../face/key-store.ts';
import {
  ImageDecodeError,
  ImageTooLargeError,
  type AnalyzeOptions,
  type AnalyzeResult,
  type DetectedFace,
  type FaceEngine,
} from '../../face/engine.ts';
import { log } from '../../lib/log.ts';
import { getPatient } from '../patients/repo.ts';
import { readSettings } from '../settings/repo.ts';
import {
  deleteEnrolmentRow,
  findEnrolment,
  insertConsentEvent,
  listConsentEvents,
  listAllEnrolmentBlobs,
  replaceEnrolmentTemplates,
  updateEnrolmentBlob,
  upsertEnrolment,
} from './repo.ts';

/** The consent an enrolment stands on (`GET /api/patients/:id/face` → `consent`). */
export interface FaceConsent {
  /** Version of the consent text (server/domain/consent.ts), or 'unrecorded' for enrolments before it. */
  version: string;
  channel: FaceConsentChannel;
  /** When it was given, ISO-8601 UTC. */
  at: string;
  /** Who recorded it: the desk user / device, 'kiosk', or 'seed'. */
  by: string;
}

/** One entry of the consent history (`history`), kept after withdrawal; no face data. */
export interface FaceConsentEvent {
  event: FaceConsentEventKind;
  version: string;
  channel: FaceConsentChannel;
  /** ISO-8601 UTC. */
  at: string;
  by: string;
}

/**
 * Whether a patient is enrolled, since when (ISO-8601 UTC), with how many samples of which model; the
 * consent the enrolment stands on (null when not enrolled) and the whole consent history, oldest first
 * (given / withdrawn, which survives the deletion of the enrolment).
 */
export interface EnrolmentStatus {
  enrolled: boolean;
  consentAt: string | null;
  sampleCount: number;
  modelId: string | null;
  consent: FaceConsent | null;
  history: FaceConsentEvent[];
}

/** English messages of the quality problems (the UI translates the codes). */
const QUALITY_MESSAGES: Record<QualityProblem, string> = {
  face_too_dark: 'the face is too dark',
  face_too_bright: 'the face is too bright',
  face_low_contrast: 'the face has too little contrast',
  face_blurred: 'the photo is blurred',
  face_turned: 'the face is turned aside; look straight at the camera',
  face_tilted: 'the head is tilted',
};

/**
 * The desk's check of one enrolment capture before it is kept (`POST /api/face/check`): the same rules
 * as `enrol` (one face, `faceMinSizePx`, domain/face-quality.ts). `problem` is the AppError code enrol
 * would answer, or null; `face` is the box in image pixels; `quality` the rounded measures. The image
 * is analysed and dropped.
 */
export interface PhotoCheck {
  ok: boolean;
  problem: 'no_face' | 'multiple_faces' | 'face_too_small' | QualityProblem | null;
  face: { x: number; y: number; width: number; height: number } | null;
  width: number;
  height: number;
  quality: FaceQuality | null;
}

/** Checks one capture as `enrol` would. @throws AppError face_engine_unavailable | image_invalid */
export async function checkPhoto(deps: FaceDeps, image: Uint8Array): Promise<PhotoCheck> {
  const { result, face, problem } = await judgePhoto(requireEngine(deps), image, readSettings(deps));
  const base = { width: result.width, height: result.height };
  if (!face) return { ...base, ok: false, problem, face: result.faces[0]?.box ?? null, quality: null };
  const r = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
  const quality = face.quality
    ? {
        brightness: r(face.quality.brightness, 1),
        contrast: r(face.quality.contrast, 1),
        sharpness: r(face.quality.sharpness, 1),
        yaw: r(face.quality.yaw),
        roll: r(face.quality.roll, 1),
      }
    : null;
  return { ...base, ok: problem === null, problem, face: face.box, quality };
}

/** Why an enrolment photo is refused: the face it shows, or its quality (each an AppError code). */
type PhotoProblem = 'no_face' | 'multiple_faces' | 'face_too_small' | QualityProblem;

/**
 * One enrolment photo judged as `enrol` and `checkPhoto` both do: analysed (SSD, border retry), the face
 * chosen by `selectFace` (a second box on the same head is not a second face, domain/face-frame.ts) with
 * `faceMinSizePx`, then its quality (domain/face-quality.ts). `face` is null when none is usable.
 */
async function judgePhoto(
  engine: FaceEngine,
  image: Uint8Array,
  settings: Settings,
): Promise<{
  result: AnalyzeResult;
  selection: FaceSelection;
  face: DetectedFace | null;
  problem: PhotoProblem | null;
}> {
  const result = await analyze(engine, image, {
    detector: 'ssd',
    maxFaces: 1,
    padIfNone: true,
    quality: true,
  });
  const selection = selectFace(result.faces, settings.faceMinSizePx);
  if (selection.kind !== 'face') {
    const problem = selection.kind === 'too_small' ? 'face_too_small' : selection.kind;
    return { result, selection, face: null, problem };
  }
  const face = result.faces[selection.index]!;
  return { result, selection, face, problem: face.quality ? qualityProblem(face.quality) : null };
}

/** The English message of a refused enrolment photo (`index` from 0; the UI translates the code). */
function photoMessage(
  selection: FaceSelection,
  problem: PhotoProblem,
  index: number,
  minSizePx: number,
): string {
  if (selection.kind === 'no_face') return `no face found in image ${index + 1}`;
  if (selection.kind === 'multiple_faces')
    return `image ${index + 1} shows ${selection.count} faces; use one`;
  if (selection.kind === 'too_small')
    return `the face in image ${index + 1} is ${Math.round(selection.widthPx)} px wide; at least ${minSizePx} px needed`;
  return `image ${index + 1}: ${QUALITY_MESSAGES[problem as QualityProblem]}`;
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

/**
 * `engine.analyze` with undecodable images reported as AppError image_invalid (400) and images over the
 * pixel limit (engine.ts `MAX_INPUT_PIXELS`) as image_too_large (413).
 */
export async function analyze(
  engine: FaceEngine,
  image: Uint8Array,
  options: AnalyzeOptions,
): Promise<AnalyzeResult> {
  try {
    return await engine.analyze(image, options);
  } catch (err) {
    if (
      err instanceof ImageTooLargeError ||
      (err instanceof FaceWorkerError && err.code === 'image_too_large')
    )
      throw new AppError('image_too_large', (err as Error).message);
    const invalid =
      err instanceof ImageDecodeError || (err instanceof FaceWorkerError && err.code === 'image_invalid');
    if (invalid) throw new AppError('image_invalid', (err as Error).message);
    throw err;
  }
}

/** The patient's enrolment status with its consent and consent history. @throws AppError patient_not_found */
export function enrolmentStatus(deps: FaceDeps, patientId: PatientId): EnrolmentStatus {
  getPatient(deps, patientId);
  const row = findEnrolment(deps, patientId);
  const history = listConsentEvents(deps, patientId).map((e): FaceConsentEvent => ({
    event: e.event,
    version: e.version,
    channel: e.channel,
    at: e.at,
    by: e.actor,
  }));
  return row
    ? {
        enrolled: true,
        consentAt: row.consent_at,
        sampleCount: row.sample_count,
        modelId: row.model_id,
        consent: {
          version: row.consent_version,
          channel: row.consent_channel,
          at: row.consent_at,
          by: row.consent_by,
        },
        history,
      }
    : { enrolled: false, consentAt: null, sampleCount: 0, modelId: null, consent: null, history };
}

/**
 * Enrols (or re-enrols) a patient from 1–5 photos, with explicit consent recorded by `actor` through
 * `channel` (default 'desk'): the enrolment row carries the consent version, channel, time and actor,
 * and a 'given' consent event is written in the same transaction.
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
  channel: FaceConsentChannel = 'desk',
): Promise<EnrolmentStatus> {
  if (!consent)
    throw new AppError('consent_required', "the patient's explicit consent is required to enrol their face");
  getPatient(deps, patientId);
  const engine = requireEngine(deps);
  const settings = readSettings(deps);
  const descriptors: Float32Array[] = [];
  for (const [index, image] of images.entries()) {
    const { selection, face, problem } = await judgePhoto(engine, image, settings);
    if (problem || !face) {
      const code = problem ?? 'no_face';
      log('info', 'face.enrol.rejected', { patient: patientId, imageIndex: index, reason: code });
      throw new AppError(code, photoMessage(selection, code, index, settings.faceMinSizePx), {
        imageIndex: index,
      });
    }
    descriptors.push(face.descriptor);
  }
  const blob = encryptDescriptors(deps.faceKey, patientId, descriptors);
  const replaced = deps.db.transaction(() => {
    const existed = findEnrolment(deps, patientId) !== undefined;
    upsertEnrolment(deps, {
      patientId,
      blob,
      sampleCount: descriptors.length,
      modelId: engine.info.modelId,
      consentBy: actor,
      consentChannel: channel,
    });
    writeAudit(deps, actor, 'face.enrol', 'patient', patientId, {
      samples: descriptors.length,
      modelId: engine.info.modelId,
      ...(channel === 'desk' ? {} : { channel }),
    });
    return existed;
  })();
  // A re-enrolment replaced the old descriptors: push their old page images out of the WAL too.
  if (replaced) eraseFromWal(deps);
  deps.events.emit('face', patientId);
  return enrolmentStatus(deps, patientId);
}

/** Refreshed templates an enrolment keeps beside the desk's samples (the oldest is replaced). */
export const MAX_REFRESHED_TEMPLATES = 2;

/**
 * Template refresh after a confirmed face check-in (setting `faceTemplateRefresh`; the guards are
 * checked by the kiosk, features/kiosk/service.ts): adds `descriptor` (the confirmed sequence's mean
 * descriptor) to the patient's enrolment as a refreshed template, keeping at most
 * {@link MAX_REFRESHED_TEMPLATES} of them after the desk's samples (the oldest replaced, so the desk's
 * own samples always stay). Only for an enrolment of `modelId` with consent; audited as
 * `face.template_refresh` with the decision's scores (no face data); the old blob leaves the WAL.
 * @returns whether a template was added (false: no enrolment, or of another model)
 */
export function refreshTemplate(
  deps: FaceDeps,
  patientId: PatientId,
  descriptor: Float32Array,
  modelId: string,
  detail: { distance: number; margin: number | null; appointmentId: string },
): boolean {
  const added = deps.db.transaction(() => {
    const row = findEnrolment(deps, patientId);
    if (!row || row.model_id !== modelId) return false;
    const all = decryptDescriptors(deps.faceKey, patientId, row.descriptors);
    const desk = all.slice(0, all.length - row.refresh_count);
    const refreshed = [...all.slice(all.length - row.refresh_count), descriptor].slice(
      -MAX_REFRESHED_TEMPLATES,
    );
    const templates = [...desk, ...refreshed];
    replaceEnrolmentTemplates(deps, patientId, {
      blob: encryptDescriptors(deps.faceKey, patientId, templates),
      sampleCount: templates.length,
      refreshCount: refreshed.length,
    });
    writeAudit(deps, 'kiosk', 'face.template_refresh', 'patient', patientId, {
      appointment: detail.appointmentId,
      distance: Math.round(detail.distance * 1000) / 1000,
      margin: detail.margin === null ? null : Math.round(detail.margin * 1000) / 1000,
      deskSamples: desk.length,
      refreshedTemplates: refreshed.length,
    });
    return true;
  })();
  if (added) {
    eraseFromWal(deps);
    deps.events.emit('face', patientId);
  }
  return added;
}

/**
 * After a commit that removed descriptors: `secure_delete` has already zeroed them in the pages, and
 * a TRUNCATE checkpoint drops the WAL frames that still held the old page images. A checkpoint held
 * back by a reader is logged (the next erasure or SQLite's own checkpoints will finish the job).
 */
export function eraseFromWal(deps: Pick<DbContext, 'db'>): void {
  const result = checkpointTruncate(deps.db);
  if (result.busy) log('warn', 'face.erase.checkpoint_busy', { ...result });
}

/**
 * Deletes the patient's descriptors (consent withdrawn through `channel`, default 'desk') so that no copy
 * remains in the database files: the row is deleted (its bytes zeroed by `secure_delete`) and the WAL
 * checkpointed and truncated. A 'withdrawn' consent event (the version withdrawn from, no face data) is
 * written in the same transaction as the deletion and its audit row.
 * @throws AppError patient_not_found | enrolment_not_found
 */
export function deleteEnrolment(
  deps: FaceDeps,
  patientId: PatientId,
  actor: Actor,
  channel: FaceConsentChannel = 'desk',
): void {
  getPatient(deps, patientId);
  deps.db.transaction(() => {
    const row = findEnrolment(deps, patientId);
    if (!row || !deleteEnrolmentRow(deps, patientId))
      throw new AppError('enrolment_not_found', 'this patient has no face enrolment');
    insertConsentEvent(deps, {
      patientId,
      event: 'withdrawn',
      version: row.consent_version,
      channel,
      actor,
    });
    writeAudit(deps, actor, 'face.delete', 'patient', patientId, channel === 'desk' ? {} : { channel });
  })();
  eraseFromWal(deps);
  deps.events.emit('face', patientId);
}

/** Where a rotation parks the new key until the re-encrypted rows are committed: `<key file>.next`. */
function pendingStoreOf(store: FileFaceKeyStore): FileFaceKeyStore {
  return new FileFaceKeyStore(`${store.file}.next`);
}

/** Re-encrypts every stored blob from `oldKey` to `key` in one transaction, audited. @returns the count */
function reencryptAll(ctx: DbContext, oldKey: Buffer, key: Buffer, actor: Actor): number {
  return ctx.db.transaction(() => {
    const rows = listAllEnrolmentBlobs(ctx);
    for (const r of rows) {
      const descriptors = decryptDescriptors(oldKey, r.patient_id, r.descriptors);
      updateEnrolmentBlob(ctx, r.patient_id, encryptDescriptors(key, r.patient_id, descriptors));
    }
    writeAudit(ctx, actor, 'face.rotate_key', 'face_key', 'face_key', { enrolments: rows.length });
    return rows.length;
  })();
}

/**
 * Key rotation: a new random key, every stored descriptor blob re-encrypted with it in one transaction
 * (audited as `face.rotate_key`), then the key file replaced atomically (temp file + rename) and the
 * WAL truncated so the old-key ciphertexts leave it. Crash safety: the new key is first written to
 * `<key file>.next`; if the process dies after the commit but before the rename,
 * `recoverFaceKeyRotation` at the next start promotes it. Stop the server before rotating from the CLI
 * (the running server holds the key in memory); the running server rotates with `rotateKey`.
 * @param oldKey the key the blobs are encrypted with now
 * @returns the new key and how many enrolments were re-encrypted
 * @throws Error when the store is not a key file (the app's wrapped key: `rotateWrappedFaceKey`;
 *   CFD_FACE_KEY: set a new one there and re-enrol), or when a blob does not decrypt with `oldKey`
 *   (nothing is changed then)
 */
export function rotateFaceKey(
  ctx: DbContext,
  store: FaceKeyStore,
  oldKey: Buffer,
  actor: Actor = 'system',
): { key: Buffer; reencrypted: number } {
  if (!(store instanceof FileFaceKeyStore))
    throw new Error(`cannot rotate a key held in ${store.description}; only a key file can be rotated`);
  const key = randomBytes(FACE_KEY_BYTES);
  const pending = pendingStoreOf(store);
  pending.save(key);
  let reencrypted: number;
  try {
    reencrypted = reencryptAll(ctx, oldKey, key, actor);
  } catch (err) {
    fs.rmSync(pending.file, { force: true });
    throw err;
  }
  store.save(key);
  fs.rmSync(pending.file, { force: true });
  eraseFromWal(ctx);
  log('info', 'face.key_rotated', { enrolments: reencrypted });
  return { key, reencrypted };
}

/**
 * Key rotation in the Electron app, whose key main keeps wrapped by the OS (key-store.ts
 * `ParentPortFaceKeyStore`): the same steps as `rotateFaceKey`, with main writing the wrapped keys — the
 * new key is parked in main's pending slot first, the blobs re-encrypted in one transaction (audited),
 * then main replaces the key and drops the pending one; a failed re-encryption drops it and changes
 * nothing. A crash between the commit and the replacement is finished by `recoverWrappedFaceKeyRotation`
 * at the next start (main passes the pending key back as CFD_FACE_KEY_NEXT).
 * @throws Error when main refuses or does not answer, or a blob does not decrypt with `oldKey`
 */
export async function rotateWrappedFaceKey(
  ctx: DbContext,
  store: ParentPortFaceKeyStore,
  oldKey: Buffer,
  actor: Actor = 'system',
): Promise<{ key: Buffer; reencrypted: number }> {
  const key = randomBytes(FACE_KEY_BYTES);
  await store.saveWrapped(key, 'next');
  let reencrypted: number;
  try {
    reencrypted = reencryptAll(ctx, oldKey, key, actor);
  } catch (err) {
    await store.dropPending();
    throw err;
  }
  await store.saveWrapped(key, 'key');
  await store.dropPending();
  eraseFromWal(ctx);
  log('info', 'face.key_rotated', { enrolments: reencrypted, wrapped: true });
  return { key, reencrypted };
}

/**
 * Rotates the running server's key, whichever store holds it (a key file or the app's wrapped key),
 * and swaps the key the server uses (`deps.faceKey`; the in-memory gallery notices the new key and is
 * rebuilt). `POST /api/face/rotate-key`.
 * @throws AppError face_key_not_rotatable (409) when the key comes from CFD_FACE_KEY; Error as the
 *   rotations above
 */
export async function rotateKey(deps: FaceDeps, actor: Actor): Promise<{ reencrypted: number }> {
  const store = deps.faceKeyStore;
  let rotated: { key: Buffer; reencrypted: number };
  if (store instanceof ParentPortFaceKeyStore)
    rotated = await rotateWrappedFaceKey(deps, store, deps.faceKey, actor);
  else if (store instanceof FileFaceKeyStore) rotated = rotateFaceKey(deps, store, deps.faceKey, actor);
  else
    throw new AppError(
      'face_key_not_rotatable',
      'the face key comes from CFD_FACE_KEY: set a new one there and re-enrol, or use a key file',
    );
  deps.faceKey = rotated.key;
  deps.events.emit('face');
  return { reencrypted: rotated.reencrypted };
}

/**
 * Whether a rotation's pending key already encrypts the stored blobs (its re-encryption committed): it
 * decrypts the first blob, or there is none.
 */
function rotationCommitted(ctx: DbContext, pending: Buffer): boolean {
  const sample = listAllEnrolmentBlobs(ctx)[0];
  if (!sample) return true;
  try {
    decryptDescriptors(pending, sample.patient_id, sample.descriptors);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finishes or drops a rotation interrupted by a crash (a `<key file>.next` left behind): the pending key
 * becomes the key when it decrypts the stored blobs (the re-encryption had committed), else it is
 * removed. Call at start, before loading the key.
 * @returns 'none' | 'promoted' | 'discarded'
 */
export function recoverFaceKeyRotation(
  ctx: DbContext,
  store: FaceKeyStore,
): 'none' | 'promoted' | 'discarded' {
  if (!(store instanceof FileFaceKeyStore)) return 'none';
  const pending = pendingStoreOf(store);
  if (!fs.existsSync(pending.file)) return 'none';
  const next = pending.load()!;
  const committed = rotationCommitted(ctx, next);
  if (committed) store.save(next);
  fs.rmSync(pending.file, { force: true });
  log('warn', 'face.key_rotation_recovered', { outcome: committed ? 'promoted' : 'discarded' });
  return committed ? 'promoted' : 'discarded';
}

/**
 * `recoverFaceKeyRotation` for the app's wrapped key: a pending key main passed back
 * (CFD_FACE_KEY_NEXT) becomes the key when it decrypts the stored blobs, and is dropped either way.
 * @returns 'none' | 'promoted' | 'discarded'; @throws Error when main refuses or does not answer
 */
export async function recoverWrappedFaceKeyRotation(
  ctx: DbContext,
  store: ParentPortFaceKeyStore,
): Promise<'none' | 'promoted' | 'discarded'> {
  const next = store.loadPending();
  if (!next) return 'none';
  const committed = rotationCommitted(ctx, next);
  if (committed) await store.saveWrapped(next, 'key');
  await store.dropPending();
  log('warn', 'face.key_rotation_recovered', {
    outcome: committed ? 'promoted' : 'discarded',
    wrapped: true,
  });
  return committed ? 'promoted' : 'discarded';
}
