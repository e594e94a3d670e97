/**
 * Routes of the visit workflow: the board (JSON and live stream), booking, walk-ins, state changes,
 * "call next", calling a given patient, recall, move, and the board's one-minute undo. Mounted under /api.
 */
import { Hono, type Context, type TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
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
import { hubFor, type Snapshot } from '../../http/snapshot-hub.ts';
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
  withEstimate,
  withUndo,
  type Board,
} from './service.ts';
import { getView } from './repo.ts';
import { idempotent } from '../../http/idempotency.ts';
import type { AppointmentId } from '../../../domain/ids.ts';

/**
 * A cached snapshot as the JSON answer of a route, typed as `c.json(value)` would be (so `hc<AppType>()`
 * keeps the shape), with its ETag; `If-None-Match` equal to it → 304 without a body.
 */
function jsonSnapshot<T>(c: Context, snap: Snapshot): Response & TypedResponse<JSONParsed<T>, 200, 'json'> {
  const headers = { etag: snap.etag, 'cache-control': 'no-cache' };
  const res =
    c.req.header('if-none-match') === snap.etag
      ? new Response(null, { status: 304, headers })
      : new Response(snap.json, { headers: { ...headers, 'content-type': 'application/json' } });
  return res as Response & TypedResponse<JSONParsed<T>, 200, 'json'>;
}

/**
 * `GET /board[?date=]` (the live board, without `date`, is the shared snapshot of its scope, with an ETag:
 * `If-None-Match` → 304), `GET /board/stream` (SSE 'board', one shared snapshot per change per scope:
 * all, or one practitioner's; server/clinic/http/snapshot-hub.ts), `POST /appointments`, `POST /walk-ins`,
 * `POST /appointments/:id/status`, `POST /queue/call-next`, `POST /appointments/:id/call`,
 * `POST /appointments/:id/recall`, `POST /appointments/:id/move`, `POST /board/undo`. The board actions
 * (status, call-next, call, recall, move) answer the appointment with `undoUntil` (service.ts
 * `BoardActionResult`); the undo answers the restored appointment.
 * @param refreshMs interval of the stream's periodic snapshot, ms
 */
export function appointmentRoutes(deps: ClinicDeps, refreshMs: number) {
  const hub = hubFor(deps, { refreshMs });
  /** The live board of `caller`'s scope: its key, and its computation on the one shared full board. */
  const liveBoard = (caller: AppEnv['Variables']['caller']) => {
    const own = ownPractitioner(caller);
    return {
      key: `board|${own ?? 'all'}`,
      compute: () =>
        scopeBoard(
          hub.value('board', () => board(deps)),
          caller,
        ),
    };
  };
  return new Hono<AppEnv>()
    .use('/appointments/:id/*', ownAppointment(deps))
    .get('/board', validate('query', dateQuery), (c) => {
      const date = c.req.valid('query').date;
      if (date) return c.json(scopeBoard(board(deps, date), c.var.caller));
      const live = liveBoard(c.var.caller);
      return jsonSnapshot<Board>(c, hub.snapshot(live.key, live.compute));
    })
    .get('/board/stream', (c) => {
      const live = liveBoard(c.var.caller);
      return snapshotStream(deps, live.key, 'board', live.compute, refreshMs);
    })
    .post('/appointments', validate('json', appointmentInput), (c) => {
      const input = c.req.valid('json');
      return c.json(
        idempotent(
          deps,
          c,
          input,
          () => createAppointment(deps, input, c.var.actor),
          (id) => getView(deps, id as AppointmentId),
        ),
        201,
      );
    })
    .post('/walk-ins', validate('json', walkInInput), (c) => {
      const input = c.req.valid('json');
      return c.json(
        idempotent(
          deps,
          c,
          input,
          () => createWalkIn(deps, input, c.var.actor),
          (id) => withEstimate(deps, id as AppointmentId),
        ),
        201,
      );
    })
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
