/**
 * Photos for enrolment, as data URLs the server accepts (JPEG/PNG, each under its 4 MB string limit).
 * Files are decoded once to check they are images; big or other-format ones are re-encoded as JPEG
 * with the longest side at most 1600 px, which is plenty for face detection.
 */
import { ApiError } from '../shared/api.ts';

const MAX_SIDE = 1600;
const MAX_CHARS = 3_000_000;

function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('not an image'));
    img.src = src;
  });
}

function encode(source: CanvasImageSource, width: number, height: number): string {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  canvas.getContext('2d')?.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/jpeg', 0.9);
}

/** @throws ApiError image_invalid when the file is not a picture the browser can decode */
export async function fileToDataUrl(file: File): Promise<string> {
  let dataUrl: string;
  let img: HTMLImageElement;
  try {
    dataUrl = await readAsDataUrl(file);
    img = await loadImage(dataUrl);
  } catch {
    throw new ApiError('image_invalid', `${file.name} is not a readable image`, 400);
  }
  const ok =
    /^data:image\/(jpeg|png);/.test(dataUrl) &&
    dataUrl.length <= MAX_CHARS &&
    Math.max(img.naturalWidth, img.naturalHeight) <= MAX_SIDE;
  return ok ? dataUrl : encode(img, img.naturalWidth, img.naturalHeight);
}

/** The current camera picture (unmirrored) as a JPEG data URL. */
export function captureVideo(video: HTMLVideoElement): string | null {
  if (video.videoWidth === 0 || video.videoHeight === 0) return null;
  return encode(video, video.videoWidth, video.videoHeight);
}
