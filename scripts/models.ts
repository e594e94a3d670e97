/**
 * `npm run models` (also run by `postinstall`): copies the face-api weights the engine uses from the
 * @vladmandic/face-api package into `models/` and checks them against `models/manifest.json`.
 * `npm run models -- --write-manifest` records the current files' sha256 (after a deliberate upgrade).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  DEFAULT_MODELS_DIR,
  modelFileNames,
  sha256File,
  verifyModels,
  type ModelManifest,
} from '../server/clinic/face/models.ts';

const require = createRequire(import.meta.url);
const pkgDir = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
const version = (
  JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }
).version;
const src = path.join(pkgDir, 'model');
const dest = DEFAULT_MODELS_DIR;

fs.mkdirSync(dest, { recursive: true });
for (const name of modelFileNames()) fs.copyFileSync(path.join(src, name), path.join(dest, name));

if (process.argv.includes('--write-manifest')) {
  const manifest: ModelManifest = {
    source: `@vladmandic/face-api@${version}/model`,
    files: modelFileNames().map((name) => ({
      name,
      bytes: fs.statSync(path.join(dest, name)).size,
      sha256: sha256File(path.join(dest, name)),
    })),
  };
  fs.writeFileSync(path.join(dest, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}
const manifest = verifyModels(dest);
console.log(`models: ${manifest.files.length} files from ${manifest.source} verified in ${dest}`);
