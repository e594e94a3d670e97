/** Idle/scanning screen: camera preview, one big instruction, progress while recognising, code button. */
import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { CameraError } from '../shared/use-camera.ts';
import { CameraStage } from './camera-stage.tsx';
import { useKiosk } from './store.ts';

interface Props {
  videoRef: RefObject<HTMLVideoElement | null>;
  stream: MediaStream | null;
  cameraError: CameraError | null;
}

/**
 * The camera screen for idle and scanning: the hint as heading (or "camera unavailable" with no preview
 * when `cameraError`), then a progress bar while scanning (store `progress` 0–1), else a note that the face
 * engine or the camera is starting, and the "use a code" button.
 */
export function IdleScreen({ videoRef, stream, cameraError }: Props) {
  const { t } = useTranslation();
  const { screen, hint, progress, face, frame, engineStarting, openCode, livenessOff } = useKiosk(
    useShallow((s) => ({
      livenessOff: s.livenessOff,
      screen: s.screen,
      hint: s.hint,
      progress: s.progress,
      face: s.face,
      frame: s.frame,
      engineStarting: s.engineStarting,
      openCode: s.openCode,
    })),
  );
  const scanning = screen === 'scanning';

  return (
    <section className="kiosk-idle" aria-labelledby="kiosk-hint">
      <h1
        id="kiosk-hint"
        className={`kiosk-hint kiosk-hint--${hint}`}
        data-testid="kiosk-hint"
        aria-live="polite"
      >
        {cameraError ? t('kiosk.cameraUnavailable') : t(`kiosk.hint.${hint}`)}
      </h1>
      {livenessOff && (
        <p className="kiosk-demo-note" data-testid="kiosk-liveness-off">
          {t('kiosk.livenessOff')}
        </p>
      )}
      {!cameraError && (
        <CameraStage videoRef={videoRef} stream={stream} face={face} frame={frame} hint={hint} />
      )}
      <div className="kiosk-idle__status">
        {scanning ? (
          <div
            className="progress"
            role="progressbar"
            data-testid="kiosk-progress"
            aria-label={t('kiosk.progress')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress * 100)}
          >
            <div className="progress__bar" style={{ width: `${Math.max(8, progress * 100)}%` }} />
          </div>
        ) : engineStarting ? (
          <p className="kiosk-note" data-testid="kiosk-starting" role="status">
            <span className="spinner" aria-hidden="true" /> {t('kiosk.starting')}
          </p>
        ) : !stream && !cameraError ? (
          <p className="kiosk-note" role="status">
            <span className="spinner" aria-hidden="true" /> {t('kiosk.cameraStarting')}
          </p>
        ) : (
          <p className="kiosk-note">
            {cameraError ? (
              ''
            ) : (
              <>
                {t('kiosk.guide')}
                <br />
                {t('kiosk.qrHint')}
              </>
            )}
          </p>
        )}
      </div>
      <button
        type="button"
        className="btn kiosk-btn kiosk-btn--secondary"
        data-testid="use-code"
        onClick={openCode}
      >
        <KeypadIcon /> {t('kiosk.useCode')}
      </button>
    </section>
  );
}

function KeypadIcon() {
  return (
    <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
      <path
        fill="currentColor"
        d="M5 3h3v3H5V3Zm5.5 0h3v3h-3V3ZM16 3h3v3h-3V3ZM5 8.5h3v3H5v-3Zm5.5 0h3v3h-3v-3Zm5.5 0h3v3h-3v-3ZM5 14h3v3H5v-3Zm5.5 0h3v3h-3v-3Zm5.5 0h3v3h-3v-3Zm-5.5 5.5h3v3h-3v-3Z"
      />
    </svg>
  );
}
