/**
 * Small tests of main's log rotation (./logging-rotation.ts): archive names, the rename order, and a
 * rotation on real files in a temp folder keeping exactly three archives.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LOG_ARCHIVES,
  logArchiveName,
  MAX_LOG_BYTES,
  needsRotation,
  rotateLogFile,
  rotationRenames,
} from './logging-rotation.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('log rotation', () => {
  it('names archives <name>.<n><ext> beside the live log; 0 is the live file', () => {
    expect(logArchiveName('/logs/main.log', 0)).toBe('/logs/main.log');
    expect(logArchiveName('/logs/main.log', 1)).toBe('/logs/main.1.log');
    expect(logArchiveName('/logs/main.log', 3)).toBe('/logs/main.3.log');
    expect(() => logArchiveName('/logs/main.log', -1)).toThrow(RangeError);
    expect(() => logArchiveName('/logs/main.log', 1.5)).toThrow(RangeError);
  });

  it('rotates at more than 5 MiB, keeping three archives', () => {
    expect(MAX_LOG_BYTES).toBe(5_242_880);
    expect(LOG_ARCHIVES).toBe(3);
    expect(needsRotation(MAX_LOG_BYTES)).toBe(false);
    expect(needsRotation(MAX_LOG_BYTES + 1)).toBe(true);
    expect(needsRotation(10, 0)).toBe(false);
  });

  it('renames oldest first, so no archive is overwritten before it has moved', () => {
    expect(rotationRenames('/l/main.log', 3)).toEqual([
      { from: '/l/main.2.log', to: '/l/main.3.log' },
      { from: '/l/main.1.log', to: '/l/main.2.log' },
      { from: '/l/main.log', to: '/l/main.1.log' },
    ]);
    expect(rotationRenames('/l/main.log', 1)).toEqual([{ from: '/l/main.log', to: '/l/main.1.log' }]);
  });

  it('on disk: shifts every archive up, drops the fourth, and skips archives not yet written', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-log-'));
    dirs.push(dir);
    const live = path.join(dir, 'main.log');
    const read = (n: number) => fs.readFileSync(logArchiveName(live, n), 'utf8');

    fs.writeFileSync(live, 'first');
    expect(rotateLogFile(live)).toEqual([{ from: live, to: logArchiveName(live, 1) }]);
    expect(fs.existsSync(live)).toBe(false);
    expect(read(1)).toBe('first');

    for (const text of ['second', 'third', 'fourth', 'fifth']) {
      fs.writeFileSync(live, text);
      rotateLogFile(live);
    }
    expect([read(1), read(2), read(3)]).toEqual(['fifth', 'fourth', 'third']);
    expect(fs.readdirSync(dir).sort()).toEqual(['main.1.log', 'main.2.log', 'main.3.log']);
  });

  it('with nothing to keep, deletes the live log', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-log-'));
    dirs.push(dir);
    const live = path.join(dir, 'main.log');
    fs.writeFileSync(live, 'x');
    expect(rotateLogFile(live, 0)).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
