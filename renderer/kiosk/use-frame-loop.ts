/**
 * Sends camera frames to the server while the kiosk is in idle/scanning: one request in flight, the
 * next frame ~250 ms after the previous answer. The frame is the centre 4:3 crop of the camera drawn
 * onto a 640×480 canvas (the same crop the preview shows with object-fit: cover), as JPEG q0.85.
 * Answers drive the kiosk store; 503 face_engine_unavailable → retry in 2 s, other failures → 1 s.
 * Each frame is also searched for a booking QR (qr-scan.ts): a code found there is looked up at once.
 */
import { useEffect, type RefObject } from 'react';
import { ApiError, api, isUnauthorized, screen, unwrap } from '../shared/api.ts';
import type { FrameResult } from '../shared/types.ts';
import { scanBookingCode } from './qr-scan.ts';
import { KIOSK_SESSION_ID } from './session.ts';
import { isCameraScreen, useKiosk } from './store.ts';
import { submitBookingCode } from './submit-code.ts';

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;
const NEXT_FRAME_MS = 250;
const ENGINE_RETRY_MS = 2000;
const ERROR_RETRY_MS = 1000;

function toJpeg(canvas: HTMLCanvasElement): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
}

/** Draws the centre 4:3 crop of the video onto the canvas; false while the video has no picture yet. */
function drawFrame(video: HTMLVideoElement, ctx: CanvasRenderingContext2D): boolean {
  const vw = video.videoWidth;
  const vh = video.videoHeight;
  if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || vw === 0 || vh === 0) return false;
  const target = FRAME_WIDTH / FRAME_HEIGHT;
  let sw = vw;
  let sh = vh;
  if (vw / vh > target) sw = Math.round(vh * target);
  else sh = Math.round(vw / target);
  ctx.drawImage(video, (vw - sw) / 2, (vh - sh) / 2, sw, sh, 0, 0, FRAME_WIDTH, FRAME_HEIGHT);
  return true;
}

/**
 * Runs the frame loop on `videoRef`'s video while `active`; it also stops by itself when the screen leaves
 * idle/scanning or on 401 (→ unauthorized). Turning `active` off or unmounting clears the timer and aborts
 * the request in flight.
 */
export function useFrameLoop(videoRef: RefObject<HTMLVideoElement | null>, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const canvas = document.createElement('canvas');
    canvas.width = FRAME_WIDTH;
    canvas.height = FRAME_HEIGHT;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const url = api.api.kiosk.frames.$url();

    const schedule = (ms: number) => {
      if (stopped || !isCameraScreen(useKiosk.getState().screen)) return;
      timer = setTimeout(() => void tick(), ms);
    };

    const tick = async () => {
      const video = videoRef.current;
      if (stopped) return;
      if (!video || !drawFrame(video, ctx)) return schedule(NEXT_FRAME_MS);
      // A booking QR held to the camera wins over face matching (the patient chose it).
      const code = scanBookingCode(ctx, FRAME_WIDTH, FRAME_HEIGHT);
      if (code && !useKiosk.getState().busy) {
        stopped = true;
        await submitBookingCode(code, true);
        return;
      }
      const blob = await toJpeg(canvas);
      if (stopped) return;
      if (!blob) return schedule(ERROR_RETRY_MS);
      try {
        const result = await unwrap<FrameResult>(
          fetch(url, {
            method: 'POST',
            body: blob,
            headers: {
              'content-type': 'image/jpeg',
              'x-kiosk-session': KIOSK_SESSION_ID,
              'x-cfd-screen': screen,
            },
            credentials: 'same-origin',
            signal: controller.signal,
          }),
        );
        if (stopped) return;
        useKiosk.getState().applyFrame(result);
        schedule(NEXT_FRAME_MS);
      } catch (err) {
        if (stopped) return;
        if (isUnauthorized(err)) {
          useKiosk.getState().setUnauthorized();
          return;
        }
        if (err instanceof ApiError && err.code === 'face_engine_unavailable') {
          useKiosk.getState().setEngineStarting(true);
          return schedule(ENGINE_RETRY_MS);
        }
        schedule(ERROR_RETRY_MS);
      }
    };

    schedule(0);
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
    };
  }, [videoRef, active]);
}
