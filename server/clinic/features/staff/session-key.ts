/**
 * The key that signs staff access tokens: 32 random bytes in `<data dir>/keys/session.key` (mode 0600,
 * folder 0700), made on first start and kept, so a restart of the server does not log the staff out.
 * Deleting the file logs everyone out (every access token fails; refresh tokens still work, since they
 * are checked against the database, and mint tokens under the new key).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../../lib/private-fs.ts';

/** Where the key lives in a data directory. */
export function sessionKeyFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'session.key');
}

/**
 * Reads the key, or makes and saves one.
 * @throws Error when the file exists but does not hold 32 bytes (base64)
 */
export function loadOrCreateSessionKey(dataDir: string): Uint8Array {
  const file = sessionKeyFile(dataDir);
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key (base64)`);
    return new Uint8Array(key);
  }
  ensurePrivateDir(path.dirname(file));
  const key = randomBytes(32);
  writeFileAtomic(file, key.toString('base64') + '\n');
  return new Uint8Array(key);
}
