/**
 * Medium tests of the analytics routes on a fresh SQLite with the small test clinic: visits are stored
 * with exact timestamps (and one goes through the real check-in), so every figure is asserted exactly.
 * p90 is the linear-interpolation percentile of service.ts: rank 0.9 × (n − 1) in the sorted values.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../../domain/ids.ts';
import type { VisitStatus } from '../../../domain/visit.ts';
import { book, seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { insertAppointment, newBookingCode } from '../appointments/repo.ts';
import { createPatient } from '../patients/repo.ts';
import type { AnalyticsReport } from './service.ts';
import { versionOf } from '../../testing/versions.ts';

// Saturday 21 Nov 2026, 10:00 in Lisbon (UTC+0 in winter); the data lie in the days before.
const NOW = Date.parse('2026-11-21T10:00:00Z');

let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

/** A visit as it was recorded: times ISO-8601 (UTC), `shown` = the wait shown at check-in, minutes. */
interface Visit {
  startsAt: string;
  status: VisitStatus;
  who?: 'marta' | 'joao';
  specialty?: 'evaluation' | 'massage';
  walkIn?: boolean;
  arrivedAt?: string;
  calledAt?: string;
  startedAt?: string;
  endedAt?: string;
  shown?: number;
}

function store(v: Visit) {
  const patient = createPatient(h.deps, { fullName: 'Utente Teste' }, 'system');
  const practitioner = clinic.practitioners[v.who ?? 'marta'];
  h.deps.db.transaction(() =>
    insertAppointment(h.deps, {
      id: newId<'appointment'>(),
      patient_id: patient.id,
      practitioner_id: practitioner,
      specialty_id: clinic.specialties[v.specialty ?? 'evaluation'],
      room_id: v.who === 'joao' ? clinic.rooms.sala2 : clinic.rooms.sala1,
      starts_at: v.startsAt,
      duration_min: 30,
      status: v.status,
      walk_in: v.walkIn ? 1 : 0,
      booking_code: newBookingCode(h.deps),
      ticket: null,
      check_in_method: v.arrivedAt ? 'desk' : null,
      arrived_at: v.arrivedAt ?? null,
      called_at: v.calledAt ?? null,
      session_started_at: v.startedAt ?? null,
      ended_at: v.endedAt ?? null,
      wait_estimate_min: v.shown ?? null,
    }),
  )();
}

const t = (day: string, hhmm: string) => `2026-11-${day}T${hhmm}:00.000Z`;

/**
 * Thursday 19: V1 on time (wait 12, shown 5: error 7, under, outside 5–10; session 30), V2 10 min late
 * (wait 4, shown 3: error 1, under, inside "next" < 5; session 35), V3 no-show.
 * Friday 20: V4 walk-in checked in 10 min after it was registered (not late: walk-in; wait 20, shown 25:
 * error 5, over, outside > 20; massage with João, 50), V5 cancelled (left out), V6 exactly 5 min late (not
 * late; wait 0, shown 0: in band; still in session).
 */
function storeTwoDays() {
  store({
    startsAt: t('19', '09:00'),
    status: 'done',
    arrivedAt: t('19', '08:55'),
    calledAt: t('19', '09:07'),
    startedAt: t('19', '09:08'),
    endedAt: t('19', '09:38'),
    shown: 5,
  });
  store({
    startsAt: t('19', '09:30'),
    status: 'done',
    arrivedAt: t('19', '09:40'),
    calledAt: t('19', '09:44'),
    startedAt: t('19', '09:45'),
    endedAt: t('19', '10:20'),
    shown: 3,
  });
  store({ startsAt: t('19', '10:00'), status: 'no_show', who: 'joao', specialty: 'massage' });
  store({
    startsAt: t('20', '10:50'),
    status: 'done',
    who: 'joao',
    specialty: 'massage',
    walkIn: true,
    arrivedAt: t('20', '11:00'),
    calledAt: t('20', '11:20'),
    startedAt: t('20', '11:21'),
    endedAt: t('20', '12:11'),
    shown: 25,
  });
  store({ startsAt: t('20', '14:00'), status: 'cancelled', arrivedAt: t('20', '14:30') });
  store({
    startsAt: t('20', '15:00'),
    status: 'in_session',
    arrivedAt: t('20', '15:05'),
    calledAt: t('20', '15:05'),
    startedAt: t('20', '15:06'),
    shown: 0,
  });
}

const EMPTY = {
  visits: 0,
  done: 0,
  noShows: 0,
  lateArrivals: 0,
  waits: { count: 0, meanMin: null, p90Min: null },
  estimateError: { count: 0, meanAbsErrorMin: null, underPredictedShare: null, inBandShare: null },
  sessions: { count: 0, meanMin: null, p90Min: null },
};

async function report(query: string): Promise<AnalyticsReport> {
  const res = await h.req('GET', `/api/analytics?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as AnalyticsReport;
}

describe('analytics', () => {
  it('answers exact figures per day, for the range and per specialty and practitioner', async () => {
    storeTwoDays();
    expect(await report('from=2026-11-18&to=2026-11-20&by=day')).toEqual({
      from: '2026-11-18',
      to: '2026-11-20',
      by: 'day',
      timeZone: 'Europe/Lisbon',
      lateAfterMin: 5,
      // Waits 12, 4, 20, 0: mean 9, p90 at rank 2.7 of [0, 4, 12, 20] = 12 + 0.7 × 8 = 17.6.
      // Errors 7, 1, 5, 0: mean 3.25 → 3.3; under 2 of 4; in band 2 of 4 (V2, V6).
      // Sessions 30, 35, 50: mean 38.33 → 38.3, p90 at rank 1.8 = 35 + 0.8 × 15 = 47.
      totals: {
        visits: 5,
        done: 3,
        noShows: 1,
        lateArrivals: 1,
        waits: { count: 4, meanMin: 9, p90Min: 17.6 },
        estimateError: { count: 4, meanAbsErrorMin: 3.3, underPredictedShare: 0.5, inBandShare: 0.5 },
        sessions: { count: 3, meanMin: 38.3, p90Min: 47 },
      },
      buckets: [
        { start: '2026-11-18', end: '2026-11-18', ...EMPTY },
        {
          start: '2026-11-19',
          end: '2026-11-19',
          visits: 3,
          done: 2,
          noShows: 1,
          lateArrivals: 1,
          // Waits 12, 4: mean 8, p90 = 4 + 0.9 × 8 = 11.2. Sessions 30, 35: p90 = 30 + 0.9 × 5 = 34.5.
          waits: { count: 2, meanMin: 8, p90Min: 11.2 },
          estimateError: { count: 2, meanAbsErrorMin: 4, underPredictedShare: 1, inBandShare: 0.5 },
          sessions: { count: 2, meanMin: 32.5, p90Min: 34.5 },
        },
        {
          start: '2026-11-20',
          end: '2026-11-20',
          visits: 2,
          done: 1,
          noShows: 0,
          lateArrivals: 0,
          // Waits 20, 0: mean 10, p90 = 0 + 0.9 × 20 = 18.
          waits: { count: 2, meanMin: 10, p90Min: 18 },
          estimateError: { count: 2, meanAbsErrorMin: 2.5, underPredictedShare: 0, inBandShare: 0.5 },
          sessions: { count: 1, meanMin: 50, p90Min: 50 },
        },
      ],
      sessionsBySpecialty: [
        {
          specialtyId: clinic.specialties.evaluation,
          code: 'evaluation',
          namePt: 'Consulta de avaliação',
          nameEn: 'Evaluation appointment',
          count: 2,
          meanMin: 32.5,
          p90Min: 34.5,
        },
        {
          specialtyId: clinic.specialties.massage,
          code: 'massage',
          namePt: 'Massagem',
          nameEn: 'Massage',
          count: 1,
          meanMin: 50,
          p90Min: 50,
        },
      ],
      sessionsByPractitioner: [
        {
          practitionerId: clinic.practitioners.joao,
          displayName: 'Dr. João Ferreira',
          count: 1,
          meanMin: 50,
          p90Min: 50,
        },
        {
          practitionerId: clinic.practitioners.marta,
          displayName: 'Dr.ª Marta Lopes',
          count: 2,
          meanMin: 32.5,
          p90Min: 34.5,
        },
      ],
    });
  });

  it('buckets by clinic day in Lisbon and by week from Monday, clipped to the range', async () => {
    // Summer (UTC+1): Monday 15 June 2026 starts at 14 June 23:00 UTC.
    for (const startsAt of [
      '2026-06-09T22:30:00Z', // Tue 9, 23:30 Lisbon: before the range
      '2026-06-09T23:30:00Z', // Wed 10, 00:30: first week
      '2026-06-10T00:00:00Z', // Wed 10, 01:00: first week
      '2026-06-14T22:30:00Z', // Sun 14, 23:30: first week
      '2026-06-14T23:30:00Z', // Mon 15, 00:30: second week
      '2026-06-16T23:30:00Z', // Wed 17, 00:30: after the range
    ])
      store({ startsAt, status: 'scheduled' });

    const weeks = await report('from=2026-06-10&to=2026-06-16&by=week');
    expect(weeks.buckets.map((b) => [b.start, b.end, b.visits])).toEqual([
      ['2026-06-10', '2026-06-14', 3],
      ['2026-06-15', '2026-06-16', 1],
    ]);
    expect(weeks.totals.visits).toBe(4);

    const days = await report('from=2026-06-14&to=2026-06-15');
    expect(days.by).toBe('day');
    expect(days.buckets.map((b) => [b.start, b.visits])).toEqual([
      ['2026-06-14', 1],
      ['2026-06-15', 1],
    ]);

    // A range starting on a Monday and ending on a Sunday has whole weeks only (Tue 9 counts now).
    const whole = await report('from=2026-06-01&to=2026-06-14&by=week');
    expect(whole.buckets.map((b) => [b.start, b.end, b.visits])).toEqual([
      ['2026-06-01', '2026-06-07', 0],
      ['2026-06-08', '2026-06-14', 4],
    ]);
  });

  it('measures the wait shown at a real check-in against the call', async () => {
    const a = book(h.deps, clinic, 'Marta Teste Sousa', 10); // Marta is free: the wait shown is 10 min
    expect(
      (
        await h.req('POST', `/api/appointments/${a.id}/status`, {
          expectedVersion: versionOf(h.deps, a.id),
          status: 'arrived',
        })
      ).status,
    ).toBe(200);
    h.setNow(NOW + 14 * 60_000);
    expect(
      (
        await h.req('POST', `/api/appointments/${a.id}/status`, {
          expectedVersion: versionOf(h.deps, a.id),
          status: 'called',
        })
      ).status,
    ).toBe(200);

    const { totals } = await report('from=2026-11-21&to=2026-11-21');
    expect(totals).toMatchObject({
      visits: 1,
      lateArrivals: 0,
      waits: { count: 1, meanMin: 14, p90Min: 14 },
      // Shown 10 ("10 to 20 min"), waited 14: 4 min under-predicted, inside the band.
      estimateError: { count: 1, meanAbsErrorMin: 4, underPredictedShare: 1, inBandShare: 1 },
    });
  });

  it('exports the buckets as CSV, one row per day, dot decimals, empty cells without a sample', async () => {
    storeTwoDays();
    const res = await h.req('GET', '/api/analytics.csv?from=2026-11-18&to=2026-11-20&by=day');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="analytics-2026-11-18-2026-11-20.csv"',
    );
    expect(await res.text()).toBe(
      [
        'start,end,visits,done,no_shows,late_arrivals,wait_count,wait_mean_min,wait_p90_min,estimate_count,' +
          'estimate_abs_error_mean_min,estimate_under_predicted_share,estimate_in_band_share,session_count,' +
          'session_mean_min,session_p90_min',
        '2026-11-18,2026-11-18,0,0,0,0,0,,,0,,,,0,,',
        '2026-11-19,2026-11-19,3,2,1,1,2,8,11.2,2,4,1,0.5,2,32.5,34.5',
        '2026-11-20,2026-11-20,2,1,0,0,2,10,18,2,2.5,0,0.5,1,50,50',
        '',
      ].join('\r\n'),
    );
  });

  it('audits each read with the range and format only', async () => {
    await report('from=2026-11-01&to=2026-11-21&by=week');
    await h.req('GET', '/api/analytics.csv?from=2026-11-20&to=2026-11-21');
    const audit = h.deps.db
      .prepare(
        "SELECT actor, entity, entity_id, detail FROM audit_log WHERE action = 'analytics.read' ORDER BY seq",
      )
      .all();
    expect(audit).toEqual([
      {
        actor: 'staff:test.admin',
        entity: 'analytics',
        entity_id: null,
        detail: JSON.stringify({ from: '2026-11-01', to: '2026-11-21', by: 'week', format: 'json' }),
      },
      {
        actor: 'staff:test.admin',
        entity: 'analytics',
        entity_id: null,
        detail: JSON.stringify({ from: '2026-11-20', to: '2026-11-21', by: 'day', format: 'csv' }),
      },
    ]);
  });

  it('answers 400 validation_failed for a reversed, too long or malformed range, and audits nothing', async () => {
    expect((await h.req('GET', '/api/analytics?from=2026-01-01&to=2026-12-31')).status).toBe(200); // 365 days
    expect((await h.req('GET', '/api/analytics?from=2028-01-01&to=2028-12-31')).status).toBe(200); // 366 days
    const audited = h.deps.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'analytics.read'");
    expect(audited.get()).toEqual({ n: 2 });
    for (const query of [
      'from=2026-01-01&to=2027-01-02', // 367 days
      'from=2026-11-21&to=2026-11-20', // reversed
      'from=2026-02-30&to=2026-03-01', // no such day
      'from=2026-11-01&to=2026-11-21&by=month',
      'to=2026-11-21',
      'from=21/11/2026&to=2026-11-21',
    ]) {
      for (const path of ['/api/analytics', '/api/analytics.csv']) {
        const res = await h.req('GET', `${path}?${query}`);
        expect([query, path, res.status]).toEqual([query, path, 400]);
        expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
      }
    }
    expect(audited.get()).toEqual({ n: 2 });
  });
});
