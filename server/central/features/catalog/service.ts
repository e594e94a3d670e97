/**
 * The catalogue and live availability of the central API: what the portal shows before a patient
 * books. Availability is computed by server/domain/availability.ts from the clinic's rows at `deps.now()`.
 */
import { AppError } from '../../../domain/errors.ts';
import { availability, firstSlot, type AvailabilityDay } from '../../../domain/availability.ts';
import type { ClinicDto, PractitionerDto, SpecialtyDto } from '../../../domain/booking.ts';
import { SPECIALTY_DEFAULTS, type SpecialtyCode } from '../../../domain/specialties.ts';
import { addDays, clinicDate, clinicDayBounds } from '../../../domain/time.ts';
import type { CentralDb, CentralTx } from '../../db/database.ts';
import type { CentralDeps } from '../../deps.ts';
import * as repo from './repo.ts';

type Q = CentralDb | CentralTx;
type ClinicRow = NonNullable<Awaited<ReturnType<typeof repo.findClinic>>>;

/** How long a catalogue snapshot is reused (ms of real time). */
export const CATALOGUE_TTL_MS = 5_000;

/**
 * What availability needs that changes rarely: the clinic row, its specialties, active practitioners
 * (with their specialty codes), opening hours and every weekly schedule block. Busy intervals are never
 * cached. A snapshot is reused for `CATALOGUE_TTL_MS` of real time per database and clinic, so a change to
 * schedules shows within 5 s on every instance; correctness never depends on it, because the exclusion
 * constraint decides every booking.
 */
export interface CatalogueSnapshot {
  clinic: ClinicRow;
  specialties: Awaited<ReturnType<typeof repo.listSpecialties>>;
  practitioners: Awaited<ReturnType<typeof repo.listPractitioners>>;
  opening: Awaited<ReturnType<typeof repo.listOpeningHours>>;
  schedules: Awaited<ReturnType<typeof repo.listSchedules>>;
}

const snapshots = new WeakMap<object, Map<string, { at: number; value: Promise<CatalogueSnapshot> }>>();

/**
 * The clinic's catalogue snapshot (cached, see `CatalogueSnapshot`).
 * @throws AppError clinic_not_found
 */
export async function catalogueOf(db: Q, clinicId: string): Promise<CatalogueSnapshot> {
  let perDb = snapshots.get(db);
  if (!perDb) {
    perDb = new Map();
    snapshots.set(db, perDb);
  }
  const hit = perDb.get(clinicId);
  if (hit && performance.now() - hit.at < CATALOGUE_TTL_MS) return hit.value;
  const value = (async () => {
    const clinic = await requireClinic(db, clinicId);
    const [specialties, practitioners, opening] = await Promise.all([
      repo.listSpecialties(db, clinicId),
      repo.listPractitioners(db, clinicId),
      repo.listOpeningHours(db, clinicId),
    ]);
    const schedules = await repo.listSchedules(
      db,
      clinicId,
      practitioners.map((p) => p.id),
    );
    return { clinic, specialties, practitioners, opening, schedules };
  })();
  perDb.set(clinicId, { at: performance.now(), value });
  value.catch(() => perDb.delete(clinicId));
  return value;
}

/** Drops a clinic's cached catalogue (after changing its catalogue rows in this process). */
export function invalidateCatalogue(db: Q, clinicId: string): void {
  snapshots.get(db)?.delete(clinicId);
}

/** Days ahead scanned for a practitioner's next free start. */
const NEXT_FREE_SCAN_DAYS = 14;

/** @throws AppError clinic_not_found */
export async function requireClinic(db: Q, clinicId: string): Promise<ClinicRow> {
  const clinic = await repo.findClinic(db, clinicId);
  if (!clinic) throw new AppError('clinic_not_found', `no clinic ${clinicId}`);
  return clinic;
}

/** A clinic row as the portal sees it. */
export function toClinicDto(c: ClinicRow): ClinicDto {
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    address: c.address,
    timeZone: c.timeZone,
    paymentMode: c.paymentMode,
    cancelNoticeHours: c.cancelNoticeHours,
  };
}

/** Every clinic. */
export async function clinicsList(deps: CentralDeps): Promise<ClinicDto[]> {
  return (await repo.listClinics(deps.db)).map(toClinicDto);
}

/** @throws AppError clinic_not_found */
export async function specialtiesOf(deps: CentralDeps, clinicId: string): Promise<SpecialtyDto[]> {
  return (await catalogueOf(deps.db, clinicId)).specialties.map((s) => {
    const names = SPECIALTY_DEFAULTS[s.code as SpecialtyCode];
    return {
      code: s.code as SpecialtyCode,
      namePt: names.namePt,
      nameEn: names.nameEn,
      durationMin: s.durationMin,
      priceCents: s.priceCents,
    };
  });
}

/**
 * Availability of a clinic for `specialty` over `days` local days from `from`, for one practitioner or
 * every active practitioner who does that specialty.
 * @throws AppError clinic_not_found, specialty_not_found, practitioner_not_found
 */
export async function availabilityOf(
  deps: CentralDeps,
  q: { clinicId: string; specialty: SpecialtyCode; practitionerId?: string; from: string; days: number },
  db: Q = deps.db,
): Promise<{ timeZone: string; specialty: SpecialtyCode; durationMin: number; days: AvailabilityDay[] }> {
  return (await availabilityWithRows(deps, q, db)).result;
}

/** `availabilityOf`, also giving the clinic and specialty rows it read (so callers need not read them again). */
export async function availabilityWithRows(
  deps: CentralDeps,
  q: { clinicId: string; specialty: SpecialtyCode; practitionerId?: string; from: string; days: number },
  db: Q = deps.db,
) {
  const catalogue = await catalogueOf(db, q.clinicId);
  const clinic = catalogue.clinic;
  const specialty = catalogue.specialties.find((s) => s.code === q.specialty);
  if (!specialty) throw new AppError('specialty_not_found', `clinic does not offer ${q.specialty}`);
  let candidates = catalogue.practitioners.filter((p) => p.specialties.includes(q.specialty));
  if (q.practitionerId) {
    candidates = candidates.filter((p) => p.id === q.practitionerId);
    if (candidates.length === 0) {
      throw new AppError(
        'practitioner_not_found',
        `no practitioner ${q.practitionerId} for ${q.specialty} here`,
      );
    }
  }
  const days = await computeDays(
    db,
    deps.now(),
    catalogue,
    specialty.durationMin,
    candidates.map((p) => p.id),
    q.from,
    q.days,
  );
  return {
    result: { timeZone: clinic.timeZone, specialty: q.specialty, durationMin: specialty.durationMin, days },
    clinic,
    specialty,
    names: new Map(candidates.map((p) => [p.id, p.displayName])),
  };
}

/** Loads the rows for some practitioners and runs the domain's availability. */
async function computeDays(
  db: Q,
  nowMs: number,
  catalogue: CatalogueSnapshot,
  durationMin: number,
  practitionerIds: string[],
  from: string,
  days: number,
): Promise<AvailabilityDay[]> {
  const start = clinicDayBounds(from).start;
  const end = clinicDayBounds(addDays(from, days)).start;
  const { clinic, opening, schedules: schedule } = catalogue;
  // The buffer of an earlier appointment can reach into the range: widen by a day.
  const busy = await repo.listBusy(
    db,
    clinic.id,
    practitionerIds,
    new Date(start.getTime() - 86_400_000),
    end,
    new Date(nowMs),
  );
  return availability({
    from,
    days,
    durationMin,
    bufferMin: clinic.bufferMin,
    stepMin: clinic.slotStepMin,
    earliestMs: nowMs + clinic.minNoticeMin * 60_000,
    latestMs: nowMs + clinic.horizonDays * 86_400_000,
    openingHours: opening.map((o) => ({ weekday: o.weekday, startMin: o.opensMin, endMin: o.closesMin })),
    practitioners: practitionerIds.map((id) => ({
      id,
      schedule: schedule
        .filter((s) => s.practitionerId === id)
        .map((s) => ({ weekday: s.weekday, startMin: s.startMin, endMin: s.endMin })),
      busy: busy.filter((b) => b.practitionerId === id),
    })),
  });
}

/**
 * Practitioners of a clinic (optionally only those doing `specialty` or speaking `language`), each with
 * the next start free within 14 days for that specialty (or, without one, for their shortest session).
 * @throws AppError clinic_not_found
 */
export async function practitionersOf(
  deps: CentralDeps,
  clinicId: string,
  filter: { specialty?: SpecialtyCode; language?: string },
): Promise<PractitionerDto[]> {
  const catalogue = await catalogueOf(deps.db, clinicId);
  const specialties = catalogue.specialties;
  const list = catalogue.practitioners.filter(
    (p) =>
      (!filter.specialty || p.specialties.includes(filter.specialty)) &&
      (!filter.language || p.languages.includes(filter.language)),
  );
  const today = clinicDate(deps.now());
  const out: PractitionerDto[] = [];
  for (const p of list) {
    const durations = specialties
      .filter((s) => (filter.specialty ? s.code === filter.specialty : p.specialties.includes(s.code)))
      .map((s) => s.durationMin);
    const duration = durations.length > 0 ? Math.min(...durations) : null;
    const next =
      duration === null
        ? null
        : firstSlot(
            await computeDays(deps.db, deps.now(), catalogue, duration, [p.id], today, NEXT_FREE_SCAN_DAYS),
          );
    out.push({
      id: p.id,
      displayName: p.displayName,
      bioPt: p.bioPt,
      bioEn: p.bioEn,
      languages: p.languages,
      specialties: p.specialties as SpecialtyCode[],
      photoUrl: `/api/practitioners/${p.id}/photo.svg`,
      nextFreeAt: next?.startsAt ?? null,
    });
  }
  return out;
}

/**
 * The practitioner's photo as SVG: the stored avatar, else initials on a colour derived from the id.
 * @throws AppError practitioner_not_found
 */
export async function practitionerPhoto(deps: CentralDeps, practitionerId: string): Promise<string> {
  const p = await repo.findPractitioner(deps.db, practitionerId);
  if (!p) throw new AppError('practitioner_not_found', `no practitioner ${practitionerId}`);
  return p.photoSvg ?? avatarSvg(p.name, p.id);
}

/**
 * A generated avatar (no photo is ever fetched at run time): the initials in white on a disc whose hue
 * comes from the id (lightness 28 %, so the white initials keep a contrast above 4.5:1 on any hue). 160×160,
 * `role="img"` with the name as its label.
 */
export function avatarSvg(name: string, seed: string): string {
  const initials = name
    .split(/\s+/)
    .filter((w) => /^\p{Lu}/u.test(w) && !w.includes('.')) // skip titles such as "Dr.ª"
    .map((w) => w[0])
    .slice(0, 2)
    .join('');
  // FNV-1a over the seed, so ids that differ in one character still get distant hues.
  let hash = 0x811c9dc5;
  for (const ch of seed) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const h = hash % 360;
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 160" width="160" height="160" role="img" aria-label="${esc(name)}">` +
    `<rect width="160" height="160" rx="80" fill="hsl(${h} 50% 28%)"/>` +
    `<text x="80" y="98" text-anchor="middle" font-family="system-ui,sans-serif" font-size="56" font-weight="700" fill="#fff">${esc(initials)}</text>` +
    `</svg>`
  );
}
