/**
 * `npm run face:rotate-key`: rotates the descriptor key of the clinic database named by the usual
 * environment (CFD_DATA_DIR, CFD_DB, CFD_FACE_KEY_FILE). Every stored descriptor is re-encrypted with a
 * new random key in one transaction, then the key file is replaced atomically. Stop the server first:
 * it holds the key in memory. A key given in CFD_FACE_KEY cannot be rotated here, nor the Electron app's
 * key wrapped by the OS (`keys/face.key.wrapped`): only the app can unwrap it, so this refuses, with that
 * reason, rather than make a new key.
 */
import { openDatabase } from './db/database.ts';
import { parseEnv } from './env.ts';
import { faceKeyStoreFor, migrateLegacyFaceKey } from './face/key-store.ts';
import { recoverFaceKeyRotation, rotateFaceKey } from './features/face/service.ts';
import { ensurePrivateDir } from './lib/private-fs.ts';

const env = parseEnv();
ensurePrivateDir(env.dataDir);
const db = openDatabase(env.dbFile);
try {
  if (!env.faceKey) migrateLegacyFaceKey(env.dataDir, env.faceKeyFile);
  const store = faceKeyStoreFor(env); // plain Node: no parent port, so never the app's store
  const ctx = { db, now: Date.now };
  recoverFaceKeyRotation(ctx, store);
  const oldKey = store.load();
  if (!oldKey) {
    console.error(`no face key in ${store.description}; nothing to rotate`);
    process.exitCode = 1;
  } else {
    const { reencrypted } = rotateFaceKey(ctx, store, oldKey);
    console.log(`face key rotated (${store.description}); ${reencrypted} enrolment(s) re-encrypted`);
  }
} finally {
  db.close();
}
