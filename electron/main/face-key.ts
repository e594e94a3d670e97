/**
 * The face-descriptor key in the packaged app (issue 14 part 5): Electron main keeps the 32-byte key
 * (AES-256-GCM, server/clinic/face/crypto.ts) wrapped by the operating system (`safeStorage`: Keychain,
 * DPAPI, libsecret/KWallet) in `<data dir>/keys/face.key.wrapped`, and hands the unwrapped key to the
 * local server's utility process in its environment (`CFD_FACE_KEY`, with `CFD_FACE_KEY_WRAPPED=1`), so
 * no plain key file exists. When the server rotates the key it asks main over the parent port to wrap and
 * write the new one (`face-key:save`, below; the server's side is ParentPortFaceKeyStore in
 * server/clinic/face/key-store.ts).
 *
 * Everything here is plain Node (no electron import) so vitest reaches it; main supplies a
 * `KeyProtector` built on `safeStorage` (./safe-storage.ts). Where the OS offers no real protection
 * (Linux without a keyring: backend `basic_text`) main sets nothing and the server keeps its own 0600
 * key file, as under plain Node.
 *
 * The file names and message shapes are mirrored in server/clinic/face/key-store.ts (electron/ may not
 * import a server's internals, and neither may import the other): change both together.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  FACE_KEY_BYTES,
  WRAPPED_FACE_KEY_PATH,
  faceKeySaveRequest,
  type FaceKeySaveReply,
} from '../../server/domain/face-key-message.ts';

/** Format tag written in every wrapped key file, so a foreign or truncated file is told apart. */
const WRAPPED_FORMAT = 'cfd-face-key/os-wrapped-1';

/** Encrypts small secrets with a key the operating system holds (main: safeStorage). */
export interface KeyProtector {
  /** Whether encryption is available and really protected by the OS (not a plain-text fallback). */
  isAvailable(): boolean;
  /** Wraps `plain`. @throws Error when the OS refuses */
  encrypt(plain: Buffer): Buffer;
  /** Unwraps what `encrypt` returned. @throws Error when `wrapped` was not made by this OS account */
  decrypt(wrapped: Buffer): Buffer;
}

/** Where main keeps the key, and the plain key files of earlier builds it takes over. */
export interface FaceKeyFiles {
  /** The wrapped key: `<data dir>/keys/face.key.wrapped` (folder 0700, file 0600). */
  wrappedFile: string;
  /**
   * Plain key files of earlier builds or of runs without OS protection, in order:
   * `<data dir>/keys/face.key`, then `<data dir>/face.key` (beside the database, older still).
   */
  legacyPlainFiles: string[];
}

/** A rotation's new key until its re-encryption commits: `<file>.next`. */
export function pendingFileOf(file: string): string {
  return `${file}.next`;
}

/** The files main uses under `dataDir` (the server's CFD_DATA_DIR). */
export function faceKeyFilesFor(dataDir: string): FaceKeyFiles {
  return {
    wrappedFile: path.join(dataDir, ...WRAPPED_FACE_KEY_PATH),
    legacyPlainFiles: [path.join(dataDir, 'keys', 'face.key'), path.join(dataDir, 'face.key')],
  };
}

/**
 * What main decided about the key:
 * - `wrapped`: main holds it; pass `faceKeyEnv(decision)` to the server. `origin` says whether it was
 *   read, newly created, or taken over (`migrated`) from a plain key file that is now deleted.
 *   `pendingKey` is a rotation's new key left by a crash (the server decides whether it is promoted).
 * - `plain-file`: no OS protection, or a plain key's rotation to finish first (`reason`); the server
 *   keeps its own key file, main sets nothing.
 * - `env`: the operator set CFD_FACE_KEY or CFD_FACE_KEY_FILE; main passes it through untouched.
 */
export type FaceKeyDecision =
  | { mode: 'wrapped'; key: Buffer; pendingKey: Buffer | null; origin: 'existing' | 'created' | 'migrated' }
  | { mode: 'plain-file'; reason: string }
  | { mode: 'env' };

/** A wrapped key file that exists but cannot be unwrapped; never answered with a new key. */
export class FaceKeyUnwrapError extends Error {
  override readonly name = 'FaceKeyUnwrapError';
}

/**
 * Decides where the key comes from and returns it. The environment wins (CFD_FACE_KEY or
 * CFD_FACE_KEY_FILE set → `env`); else `loadOrCreateWrappedKey` on `faceKeyFilesFor(CFD_DATA_DIR)`.
 * @param env main's environment; `CFD_DATA_DIR` is the data folder main gives the server
 * @throws FaceKeyUnwrapError / Error as `loadOrCreateWrappedKey`
 */
export function decideFaceKey(
  env: { CFD_DATA_DIR: string; CFD_FACE_KEY?: string | undefined; CFD_FACE_KEY_FILE?: string | undefined },
  protector: KeyProtector,
): FaceKeyDecision {
  if (env.CFD_FACE_KEY || env.CFD_FACE_KEY_FILE) return { mode: 'env' };
  return loadOrCreateWrappedKey({ ...faceKeyFilesFor(env.CFD_DATA_DIR), protector });
}

/**
 * The key main holds, from the first that applies:
 * 1. the wrapped file exists → unwrap it (a leftover plain file with the same key is then deleted);
 * 2. a plain key file of an earlier build exists → wrap it, write the wrapped file (0600 in a 0700
 *    folder, temp file + fsync + rename), then delete the plain file (overwritten, then unlinked) —
 *    unless a plain `.next` shows an interrupted rotation: then `plain-file` this once, so the server
 *    finishes it with its own key file, and the key is taken over at the next start;
 * 3. else a new random 32-byte key, wrapped and written.
 * When `protector.isAvailable()` is false and there is no wrapped file, nothing is written and the
 * answer is `plain-file` (the server keeps its 0600 key file).
 * @returns a `wrapped` or `plain-file` decision
 * @throws FaceKeyUnwrapError when the wrapped file (or its `.next`) exists but cannot be unwrapped, or
 *   exists while the protector is unavailable — never a new key, which would orphan every enrolment
 * @throws Error when two plain key files (or a plain and the wrapped one) hold different keys
 */
export function loadOrCreateWrappedKey(opts: FaceKeyFiles & { protector: KeyProtector }): FaceKeyDecision {
  const { wrappedFile, legacyPlainFiles, protector } = opts;
  const available = protector.isAvailable();
  if (fs.existsSync(wrappedFile)) {
    if (!available)
      throw new FaceKeyUnwrapError(
        `${wrappedFile} holds the face key wrapped by the OS, but OS encryption is not available now ` +
          '(locked or missing keyring?); unlock it and restart — no new key is made, as it would orphan every enrolment',
      );
    const key = readWrapped(wrappedFile, protector);
    const next = pendingFileOf(wrappedFile);
    const pendingKey = fs.existsSync(next) ? readWrapped(next, protector) : null;
    for (const plain of existing(legacyPlainFiles)) {
      if (!readPlain(plain).equals(key))
        throw new Error(
          `${wrappedFile} and ${plain} hold different face keys; keep the one the enrolments use and remove the other`,
        );
      secureDelete(plain);
    }
    return { mode: 'wrapped', key, pendingKey, origin: 'existing' };
  }
  if (!available)
    return { mode: 'plain-file', reason: 'OS encryption (safeStorage) is not available or not protected' };
  const plains = existing(legacyPlainFiles);
  if (plains.length > 0) {
    const key = readPlain(plains[0]!);
    for (const other of plains.slice(1))
      if (!readPlain(other).equals(key))
        throw new Error(
          `${plains[0]} and ${other} hold different face keys; keep the one the enrolments use and remove the other`,
        );
    const plainNext = existing(plains.map(pendingFileOf))[0];
    // A rotation of the plain key was interrupted: the server finishes it (promotes or drops `.next`
    // against the database) with its own key file; the key is taken over at the next start.
    if (plainNext)
      return {
        mode: 'plain-file',
        reason: `${plainNext} is an interrupted key rotation; the server finishes it first`,
      };
    writeWrapped(wrappedFile, key, protector);
    for (const plain of plains) secureDelete(plain);
    return { mode: 'wrapped', key, pendingKey: null, origin: 'migrated' };
  }
  const key = randomBytes(FACE_KEY_BYTES);
  writeWrapped(wrappedFile, key, protector);
  return { mode: 'wrapped', key, pendingKey: null, origin: 'created' };
}

/**
 * The variables main adds to the server's environment: for `wrapped`, `CFD_FACE_KEY` (base64),
 * `CFD_FACE_KEY_WRAPPED=1` (save a rotated key through main) and, after an interrupted rotation,
 * `CFD_FACE_KEY_NEXT`; nothing for the other modes.
 */
export function faceKeyEnv(decision: FaceKeyDecision): Record<string, string> {
  if (decision.mode !== 'wrapped') return {};
  return {
    CFD_FACE_KEY: decision.key.toString('base64'),
    CFD_FACE_KEY_WRAPPED: '1',
    ...(decision.pendingKey ? { CFD_FACE_KEY_NEXT: decision.pendingKey.toString('base64') } : {}),
  };
}

/**
 * Handles one message from the server. Not a `face-key:save` → null (someone else's message).
 * Otherwise the wrapped file (or its `.next`) is replaced atomically and the reply says so; a bad
 * request, a key main does not hold (`holdsKey` false: the last decision was not `wrapped`), an
 * unavailable protector or a failed write is an `ok: false` reply, never a throw.
 * @param msg what the utility process posted
 * @param opts `wrappedFile` from `faceKeyFilesFor`; `holdsKey` = the last decision was `wrapped`
 * @returns the reply to post back, or null
 */
export function handleFaceKeyMessage(
  msg: unknown,
  opts: Pick<FaceKeyFiles, 'wrappedFile'> & { protector: KeyProtector; holdsKey: boolean },
): FaceKeySaveReply | null {
  const { wrappedFile, protector } = opts;
  if (typeof msg !== 'object' || msg === null || (msg as { type?: unknown }).type !== 'face-key:save')
    return null;
  const parsed = faceKeySaveRequest.safeParse(msg);
  const rawId = (msg as { id?: unknown }).id;
  const id = parsed.success ? parsed.data.id : typeof rawId === 'number' ? rawId : -1;
  const fail = (error: string): FaceKeySaveReply => ({ type: 'face-key:saved', id, ok: false, error });
  if (!parsed.success) return fail('malformed face-key:save request');
  if (!opts.holdsKey)
    return fail('the Electron app does not hold the face key (it comes from the environment or a key file)');
  const { slot, key } = parsed.data;
  const file = slot === 'key' ? wrappedFile : pendingFileOf(wrappedFile);
  try {
    if (key === null) {
      if (slot === 'key') return fail('the key itself cannot be removed');
      fs.rmSync(file, { force: true });
      fsyncDir(path.dirname(file));
    } else {
      const bytes = Buffer.from(key, 'base64');
      if (bytes.length !== FACE_KEY_BYTES) return fail('a face key must be 32 bytes, base64-encoded');
      if (!protector.isAvailable()) return fail('OS encryption (safeStorage) is not available');
      writeWrapped(file, bytes, protector);
    }
    return { type: 'face-key:saved', id, ok: true };
  } catch (err) {
    return fail(`could not write ${file}: ${(err as Error).message}`);
  }
}

function existing(files: string[]): string[] {
  return files.filter((f) => fs.existsSync(f));
}

/** A plain key file (base64 text). @throws Error when it is not a 32-byte key */
function readPlain(file: string): Buffer {
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== FACE_KEY_BYTES) throw new Error(`${file} must hold a 32-byte key, base64-encoded`);
  return key;
}

function readWrapped(file: string, protector: KeyProtector): Buffer {
  const bad = (why: string) =>
    new FaceKeyUnwrapError(
      `cannot unwrap the face key in ${file} (${why}); restore that file from a backup of this computer's ` +
        'data folder — no new key is made, as it would orphan every enrolment',
    );
  let wrapped: Buffer;
  try {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: unknown; wrapped?: unknown };
    if (doc.format !== WRAPPED_FORMAT || typeof doc.wrapped !== 'string') throw bad('not a wrapped key file');
    wrapped = Buffer.from(doc.wrapped, 'base64');
  } catch (err) {
    if (err instanceof FaceKeyUnwrapError) throw err;
    throw bad('not a wrapped key file');
  }
  let key: Buffer;
  try {
    key = protector.decrypt(wrapped);
  } catch (err) {
    throw bad(`the OS could not decrypt it: ${(err as Error).message}; another user or computer?`);
  }
  if (key.length !== FACE_KEY_BYTES) throw bad('it does not hold a 32-byte key');
  return key;
}

function writeWrapped(file: string, key: Buffer, protector: KeyProtector): void {
  const doc = { format: WRAPPED_FORMAT, wrapped: protector.encrypt(key).toString('base64') };
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  writeFileAtomic(file, `${JSON.stringify(doc)}\n`);
}

/** Temp file (0600) + fsync + rename + folder fsync: a crash leaves the old or the new file. */
function writeFileAtomic(file: string, data: string): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}

/**
 * Overwrites a plain key file with random bytes (fsynced), then unlinks it. On copy-on-write or
 * flash storage the old blocks may survive; this removes the key from the file system's view.
 */
function secureDelete(file: string): void {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, randomBytes(Math.max(size, FACE_KEY_BYTES)), 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.rmSync(file);
  fsyncDir(path.dirname(file));
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
