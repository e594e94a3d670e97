/**
 * The enrolled faces kept in memory for the kiosk (issue 14, part 4): every consented enrolment of the
 * current model, decrypted once into one contiguous Float32Array (rows × 128) with a parallel array of
 * patient ids, so a camera frame costs one flat 1:N search (`nearestTwo`, server/domain/matching.ts)
 * restricted to the patients expected now by a mask, instead of a `patient_id IN (…)` query with one SQL
 * variable per expected patient (which failed past 32,766 of them) and a decryption per enrolment.
 *
 * Invalidation: the cache is dropped when anything changes `face_enrolments` on this connection, seen two
 * ways. (1) The change bus: the face feature emits `face` after each enrolment, re-enrolment and deletion
 * (and the demo seed emits `catalog`). (2) A generation counter kept by TEMP triggers on
 * `face_enrolments` (insert, update, delete, including rows removed by `ON DELETE CASCADE` when a patient
 * is erased): connection-local, nothing is written to the database file, and no code path that forgets
 * to emit can leave an erased patient's descriptors in memory. The counter is read once per frame.
 * Writes by another connection or process are not seen; the clinic server is the only writer.
 */
import type { Db, DbContext } from '../db/database.ts';
import type { PatientId } from '../../domain/ids.ts';
import type { FlatGallery } from '../../domain/matching.ts';
import type { ChangeBus } from '../lib/events.ts';
import { log } from '../lib/log.ts';
import { decryptDescriptors, DESCRIPTOR_LENGTH } from './crypto.ts';

/** A flat gallery of enrolled patients: identity i is `patients[i]`; `indexOf` is the reverse map. */
export interface EnrolledGallery extends FlatGallery {
  modelId: string;
  patients: PatientId[];
  indexOf: Map<PatientId, number>;
  /** Milliseconds the build took (query + decryption + copy). */
  buildMs: number;
}

interface StoredRow {
  patient_id: PatientId;
  descriptors: Buffer;
}

/**
 * Reads and decrypts every consented enrolment of `modelId` into one contiguous array (one query, no
 * variable per patient). An enrolment that fails to decrypt (altered blob, wrong key) is left out and
 * logged, so one bad row cannot take face check-in down for everyone.
 */
export function buildGallery(ctx: DbContext, key: Buffer, modelId: string): EnrolledGallery {
  const started = performance.now();
  const rows = ctx.db
    .prepare(
      `SELECT patient_id, descriptors FROM face_enrolments
       WHERE consent_at IS NOT NULL AND model_id = ? ORDER BY patient_id`,
    )
    .all(modelId) as StoredRow[];
  const patients: PatientId[] = [];
  const samples: Float32Array[][] = [];
  let total = 0;
  for (const row of rows) {
    try {
      const descriptors = decryptDescriptors(key, row.patient_id, row.descriptors);
      if (descriptors.length === 0) continue;
      patients.push(row.patient_id);
      samples.push(descriptors);
      total += descriptors.length;
    } catch (err) {
      log('warn', 'face.gallery.undecryptable', { patient: row.patient_id, error: (err as Error).message });
    }
  }
  const data = new Float32Array(total * DESCRIPTOR_LENGTH);
  const identity = new Int32Array(total);
  let r = 0;
  samples.forEach((list, i) => {
    for (const d of list) {
      data.set(d, r * DESCRIPTOR_LENGTH);
      identity[r] = i;
      r += 1;
    }
  });
  return {
    data,
    identity,
    rows: total,
    dim: DESCRIPTOR_LENGTH,
    identityCount: patients.length,
    modelId,
    patients,
    indexOf: new Map(patients.map((p, i) => [p, i])),
    buildMs: performance.now() - started,
  };
}

/**
 * A mask over `gallery`'s identities with the given patients switched on (`nearestTwo`'s `allowed`),
 * and how many of them are enrolled. Patients without an enrolment are ignored.
 */
export function expectedMask(
  gallery: EnrolledGallery,
  patientIds: Iterable<PatientId>,
): { allowed: Uint8Array; count: number } {
  const allowed = new Uint8Array(gallery.identityCount);
  let count = 0;
  for (const p of patientIds) {
    const i = gallery.indexOf.get(p);
    if (i !== undefined && allowed[i] === 0) {
      allowed[i] = 1;
      count += 1;
    }
  }
  return { allowed, count };
}

const GENERATION_SQL = `
  CREATE TEMP TABLE IF NOT EXISTS face_gallery_generation (n INTEGER NOT NULL) STRICT;
  INSERT INTO face_gallery_generation (n) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM face_gallery_generation);
  CREATE TEMP TRIGGER IF NOT EXISTS face_gallery_on_insert AFTER INSERT ON main.face_enrolments
    BEGIN UPDATE face_gallery_generation SET n = n + 1; END;
  CREATE TEMP TRIGGER IF NOT EXISTS face_gallery_on_update AFTER UPDATE ON main.face_enrolments
    BEGIN UPDATE face_gallery_generation SET n = n + 1; END;
  CREATE TEMP TRIGGER IF NOT EXISTS face_gallery_on_delete AFTER DELETE ON main.face_enrolments
    BEGIN UPDATE face_gallery_generation SET n = n + 1; END;`;

/** The in-memory gallery of one database connection, rebuilt on first use after a change. */
export class GalleryCache {
  private gallery: EnrolledGallery | null = null;
  private key: Buffer | null = null;
  private builtAtGeneration = -1;
  private readonly readGeneration: () => number;
  /** How many times the gallery was built (tests and the benchmark read it). */
  builds = 0;

  constructor(db: Db) {
    db.exec(GENERATION_SQL);
    const stmt = db.prepare('SELECT n FROM temp.face_gallery_generation').pluck();
    this.readGeneration = () => stmt.get() as number;
  }

  /**
   * The gallery of `modelId`, built now if there is none, it is for another model or key, or
   * `face_enrolments` changed since it was built.
   */
  get(ctx: DbContext, key: Buffer, modelId: string): EnrolledGallery {
    const generation = this.readGeneration();
    const current = this.gallery;
    if (
      current &&
      current.modelId === modelId &&
      this.builtAtGeneration === generation &&
      this.key !== null &&
      this.key.equals(key)
    )
      return current;
    this.invalidate();
    const built = buildGallery(ctx, key, modelId);
    this.gallery = built;
    this.key = Buffer.from(key);
    this.builtAtGeneration = generation;
    this.builds += 1;
    log('info', 'face.gallery.built', {
      patients: built.identityCount,
      descriptors: built.rows,
      ms: Math.round(built.buildMs * 10) / 10,
    });
    return built;
  }

  /**
   * Drops the gallery; the next `get` rebuilds it. The decrypted descriptors are zeroed first, so an
   * erased patient's template does not linger in freed memory until garbage collection.
   */
  invalidate(): void {
    this.gallery?.data.fill(0);
    this.gallery = null;
    this.key = null;
  }
}

const caches = new WeakMap<Db, GalleryCache>();

/**
 * The gallery cache of this connection, created on first use and subscribed to `events`: a `face` change
 * (enrolment created, replaced or deleted) or a `catalog` change (demo seed) invalidates it.
 */
export function galleryCache(ctx: DbContext & { events: ChangeBus }): GalleryCache {
  let cache = caches.get(ctx.db);
  if (!cache) {
    const created = new GalleryCache(ctx.db);
    ctx.events.subscribe((change) => {
      if (change.kind === 'face' || change.kind === 'catalog') created.invalidate();
    });
    caches.set(ctx.db, created);
    cache = created;
  }
  return cache;
}
