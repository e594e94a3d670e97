/**
 * A small clinic for tests that assert exact values: two rooms, two practitioners (one per room), two
 * specialties (evaluation 30 min, massage 45 min), no patients, no appointments. Use with
 * `createHarness({ seed: false })`; the demo clinic is for tests that need a realistic day.
 */
import type { PractitionerId, RoomId, SpecialtyId } from '../../domain/ids.ts';
import type { AppointmentInput } from '../../domain/schemas.ts';
import type { ClinicDeps } from '../deps.ts';
import type { AppointmentView } from '../features/appointments/repo.ts';
import { createAppointment } from '../features/appointments/service.ts';
import {
  addPractitionerSpecialty,
  insertPractitioner,
  insertRoom,
  insertSpecialty,
} from '../features/catalog/repo.ts';
import { createPatient } from '../features/patients/repo.ts';

/** Ids of the small clinic's catalogue. */
export interface SmallClinic {
  rooms: { sala1: RoomId; sala2: RoomId };
  practitioners: { marta: PractitionerId; joao: PractitionerId };
  specialties: { evaluation: SpecialtyId; massage: SpecialtyId };
}

/**
 * Seeds the small clinic: Sala 1, Dr.ª Marta Lopes (evaluation); Sala 2, Dr. João Ferreira (evaluation and
 * massage).
 */
export function seedSmallClinic(deps: ClinicDeps): SmallClinic {
  const clinic = deps.db.transaction((): SmallClinic => {
    const sala1 = insertRoom(deps, 'Sala 1');
    const sala2 = insertRoom(deps, 'Sala 2');
    return {
      rooms: { sala1, sala2 },
      practitioners: {
        marta: insertPractitioner(deps, {
          fullName: 'Marta Lopes',
          displayName: 'Dr.ª Marta Lopes',
          defaultRoomId: sala1,
        }),
        joao: insertPractitioner(deps, {
          fullName: 'João Ferreira',
          displayName: 'Dr. João Ferreira',
          defaultRoomId: sala2,
        }),
      },
      specialties: {
        evaluation: insertSpecialty(deps, {
          code: 'evaluation',
          namePt: 'Consulta de avaliação',
          nameEn: 'Evaluation appointment',
          defaultDurationMin: 30,
          priceCents: 3500,
        }),
        massage: insertSpecialty(deps, {
          code: 'massage',
          namePt: 'Massagem',
          nameEn: 'Massage',
          defaultDurationMin: 45,
          priceCents: 4000,
        }),
      },
    };
  })();
  deps.db.transaction(() => {
    addPractitionerSpecialty(deps, clinic.practitioners.marta, clinic.specialties.evaluation);
    addPractitionerSpecialty(deps, clinic.practitioners.joao, clinic.specialties.evaluation);
    addPractitionerSpecialty(deps, clinic.practitioners.joao, clinic.specialties.massage);
  })();
  return clinic;
}

/**
 * Creates a patient named `fullName` and books them `minutesFromNow` after the clock, with `over`
 * overriding the booking (default: evaluation with Dr.ª Marta Lopes).
 */
export function book(
  deps: ClinicDeps,
  clinic: SmallClinic,
  fullName: string,
  minutesFromNow: number,
  over: Partial<AppointmentInput> = {},
): AppointmentView {
  const patient = createPatient(deps, { fullName }, 'system');
  return createAppointment(
    deps,
    {
      patientId: patient.id,
      specialtyId: clinic.specialties.evaluation,
      practitionerId: clinic.practitioners.marta,
      startsAt: new Date(deps.now() + minutesFromNow * 60_000).toISOString(),
      walkIn: false,
      ...over,
    },
    'system',
  );
}
