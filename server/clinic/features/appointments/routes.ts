/**
 * Routes of the visit workflow: the board (JSON and live stream), booking, walk-ins, state changes and
 * "call next". Mounted under /api.
 */
import { Hono } from 'hono';
import {
  appointmentInput,
  callNextInput,
  dateQuery,
  idParam,
  statusInput,
  walkInInput,
} from '../../../domain/schemas.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { snapshotStream } from '../../http/sse.ts';
import { validate } from '../../../http/validate.ts';
import { board, callNext, createAppointment, createWalkIn, transition } from './service.ts';

/**
 * `GET /board[?date=]`, `GET /board/stream` (SSE 'board'), `POST /appointments`, `POST /walk-ins`,
 * `POST /appointments/:id/status`, `POST /queue/call-next`.
 * @param refreshMs interval of the stream's periodic snapshot, ms
 */
export function appointmentRoutes(deps: ClinicDeps, refreshMs: number) {
  return new Hono<AppEnv>()
    .get('/board', validate('query', dateQuery), (c) => c.json(board(deps, c.req.valid('query').date)))
    .get('/board/stream', (c) => snapshotStream(c, deps.events, 'board', () => board(deps), refreshMs))
    .post('/appointments', validate('json', appointmentInput), (c) =>
      c.json(createAppointment(deps, c.req.valid('json'), c.var.actor), 201),
    )
    .post('/walk-ins', validate('json', walkInInput), (c) =>
      c.json(createWalkIn(deps, c.req.valid('json'), c.var.actor), 201),
    )
    .post(
      '/appointments/:id/status',
      validate('param', idParam<'appointment'>()),
      validate('json', statusInput),
      (c) => {
        const body = c.req.valid('json');
        return c.json(
          transition(deps, c.req.valid('param').id, body.status, {
            actor: c.var.actor,
            roomId: body.roomId,
            expectedVersion: body.expectedVersion,
            checkInMethod: 'desk',
          }),
        );
      },
    )
    .post('/queue/call-next', validate('json', callNextInput), (c) =>
      c.json(callNext(deps, c.req.valid('json').roomId, c.var.actor)),
    );
}
