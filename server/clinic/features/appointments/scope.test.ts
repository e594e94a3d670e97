/**
 * Medium tests of the practitioner's scope (issue 10: "a practitioner sees and calls their own queue"):
 * through the real app, the harness's practitioner account sees only its own appointments on the board,
 * "call next" skips other practitioners' patients waiting for the same room, and acting on another
 * practitioner's patient is refused with 403 not_own_patient; a receptionist is not limited.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { book, seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';
import type { Board } from './service.ts';
import { versionOf } from '../../testing/versions.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

describe("a practitioner's own queue", () => {
  it('shows, calls and changes only their own patients', async () => {
    const practitioner = await h.as('practitioner');
    const own = (
      h.deps.db.prepare("SELECT practitioner_id AS id FROM staff WHERE role = 'practitioner'").get() as {
        id: string;
      }
    ).id;
    const other = Object.values(clinic.practitioners).find((p) => p !== own)!;
    const room = clinic.rooms.sala1;
    // Two patients waiting for the same room: the other practitioner's arrived first.
    const theirs = book(h.deps, clinic, 'Outra Pessoa Teste', -10, { practitionerId: other });
    const mine = book(h.deps, clinic, 'Minha Utente Teste', -5, { practitionerId: own as never });
    for (const a of [theirs, mine]) {
      await h.req('POST', `/api/appointments/${a.id}/status`, {
        expectedVersion: versionOf(h.deps, a.id),
        status: 'arrived',
      });
      // The desk sends both to the same room's queue.
      expect(
        (
          await h.req('POST', `/api/appointments/${a.id}/move`, {
            expectedVersion: versionOf(h.deps, a.id),
            roomId: room,
          })
        ).status,
      ).toBe(200);
    }

    const board = (await (await h.req('GET', '/api/board', undefined, practitioner)).json()) as Board;
    expect(board.appointments.map((a) => a.id)).toEqual([mine.id]);
    const all = (await (
      await h.req('GET', '/api/board', undefined, await h.as('receptionist'))
    ).json()) as Board;
    expect(all.appointments.map((a) => a.id).sort()).toEqual([theirs.id, mine.id].sort());
    expect(all.appointments.map((a) => a.room?.id)).toEqual([room, room]);

    const refused = await h.req(
      'POST',
      `/api/appointments/${theirs.id}/status`,
      { expectedVersion: versionOf(h.deps, theirs.id), status: 'no_show' },
      practitioner,
    );
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'not_own_patient' } });
    const called = await h.req('POST', '/api/queue/call-next', { roomId: room }, practitioner);
    expect(called.status).toBe(200);
    expect(await called.json()).toMatchObject({ id: mine.id, status: 'called' });
  });
});
