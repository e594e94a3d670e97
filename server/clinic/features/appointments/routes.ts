/**
 * Routes of the visit workflow: the board (JSON and live stream), booking, walk-ins, state changes,
 * "call next", calling a given patient, recall, move, and the board's one-minute undo. Mounted under /api.
 */
import { Hono } from 'hono';
import {
  appointmentInput,
  callInput,
  callNextInput,
  dateQuery,
  idParam,
  moveInput,
  recallInput,
  statusInput,
  undoInput,
  walkInInput,
} from '../../../domain/schemas.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { snapshotStream } from '../../http/sse.ts';
import { ownAppointment, ownPractitioner, scopeBoard } from './scope.ts';
import { validate } from '../../../http/validate.ts';
import {
  board,
  callNext,
  callPatient,
  createAppointment,
  createWalkIn,
  move,
  recall,
  transition,
  undo,
  withUndo,
} from './service.ts';

/**
 * `GET /board[?date=]`, `GET /board/stream` (SSE 'board'), `POST /appointments`, `POST /walk-ins`,
 * `POST /appointments/:id/status`, `POST /queue/call-next`, `POST /appointments/:id/call`,
 * `POST /appointments/:id/recall`, `POST /appointments/:id/move`, `POST /board/undo`. The board actions
 * (status, call-next, call, recall, move) answer the appointment with `undoUntil` (service.ts
 * `BoardActionResult`); the undo answers the restored appointment.
 * @param refreshMs interval of the stream's periodic snapshot, ms
 */
export function appointmentRoutes(deps: ClinicDeps, refreshMs: number) {
  return new Hono<AppEnv>()
    .use('/appointments/:id/*', ownAppointment(deps))
    .get('/board', validate('query', dateQuery), (c) =>
      c.json(scopeBoard(board(deps, c.req.valid('query').date), c.var.caller)),
    )
    .get('/board/stream', (c) =>
      snapshotStream(c, deps.events, 'board', () => scopeBoard(board(deps), c.var.caller), refreshMs),
    )
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
        const done = transition(deps, c.req.valid('param').id, body.status, {
          actor: c.var.actor,
          roomId: body.roomId,
          expectedVersion: body.expectedVersion,
          checkInMethod: 'desk',
        });
        return c.json(withUndo(deps, done));
      },
    )
    .post('/queue/call-next', validate('json', callNextInput), (c) =>
      c.json(
        withUndo(
          deps,
          callNext(deps, c.req.valid('json').roomId, c.var.actor, ownPractitioner(c.var.caller)),
        ),
      ),
    )
    .post(
      '/appointments/:id/call',
      validate('param', idParam<'appointment'>()),
      validate('json', callInput),
      (c) => {
        const body = c.req.valid('json');
        const called = callPatient(deps, c.req.valid('param').id, { ...body, actor: c.var.actor });
        return c.json(withUndo(deps, called));
      },
    )
    .post(
      '/appointments/:id/recall',
      validate('param', idParam<'appointment'>()),
      validate('json', recallInput),
      (c) => {
        const body = c.req.valid('json');
        const again = recall(deps, c.req.valid('param').id, { ...body, actor: c.var.actor });
        return c.json(withUndo(deps, again));
      },
    )
    .post(
      '/appointments/:id/move',
      validate('param', idParam<'appointment'>()),
      validate('json', moveInput),
      (c) => c.json(withUndo(deps, move(deps, c.req.valid('param').id, c.req.valid('json'), c.var.actor))),
    )
    .post('/board/undo', validate('json', undoInput), (c) => {
      const body = c.req.valid('json');
      return c.json(undo(deps, body.appointmentId, body.expectedVersion, c.var.actor));
    });
}
