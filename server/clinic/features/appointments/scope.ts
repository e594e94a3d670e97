/**
 * A practitioner works their own queue (issue 10, server/clinic/http/access.ts): on the board they see
 * their own appointments only, "call next" takes the next of their own patients, and they may change
 * only their own patients' visits. Admins and receptionists are not limited; other callers never reach
 * these routes (the allow-list refuses them first).
 */
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../../domain/errors.ts';
import type { DbContext } from '../../db/database.ts';
import type { AppEnv, Caller } from '../../http/context.ts';
import type { Board } from './service.ts';

/** The practitioner a caller is limited to, or null when not limited. */
export function ownPractitioner(caller: Caller | null): string | null {
  return caller?.kind === 'staff' && caller.role === 'practitioner' ? caller.practitionerId : null;
}

/** The board as `caller` may see it: a practitioner gets their own appointments only. */
export function scopeBoard(board: Board, caller: Caller | null): Board {
  const own = ownPractitioner(caller);
  return own === null
    ? board
    : { ...board, appointments: board.appointments.filter((a) => a.practitioner.id === own) };
}

/**
 * Middleware for `/appointments/:id/*`: a practitioner may act only on their own patients' appointments.
 * An unknown id passes (the route answers 404).
 * @throws AppError not_own_patient (403)
 */
export function ownAppointment(ctx: DbContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const own = ownPractitioner(c.var.caller);
    if (own !== null) {
      const row = ctx.db
        .prepare('SELECT practitioner_id FROM appointments WHERE id = ?')
        .get(c.req.param('id') ?? '') as { practitioner_id: string } | undefined;
      if (row && row.practitioner_id !== own)
        throw new AppError('not_own_patient', "a practitioner acts on their own patients' visits only");
    }
    await next();
  };
}
