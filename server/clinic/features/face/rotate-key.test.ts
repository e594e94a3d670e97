/**
 * Medium tests of descriptor key rotation: every blob re-encrypted with a new key in one transaction, the
 * key file replaced atomically, the old key no longer decrypting, and recovery from a crash mid-rotation;
 * the same with the Electron app's OS-wrapped key (a fake Electron main on the parent port).
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PatientId } from '../../../domain/ids.ts';
import { databaseFiles } from '../../db/database.ts';
import { decryptDescriptors, encryptDescriptors } from '../../face/crypto.ts';
import { EnvFaceKeyStore, FileFaceKeyStore, ParentPortFaceKeyStore } from '../../face/key-store.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { createPatient } from '../patients/repo.ts';
import { listAllEnrolmentBlobs, updateEnrolmentBlob, upsertEnrolment } from './repo.ts';
import {
  recoverFaceKeyRotation,
  recoverWrappedFaceKeyRotation,
  rotateFaceKey,
  rotateWrappedFaceKey,
} from './service.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness | undefined;
afterEach(() => {
  h?.close();
  h = undefined;
});

const descriptor = (seed: number) => Float32Array.from({ length: 128 }, (_, i) => Math.cos(i + seed) * 0.1);

/** A harness with three enrolled patients (1–3 descriptors each) and the key in a key file. */
function setup() {
  h = createHarness({ seed: false, now: NOW });
  const store = new FileFaceKeyStore(
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-rot-')), 'keys', 'face.key'),
  );
  store.save(h.deps.faceKey);
  const enrolled = new Map<PatientId, Float32Array[]>();
  for (const n of [1, 2, 3]) {
    const patient = createPatient(h.deps, { fullName: `Paciente ${n} Teste` }, 'desk');
    const ds = Array.from({ length: n }, (_, k) => descriptor(n * 10 + k));
    upsertEnrolment(h.deps, {
      patientId: patient.id,
      blob: encryptDescriptors(h.deps.faceKey, patient.id, ds),
      sampleCount: n,
      modelId: 'test-model',
      consentBy: 'desk',
    });
    enrolled.set(patient.id, ds);
  }
  return { harness: h, store, enrolled };
}

describe('face key rotation', () => {
  it('re-encrypts every descriptor with a new key, which replaces the key file; the old key decrypts nothing', () => {
    const { harness, store, enrolled } = setup();
    const oldKey = harness.deps.faceKey;
    const oldBlobs = listAllEnrolmentBlobs(harness.deps).map((r) => Buffer.from(r.descriptors));

    const { key, reencrypted } = rotateFaceKey(harness.deps, store, oldKey, 'desk');

    expect(reencrypted).toBe(3);
    expect(key.equals(oldKey)).toBe(false);
    expect(store.load()!.equals(key)).toBe(true);
    expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(store.file))).toEqual(['face.key']); // no .next or temp file left
    const rows = listAllEnrolmentBlobs(harness.deps);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      const back = decryptDescriptors(key, r.patient_id, r.descriptors);
      expect(back.map((d) => Array.from(d))).toEqual(enrolled.get(r.patient_id)!.map((d) => Array.from(d)));
      expect(() => decryptDescriptors(oldKey, r.patient_id, r.descriptors)).toThrow(/unable to authenticate/);
    }
    expect(
      harness.deps.db.prepare("SELECT actor, detail FROM audit_log WHERE action = 'face.rotate_key'").all(),
    ).toEqual([{ actor: 'desk', detail: JSON.stringify({ enrolments: 3 }) }]);
    // The old-key ciphertexts are gone from the database files too (secure_delete + WAL truncated).
    const bytes = databaseFiles(harness.deps.db.name)
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f));
    for (const blob of oldBlobs) expect(bytes.some((b) => b.includes(blob.subarray(28, 60)))).toBe(false);
  });

  it('changes nothing when a blob does not decrypt with the given key', () => {
    const { harness, store } = setup();
    const before = listAllEnrolmentBlobs(harness.deps);
    expect(() => rotateFaceKey(harness.deps, store, randomBytes(32))).toThrow(/unable to authenticate/);
    expect(listAllEnrolmentBlobs(harness.deps)).toEqual(before);
    expect(store.load()!.equals(harness.deps.faceKey)).toBe(true);
    expect(fs.existsSync(`${store.file}.next`)).toBe(false);
  });

  it('refuses to rotate a key given in CFD_FACE_KEY', () => {
    const { harness } = setup();
    const env = new EnvFaceKeyStore(harness.deps.faceKey.toString('base64'));
    expect(() => rotateFaceKey(harness.deps, env, harness.deps.faceKey)).toThrow(/only a key file/);
  });

  it('after a crash between the commit and the key file rename, promotes the pending key', () => {
    const { harness, store } = setup();
    const next = randomBytes(32);
    new FileFaceKeyStore(`${store.file}.next`).save(next);
    for (const r of listAllEnrolmentBlobs(harness.deps)) {
      const ds = decryptDescriptors(harness.deps.faceKey, r.patient_id, r.descriptors);
      updateEnrolmentBlob(harness.deps, r.patient_id, encryptDescriptors(next, r.patient_id, ds));
    }
    expect(recoverFaceKeyRotation(harness.deps, store)).toBe('promoted');
    expect(store.load()!.equals(next)).toBe(true);
    expect(fs.existsSync(`${store.file}.next`)).toBe(false);
  });

  it('after a crash before the commit, drops the pending key and keeps the old one', () => {
    const { harness, store } = setup();
    new FileFaceKeyStore(`${store.file}.next`).save(randomBytes(32));
    expect(recoverFaceKeyRotation(harness.deps, store)).toBe('discarded');
    expect(store.load()!.equals(harness.deps.faceKey)).toBe(true);
    expect(fs.existsSync(`${store.file}.next`)).toBe(false);
    expect(recoverFaceKeyRotation(harness.deps, store)).toBe('none');
  });
});

/**
 * Electron main as the server's parent port sees it: keeps the wrapped 'key' and 'next' slots (here in
 * memory, as plain bytes) and answers each `face-key:save` on the next tick; `failNext` refuses a slot.
 */
class FakeMain {
  readonly slots: { key: Buffer | null; next: Buffer | null } = { key: null, next: null };
  failNext: 'key' | 'next' | null = null;
  private readonly emitter = new EventEmitter();
  readonly port = {
    postMessage: (m: unknown) => {
      const msg = m as { type: string; id: number; slot: 'key' | 'next'; key: string | null };
      const ok = this.failNext !== msg.slot;
      if (ok) this.slots[msg.slot] = msg.key === null ? null : Buffer.from(msg.key, 'base64');
      else this.failNext = null;
      setImmediate(() =>
        this.emitter.emit('message', {
          data: { type: 'face-key:saved', id: msg.id, ok, ...(ok ? {} : { error: 'disk full' }) },
        }),
      );
    },
    on: (e: 'message', l: (event: { data: unknown }) => void) => this.emitter.on(e, l),
    off: (e: 'message', l: (event: { data: unknown }) => void) => this.emitter.off(e, l),
  };
}

describe('face key rotation in the Electron app (key wrapped by main)', () => {
  function wrappedSetup(pending?: Buffer) {
    const { harness, enrolled } = setup();
    const main = new FakeMain();
    main.slots.key = Buffer.from(harness.deps.faceKey);
    const store = new ParentPortFaceKeyStore(
      main.port,
      harness.deps.faceKey.toString('base64'),
      pending?.toString('base64'),
    );
    return { harness, enrolled, main, store };
  }

  it('rotates through POST /api/face/rotate-key: main holds the new key, blobs re-encrypted, server swaps keys', async () => {
    const { harness, enrolled, main, store } = wrappedSetup();
    harness.deps.faceKeyStore = store;
    const oldKey = Buffer.from(harness.deps.faceKey);
    const res = await harness.req('POST', '/api/face/rotate-key');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reencrypted: 3 });
    const key = harness.deps.faceKey;
    expect(key.equals(oldKey)).toBe(false);
    expect(main.slots.key?.equals(key)).toBe(true);
    expect(main.slots.next).toBeNull();
    for (const r of listAllEnrolmentBlobs(harness.deps)) {
      expect(decryptDescriptors(key, r.patient_id, r.descriptors)).toEqual(enrolled.get(r.patient_id));
      expect(() => decryptDescriptors(oldKey, r.patient_id, r.descriptors)).toThrow();
    }
  });

  it('changes nothing when a blob does not decrypt, and drops the pending key', async () => {
    const { harness, main, store } = wrappedSetup();
    const first = listAllEnrolmentBlobs(harness.deps)[0]!;
    updateEnrolmentBlob(
      harness.deps,
      first.patient_id,
      encryptDescriptors(randomBytes(32), first.patient_id, [descriptor(1)]),
    );
    const before = listAllEnrolmentBlobs(harness.deps).map((r) => Buffer.from(r.descriptors));
    const oldKey = Buffer.from(harness.deps.faceKey);
    await expect(rotateWrappedFaceKey(harness.deps, store, oldKey)).rejects.toThrow();
    expect(listAllEnrolmentBlobs(harness.deps).map((r) => Buffer.from(r.descriptors))).toEqual(before);
    expect(main.slots.key?.equals(oldKey)).toBe(true);
    expect(main.slots.next).toBeNull();
  });

  it('fails before touching any blob when main cannot park the new key', async () => {
    const { harness, main, store } = wrappedSetup();
    const before = listAllEnrolmentBlobs(harness.deps).map((r) => Buffer.from(r.descriptors));
    main.failNext = 'next';
    await expect(rotateWrappedFaceKey(harness.deps, store, harness.deps.faceKey)).rejects.toThrow(
      /disk full/,
    );
    expect(listAllEnrolmentBlobs(harness.deps).map((r) => Buffer.from(r.descriptors))).toEqual(before);
  });

  it('at start, promotes a pending key that decrypts the blobs (crash after commit) and drops one that does not', async () => {
    // Crash after the commit: blobs already under the pending key.
    const committed = wrappedSetup();
    const next = randomBytes(32);
    for (const r of listAllEnrolmentBlobs(committed.harness.deps)) {
      const ds = decryptDescriptors(committed.harness.deps.faceKey, r.patient_id, r.descriptors);
      updateEnrolmentBlob(committed.harness.deps, r.patient_id, encryptDescriptors(next, r.patient_id, ds));
    }
    const promoted = new ParentPortFaceKeyStore(
      committed.main.port,
      committed.harness.deps.faceKey.toString('base64'),
      next.toString('base64'),
    );
    expect(await recoverWrappedFaceKeyRotation(committed.harness.deps, promoted)).toBe('promoted');
    expect(committed.main.slots.key?.equals(next)).toBe(true);
    expect(promoted.load().equals(next)).toBe(true);
    committed.harness.close();
    // Crash before the commit: the pending key decrypts nothing and is dropped.
    const { harness, main, store } = wrappedSetup(randomBytes(32));
    const oldKey = Buffer.from(harness.deps.faceKey);
    expect(await recoverWrappedFaceKeyRotation(harness.deps, store)).toBe('discarded');
    expect(main.slots.key?.equals(oldKey)).toBe(true);
    expect(main.slots.next).toBeNull();
  });

  it('answers 409 face_key_not_rotatable for a key from the environment', async () => {
    const { harness } = setup();
    harness.deps.faceKeyStore = new EnvFaceKeyStore(harness.deps.faceKey.toString('base64'));
    const res = await harness.req('POST', '/api/face/rotate-key');
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'face_key_not_rotatable' } });
  });
});
