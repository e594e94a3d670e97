/**
 * The central benchmark's data: the bench clinic (catalogue rows, confirmed appointments, time off),
 * logged-in patients in bulk, and the free (practitioner, start) pairs the booking measures hold.
 *
 * Bookings: every practitioner's schedule block is cut into back-to-back 45-minute tiles from its start
 * (09:00, 09:45 … 12:00; 14:00, 14:45 … 17:45; so 5 + 6 tiles a weekday and 5 on Saturday), and each tile
 * outside time off is booked with probability `bookedShare` (seeded draw). Booked rows never overlap per
 * practitioner by construction. Time off: in each block of four weeks every practitioner has one full
 * day off (a different working day each) and one practitioner (in turn) the third week off.
 * Generation is pure and deterministic (`buildBenchClinic`); `insertBenchClinic` writes it.
 */
import { v7 as uuidv7 } from 'uuid';
import { BOOKING_CODE_ALPHABET } from '../../server/domain/booking.ts';
import type { AvailabilityDay, AvailabilityInput } from '../../server/domain/availability.ts';
import type { SpecialtyCode } from '../../server/domain/specialties.ts';
import { addDays, clinicDayBounds, clinicTime } from '../../server/domain/time.ts';
import type { CentralConfig } from '../../server/central/deps.ts';
import type { CentralDb } from '../../server/central/db/database.ts';
import { accounts, appointments, sessions, timeOff } from '../../server/central/db/schema.ts';
import { insertClinicCatalogue } from '../../server/central/features/catalog/repo.ts';
import { signAccessToken } from '../../server/central/http/auth.ts';

/** The bench clinic's shape (CLINIC_SHAPE in central-config.ts, or a smaller one in tests). */
export interface ClinicShape {
  practitioners: number;
  specialty: SpecialtyCode;
  /** Session length, price (integer cents), start grid, buffer and minimum notice, minutes. */
  durationMin: number;
  priceCents: number;
  stepMin: number;
  bufferMin: number;
  minNoticeMin: number;
  /** Every practitioner's weekly blocks and the clinic's opening hours (ISO weekday, minutes). */
  blocks: readonly { weekday: number; startMin: number; endMin: number }[];
  weeks: number;
  bookedShare: number;
  seed: number;
}

/** Fixed ids (valid RFC 9562 version-4 UUIDs): the clinic and practitioner `i` (0-based). */
export const BENCH_CLINIC_ID = '0b5e0c1a-0000-4000-8000-00000000c100';
/** Practitioner `i`'s id. */
export function benchPractitionerId(i: number): string {
  return `0b5e0c1a-0000-4000-8000-${(0xc200 + i).toString(16).padStart(12, '0')}`;
}

/** Mulberry32: a seeded generator of floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place with `random`; returns the array. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The next Monday strictly after the calendar date `today` ('YYYY-MM-DD'). */
export function nextMonday(today: string): string {
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(today, ((8 - weekday) % 7) + (weekday === 1 ? 7 : 0));
}

/** A booking code from a counter (6 characters of the alphabet, base 31): unique per counter value. */
export function counterCode(n: number): string {
  const base = BOOKING_CODE_ALPHABET.length;
  let code = '';
  for (let i = 0; i < 6; i++) {
    code = BOOKING_CODE_ALPHABET[n % base] + code;
    n = Math.floor(n / base);
  }
  return code;
}

/** What `buildBenchClinic` made, and counts for the report. */
export interface BenchClinic {
  catalogue: Parameters<typeof insertClinicCatalogue>[1];
  appointments: (typeof appointments.$inferInsert)[];
  timeOff: (typeof timeOff.$inferInsert)[];
  stats: {
    firstDate: string;
    weeks: number;
    practitioners: number;
    /** 45-minute tiles of all schedules over the weeks; those inside time off; those booked. */
    tiles: number;
    tilesInTimeOff: number;
    booked: number;
    /** booked / (tiles − tilesInTimeOff), 3 decimals. */
    bookedShareOfWorkingTiles: number;
    timeOffRows: number;
  };
}

/**
 * The bench clinic from `firstDate` (a Monday) for `shape.weeks` weeks: catalogue (clinic, one specialty,
 * practitioners, opening hours = the blocks, schedules), confirmed appointments and time off.
 * @param nowMs creation stamps of the rows
 */
export function buildBenchClinic(shape: ClinicShape, firstDate: string, nowMs: number): BenchClinic {
  const now = new Date(nowMs);
  const random = mulberry32(shape.seed);
  const ids = Array.from({ length: shape.practitioners }, (_, i) => benchPractitionerId(i));
  const catalogue: BenchClinic['catalogue'] = {
    clinic: {
      id: BENCH_CLINIC_ID,
      slug: 'bench-clinic',
      name: 'Clínica de Benchmark',
      timeZone: 'Europe/Lisbon',
      address: 'Rua do Benchmark 1, 1100-000 Lisboa',
      phone: '+351 210 000 000',
      email: 'bench@example.pt',
      nif: null,
      paymentMode: 'pay_at_clinic',
      cancelNoticeHours: 24,
      bufferMin: shape.bufferMin,
      slotStepMin: shape.stepMin,
      minNoticeMin: shape.minNoticeMin,
      // From today: up to a week to the first Monday, the loaded weeks, and a week to spare.
      horizonDays: shape.weeks * 7 + 14,
      vatRateBp: 0,
      vatExemption: 'Isento nos termos do art. 9.º do CIVA',
      createdAt: now,
    },
    specialties: [
      {
        clinicId: BENCH_CLINIC_ID,
        code: shape.specialty,
        durationMin: shape.durationMin,
        priceCents: shape.priceCents,
      },
    ],
    rooms: [],
    practitioners: ids.map((id, i) => ({
      id,
      clinicId: BENCH_CLINIC_ID,
      name: `Fisioterapeuta ${String(i + 1).padStart(2, '0')}`,
      displayName: `Dr.ª Fisioterapeuta ${String(i + 1).padStart(2, '0')}`,
      bioPt: 'Fisioterapeuta (dados de benchmark).',
      bioEn: 'Physiotherapist (benchmark data).',
      languages: ['pt', 'en'],
      photoSvg: null,
      active: true,
    })),
    practitionerSpecialties: ids.map((id) => ({
      clinicId: BENCH_CLINIC_ID,
      practitionerId: id,
      code: shape.specialty,
    })),
    openingHours: shape.blocks.map((b) => ({
      clinicId: BENCH_CLINIC_ID,
      weekday: b.weekday,
      opensMin: b.startMin,
      closesMin: b.endMin,
    })),
    schedules: ids.flatMap((id) =>
      shape.blocks.map((b) => ({
        id: uuidv7(),
        clinicId: BENCH_CLINIC_ID,
        practitionerId: id,
        weekday: b.weekday,
        startMin: b.startMin,
        endMin: b.endMin,
        roomId: null,
      })),
    ),
  };

  // Time off: per 4-week block, a full day per practitioner and a full week for one of them.
  const workingDays = (block: number) =>
    Array.from({ length: 28 }, (_, d) => addDays(firstDate, block * 28 + d)).filter(
      (date) => new Date(`${date}T00:00:00Z`).getUTCDay() !== 0 && date < addDays(firstDate, shape.weeks * 7),
    );
  const off: BenchClinic['timeOff'] = [];
  for (let block = 0; block * 4 < shape.weeks; block++) {
    const days = workingDays(block);
    ids.forEach((id, p) => {
      const date = days[(p * 7 + block * 3) % days.length];
      if (!date) return;
      off.push({
        id: uuidv7(),
        clinicId: BENCH_CLINIC_ID,
        practitionerId: id,
        startsAt: clinicDayBounds(date).start,
        endsAt: clinicDayBounds(date).end,
        reason: 'folga',
      });
    });
    const weekStart = addDays(firstDate, block * 28 + 14);
    if (weekStart < addDays(firstDate, shape.weeks * 7)) {
      off.push({
        id: uuidv7(),
        clinicId: BENCH_CLINIC_ID,
        practitionerId: ids[block % ids.length]!,
        startsAt: clinicDayBounds(weekStart).start,
        endsAt: clinicDayBounds(addDays(weekStart, 7)).start,
        reason: 'férias',
      });
    }
  }
  const offByPractitioner = new Map<string, { start: number; end: number }[]>();
  for (const o of off) {
    const list = offByPractitioner.get(o.practitionerId) ?? [];
    list.push({ start: o.startsAt.getTime(), end: o.endsAt.getTime() });
    offByPractitioner.set(o.practitionerId, list);
  }

  const rows: BenchClinic['appointments'] = [];
  let tiles = 0;
  let tilesInTimeOff = 0;
  for (let d = 0; d < shape.weeks * 7; d++) {
    const date = addDays(firstDate, d);
    const utcDay = new Date(`${date}T00:00:00Z`).getUTCDay();
    const weekday = utcDay === 0 ? 7 : utcDay;
    for (const id of ids) {
      for (const block of shape.blocks.filter((b) => b.weekday === weekday)) {
        for (let m = block.startMin; m + shape.durationMin <= block.endMin; m += shape.durationMin) {
          tiles++;
          const start = clinicTime(date, Math.floor(m / 60), m % 60);
          const end = new Date(start.getTime() + shape.durationMin * 60_000);
          const inOff = (offByPractitioner.get(id) ?? []).some(
            (o) => o.start < end.getTime() && start.getTime() < o.end,
          );
          // Draw for every tile so that the time off does not shift the other tiles' draws.
          const booked = random() < shape.bookedShare;
          if (inOff) {
            tilesInTimeOff++;
            continue;
          }
          if (!booked) continue;
          rows.push({
            id: uuidv7(),
            clinicId: BENCH_CLINIC_ID,
            practitionerId: id,
            accountId: null,
            specialty: shape.specialty,
            startsAt: start,
            endsAt: end,
            blockedUntil: new Date(end.getTime() + shape.bufferMin * 60_000),
            status: 'confirmed',
            holdExpiresAt: null,
            bookingCode: counterCode(rows.length + 1),
            priceCents: shape.priceCents,
            paymentMode: 'pay_at_clinic',
            createdAt: now,
            updatedAt: now,
            version: 1,
          });
        }
      }
    }
  }
  return {
    catalogue,
    appointments: rows,
    timeOff: off,
    stats: {
      firstDate,
      weeks: shape.weeks,
      practitioners: shape.practitioners,
      tiles,
      tilesInTimeOff,
      booked: rows.length,
      bookedShareOfWorkingTiles: Math.round((rows.length / (tiles - tilesInTimeOff)) * 1000) / 1000,
      timeOffRows: off.length,
    },
  };
}

/** Inserts `rows` in chunks of `size` (one INSERT each; keeps the bind parameters under 65,535). */
async function insertChunks<T>(rows: readonly T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Writes the bench clinic in one transaction (catalogue, time off, appointments). */
export async function insertBenchClinic(db: CentralDb, clinic: BenchClinic): Promise<void> {
  await db.transaction(async (tx) => {
    await insertClinicCatalogue(tx, clinic.catalogue);
    await insertChunks(clinic.timeOff, 500, (chunk) => tx.insert(timeOff).values(chunk));
    await insertChunks(clinic.appointments, 500, (chunk) => tx.insert(appointments).values(chunk));
  });
}

/** A logged-in patient: the value of the access cookie (`__Host-cfd_access`). */
export interface BenchPatient {
  accountId: string;
  accessToken: string;
}

/**
 * `n` verified patients with an open session each, inserted in bulk (as `manyPatients` in
 * server/central/testing/fixtures.ts does), with an access JWT signed at `nowMs`.
 */
export async function insertPatients(
  db: CentralDb,
  config: CentralConfig,
  n: number,
  nowMs: number,
  label: string,
): Promise<BenchPatient[]> {
  const now = new Date(nowMs);
  const ids = Array.from({ length: n }, () => uuidv7());
  const sessionIds = ids.map(() => uuidv7());
  await insertChunks(
    ids.map((id, i) => ({
      id,
      email: `${label}-${i}-${id}@example.com`,
      emailVerifiedAt: now,
      name: `Utente ${label} ${i}`,
      locale: 'pt' as const,
      createdAt: now,
      updatedAt: now,
    })),
    1000,
    (chunk) => db.insert(accounts).values(chunk),
  );
  await insertChunks(
    ids.map((accountId, i) => ({
      id: sessionIds[i]!,
      accountId,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(nowMs + 3_600_000),
      userAgent: 'bench',
    })),
    1000,
    (chunk) => db.insert(sessions).values(chunk),
  );
  return Promise.all(
    ids.map(async (accountId, i) => ({
      accountId,
      accessToken: await signAccessToken(config, accountId, sessionIds[i]!, nowMs),
    })),
  );
}

/**
 * The input the central API's availability gives `availability()` (server/domain/availability.ts) for
 * the bench clinic, every practitioner, `days` days from `from` at `nowMs`: the same rules, the clinic's
 * appointments and time off as busy intervals (all of them, `withBusy` false: none, an empty calendar).
 */
export function availabilityInput(
  clinic: BenchClinic,
  shape: Pick<ClinicShape, 'durationMin' | 'bufferMin' | 'stepMin' | 'minNoticeMin' | 'blocks'>,
  from: string,
  days: number,
  nowMs: number,
  withBusy: boolean,
): AvailabilityInput {
  const busy = (id: string) =>
    withBusy
      ? [
          ...clinic.appointments
            .filter((a) => a.practitionerId === id)
            .map((a) => ({ start: a.startsAt.getTime(), end: a.blockedUntil.getTime() })),
          ...clinic.timeOff
            .filter((o) => o.practitionerId === id)
            .map((o) => ({ start: o.startsAt.getTime(), end: o.endsAt.getTime() })),
        ]
      : [];
  return {
    from,
    days,
    durationMin: shape.durationMin,
    bufferMin: shape.bufferMin,
    stepMin: shape.stepMin,
    earliestMs: nowMs + shape.minNoticeMin * 60_000,
    latestMs: nowMs + clinic.catalogue.clinic.horizonDays * 86_400_000,
    openingHours: [...shape.blocks],
    practitioners: clinic.catalogue.practitioners.map((p) => ({
      id: p.id,
      schedule: [...shape.blocks],
      busy: busy(p.id),
    })),
  };
}

/** A bookable (practitioner, start) pair. */
export interface FreePair {
  practitionerId: string;
  startsAt: string;
}

/**
 * Free pairs of an availability answer that can all be held at once: per practitioner, the free starts
 * in time order, each taken when it begins at or after the end (+ buffer) of the last one taken (greedy
 * by earliest start: the most non-overlapping sessions). Returned in practitioner then time order.
 */
export function nonOverlappingPairs(days: readonly AvailabilityDay[], blockedMin: number): FreePair[] {
  const starts = new Map<string, number[]>();
  for (const day of days) {
    for (const slot of day.slots) {
      const t = Date.parse(slot.startsAt);
      for (const id of slot.practitionerIds) {
        const list = starts.get(id) ?? [];
        list.push(t);
        starts.set(id, list);
      }
    }
  }
  const out: FreePair[] = [];
  for (const [practitionerId, list] of starts) {
    let freeFrom = -Infinity;
    for (const t of [...new Set(list)].sort((a, b) => a - b)) {
      if (t < freeFrom) continue;
      out.push({ practitionerId, startsAt: new Date(t).toISOString() });
      freeFrom = t + blockedMin * 60_000;
    }
  }
  return out;
}

/** (practitioner, start) pairs offered by an answer, counting a start once per free practitioner. */
export function offeredPairs(days: readonly AvailabilityDay[]): number {
  return days.reduce((n, d) => n + d.slots.reduce((m, s) => m + s.practitionerIds.length, 0), 0);
}
