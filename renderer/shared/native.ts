/**
 * The pages' access to the Electron app's native bridge (`window.cfd`, exposed by
 * electron/preload/index.ts; types from electron/shared/ipc-contract.ts): `native()` is the bridge in
 * Electron and null in a browser, so a page offers printing and kiosk exit only where they exist. The
 * kiosk's camera choice lives in main's settings in Electron (IPC `camera:get` / `camera:set`) and in
 * localStorage in a browser; `cameraConstraints` asks for that device exactly, and `openCamera` falls
 * back to the default camera when the chosen one is gone.
 */
import type { CameraChoice, CfdBridge, Result } from '../../electron/shared/ipc-contract.ts';

export type { CameraChoice, CfdBridge, Result };

/** The bridge when the page runs in the Electron app, else null (a browser, a LAN screen). */
export function native(): CfdBridge | null {
  return (globalThis as { cfd?: CfdBridge }).cfd ?? null;
}

/** localStorage key of the camera chosen in a browser. */
export const CAMERA_STORAGE_KEY = 'cfd.camera';

/** The minimal Storage the camera choice uses (window.localStorage in a page). */
type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function browserStorage(): KeyValue | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Parses a stored camera choice; anything malformed is null (the default camera). */
export function parseCameraChoice(raw: string | null): CameraChoice {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { deviceId?: unknown; label?: unknown };
    return typeof v.deviceId === 'string' && v.deviceId !== ''
      ? { deviceId: v.deviceId, label: typeof v.label === 'string' ? v.label : '' }
      : null;
  } catch {
    return null;
  }
}

/**
 * The chosen camera: from main's settings in Electron (null when the call fails), else from
 * localStorage. null = the default camera.
 */
export async function getCameraChoice(
  bridge: CfdBridge | null = native(),
  storage: KeyValue | null = browserStorage(),
): Promise<CameraChoice> {
  if (bridge) {
    const res = await bridge.cameraGet();
    return res.ok ? res.value : null;
  }
  return parseCameraChoice(storage?.getItem(CAMERA_STORAGE_KEY) ?? null);
}

/**
 * Saves the chosen camera (null = back to the default) in main's settings or localStorage.
 * @returns false when main refused it
 */
export async function setCameraChoice(
  choice: CameraChoice,
  bridge: CfdBridge | null = native(),
  storage: KeyValue | null = browserStorage(),
): Promise<boolean> {
  if (bridge) return (await bridge.cameraSet(choice)).ok;
  if (choice) storage?.setItem(CAMERA_STORAGE_KEY, JSON.stringify(choice));
  else storage?.removeItem(CAMERA_STORAGE_KEY);
  return true;
}

/** 640×480 video, no audio; with a choice, that device exactly (`deviceId: { exact }`). */
export function cameraConstraints(choice: CameraChoice): MediaStreamConstraints {
  return {
    video: {
      width: 640,
      height: 480,
      ...(choice ? { deviceId: { exact: choice.deviceId } } : {}),
    },
    audio: false,
  };
}

/**
 * Opens the chosen camera, or the default one when the chosen device is gone (OverconstrainedError,
 * NotFoundError); any other error (e.g. NotAllowedError) is thrown as is.
 */
export async function openCamera(
  choice: CameraChoice,
  getUserMedia: (c: MediaStreamConstraints) => Promise<MediaStream>,
): Promise<MediaStream> {
  try {
    return await getUserMedia(cameraConstraints(choice));
  } catch (err) {
    const name = (err as { name?: string } | null)?.name;
    if (choice && (name === 'OverconstrainedError' || name === 'NotFoundError'))
      return getUserMedia(cameraConstraints(null));
    throw err;
  }
}

/** The video inputs the browser lists (labels are empty until camera permission was granted once). */
export async function listCameras(): Promise<{ deviceId: string; label: string }[]> {
  const devices = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
  return devices
    .filter((d) => d.kind === 'videoinput' && d.deviceId !== '')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}
