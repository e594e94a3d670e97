/**
 * The local server's HTTP API (Hono). Routes are chained so `AppType` carries every route and the pages
 * call them through `hc<AppType>()`.
 *
 * Security (shared/reference/security.md, "Local server on a desktop"): the Host header must be one we
 * serve, every /api route needs the per-launch token (cookie set by opening a page with `?token=`, or
 * `Authorization: Bearer`), and state-changing requests must come from our own origin.
 * Errors: `{ error: { code, message } }` with the status from server/domain/errors.ts.
 */
import { Hono, type Context, type ValidationTargets } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { streamSSE } from 'hono/streaming';
import { serveStatic } from '@hono/node-server/serve-static';
import { zValidator } from '@hono/zod-validator';
import { timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import type { ZodType } from 'zod';
import { z } from 'zod';
import { AppError, type ErrorBody } from '../domain/errors.ts';
import {
  appointmentInput,
  bookingCodeInput,
  callNextInput,
  confirmInput,
  dateQuery,
  enrolInput,
  patientInput,
  statusInput,
  walkInInput,
} from '../domain/schemas.ts';
import { settingsSchema } from '../domain/settings.ts';
import {
  board,
  callNext,
  createAppointment,
  createWalkIn,
  transition,
} from './features/appointments/service.ts';
import { createPatient, searchPatients } from './features/catalog/repo.ts';
import {
  deleteEnrolment,
  enrol,
  enrolmentStatus,
  identifyFrame,
  type FaceDeps,
} from './features/face/service.ts';
import { confirmCheckIn, lookupCode } from './features/kiosk/service.ts';
import { displayState } from './features/queue/display.ts';
import { readSettings, writeSettings } from './features/settings/repo.ts';
import { log } from './lib/log.ts';

export interface AppOptions {
  /** Per-launch secret every API call must present. */
  token: string;
  /** Host names (without port) accepted in the Host header. */
  allowedHosts: string[];
  /** Built pages (vite build output) served at /desk/, /kiosk/, /display/; null to serve none. */
  rendererDir: string | null;
  /** Interval of the periodic display refresh (waits change as time passes), ms. */
  refreshMs?: number;
}

const TOKEN_COOKIE = 'cfd_token';
const MAX_FRAME_BYTES = 2 * 1024 * 1024;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** zod validation with our error shape (the default hook answers with zod's raw issues). */
function validate<Target extends keyof ValidationTargets, T extends ZodType>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new AppError(
        'validation_failed',
        issues.map((i) => `${i.path || target}: ${i.message}`).join('; '),
        { issues },
      );
    }
  });
}

const idParam = z.object({ id: z.string().uuid() });

function decodeBase64Image(s: string): Uint8Array {
  const b64 = s.startsWith('data:') ? s.slice(s.indexOf(',') + 1) : s;
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export function createApp(deps: FaceDeps, options: AppOptions) {
  const refreshMs = options.refreshMs ?? 30_000;
  const app = new Hono();

  app.onError((err, c) => {
    let body: ErrorBody;
    let status: number;
    if (err instanceof AppError) {
      body = {
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      };
      status = err.status;
    } else if (err instanceof HTTPException && err.status < 500) {
      const code =
        err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : 'bad_json';
      body = { error: { code, message: err.message || 'bad request' } };
      status = err.status;
    } else {
      log('error', 'http.unhandled', {
        path: c.req.path,
        message: (err as Error).message,
        stack: (err as Error).stack,
      });
      body = { error: { code: 'internal', message: 'internal error' } };
      status = 500;
    }
    return c.json(body, status as 400);
  });
  app.notFound((c) =>
    c.json(
      { error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } } satisfies ErrorBody,
      404,
    ),
  );

  // Host allow-list against DNS rebinding.
  app.use('*', async (c, next) => {
    const host = (c.req.header('host') ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (!options.allowedHosts.includes(host))
      throw new AppError('forbidden', `host ${host || '(none)'} is not served here`);
    await next();
  });

  // Opening a page with ?token= stores the token in an HttpOnly, SameSite=Strict cookie, then drops it from the URL.
  app.use('*', async (c, next) => {
    const token = c.req.query('token');
    if (token !== undefined && c.req.method === 'GET' && !c.req.path.startsWith('/api/')) {
      if (!sameSecret(token, options.token)) throw new AppError('unauthorized', 'wrong token');
      setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      return c.redirect(url.pathname + url.search, 303);
    }
    await next();
  });

  app.use('/api/*', async (c, next) => {
    const bearer = c.req.header('authorization')?.replace(/^Bearer /, '');
    const presented = bearer || getCookie(c, TOKEN_COOKIE);
    if (!presented || !sameSecret(presented, options.token)) {
      throw new AppError(
        'unauthorized',
        'open this screen from the link the clinic server printed (token missing or wrong)',
      );
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const site = c.req.header('sec-fetch-site');
      if (site && site !== 'same-origin' && site !== 'none')
        throw new AppError('forbidden', 'cross-site request refused');
      const origin = c.req.header('origin');
      if (origin && new URL(origin).host !== c.req.header('host'))
        throw new AppError('forbidden', 'cross-origin request refused');
    }
    await next();
  });

  const sse = (c: Context, name: string, snapshot: () => unknown) =>
    streamSSE(c, async (stream) => {
      let dirty = true;
      let wake: (() => void) | null = null;
      const unsubscribe = deps.events.subscribe(() => {
        dirty = true;
        wake?.();
      });
      const timer = setInterval(() => {
        dirty = true;
        wake?.();
      }, refreshMs);
      stream.onAbort(() => {
        unsubscribe();
        clearInterval(timer);
        wake?.();
      });
      while (!stream.aborted) {
        if (dirty) {
          dirty = false;
          await stream.writeSSE({
            event: name,
            data: JSON.stringify(snapshot()),
            id: String(deps.events.seq),
          });
        }
        let tick: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          tick = setTimeout(resolve, 15_000); // keep-alive tick: a comment line below keeps proxies from closing the stream
        });
        clearTimeout(tick);
        wake = null;
        if (!dirty && !stream.aborted) await stream.write(': keep-alive\n\n');
      }
    });

  const routes = app
    .get('/api/health', (c) => {
      const engine = deps.engine();
      return c.json({ ok: true, face: engine ? { ready: true, ...engine.info } : { ready: false } });
    })
    .get('/api/settings', (c) => c.json(readSettings(deps.db)))
    .patch('/api/settings', validate('json', settingsSchema.partial().strict()), (c) => {
      const settings = writeSettings(deps.db, c.req.valid('json'));
      deps.events.emit('settings');
      return c.json(settings);
    })
    .get('/api/board', validate('query', dateQuery), (c) => c.json(board(deps, c.req.valid('query').date)))
    .get('/api/board/stream', (c) => sse(c, 'board', () => board(deps)))
    .get('/api/display', (c) => c.json(displayState(deps)))
    .get('/api/display/stream', (c) => sse(c, 'display', () => displayState(deps)))
    .get('/api/patients', validate('query', z.object({ q: z.string().trim().min(1).max(100) })), (c) =>
      c.json(searchPatients(deps.db, c.req.valid('query').q)),
    )
    .post('/api/patients', validate('json', patientInput), (c) =>
      c.json(createPatient(deps.db, c.req.valid('json'), 'desk'), 201),
    )
    .get('/api/patients/:id/face', validate('param', idParam), (c) =>
      c.json(enrolmentStatus(deps, c.req.valid('param').id)),
    )
    .post(
      '/api/patients/:id/face',
      bodyLimit({
        maxSize: 12 * 1024 * 1024,
        onError: () => {
          throw new AppError('payload_too_large', 'at most 12 MiB of images');
        },
      }),
      validate('param', idParam),
      validate('json', enrolInput),
      async (c) => {
        const images = c.req.valid('json').images.map(decodeBase64Image);
        return c.json(await enrol(deps, c.req.valid('param').id, images, 'desk'), 201);
      },
    )
    .delete('/api/patients/:id/face', validate('param', idParam), (c) => {
      deleteEnrolment(deps, c.req.valid('param').id, 'desk');
      return c.json({ deleted: true });
    })
    .post('/api/appointments', validate('json', appointmentInput), (c) =>
      c.json(createAppointment(deps, c.req.valid('json'), 'desk'), 201),
    )
    .post('/api/walk-ins', validate('json', walkInInput), (c) =>
      c.json(createWalkIn(deps, c.req.valid('json'), 'desk'), 201),
    )
    .post('/api/appointments/:id/status', validate('param', idParam), validate('json', statusInput), (c) => {
      const body = c.req.valid('json');
      return c.json(
        transition(deps, c.req.valid('param').id, body.status, {
          actor: 'desk',
          roomId: body.roomId,
          expectedVersion: body.expectedVersion,
          method: 'desk',
        }),
      );
    })
    .post('/api/queue/call-next', validate('json', callNextInput), (c) =>
      c.json(callNext(deps, c.req.valid('json').roomId, 'desk')),
    )
    .post(
      '/api/kiosk/frames',
      bodyLimit({
        maxSize: MAX_FRAME_BYTES,
        onError: () => {
          throw new AppError('payload_too_large', 'a frame must be under 2 MiB');
        },
      }),
      async (c) => {
        const type = c.req.header('content-type') ?? '';
        if (!/^image\/(jpeg|png|webp)$/.test(type))
          throw new AppError(
            'unsupported_media_type',
            'send the frame as image/jpeg, image/png or image/webp',
          );
        const session = c.req.header('x-kiosk-session') ?? '';
        if (!/^[A-Za-z0-9-]{8,64}$/.test(session))
          throw new AppError('validation_failed', 'x-kiosk-session header: 8–64 letters, digits or dashes');
        const frame = new Uint8Array(await c.req.arrayBuffer());
        if (frame.length === 0) throw new AppError('image_invalid', 'empty frame');
        return c.json(await identifyFrame(deps, session, frame));
      },
    )
    .post('/api/kiosk/code', validate('json', bookingCodeInput), (c) =>
      c.json(lookupCode(deps, c.req.valid('json').code)),
    )
    .post('/api/kiosk/confirm', validate('json', confirmInput), (c) => {
      const body = c.req.valid('json');
      return c.json(confirmCheckIn(deps, body.appointmentId, body.via));
    });

  if (options.rendererDir) {
    const root = path.relative(process.cwd(), options.rendererDir) || '.';
    app.get('/', (c) => c.redirect('/desk/'));
    for (const page of ['desk', 'kiosk', 'display']) {
      app.get(`/${page}`, (c) => c.redirect(`/${page}/`));
    }
    app.use(
      '/*',
      serveStatic({
        root,
        onFound: (p, c) => {
          c.header('Cache-Control', p.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable');
          c.header(
            'Content-Security-Policy',
            "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
          );
          c.header('X-Content-Type-Options', 'nosniff');
        },
      }),
    );
  }
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
