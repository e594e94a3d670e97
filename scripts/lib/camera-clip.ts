/**
 * Makes a fake-camera clip from one photo, for Chromium's (and Electron's)
 * `--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE` switches.
 *
 * The clip slowly zooms and pans over the photo, so consecutive frames differ as a live face would
 * (the kiosk's live-sequence check rejects a frozen image). Formats:
 * - `y4m`: YUV4MPEG2, 4:2:0 (C420jpeg, full-range BT.601 from RGB), plays at the header's frame rate.
 * - `mjpeg`: concatenated JPEG frames; Chromium always plays them at 30 fps.
 * Source of the formats: shared/faces/README.md and the YUV4MPEG2 header description in FFmpeg's docs.
 */
import sharp from 'sharp';

export interface ClipOptions {
  format: 'y4m' | 'mjpeg';
  /** Output size; default 640×480 (the kiosk's capture size). */
  width?: number;
  height?: number;
  /** Length in seconds (the browser loops it). Default 4. */
  seconds?: number;
  /** Frames per second for y4m; mjpeg is always 30. Default 10. */
  fps?: number;
  /** Region of the photo to centre on (e.g. a face box). */
  focus?: { x: number; y: number; width: number; height: number };
  /** Share of the frame width the focus region fills. Default 0.4. */
  focusFill?: number;
}

/** RGB (interleaved) → one y4m 4:2:0 frame (Y plane, then Cb, then Cr). */
function rgbToI420(rgb: Buffer, w: number, h: number): Buffer {
  const out = Buffer.alloc(w * h + 2 * (w / 2) * (h / 2));
  const cb = w * h;
  const cr = cb + (w / 2) * (h / 2);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      out[y * w + x] = Math.round(0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!);
    }
  }
  for (let y = 0; y < h / 2; y++) {
    for (let x = 0; x < w / 2; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const i = ((2 * y + dy) * w + 2 * x + dx) * 3;
        r += rgb[i]!;
        g += rgb[i + 1]!;
        b += rgb[i + 2]!;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      out[cb + y * (w / 2) + x] = Math.max(
        0,
        Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)),
      );
      out[cr + y * (w / 2) + x] = Math.max(
        0,
        Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)),
      );
    }
  }
  return out;
}

/** Builds the clip in memory. @throws Error when the photo cannot be decoded */
export async function makeCameraClip(photo: Buffer, options: ClipOptions): Promise<Buffer> {
  const w = options.width ?? 640;
  const h = options.height ?? 480;
  const fps = options.format === 'mjpeg' ? 30 : (options.fps ?? 10);
  const frames = Math.max(2, Math.round((options.seconds ?? 4) * fps));
  // A stage 20 % larger than the frame, so zoom and pan never run out of picture.
  const stageW = Math.round(w * 1.2);
  const stageH = Math.round(h * 1.2);
  const oriented = await sharp(photo).rotate().toBuffer();
  const meta = await sharp(oriented).metadata();
  let stage: Buffer;
  if (options.focus) {
    const f = options.focus;
    const regionW = Math.round(f.width / (options.focusFill ?? 0.4)) * 1.2;
    const regionH = (regionW * h) / w;
    const cx = f.x + f.width / 2;
    const cy = f.y + f.height / 2;
    const left = Math.round(cx - regionW / 2);
    const top = Math.round(cy - regionH / 2);
    const pad = Math.round(Math.max(regionW, regionH));
    const padded = await sharp(oriented)
      .extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#7f7f7f' })
      .toBuffer();
    stage = await sharp(padded)
      .extract({ left: left + pad, top: top + pad, width: Math.round(regionW), height: Math.round(regionH) })
      .resize(stageW, stageH)
      .removeAlpha()
      .raw()
      .toBuffer();
  } else {
    if (!meta.width || !meta.height) throw new Error('cannot read the photo size');
    stage = await sharp(oriented)
      .resize(stageW, stageH, { fit: 'contain', background: '#7f7f7f' })
      .removeAlpha()
      .raw()
      .toBuffer();
  }
  const header = Buffer.from(`YUV4MPEG2 W${w} H${h} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const parts: Buffer[] = options.format === 'y4m' ? [header] : [];
  for (let i = 0; i < frames; i++) {
    const phase = (2 * Math.PI * i) / frames;
    const zoom = 1 + 0.08 * (0.5 - 0.5 * Math.cos(phase)); // 1 → 1.08 → 1
    const cropW = Math.round(stageW / (1.2 * zoom));
    const cropH = Math.round(stageH / (1.2 * zoom));
    const left = Math.max(
      0,
      Math.min(stageW - cropW, Math.round((stageW - cropW) / 2 + 12 * Math.sin(phase))),
    );
    const top = Math.max(
      0,
      Math.min(stageH - cropH, Math.round((stageH - cropH) / 2 + 6 * Math.sin(2 * phase))),
    );
    const frame = sharp(stage, { raw: { width: stageW, height: stageH, channels: 3 } })
      .extract({ left, top, width: cropW, height: cropH })
      .resize(w, h);
    if (options.format === 'y4m') {
      parts.push(Buffer.from('FRAME\n'), rgbToI420(await frame.raw().toBuffer(), w, h));
    } else {
      parts.push(await frame.jpeg({ quality: 85 }).toBuffer());
    }
  }
  return Buffer.concat(parts);
}
