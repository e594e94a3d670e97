/**
 * Landmarks for the liveness benchmark: face-api's Tiny Face Detector + 68-point landmark net, loaded and
 * run as `server/clinic/face/engine.ts` does (same package build, TF.js WASM backend with its .wasm files
 * from node_modules, the same model files checked against models/manifest.json, the kiosk's detector
 * settings from server/domain/settings.ts). The engine only returns five keypoints, so the two stages are
 * run here directly; the descriptor stage is skipped because liveness does not need it.
 *
 * Also decodes MJPEG clips (concatenated JPEG frames, as in ../shared/faces/video) into their JPEGs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type * as FaceApi from '@vladmandic/face-api';
import type * as Tfjs from '@tensorflow/tfjs';
import type * as TfjsWasm from '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_MODELS_DIR, verifyModels } from '../../server/clinic/face/models.ts';
import { DEFAULT_SETTINGS } from '../../server/domain/settings.ts';
import type { LivenessFrame } from '../../server/domain/liveness.ts';

const require = createRequire(import.meta.url);

/** One analysed frame: the largest face's landmarks and box, its five engine keypoints, or null (no face). */
export interface FrameLandmarks {
  face: (LivenessFrame & { keypoints: [number, number][]; score: number }) | null;
  ms: number;
}

/** Splits an MJPEG stream (JPEGs back to back) at each SOI marker (FF D8 FF). */
export function splitMjpeg(data: Buffer): Buffer[] {
  const starts: number[] = [];
  for (let i = 0; i + 2 < data.length; i++) {
    if (data[i] === 0xff && data[i + 1] === 0xd8 && data[i + 2] === 0xff) starts.push(i);
  }
  return starts.map((s, k) => data.subarray(s, starts[k + 1] ?? data.length));
}

/** The kiosk's landmark pipeline: tiny detector at the shipped input size / min score, then 68 landmarks. */
export async function createLandmarker(): Promise<{
  backend: string;
  faceApiVersion: string;
  detector: { kind: 'tiny'; inputSize: number; minScore: number };
  analyze(jpeg: Buffer): Promise<FrameLandmarks>;
}> {
  verifyModels(DEFAULT_MODELS_DIR);
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof FaceApi;
  const tf = faceapi.tf as unknown as typeof Tfjs;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof TfjsWasm;
  wasm.setWasmPaths(
    path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep,
  );
  await tf.setBackend('wasm');
  await tf.ready();
  await faceapi.nets.tinyFaceDetector.loadFromDisk(DEFAULT_MODELS_DIR);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(DEFAULT_MODELS_DIR);
  const inputSize = DEFAULT_SETTINGS.faceDetectorInputSize;
  const minScore = DEFAULT_SETTINGS.faceDetectorMinScore;

  async function analyze(jpeg: Buffer): Promise<FrameLandmarks> {
    const t0 = performance.now();
    const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const input = tf.tensor3d(data, [info.height, info.width, 3], 'int32');
    try {
      const detections = await faceapi.nets.tinyFaceDetector.locateFaces(
        input as never,
        new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: minScore }),
      );
      detections.sort((a, b) => b.box.area - a.box.area);
      const detection = detections[0];
      if (!detection) return { face: null, ms: performance.now() - t0 };
      const [crop] = await faceapi.extractFaceTensors(input as never, [detection]);
      const unshifted = (await faceapi.nets.faceLandmark68Net.detectLandmarks(
        crop as never,
      )) as FaceApi.FaceLandmarks68;
      crop?.dispose();
      const lm = faceapi.extendWithFaceLandmarks(
        faceapi.extendWithFaceDetection({}, detection),
        unshifted,
      ).landmarks;
      const centre = (pts: FaceApi.Point[]): [number, number] => [
        pts.reduce((s, p) => s + p.x, 0) / pts.length,
        pts.reduce((s, p) => s + p.y, 0) / pts.length,
      ];
      const mouth = lm.getMouth();
      const box = detection.box;
      return {
        face: {
          landmarks: lm.positions.map((p) => [p.x, p.y] as [number, number]),
          box: { x: box.x, y: box.y, width: box.width, height: box.height },
          score: detection.score,
          // the engine's five keypoints (engine.ts), for the baseline movement check
          keypoints: [
            centre(lm.getLeftEye()),
            centre(lm.getRightEye()),
            centre(lm.getNose().slice(-5)),
            [mouth[0]?.x ?? 0, mouth[0]?.y ?? 0],
            [mouth[6]?.x ?? 0, mouth[6]?.y ?? 0],
          ],
        },
        ms: performance.now() - t0,
      };
    } finally {
      input.dispose();
    }
  }
  return {
    backend: tf.getBackend(),
    faceApiVersion: faceapi.version,
    detector: { kind: 'tiny', inputSize, minScore },
    analyze,
  };
}
