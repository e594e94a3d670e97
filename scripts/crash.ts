/**
 * `npm run crash`: the long version of the crash suites (issue 13 part 4; the short ones run in `npm test`:
 * server/clinic/crash.test.ts, server/clinic/crash-disk-full.test.ts, server/central/crash.test.ts).
 * SIGKILLs the bundled clinic server under desk writes and the bundled central API under online bookings
 * (PGlite, and PostgreSQL when DATABASE_URL is set) many times, verifies each run (tests/support/crash/),
 * prints the figures and writes them to bench/results/crash.json (merged: a section not run keeps its figures). Exits 1 when anything acknowledged was
 * lost or doubled, or a database check failed.
 *
 * Options (environment): CRASH_KILLS (default 50, each loop), CRASH_SEED (default 1304),
 * CRASH_DRIVERS (comma list of central drivers; default pglite, plus postgres with DATABASE_URL),
 * CRASH_SKIP=clinic|central to run only one side.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleServer } from '../tests/support/crash/bundle.ts';
import { centralCrashLoop, centralCrashTarget, verifyCentral } from '../tests/support/crash/central-crash.ts';
import { clinicCrashLoop, verifyClinic } from '../tests/support/crash/clinic-crash.ts';
import { clinicProcess } from '../tests/support/crash/clinic-process.ts';
import type { Driver } from '../server/central/testing/harness.ts';
import { ROOT_DIR } from '../server/clinic/paths.ts';

const kills = Number(process.env.CRASH_KILLS ?? 50);
const seed = Number(process.env.CRASH_SEED ?? 1304);
const skip = process.env.CRASH_SKIP ?? '';
const drivers = (process.env.CRASH_DRIVERS?.split(',') ??
  (process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'])) as Driver[];

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, load ${os.loadavg()[0]!.toFixed(1)} at start`,
  seed,
};
let failed = false;

if (skip !== 'clinic') {
  const bundle = await bundleServer('server/clinic/main.ts', 'server/clinic/db/migrations');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-crash-clinic-'));
  const started = Date.now();
  try {
    const proc = clinicProcess({ dataDir, entry: bundle.entry });
    const { load, restarts } = await clinicCrashLoop(proc, {
      kills,
      seed,
      workers: 4,
      minMs: 200,
      maxMs: 1_500,
    });
    const v = verifyClinic(proc.dbFile, load.ledger);
    const figures = {
      kills,
      restarts,
      writesAcknowledged: load.ledger.acknowledged,
      cutOffByKills: load.ledger.inDoubt,
      foundCommittedAfterRestart: load.ledger.foundCommitted,
      lost: v.lost.length,
      duplicates: v.duplicates.length,
      integrityCheck: v.integrity,
      foreignKeyViolations: v.foreignKeyViolations,
      paymentAnomalies: v.payments.length,
      changeLogAnomalies: v.changeLog.length,
      unexpectedAnswers: load.ledger.unexpected.length,
      rows: v.rows,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    results.clinic = figures;
    console.log('clinic', JSON.stringify(figures));
    if (
      v.integrity !== 'ok' ||
      v.foreignKeyViolations ||
      v.lost.length ||
      v.duplicates.length ||
      v.payments.length ||
      v.changeLog.length ||
      load.ledger.unexpected.length
    ) {
      failed = true;
      console.error({ ...v, unexpected: load.ledger.unexpected });
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    bundle.remove();
  }
}

if (skip !== 'central') {
  const bundle = await bundleServer('server/central/main.ts', 'server/central/db/migrations');
  try {
    for (const driver of drivers) {
      const target = await centralCrashTarget(driver, bundle.entry, 4);
      const started = Date.now();
      try {
        const { load, restarts } = await centralCrashLoop(target, {
          kills,
          seed,
          poolSize: 400,
          minMs: 500,
          maxMs: 2_000,
        });
        const v = await verifyCentral(target, load.ledger);
        const figures = {
          kills,
          restarts,
          bookingsAcknowledged: load.ledger.bookings.size,
          holds: load.ledger.holds,
          refusedSlotUnavailable: load.ledger.slotTaken,
          refusedOwnOverlap: load.ledger.ownOverlap,
          cutOffByKills: load.ledger.inDoubt,
          confirmsResent: load.ledger.resent,
          lost: v.lost.length,
          duplicates: v.duplicates.length,
          doubleBooked: v.overlaps.length,
          changeFeedAnomalies: v.changeFeed.length,
          unexpectedAnswers: load.ledger.unexpected.length,
          liveBookings: v.live,
          seconds: Math.round((Date.now() - started) / 100) / 10,
        };
        results[`central-${driver}`] = figures;
        console.log(`central ${driver}`, JSON.stringify(figures));
        if (
          v.lost.length ||
          v.duplicates.length ||
          v.overlaps.length ||
          v.changeFeed.length ||
          load.ledger.unexpected.length
        ) {
          failed = true;
          console.error({ ...v, unexpected: load.ledger.unexpected });
        }
      } finally {
        await target.close();
      }
    }
  } finally {
    bundle.remove();
  }
}

// Sections not run this time (CRASH_SKIP, CRASH_DRIVERS) keep their last figures.
const out = path.join(ROOT_DIR, 'bench/results/crash.json');
const previous = fs.existsSync(out)
  ? (JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>)
  : {};
fs.writeFileSync(out, JSON.stringify({ ...previous, ...results }, null, 2) + '\n');
console.log(`wrote ${path.relative(ROOT_DIR, out)}`);
process.exit(failed ? 1 : 0);
