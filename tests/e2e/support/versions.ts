/**
 * Board state changes from the specs' set-up: `POST /api/appointments/:id/status` requires the version
 * the caller saw (`expectedVersion`, server/domain/schemas.ts), so the set-up reads it from the board
 * first, as the desk does.
 */
import type { Board } from '../../../server/clinic/features/appointments/service.ts';
import type { TestServer } from './server.ts';

/**
 * The appointment's version on the board of `date` ('YYYY-MM-DD', Lisbon; omitted: today).
 * @throws Error when the board of that day does not list it
 */
export async function currentVersion(server: TestServer, id: string, date?: string): Promise<number> {
  const board = await server.api<Board>('GET', date ? `/api/board?date=${date}` : '/api/board');
  const found = board.appointments.find((a) => a.id === id);
  if (!found) throw new Error(`appointment ${id} is not on the board of ${date ?? 'today'}`);
  return found.version;
}

/**
 * `POST /api/appointments/:id/status` with `body` (`{ status, roomId? }`) at the appointment's current
 * version; answers the server's JSON.
 * @param date the appointment's clinic day when not today
 */
export async function setStatus<T = unknown>(
  server: TestServer,
  id: string,
  body: { status: string; roomId?: string },
  date?: string,
): Promise<T> {
  const expectedVersion = await currentVersion(server, id, date);
  return server.api<T>('POST', `/api/appointments/${id}/status`, { ...body, expectedVersion });
}
