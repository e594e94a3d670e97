/**
 * The contract between the clinic's local server and Electron main about the face-descriptor key, which
 * the packaged app keeps wrapped by the OS (electron/main/face-key.ts; the server's side is
 * server/clinic/face/key-store.ts `ParentPortFaceKeyStore`). Both sides import it from here, as they do
 * the ready message (./ready.ts), so neither keeps its own copy of the file name or the message shapes.
 */
import { z } from 'zod';

/** Key length in bytes (AES-256-GCM, server/clinic/face/crypto.ts). */
export const FACE_KEY_BYTES = 32;

/** The wrapped key's path under the data folder, as segments for `path.join(dataDir, …)`. */
export const WRAPPED_FACE_KEY_PATH = ['keys', 'face.key.wrapped'] as const;

/** Where a key saved through main goes: the key itself, or a rotation's pending key (`.next`). */
export const FACE_KEY_SLOTS = ['key', 'next'] as const;
export type FaceKeySlot = (typeof FACE_KEY_SLOTS)[number];

/**
 * `{ type: 'face-key:save', id, slot, key }` from the server: write `key` (base64 of 32 bytes) wrapped
 * into `slot`; `key: null` removes the pending key.
 */
export const faceKeySaveRequest = z.object({
  type: z.literal('face-key:save'),
  id: z.number().int().nonnegative(),
  slot: z.enum(FACE_KEY_SLOTS),
  key: z.string().nullable(),
});
export type FaceKeySaveRequest = z.infer<typeof faceKeySaveRequest>;

/** Main's answer to request `id`: written (`ok: true`) or not, with why (main always says why). */
export const faceKeySaveReply = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('face-key:saved'), id: z.number(), ok: z.literal(true) }),
  z.object({
    type: z.literal('face-key:saved'),
    id: z.number(),
    ok: z.literal(false),
    error: z.string().optional(),
  }),
]);
export type FaceKeySaveReply = z.infer<typeof faceKeySaveReply>;
