/**
 * Medium tests of the waiting-room display through the HTTP API: masked names per policy, exact waits,
 * nothing clinical, tickets beside colliding names, calls expiring from "now calling", and the live stream.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { book, seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import { createHarness, TEST_CREDENTIALS, type Harness } from '../../testing/harness.ts';
import { CALL_DISPLAY_MS, type DisplayState } from './service.ts';
import { versionOf } from '../../testing/versions.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

const display = async () =>
  (await (
    await h.req('GET', '/api/display', undefined, { authorization: `Bearer ${TEST_CREDENTIALS.display}` })
  ).json()) as DisplayState;
const setStatus = (id: string, status: string) =>
  h.req('POST', `/api/appointments/${id}/status`, { expectedVersion: versionOf(h.deps, id), status });

describe('waiting-room display', () => {
  it('shows masked names with room and exact wait, then the called patient → room, per name policy', async () => {
    const a = book(h.deps, clinic, 'Joaquina Teste Barbosa', 5, {
      practitionerId: clinic.practitioners.joao,
    });
    const b = book(h.deps, clinic, 'Rui Teste Barbosa', 10, { practitionerId: clinic.practitioners.joao });
    await setStatus(a.id, 'arrived');
    await setStatus(b.id, 'arrived');
    let state = await display();
    expect(state.waiting).toEqual([
      {
        id: a.id,
        label: 'Joaquina B.',
        ticket: 'A001',
        showTicket: false,
        roomName: 'Sala 2',
        practitionerName: 'Dr. João Ferreira',
        waitMin: 5,
        band: '5to10',
      },
      {
        id: b.id,
        label: 'Rui B.',
        ticket: 'A002',
        showTicket: false,
        roomName: 'Sala 2',
        practitionerName: 'Dr. João Ferreira',
        waitMin: 35,
        band: 'gt20',
      },
    ]);
    expect(state.nowCalling).toEqual([]);

    await setStatus(a.id, 'called');
    state = await display();
    expect(state.nowCalling).toEqual([
      {
        id: a.id,
        label: 'Joaquina B.',
        ticket: 'A001',
        showTicket: false,
        roomName: 'Sala 2',
        calledAt: '2026-11-21T10:00:00.000Z',
      },
    ]);
    expect(state.waiting.map((w) => [w.label, w.waitMin])).toEqual([['Rui B.', 30]]);
    const text = JSON.stringify(state);
    expect(text).not.toContain('Barbosa');
    expect(text).not.toContain('Teste');
    expect(text).not.toContain('Consulta'); // nothing clinical

    await h.req('PATCH', '/api/settings', { namePolicy: 'initials' });
    expect((await display()).nowCalling[0]!.label).toBe('J. B.');
    await h.req('PATCH', '/api/settings', { namePolicy: 'ticket' });
    expect((await display()).nowCalling[0]!.label).toBe('A001');
  });

  it('shows the ticket beside names that collide, in the waiting list and in now calling alike', async () => {
    const a = book(h.deps, clinic, 'Ana Teste Silva', 5);
    const b = book(h.deps, clinic, 'Rui Teste Barbosa', 6);
    const c = book(h.deps, clinic, 'Ana Maria Sousa', 7);
    for (const x of [a, b, c]) await setStatus(x.id, 'arrived');
    let state = await display();
    expect(state.waiting.map((w) => [w.label, w.ticket, w.showTicket])).toEqual([
      ['Ana S.', 'A001', true],
      ['Rui B.', 'A002', false],
      ['Ana S.', 'A003', true],
    ]);

    // One of them called: the call and the waiting entry still collide.
    await setStatus(c.id, 'called');
    state = await display();
    expect(state.nowCalling.map((w) => [w.label, w.ticket, w.showTicket])).toEqual([
      ['Ana S.', 'A003', true],
    ]);
    expect(state.waiting.map((w) => [w.label, w.showTicket])).toEqual([
      ['Ana S.', true],
      ['Rui B.', false],
    ]);

    // Once the call has expired only one 'Ana S.' is on screen: no ticket needed.
    h.setNow(NOW + CALL_DISPLAY_MS);
    state = await display();
    expect(state.nowCalling).toEqual([]);
    expect(state.waiting.map((w) => [w.label, w.showTicket])).toEqual([
      ['Ana S.', false],
      ['Rui B.', false],
    ]);

    // Under the 'initials' policy 'A. S.' collides the same way; under 'ticket' nothing needs a ticket.
    await h.req('PATCH', '/api/settings', { namePolicy: 'initials' });
    // Sala 1 is free again once Ana's visit ends (one called or in-session patient per room).
    await setStatus(c.id, 'in_session');
    await setStatus(c.id, 'done');
    await setStatus(b.id, 'called');
    const d = book(h.deps, clinic, 'Alberto Teste Santos', 5);
    await setStatus(d.id, 'arrived');
    state = await display();
    expect(state.waiting.map((w) => [w.label, w.showTicket])).toEqual([
      ['A. S.', true],
      ['A. S.', true],
    ]);
    await h.req('PATCH', '/api/settings', { namePolicy: 'ticket' });
    state = await display();
    expect([...state.nowCalling, ...state.waiting].some((e) => e.showTicket)).toBe(false);
  });

  it('drops a call from "now calling" exactly CALL_DISPLAY_MS after it; a recall shows it again', async () => {
    const a = book(h.deps, clinic, 'Helena Teste Matos', 5);
    await setStatus(a.id, 'arrived');
    await setStatus(a.id, 'called');
    h.setNow(NOW + CALL_DISPLAY_MS - 1);
    expect((await display()).nowCalling.map((c) => c.label)).toEqual(['Helena M.']);
    h.setNow(NOW + CALL_DISPLAY_MS);
    let state = await display();
    expect(state.nowCalling).toEqual([]);
    expect(state.waiting).toEqual([]); // still called (in the room), not back in the queue

    // Recall: back to the queue, then called again with a new calledAt.
    await setStatus(a.id, 'arrived');
    await setStatus(a.id, 'called');
    state = await display();
    expect(state.nowCalling.map((c) => [c.label, c.calledAt])).toEqual([
      ['Helena M.', new Date(NOW + CALL_DISPLAY_MS).toISOString()],
    ]);
    // In session: it leaves "now calling" at once, whatever the time.
    await setStatus(a.id, 'in_session');
    expect((await display()).nowCalling).toEqual([]);
  });

  it('streams a snapshot on connect and another after a change', async () => {
    const res = await h.req('GET', '/api/display/stream', undefined, {
      authorization: `Bearer ${TEST_CREDENTIALS.display}`,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const readEvent = async () => {
      let buf = '';
      while (!buf.includes('\n\n')) buf += decoder.decode((await reader.read()).value);
      return buf;
    };
    const first = await readEvent();
    expect(first).toMatch(/^event: display\ndata: \{.*"waiting":\[\]/);
    const a = book(h.deps, clinic, 'Helena Teste Matos', 5);
    await setStatus(a.id, 'arrived');
    let seen = '';
    while (!seen.includes('Helena M.')) seen += await readEvent();
    expect(seen).toContain('"label":"Helena M.","ticket":"A001","roomName":"Sala 1"');
    await reader.cancel();
  });
  it('keeps calls on screen for the clinic setting callDisplayMin', async () => {
    await h.req('PATCH', '/api/settings', { callDisplayMin: 2 });
    const a = book(h.deps, clinic, 'Helena Teste Matos', 5);
    await setStatus(a.id, 'arrived');
    await setStatus(a.id, 'called');
    h.setNow(NOW + 2 * 60_000 - 1);
    expect((await display()).nowCalling).toHaveLength(1);
    h.setNow(NOW + 2 * 60_000);
    expect((await display()).nowCalling).toEqual([]);
  });
});
