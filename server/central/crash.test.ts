/**
 * Crash safety of the central API (issue 13 part 4), the short CI version: the real central (bundled, its
 * own process) under concurrent online bookings — 4 patients racing for 40 slots: hold, then confirm — is
 * SIGKILLed twice at seeded random moments and restarted
 * on the same data. Every confirm answered 2xx must be in the database, live and the patient's; a confirm
 * cut off by a kill, sent again with the same hold id, answers with the same appointment (no duplicate);
 * no practitioner is double-booked; no patient has two appointments that overlap; each booking has its change-feed row; PGlite's data folder opens
 * after every kill. One driver here, to keep CI short: PostgreSQL when DATABASE_URL is set (as in CI: the
 * production database), else embedded PGlite (a newcomer's machine). The long version, `npm run crash`
 * (scripts/crash.ts), runs both drivers with more kills; the harness is tests/support/crash/central-crash.ts.
 */
import { bundleServer, type ServerBundle } from '../../tests/support/crash/bundle.ts';
import {
  centralCrashLoop,
  centralCrashTarget,
  verifyCentral,
  type CentralCrashTarget,
} from '../../tests/support/crash/central-crash.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from './testing/harness.ts';

const driver: Driver = process.env.DATABASE_URL ? 'postgres' : 'pglite';

describe(`central SIGKILLed under booking load [${driver}]`, () => {
  const kills = 2;
  let bundle: ServerBundle;
  let target: CentralCrashTarget;
  beforeAll(async () => {
    bundle = await bundleServer('server/central/main.ts', 'server/central/db/migrations');
    target = await centralCrashTarget(driver, bundle.entry, 4);
  }, 300_000); // PGlite's first open migrates and seeds: minutes on a busy 2-core machine
  afterAll(async () => {
    await target?.close();
    bundle?.remove();
  });

  it(`${kills} SIGKILLs: no acknowledged booking lost, none doubled, no slot double-booked`, async () => {
    const { load, restarts } = await centralCrashLoop(target, {
      kills,
      seed: 13_04,
      poolSize: 40,
      minMs: 400,
      maxMs: 1_200,
    });
    const ledger = load.ledger;
    const verdict = await verifyCentral(target, ledger);
    console.log(
      `central crash (${driver}): ${ledger.bookings.size} bookings acknowledged, ${ledger.holds} holds, ` +
        `${ledger.slotTaken} refused slot_unavailable, ${ledger.ownOverlap} appointment_overlap, ${ledger.inDoubt} cut off (${ledger.resent} confirms resent), ` +
        `${restarts} restarts, ${verdict.live} live bookings`,
    );
    expect(restarts).toBe(kills);
    expect(ledger.unexpected).toEqual([]);
    expect(ledger.bookings.size).toBeGreaterThan(0);
    expect(verdict.lost).toEqual([]);
    expect(verdict.overlaps).toEqual([]);
    expect(verdict.duplicates).toEqual([]);
    expect(verdict.changeFeed).toEqual([]);
    expect(verdict.live).toBeGreaterThanOrEqual(ledger.bookings.size);
  }, 240_000);
});
