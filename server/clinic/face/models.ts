/**
 * Model files used at run time, copied from the @vladmandic/face-api npm package into `models/` at
 * install (`npm run models`) and checked against `models/manifest.json` (sha256) at every start.
 * Nothing is ever downloaded at run time.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../paths.ts';

/** The four networks the engine loads; each is `<name>-weights_manifest.json` + `<name>.bin`. */
export const MODEL_NAMES = [
  'ssd_mobilenetv1_model',
  'tiny_face_detector_model',
  'face_landmark_68_model',
  'face_recognition_model',
] as const;

export interface ModelManifest {
  source: string;
  files: { name: string; bytes: number; sha256: string }[];
}

/** `<repo>/models`. */
export const DEFAULT_MODELS_DIR = path.join(ROOT_DIR, 'models');

/** The eight files the engine loads: each network's weights manifest (JSON) and weights (.bin). */
export function modelFileNames(): string[] {
  return MODEL_NAMES.flatMap((n) => [`${n}-weights_manifest.json`, `${n}.bin`]);
}

/** Hex SHA-256 of a file's bytes. */
export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Checks every file listed in `<dir>/manifest.json` exists with the recorded sha256.
 * @throws Error naming the first missing or altered file, with the command that restores it.
 */
export function verifyModels(dir: string): ModelManifest {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) throw new Error(`face models: ${manifestPath} is missing`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as ModelManifest;
  for (const f of manifest.files) {
    const file = path.join(dir, f.name);
    if (!fs.existsSync(file))
      throw new Error(`face models: ${f.name} is missing in ${dir}; run \`npm run models\``);
    const actual = sha256File(file);
    if (actual !== f.sha256) {
      throw new Error(
        `face models: ${f.name} has sha256 ${actual}, manifest says ${f.sha256}; run \`npm run models\``,
      );
    }
  }
  return manifest;
}
