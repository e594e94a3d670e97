/**
 * The desk's login state (zustand): which screen the staff gate shows — loading, the first-run setup,
 * the login form, the lock screen, or the desk — and who is logged in. Talks to `/api/auth/*`
 * (server/clinic/features/staff/routes.ts): `check()` asks the server (refreshing the session once when
 * the access token has expired), `refresh()` rotates the session's tokens, `lock()` locks it.
 */
import { create } from 'zustand';
import type { Me } from '../../../server/domain/staff.ts';
import { api, ApiError, unwrap } from '../../shared/api.ts';

/** What the gate shows. */
export type Phase = 'loading' | 'setup' | 'login' | 'locked' | 'ready';

/** `GET /api/auth/me`'s answer. */
export type MeAnswer = Me & { locked: boolean };

interface AuthState {
  phase: Phase;
  me: MeAnswer | null;
  /** The first admin was just made: the setup wizard shows before the desk. */
  wizard: boolean;
  /** The wizard is done (or skipped). */
  finishWizard(): void;
  /** Asks the server who we are and sets the phase. Never throws. */
  check(): Promise<void>;
  /** A login, setup or unlock just succeeded with this answer. */
  enter(me: MeAnswer): void;
  /** Rotates the session's tokens; false when the session has ended (the login form shows). */
  refresh(): Promise<boolean>;
  /** Locks the session on the server and shows the lock screen. */
  lock(): Promise<void>;
  /** Ends the session and shows the login form. */
  logout(): Promise<void>;
}

async function whoAmI(): Promise<MeAnswer> {
  return (await unwrap(api.api.auth.me.$get())) as MeAnswer;
}

/** The store. */
export const useAuth = create<AuthState>()((set, get) => ({
  phase: 'loading',
  me: null,
  wizard: false,
  finishWizard: () => set({ wizard: false }),
  check: async () => {
    try {
      const status = await unwrap(api.api.auth.status.$get());
      if (status.setupRequired) return set({ phase: 'setup', me: null });
      let me: MeAnswer;
      try {
        me = await whoAmI();
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 401 || !(await get().refresh())) throw err;
        me = await whoAmI();
      }
      set({ me, phase: me.locked ? 'locked' : 'ready' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 423) set({ phase: 'locked' });
      else set({ phase: 'login', me: null });
    }
  },
  enter: (me) => set({ me, phase: me.locked ? 'locked' : 'ready' }),
  refresh: async () => {
    try {
      await unwrap(api.api.auth.refresh.$post());
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 423) {
        set({ phase: 'locked' });
        return false;
      }
      if (err instanceof ApiError && err.code === 'network') return true; // keep the desk; retry later
      set({ phase: 'login', me: null });
      return false;
    }
  },
  lock: async () => {
    set({ phase: 'locked' });
    try {
      await unwrap(api.api.auth.lock.$post());
    } catch {
      // Locked on screen already; the server locks it at the next attempt or it idles out.
    }
  },
  logout: async () => {
    try {
      await unwrap(api.api.auth.logout.$post());
    } catch {
      // The cookies are cleared by the answer; a failed call leaves a session that idles out in 30 min.
    }
    set({ phase: 'login', me: null });
  },
}));
