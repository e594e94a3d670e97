/**
 * Log-file rotation for electron/main/logging.ts, in plain Node (no electron import) so Vitest reaches it.
 * When the live log (`main.log`) passes MAX_LOG_BYTES, electron-log calls its `archiveLogFn`; ours shifts
 * the archives up by one (`main.2.log` → `main.3.log`, `main.1.log` → `main.2.log`, `main.log` →
 * `main.1.log`), so the newest LOG_ARCHIVES archives are kept and the oldest is overwritten: at most
 * (1 + LOG_ARCHIVES) × 5 MB on disk. electron-log then starts the live file afresh.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Size at which the live log is archived, bytes (5 MiB). */
export const MAX_LOG_BYTES = 5 * 1024 * 1024;

/** Archives kept beside the live log. */
export const LOG_ARCHIVES = 3;

/**
 * Name of archive `index` (1 = newest) of `logFile`: `/x/main.log`, 2 → `/x/main.2.log`; index 0 is the
 * live file itself.
 * @throws RangeError when index is negative or not an integer
 */
export function logArchiveName(logFile: string, index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`archive index ${index}`);
  if (index === 0) return logFile;
  const { dir, name, ext } = path.parse(logFile);
  return path.join(dir, `${name}.${index}${ext}`);
}

/** One rename of a rotation, applied in the order given (each target is free or the one to drop). */
export interface LogRename {
  from: string;
  to: string;
}

/**
 * The renames of one rotation, oldest first so nothing is overwritten before it has moved:
 * archive keep−1 → keep, …, archive 1 → 2, live → archive 1. With keep = 0 there is nothing to keep.
 * @param logFile the live log's path
 * @param keep archives to keep (LOG_ARCHIVES)
 */
export function rotationRenames(logFile: string, keep: number = LOG_ARCHIVES): LogRename[] {
  const renames: LogRename[] = [];
  for (let i = keep - 1; i >= 0; i -= 1)
    renames.push({ from: logArchiveName(logFile, i), to: logArchiveName(logFile, i + 1) });
  return renames;
}

/** Whether a file of `sizeBytes` must be archived before the next line is written (electron-log's rule). */
export function needsRotation(sizeBytes: number, maxBytes: number = MAX_LOG_BYTES): boolean {
  return maxBytes > 0 && sizeBytes > maxBytes;
}

/**
 * Applies rotationRenames on disk, skipping archives that do not exist yet. With keep = 0 the live log is
 * deleted. Rename errors propagate (electron-log then crops the live file instead).
 * @returns the renames that were made
 */
export function rotateLogFile(logFile: string, keep: number = LOG_ARCHIVES): LogRename[] {
  if (keep === 0) {
    fs.rmSync(logFile, { force: true });
    return [];
  }
  const done: LogRename[] = [];
  for (const r of rotationRenames(logFile, keep)) {
    if (!fs.existsSync(r.from)) continue;
    fs.renameSync(r.from, r.to);
    done.push(r);
  }
  return done;
}
