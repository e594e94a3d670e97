/**
 * Opens the camera while `enabled` and stops every track when disabled or unmounted (so the camera
 * light goes off). Errors are reduced to a code the page can translate. The kiosk passes the camera
 * chosen in settings (./native.ts); a chosen camera that is gone falls back to the default one.
 */
import { useEffect, useState } from 'react';
import { openCamera, type CameraChoice } from './native.ts';

export type CameraError = 'denied' | 'unavailable';

export interface Camera {
  stream: MediaStream | null;
  error: CameraError | null;
}

/**
 * Asks for a 640×480 video-only stream while `enabled`, from `choice`'s device when given (else the
 * default camera). Returns `{ stream, error }`: stream null until granted; error 'denied'
 * (NotAllowedError/SecurityError) or 'unavailable' (no device, no getUserMedia).
 */
export function useCamera(enabled: boolean, choice: CameraChoice = null): Camera {
  const deviceId = choice?.deviceId ?? null;
  const [camera, setCamera] = useState<Camera>({ stream: null, error: null });
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    let opened: MediaStream | null = null;
    if (!navigator.mediaDevices?.getUserMedia) {
      queueMicrotask(() => !cancelled && setCamera({ stream: null, error: 'unavailable' }));
      return () => {
        cancelled = true;
      };
    }
    const media = navigator.mediaDevices;
    openCamera(deviceId ? { deviceId, label: '' } : null, (c) => media.getUserMedia(c)).then(
      (stream) => {
        if (cancelled) {
          stream.getTracks().forEach((t) => t.stop());
          return;
        }
        opened = stream;
        setCamera({ stream, error: null });
      },
      (err: unknown) => {
        if (cancelled) return;
        const name = err instanceof DOMException ? err.name : '';
        setCamera({
          stream: null,
          error: name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable',
        });
      },
    );
    return () => {
      cancelled = true;
      opened?.getTracks().forEach((t) => t.stop());
      setCamera({ stream: null, error: null });
    };
  }, [enabled, deviceId]);
  return camera;
}
