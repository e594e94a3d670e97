/**
 * Medium tests of the kiosk's 1:N search without the face engine (synthetic descriptors on a fresh
 * migrated SQLite): only enrolled patients expected now take part, keyed by their earliest appointment
 * in the window; the decision equals `decideMatch` over the gallery the kiosk used to build per frame;
 * the in-memory gallery is not rebuilt per frame.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideMatch, type GalleryEntry } from '../../../domain/matching.ts';
import type { AppointmentId } from '../../../domain/ids.ts';
import { encryptDescriptors } from '../../face/crypto.ts';
import { galleryCache } from '../../face/gallery.ts';
import { mulberry32, type RandomSource } from '../../simulation/rng.ts';
import { book, seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { upsertEnrolment } from '../face/repo.ts';
import { readSettings } from '../settings/repo.ts';
import { matchExpected } from './service.ts';

const MODEL = 'test-model';
let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: Date.parse('2026-11-21T10:00:00Z'), seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

function unitVector(rnd: RandomSource): Float32Array {
  const v = Float32Array.from({ length: 128 }, () => rnd() * 2 - 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function enrol(patientId: string, descriptors: Float32Array[], modelId = MODEL) {
  upsertEnrolment(h.deps, {
    patientId: patientId as never,
    blob: encryptDescriptors(h.deps.faceKey, patientId, descriptors),
    sampleCount: descriptors.length,
    modelId,
    consentBy: 'desk',
  });
}

describe('matchExpected', () => {
  it('searches only the enrolled patients expected now and decides as decideMatch does', () => {
    const rnd = mulberry32(11);
    const ana = book(h.deps, clinic, 'Ana Teste Silva', 10);
    const rui = book(h.deps, clinic, 'Rui Teste Costa', 20, { practitionerId: clinic.practitioners.joao });
    const later = book(h.deps, clinic, 'Tarde Teste', 240);
    const otherModel = book(h.deps, clinic, 'Modelo Teste', 5, { practitionerId: clinic.practitioners.joao });
    book(h.deps, clinic, 'Sem Rosto Teste', 15); // expected, not enrolled
    const faces = new Map<string, Float32Array[]>([
      [ana.patient.id, [unitVector(rnd), unitVector(rnd)]],
      [rui.patient.id, [unitVector(rnd)]],
      [later.patient.id, [unitVector(rnd)]],
    ]);
    for (const [p, d] of faces) enrol(p, d);
    enrol(otherModel.patient.id, [unitVector(rnd)], 'another-model');
    const settings = readSettings(h.deps);
    const thresholds = { maxDistance: settings.faceMaxDistance, minMargin: settings.faceMinMargin };
    // The gallery the kiosk built per frame before: expected, enrolled, same model, keyed by appointment.
    const reference: GalleryEntry<AppointmentId>[] = [
      { key: ana.id, descriptors: faces.get(ana.patient.id)! },
      { key: rui.id, descriptors: faces.get(rui.patient.id)! },
    ];
    const probes = [
      faces.get(ana.patient.id)![1]!.map((x) => x + 0.01),
      faces.get(rui.patient.id)![0]!,
      faces.get(later.patient.id)![0]!, // booked outside the window: must not be found
      unitVector(rnd),
    ];
    for (const probe of probes) {
      const { decision, gallerySize } = matchExpected(h.deps, settings, MODEL, probe);
      expect(gallerySize).toBe(2);
      expect(decision).toEqual(decideMatch(probe, reference, thresholds));
    }
    expect(matchExpected(h.deps, settings, MODEL, probes[0]!).decision).toMatchObject({
      kind: 'match',
      best: { key: ana.id },
    });
    expect(matchExpected(h.deps, settings, MODEL, probes[2]!).decision.best?.key).not.toBe(later.id);
    expect(galleryCache(h.deps).builds).toBe(1);
  });

  it('keys a patient booked twice in the window by the earliest appointment', () => {
    const rnd = mulberry32(12);
    const first = book(h.deps, clinic, 'Dupla Teste', 5);
    const second = book(h.deps, clinic, 'x', 25, {
      patientId: first.patient.id,
      practitionerId: clinic.practitioners.joao,
    });
    const face = unitVector(rnd);
    enrol(first.patient.id, [face]);
    const { decision, gallerySize } = matchExpected(h.deps, readSettings(h.deps), MODEL, face);
    expect(gallerySize).toBe(1);
    expect(decision).toMatchObject({ kind: 'match', best: { key: first.id, distance: 0 } });
    expect(second.patient.id).toBe(first.patient.id);
  });
});
