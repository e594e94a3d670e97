/**
 * The central API's demo data, seeded into an empty database on first start (CENTRAL_DEMO=1, the
 * default): the demo clinic of server/domain/demo-clinic.ts (same ids as the clinic server's seed) with
 * the five specialties, four practitioners with avatars, bios, languages and weekly schedules, opening
 * hours, and a verified demo patient (whose login `npm start` prints) with one appointment on the next
 * weekday at 10:00.
 */
import { hash } from '@node-rs/argon2';
import { v7 as uuidv7 } from 'uuid';
import {
  DEMO_CLINIC,
  DEMO_OPENING_HOURS,
  DEMO_PATIENT,
  DEMO_PRACTITIONERS,
  DEMO_ROOMS,
} from '../../domain/demo-clinic.ts';
import { SPECIALTY_CODES, SPECIALTY_DEFAULTS } from '../../domain/specialties.ts';
import { isoWeekday } from '../../domain/availability.ts';
import { addDays, clinicDate, clinicTime } from '../../domain/time.ts';
import { eq } from 'drizzle-orm';
import { recordChange } from '../db/changes.ts';
import { accounts, clinics } from '../db/schema.ts';
import { insertHold } from '../features/booking/repo.ts';
import { changePayload } from '../features/booking/service.ts';
import { createOrder } from '../features/payments/orders.ts';
import { scheduleReminders } from '../features/reminders/service.ts';
import type { CentralDeps } from '../deps.ts';
import { insertClinicCatalogue, isEmpty } from '../features/catalog/repo.ts';
import { avatarSvg } from '../features/catalog/service.ts';

/** Seeds the demo clinic (and, unless `patient: false`, the demo patient); no-op when a clinic exists. */
export async function seedDemo(
  deps: Pick<CentralDeps, 'db' | 'now' | 'config'>,
  opts: { patient?: boolean; paymentMode?: 'pay_online' | 'pay_at_clinic' } = {},
): Promise<boolean> {
  if (!(await isEmpty(deps.db))) return false;
  const now = new Date(deps.now());
  const passwordHash = opts.patient === false ? null : await hash(DEMO_PATIENT.password, deps.config.argon2);
  await deps.db.transaction(async (tx) => {
    await insertClinicCatalogue(tx, {
      clinic: {
        ...DEMO_CLINIC,
        legalName: 'Clínica Fisio Demo, Lda.',
        timeZone: 'Europe/Lisbon',
        paymentMode: opts.paymentMode ?? 'pay_at_clinic',
        cancelNoticeHours: 24,
        bufferMin: 0,
        slotStepMin: 15,
        minNoticeMin: 60,
        horizonDays: 60,
        vatRateBp: 0,
        vatExemption: 'Isento nos termos do art. 9.º do CIVA',
        createdAt: now,
      },
      specialties: SPECIALTY_CODES.map((code) => ({
        clinicId: DEMO_CLINIC.id,
        code,
        durationMin: SPECIALTY_DEFAULTS[code].defaultDurationMin,
        priceCents: SPECIALTY_DEFAULTS[code].priceCents,
      })),
      rooms: DEMO_ROOMS.map((r) => ({ ...r, clinicId: DEMO_CLINIC.id })),
      practitioners: DEMO_PRACTITIONERS.map((p) => ({
        id: p.id,
        clinicId: DEMO_CLINIC.id,
        name: p.fullName,
        displayName: p.displayName,
        bioPt: p.bioPt,
        bioEn: p.bioEn,
        languages: p.languages,
        photoSvg: avatarSvg(p.fullName, p.id),
        active: true,
      })),
      practitionerSpecialties: DEMO_PRACTITIONERS.flatMap((p) =>
        p.codes.map((code) => ({ clinicId: DEMO_CLINIC.id, practitionerId: p.id, code })),
      ),
      openingHours: DEMO_OPENING_HOURS.map((o) => ({
        clinicId: DEMO_CLINIC.id,
        weekday: o.weekday,
        opensMin: o.startMin,
        closesMin: o.endMin,
      })),
      schedules: DEMO_PRACTITIONERS.flatMap((p) =>
        p.schedule.map((s) => ({
          id: uuidv7(),
          clinicId: DEMO_CLINIC.id,
          practitionerId: p.id,
          weekday: s.weekday,
          startMin: s.startMin,
          endMin: s.endMin,
          roomId: p.roomId,
        })),
      ),
    });
    if (passwordHash) {
      const accountId = uuidv7();
      await tx.insert(accounts).values({
        id: accountId,
        email: DEMO_PATIENT.email,
        emailVerifiedAt: now,
        name: DEMO_PATIENT.name,
        phone: `+351${DEMO_PATIENT.phone}`,
        passwordHash,
        locale: 'pt',
        createdAt: now,
        updatedAt: now,
      });
      // One upcoming appointment, so "my appointments" has something to show: the next weekday at 10:00.
      let day = addDays(clinicDate(now), 1);
      while (isoWeekday(day) > 5) day = addDays(day, 1);
      const starts = clinicTime(day, 10, 0);
      const minutes = SPECIALTY_DEFAULTS.evaluation.defaultDurationMin;
      const ends = new Date(starts.getTime() + minutes * 60_000);
      const marta = DEMO_PRACTITIONERS[0]!;
      const appointment = await insertHold(tx, {
        id: uuidv7(),
        clinicId: DEMO_CLINIC.id,
        practitionerId: marta.id,
        accountId,
        specialty: 'evaluation',
        startsAt: starts,
        endsAt: ends,
        blockedUntil: ends,
        status: 'confirmed',
        holdExpiresAt: null,
        priceCents: SPECIALTY_DEFAULTS.evaluation.priceCents,
        paymentMode: opts.paymentMode ?? 'pay_at_clinic',
        createdAt: now,
        updatedAt: now,
      });
      const [clinic] = await tx.select().from(clinics).where(eq(clinics.id, DEMO_CLINIC.id));
      await createOrder(tx, deps, { clinic: clinic!, appointment, accountId });
      await scheduleReminders(tx, deps, appointment);
      await recordChange(tx, now.getTime(), {
        clinicId: DEMO_CLINIC.id,
        entity: 'appointment',
        entityId: appointment.id,
        op: 'insert',
        version: appointment.version,
        accountId,
        // The booking service's payload, so the clinic's pull shows it at the desk (a partial one was
        // skipped there as an incomplete booking).
        payload: changePayload(appointment),
      });
    }
  });
  return true;
}
