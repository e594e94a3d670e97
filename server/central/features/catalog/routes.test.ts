/**
 * Catalogue routes on each driver: clinics, specialties (exact durations and prices), practitioners with
 * filters and next free start, photos, and availability with the demo clinic's schedules, including the
 * weeks either side of a DST change (Europe/Lisbon).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedules } from '../../db/schema.ts';
import { invalidateCatalogue } from './service.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, seedClinic } from '../../testing/fixtures.ts';

const [MARTA, JOAO, INES] = DEMO_PRACTITIONERS as [
  (typeof DEMO_PRACTITIONERS)[0],
  (typeof DEMO_PRACTITIONERS)[0],
  (typeof DEMO_PRACTITIONERS)[0],
];
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeDrivers('catalogue routes', (driver) => {
  let t: TestCentral;
  const get = async (path: string) => {
    const res = await t.app.request(path);
    return { status: res.status, body: (await res.json()) as Json };
  };
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-23T09:00:00Z' }); // a Monday, UTC+0
    await seedClinic(t);
  });
  afterAll(async () => t.close());

  it('lists the clinic and its five specialties with durations (min) and prices (cents)', async () => {
    const clinics = await get('/api/clinics');
    expect(clinics.body.clinics).toEqual([
      {
        id: DEMO_CLINIC.id,
        slug: 'fisio-demo',
        name: 'Clínica Fisio Demo',
        address: DEMO_CLINIC.address,
        timeZone: 'Europe/Lisbon',
        paymentMode: 'pay_at_clinic',
        cancelNoticeHours: 24,
      },
    ]);
    const sp = await get(`/api/clinics/${DEMO_CLINIC.id}/specialties`);
    expect(sp.body.specialties.map((s: Json) => [s.code, s.durationMin, s.priceCents])).toEqual([
      ['evaluation', 30, 3500],
      ['massage', 45, 4000],
      ['msk_physio', 45, 4500],
      ['shock_waves', 20, 3000],
      ['therapeutic_massage', 60, 5000],
    ]);
  });

  it('filters practitioners by specialty and language and gives the next free start after the notice', async () => {
    const shock = await get(`/api/clinics/${DEMO_CLINIC.id}/practitioners?specialty=shock_waves`);
    expect(shock.body.practitioners.map((p: Json) => p.id)).toEqual([JOAO.id]);
    // 09:00 now + 60 min minimum notice → 10:00 today.
    expect(shock.body.practitioners[0].nextFreeAt).toBe('2026-11-23T10:00:00.000Z');
    expect(shock.body.practitioners[0].photoUrl).toBe(`/api/practitioners/${JOAO.id}/photo.svg`);
    const fr = await get(`/api/clinics/${DEMO_CLINIC.id}/practitioners?language=fr`);
    expect(fr.body.practitioners.map((p: Json) => p.id)).toEqual([INES.id]);
    const all = await get(`/api/clinics/${DEMO_CLINIC.id}/practitioners`);
    expect(all.body.practitioners).toHaveLength(4);
    const photo = await t.app.request(`/api/practitioners/${MARTA.id}/photo.svg`);
    expect(photo.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(await photo.text()).toContain('aria-label="Marta Lopes"');
  });

  it('answers unknown clinics and malformed ids with their codes', async () => {
    expect((await get('/api/clinics/0d3b0c1a-1c5e-4d6f-9a51-00000000ffff/specialties')).body.error.code).toBe(
      'clinic_not_found',
    );
    const bad = await get('/api/clinics/not-a-uuid/specialties');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const days = await get(
      `/api/clinics/${DEMO_CLINIC.id}/availability?specialty=massage&from=2026-11-24&days=29`,
    );
    expect(days.status).toBe(400);
    const nobody = await get(
      `/api/clinics/${DEMO_CLINIC.id}/availability?specialty=shock_waves&from=2026-11-24&practitionerId=${MARTA.id}`,
    );
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.code).toBe('practitioner_not_found');
  });

  it('offers 45-minute starts every 15 minutes inside both schedule blocks, Saturday mornings, no Sundays', async () => {
    const res = await get(
      `/api/clinics/${DEMO_CLINIC.id}/availability?specialty=msk_physio&from=2026-11-24&days=6`,
    );
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe('Europe/Lisbon');
    expect(res.body.durationMin).toBe(45);
    const [tue, , , , sat, sun] = res.body.days as Json[];
    // 09:00–12:15 (14 starts) and 14:00–18:15 (18 starts), both practitioners free.
    expect(tue!.slots).toHaveLength(32);
    expect(tue!.slots[0]).toEqual({
      startsAt: '2026-11-24T09:00:00.000Z',
      endsAt: '2026-11-24T09:45:00.000Z',
      practitionerIds: [JOAO.id, MARTA.id], // by display name
    });
    expect(tue!.slots.at(-1).startsAt).toBe('2026-11-24T18:15:00.000Z');
    expect(sat!.date).toBe('2026-11-28');
    expect(sat!.slots).toHaveLength(14);
    expect(new Set(sat!.slots.flatMap((s: Json) => s.practitionerIds))).toEqual(new Set([MARTA.id]));
    expect(sun!.slots).toEqual([]);
  });

  it('maps 09:00 Lisbon to 08:00Z in summer time and 09:00Z after the clocks go back (25 October 2026)', async () => {
    t.clock.set('2026-10-20T08:00:00Z');
    try {
      const res = await get(
        `/api/clinics/${DEMO_CLINIC.id}/availability?specialty=shock_waves&from=2026-10-23&days=4`,
      );
      const firsts = (res.body.days as Json[]).map((d) => [d.date, d.slots[0]?.startsAt ?? null]);
      expect(firsts).toEqual([
        ['2026-10-23', '2026-10-23T08:00:00.000Z'],
        ['2026-10-24', null], // João does not work on Saturdays
        ['2026-10-25', null],
        ['2026-10-26', '2026-10-26T09:00:00.000Z'],
      ]);
    } finally {
      t.clock.set('2026-11-23T09:00:00Z');
    }
  });

  // Last: it removes João's schedule.
  it('reuses the catalogue snapshot for 5 s (busy times stay live) and reloads it when invalidated', async () => {
    const url = `/api/clinics/${DEMO_CLINIC.id}/availability?specialty=shock_waves&from=2026-11-24&days=1`;
    expect((await get(url)).body.days[0].slots).toHaveLength(34);
    await t.deps.db.delete(schedules).where(eq(schedules.practitionerId, JOAO.id));
    expect((await get(url)).body.days[0].slots).toHaveLength(34); // the cached snapshot
    invalidateCatalogue(t.deps.db, DEMO_CLINIC.id);
    expect((await get(url)).body.days[0].slots).toEqual([]);
  });
});

describe('catalogue photo fallback', () => {
  it('draws initials when a practitioner has no stored photo', async () => {
    const { avatarSvg } = await import('./../catalog/service.ts');
    const svg = avatarSvg('Dr.ª Marta Lopes', 'x');
    expect(svg).toContain('>ML</text>');
  });
});
