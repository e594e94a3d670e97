/**
 * Gallery benchmark (issue 14 part 4): the kiosk's 1:N search over 1k, 10k and 100k descriptors, and
 * what building and invalidating the in-memory gallery costs. Run with `npm run bench:gallery`; writes
 * `bench/results/gallery.json` and prints a Markdown table (copied into `docs/benchmarks.md`).
 *
 * What is measured, all in one run on the same seeded data (mulberry32, random unit vectors in 128-d;
 * one descriptor per identity, so N descriptors = N identities):
 * 1. 1:N time per probe, median and p95 over the probes (half near-duplicates of an enrolled
 *    descriptor, half strangers), for
 *    - `new`: `nearestTwo` over the contiguous Float32Array (server/domain/matching.ts), every identity
 *      allowed, and `new + mask` with half of the identities masked out;
 *    - `old`: `decideMatch` over `GalleryEntry[]` (one Float32Array per entry, `rankGallery` ranks and
 *      sorts them all), the matcher the kiosk used before;
 *    - `flat loop`: a bare loop of squared distances over the same contiguous array keeping only the
 *      minimum, the reference for how fast plain JavaScript goes here.
 *    Each probe runs the four in a rotated order after a warm-up, so drift in machine load hits all alike.
 * 2. Gallery build on a migrated SQLite file holding N encrypted enrolments: `buildGallery` (one query,
 *    decryption, copy into the contiguous array), the per-frame cost of a cache hit (the generation
 *    read), and `invalidate()`; beside it the old per-frame path, `listEnrolments`'s query with one SQL variable
 *    per expected patient plus decryption of each, which fails past 32,766 patients.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PatientId } from '../server/domain/ids.ts';
import {
  decideMatch,
  nearestTwo,
  type FlatGallery,
  type GalleryEntry,
  type MatchThresholds,
} from '../server/domain/matching.ts';
import { openDatabase, type Db } from '../server/clinic/db/database.ts';
import { decryptDescriptors, encryptDescriptors } from '../server/clinic/face/crypto.ts';
import { buildGallery, expectedMask, GalleryCache } from '../server/clinic/face/gallery.ts';
import { upsertEnrolment } from '../server/clinic/features/face/repo.ts';
import { mulberry32 } from '../server/clinic/simulation/rng.ts';
import { REPO_ROOT } from './lib/config.ts';
import { flatLoop, unitVector } from './lib/identification-cost.ts';
import { machineInfo } from './lib/report.ts';

const RESULTS_FILE = path.join(REPO_ROOT, 'bench/results/gallery.json');
const SIZES = [1_000, 10_000, 100_000];
const DIM = 128;
const PROBES = 60;
const WARMUP = 10;
const THRESHOLDS: MatchThresholds = { maxDistance: 0.5, minMargin: 0.08 };
/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER (3.32+). */
const SQL_MAX_VARIABLES = 32_766;

/** The query the kiosk ran per frame before (features/face/repo.ts `listEnrolments`), kept here verbatim. */
function oldListEnrolments(db: Db, patientIds: readonly PatientId[]) {
  return db
    .prepare(
      `SELECT patient_id, descriptors, sample_count, model_id, consent_at, consent_by FROM face_enrolments
       WHERE consent_at IS NOT NULL AND patient_id IN (${patientIds.map(() => '?').join(',')})`,
    )
    .all(...patientIds) as { patient_id: PatientId; descriptors: Buffer }[];
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { medianMs: round(at(0.5), 3), p95Ms: round(at(0.95), 3), n: s.length };
}

function timeMatchers(n: number) {
  const rnd = mulberry32(n);
  const descriptors = Array.from({ length: n }, () => unitVector(rnd));
  const flat: FlatGallery = {
    data: new Float32Array(n * DIM),
    identity: Int32Array.from({ length: n }, (_, i) => i),
    rows: n,
    dim: DIM,
    identityCount: n,
  };
  descriptors.forEach((d, i) => flat.data.set(d, i * DIM));
  const entries: GalleryEntry<number>[] = descriptors.map((d, i) => ({ key: i, descriptors: [d] }));
  const half = Uint8Array.from({ length: n }, (_, i) => i % 2);
  const probes = Array.from({ length: WARMUP + PROBES }, (_, i) =>
    i % 2 === 0 ? descriptors[Math.floor(rnd() * n)]!.map((x) => x + (rnd() - 0.5) * 0.02) : unitVector(rnd),
  );
  const runs: Record<string, (p: Float32Array) => unknown> = {
    new: (p) => nearestTwo(p, flat),
    'new + mask': (p) => nearestTwo(p, flat, half),
    old: (p) => decideMatch(p, entries, THRESHOLDS),
    'flat loop': (p) => flatLoop(p, flat.data, n),
  };
  const names = Object.keys(runs);
  const times: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  let agree = 0;
  probes.forEach((probe, i) => {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const t = performance.now();
      runs[name]!(probe);
      const ms = performance.now() - t;
      if (i >= WARMUP) times[name]!.push(ms);
    }
    const fast = nearestTwo(probe, flat);
    const old = decideMatch(probe, entries, THRESHOLDS);
    if (fast.best?.key === old.best?.key && fast.runnerUp?.distance === old.runnerUp?.distance) agree += 1;
  });
  return {
    descriptors: n,
    ...Object.fromEntries(names.map((k) => [k, stats(times[k]!)])),
    agreementWithOld: `${agree}/${probes.length}`,
  } as Record<string, unknown>;
}

function timeBuild(n: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-bench-gallery-'));
  const db = openDatabase(path.join(dir, 'clinic.sqlite'));
  const ctx = { db, now: () => Date.parse('2026-12-01T10:00:00Z') };
  const key = Buffer.alloc(32, 7);
  const rnd = mulberry32(n + 1);
  const ids: PatientId[] = [];
  try {
    const insertPatient = db.prepare(
      'INSERT INTO patients (id, full_name, created_at, updated_at) VALUES (?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const id = `p-${String(i).padStart(6, '0')}` as PatientId;
        ids.push(id);
        insertPatient.run(id, `Paciente ${i}`, '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z');
        upsertEnrolment(ctx, {
          patientId: id,
          blob: encryptDescriptors(key, id, [unitVector(rnd)]),
          sampleCount: 1,
          modelId: 'bench',
          consentBy: 'bench',
        });
      }
    })();
    const cache = new GalleryCache(db);
    const builds: number[] = [];
    for (let i = 0; i < 3; i++) {
      cache.invalidate();
      const t = performance.now();
      cache.get(ctx, key, 'bench');
      builds.push(performance.now() - t);
    }
    const hits: number[] = [];
    const masks: number[] = [];
    for (let i = 0; i < 200; i++) {
      let t = performance.now();
      const g = cache.get(ctx, key, 'bench');
      hits.push(performance.now() - t);
      t = performance.now();
      expectedMask(g, ids);
      masks.push(performance.now() - t);
    }
    const invalidations: number[] = [];
    for (let i = 0; i < 3; i++) {
      cache.get(ctx, key, 'bench');
      const t = performance.now();
      cache.invalidate();
      invalidations.push(performance.now() - t);
    }
    // The old per-frame path: one SQL variable per expected patient, then every blob decrypted.
    let oldPerFrame: Record<string, unknown>;
    const oldTimes: number[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        for (const row of oldListEnrolments(db, ids))
          decryptDescriptors(key, row.patient_id, row.descriptors);
        oldTimes.push(performance.now() - t);
      }
      oldPerFrame = stats(oldTimes);
    } catch (err) {
      oldPerFrame = { error: (err as Error).message };
    }
    const separateBuild = buildGallery(ctx, key, 'bench');
    return {
      patients: n,
      buildMs: stats(builds),
      buildOnlyMs: round(separateBuild.buildMs, 1),
      cacheHitMs: stats(hits),
      maskAllExpectedMs: stats(masks),
      invalidateMs: stats(invalidations),
      oldPerFramePath: oldPerFrame,
      sqlVariablesNeededByOldPath: n,
      oldPathOverLimit: n > SQL_MAX_VARIABLES,
    };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const started = performance.now();
const matching = SIZES.map((n) => {
  console.log(`1:N over ${n} descriptors…`);
  return timeMatchers(n);
});
const build = SIZES.map((n) => {
  console.log(`gallery build with ${n} enrolments…`);
  return timeBuild(n);
});
const report = {
  date: new Date().toISOString(),
  command: 'npm run bench:gallery',
  durationSeconds: round((performance.now() - started) / 1000, 1),
  machine: machineInfo(),
  probes: `${PROBES} per size after ${WARMUP} warm-up (half near-duplicates of an enrolled descriptor, half strangers)`,
  target: '1:N over 100k descriptors ≤ 10 ms',
  matching,
  build,
};
fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
fs.writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');

const cell = (s: unknown) => {
  const v = s as { medianMs: number; p95Ms: number };
  return `${v.medianMs} / ${v.p95Ms}`;
};
console.log('');
console.log('| descriptors | new | new + mask (½) | old (decideMatch) | flat loop |');
console.log('|---:|---:|---:|---:|---:|');
for (const m of matching)
  console.log(
    `| ${m.descriptors} | ${cell(m.new)} | ${cell(m['new + mask'])} | ${cell(m.old)} | ${cell(m['flat loop'])} |`,
  );
console.log('');
console.log(
  '| enrolments | build (median) | cache hit | mask of all expected | invalidate | old per-frame path |',
);
console.log('|---:|---:|---:|---:|---:|---:|');
for (const b of build) {
  const old = b.oldPerFramePath as { medianMs?: number; error?: string };
  console.log(
    `| ${b.patients} | ${b.buildMs.medianMs} | ${b.cacheHitMs.medianMs} | ${b.maskAllExpectedMs.medianMs} | ${b.invalidateMs.medianMs} | ${old.medianMs ?? old.error} |`,
  );
}
console.log('');
console.log(`wrote ${path.relative(REPO_ROOT, RESULTS_FILE)} in ${report.durationSeconds} s`);
