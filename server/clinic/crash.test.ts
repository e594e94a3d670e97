/**
 * Crash safety of the clinic server (issue 13 part 4), the short CI version: the real server (bundled,
 * its own process) under concurrent desk writes — patients, walk-ins with check-in, cash payments — is
 * SIGKILLed at 4 seeded random moments and restarted on the same data each time. Every write answered
 * 2xx must be in the database exactly once, writes cut off by a kill are settled once (sent again with
 * their idempotency key, or refused 409 `already_paid`), `PRAGMA integrity_check` is ok, no foreign key is broken, receipts stay
 * gapless and the outbox holds one current snapshot per changed row. The long version is `npm run crash`
 * (scripts/crash.ts). The harness is tests/support/crash/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleServer, type ServerBundle } from '../../tests/support/crash/bundle.ts';
import { clinicCrashLoop, verifyClinic } from '../../tests/support/crash/clinic-crash.ts';
import { clinicProcess, type ClinicProcess } from '../../tests/support/crash/clinic-process.ts';

let bundle: ServerBundle;
let dataDir: string;
let proc: ClinicProcess;

beforeAll(async () => {
  bundle = await bundleServer('server/clinic/main.ts', 'server/clinic/db/migrations');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-crash-clinic-'));
  proc = clinicProcess({ dataDir, entry: bundle.entry });
});
afterAll(async () => {
  await proc?.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
  bundle?.remove();
});

it('4 SIGKILLs under write load: no acknowledged write lost, none doubled, the database sound', async () => {
  const { load, restarts } = await clinicCrashLoop(proc, {
    kills: 4,
    seed: 13_04,
    workers: 4,
    minMs: 300,
    maxMs: 900,
  });
  const ledger = load.ledger;
  const verdict = verifyClinic(proc.dbFile, ledger);
  console.log(
    `clinic crash: ${ledger.acknowledged} writes acknowledged, ${ledger.inDoubt} cut off by 4 kills ` +
      `(${ledger.foundCommitted} found committed), ${restarts} restarts; rows ${JSON.stringify(verdict.rows)}`,
  );
  expect(restarts).toBe(4);
  expect(ledger.unexpected).toEqual([]);
  // The kills landed under load: writes were acknowledged in each round and some were cut off.
  expect(ledger.acknowledged).toBeGreaterThan(20);
  expect(ledger.payments.size).toBeGreaterThan(0);
  expect(verdict.integrity).toBe('ok');
  expect(verdict.foreignKeyViolations).toBe(0);
  expect(verdict.lost).toEqual([]);
  expect(verdict.duplicates).toEqual([]);
  expect(verdict.payments).toEqual([]);
  expect(verdict.changeLog).toEqual([]);
  expect(verdict.rows.patients).toBeGreaterThanOrEqual(ledger.patients.size + ledger.walkIns.size);
}, 90_000);
