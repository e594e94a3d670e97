/**
 * Small tests of the descriptor key store: private key file, env key, move of the old key file, and the
 * Electron app's wrapped key saved over a (fake) parent port.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { ensurePrivateDir } from '../lib/private-fs.ts';
import {
  defaultFaceKeyFile,
  electronParentPort,
  EnvFaceKeyStore,
  faceKeyStoreFor,
  FileFaceKeyStore,
  loadOrCreateFaceKey,
  migrateLegacyFaceKey,
  ParentPortFaceKeyStore,
  wrappedFaceKeyFile,
  type ParentPortLike,
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

/**
 * A parent port whose other end answers like Electron main (electron/main/face-key.ts): `answer` maps a
 * request to a reply, or to undefined for silence. Replies arrive asynchronously, as `{ data }` events.
 */
function fakeParentPort(answer: (msg: Record<string, unknown>) => unknown) {
  const events = new EventEmitter();
  const sent: Record<string, unknown>[] = [];
  const port: ParentPortLike & { sent: typeof sent; listeners(): number } = {
    sent,
    postMessage(message) {
      sent.push(message as Record<string, unknown>);
      const reply = answer(message as Record<string, unknown>);
      if (reply !== undefined) setImmediate(() => events.emit('message', { data: reply }));
    },
    on: (event, listener) => events.on(event, listener),
    off: (event, listener) => events.off(event, listener),
    listeners: () => events.listenerCount('message'),
  };
  return port;
}

describe('face key wrapped by the Electron app (parent port)', () => {
  const b64 = (k: Buffer) => k.toString('base64');

  it('is chosen with CFD_FACE_KEY_WRAPPED=1 under a parent port; without one the env key is read-only', () => {
    const key = randomBytes(32);
    const env = parseEnv({ CFD_DATA_DIR: '/d', CFD_FACE_KEY: b64(key), CFD_FACE_KEY_WRAPPED: '1' });
    const port = fakeParentPort(() => undefined);
    const store = faceKeyStoreFor(env, port);
    expect(store).toBeInstanceOf(ParentPortFaceKeyStore);
    expect(store.load()!.equals(key)).toBe(true);
    expect((store as ParentPortFaceKeyStore).loadPending()).toBeNull();
    expect(() => store.save(key)).toThrow(/saveWrapped/);
    expect(faceKeyStoreFor(env)).toBeInstanceOf(EnvFaceKeyStore); // plain Node, e.g. the rotate CLI
    const operator = parseEnv({ CFD_DATA_DIR: '/d', CFD_FACE_KEY: b64(key) });
    expect(faceKeyStoreFor(operator, port)).toBeInstanceOf(EnvFaceKeyStore);
    const next = randomBytes(32);
    const withNext = faceKeyStoreFor({ ...env, faceKeyNext: b64(next) }, port) as ParentPortFaceKeyStore;
    expect(withNext.loadPending()!.equals(next)).toBe(true);
    expect(electronParentPort({})).toBeNull();
    expect(electronParentPort({ parentPort: port })).toBe(port);
  });

  it('saves through main: posts face-key:save per slot, resolves on its ack, and then loads the new key', async () => {
    const port = fakeParentPort((m) => ({ type: 'face-key:saved', id: m.id, ok: true }));
    const store = new ParentPortFaceKeyStore(port, b64(randomBytes(32)));
    const next = randomBytes(32);
    await store.saveWrapped(next, 'next');
    expect(store.loadPending()!.equals(next)).toBe(true);
    await store.saveWrapped(next);
    expect(store.load().equals(next)).toBe(true);
    await store.dropPending();
    expect(store.loadPending()).toBeNull();
    expect(port.sent).toEqual([
      { type: 'face-key:save', id: 1, slot: 'next', key: b64(next) },
      { type: 'face-key:save', id: 2, slot: 'key', key: b64(next) },
      { type: 'face-key:save', id: 3, slot: 'next', key: null },
    ]);
    expect(port.listeners()).toBe(0);
  });

  it("rejects with main's reason, ignores other replies, and times out when main is silent; the key stays", async () => {
    const old = randomBytes(32);
    const refusing = fakeParentPort((m) => ({
      type: 'face-key:saved',
      id: m.id,
      ok: false,
      error: 'keyring locked',
    }));
    const store = new ParentPortFaceKeyStore(refusing, b64(old));
    await expect(store.saveWrapped(randomBytes(32))).rejects.toThrow(/did not save.*keyring locked/);
    expect(store.load().equals(old)).toBe(true);
    await expect(store.saveWrapped(randomBytes(16))).rejects.toThrow(/32 bytes/);

    // An answer to another request (or another kind of message) does not settle this one.
    const confused = fakeParentPort((m) => ({ type: 'face-key:saved', id: Number(m.id) + 1, ok: true }));
    const slow = new ParentPortFaceKeyStore(confused, b64(old), undefined, 50);
    await expect(slow.saveWrapped(randomBytes(32))).rejects.toThrow(/did not answer.*50 ms/);
    expect(slow.load().equals(old)).toBe(true);
    expect(confused.listeners()).toBe(0);
  });

  it('the key file refuses to start afresh while the data folder holds the wrapped key', () => {
    const data = tempDir();
    const store = faceKeyStoreFor(parseEnv({ CFD_DATA_DIR: data }));
    expect(store.load()).toBeNull(); // nothing yet: a new key may be made
    fs.mkdirSync(path.join(data, 'keys'), { recursive: true });
    fs.writeFileSync(wrappedFaceKeyFile(data), '{}');
    expect(() => loadOrCreateFaceKey(store)).toThrow(/face\.key\.wrapped exists.*orphan/);
    expect(fs.existsSync(defaultFaceKeyFile(data))).toBe(false);
    // An existing key file is still read (e.g. CFD_FACE_KEY_FILE chosen by the operator).
    const key = randomBytes(32);
    new FileFaceKeyStore(defaultFaceKeyFile(data)).save(key);
    expect(loadOrCreateFaceKey(store).equals(key)).toBe(true);
  });
});
