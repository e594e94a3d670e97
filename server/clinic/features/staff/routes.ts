/**
 * Routes of staff logins and accounts, mounted under /api: the session (`/auth/*`: status, first-run
 * setup, login, refresh, logout, me, lock, unlock, PIN, own password) and the admin's account management
 * (`/staff`). Cookies: ./sessions.ts. Who may call each: server/clinic/http/access.ts.
 */
import { Hono, type Context } from 'hono';
import { clientIp } from '../../http/client-ip.ts';
import { z } from 'zod';
import { AppError } from '../../../domain/errors.ts';
import type { Screen } from '../../../domain/ready.ts';
import {
  changeStaffPasswordInput,
  firstAdminInput,
  LOCK_AFTER_MIN,
  newStaffInput,
  setPinInput,
  staffLoginInput,
  staffPatchInput,
  unlockInput,
  type Me,
} from '../../../domain/staff.ts';
import type { AppEnv, StaffCaller } from '../../http/context.ts';
import { hasDeskLaunchCredential } from '../../http/security.ts';
import { validate } from '../../../http/validate.ts';
import {
  changeOwnPassword,
  countStaff,
  createStaff,
  getStaff,
  listStaff,
  lockSession,
  login,
  logout,
  patchStaff,
  setPin,
  setupFirstAdmin,
  staffView,
  unlockSession,
  type StaffDeps,
} from './service.ts';
import {
  clearStaffCookies,
  readCookie,
  REFRESH_COOKIE,
  rotateStaffRefresh,
  setStaffCookies,
} from './sessions.ts';

/** The staff caller of a route the allow-list keeps to staff. */
function staffCaller(c: Context<AppEnv>): StaffCaller {
  const caller = c.var.caller;
  if (caller?.kind !== 'staff') throw new AppError('forbidden', 'staff only');
  return caller;
}

/** `GET /auth/me`'s answer for the caller. */
function me(deps: StaffDeps, caller: StaffCaller): Me & { locked: boolean } {
  return {
    staff: staffView(getStaff(deps, caller.staffId)),
    sessionExpiresAt: caller.expiresAt,
    lockAfterMin: LOCK_AFTER_MIN,
    locked: caller.locked,
  };
}

const staffIdParam = z.object({ id: z.string().min(1).max(64) });

/**
 * The auth and staff routes.
 * @param credentials the launch credentials (the desk's allows the first-run setup)
 */
export function staffRoutes(deps: StaffDeps, credentials: Record<Screen, string>) {
  return new Hono<AppEnv>()
    .get('/auth/status', (c) => c.json({ setupRequired: countStaff(deps) === 0 }))
    .post('/auth/setup', validate('json', firstAdminInput), async (c) => {
      if (!hasDeskLaunchCredential(c, credentials))
        throw new AppError('forbidden', 'open the desk from the link the clinic server printed to set it up');
      const { staff, session } = await setupFirstAdmin(
        deps,
        c.req.valid('json'),
        c.req.header('user-agent') ?? '',
      );
      setStaffCookies(c, session.access, session.refresh);
      return c.json(
        { staff, sessionExpiresAt: session.expiresAt, lockAfterMin: LOCK_AFTER_MIN, locked: false },
        201,
      );
    })
    .post('/auth/login', validate('json', staffLoginInput), async (c) => {
      const { staff, session } = await login(deps, c.req.valid('json'), {
        ip: clientIp(c),
        userAgent: c.req.header('user-agent') ?? '',
      });
      setStaffCookies(c, session.access, session.refresh);
      return c.json({
        staff,
        sessionExpiresAt: session.expiresAt,
        lockAfterMin: LOCK_AFTER_MIN,
        locked: false,
      });
    })
    .post('/auth/refresh', async (c) => {
      const presented = readCookie(c, REFRESH_COOKIE);
      if (!presented) throw new AppError('session_expired', 'session ended: log in again');
      try {
        const next = await rotateStaffRefresh(deps, presented);
        setStaffCookies(c, next.access, next.refresh);
        return c.json({ ok: true as const });
      } catch (err) {
        if (err instanceof AppError && err.code === 'session_expired') clearStaffCookies(c);
        throw err;
      }
    })
    .post('/auth/logout', (c) => {
      logout(deps, staffCaller(c));
      clearStaffCookies(c);
      return c.json({ ok: true as const });
    })
    .get('/auth/me', (c) => c.json(me(deps, staffCaller(c))))
    .post('/auth/lock', (c) => {
      lockSession(deps, staffCaller(c));
      return c.json({ ok: true as const });
    })
    .post('/auth/unlock', validate('json', unlockInput), async (c) => {
      const caller = staffCaller(c);
      try {
        await unlockSession(deps, caller, c.req.valid('json'));
      } catch (err) {
        if (err instanceof AppError && err.code === 'session_expired') clearStaffCookies(c);
        throw err;
      }
      return c.json({ ok: true as const });
    })
    .put('/auth/pin', validate('json', setPinInput), async (c) => {
      await setPin(deps, staffCaller(c), c.req.valid('json'));
      return c.json({ ok: true as const });
    })
    .post('/auth/password', validate('json', changeStaffPasswordInput), async (c) => {
      await changeOwnPassword(deps, staffCaller(c), c.req.valid('json'));
      return c.json({ ok: true as const });
    })
    .get('/staff', (c) => c.json({ staff: listStaff(deps) }))
    .post('/staff', validate('json', newStaffInput), async (c) =>
      c.json(await createStaff(deps, c.req.valid('json'), c.var.actor), 201),
    )
    .patch('/staff/:id', validate('param', staffIdParam), validate('json', staffPatchInput), async (c) =>
      c.json(await patchStaff(deps, c.req.valid('param').id, c.req.valid('json'), c.var.actor)),
    );
}
