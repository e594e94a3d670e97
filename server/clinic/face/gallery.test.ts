/**
 * Medium tests of the in-memory gallery on a fresh migrated SQLite: one contiguous array of the
 * consented enrolments of the current model, built once, rebuilt after any change to
 * `face_enrolments` (bus event, re-enrolment, a patient's erasure by cascade without an event), and a
 * search restricted to more expected patients than SQLite allows variables in one statement.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PatientId } from '../../domain/ids.ts';
import { nearestTwo } from '../../domain/matching.ts';
import { upsertEnrolment } from '../features/face/repo.ts';
import { mulberry32, type RandomSource } from '../simulation/rng.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { encryptDescriptors } from './crypto.ts';
import { buildGallery, expectedMask, galleryCache } from './gallery.ts';

const MODEL = 'test-model';
let h: Harness;
beforeEach(() => {
  h = createHarness({ now: Date.parse('2026-11-21T10:00:00Z'), seed: false });
});
afterEach(() => h.close());

function unitVector(rnd: RandomSource): Float32Array {
  const v = Float32Array.from({ length: 128 }, () => rnd() * 2 - 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const insertPatient = (id: string) =>
  h.deps.db
    .prepare('INSERT INTO patients (id, full_name, created_at, updated_at) VALUES (?, ?, ?, ?)')
    .run(id, `Paciente ${id}`, '2026-11-21T09:00:00Z', '2026-11-21T09:00:00Z');

function enrol(id: string, descriptors: Float32Array[], modelId = MODEL) {
  upsertEnrolment(h.deps, {
    patientId: id as PatientId,
    blob: encryptDescriptors(h.deps.faceKey, id, descriptors),
    sampleCount: descriptors.length,
    modelId,
    consentBy: 'desk',
  });
}

describe('gallery cache', () => {
  it('lays out the current model’s enrolments back to back, one identity per patient', () => {
    const rnd = mulberry32(1);
    const [a, b, c] = [unitVector(rnd), unitVector(rnd), unitVector(rnd)];
    for (const id of ['p-a', 'p-b', 'p-old']) insertPatient(id);
    enrol('p-a', [a, b]);
    enrol('p-b', [c]);
    enrol('p-old', [a], 'another-model');
    const g = buildGallery(h.deps, h.deps.faceKey, MODEL);
    expect(g).toMatchObject({ rows: 3, dim: 128, identityCount: 2, patients: ['p-a', 'p-b'] });
    expect([...g.identity]).toEqual([0, 0, 1]);
    expect(g.data.subarray(128, 256)).toEqual(b);
    expect(g.data.subarray(256, 384)).toEqual(c);
    expect(expectedMask(g, ['p-b', 'p-unknown', 'p-b'] as PatientId[])).toEqual({
      allowed: Uint8Array.from([0, 1]),
      count: 1,
    });
  });

  it('is built once and rebuilt after an enrolment, a re-enrolment, a bus event or an erasure', () => {
    const rnd = mulberry32(2);
    const [a, b] = [unitVector(rnd), unitVector(rnd)];
    for (const id of ['p-a', 'p-b']) insertPatient(id);
    enrol('p-a', [a]);
    const cache = galleryCache(h.deps);
    const first = cache.get(h.deps, h.deps.faceKey, MODEL);
    expect(cache.get(h.deps, h.deps.faceKey, MODEL)).toBe(first);
    expect(cache.builds).toBe(1);

    enrol('p-b', [b]); // no event: the generation trigger sees the insert
    const second = cache.get(h.deps, h.deps.faceKey, MODEL);
    expect(second.patients).toEqual(['p-a', 'p-b']);
    expect(first.data.every((x) => x === 0)).toBe(true); // the replaced copy was wiped

    enrol('p-a', [b]); // re-enrolment (ON CONFLICT DO UPDATE)
    expect(cache.get(h.deps, h.deps.faceKey, MODEL).data.subarray(0, 128)).toEqual(b);
    expect(cache.builds).toBe(3);

    h.deps.events.emit('face', 'p-a');
    cache.get(h.deps, h.deps.faceKey, MODEL);
    h.deps.events.emit('appointment', 'x'); // unrelated: kept
    cache.get(h.deps, h.deps.faceKey, MODEL);
    expect(cache.builds).toBe(4);

    // Erasing the patient removes the enrolment by ON DELETE CASCADE, with no face event at all.
    h.deps.db.prepare('DELETE FROM patients WHERE id = ?').run('p-a');
    expect(cache.get(h.deps, h.deps.faceKey, MODEL).patients).toEqual(['p-b']);
    // A rolled-back change leaves the gallery as it was.
    const kept = cache.get(h.deps, h.deps.faceKey, MODEL);
    expect(() =>
      h.deps.db.transaction(() => {
        h.deps.db.prepare('DELETE FROM face_enrolments').run();
        throw new Error('rollback');
      })(),
    ).toThrow('rollback');
    expect(cache.get(h.deps, h.deps.faceKey, MODEL)).toBe(kept);
    expect(galleryCache(h.deps)).toBe(cache);
  });

  it('leaves out an enrolment that does not decrypt instead of failing the whole gallery', () => {
    const rnd = mulberry32(3);
    for (const id of ['p-a', 'p-b']) insertPatient(id);
    enrol('p-a', [unitVector(rnd)]);
    enrol('p-b', [unitVector(rnd)]);
    h.deps.db
      .prepare('UPDATE face_enrolments SET descriptors = ? WHERE patient_id = ?')
      .run(encryptDescriptors(h.deps.faceKey, 'p-a', [unitVector(rnd)]), 'p-b');
    expect(buildGallery(h.deps, h.deps.faceKey, MODEL).patients).toEqual(['p-a']);
  });

  it('searches among 33,000 expected patients (more than SQLite’s 32,766 variables)', () => {
    const rnd = mulberry32(4);
    const n = 33_000;
    const ids = Array.from({ length: n }, (_, i) => `p-${String(i).padStart(5, '0')}` as PatientId);
    const target = unitVector(rnd);
    h.deps.db.transaction(() => {
      ids.forEach((id, i) => {
        insertPatient(id);
        enrol(id, [i === 12_345 ? target : unitVector(rnd)]);
      });
    })();
    const g = galleryCache(h.deps).get(h.deps, h.deps.faceKey, MODEL);
    const { allowed, count } = expectedMask(g, ids);
    expect(count).toBe(n);
    const found = nearestTwo(target, g, allowed);
    expect(g.patients[found.best!.key]).toBe('p-12345');
    expect(found.best!.distance).toBe(0);
    expect(found.identities).toBe(n);
  }, 60_000);
});
