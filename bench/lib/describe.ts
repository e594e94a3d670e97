/**
 * Descriptors of the original dev images and of the distractor faces, computed once by the engine with
 * SSD MobileNet v1 (the dev-set README's baseline method), and the detection counts over them. These are
 * the inputs of the verification and identification passes (`metrics.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AnalyzeOptions, FaceBox, FaceEngine } from '../../server/clinic/face/engine.ts';
import type { FaceQuality } from '../../server/domain/face-quality.ts';
import { DEMO_DIR } from './config.ts';
import { readImage } from './dataset.ts';
import type { LabelledImage } from './dataset.ts';
import type { Distractor } from './metrics.ts';

/** A dev image with its descriptor (a `DescribedImage` of `metrics.ts`). */
export interface ImageDescriptor extends LabelledImage {
  /** Null when no face was found even with the border (failure to acquire). */
  descriptor: Float32Array | null;
  /** True when no face was found without the border, so the bordered retry ran (whatever it found). */
  padded: boolean;
  /** Every detected face's box, px of the analysed (possibly bordered) image, largest first. */
  boxes: FaceBox[];
  /** The largest face's photo quality as the engine measured it (null without a face). */
  quality: FaceQuality | null;
}

/** SSD, largest face only, one retry with a 50 % grey border when no face is found, quality measured. */
export const ORIGINAL_OPTIONS: AnalyzeOptions = {
  detector: 'ssd',
  maxFaces: 1,
  padIfNone: true,
  quality: true,
};

/** One descriptor per image (largest face, ORIGINAL_OPTIONS), in order. @throws on an unreadable image. */
export async function describeOriginals(
  engine: FaceEngine,
  images: readonly LabelledImage[],
): Promise<ImageDescriptor[]> {
  const out: ImageDescriptor[] = [];
  for (const image of images) {
    const result = await engine.analyze(readImage(image), ORIGINAL_OPTIONS);
    const face = result.faces[0];
    out.push({
      ...image,
      descriptor: face && face.descriptor.length > 0 ? face.descriptor : null,
      padded: result.padded,
      boxes: result.faces.map((f) => f.box),
      quality: face?.quality ?? null,
    });
  }
  return out;
}

/**
 * Every face (largest first, up to 10 per photo, SSD at min score 0.5) in face-api's demo group photos
 * `sample*.jpg` (file names sorted): people not in the dev set. Keys are `distractor:<file>#<n>`, n from 1.
 */
export async function describeDistractors(engine: FaceEngine, dir: string = DEMO_DIR): Promise<Distractor[]> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^sample\d+\.jpg$/.test(f))
    .sort();
  const out: Distractor[] = [];
  for (const file of files) {
    const result = await engine.analyze(fs.readFileSync(path.join(dir, file)), {
      detector: 'ssd',
      maxFaces: 10,
    });
    result.faces.forEach((face, i) => {
      if (face.descriptor.length > 0) {
        out.push({ key: `distractor:${file}#${i + 1}`, descriptor: face.descriptor });
      }
    });
  }
  return out;
}

/** face.json `detection`: images, failures to acquire without and with the border, by source. */
export interface DetectionSummary {
  images: number;
  noFaceWithoutBorder: number;
  noFaceWithoutBorderBySource: Record<string, number>;
  noFaceWithBorder: number;
  noFaceWithBorderPaths: string[];
}

/** Counts the images without a face at default settings (`padded`) and those still without one (pure). */
export function detectionSummary(described: readonly ImageDescriptor[]): DetectionSummary {
  const noFaceWithoutBorder = described.filter((d) => d.padded);
  const noFaceWithBorder = described.filter((d) => !d.descriptor);
  const bySource: Record<string, number> = {};
  for (const d of noFaceWithoutBorder) bySource[d.source] = (bySource[d.source] ?? 0) + 1;
  return {
    images: described.length,
    noFaceWithoutBorder: noFaceWithoutBorder.length,
    noFaceWithoutBorderBySource: bySource,
    noFaceWithBorder: noFaceWithBorder.length,
    noFaceWithBorderPaths: noFaceWithBorder.map((d) => d.path),
  };
}
