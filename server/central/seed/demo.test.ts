/**
 * The central demo seed: the shared demo clinic (same ids as the clinic server's seed), a demo patient who
 * can log in and sees one upcoming appointment (in the feed as a whole booking, for the clinic's pull),
 * and nothing seeded twice on a restart.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_CLINIC, DEMO_PATIENT, DEMO_PRACTITIONERS } from '../../domain/demo-clinic.ts';
import { eq } from 'drizzle-orm';
import { appointments, changes, practitioners } from '../db/schema.ts';
import { client, createTestCentral, describeDrivers, type TestCentral } from '../testing/harness.ts';
import { seedDemo } from './demo.ts';

describeDrivers('central demo seed', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-27T15:00:00Z' }); // a Friday
  });
  afterAll(async () => t.close());

  it('seeds the shared clinic once, and a demo patient who logs in and sees Monday 10:00', async () => {
    expect(await seedDemo(t.deps)).toBe(true);
    expect(await seedDemo(t.deps)).toBe(false); // a restart seeds nothing twice
    const rows = await t.deps.db.select({ id: practitioners.id }).from(practitioners);
    expect(rows.map((r) => r.id).sort()).toEqual(DEMO_PRACTITIONERS.map((p) => p.id).sort());
    expect(await t.deps.db.select().from(appointments)).toHaveLength(1);
    const http = client(t);
    const login = await http.post('/api/account/login', {
      email: DEMO_PATIENT.email,
      password: DEMO_PATIENT.password,
    });
    expect(login.status).toBe(200);
    const mine = (await (await http.get('/api/me/appointments')).json()) as {
      upcoming: { startsAt: string; clinicId: string; status: string; specialty: string }[];
    };
    expect(mine.upcoming).toEqual([
      expect.objectContaining({
        startsAt: '2026-11-30T10:00:00.000Z',
        clinicId: DEMO_CLINIC.id,
        status: 'confirmed',
        specialty: 'evaluation',
      }),
    ]);
    // Its feed change carries the whole booking, as the booking service writes it, so the clinic's pull
    // puts it on the desk (a partial payload was skipped there as an incomplete booking).
    const [change] = await t.deps.db.select().from(changes).where(eq(changes.entity, 'appointment'));
    expect(change!.payload).toEqual({
      id: change!.entityId,
      practitionerId: DEMO_PRACTITIONERS[0]!.id,
      accountId: change!.accountId,
      specialty: 'evaluation',
      startsAt: '2026-11-30T10:00:00.000Z',
      endsAt: '2026-11-30T10:30:00.000Z',
      status: 'confirmed',
      bookingCode: expect.stringMatching(/^[A-Z2-9]{6}$/),
      rescheduledFrom: null,
      version: 1,
    });
  });
});
