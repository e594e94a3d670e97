/** Unit tests of the sync benchmark's pure parts: the days' plan, the feed, the batch figures and the summary. */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../server/clinic/simulation/rng.ts';
import { batchFigures, buildFeed, planDays, SYNC_BENCH, type TimedBatch } from './sync-data.ts';
import { syncMarkdownSummary, type DriverResult, type PhaseResult } from './sync-report.ts';

describe('planDays', () => {
  it('queues exactly the asked entries: one per new patient, visit and payment', () => {
    for (const entries of [5_000, 1_001, 3]) {
      const plan = planDays(entries, mulberry32(7));
      const newPatients = plan.visits.filter((v) => v.newPatient).length;
      const paid = plan.visits.filter((v) => v.paid).length;
      expect(newPatients + plan.patientsOnly + plan.visits.length + paid).toBe(entries);
      expect(plan.expected).toEqual({
        patients: newPatients + plan.patientsOnly,
        appointments: plan.visits.length,
        payments: paid,
        entries,
      });
      expect(plan.patientsOnly).toBeLessThan(3);
    }
  });

  it('pays only finished visits and names only patients created before', () => {
    const plan = planDays(2_000, mulberry32(1));
    let created = 0;
    for (const v of plan.visits) {
      if (v.paid) expect(v.end).toBe('done');
      if (v.newPatient) expect(v.patient).toBe(created++);
      else expect(v.patient).toBeLessThan(created);
    }
    const ends = new Set(plan.visits.map((v) => v.end));
    expect(ends).toEqual(new Set(['done', 'no_show', 'cancelled', 'arrived', 'scheduled']));
  });

  it('is the same plan for the same seed', () => {
    expect(planDays(500, mulberry32(3))).toEqual(planDays(500, mulberry32(3)));
  });
});

describe('buildFeed', () => {
  const shape = { ...SYNC_BENCH.feed, bookings: 400, moved: 30, cancelled: 40, accounts: 260 };

  it('has bookings + 2 × moved + cancelled changes, each change after its booking', () => {
    const feed = buildFeed(shape, mulberry32(5));
    expect(feed.rows).toHaveLength(400 + 2 * 30 + 40);
    const seen = new Set<string>();
    for (const r of feed.rows) {
      if (r.op === 'insert') {
        expect(seen.has(r.entityId)).toBe(false);
        seen.add(r.entityId);
        if (r.payload.rescheduledFrom) expect(seen.has(r.payload.rescheduledFrom)).toBe(true);
      } else {
        expect(seen.has(r.entityId)).toBe(true);
        expect(r).toMatchObject({ version: 2, payload: { status: 'cancelled', version: 2 } });
      }
    }
    expect(feed.rows.filter((r) => r.payload.rescheduledFrom !== null)).toHaveLength(30);
    expect(feed.expected.appointments.size).toBe(430);
    expect([...feed.expected.appointments.values()].filter((a) => a.status === 'cancelled')).toHaveLength(70);
    expect(feed.expected.cancelled).toBe(70);
  });

  it('gives every booking its own code, none of the taken ones, and a practitioner who does the specialty', () => {
    const taken = new Set(buildFeed(shape, mulberry32(9)).rows.map((r) => r.payload.bookingCode));
    const feed = buildFeed(shape, mulberry32(9), taken);
    const inserts = feed.rows.filter((r) => r.op === 'insert');
    const codes = new Set(inserts.map((r) => r.payload.bookingCode));
    expect(codes.size).toBe(inserts.length);
    for (const c of codes) expect(taken.has(c)).toBe(false);
    const accounts = new Set(feed.accounts.map((a) => a.id));
    for (const r of feed.rows) {
      expect(accounts.has(r.accountId)).toBe(true);
      expect(Date.parse(r.payload.endsAt) - Date.parse(r.payload.startsAt)).toBe(45 * 60_000);
    }
    expect(feed.expected.patients).toBe(new Set(feed.rows.map((r) => r.accountId)).size);
  });
});

describe('batchFigures', () => {
  const batch = (n: number, httpMs: number, doneMs: number, serverMs: number | null): TimedBatch => ({
    n,
    startMs: 0,
    httpMs,
    doneMs,
    serverMs,
  });

  it('gives total, changes/s, batch percentiles and the split of the time', () => {
    const f = batchFigures([batch(500, 90, 100, 80), batch(500, 190, 200, 170), batch(200, 40, 50, 30)], 400);
    expect(f).toMatchObject({ changes: 1_200, batches: 3, totalMs: 400, perSecond: 3_000 });
    expect(f.batchMs).toMatchObject({ p50: 100, p95: 190, max: 200 });
    expect(f.split).toEqual({ serverMs: 280, httpAndJsonMs: 40, clinicMs: 80 });
  });

  it('has no server split when a batch lacks central’s time', () => {
    const f = batchFigures([batch(10, 5, 6, null)], 10);
    expect(f.serverMs).toBeNull();
    expect(f.split.serverMs).toBeNull();
  });
});

describe('syncMarkdownSummary', () => {
  it('shows each driver’s push and pull with the ratio to the bare floor, and flags a wrong run', () => {
    const phase = (totalMs: number, floorMs: number): PhaseResult => ({
      figures: batchFigures([batch(5_000, totalMs - 10, totalMs, totalMs - 20)], totalMs),
      batches: [],
      cpu: { centralMs: 0, clinicMs: 0, centralMsPerChange: 1.234, clinicMsPerChange: 0.2 },
      bare: {
        httpMs: [],
        dbMs: [],
        httpTotalMs: floorMs / 2,
        dbTotalMs: floorMs / 2,
        floorTotalMs: floorMs,
        floorBatchMs: { n: 1, p50: floorMs, p95: floorMs, p99: floorMs, mean: floorMs, max: floorMs },
      },
    });
    const d: DriverResult = {
      driver: 'pglite',
      where: 'memory',
      serverVersion: '18',
      setup: {},
      push: {
        ...phase(50_000, 1_000),
        loadAverageAtStart: [3.46, 2, 1],
        statuses: {},
        check: {},
        ok: true,
        bareTransactionPerEntry: {
          what: '',
          entries: 1_000,
          batchMs: [],
          msPerTransaction: 0.8,
          projectedMs: 4_000,
        },
      },
      pull: { ...phase(2_000, 1_000), report: {}, check: {}, ok: false },
      json: {},
    };
    const md = syncMarkdownSummary({ drivers: { pglite: d, postgres: null } });
    expect(md).toContain(
      '| pglite | push | 5000 | 50.0 | 100 | 50000 / 50000 / 50000 | 1.0 (0.5 + 0.5) | ×50 | ×50 | 3.5 | ok |',
    );
    expect(md).toContain('| pglite | pull | 5000 | 2.0 | 2500 |');
    expect(md).toContain('**WRONG**');
    expect(md).toContain('| pglite | push | 50.0 | 0.0 | 0.0 | 1.23 | 0.20 | 0.80 (4.0) |');
    expect(md).toContain('| pglite | pull | 2.0 | 0.0 | 0.0 | 1.23 | 0.20 | — |');
    expect(md).not.toContain('postgres');
  });

  function batch(n: number, httpMs: number, doneMs: number, serverMs: number): TimedBatch {
    return { n, startMs: 0, httpMs, doneMs, serverMs };
  }
});
