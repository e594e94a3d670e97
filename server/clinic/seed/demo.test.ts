/**
 * The demo's appointments for its face patients: booked once, not again when the app restarts the same
 * day (issue 10: 83 → 92 appointments after a restart), and again the next day.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppointmentId, PatientId } from '../../domain/ids.ts';
import { encryptDescriptors } from '../face/crypto.ts';
import { transition } from '../features/appointments/service.ts';
import { upsertEnrolment } from '../features/face/repo.ts';
import { createPatient } from '../features/patients/repo.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { ensureDemoAppointments } from './demo.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness | undefined;
afterEach(() => h?.close());

/** A harness with three patients enrolled by the seed (what seedDemoFaces leaves behind). */
function setup(): { harness: Harness; patients: PatientId[] } {
  h = createHarness({ now: NOW });
  const patients = [1, 2, 3].map((n) => {
    const p = createPatient(h!.deps, { fullName: `Demo Paciente ${n}` }, 'seed');
    upsertEnrolment(h!.deps, {
      patientId: p.id,
      blob: encryptDescriptors(h!.deps.faceKey, p.id, [new Float32Array(128).fill(n / 10)]),
      sampleCount: 1,
      modelId: 'test-model',
      consentBy: 'seed',
      consentChannel: 'seed',
    });
    return p.id;
  });
  return { harness: h, patients };
}

const appointmentsOf = (harness: Harness, patient: PatientId) =>
  harness.deps.db
    .prepare('SELECT id, status FROM appointments WHERE patient_id = ? ORDER BY starts_at')
    .all(patient) as { id: AppointmentId; status: string }[];

describe('ensureDemoAppointments', () => {
  it('books each demo patient once, and a restart the same day books nobody again', () => {
    const { harness, patients } = setup();
    ensureDemoAppointments(harness.deps);
    expect(patients.map((p) => appointmentsOf(harness, p).length)).toEqual([1, 1, 1]);
    // One checks in; the app restarts 40 minutes later.
    transition(harness.deps, appointmentsOf(harness, patients[0]!)[0]!.id, 'arrived', {
      actor: 'kiosk',
      checkInMethod: 'face',
    });
    harness.setNow(NOW + 40 * 60_000);
    ensureDemoAppointments(harness.deps);
    ensureDemoAppointments(harness.deps);
    expect(patients.map((p) => appointmentsOf(harness, p).length)).toEqual([1, 1, 1]);
  });

  it('books again a patient whose appointment today was missed, and everyone the next day', () => {
    const { harness, patients } = setup();
    ensureDemoAppointments(harness.deps);
    transition(harness.deps, appointmentsOf(harness, patients[0]!)[0]!.id, 'arrived', {
      actor: 'kiosk',
      checkInMethod: 'face',
    });
    // Three hours later the others' appointments (5–15 min after 10:00) are past their check-in window.
    harness.setNow(NOW + 3 * 3_600_000);
    ensureDemoAppointments(harness.deps);
    expect(patients.map((p) => appointmentsOf(harness, p).length)).toEqual([1, 2, 2]);
    harness.setNow(NOW + 24 * 3_600_000);
    ensureDemoAppointments(harness.deps);
    expect(patients.map((p) => appointmentsOf(harness, p).length)).toEqual([2, 3, 3]);
  });
});
