/**
 * Medium tests of erasure (issue 14 part 5, acceptance): after a face enrolment is deleted through the
 * API, neither its ciphertext nor its descriptor bytes remain anywhere in the database files (main
 * file, -wal, -shm). Controls run the same scan without `secure_delete` or without the WAL checkpoint
 * and find the bytes, which proves the scan can see them and that both measures are needed.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { PatientId } from '../../domain/ids.ts';
import { encryptDescriptors } from '../face/crypto.ts';
import { deleteEnrolmentRow, upsertEnrolment } from '../features/face/repo.ts';
import { createPatient } from '../features/patients/repo.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { checkpointTruncate, databaseFiles } from './database.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness | undefined;
afterEach(() => {
  h?.close();
  h = undefined;
});

/** `count` known, distinctive descriptors (not a real face). */
const makeDescriptors = (count: number) =>
  Array.from({ length: count }, (_, k) =>
    Float32Array.from({ length: 128 }, (_, i) => Math.sin(i * 1.7 + k * 31.3) * 0.2 + 0.01 * k),
  );

/**
 * A patient with an enrolment of `count` descriptors inserted through the repo; the needles are slices of
 * its ciphertext and of the descriptors' float32 bytes. 10 descriptors (5 KiB) spill into overflow pages.
 */
function enrolled(harness: Harness, count = 2): { patientId: PatientId; needles: Record<string, Buffer> } {
  const descriptors = makeDescriptors(count);
  const patient = createPatient(harness.deps, { fullName: 'Rita Apagada Sousa' }, 'desk');
  const blob = encryptDescriptors(harness.deps.faceKey, patient.id, descriptors);
  upsertEnrolment(harness.deps, {
    patientId: patient.id,
    blob,
    sampleCount: descriptors.length,
    modelId: 'test-model',
    consentBy: 'desk',
  });
  const needles: Record<string, Buffer> = {};
  // 32-byte slices across the blob: a page split or partial overwrite cannot hide a whole copy.
  for (let off = 0; off + 32 <= blob.length; off += 128)
    needles[`ciphertext@${off}`] = blob.subarray(off, off + 32);
  descriptors.forEach((d, i) => {
    needles[`descriptor${i}`] = Buffer.from(d.buffer, d.byteOffset, 64);
  });
  return { patientId: patient.id, needles };
}

/** The needles found in any of the database files, as `needle in file`. */
function scan(harness: Harness, needles: Record<string, Buffer>): string[] {
  const found: string[] = [];
  for (const file of databaseFiles(harness.deps.db.name)) {
    if (!fs.existsSync(file)) continue;
    const bytes = fs.readFileSync(file);
    for (const [name, needle] of Object.entries(needles))
      if (bytes.includes(needle)) found.push(`${name} in ${file.slice(file.lastIndexOf('/') + 1)}`);
  }
  return found;
}

describe('erasure of a face enrolment', () => {
  it.each([2, 10])(
    'leaves no byte of the ciphertext or the descriptors in the database, WAL or shm after DELETE (%i samples)',
    async (count) => {
      h = createHarness({ seed: false, now: NOW });
      const { patientId, needles } = enrolled(h, count);
      expect(scan(h, needles).some((f) => f.startsWith('ciphertext@0 in'))).toBe(true); // the scan sees it

      const res = await h.req('DELETE', `/api/patients/${patientId}/face`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ deleted: true });

      expect(scan(h, needles)).toEqual([]);
      expect(fs.statSync(`${h.deps.db.name}-wal`).size).toBe(0); // truncated by the checkpoint
      expect(h.deps.db.pragma('integrity_check', { simple: true })).toBe('ok');
    },
  );

  it('control: without secure_delete the deleted ciphertext stays in the database file', () => {
    h = createHarness({ seed: false, now: NOW });
    h.deps.db.pragma('secure_delete = OFF');
    const { patientId, needles } = enrolled(h);
    deleteEnrolmentRow(h.deps, patientId);
    checkpointTruncate(h.deps.db);
    const found = scan(h, needles);
    expect(found.some((f) => f.endsWith('in clinic.sqlite'))).toBe(true);
  });

  it('control: without the checkpoint the ciphertext stays in the WAL', () => {
    h = createHarness({ seed: false, now: NOW });
    const { patientId, needles } = enrolled(h);
    deleteEnrolmentRow(h.deps, patientId);
    const found = scan(h, needles);
    expect(found.some((f) => f.endsWith('in clinic.sqlite-wal'))).toBe(true);
    expect(found.some((f) => f.endsWith('in clinic.sqlite'))).toBe(false); // never checkpointed yet
  });

  it('control: with neither (the old behaviour) the bytes are found', () => {
    h = createHarness({ seed: false, now: NOW });
    h.deps.db.pragma('secure_delete = OFF');
    const { patientId, needles } = enrolled(h);
    deleteEnrolmentRow(h.deps, patientId);
    expect(scan(h, needles).length).toBeGreaterThan(0);
  });
});
