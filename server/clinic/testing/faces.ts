/**
 * Helpers for medium tests with the real face engine on real photos from ../shared/faces: read a photo,
 * make kiosk-like camera frames from it, book a patient through the API.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { BoardAppointment, Board } from '../features/appointments/service.ts';
import { FACES_DIR } from '../../../tests/e2e/support/faces.ts';
import type { Harness } from './harness.ts';

/** The bytes of a photo of ../shared/faces, e.g. 'deepface/p13/img38.jpg'. */
export const photo = (rel: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(FACES_DIR, rel)));

/**
 * `count` (default 3) kiosk-like 640×480 JPEG frames of one photo on mid grey, each shifted by 6 px right
 * and 3 px down from the last (what the movement check took for a live face, and what liveness refuses);
 * `still` makes identical frames (a frozen picture).
 */
export async function kioskFrames(rel: string, still = false, count = 3): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const shift of Array.from({ length: count }, (_, i) => i * 6)) {
    const s = still ? 0 : shift;
    const img = await sharp(photo(rel))
      .resize(680 + 6 * (count - 3), 510 + 3 * (count - 3), { fit: 'contain', background: '#808080' })
      .extract({ left: 20 + s, top: 15 + s / 2, width: 640, height: 480 })
      .jpeg({ quality: 85 })
      .toBuffer();
    out.push(new Uint8Array(img));
  }
  return out;
}

/**
 * Creates a patient and books them with the first specialty and practitioner `minutesFromNow` from the
 * harness clock, through the HTTP API.
 */
export async function bookPatient(
  h: Harness,
  fullName: string,
  minutesFromNow: number,
): Promise<BoardAppointment> {
  const board = (await (await h.req('GET', '/api/board')).json()) as Board;
  const patient = (await (await h.req('POST', '/api/patients', { fullName })).json()) as { id: string };
  const res = await h.req('POST', '/api/appointments', {
    patientId: patient.id,
    specialtyId: board.specialties[0]!.id,
    practitionerId: board.practitioners[0]!.id,
    startsAt: new Date(h.deps.now() + minutesFromNow * 60_000).toISOString(),
  });
  if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as BoardAppointment;
}

/**
 * Frames of an MJPEG clip of ../shared/faces (JPEGs back to back, split at each SOI marker FF D8 FF):
 * `count` frames from `from`, every `step`-th, e.g. the real recorded person of
 * 'video/live_lin_manuel_miranda.mjpeg' (97 frames at 30 fps; shared/faces/README.md).
 */
export function clipFrames(rel: string, from: number, count: number, step: number): Uint8Array[] {
  const data = fs.readFileSync(path.join(FACES_DIR, rel));
  const starts: number[] = [];
  for (let i = 0; i + 2 < data.length; i++) {
    if (data[i] === 0xff && data[i + 1] === 0xd8 && data[i + 2] === 0xff) starts.push(i);
  }
  const frames = starts.map((s, k) => new Uint8Array(data.subarray(s, starts[k + 1] ?? data.length)));
  return Array.from({ length: count }, (_, i) => frames[from + i * step]!);
}
