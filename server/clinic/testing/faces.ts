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
 * Three kiosk-like 640×480 JPEG frames of one photo on mid grey, each shifted by 6 px right and 3 px down
 * from the last (a live face moves); `still` makes three identical frames (a frozen picture).
 */
export async function kioskFrames(rel: string, still = false): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const shift of [0, 6, 12]) {
    const s = still ? 0 : shift;
    const img = await sharp(photo(rel))
      .resize(680, 510, { fit: 'contain', background: '#808080' })
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
