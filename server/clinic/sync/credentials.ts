/**
 * Where the clinic keeps its sync pairing: `<data dir>/keys/sync.json` = `{ centralUrl, clinicId,
 * credential }`, folder 0700 and file 0600 (server/clinic/lib/private-fs.ts), beside the face key and
 * outside the database. Written atomically (a crash leaves the old or the new file), so a rotated
 * credential is on disk before anything else uses it. The credential is never logged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ensurePrivateDir, restrictFile, writeFileAtomic } from '../lib/private-fs.ts';

/** What pairing stored. */
export const syncPairingSchema = z.object({
  /** Base URL of the central API (http or https). */
  centralUrl: z.string().url(),
  /** The clinic's id at central (UUID). */
  clinicId: z.string().uuid(),
  /** 43 base64url characters; central keeps only its SHA-256. */
  credential: z.string().min(16),
});
export type SyncPairing = z.infer<typeof syncPairingSchema>;

/** `<dataDir>/keys/sync.json`. */
export function syncPairingFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'sync.json');
}

/**
 * The stored pairing, or null when the clinic was never paired (no file).
 * @throws Error when the file exists but is not a pairing (a damaged file is not silently ignored)
 */
export function loadPairing(file: string): SyncPairing | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  restrictFile(file);
  const parsed = syncPairingSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a sync pairing`);
  return parsed.data;
}

/** Writes the pairing atomically, mode 0600, creating its folder (0700). */
export function savePairing(file: string, pairing: SyncPairing): void {
  ensurePrivateDir(path.dirname(file));
  writeFileAtomic(file, JSON.stringify(syncPairingSchema.parse(pairing), null, 2) + '\n');
}
