/** Small tests of descriptor encryption (AES-256-GCM bound to the patient); the key file: key-store.test.ts. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptDescriptors, encryptDescriptors } from './crypto.ts';

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
});
