/**
 * Files only the clinic's user may read (issue 14 part 5): folders 0700, files 0600. Modes are set at
 * creation and fixed at open (`chmod`), because files written by older builds were 0644.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Owner read/write/search only. */
export const PRIVATE_DIR_MODE = 0o700;
/** Owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) and makes `dir` itself 0700, whether new or existing. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes an existing file 0600; a missing file is left missing. */
export function restrictFile(file: string): void {
  try {
    fs.chmodSync(file, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Replaces `file` atomically with `data` (mode 0600): writes a temporary file in the same folder,
 * fsyncs it, renames it over `file`, then fsyncs the folder, so a crash leaves the old or the new
 * content, never a torn file.
 */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.chmodSync(tmp, PRIVATE_FILE_MODE);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}

/** Flushes a folder's entries (a rename) to disk; a no-op where folders cannot be opened (Windows). */
export function fsyncDir(dir: string): void {
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
