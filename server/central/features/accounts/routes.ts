/**
 * Patient-account routes of the central API, mounted under /api (so `/api/account/...`); chained so
 * their types reach `CentralAppType` for the portal's `hc` client. Shapes are the zod contracts of
 * server/domain/accounts.ts; the logic is service.ts.
 *
 * Public: signup (202), verify-email, login, refresh, logout, password/forgot (202), password/reset,
 * email/confirm. Logged in (`requireCaller`: access cookie of a live session): me (GET, PATCH), export,
 * password, email, delete. Routes that start a session set the two `__Host-` cookies (http/auth.ts);
 * refresh clears them when it answers 401, logout always does.
 *
 * A new password that fails only its strength rules (length 10–128, common list) answers 400
 * `weak_password` with `details.field` and `details.reason` ('too_short' | 'too_long' | 'common' |
 * 'context'); other bad input 400 `validation_failed` with `details.issues`. A 429 `too_many_attempts`
 * carries `details.retryAfterSec` and the same in a `Retry-After` header. The client address for
 * throttling and the audit log is the first `X-Forwarded-For` hop (the load balancer must set it and
 * drop what the client sent), else the socket's, else 'unknown' (`app.request()` in tests).
 */
import { createRoute, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import {
  accountExport,
  accountResponse,
  changeEmailInput,
  changePasswordInput,
  deleteAccountInput,
  forgotPasswordInput,
  loginInput,
  okResponse,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  resetPasswordInput,
  signupInput,
  tokenInput,
  updateAccountInput,
} from '../../../domain/accounts.ts';
import { AppError } from '../../../domain/errors.ts';
import type { CentralDeps } from '../../deps.ts';
import {
  ACCESS_COOKIE,
  clearSessionCookies,
  REFRESH_COOKIE,
  requireCaller,
  setSessionCookies,
} from '../../http/auth.ts';
import { errors, json, jsonBody, newRouter } from '../../http/router.ts';
import { dummyHash } from '../../../http/passwords.ts';
import { clientIp } from '../../http/client-ip.ts';
import * as service from './service.ts';
import type { RequestMeta } from './service.ts';

const tags = ['account'];

/** Largest request body the account routes read, in bytes. */
const MAX_BODY_BYTES = 16 * 1024;

function meta(c: Context): RequestMeta {
  return { ip: clientIp(c), userAgent: c.req.header('user-agent') ?? '' };
}

/** Runs `work`; on 429 also sets `Retry-After` (seconds) before the error answer is written. */
async function withRetryAfter<T>(c: Context, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof AppError && err.code === 'too_many_attempts') {
      c.header('Retry-After', String(err.details?.retryAfterSec ?? 60));
    }
    throw err;
  }
}

/** What a validation hook receives (as @hono/zod-openapi's `Hook`), generic in the parsed input. */
type ValidationResult<T> = { target: string } & (
  { success: true; data: T } | { success: false; error: z.ZodError }
);

/**
 * Validation hook for bodies with a new password in `field`: when the only problems are that password's
 * length or commonness, answers 400 `weak_password`; otherwise 400 `validation_failed` as everywhere.
 */
function newPasswordHook(field: string) {
  return <T>(result: ValidationResult<T>): undefined => {
    if (result.success) return undefined;
    const issues = result.error.issues;
    const strength = (i: (typeof issues)[number]) =>
      i.path[0] === field && (i.code === 'too_small' || i.code === 'too_big' || i.code === 'custom');
    if (issues.length > 0 && issues.every(strength)) {
      const first = issues[0]!;
      const reason =
        first.code === 'too_small' ? 'too_short' : first.code === 'too_big' ? 'too_long' : 'common';
      throw new AppError('weak_password', `${field}: password refused (${reason})`, {
        field,
        reason,
        minLength: PASSWORD_MIN_LENGTH,
        maxLength: PASSWORD_MAX_LENGTH,
      });
    }
    const list = issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError(
      'validation_failed',
      list.map((i) => `${i.path || result.target}: ${i.message}`).join('; '),
      { issues: list },
    );
  };
}

const sessionSet = 'sets the `__Host-cfd_access` and `__Host-cfd_refresh` cookies';

const signupRoute = createRoute({
  method: 'post',
  path: '/account/signup',
  tags,
  summary: 'Create an account; a verification link is emailed',
  description:
    'Always 202 for a well-formed request: when the email already has an account, that address is sent ' +
    'an "already registered" email (with login and reset links) instead, and nothing is created.',
  request: { body: jsonBody(signupInput) },
  responses: {
    202: json(okResponse, 'accepted; check your mailbox'),
    ...errors('validation_failed', 'weak_password', 'forbidden', 'payload_too_large'),
  },
});

const verifyEmailRoute = createRoute({
  method: 'post',
  path: '/account/verify-email',
  tags,
  summary: 'Use the link from the sign-up email: verifies the email and logs in',
  request: { body: jsonBody(tokenInput) },
  responses: {
    200: json(accountResponse, `verified and logged in; ${sessionSet}`),
    ...errors('validation_failed', 'token_invalid', 'forbidden', 'payload_too_large'),
  },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/account/login',
  tags,
  summary: 'Log in with email and password',
  description:
    '401 invalid_credentials is the same for an unknown email and a wrong password. 403 email_not_verified ' +
    'only after a right password (a new verification link is emailed). 429 after 10 failures per account ' +
    'in 15 min (then locks of 1, 2, 4 … ≤ 60 min) or 100 per address; `Retry-After` in seconds.',
  request: { body: jsonBody(loginInput) },
  responses: {
    200: json(accountResponse, `logged in; ${sessionSet}`),
    ...errors(
      'validation_failed',
      'invalid_credentials',
      'email_not_verified',
      'too_many_attempts',
      'forbidden',
      'payload_too_large',
    ),
  },
});

const refreshRoute = createRoute({
  method: 'post',
  path: '/account/refresh',
  tags,
  summary: 'Rotate the refresh cookie and get a new access cookie',
  description:
    'Presenting an already-used refresh token revokes its whole session. Sessions end after the configured ' +
    'idle time without refresh and at their absolute expiry. A 401 clears both cookies.',
  responses: {
    200: json(accountResponse, `refreshed; ${sessionSet}`),
    ...errors('unauthorized', 'forbidden'),
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/account/logout',
  tags,
  summary: 'End this session (works with an expired access token) and clear the cookies',
  responses: { 204: { description: 'logged out' }, ...errors('forbidden') },
});

const forgotRoute = createRoute({
  method: 'post',
  path: '/account/password/forgot',
  tags,
  summary: 'Email a password-reset link (30 min, single use) if the account exists',
  description: 'Always 202; a new link invalidates older unused ones.',
  request: { body: jsonBody(forgotPasswordInput) },
  responses: {
    202: json(okResponse, 'accepted'),
    ...errors('validation_failed', 'forbidden', 'payload_too_large'),
  },
});

const resetRoute = createRoute({
  method: 'post',
  path: '/account/password/reset',
  tags,
  summary: 'Set a new password with a reset link; ends every session',
  request: { body: jsonBody(resetPasswordInput) },
  responses: {
    200: json(okResponse, 'password changed; log in again'),
    ...errors('validation_failed', 'weak_password', 'token_invalid', 'forbidden', 'payload_too_large'),
  },
});

const changePasswordRoute = createRoute({
  method: 'post',
  path: '/account/password',
  tags,
  summary: 'Change the password; ends every other session and renews this one',
  request: { body: jsonBody(changePasswordInput) },
  responses: {
    200: json(accountResponse, `changed; ${sessionSet}`),
    ...errors(
      'validation_failed',
      'weak_password',
      'unauthorized',
      'invalid_credentials',
      'too_many_attempts',
      'forbidden',
      'payload_too_large',
    ),
  },
});

const changeEmailRoute = createRoute({
  method: 'post',
  path: '/account/email',
  tags,
  summary: 'Ask to change the email: a confirmation link (24 h) goes to the new address, a notice to the old',
  request: { body: jsonBody(changeEmailInput) },
  responses: {
    202: json(okResponse, 'confirmation sent'),
    ...errors(
      'validation_failed',
      'unauthorized',
      'invalid_credentials',
      'too_many_attempts',
      'email_taken',
      'forbidden',
      'payload_too_large',
    ),
  },
});

const confirmEmailRoute = createRoute({
  method: 'post',
  path: '/account/email/confirm',
  tags,
  summary: 'Use the link sent to the new address: the email changes (verified)',
  request: { body: jsonBody(tokenInput) },
  responses: {
    200: json(accountResponse, 'email changed'),
    ...errors('validation_failed', 'token_invalid', 'email_taken', 'forbidden', 'payload_too_large'),
  },
});

const getMeRoute = createRoute({
  method: 'get',
  path: '/account/me',
  tags,
  summary: 'The logged-in account',
  responses: { 200: json(accountResponse, 'the account'), ...errors('unauthorized') },
});

const patchMeRoute = createRoute({
  method: 'patch',
  path: '/account/me',
  tags,
  summary: 'Change name, phone, NIF, birth date or language (null clears NIF or birth date)',
  request: { body: jsonBody(updateAccountInput) },
  responses: {
    200: json(accountResponse, 'the updated account'),
    ...errors('validation_failed', 'unauthorized', 'forbidden', 'payload_too_large'),
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/account/export',
  tags,
  summary: 'Download everything held about me (GDPR access), as my-data.json',
  responses: {
    200: {
      description: 'attachment `my-data.json`',
      headers: { 'content-disposition': { schema: { type: 'string' } } },
      content: { 'application/json': { schema: accountExport } },
    },
    ...errors('unauthorized'),
  },
});

const deleteRoute = createRoute({
  method: 'post',
  path: '/account/delete',
  tags,
  summary: 'Erase my account (GDPR): personal data blanked, future appointments cancelled, logged out',
  request: { body: jsonBody(deleteAccountInput) },
  responses: {
    204: { description: 'erased; cookies cleared' },
    ...errors(
      'validation_failed',
      'unauthorized',
      'invalid_credentials',
      'too_many_attempts',
      'forbidden',
      'payload_too_large',
    ),
  },
});

/** Routes of the accounts feature (see the module doc), mounted under /api. */
export function accountsRoutes(deps: CentralDeps) {
  // Make the dummy hash now, so the first login with an unknown email is not slower than the others.
  dummyHash(deps.config.argon2).catch(() => undefined);
  const auth = requireCaller(deps);
  const loggedIn = <R extends object>(route: R) => ({ ...route, middleware: [auth] });
  const router = newRouter();
  // Account bodies are a few hundred bytes; refuse big ones before parsing (413 payload_too_large).
  router.use(
    '/account/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError('payload_too_large', `request body over ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  return router
    .openapi(
      signupRoute,
      async (c) => {
        await service.signup(deps, c.req.valid('json'), meta(c));
        return c.json({ ok: true as const }, 202);
      },
      newPasswordHook('password'),
    )
    .openapi(verifyEmailRoute, async (c) => {
      const { account, tokens } = await service.verifyEmail(deps, c.req.valid('json').token, meta(c));
      setSessionCookies(c, deps.config, tokens.access, tokens.refresh);
      return c.json({ account }, 200);
    })
    .openapi(loginRoute, async (c) => {
      const { account, tokens } = await withRetryAfter(c, service.login(deps, c.req.valid('json'), meta(c)));
      setSessionCookies(c, deps.config, tokens.access, tokens.refresh);
      return c.json({ account }, 200);
    })
    .openapi(refreshRoute, async (c) => {
      try {
        const { account, tokens } = await service.refresh(deps, getCookie(c, REFRESH_COOKIE), meta(c));
        setSessionCookies(c, deps.config, tokens.access, tokens.refresh);
        return c.json({ account }, 200);
      } catch (err) {
        if (err instanceof AppError && err.code === 'unauthorized') clearSessionCookies(c);
        throw err;
      }
    })
    .openapi(logoutRoute, async (c) => {
      await service.logout(
        deps,
        { refresh: getCookie(c, REFRESH_COOKIE), access: getCookie(c, ACCESS_COOKIE) },
        meta(c),
      );
      clearSessionCookies(c);
      return c.body(null, 204);
    })
    .openapi(forgotRoute, async (c) => {
      await service.forgotPassword(deps, c.req.valid('json').email, meta(c));
      return c.json({ ok: true as const }, 202);
    })
    .openapi(
      resetRoute,
      async (c) => {
        await service.resetPassword(deps, c.req.valid('json'), meta(c));
        return c.json({ ok: true as const }, 200);
      },
      newPasswordHook('password'),
    )
    .openapi(
      loggedIn(changePasswordRoute),
      async (c) => {
        const { account, tokens } = await withRetryAfter(
          c,
          service.changePassword(deps, c.var.caller, c.req.valid('json'), meta(c)),
        );
        setSessionCookies(c, deps.config, tokens.access, tokens.refresh);
        return c.json({ account }, 200);
      },
      newPasswordHook('newPassword'),
    )
    .openapi(loggedIn(changeEmailRoute), async (c) => {
      await withRetryAfter(c, service.requestEmailChange(deps, c.var.caller, c.req.valid('json'), meta(c)));
      return c.json({ ok: true as const }, 202);
    })
    .openapi(confirmEmailRoute, async (c) => {
      const account = await service.confirmEmailChange(deps, c.req.valid('json').token, meta(c));
      return c.json({ account }, 200);
    })
    .openapi(loggedIn(getMeRoute), async (c) => {
      const account = await service.getMe(deps, c.var.caller, meta(c));
      return c.json({ account }, 200);
    })
    .openapi(loggedIn(patchMeRoute), async (c) => {
      const account = await service.updateMe(deps, c.var.caller, c.req.valid('json'), meta(c));
      return c.json({ account }, 200);
    })
    .openapi(loggedIn(exportRoute), async (c) => {
      const data = await service.exportData(deps, c.var.caller, meta(c));
      return c.json(data, 200, { 'content-disposition': 'attachment; filename="my-data.json"' });
    })
    .openapi(loggedIn(deleteRoute), async (c) => {
      await withRetryAfter(
        c,
        service.deleteAccount(deps, c.var.caller, c.req.valid('json').password, meta(c)),
      );
      clearSessionCookies(c);
      return c.body(null, 204);
    });
}
