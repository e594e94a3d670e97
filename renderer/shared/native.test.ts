/**
 * Small tests of the pages' native bridge helpers (./native.ts): no bridge in a browser, the camera
 * choice through the bridge or localStorage, exact-device constraints, and the fallback to the default
 * camera when the chosen one is gone.
 */
import { describe, expect, it } from 'vitest';
import {
  CAMERA_STORAGE_KEY,
  cameraConstraints,
  getCameraChoice,
  native,
  openCamera,
  parseCameraChoice,
  setCameraChoice,
  type CfdBridge,
} from './native.ts';

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

const cam = { deviceId: 'usb-1', label: 'USB Camera' };

describe('native bridge', () => {
  it('is null outside Electron', () => {
    expect(native()).toBeNull();
  });

  it('keeps the camera choice in localStorage in a browser; malformed values mean the default', async () => {
    const storage = memoryStorage();
    expect(await getCameraChoice(null, storage)).toBeNull();
    expect(await setCameraChoice(cam, null, storage)).toBe(true);
    expect(storage.map.get(CAMERA_STORAGE_KEY)).toBe('{"deviceId":"usb-1","label":"USB Camera"}');
    expect(await getCameraChoice(null, storage)).toEqual(cam);
    await setCameraChoice(null, null, storage);
    expect(storage.map.has(CAMERA_STORAGE_KEY)).toBe(false);
    expect(parseCameraChoice('{oops')).toBeNull();
    expect(parseCameraChoice('{"deviceId":""}')).toBeNull();
    expect(parseCameraChoice('{"deviceId":"x"}')).toEqual({ deviceId: 'x', label: '' });
  });

  it('asks main in Electron, and reads null when the call fails', async () => {
    const storage = memoryStorage();
    storage.setItem(CAMERA_STORAGE_KEY, JSON.stringify({ deviceId: 'ignored', label: '' }));
    let saved: unknown = 'none';
    const bridge = {
      cameraGet: async () => ({ ok: true, value: cam }),
      cameraSet: async (c: unknown) => ((saved = c), { ok: true, value: c }),
    } as unknown as CfdBridge;
    expect(await getCameraChoice(bridge, storage)).toEqual(cam);
    expect(await setCameraChoice(null, bridge, storage)).toBe(true);
    expect(saved).toBeNull();
    const failing = {
      cameraGet: async () => ({ ok: false, error: { code: 'forbidden', message: 'x' } }),
    } as unknown as CfdBridge;
    expect(await getCameraChoice(failing, storage)).toBeNull();
  });
});

describe('camera', () => {
  it('asks for the chosen device exactly', () => {
    expect(cameraConstraints(cam)).toEqual({
      video: { width: 640, height: 480, deviceId: { exact: 'usb-1' } },
      audio: false,
    });
    expect(cameraConstraints(null)).toEqual({ video: { width: 640, height: 480 }, audio: false });
  });

  it('falls back to the default camera when the chosen one is gone, not when permission is denied', async () => {
    const asked: MediaStreamConstraints[] = [];
    const stream = { id: 'default' } as unknown as MediaStream;
    const gum = (failName: string) => async (c: MediaStreamConstraints) => {
      asked.push(c);
      const video = c.video as MediaTrackConstraints;
      if (video.deviceId) throw Object.assign(new Error(failName), { name: failName });
      return stream;
    };
    expect(await openCamera(cam, gum('OverconstrainedError'))).toBe(stream);
    expect(asked.map((c) => (c.video as MediaTrackConstraints).deviceId)).toEqual([
      { exact: 'usb-1' },
      undefined,
    ]);
    expect(await openCamera(cam, gum('NotFoundError'))).toBe(stream);
    await expect(openCamera(cam, gum('NotAllowedError'))).rejects.toMatchObject({ name: 'NotAllowedError' });
  });
});
