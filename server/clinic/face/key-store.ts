/**
 * Where the 32-byte descriptor key (AES-256-GCM, server/clinic/face/crypto.ts) lives.
 *
 * - `CFD_FACE_KEY` (base64, 32 bytes) wins: the key comes from the environment and is never written.
 * - Otherwise a key file, by default `<data dir>/keys/face.key` (folder 0700, file 0600) — no longer
 *   beside the database, so a copy of the data folder's database files does not carry its key; or
 *   wherever `CFD_FACE_KEY_FILE` points (e.g. another volume). A `<data dir>/face.key` of an older build
 *   is moved there on first start.
 *
 * Seam for the Electron app: the server depends only on `FaceKeyStore`. Electron main (which never
 * touches the face engine) can keep the key wrapped with `safeStorage` (OS keychain / DPAPI) and pass
 * the unwrapped key to the server's utility process in its environment as `CFD_FACE_KEY`, so no
 * plain key file exists; a store that asks main over the parent port to wrap a rotated key
 * (`save`) can be added then. This module never imports electron (server/ boundary).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, restrictFile, writeFileAtomic } from '../lib/private-fs.ts';

/** Key length in bytes (AES-256). */
export const FACE_KEY_BYTES = 32;

/** Loads and saves the descriptor key. */
export interface FaceKeyStore {
  /** Where the key lives, for logs and errors (never the key itself). */
  readonly description: string;
  /** The stored key, or null when none exists yet. @throws Error when the stored key is not 32 bytes */
  load(): Buffer | null;
  /** Stores `key`, replacing any previous one atomically. @throws Error when the store is read-only */
  save(key: Buffer): void;
}

/** Decodes a base64 key. @throws Error naming `source` when it is not 32 bytes */
function decodeKey(base64: string, source: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== FACE_KEY_BYTES) throw new Error(`${source} must be 32 bytes, base64-encoded`);
  return key;
}

/** A key file (base64 text) in a 0700 folder, written 0600 by temp file + rename. */
export class FileFaceKeyStore implements FaceKeyStore {
  readonly description: string;

  /** @param file path of the key file; its folder is created 0700 on save */
  constructor(readonly file: string) {
    this.description = `key file ${file}`;
  }

  /** Reads the key and fixes the file's mode to 0600; null when the file does not exist. */
  load(): Buffer | null {
    if (!fs.existsSync(this.file)) return null;
    restrictFile(this.file);
    return decodeKey(fs.readFileSync(this.file, 'utf8'), this.description);
  }

  /** Writes the key atomically (temp file + fsync + rename), mode 0600, folder 0700. */
  save(key: Buffer): void {
    if (key.length !== FACE_KEY_BYTES) throw new Error('a face key must be 32 bytes');
    ensurePrivateDir(path.dirname(this.file));
    writeFileAtomic(this.file, key.toString('base64'));
  }
}

/** A key given in the environment (`CFD_FACE_KEY`); read-only, since the process cannot change it. */
export class EnvFaceKeyStore implements FaceKeyStore {
  readonly description = 'CFD_FACE_KEY';
  private readonly key: Buffer;

  /** @throws Error when `base64` is not a 32-byte key */
  constructor(base64: string) {
    this.key = decodeKey(base64, 'CFD_FACE_KEY');
  }

  /** The configured key. */
  load(): Buffer {
    return this.key;
  }

  /** @throws Error always: set the new key in CFD_FACE_KEY instead */
  save(): never {
    throw new Error('the face key comes from CFD_FACE_KEY; change it there, not through the server');
  }
}

/** The default key file: `<data dir>/keys/face.key`. */
export function defaultFaceKeyFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'face.key');
}

/**
 * The store the configuration asks for: the env key when given, else the key file.
 * @param config `faceKey` = base64 key from CFD_FACE_KEY; `faceKeyFile` = CFD_FACE_KEY_FILE or the default
 */
export function faceKeyStoreFor(config: { faceKey?: string; faceKeyFile: string }): FaceKeyStore {
  return config.faceKey ? new EnvFaceKeyStore(config.faceKey) : new FileFaceKeyStore(config.faceKeyFile);
}

/**
 * Moves a key file of an older build (`<data dir>/face.key`, beside the database) to `keyFile` (mode
 * 0600, folder 0700). When both exist and hold the same key the old one is removed.
 * @returns whether a legacy file was moved or removed
 * @throws Error when both exist with different keys (which one encrypted the descriptors is unknown)
 */
export function migrateLegacyFaceKey(dataDir: string, keyFile: string): boolean {
  const legacy = path.join(dataDir, 'face.key');
  if (path.resolve(legacy) === path.resolve(keyFile) || !fs.existsSync(legacy)) return false;
  if (fs.existsSync(keyFile)) {
    const same = fs.readFileSync(legacy, 'utf8').trim() === fs.readFileSync(keyFile, 'utf8').trim();
    if (!same)
      throw new Error(
        `both ${legacy} and ${keyFile} exist with different keys; keep the right one and remove the other`,
      );
    fs.rmSync(legacy);
    return true;
  }
  ensurePrivateDir(path.dirname(keyFile));
  restrictFile(legacy);
  try {
    fs.renameSync(legacy, keyFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    // Another volume: copy atomically, then remove the old file.
    writeFileAtomic(keyFile, fs.readFileSync(legacy));
    fs.rmSync(legacy);
  }
  restrictFile(keyFile);
  return true;
}

/** The stored key, or a new random one saved to the store on first use. */
export function loadOrCreateFaceKey(store: FaceKeyStore): Buffer {
  const existing = store.load();
  if (existing) return existing;
  const key = randomBytes(FACE_KEY_BYTES);
  store.save(key);
  return key;
}
