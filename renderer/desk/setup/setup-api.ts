/**
 * The setup's calls to the clinic API (server/clinic/features/setup) through the typed client, the
 * practitioner photo's upload and address, and the photo's client-side shrinking: a picked file is drawn
 * on a canvas with its longest side at most `PHOTO_MAX_PX` and encoded as JPEG, so the server only ever
 * receives a small picture (≤ `PHOTO_MAX_BYTES`).
 */
import type { InferResponseType } from 'hono/client';
import { SPECIALTY_DEFAULTS, type SpecialtyCode } from '../../../server/domain/specialties.ts';
import { PHOTO_MAX_BYTES, PHOTO_MAX_PX, type OpeningBlock } from '../../../server/domain/setup.ts';
import { api, ApiError, linkFor, screen, unwrap } from '../../shared/api.ts';

/** `GET /api/setup`. */
export type SetupState = InferResponseType<typeof api.api.setup.$get>;
/** A room as the setup lists it. */
export type RoomAdmin = SetupState['rooms'][number];
/** A practitioner as the setup lists it. */
export type PractitionerAdmin = SetupState['practitioners'][number];
/** A specialty as the setup lists it (minutes, cents). */
export type SpecialtyAdmin = SetupState['specialties'][number];

/** The configuration and which steps are done. */
export function loadSetup(): Promise<SetupState> {
  return unwrap(api.api.setup.$get());
}

/** Saves the clinic's identity. */
export function saveClinic(json: { name: string; nif: string; address: string; phone: string }) {
  return unwrap(api.api.setup.clinic.$put({ json }));
}

/** Adds a room. */
export function addRoom(name: string) {
  return unwrap(api.api.rooms.$post({ json: { name } }));
}

/** Renames and/or (de)activates a room. */
export function patchRoom(id: string, json: { name?: string; active?: boolean }) {
  return unwrap(api.api.rooms[':id'].$patch({ param: { id }, json }));
}

/** A practitioner's fields as the form sends them. */
export interface PractitionerFields {
  fullName: string;
  displayName: string;
  defaultRoomId: string | null;
  specialtyIds: string[];
}

/** Adds a practitioner. */
export function addPractitioner(json: PractitionerFields) {
  return unwrap(api.api.practitioners.$post({ json }));
}

/** Changes a practitioner. */
export function patchPractitioner(id: string, json: Partial<PractitionerFields> & { active?: boolean }) {
  return unwrap(api.api.practitioners[':id'].$patch({ param: { id }, json }));
}

/** Adds one of the standard specialties (names from the code's defaults unless given). */
export function addSpecialty(json: {
  code: SpecialtyCode;
  durationMin: number;
  priceCents: number;
  namePt?: string;
  nameEn?: string;
}) {
  return unwrap(api.api.specialties.$post({ json }));
}

/** Adds a standard specialty with its usual length and price. */
export function addDefaultSpecialty(code: SpecialtyCode) {
  const d = SPECIALTY_DEFAULTS[code];
  return addSpecialty({ code, durationMin: d.defaultDurationMin, priceCents: d.priceCents });
}

/** Changes a specialty. */
export function patchSpecialty(
  id: string,
  json: { namePt?: string; nameEn?: string; durationMin?: number; priceCents?: number; active?: boolean },
) {
  return unwrap(api.api.specialties[':id'].$patch({ param: { id }, json }));
}

/** Replaces the week's opening hours. */
export function saveOpeningHours(blocks: OpeningBlock[]) {
  return unwrap(api.api['opening-hours'].$put({ json: { blocks } }));
}

/** Chooses how public screens name patients (a clinic setting). */
export function saveNamePolicy(namePolicy: SetupState['namePolicy']) {
  return unwrap(api.api.settings.$patch({ json: { namePolicy } }));
}

/** The photo's address for an `<img>`; `version` (its `photoUpdatedAt`) defeats a stale cache. */
export function photoUrl(id: string, version: string): string {
  const url = new URL(linkFor(api.api.practitioners[':id'].photo.$url({ param: { id } })));
  url.searchParams.set('v', version);
  return url.href;
}

/**
 * Uploads a practitioner's photo (already shrunk by `shrinkPhoto`).
 * @throws ApiError with the server's code (payload_too_large, unsupported_media_type, image_invalid, …)
 */
export async function uploadPhoto(id: string, photo: Blob): Promise<PractitionerAdmin> {
  const url = api.api.practitioners[':id'].photo.$url({ param: { id } });
  return unwrap(
    fetch(url, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': photo.type, 'x-cfd-screen': screen },
      body: photo,
    }) as Promise<{ ok: boolean; status: number; json(): Promise<PractitionerAdmin> }>,
  );
}

/** Decodes a picked file as an image. @throws ApiError image_invalid */
function decode(file: Blob): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const src = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      URL.revokeObjectURL(src);
      resolve(img);
    };
    img.onerror = () => {
      URL.revokeObjectURL(src);
      reject(new ApiError('image_invalid', 'not a readable image', 400));
    };
    img.src = src;
  });
}

/**
 * A picked photo shrunk for upload: longest side at most `PHOTO_MAX_PX` (never enlarged), re-encoded as
 * JPEG (quality 0.85, lowered until it fits `PHOTO_MAX_BYTES`).
 * @throws ApiError image_invalid (not an image) | payload_too_large (still too big at the lowest quality)
 */
export async function shrinkPhoto(file: Blob): Promise<Blob> {
  const img = await decode(file);
  const scale = Math.min(1, PHOTO_MAX_PX / Math.max(img.naturalWidth, img.naturalHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
  canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new ApiError('image_invalid', 'no canvas', 400);
  ctx.fillStyle = '#fff'; // a transparent PNG gets a white background, not black
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  for (const quality of [0.85, 0.7, 0.5]) {
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (blob && blob.size <= PHOTO_MAX_BYTES) return blob;
  }
  throw new ApiError('payload_too_large', 'photo too large', 413);
}
