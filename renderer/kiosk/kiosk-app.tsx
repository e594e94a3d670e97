/** The kiosk page: a header (clinic, language) over one screen at a time; see store.ts for the flow. */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { api, isUnauthorized, unwrap } from '../shared/api.ts';
import { Clock } from '../shared/ui/clock.tsx';
import { LangSwitch } from '../shared/ui/lang-switch.tsx';
import { UnauthorizedScreen } from '../shared/ui/unauthorized-screen.tsx';
import { getCameraChoice, type CameraChoice } from '../shared/native.ts';
import { useCamera } from '../shared/use-camera.ts';
import { CandidateScreen } from './candidate-screen.tsx';
import { CheckedInScreen } from './checked-in-screen.tsx';
import { CodeScreen } from './code-screen.tsx';
import { IdleScreen } from './idle-screen.tsx';
import { StaffCorner } from './staff-exit.tsx';
import { isCameraScreen, useKiosk } from './store.ts';
import { useAutoReset } from './use-auto-reset.ts';
import { useFrameLoop } from './use-frame-loop.ts';

/** The clinic's name from GET /api/kiosk/settings, null until it arrives (or if it fails); 401 → unauthorized. */
function useClinicName(): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    unwrap(api.api.kiosk.settings.$get()).then(
      (s) => !cancelled && setName(s.clinicName),
      (err: unknown) => {
        if (!cancelled && isUnauthorized(err)) useKiosk.getState().setUnauthorized();
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return name;
}

/**
 * The camera chosen in settings (Electron: main's settings; browser: localStorage); `ready` is false
 * until it is known, so the kiosk does not open the default camera first and then switch.
 */
function useCameraChoice(): [CameraChoice, boolean, (c: CameraChoice) => void] {
  const [state, setState] = useState<{ choice: CameraChoice; ready: boolean }>({
    choice: null,
    ready: false,
  });
  useEffect(() => {
    let cancelled = false;
    getCameraChoice().then(
      (choice) => !cancelled && setState({ choice, ready: true }),
      () => !cancelled && setState({ choice: null, ready: true }),
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return [state.choice, state.ready, (choice) => setState({ choice, ready: true })];
}

/**
 * Root of the kiosk page: keeps the camera (the one chosen in settings) on (until the token is rejected), runs the frame loop while a
 * camera screen is up and the auto-reset timers, and renders the screen the store names.
 */
export function KioskApp() {
  const { t } = useTranslation();
  const { screen, unauthorized } = useKiosk(
    useShallow((s) => ({ screen: s.screen, unauthorized: s.unauthorized })),
  );
  const clinicName = useClinicName();
  const [cameraChoice, cameraReady, setCameraChoice] = useCameraChoice();
  const camera = useCamera(!unauthorized && cameraReady, cameraChoice);
  const videoRef = useRef<HTMLVideoElement>(null);

  useFrameLoop(videoRef, isCameraScreen(screen) && camera.stream !== null && !unauthorized);
  useAutoReset(screen);

  if (unauthorized) return <UnauthorizedScreen />;

  return (
    <div className="kiosk" data-testid="kiosk" data-state={screen}>
      <header className="kiosk-header">
        <div className="kiosk-header__brand">
          <span className="kiosk-header__clinic">{clinicName ?? '\u00a0'}</span>
          <span className="kiosk-header__title">{t('kiosk.title')}</span>
        </div>
        <Clock className="kiosk-header__clock" />
        <LangSwitch className="lang-switch--large" />
      </header>
      <main className="kiosk-main">
        {isCameraScreen(screen) && (
          <IdleScreen videoRef={videoRef} stream={camera.stream} cameraError={camera.error} />
        )}
        {screen === 'candidate' && <CandidateScreen />}
        {screen === 'checked-in' && <CheckedInScreen clinicName={clinicName} />}
        {(screen === 'fallback' || screen === 'code') && (
          <CodeScreen key={screen} fallback={screen === 'fallback'} />
        )}
      </main>
      <StaffCorner camera={cameraChoice} onCameraChange={setCameraChoice} />
    </div>
  );
}
