/**
 * Frees every room for a test that calls patients: a room holds one called or in-session patient at a
 * time (migration 0070), and the demo day has a patient in session in each room during opening hours.
 */
import type { Board } from '../../../server/clinic/features/appointments/service.ts';
import type { TestServer } from './server.ts';
import { setStatus } from './versions.ts';

/** Ends every visit that occupies a room (called → in session → done; in session → done). */
export async function freeRooms(server: TestServer): Promise<void> {
  const board = await server.api<Board>('GET', '/api/board');
  for (const a of board.appointments) {
    const steps = a.status === 'called' ? ['in_session', 'done'] : a.status === 'in_session' ? ['done'] : [];
    for (const status of steps) await setStatus(server, a.id, { status });
  }
}
