/**
 * Face engine: @vladmandic/face-api on TensorFlow.js, staged so each stage can be timed.
 *
 * Pipeline per image (source: face-api's `detectAllFaces().withFaceLandmarks().withFaceDescriptors()`,
 * reimplemented stage by stage from its `globalApi/*Tasks.ts`):
 *   decode (sharp → RGB tensor) → detect (SSD MobileNet v1 or Tiny Face Detector) → landmarks
 *   (68-point net on the detected crop) → descriptor (ResNet-34-like net on the dlib-aligned crop;
 *   Float32Array(128), compared by Euclidean distance, face-api's default same-person threshold 0.6).
 *
 * Backend: @tensorflow/tfjs-node when it is installed (optional dependency), else
 * @tensorflow/tfjs-backend-wasm with its .wasm files loaded from node_modules, or from CFD_WASM_DIR when
 * set (the packaged app's resources folder); never a CDN.
 *
 * Runs in whatever thread imports it; the server uses it through `face/client.ts`, which hosts it in a
 * worker thread so a slow frame never blocks HTTP.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type * as FaceApi from '@vladmandic/face-api';
import type * as Tfjs from '@tensorflow/tfjs';
import type * as TfjsWasm from '@tensorflow/tfjs-backend-wasm';
import { measureQuality, type FaceQuality } from '../../domain/face-quality.ts';
import { verifyModels, type ModelManifest } from './models.ts';

const require = createRequire(import.meta.url);

export type DetectorKind = 'ssd' | 'tiny';
export type Backend = 'tensorflow' | 'wasm';

/** Pixel rectangle in the decoded image's coordinates. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DetectedFace {
  box: FaceBox;
  /** Detector confidence, 0..1. */
  score: number;
  /** 128 floats; Euclidean distance between two descriptors < ~0.6 means "same person" (face-api). */
  descriptor: Float32Array;
  /** Five reference points (eye centres, nose tip, mouth corners), pixels; used for the live-sequence check. */
  keypoints: [number, number][];
  /** face-api's 68 landmarks (iBUG 300-W order), pixels: what the liveness check reads (domain/liveness.ts). */
  landmarks: [number, number][];
  /** Brightness, contrast, sharpness and pose (domain/face-quality.ts); described faces, with `quality`. */
  quality?: FaceQuality;
}

/** Milliseconds spent in each stage of one `analyze` call. */
export interface StageTimings {
  decode: number;
  detect: number;
  landmarks: number;
  descriptor: number;
}

export interface AnalyzeResult {
  /**
   * Decoded image size in pixels (after the long-side cap). Every coordinate (boxes, landmarks,
   * keypoints) is in these pixels, also when the face was only found with a border added (`padded`).
   */
  width: number;
  height: number;
  /** Faces sorted by box area, largest first. At most `maxFaces` carry a descriptor. */
  faces: DetectedFace[];
  timings: StageTimings;
  /** True when the face was only found after adding a border (tight crops). */
  padded: boolean;
}

export interface AnalyzeOptions {
  detector: DetectorKind;
  /** How many of the largest faces get landmarks + descriptor (others are only counted). Default 1. */
  maxFaces?: number;
  /** Minimum detector confidence. Default 0.5. */
  minScore?: number;
  /** Retry once with a 50 % grey border when no face is found (tight crops such as ID photos). */
  padIfNone?: boolean;
  /**
   * Measure each described face's quality (`DetectedFace.quality`, domain/face-quality.ts): enrolment
   * photos need it, kiosk frames do not, so the kiosk's hot path skips it. Default false.
   */
  quality?: boolean;
  /** Tiny Face Detector input size (multiple of 32). Default 416. */
  tinyInputSize?: number;
}

export interface FaceEngineInfo {
  backend: Backend;
  faceApiVersion: string;
  tfjsVersion: string;
  /** Identifies the descriptor space; stored with every enrolment so a model change can re-enrol. */
  modelId: string;
}

export interface FaceEngine {
  readonly info: FaceEngineInfo;
  /** Decodes a JPEG/PNG/WebP, finds faces and describes the largest ones. Throws `ImageDecodeError`. */
  analyze(image: Uint8Array, options: AnalyzeOptions): Promise<AnalyzeResult>;
}

/** The bytes given to `analyze` are not a decodable JPEG, PNG or WebP image. */
export class ImageDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

/**
 * Largest image decoded, pixels (4096 × 4096 ≈ 16.8 MP; a camera frame is 0.3–2 MP): a bigger one is
 * refused from its header alone, before any pixel is decompressed (decompression bombs: a 20 000² PNG
 * of a few KiB would decode to 1.2 GB). docs/security.md "Limits".
 */
export const MAX_INPUT_PIXELS = 4096 * 4096;

/** The image's header declares more than {@link MAX_INPUT_PIXELS} pixels. */
export class ImageTooLargeError extends ImageDecodeError {
  constructor(message: string) {
    super(message);
    this.name = 'ImageTooLargeError';
  }
}

/**
 * Refuses an image whose header declares more than {@link MAX_INPUT_PIXELS} pixels (all pages of an
 * animated image together), reading the header only. Bytes with no readable header pass: decoding
 * reports them.
 * @throws ImageTooLargeError
 */
export async function assertPixelLimit(image: Uint8Array): Promise<void> {
  let meta: Metadata;
  try {
    // No limit for the header read itself: sharp's own default (268 MP) would refuse to say the size.
    meta = await sharp(image, { limitInputPixels: false }).metadata();
  } catch {
    return;
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0) * (meta.pages ?? 1);
  if (pixels > MAX_INPUT_PIXELS)
    throw new ImageTooLargeError(
      `image of ${meta.width}×${meta.height} px is over ${MAX_INPUT_PIXELS} pixels (4096×4096)`,
    );
}

/** Longest side after decoding, pixels: SSD works at 512², so more only costs time. */
const MAX_SIDE = 1280;

type FaceApiModule = typeof FaceApi;

function loadFaceApi(): { faceapi: FaceApiModule; backend: Backend } {
  if (process.env.CFD_FACE_BACKEND !== 'wasm') {
    try {
      require.resolve('@tensorflow/tfjs-node');
      return {
        faceapi: require('@vladmandic/face-api/dist/face-api.node.js') as FaceApiModule,
        backend: 'tensorflow',
      };
    } catch {
      // optional dependency absent (it downloads libtensorflow at install): fall back to WASM
    }
  }
  return {
    faceapi: require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiModule,
    backend: 'wasm',
  };
}

/**
 * Loads the backend and the four models (SSD MobileNet v1, Tiny Face Detector, 68-point landmarks,
 * recognition) once, after checking them against `models/manifest.json` (sha256).
 * @throws Error when a model file is missing or its hash differs (run `npm run models`), or when the
 *   backend fails to initialise (e.g. the .wasm files are not where CFD_WASM_DIR says).
 */
export async function createFaceEngine(modelsDir: string): Promise<FaceEngine> {
  const manifest: ModelManifest = verifyModels(modelsDir);
  const { faceapi, backend } = loadFaceApi();
  const tf = faceapi.tf as unknown as typeof Tfjs;
  if (backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof TfjsWasm;
    // The packaged app ships the .wasm files as extraResources (`<resources>/wasm`, electron-builder.yml)
    // and main passes that folder in CFD_WASM_DIR; otherwise they come from the npm package.
    const wasmDir =
      process.env.CFD_WASM_DIR ||
      path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    wasm.setWasmPaths(wasmDir + path.sep);
    // setBackend resolves false (it does not throw) when the .wasm files cannot be loaded, and tfjs then
    // runs on its pure-JS CPU backend, many times slower: refuse to start instead.
    if (!(await tf.setBackend('wasm')))
      throw new Error(`face engine: the WASM backend failed to load its .wasm files from ${wasmDir}`);
  } else if (!(await tf.setBackend('tensorflow'))) {
    throw new Error('face engine: the tensorflow (tfjs-node) backend failed to initialise');
  }
  await tf.ready();
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelsDir);
  await faceapi.nets.tinyFaceDetector.loadFromDisk(modelsDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelsDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelsDir);

  const recognition = manifest.files.find((f) => f.name === 'face_recognition_model.bin');
  const info: FaceEngineInfo = {
    backend,
    faceApiVersion: faceapi.version,
    tfjsVersion: tf.version_core,
    modelId: `face-api@${faceapi.version}/face_recognition_model#${recognition?.sha256.slice(0, 12) ?? 'unknown'}`,
  };

  /**
   * Decodes to RGB (long side capped at MAX_SIDE). With `pad`, a grey border of half the long side is
   * added first; `original.toOriginal` maps a point of the decoded (padded) image back to the pixels the
   * same image decoded without padding would have, whose width and height `original` gives too.
   */
  async function decode(image: Uint8Array, pad: boolean) {
    await assertPixelLimit(image);
    try {
      let pipeline = sharp(image, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS }).rotate();
      let border = 0;
      let paddedSize: { width: number; height: number } | null = null;
      if (pad) {
        const meta = await sharp(image).metadata();
        border = Math.round(Math.max(meta.width ?? 0, meta.height ?? 0) * 0.5);
        pipeline = pipeline.extend({
          top: border,
          bottom: border,
          left: border,
          right: border,
          background: '#808080',
        });
        // extend() must run before the resize, so materialise it first
        const padded = await pipeline.png().toBuffer({ resolveWithObject: true });
        paddedSize = { width: padded.info.width, height: padded.info.height };
        // The border doubles each side: at most 4 × MAX_INPUT_PIXELS.
        pipeline = sharp(padded.data, { limitInputPixels: 4 * MAX_INPUT_PIXELS });
      }
      const { data, info: meta } = await pipeline
        .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      if (!paddedSize) return { data, width: meta.width, height: meta.height, original: null };
      // Unpadded size W × H, the padded decode's scale s, and the scale the unpadded decode would have.
      const W = paddedSize.width - 2 * border;
      const H = paddedSize.height - 2 * border;
      const s = meta.width / paddedSize.width;
      const u = Math.min(1, MAX_SIDE / Math.max(W, H));
      return {
        data,
        width: meta.width,
        height: meta.height,
        original: {
          width: Math.round(W * u),
          height: Math.round(H * u),
          toOriginal: (x: number, y: number): [number, number] => [
            (x / s - border) * u,
            (y / s - border) * u,
          ],
        },
      };
    } catch (err) {
      throw new ImageDecodeError(`cannot decode image: ${(err as Error).message}`);
    }
  }

  async function run(image: Uint8Array, options: AnalyzeOptions, pad: boolean): Promise<AnalyzeResult> {
    const timings: StageTimings = { decode: 0, detect: 0, landmarks: 0, descriptor: 0 };
    let t = performance.now();
    const decoded = await decode(image, pad);
    const input = tf.tensor3d(decoded.data, [decoded.height, decoded.width, 3], 'int32');
    timings.decode = performance.now() - t;
    try {
      t = performance.now();
      const minScore = options.minScore ?? 0.5;
      const detections =
        options.detector === 'ssd'
          ? await faceapi.nets.ssdMobilenetv1.locateFaces(input as never, {
              minConfidence: minScore,
              maxResults: 10,
            })
          : await faceapi.nets.tinyFaceDetector.locateFaces(
              input as never,
              new faceapi.TinyFaceDetectorOptions({
                inputSize: options.tinyInputSize ?? 416,
                scoreThreshold: minScore,
              }),
            );
      timings.detect = performance.now() - t;
      detections.sort((a, b) => b.box.area - a.box.area);

      // Coordinates are reported in the unpadded image's pixels, whether or not a border was added.
      const map = (x: number, y: number): [number, number] =>
        decoded.original ? decoded.original.toOriginal(x, y) : [x, y];
      const mapBox = (b: FaceBox): FaceBox => {
        const [x, y] = map(b.x, b.y);
        const [x2, y2] = map(b.x + b.width, b.y + b.height);
        return { x, y, width: x2 - x, height: y2 - y };
      };
      const faces: DetectedFace[] = [];
      const described = detections.slice(0, options.maxFaces ?? 1);
      for (const detection of described) {
        t = performance.now();
        const [crop] = await faceapi.extractFaceTensors(input as never, [detection]);
        const unshifted = (await faceapi.nets.faceLandmark68Net.detectLandmarks(
          crop as never,
        )) as FaceApi.FaceLandmarks68;
        crop?.dispose();
        const withLandmarks = faceapi.extendWithFaceLandmarks(
          faceapi.extendWithFaceDetection({}, detection),
          unshifted,
        );
        timings.landmarks += performance.now() - t;

        t = performance.now();
        const alignedRect = withLandmarks.landmarks.align(null, { useDlibAlignment: true });
        const [aligned] = await faceapi.extractFaceTensors(input as never, [alignedRect]);
        const descriptor = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(
          aligned as never,
        )) as Float32Array;
        aligned?.dispose();
        timings.descriptor += performance.now() - t;

        const lm = withLandmarks.landmarks;
        const centre = (pts: FaceApi.Point[]) => {
          const x = pts.reduce((s, p) => s + p.x, 0) / pts.length;
          const y = pts.reduce((s, p) => s + p.y, 0) / pts.length;
          return [x, y] as [number, number];
        };
        const mouth = lm.getMouth();
        const landmarks = lm.positions.map((p) => [p.x, p.y] as [number, number]);
        const keypoints: [number, number][] = [
          centre(lm.getLeftEye()),
          centre(lm.getRightEye()),
          centre(lm.getNose().slice(-5)),
          [mouth[0]?.x ?? 0, mouth[0]?.y ?? 0],
          [mouth[6]?.x ?? 0, mouth[6]?.y ?? 0],
        ];
        faces.push({
          box: mapBox(detection.box),
          score: detection.score,
          descriptor,
          landmarks: landmarks.map(([x, y]) => map(x, y)),
          keypoints: keypoints.map(([x, y]) => map(x, y)),
          ...(options.quality
            ? {
                quality: measureQuality(
                  decoded.data,
                  decoded.width,
                  decoded.height,
                  detection.box,
                  landmarks,
                ),
              }
            : {}),
        });
      }
      for (const detection of detections.slice(described.length)) {
        faces.push({
          box: mapBox(detection.box),
          score: detection.score,
          descriptor: new Float32Array(0),
          keypoints: [],
          landmarks: [],
        });
      }
      const size = decoded.original ?? decoded;
      return { width: size.width, height: size.height, faces, timings, padded: pad };
    } finally {
      input.dispose();
    }
  }

  return {
    info,
    async analyze(image, options) {
      const result = await run(image, options, false);
      if (result.faces.length === 0 && options.padIfNone) {
        const retry = await run(image, options, true);
        retry.timings.decode += result.timings.decode;
        retry.timings.detect += result.timings.detect;
        return retry;
      }
      return result;
    },
  };
}
