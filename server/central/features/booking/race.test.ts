/**
 * The double-booking race (booking.md): 1,000 patients try to hold the same practitioner's slot at the
 * same moment, over the real route, on each driver. Exactly one gets it; 999 get a clean 409
 * `slot_unavailable` (never a 500, never a deadlock error); the database holds one live row there.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, manyPatients, seedClinic } from '../../testing/fixtures.ts';
import { v7 as uuidv7 } from 'uuid';
import { countLiveAt, insertHold } from './repo.ts';
import { sqlState } from '../../db/sql-state.ts';

const ATTEMPTS = 1000;
const MARTA = DEMO_PRACTITIONERS[0]!;
const SLOT = '2026-11-24T10:00:00.000Z';

describeDrivers('1,000 concurrent attempts at one slot', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-23T09:00:00Z' });
    await seedClinic(t);
  });
  afterAll(async () => t.close());

  it('gives exactly one appointment and 999 clear 409s', async () => {
    const patients = await manyPatients(t, ATTEMPTS);
    const results = await Promise.all(
      patients.map(async (p) => {
        const res = await p.http.post('/api/holds', {
          clinicId: DEMO_CLINIC.id,
          specialty: 'msk_physio',
          practitionerId: MARTA.id,
          startsAt: SLOT,
        });
        const body = (await res.json()) as { hold?: { id: string }; error?: { code: string } };
        if (res.status !== 201) return { status: res.status, code: body.error?.code };
        const confirmed = await p.http.post(`/api/holds/${body.hold!.id}/confirm`);
        return { status: confirmed.status, code: 'booked' };
      }),
    );
    const tally = new Map<string, number>();
    for (const r of results)
      tally.set(`${r.status} ${r.code}`, (tally.get(`${r.status} ${r.code}`) ?? 0) + 1);
    expect(Object.fromEntries(tally)).toEqual({ '201 booked': 1, '409 slot_unavailable': ATTEMPTS - 1 });
    expect(await countLiveAt(t.deps.db, MARTA.id, new Date(SLOT))).toBe(1);
  }, 120_000);
});

describeDrivers('the exclusion constraint itself', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-23T09:00:00Z' });
    await seedClinic(t);
  });
  afterAll(async () => t.close());

  const row = (start: string, end: string, status: 'held' | 'confirmed' | 'cancelled' = 'confirmed') => ({
    id: uuidv7(),
    clinicId: DEMO_CLINIC.id,
    practitionerId: MARTA.id,
    accountId: null,
    specialty: 'msk_physio',
    startsAt: new Date(start),
    endsAt: new Date(end),
    blockedUntil: new Date(end),
    status,
    holdExpiresAt: null,
    priceCents: 4500,
    paymentMode: 'pay_at_clinic' as const,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  const insert = (r: ReturnType<typeof row>) => t.deps.db.transaction((tx) => insertHold(tx, r));

  it('refuses an overlapping live row with SQLSTATE 23P01 even when no code checked first', async () => {
    await insert(row('2026-12-01T10:00:00Z', '2026-12-01T10:45:00Z'));
    const err = await insert(row('2026-12-01T10:30:00Z', '2026-12-01T11:15:00Z')).catch((e: unknown) => e);
    expect(sqlState(err)).toBe('23P01');
    // [start, end): back-to-back is fine, and a cancelled row blocks nothing.
    await expect(insert(row('2026-12-01T10:45:00Z', '2026-12-01T11:30:00Z'))).resolves.toBeTruthy();
    await expect(
      insert(row('2026-12-01T10:00:00Z', '2026-12-01T10:45:00Z', 'cancelled')),
    ).resolves.toBeTruthy();
  });
});
