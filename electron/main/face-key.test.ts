/**
 * Small tests of main's face-key decisions (./face-key.ts) on real files in a temp folder, with a fake
 * OS protector (XOR + a tag, so a wrapped key differs from the plain one and a foreign blob is refused).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decideFaceKey,
  FaceKeyUnwrapError,
  faceKeyEnv,
  faceKeyFilesFor,
  handleFaceKeyMessage,
  loadOrCreateWrappedKey,
  pendingFileOf,
  type KeyProtector,
} from './face-key.ts';

const TAG = Buffer.from('FAKE-OS-1:');

/** XORs with 0x5a behind a tag; `available` toggles isAvailable(). */
function fakeProtector(available = true): KeyProtector & { available: boolean } {
  return {
    available,
    isAvailable() {
      return this.available;
    },
    encrypt: (plain) => Buffer.concat([TAG, Buffer.from(plain.map((b) => b ^ 0x5a))]),
    decrypt: (wrapped) => {
      if (!wrapped.subarray(0, TAG.length).equals(TAG)) throw new Error('not ours');
      return Buffer.from(wrapped.subarray(TAG.length).map((b) => b ^ 0x5a));
    },
  };
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const tempData = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-main-key-'));
const writePlain = (file: string, key: Buffer) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, key.toString('base64'), { mode: 0o644 });
};
const wrappedKey = (d: ReturnType<typeof loadOrCreateWrappedKey>) => {
  if (d.mode !== 'wrapped') throw new Error(`expected wrapped, got ${d.mode}`);
  return d;
};

describe('main: the OS-wrapped face key', () => {
  it('creates a random 32-byte key wrapped in keys/face.key.wrapped (0600, folder 0700), then reuses it', () => {
    const data = tempData();
    const files = faceKeyFilesFor(data);
    expect(files.wrappedFile).toBe(path.join(data, 'keys', 'face.key.wrapped'));
    const first = wrappedKey(loadOrCreateWrappedKey({ ...files, protector: fakeProtector() }));
    expect(first.origin).toBe('created');
    expect(first.key.length).toBe(32);
    expect(mode(files.wrappedFile)).toBe(0o600);
    expect(mode(path.dirname(files.wrappedFile))).toBe(0o700);
    expect(fs.readdirSync(path.join(data, 'keys'))).toEqual(['face.key.wrapped']); // no plain file, no temp file
    const again = wrappedKey(loadOrCreateWrappedKey({ ...files, protector: fakeProtector() }));
    expect(again.origin).toBe('existing');
    expect(again.key.equals(first.key)).toBe(true);
    expect(faceKeyEnv(again)).toEqual({
      CFD_FACE_KEY: first.key.toString('base64'),
      CFD_FACE_KEY_WRAPPED: '1',
    });
  });

  it('takes over a plain keys/face.key of an earlier build: wrapped, plain file gone, no key bytes on disk', () => {
    const data = tempData();
    const files = faceKeyFilesFor(data);
    const key = randomBytes(32);
    writePlain(files.legacyPlainFiles[0]!, key);
    const d = wrappedKey(loadOrCreateWrappedKey({ ...files, protector: fakeProtector() }));
    expect(d.origin).toBe('migrated');
    expect(d.key.equals(key)).toBe(true);
    expect(fs.existsSync(files.legacyPlainFiles[0]!)).toBe(false);
    expect(mode(files.wrappedFile)).toBe(0o600);
    expect(mode(path.dirname(files.wrappedFile))).toBe(0o700);
    const raw = fs.readFileSync(files.wrappedFile);
    expect(raw.includes(key)).toBe(false);
    expect(raw.includes(Buffer.from(key.toString('base64')))).toBe(false);
    expect(wrappedKey(loadOrCreateWrappedKey({ ...files, protector: fakeProtector() })).key.equals(key)).toBe(
      true,
    );
  });

  it('takes over the older <data>/face.key too, and refuses two plain files with different keys', () => {
    const data = tempData();
    const files = faceKeyFilesFor(data);
    const key = randomBytes(32);
    writePlain(files.legacyPlainFiles[1]!, key);
    expect(wrappedKey(loadOrCreateWrappedKey({ ...files, protector: fakeProtector() })).key.equals(key)).toBe(
      true,
    );
    expect(fs.existsSync(files.legacyPlainFiles[1]!)).toBe(false);

    const other = tempData();
    const otherFiles = faceKeyFilesFor(other);
    writePlain(otherFiles.legacyPlainFiles[0]!, randomBytes(32));
    writePlain(otherFiles.legacyPlainFiles[1]!, randomBytes(32));
    expect(() => loadOrCreateWrappedKey({ ...otherFiles, protector: fakeProtector() })).toThrow(
      /different face keys/,
    );
    expect(fs.existsSync(otherFiles.wrappedFile)).toBe(false);
  });

  it('removes a leftover plain file equal to the wrapped key, and refuses one that differs', () => {
    const data = tempData();
    const files = faceKeyFilesFor(data);
    const { key } = wrappedKey(loadOrCreateWrappedKey({ ...files, protector: fakeProtector() }));
    writePlain(files.legacyPlainFiles[0]!, key); // e.g. a crash between writing the wrapped file and deleting
    loadOrCreateWrappedKey({ ...files, protector: fakeProtector() });
    expect(fs.existsSync(files.legacyPlainFiles[0]!)).toBe(false);
    writePlain(files.legacyPlainFiles[0]!, randomBytes(32));
    expect(() => loadOrCreateWrappedKey({ ...files, protector: fakeProtector() })).toThrow(
      /different face keys/,
    );
  });

  it('leaves a plain key whose rotation was interrupted to the server this once', () => {
    const data = tempData();
    const files = faceKeyFilesFor(data);
    writePlain(files.legacyPlainFiles[0]!, randomBytes(32));
    writePlain(pendingFileOf(files.legacyPlainFiles[0]!), randomBytes(32));
    const d = loadOrCreateWrappedKey({ ...files, protector: fakeProtector() });
    expect(d.mode).toBe('plain-file');
    expect(faceKeyEnv(d)).toEqual({});
    expect(fs.existsSync(files.legacyPlainFiles[0]!)).toBe(true);
    expect(fs.existsSync(files.wrappedFile)).toBe(false);
  });

  it('falls back to the server key file when the OS gives no protection, writing nothing', () => {
    const data = tempData();
    const files = faceKeyFilesFor(data);
    const d = loadOrCreateWrappedKey({ ...files, protector: fakeProtector(false) });
    expect(d.mode).toBe('plain-file');
    expect(faceKeyEnv(d)).toEqual({});
    expect(fs.existsSync(path.join(data, 'keys'))).toBe(false);
    // A plain key file stays where the server reads it.
    writePlain(files.legacyPlainFiles[0]!, randomBytes(32));
    expect(loadOrCreateWrappedKey({ ...files, protector: fakeProtector(false) }).mode).toBe('plain-file');
    expect(fs.existsSync(files.legacyPlainFiles[0]!)).toBe(true);
  });

  it('never answers a wrapped key it cannot unwrap with a new key', () => {
    const data = tempData();
    const files = faceKeyFilesFor(data);
    wrappedKey(loadOrCreateWrappedKey({ ...files, protector: fakeProtector() }));
    const before = fs.readFileSync(files.wrappedFile);
    // The OS protection went away (locked keyring): an error, not a fallback.
    expect(() => loadOrCreateWrappedKey({ ...files, protector: fakeProtector(false) })).toThrow(
      FaceKeyUnwrapError,
    );
    // Another OS account's blob.
    const foreign: KeyProtector = {
      ...fakeProtector(),
      decrypt: () => {
        throw new Error('wrong account');
      },
    };
    expect(() => loadOrCreateWrappedKey({ ...files, protector: foreign })).toThrow(
      /cannot unwrap.*wrong account/,
    );
    // Corrupted files: garbage, valid JSON of another shape, a blob that unwraps to the wrong length.
    for (const content of ['garbage', '{"format":"other","wrapped":"AAAA"}', 'null']) {
      fs.writeFileSync(files.wrappedFile, content);
      expect(() => loadOrCreateWrappedKey({ ...files, protector: fakeProtector() })).toThrow(/cannot unwrap/);
    }
    const short = fakeProtector().encrypt(randomBytes(16)).toString('base64');
    fs.writeFileSync(
      files.wrappedFile,
      JSON.stringify({ format: 'cfd-face-key/os-wrapped-1', wrapped: short }),
    );
    expect(() => loadOrCreateWrappedKey({ ...files, protector: fakeProtector() })).toThrow(/32-byte/);
    expect(fs.readdirSync(path.join(data, 'keys'))).toEqual(['face.key.wrapped']); // nothing new written
    fs.writeFileSync(files.wrappedFile, before);
    expect(wrappedKey(loadOrCreateWrappedKey({ ...files, protector: fakeProtector() })).origin).toBe(
      'existing',
    );
  });

  it('lets CFD_FACE_KEY or CFD_FACE_KEY_FILE win: main then passes them through untouched', () => {
    const data = tempData();
    const p = fakeProtector();
    expect(
      decideFaceKey({ CFD_DATA_DIR: data, CFD_FACE_KEY: randomBytes(32).toString('base64') }, p),
    ).toEqual({
      mode: 'env',
    });
    expect(decideFaceKey({ CFD_DATA_DIR: data, CFD_FACE_KEY_FILE: '/secrets/k' }, p)).toEqual({
      mode: 'env',
    });
    expect(fs.existsSync(path.join(data, 'keys'))).toBe(false);
    expect(decideFaceKey({ CFD_DATA_DIR: data }, p).mode).toBe('wrapped');
  });
});

describe('main: face-key:save from the server (rotation)', () => {
  const setup = () => {
    const data = tempData();
    const files = faceKeyFilesFor(data);
    const protector = fakeProtector();
    wrappedKey(loadOrCreateWrappedKey({ ...files, protector }));
    return { files, protector, opts: { wrappedFile: files.wrappedFile, protector, holdsKey: true } };
  };

  it('wraps a rotated key into the pending slot, then the key, then drops the pending slot', () => {
    const { files, protector, opts } = setup();
    const next = randomBytes(32);
    const b64 = next.toString('base64');
    expect(handleFaceKeyMessage({ type: 'face-key:save', id: 1, slot: 'next', key: b64 }, opts)).toEqual({
      type: 'face-key:saved',
      id: 1,
      ok: true,
    });
    expect(mode(pendingFileOf(files.wrappedFile))).toBe(0o600);
    // A crash here: main's next start hands the server both keys.
    const mid = wrappedKey(loadOrCreateWrappedKey({ ...files, protector }));
    expect(mid.pendingKey!.equals(next)).toBe(true);
    expect(faceKeyEnv(mid).CFD_FACE_KEY_NEXT).toBe(b64);

    expect(handleFaceKeyMessage({ type: 'face-key:save', id: 2, slot: 'key', key: b64 }, opts)).toMatchObject(
      {
        id: 2,
        ok: true,
      },
    );
    expect(
      handleFaceKeyMessage({ type: 'face-key:save', id: 3, slot: 'next', key: null }, opts),
    ).toMatchObject({
      id: 3,
      ok: true,
    });
    const after = wrappedKey(loadOrCreateWrappedKey({ ...files, protector }));
    expect(after.key.equals(next)).toBe(true);
    expect(after.pendingKey).toBeNull();
    expect(fs.readFileSync(files.wrappedFile).includes(Buffer.from(b64))).toBe(false);
    expect(fs.readdirSync(path.dirname(files.wrappedFile))).toEqual(['face.key.wrapped']);
  });

  it('answers bad or unallowed requests with ok: false and leaves the key alone; ignores other messages', () => {
    const { files, protector, opts } = setup();
    const before = fs.readFileSync(files.wrappedFile, 'utf8');
    const key = randomBytes(32).toString('base64');
    expect(handleFaceKeyMessage({ type: 'ready', port: 1 }, opts)).toBeNull();
    expect(handleFaceKeyMessage('face-key:save', opts)).toBeNull();
    const cases: [unknown, RegExp, typeof opts?][] = [
      [{ type: 'face-key:save', id: 4, slot: 'key', key: randomBytes(16).toString('base64') }, /32 bytes/],
      [{ type: 'face-key:save', id: 5, slot: 'key', key: null }, /cannot be removed/],
      [{ type: 'face-key:save', id: 6, slot: 'elsewhere', key }, /malformed/],
      [{ type: 'face-key:save', id: 7, slot: 'key', key }, /does not hold/, { ...opts, holdsKey: false }],
      [
        { type: 'face-key:save', id: 8, slot: 'key', key },
        /not available/,
        { ...opts, protector: fakeProtector(false) },
      ],
    ];
    for (const [msg, error, o] of cases) {
      const reply = handleFaceKeyMessage(msg, o ?? opts);
      expect(reply).toMatchObject({ type: 'face-key:saved', ok: false, id: (msg as { id: number }).id });
      expect((reply as { error: string }).error).toMatch(error);
    }
    expect(fs.readFileSync(files.wrappedFile, 'utf8')).toBe(before);
    expect(protector.isAvailable()).toBe(true);
  });
});
