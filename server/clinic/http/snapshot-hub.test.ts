/**
 * Medium tests of the shared snapshots (issue 13) over real HTTP (@hono/node-server on a free port, the
 * harness's app and SQLite): 200 display streams get one computation per change and the identical
 * event; the cap answers 429 too_many_streams; each board scope has its own snapshot; GET /board answers
 * the cached snapshot with an ETag (304 on If-None-Match) and sees a write that emitted no change.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { book, seedSmallClinic, type SmallClinic } from '../testing/fixtures.ts';
import { createHarness, TEST_CREDENTIALS, type Harness } from '../testing/harness.ts';
import { hubFor } from './snapshot-hub.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
let clinic: SmallClinic;
let server: http.Server;
let port: number;

beforeEach(async () => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
  server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }) as http.Server;
  await new Promise<void>((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  h.close();
});

/** An open SSE stream: the events (frames without keep-alive comments) received so far. */
interface OpenStream {
  status: number;
  events: string[];
  body: string;
  close(): void;
}

/** Opens `path` as an SSE stream over a fresh TCP connection. */
function openStream(path: string, authorization: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, agent: false, headers: { host: 'localhost', authorization } },
      (res) => {
        const s: OpenStream = {
          status: res.statusCode ?? 0,
          events: [],
          body: '',
          close: () => req.destroy(),
        };
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          s.body += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (!frame.startsWith(':')) s.events.push(frame);
          }
        });
        res.on('error', () => {});
        resolve(s);
      },
    );
    req.on('error', reject);
  });
}

/** Waits (polling the event loop, no timing asserted) until `ok()`. */
async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 10));
}

const DISPLAY = `Bearer ${TEST_CREDENTIALS.display}`;

describe('shared snapshots', () => {
  it('computes one display snapshot per change for 200 streams and sends them all the same event', async () => {
    const hub = hubFor(h.deps);
    const a = book(h.deps, clinic, 'Helena Teste Matos', 5);
    const streams = await Promise.all(
      Array.from({ length: 200 }, () => openStream('/api/display/stream', DISPLAY)),
    );
    expect(streams.map((s) => s.status)).toEqual(Array(200).fill(200));
    await until(() => streams.every((s) => s.events.length >= 1));
    expect(hub.streamCount).toBe(200);
    const before = hub.computeCount('display');
    const res = await h.req('POST', `/api/appointments/${a.id}/status`, {
      status: 'arrived',
      expectedVersion: a.version,
    });
    expect(res.status).toBe(200);
    await until(() => streams.every((s) => s.events.length >= 2));
    expect(hub.computeCount('display') - before).toBe(1);
    const second = streams.map((s) => s.events[1]);
    expect(new Set(second).size).toBe(1);
    expect(second[0]).toMatch(/^event: display\ndata: \{.*"label":"Helena M\.","ticket":"A001"/);
    expect(second[0]).toMatch(new RegExp(`\\nid: ${h.deps.events.seq}$`));
    for (const s of streams) s.close();
    await until(() => hub.streamCount === 0);
  });

  it('answers 429 too_many_streams past the cap, and takes a stream again once one closes', async () => {
    const hub = hubFor(h.deps);
    hub.maxStreams = 2;
    const first = await openStream('/api/display/stream', DISPLAY);
    const second = await openStream('/api/display/stream', DISPLAY);
    const third = await openStream('/api/display/stream', DISPLAY);
    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    await until(() => third.body.length > 0 && third.body.endsWith('}'));
    expect(JSON.parse(third.body)).toMatchObject({ error: { code: 'too_many_streams' } });
    first.close();
    await until(() => hub.streamCount === 1);
    const again = await openStream('/api/display/stream', DISPLAY);
    expect(again.status).toBe(200);
    second.close();
    again.close();
    await until(() => hub.streamCount === 0);
  });

  it('keeps one board snapshot per scope: a practitioner sees their own patients only', async () => {
    const hub = hubFor(h.deps);
    const marta = book(h.deps, clinic, 'Helena Teste Matos', 5);
    const joao = book(h.deps, clinic, 'Rui Teste Barbosa', 10, { practitionerId: clinic.practitioners.joao });
    const admin = (await h.as('admin')).authorization!;
    const admins = await Promise.all([1, 2, 3].map(() => openStream('/api/board/stream', admin)));
    const own = await openStream('/api/board/stream', (await h.as('practitioner')).authorization!);
    const all = [...admins, own];
    await until(() => all.every((s) => s.events.length >= 1));
    const before = ['board', 'board|all'].map((k) => hub.computeCount(k));
    await h.req('POST', `/api/appointments/${joao.id}/status`, {
      status: 'arrived',
      expectedVersion: joao.version,
    });
    await until(() => all.every((s) => s.events.length >= 2));
    // One full board for the change, one serialised snapshot per scope.
    expect(['board', 'board|all'].map((k, i) => hub.computeCount(k) - before[i]!)).toEqual([1, 1]);
    expect(new Set(admins.map((s) => s.events[1])).size).toBe(1);
    expect(admins[0]!.events[1]).toContain(marta.id);
    expect(admins[0]!.events[1]).toContain(joao.id);
    // The harness's practitioner works the first practitioner's queue: one of the two, never both.
    const seen = [marta.id, joao.id].filter((id) => own.events[1]!.includes(id));
    expect(seen).toHaveLength(1);
    for (const s of all) s.close();
    await until(() => hub.streamCount === 0);
  });

  it('serves GET /board from the snapshot with an ETag, 304 on If-None-Match, new after any write', async () => {
    const a = book(h.deps, clinic, 'Helena Teste Matos', 5);
    const first = await h.req('GET', '/api/board');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    const body = (await first.json()) as { appointments: { id: string; status: string }[] };
    expect(body.appointments.map((x) => x.status)).toEqual(['scheduled']);
    const same = await h.req('GET', '/api/board', undefined, { 'if-none-match': etag });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');
    // A write that emitted no change on the bus still makes a new snapshot (total_changes()).
    h.deps.db.prepare("UPDATE appointments SET status = 'arrived' WHERE id = ?").run(a.id);
    const after = await h.req('GET', '/api/board', undefined, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const changed = (await after.json()) as { appointments: { status: string }[] };
    expect(changed.appointments.map((x) => x.status)).toEqual(['arrived']);
  });
});
