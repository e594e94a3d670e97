/**
 * Returns the kiosk to idle when nobody touches it: 30 s on any interactive screen, 10 s (fixed) after a
 * check-in. Idle/scanning are driven by the camera and never time out. The language goes back to PT
 * so the next patient starts from the default.
 */
import { useEffect } from 'react';
import i18n from 'i18next';
import { useKiosk, type KioskScreen } from './store.ts';

const INACTIVITY_MS = 30_000;
const CHECKED_IN_MS = 10_000;

function resetToIdle() {
  useKiosk.getState().reset();
  if (i18n.language !== 'pt') void i18n.changeLanguage('pt');
}

/**
 * Arms the reset timer for `screen` (re-armed by pointer, key and input events on interactive screens);
 * the timer and listeners are cleared when the screen changes or the component unmounts.
 */
export function useAutoReset(screen: KioskScreen): void {
  useEffect(() => {
    if (screen === 'idle' || screen === 'scanning') return;
    if (screen === 'checked-in') {
      const timer = setTimeout(resetToIdle, CHECKED_IN_MS);
      return () => clearTimeout(timer);
    }
    let timer = setTimeout(resetToIdle, INACTIVITY_MS);
    const touched = () => {
      clearTimeout(timer);
      timer = setTimeout(resetToIdle, INACTIVITY_MS);
    };
    const events = ['pointerdown', 'keydown', 'input'] as const;
    events.forEach((e) => document.addEventListener(e, touched, { passive: true }));
    return () => {
      clearTimeout(timer);
      events.forEach((e) => document.removeEventListener(e, touched));
    };
  }, [screen]);
}
