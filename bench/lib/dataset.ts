/**
 * The shared dev face set (`../shared/faces`, see its README.md): `labels.csv`, `pairs.csv` and the image
 * files, the tight-crop rule, and the 640×480 kiosk frames made from the photos with sharp.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { FACES_DIR, FRAME, TIGHT_CROP_BORDER } from './config.ts';

/** One row of `labels.csv`. */
export interface LabelledImage {
  /** Relative to FACES_DIR. */
  path: string;
  identity: string;
  source: string;
}

/** One row of `pairs.csv`: two image paths and whether they show the same person. */
export interface Pair {
  a: string;
  b: string;
  same: boolean;
}

/**
 * Rows of a CSV text, header line dropped, blank lines skipped, cells split on every comma (the dev
 * set's CSVs have no quoting). Accepts LF and CRLF line ends.
 */
export function parseCsv(text: string): string[][] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.slice(1).map((l) => l.split(','));
}

/**
 * Reads `labels.csv` (`path,identity,source`) and `pairs.csv` (`path_a,path_b,same`, same = `1`) from
 * `dir`. Missing cells become ''. @throws Error when either file is missing (the set is not in the repo).
 */
export function loadDataset(dir: string = FACES_DIR): { images: LabelledImage[]; pairs: Pair[] } {
  const labels = path.join(dir, 'labels.csv');
  const pairsFile = path.join(dir, 'pairs.csv');
  if (!fs.existsSync(labels) || !fs.existsSync(pairsFile)) {
    throw new Error(
      `face bench: dev face set not found at ${dir} (expected labels.csv and pairs.csv there, ` +
        'i.e. the shared/faces folder next to this repository). It is never copied into the repo.',
    );
  }
  const images = parseCsv(fs.readFileSync(labels, 'utf8')).map(([p = '', identity = '', source = '']) => ({
    path: p,
    identity,
    source,
  }));
  const pairs = parseCsv(fs.readFileSync(pairsFile, 'utf8')).map(([a = '', b = '', same]) => ({
    a,
    b,
    same: same === '1',
  }));
  return { images, pairs };
}

/** The encoded bytes of a dev image. @throws when the file cannot be read. */
export function readImage(image: Pick<LabelledImage, 'path'>): Buffer {
  return fs.readFileSync(path.join(FACES_DIR, image.path));
}

/** faceapi_bbt images are 150×150 tight crops: detectors need context around the face. */
export function isTightCrop(image: Pick<LabelledImage, 'source'>): boolean {
  return image.source === 'faceapi_bbt';
}

/**
 * Letterboxes a photo into a FRAME-sized JPEG (640×480, quality 85, mid-grey bars), adding a grey border
 * of TIGHT_CROP_BORDER × the long side first for tight crops; EXIF orientation is applied.
 * @throws when the image cannot be read or decoded.
 */
export async function makeFrame(image: LabelledImage): Promise<Buffer> {
  let input: Buffer = readImage(image);
  if (isTightCrop(image)) {
    const meta = await sharp(input).metadata();
    const border = Math.round(Math.max(meta.width ?? 0, meta.height ?? 0) * TIGHT_CROP_BORDER);
    input = await sharp(input)
      .rotate()
      .extend({ top: border, bottom: border, left: border, right: border, background: FRAME.background })
      .png()
      .toBuffer();
  }
  return sharp(input)
    .rotate()
    .resize(FRAME.width, FRAME.height, { fit: 'contain', background: FRAME.background })
    .flatten({ background: FRAME.background })
    .jpeg({ quality: FRAME.quality })
    .toBuffer();
}

/**
 * `count` items spread evenly over `items`, in their order, first included: indices
 * floor(i × length / count) for i = 0 … count − 1. All items (a copy) when there are at most `count`.
 */
export function evenlySpaced<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const picked = new Set(Array.from({ length: count }, (_, i) => Math.floor((i * items.length) / count)));
  return items.filter((_, i) => picked.has(i));
}
