/**
 * Descriptors at rest: AES-256-GCM (Node crypto), 12-byte random IV, 16-byte tag, the patient id as
 * additional authenticated data so a ciphertext cannot be moved to another patient's row.
 * Blob layout: iv(12) ‖ tag(16) ‖ ciphertext(n × 128 × 4 bytes, little-endian float32).
 * Where the key lives and how it is rotated: server/clinic/face/key-store.ts.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Values per descriptor (face-api's 128-d embedding). */
export const DESCRIPTOR_LENGTH = 128;

/**
 * Encrypts n descriptors (Float32Array(128) each, stored little-endian) with AES-256-GCM and the patient
 * id as additional authenticated data, so a blob copied to another patient fails to decrypt.
 * @returns iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext (n × 512 bytes)
 * @throws RangeError when a descriptor does not have 128 values
 */
export function encryptDescriptors(key: Buffer, patientId: string, descriptors: Float32Array[]): Buffer {
  const plain = Buffer.alloc(descriptors.length * DESCRIPTOR_LENGTH * 4);
  descriptors.forEach((d, i) => {
    if (d.length !== DESCRIPTOR_LENGTH) throw new RangeError(`descriptor ${i} has ${d.length} values`);
    d.forEach((v, j) => plain.writeFloatLE(v, (i * DESCRIPTOR_LENGTH + j) * 4));
  });
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(patientId));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** @throws Error when the blob was altered, belongs to another patient or the key is wrong */
export function decryptDescriptors(key: Buffer, patientId: string, blob: Buffer): Float32Array[] {
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
  decipher.setAAD(Buffer.from(patientId));
  decipher.setAuthTag(blob.subarray(12, 28));
  const plain = Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
  const out: Float32Array[] = [];
  for (let off = 0; off < plain.length; off += DESCRIPTOR_LENGTH * 4) {
    const d = new Float32Array(DESCRIPTOR_LENGTH);
    for (let j = 0; j < DESCRIPTOR_LENGTH; j++) d[j] = plain.readFloatLE(off + j * 4);
    out.push(d);
  }
  return out;
}
