/**
 * Where the 32-byte descriptor key (AES-256-GCM, server/clinic/face/crypto.ts) lives. First that applies:
 *
 * 1. `CFD_FACE_KEY` (base64, 32 bytes) wins: the key comes from the environment and is never written.
 *    - The packaged Electron app sets it, with `CFD_FACE_KEY_WRAPPED=1`: main keeps the key wrapped by
 *      the OS (`safeStorage`: Keychain, DPAPI, libsecret/KWallet) in `<data dir>/keys/face.key.wrapped`
 *      (0600, folder 0700) and unwraps it for this utility process, so no plain key file exists
 *      (electron/main/face-key.ts; it takes over, then deletes, a plain key file of an earlier build).
 *      A rotated key is saved through main: `ParentPortFaceKeyStore` posts
 *      `{ type: 'face-key:save', id, slot: 'key' | 'next', key: base64 | null }` on `process.parentPort`
 *      and waits for `{ type: 'face-key:saved', id, ok, error? }`. `CFD_FACE_KEY_NEXT` carries the new
 *      key of a rotation a crash interrupted (`slot: 'next'`, the wrapped `.next` file).
 *    - Set by an operator (plain Node or the app): read-only (`EnvFaceKeyStore`).
 * 2. Otherwise a key file, by default `<data dir>/keys/face.key` (folder 0700, file 0600) — no longer
 *    beside the database, so a copy of the data folder's database files does not carry its key; or
 *    wherever `CFD_FACE_KEY_FILE` points (e.g. another volume). A `<data dir>/face.key` of an older build
 *    is moved there on first start. This is plain Node's store, and the app's where the OS offers no
 *    real protection (Linux without a keyring). No new key is made while `keys/face.key.wrapped`
 *    exists: that folder's key is the app's, and a new one would orphan every enrolment.
 *
 * This module never imports electron (server/ boundary); the parent port is a narrow local interface.
 * The wrapped file's name and the message shapes are mirrored in electron/main/face-key.ts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  FACE_KEY_BYTES,
  WRAPPED_FACE_KEY_PATH,
  faceKeySaveReply,
  type FaceKeySaveRequest,
  type FaceKeySlot,
} from '../../domain/face-key-message.ts';
import { ensurePrivateDir, restrictFile, writeFileAtomic } from '../lib/private-fs.ts';

/** Key length in bytes (AES-256), from the contract shared with Electron main. */
export { FACE_KEY_BYTES };

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

  /**
   * @param file path of the key file; its folder is created 0700 on save
   * @param opts `wrappedFile`: the Electron app's wrapped key of the same data folder; while it exists a
   *   missing `file` is an error, not "no key yet"
   */
  constructor(
    readonly file: string,
    private readonly opts: { wrappedFile?: string } = {},
  ) {
    this.description = `key file ${file}`;
  }

  /**
   * Reads the key and fixes the file's mode to 0600; null when the file does not exist.
   * @throws Error when the file is missing but the Electron app's wrapped key exists
   */
  load(): Buffer | null {
    if (!fs.existsSync(this.file)) {
      const wrapped = this.opts.wrappedFile;
      if (wrapped && fs.existsSync(wrapped))
        throw new Error(
          `no ${this.file}, but ${wrapped} exists: the Clinic Front Desk app keeps this data folder's face key ` +
            'wrapped by the OS; start the app (or give CFD_FACE_KEY) — a new key would orphan every enrolment',
        );
      return null;
    }
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

/** The Electron app's OS-wrapped key: `<data dir>/keys/face.key.wrapped` (electron/main/face-key.ts). */
export function wrappedFaceKeyFile(dataDir: string): string {
  return path.join(dataDir, ...WRAPPED_FACE_KEY_PATH);
}

/** The part of Electron's `process.parentPort` (a utility process's channel to main) this module uses. */
export interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

/** `process.parentPort` when running as Electron's utility process, else null (plain Node). */
export function electronParentPort(proc: object = process): ParentPortLike | null {
  return (proc as { parentPort?: ParentPortLike }).parentPort ?? null;
}

/** Where a key saved through main goes: the key itself, or a rotation's pending key (`.next`). */
export type WrappedKeySlot = FaceKeySlot;

/**
 * The key the Electron app holds wrapped by the OS (`CFD_FACE_KEY_WRAPPED=1`): loaded from the
 * environment main set, saved by asking main to wrap and write it (`saveWrapped`, async: main answers
 * over the parent port). The synchronous `save` of `FaceKeyStore` cannot wait for main and throws.
 */
export class ParentPortFaceKeyStore implements FaceKeyStore {
  readonly description = 'the Clinic Front Desk app (key wrapped by the OS in keys/face.key.wrapped)';
  private key: Buffer;
  private pending: Buffer | null;
  private nextId = 1;

  /**
   * @param keyBase64 CFD_FACE_KEY; @param nextBase64 CFD_FACE_KEY_NEXT, when set
   * @param timeoutMs how long `saveWrapped` waits for main's answer (default 10 s)
   * @throws Error when a key is not 32 bytes
   */
  constructor(
    private readonly port: ParentPortLike,
    keyBase64: string,
    nextBase64?: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.key = decodeKey(keyBase64, 'CFD_FACE_KEY');
    this.pending = nextBase64 ? decodeKey(nextBase64, 'CFD_FACE_KEY_NEXT') : null;
  }

  /** The key as last loaded or saved. */
  load(): Buffer {
    return this.key;
  }

  /** A rotation's pending key (from CFD_FACE_KEY_NEXT or `saveWrapped(key, 'next')`), or null. */
  loadPending(): Buffer | null {
    return this.pending;
  }

  /** @throws Error always: main answers asynchronously, so use `saveWrapped` */
  save(): never {
    throw new Error('the face key is wrapped by the Electron app; save it with saveWrapped() (asynchronous)');
  }

  /**
   * Asks main to wrap `key` and write it into `slot` ('key' = replace the key; 'next' = park a
   * rotation's new key until its re-encryption commits); resolves once main has written it.
   * @throws Error when the key is not 32 bytes, main refuses or fails (its reason), or does not answer
   *   within `timeoutMs`
   */
  async saveWrapped(key: Buffer, slot: WrappedKeySlot = 'key'): Promise<void> {
    if (key.length !== FACE_KEY_BYTES) throw new Error('a face key must be 32 bytes');
    await this.request(slot, key.toString('base64'));
    if (slot === 'key') this.key = Buffer.from(key);
    else this.pending = Buffer.from(key);
  }

  /** Asks main to remove the pending key (after it was promoted or discarded). @throws as `saveWrapped` */
  async dropPending(): Promise<void> {
    await this.request('next', null);
    this.pending = null;
  }

  private request(slot: WrappedKeySlot, key: string | null): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const done = (err: Error | null) => {
        clearTimeout(timer);
        this.port.off('message', onMessage);
        if (err) reject(err);
        else resolve();
      };
      const onMessage = (event: { data: unknown }) => {
        const parsed = faceKeySaveReply.safeParse(event.data);
        if (!parsed.success || parsed.data.id !== id) return; // someone else's message
        const reply = parsed.data;
        if (reply.ok) done(null);
        else done(new Error(`the Electron app did not save the face key: ${reply.error ?? 'no reason'}`));
      };
      const timer = setTimeout(
        () => done(new Error(`the Electron app did not answer face-key:save within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      this.port.on('message', onMessage);
      const request: FaceKeySaveRequest = { type: 'face-key:save', id, slot, key };
      this.port.postMessage(request);
    });
  }
}

/**
 * The store the configuration asks for: the app's wrapped key (CFD_FACE_KEY with
 * CFD_FACE_KEY_WRAPPED=1, under Electron's parent port), else the env key, else the key file (which
 * refuses to start afresh while the data folder holds the app's wrapped key).
 * @param config `faceKey` = base64 key from CFD_FACE_KEY; `faceKeyFile` = CFD_FACE_KEY_FILE or the
 *   default; `faceKeyWrapped`, `faceKeyNext`, `dataDir` as in env.ts
 * @param port Electron's parent port (`electronParentPort()`), or null under plain Node
 */
export function faceKeyStoreFor(
  config: {
    faceKey?: string;
    faceKeyFile: string;
    faceKeyWrapped?: boolean;
    faceKeyNext?: string;
    dataDir?: string;
  },
  port: ParentPortLike | null = null,
): FaceKeyStore {
  if (config.faceKey && config.faceKeyWrapped && port)
    return new ParentPortFaceKeyStore(port, config.faceKey, config.faceKeyNext);
  if (config.faceKey) return new EnvFaceKeyStore(config.faceKey);
  return new FileFaceKeyStore(
    config.faceKeyFile,
    config.dataDir ? { wrappedFile: wrappedFaceKeyFile(config.dataDir) } : {},
  );
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
