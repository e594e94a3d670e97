/** Small tests of descriptor encryption (AES-256-GCM bound to the patient) and the key file. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptDescriptors, encryptDescriptors, loadFaceKey } from './crypto.ts';

const descriptor = () => Float32Array.from({ length: 128 }, (_, i) => Math.sin(i) * 0.1);

describe('descriptor encryption', () => {
  it('round-trips and does not store the floats in clear', () => {
    const key = randomBytes(32);
    const d = descriptor();
    const blob = encryptDescriptors(key, 'patient-1', [d, d]);
    expect(blob.length).toBe(12 + 16 + 2 * 128 * 4);
    expect(blob.includes(Buffer.from(d.buffer).subarray(0, 16))).toBe(false);
    const back = decryptDescriptors(key, 'patient-1', blob);
    expect(back).toHaveLength(2);
    expect(Array.from(back[1]!)).toEqual(Array.from(d));
  });

  it('fails on tampering, on another patient’s row and with another key', () => {
    const key = randomBytes(32);
    const blob = encryptDescriptors(key, 'patient-1', [descriptor()]);
    const tampered = Buffer.from(blob);
    tampered[40] = tampered[40]! ^ 1;
    const authFailure = /unable to authenticate data/;
    expect(() => decryptDescriptors(key, 'patient-1', tampered)).toThrow(authFailure);
    expect(() => decryptDescriptors(key, 'patient-2', blob)).toThrow(authFailure);
    expect(() => decryptDescriptors(randomBytes(32), 'patient-1', blob)).toThrow(authFailure);
  });

  it('creates a private key file once and reuses it; rejects a short configured key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-key-'));
    const k1 = loadFaceKey(dir, undefined);
    const k2 = loadFaceKey(dir, undefined);
    expect(k1.equals(k2)).toBe(true);
    expect(k1.length).toBe(32);
    expect(fs.statSync(path.join(dir, 'face.key')).mode & 0o077).toBe(0);
    expect(() => loadFaceKey(dir, Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
