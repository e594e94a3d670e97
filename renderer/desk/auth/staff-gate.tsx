/**
 * The staff gate in front of the desk: nothing of the desk is rendered (so no patient name is in the
 * page) until a staff member has logged in. It shows the first-run setup when the clinic has no account
 * yet (its first admin, then the setup wizard: clinic, rooms, practitioners, specialties, hours, public
 * screens), the login form, or the lock screen; it locks the desk after `lockAfterMin` minutes without
 * keyboard, pointer or touch input, rotates the session's tokens every 10 minutes while someone works
 * (access tokens last 15), and when a desk call is refused (401) it refreshes once and carries on, or
 * shows the login form.
 */
import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import { useDesk } from '../store.ts';
import { useAuth } from './auth-store.ts';
import { FirstRunScreen, LockScreen, LoginScreen } from './auth-screens.tsx';
import { SetupWizard } from '../setup/setup-wizard.tsx';

/** How often the session's tokens are rotated while the desk is in use, ms (access tokens last 15 min). */
const REFRESH_EVERY_MS = 10 * 60_000;
/** How often the idle lock checks, ms. */
const IDLE_CHECK_MS = 15_000;

/** Renders `children` (the desk) only for a logged-in, unlocked staff member. */
export function StaffGate({ children }: { children: ReactNode }) {
  const phase = useAuth((s) => s.phase);
  const me = useAuth((s) => s.me);
  const wizard = useAuth((s) => s.wizard);
  const unauthorized = useDesk((s) => s.unauthorized);
  const lastInput = useRef(0);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    void useAuth.getState().check();
  }, []);

  // Input anywhere counts as activity (and opening the desk is some).
  useEffect(() => {
    lastInput.current = Date.now();
    const mark = () => {
      lastInput.current = Date.now();
    };
    const events = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, mark, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, mark);
    };
  }, []);

  // Idle lock and token rotation while the desk is open.
  useEffect(() => {
    if (phase !== 'ready' || !me) return;
    const lockAfterMs = me.lockAfterMin * 60_000;
    const idle = setInterval(() => {
      if (Date.now() - lastInput.current >= lockAfterMs) void useAuth.getState().lock();
    }, IDLE_CHECK_MS);
    const rotate = setInterval(() => void useAuth.getState().refresh(), REFRESH_EVERY_MS);
    return () => {
      clearInterval(idle);
      clearInterval(rotate);
    };
  }, [phase, me]);

  // A desk call was refused: refresh once and restart the desk, or show the login form.
  useEffect(() => {
    if (!unauthorized || phase !== 'ready') return;
    void useAuth
      .getState()
      .refresh()
      .then((ok) => {
        useDesk.setState({ unauthorized: false });
        if (ok) setGeneration((g) => g + 1);
      });
  }, [unauthorized, phase]);

  if (phase === 'loading' || (phase === 'ready' && unauthorized))
    return (
      <p className="empty" aria-busy="true">
        <span className="spinner" aria-hidden="true" />
      </p>
    );
  if (phase === 'setup') return <FirstRunScreen />;
  if (phase === 'login') return <LoginScreen />;
  if (phase === 'locked') return <LockScreen />;
  if (wizard) return <SetupWizard stepsBefore={1} onFinish={() => useAuth.getState().finishWizard()} />;
  return <Fragment key={generation}>{children}</Fragment>;
}
