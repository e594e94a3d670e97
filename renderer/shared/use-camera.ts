/**
 * Opens the camera while `enabled` and stops every track when disabled or unmounted (so the camera
 * light goes off). Errors are reduced to a code the page can translate.
 */
import { useEffect, useState } from 'react';

export type CameraError = 'denied' | 'unavailable';

export interface Camera {
  stream: MediaStream | null;
  error: CameraError | null;
}

const CONSTRAINTS: MediaStreamConstraints = { video: { width: 640, height: 480 }, audio: false };

/**
 * Asks for a 640×480 video-only stream while `enabled`. Returns `{ stream, error }`: stream null until
 * granted; error 'denied' (NotAllowedError/SecurityError) or 'unavailable' (no device, no getUserMedia).
 */
export function useCamera(enabled: boolean): Camera {
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
    navigator.mediaDevices.getUserMedia(CONSTRAINTS).then(
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
  }, [enabled]);
  return camera;
}
