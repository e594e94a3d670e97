/**
 * Medium tests of optimistic concurrency on the board's actions (issue 13: "state transitions without
 * an expected version silently win over a concurrent one"): each state or place change must carry the
 * version the caller saw (400 validation_failed without it), two changes sent from the same version get
 * one 200 and one 409 version_conflict, and the database shows the one change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { book, seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

type Answer = { version?: number; status?: string; error?: { code: string; message: string } };
async function post(route: string, body: Record<string, unknown>) {
  const res = await h.req('POST', route, body);
  return { status: res.status, body: (await res.json()) as Answer };
}
const row = (id: string) =>
  h.deps.db.prepare('SELECT status, room_id, version FROM appointments WHERE id = ?').get(id) as {
    status: string;
    room_id: string | null;
    version: number;
  };
const changes = (id: string) =>
  (
    h.deps.db
      .prepare("SELECT count(*) AS n FROM audit_log WHERE entity_id = ? AND action LIKE 'appointment.%'")
      .get(id) as { n: number }
  ).n;

describe('expected version', () => {
  it('is required on status, call, move, reschedule and cancel: 400 without it, nothing changed', async () => {
    const a = book(h.deps, clinic, 'Ana Teste Versão', 5);
    const before = row(a.id);
    const tries: [string, Record<string, unknown>][] = [
      [`/api/appointments/${a.id}/status`, { status: 'arrived' }],
      [`/api/appointments/${a.id}/call`, { roomId: clinic.rooms.sala1 }],
      [`/api/appointments/${a.id}/move`, { roomId: clinic.rooms.sala2 }],
      [`/api/appointments/${a.id}/reschedule`, { startsAt: '2026-11-23T09:00:00Z' }],
      [`/api/appointments/${a.id}/cancel`, { reason: 'Pedido do utente' }],
    ];
    for (const [route, body] of tries) {
      const r = await post(route, body);
      expect(r.status, route).toBe(400);
      expect(r.body.error?.code, route).toBe('validation_failed');
      expect(r.body.error?.message, route).toBe(
        'expectedVersion: required: the version of the appointment as shown (optimistic concurrency)',
      );
    }
    expect(row(a.id)).toEqual(before);
  });

  it('two status changes sent from the same version: one 200, one 409 version_conflict, one change stored', async () => {
    const a = book(h.deps, clinic, 'Bruno Teste Corrida', 5);
    const v = row(a.id).version;
    const audited = changes(a.id);
    const [checkIn, noShow] = await Promise.all([
      post(`/api/appointments/${a.id}/status`, { status: 'arrived', expectedVersion: v }),
      post(`/api/appointments/${a.id}/status`, { status: 'no_show', expectedVersion: v }),
    ]);
    expect([checkIn.status, noShow.status].sort()).toEqual([200, 409]);
    const lost = checkIn.status === 409 ? checkIn : noShow;
    const won = checkIn.status === 200 ? checkIn : noShow;
    expect(lost.body.error?.code).toBe('version_conflict');
    expect(row(a.id)).toMatchObject({ status: won.body.status, version: v + 1 });
    expect(changes(a.id)).toBe(audited + 1);
  });

  it('a call and a move sent from the same version: one wins, the other is refused and changes nothing', async () => {
    const a = book(h.deps, clinic, 'Carla Teste Sala', 5);
    const arrived = await post(`/api/appointments/${a.id}/status`, {
      status: 'arrived',
      expectedVersion: row(a.id).version,
    });
    const v = arrived.body.version!;
    const audited = changes(a.id);
    const [call, move] = await Promise.all([
      post(`/api/appointments/${a.id}/call`, { roomId: clinic.rooms.sala1, expectedVersion: v }),
      post(`/api/appointments/${a.id}/move`, { roomId: clinic.rooms.sala2, expectedVersion: v }),
    ]);
    expect([call.status, move.status].sort()).toEqual([200, 409]);
    expect((call.status === 409 ? call : move).body.error?.code).toBe('version_conflict');
    expect(row(a.id).version).toBe(v + 1);
    expect(row(a.id)).toEqual(
      call.status === 200
        ? { status: 'called', room_id: clinic.rooms.sala1, version: v + 1 }
        : { status: 'arrived', room_id: clinic.rooms.sala2, version: v + 1 },
    );
    expect(changes(a.id)).toBe(audited + 1);
  });
});
