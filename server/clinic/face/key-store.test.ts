/** Small tests of the descriptor key store: private key file, env key, move of the old key file. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { ensurePrivateDir } from '../lib/private-fs.ts';
import {
  defaultFaceKeyFile,
  EnvFaceKeyStore,
  faceKeyStoreFor,
  FileFaceKeyStore,
  loadOrCreateFaceKey,
  migrateLegacyFaceKey,
} from './key-store.ts';

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-key-'));

describe('face key store', () => {
  it('creates the key once in <data>/keys/face.key (folder 0700, file 0600), not beside the database', () => {
    const data = tempDir();
    const file = defaultFaceKeyFile(data);
    expect(file).toBe(path.join(data, 'keys', 'face.key'));
    const store = new FileFaceKeyStore(file);
    const k1 = loadOrCreateFaceKey(store);
    const k2 = loadOrCreateFaceKey(new FileFaceKeyStore(file));
    expect(k1.length).toBe(32);
    expect(k1.equals(k2)).toBe(true);
    expect(mode(path.join(data, 'keys'))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(fs.existsSync(path.join(data, 'face.key'))).toBe(false);
    expect(fs.readdirSync(path.join(data, 'keys'))).toEqual(['face.key']); // no temp file left
  });

  it('fixes a world-readable key file to 0600 when loading it; rejects a key that is not 32 bytes', () => {
    const file = path.join(tempDir(), 'face.key');
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    new FileFaceKeyStore(file).load();
    expect(mode(file)).toBe(0o600);
    fs.writeFileSync(file, randomBytes(16).toString('base64'));
    expect(() => new FileFaceKeyStore(file).load()).toThrow(/32 bytes/);
  });

  it('uses CFD_FACE_KEY when set (never written), else CFD_FACE_KEY_FILE, else the default file', () => {
    const key = randomBytes(32);
    const fromEnv = faceKeyStoreFor(parseEnv({ CFD_DATA_DIR: '/d', CFD_FACE_KEY: key.toString('base64') }));
    expect(fromEnv).toBeInstanceOf(EnvFaceKeyStore);
    expect(fromEnv.load()!.equals(key)).toBe(true);
    expect(() => fromEnv.save(key)).toThrow(/CFD_FACE_KEY/);
    expect(() => new EnvFaceKeyStore(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
    const custom = faceKeyStoreFor(parseEnv({ CFD_DATA_DIR: '/d', CFD_FACE_KEY_FILE: '/secrets/k' }));
    expect((custom as FileFaceKeyStore).file).toBe('/secrets/k');
    const byDefault = faceKeyStoreFor(parseEnv({ CFD_DATA_DIR: '/d' }));
    expect((byDefault as FileFaceKeyStore).file).toBe(path.join('/d', 'keys', 'face.key'));
  });

  it('moves an old <data>/face.key to keys/face.key on first start, 0600', () => {
    const data = tempDir();
    const legacy = path.join(data, 'face.key');
    const key = randomBytes(32);
    fs.writeFileSync(legacy, key.toString('base64'), { mode: 0o644 });
    fs.chmodSync(legacy, 0o644);
    const file = defaultFaceKeyFile(data);
    expect(migrateLegacyFaceKey(data, file)).toBe(true);
    expect(fs.existsSync(legacy)).toBe(false);
    expect(mode(file)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
    expect(new FileFaceKeyStore(file).load()!.equals(key)).toBe(true);
    expect(migrateLegacyFaceKey(data, file)).toBe(false); // nothing left to move
  });

  it('removes an old key file equal to the new one, and refuses to choose between two different keys', () => {
    const data = tempDir();
    const legacy = path.join(data, 'face.key');
    const file = defaultFaceKeyFile(data);
    const key = randomBytes(32);
    new FileFaceKeyStore(file).save(key);
    fs.writeFileSync(legacy, key.toString('base64'));
    expect(migrateLegacyFaceKey(data, file)).toBe(true);
    expect(fs.existsSync(legacy)).toBe(false);
    fs.writeFileSync(legacy, randomBytes(32).toString('base64'));
    expect(() => migrateLegacyFaceKey(data, file)).toThrow(/different keys/);
    expect(new FileFaceKeyStore(file).load()!.equals(key)).toBe(true);
  });

  it('makes the data folder 0700 whether new or existing', () => {
    const parent = tempDir();
    const fresh = path.join(parent, 'data');
    ensurePrivateDir(fresh);
    expect(mode(fresh)).toBe(0o700);
    fs.chmodSync(fresh, 0o755);
    ensurePrivateDir(fresh);
    expect(mode(fresh)).toBe(0o700);
  });
});
