/**
 * Session and app state of the portal (zustand): who is logged in (the account as the server last sent
 * it; the tokens stay in HttpOnly cookies), the clinics of the catalogue, and a one-shot message shown at
 * the top of the next page ("Password changed", "Your session has ended"). The actions here are the
 * only writers.
 */
import { create } from 'zustand';
import * as api from './api.ts';
import type { PortalKey } from './i18n.ts';
import { navigate } from './router.ts';
import type { Account, Clinic } from './types.ts';

/** A message for the page at `path`, shown once. */
export interface Flash {
  path: string;
  kind: 'info' | 'error';
  key: PortalKey;
  values?: Record<string, string | number>;
}

interface SessionState {
  /** 'loading' until GET /api/account/me has answered. */
  status: 'loading' | 'anonymous' | 'authenticated';
  account: Account | null;
  /** null while loading; [] when the catalogue could not be loaded. */
  clinics: Clinic[] | null;
  clinicsFailed: boolean;
  flash: Flash | null;
  /** The address a sign-up link was just sent to (shown on "check your e-mail"; never in the URL). */
  pendingEmail: string | null;
}

/** The portal's session store. */
export const useSession = create<SessionState>(() => ({
  status: 'loading',
  account: null,
  clinics: null,
  clinicsFailed: false,
  flash: null,
  pendingEmail: null,
}));

/** Records a logged-in account (after login, verification, refresh or an edit). */
export function setAccount(account: Account): void {
  useSession.setState({ status: 'authenticated', account });
}

/** Forgets the account locally (logout, deletion, an ended session). */
export function clearAccount(): void {
  useSession.setState({ status: 'anonymous', account: null });
}

/** Shows `key` at the top of the page at `path` (navigate there next). */
export function flash(
  path: string,
  key: PortalKey,
  kind: Flash['kind'] = 'info',
  values?: Flash['values'],
): void {
  useSession.setState({ flash: { path: path.split('?')[0]!, key, kind, ...(values ? { values } : {}) } });
}

/** Drops the message once its page has been left. */
export function clearFlash(): void {
  useSession.setState({ flash: null });
}

/** Remembers where a sign-up link went, for the "check your e-mail" page. */
export function setPendingEmail(email: string | null): void {
  useSession.setState({ pendingEmail: email });
}

/**
 * Loads the session and the catalogue at start; wires "session ended" (a failed refresh) to the login
 * page, which returns the patient to where they were.
 */
export async function startSession(): Promise<void> {
  api.onSessionExpired(() => {
    if (useSession.getState().status !== 'authenticated') return;
    clearAccount();
    const here = location.pathname + location.search;
    flash('/login', 'auth.sessionEnded', 'error');
    navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
  });
  const clinics = api
    .listClinics()
    .then((list) => useSession.setState({ clinics: list, clinicsFailed: false }))
    .catch(() => useSession.setState({ clinics: [], clinicsFailed: true }));
  try {
    const account = await api.getMe();
    if (account) setAccount(account);
    else clearAccount();
  } catch {
    clearAccount();
  }
  await clinics;
}

/** Logs out on the server (revokes the session) and locally, then goes home. */
export async function logoutNow(): Promise<void> {
  try {
    await api.logout();
  } finally {
    clearAccount();
    flash('/', 'auth.loggedOut');
    navigate('/');
  }
}

/** The clinic the portal books at: the one named, else the only (or first) one. */
export function currentClinic(clinics: Clinic[] | null, id?: string | null): Clinic | null {
  if (!clinics || clinics.length === 0) return null;
  return (id ? clinics.find((c) => c.id === id) : undefined) ?? clinics[0]!;
}
