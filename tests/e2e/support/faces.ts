/**
 * Access to the shared face photos (../shared/faces beside the repo; see its README). Tests read them in
 * place and never copy them into the project.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCameraClip } from '../../../scripts/lib/camera-clip.ts';

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const FACES_DIR = process.env.CFD_FACES_DIR ?? path.resolve(REPO_DIR, '../shared/faces');

/** @throws Error with the fix when the shared face photos are not beside the repository */
export function requireFaces(): string {
  if (!fs.existsSync(path.join(FACES_DIR, 'labels.csv'))) {
    throw new Error(
      `The face e2e tests need the shared face photos at ${FACES_DIR} (with labels.csv), which is missing. ` +
        'Check out ../shared beside this repository (or set CFD_FACES_DIR) and run the tests again.',
    );
  }
  return FACES_DIR;
}

/**
 * Absolute path of one shared face photo.
 * @param relative path inside the faces directory (as listed in labels.csv)
 * @throws Error (from requireFaces) when the shared face photos are missing
 */
export function facePath(relative: string): string {
  return path.join(requireFaces(), relative);
}

/** Writes (once per run) a y4m fake-camera clip made from a shared photo; returns its absolute path. */
export async function cameraClipFrom(relative: string): Promise<string> {
  const dir = path.join(os.tmpdir(), 'cfd-e2e-clips');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, relative.replace(/[^A-Za-z0-9]+/g, '_') + '.y4m');
  if (!fs.existsSync(out)) {
    const clip = await makeCameraClip(fs.readFileSync(facePath(relative)), {
      format: 'y4m',
      seconds: 3,
      fps: 10,
    });
    fs.writeFileSync(out, clip);
  }
  return out;
}
