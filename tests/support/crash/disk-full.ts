/**
 * A data folder whose disk can be filled and freed while the clinic server runs, for the disk-full crash
 * suite (issue 13 part 4). Two modes, the first that works:
 * - `tmpfs`: a small tmpfs mounted on the folder (`mount -t tmpfs -o size=…`, root); `fill` writes a
 *   filler file until the OS answers ENOSPC, `free` deletes it: a real full disk;
 * - `rlimit`: where mounting is refused (EPERM in unprivileged containers), the server runs under a bash
 *   wrapper that ignores SIGXFSZ, and `fill` lowers its RLIMIT_FSIZE (`prlimit --pid`) to the size its
 *   files have now (the soft limit only: raising a hard limit again needs CAP_SYS_RESOURCE), so any write
 *   that grows a file fails with EFBIG; `free` lifts the soft limit.
 * Either way the server's process is never restarted in between, so recovery without a restart is tested.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Which way the disk is filled. */
export type DiskFullMode = 'tmpfs' | 'rlimit';

/** A fillable data folder. */
export interface FillableDir {
  mode: DiskFullMode;
  /** The folder (the clinic's CFD_DATA_DIR). */
  dir: string;
  /** The wrapper to start the server with (`rlimit` mode), else undefined. */
  wrapper?: string[];
  /** Fills the disk (tmpfs) or caps the process's file size (rlimit, needs the server's pid). */
  fill(pid: number): void;
  /** Gives the space back. */
  free(pid: number): void;
  /** Unmounts (tmpfs) and deletes the folder. */
  remove(): void;
}

/**
 * Makes the folder: a tmpfs of `sizeBytes` when `mount` works (and `mode` does not ask otherwise), else the
 * rlimit mode. @param mode force a mode (the suites take it from CFD_DISK_FULL_MODE)
 */
export function fillableDir(sizeBytes: number, mode?: DiskFullMode): FillableDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-disk-full-'));
  if (mode !== 'rlimit') {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { stdio: 'pipe' });
      const filler = path.join(dir, 'filler.bin');
      return {
        mode: 'tmpfs',
        dir,
        fill() {
          const fd = fs.openSync(filler, 'w');
          const chunk = Buffer.alloc(64 * 1024, 0x5a);
          try {
            for (;;) fs.writeSync(fd, chunk);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          }
          // Smaller writes take the last partial blocks too.
          try {
            for (;;) fs.writeSync(fd, chunk, 0, 512);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          } finally {
            fs.closeSync(fd);
          }
        },
        free() {
          fs.rmSync(filler, { force: true });
        },
        remove() {
          execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      if (mode === 'tmpfs') throw err;
    }
  }
  return {
    mode: 'rlimit',
    dir,
    // Ignored signals stay ignored across exec, so node gets EFBIG instead of dying of SIGXFSZ.
    wrapper: ['bash', '-c', 'trap "" XFSZ; exec "$0" "$@"', process.execPath],
    fill(pid) {
      const largest = Math.max(...fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).size), 4096);
      execFileSync('prlimit', ['--pid', String(pid), `--fsize=${largest}:`], { stdio: 'pipe' });
    },
    free(pid) {
      execFileSync('prlimit', ['--pid', String(pid), '--fsize=unlimited:'], { stdio: 'pipe' });
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
