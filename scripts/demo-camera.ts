/**
 * The demo camera clip: a slow zoom on the first face of face-api's `demo/sample1.jpg`, whose person the
 * demo clinic enrols as "Alice Demo" with an appointment a few minutes from now. Chromium/Electron play it
 * as the kiosk's camera with `--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createFaceEngine } from '../server/clinic/face/engine.ts';
import { DEFAULT_MODELS_DIR } from '../server/clinic/face/models.ts';
import { demoPhotoPaths } from '../server/clinic/seed/demo.ts';
import { makeCameraClip } from './lib/camera-clip.ts';

/** Writes `<dataDir>/demo-camera.mjpeg` unless present; returns its path. */
export async function ensureDemoCamera(dataDir: string): Promise<string> {
  const out = path.join(dataDir, 'demo-camera.mjpeg');
  if (fs.existsSync(out)) return out;
  const photo = demoPhotoPaths()[0];
  if (!photo) throw new Error('face-api demo photos not found in node_modules');
  const engine = await createFaceEngine(DEFAULT_MODELS_DIR);
  const bytes = fs.readFileSync(photo);
  // The seed enrols faces in the engine's order (largest first): face 0 is "Alice Demo".
  const result = await engine.analyze(new Uint8Array(bytes), { detector: 'ssd', maxFaces: 10 });
  const face = result.faces[0];
  if (!face) throw new Error(`no face found in ${photo}`);
  const meta = await (await import('sharp')).default(bytes).metadata();
  const scale = (meta.width ?? result.width) / result.width;
  const focus = {
    x: face.box.x * scale,
    y: face.box.y * scale,
    width: face.box.width * scale,
    height: face.box.height * scale,
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(out, await makeCameraClip(bytes, { format: 'mjpeg', seconds: 4, focus, focusFill: 0.45 }));
  return out;
}
