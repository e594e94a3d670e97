/**
 * The embedded demo clinic, seeded into an empty database on first start (CFD_DEMO=1, the default):
 * the five specialties, four practitioners in four rooms, ~40 patients with a realistic day of
 * appointments around the current time, and demo patients enrolled from the group photos that ship in
 * @vladmandic/face-api (`demo/sample1..6.jpg`), each booked a few minutes from now.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DEMO_PRACTITIONERS } from '../../domain/demo-clinic.ts';
import { newId, type PatientId, type PractitionerId, type RoomId } from '../../domain/ids.ts';
import { SPECIALTY_CODES, SPECIALTY_DEFAULTS, type SpecialtyCode } from '../../domain/specialties.ts';
import { clinicDate, clinicDayBounds, clinicTime } from '../../domain/time.ts';
import { formatTicket, type VisitStatus } from '../../domain/visit.ts';
import { writeAudit } from '../db/changes.ts';
import type { ClinicDeps } from '../deps.ts';
import type { FaceEngine } from '../face/engine.ts';
import { encryptDescriptors } from '../face/crypto.ts';
import {
  insertAppointment,
  listViewsBetween,
  newBookingCode,
  type AppointmentRow,
} from '../features/appointments/repo.ts';
import { createAppointment, expectedNow } from '../features/appointments/service.ts';
import {
  addPractitionerSpecialty,
  insertPractitioner,
  insertRoom,
  insertSpecialty,
  listSpecialties,
} from '../features/catalog/repo.ts';
import { listSeedEnrolledPatients, upsertEnrolment } from '../features/face/repo.ts';
import { createPatient } from '../features/patients/repo.ts';
import { readSettings, writeSettings } from '../features/settings/repo.ts';
import { log } from '../lib/log.ts';
import { mulberry32 } from '../simulation/rng.ts';

const require = createRequire(import.meta.url);

const FIRST = [
  'Ana',
  'Beatriz',
  'Carla',
  'Diana',
  'Filipa',
  'Helena',
  'Joana',
  'Leonor',
  'Mariana',
  'Rita',
  'Sofia',
  'Teresa',
  'André',
  'Bruno',
  'Carlos',
  'Diogo',
  'Eduardo',
  'Francisco',
  'Gonçalo',
  'Hugo',
  'José',
  'Luís',
  'Miguel',
  'Nuno',
  'Pedro',
  'Tiago',
];
const LAST = [
  'Silva',
  'Santos',
  'Ferreira',
  'Pereira',
  'Oliveira',
  'Costa',
  'Rodrigues',
  'Martins',
  'Jesus',
  'Sousa',
  'Fernandes',
  'Gonçalves',
  'Gomes',
  'Lopes',
  'Marques',
  'Alves',
  'Ribeiro',
  'Pinto',
  'Carvalho',
  'Teixeira',
  'Moreira',
  'Correia',
];

/** Seeds catalog, patients and today's appointments. Runs in one transaction. */
export function seedDemoClinic(deps: ClinicDeps): void {
  const rand = mulberry32(20261121); // deterministic, so every demo day looks alike
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  deps.db.transaction(() => {
    const specialtyIds = new Map(
      SPECIALTY_CODES.map((code) => {
        const defaults = SPECIALTY_DEFAULTS[code];
        const id = insertSpecialty(deps, { code, ...defaults });
        return [code, { id, min: defaults.defaultDurationMin }] as const;
      }),
    );
    // The same rooms and practitioners (same ids) as the central API's demo clinic.
    const practitioners = DEMO_PRACTITIONERS.map((p) => {
      const roomId = insertRoom(deps, p.room, p.roomId as RoomId);
      return {
        ...p,
        roomId,
        id: insertPractitioner(
          deps,
          { fullName: p.fullName, displayName: p.displayName, defaultRoomId: roomId },
          p.id as PractitionerId,
        ),
      };
    });
    for (const p of practitioners)
      for (const code of p.codes)
        addPractitionerSpecialty(deps, p.id, specialtyIds.get(code as SpecialtyCode)!.id);
    const patients = Array.from({ length: 40 }, () => {
      const name = `${pick(FIRST)} ${pick(LAST)} ${pick(LAST)}`;
      const phone = `9${pick(['1', '2', '3', '6'])}${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`;
      return createPatient(deps, { fullName: name, phone }, 'seed').id;
    });
    const rows: Omit<AppointmentRow, 'created_at' | 'updated_at' | 'version'>[] = [];

    // Each practitioner works 08:00–19:00 (clinic time) in back-to-back slots with small gaps.
    const today = clinicDate(deps.now());
    const now = deps.now();
    let patientIndex = 0;
    for (const p of practitioners) {
      let t = clinicTime(today, 8, 0).getTime() + Math.floor(rand() * 4) * 15 * 60_000;
      const end = clinicTime(today, 19, 0).getTime();
      let inSessionTaken = false;
      while (t < end && patientIndex < patients.length * 3) {
        const code = pick(p.codes) as SpecialtyCode;
        const spec = specialtyIds.get(code)!;
        const startsAt = t;
        const endsAt = t + spec.min * 60_000;
        const patientId = patients[patientIndex++ % patients.length]!;
        // Statuses as the day would have them at this moment.
        let status: VisitStatus = 'scheduled';
        const iso = (ms: number) => new Date(ms).toISOString();
        const stamps: Record<string, string | null> = {
          arrived_at: null,
          called_at: null,
          session_started_at: null,
          ended_at: null,
        };
        if (endsAt <= now) {
          status = rand() < 0.08 ? 'no_show' : 'done';
          if (status === 'done') {
            stamps.arrived_at = iso(startsAt - 8 * 60_000);
            stamps.called_at = iso(startsAt + 2 * 60_000);
            stamps.session_started_at = iso(startsAt + 3 * 60_000);
            stamps.ended_at = iso(endsAt + 2 * 60_000);
          }
        } else if (startsAt <= now && !inSessionTaken) {
          status = 'in_session';
          inSessionTaken = true;
          stamps.arrived_at = iso(startsAt - 6 * 60_000);
          stamps.called_at = iso(startsAt);
          stamps.session_started_at = iso(startsAt + 60_000);
        } else if (startsAt <= now + 45 * 60_000 && rand() < 0.7) {
          status = 'arrived';
          stamps.arrived_at = iso(Math.min(now, startsAt) - 5 * 60_000);
        }
        rows.push({
          id: newId<'appointment'>(),
          patient_id: patientId,
          practitioner_id: p.id,
          specialty_id: spec.id,
          room_id: p.roomId,
          starts_at: iso(startsAt),
          duration_min: spec.min,
          status,
          walk_in: 0,
          booking_code: newBookingCode(deps),
          ticket: null,
          check_in_method: stamps.arrived_at ? 'desk' : null,
          arrived_at: stamps.arrived_at ?? null,
          called_at: stamps.called_at ?? null,
          session_started_at: stamps.session_started_at ?? null,
          ended_at: stamps.ended_at ?? null,
          wait_estimate_min: null,
        });
        t = endsAt + (rand() < 0.3 ? 15 * 60_000 : 0);
      }
    }
    // Tickets in arrival order, as check-in would have issued them.
    const arrivals = rows
      .filter((r) => r.arrived_at)
      .sort((a, b) => a.arrived_at!.localeCompare(b.arrived_at!));
    arrivals.forEach((r, i) => (r.ticket = formatTicket(i + 1)));
    for (const row of rows) insertAppointment(deps, row);
    writeAudit(deps, 'seed', 'demo.seed', null, null, {
      patients: patients.length,
      appointments: rows.length,
    });
  })();
  deps.events.emit('catalog');
  // The demo camera clip (data/demo-camera.mjpeg) is a photo moved about, which the liveness check
  // rightly refuses: the demo turns liveness off, and the kiosk says so on screen.
  writeSettings(deps, { livenessEnforced: false }, 'seed');
}

/** The group photos shipped by face-api; each detected face becomes one demo patient. */
export function demoPhotoPaths(): string[] {
  const dir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
  return [1, 2, 3, 4, 5, 6].map((i) => path.join(dir, `sample${i}.jpg`)).filter((f) => fs.existsSync(f));
}

const DEMO_FACE_NAMES = [
  'Alice Demo',
  'Bruno Demo',
  'Clara Demo',
  'Daniel Demo',
  'Eva Demo',
  'Fábio Demo',
  'Graça Demo',
  'Henrique Demo',
  'Isabel Demo',
  'Jorge Demo',
  'Laura Demo',
  'Manuel Demo',
  'Natália Demo',
  'Óscar Demo',
  'Paula Demo',
  'Quim Demo',
  'Raquel Demo',
  'Sérgio Demo',
  'Tânia Demo',
  'Ulisses Demo',
  'Vera Demo',
  'Xavier Demo',
];

/**
 * Enrols one demo patient per face found in the face-api sample photos (consent recorded as 'seed').
 * Idempotent: does nothing when demo faces exist. Returns how many were enrolled.
 */
export async function seedDemoFaces(
  deps: ClinicDeps & { faceKey: Buffer },
  engine: FaceEngine,
): Promise<number> {
  if (listSeedEnrolledPatients(deps).length > 0) return 0;
  let n = 0;
  for (const photo of demoPhotoPaths()) {
    const result = await engine.analyze(fs.readFileSync(photo), { detector: 'ssd', maxFaces: 10 });
    for (const face of result.faces) {
      if (face.descriptor.length === 0 || n >= DEMO_FACE_NAMES.length) continue;
      const patient = createPatient(deps, { fullName: DEMO_FACE_NAMES[n]! }, 'seed');
      upsertEnrolment(deps, {
        patientId: patient.id,
        blob: encryptDescriptors(deps.faceKey, patient.id, [face.descriptor]),
        sampleCount: 1,
        modelId: engine.info.modelId,
        consentBy: 'seed',
        consentChannel: 'seed',
      });
      n += 1;
    }
  }
  log('info', 'demo.faces', { enrolled: n });
  ensureDemoAppointments(deps);
  return n;
}

/**
 * Books every demo face patient a few minutes from now, so a newcomer can check in at the kiosk whenever
 * they start the demo, and only once: a patient is skipped when they have an appointment today (clinic
 * day, Europe/Lisbon) that is still open for check-in or ahead, or that was already checked in (arrived,
 * called, in session or done). So restarting the app books nobody twice; a demo patient whose only
 * appointments today were missed, or tomorrow's first start, gets a new one. Idempotent for a given
 * clock.
 */
export function ensureDemoAppointments(deps: ClinicDeps): void {
  const settings = readSettings(deps);
  const open = new Set<PatientId>(expectedNow(deps, settings).map((a) => a.patient_id));
  const { start, end } = clinicDayBounds(clinicDate(deps.now()));
  const closesAt = (startsAt: string) => Date.parse(startsAt) + settings.checkInAfterMin * 60_000;
  for (const a of listViewsBetween(deps, start, end)) {
    const checkedIn = a.status !== 'scheduled' && a.status !== 'cancelled' && a.status !== 'no_show';
    const stillAhead = a.status === 'scheduled' && closesAt(a.startsAt) >= deps.now();
    if (checkedIn || stillAhead) open.add(a.patient.id);
  }
  const demo = listSeedEnrolledPatients(deps);
  const evaluation = listSpecialties(deps).find((s) => s.code === 'evaluation');
  if (!evaluation) return;
  demo.forEach((patientId, i) => {
    if (open.has(patientId)) return;
    createAppointment(
      deps,
      {
        patientId,
        specialtyId: evaluation.id,
        startsAt: new Date(deps.now() + (5 + (i % 6) * 5) * 60_000).toISOString(),
        walkIn: false,
      },
      'seed',
    );
  });
}
