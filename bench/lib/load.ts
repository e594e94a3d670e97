/**
 * The clinic load harness (issue 13, part 3), shared by `npm run bench:load` (bench/load.ts, long) and its
 * short CI version (bench/load.test.ts): the clinic server in a child process (./load-server.ts), the
 * load generator in another (./central-load.ts: autocannon, raw latencies, statuses), and the display
 * streams opened here, in the harness's process.
 *
 * The run (`runClinicLoad`):
 * 1. writes one at a time (`POST /appointments/:id/recall`, a change every screen shows) with no stream
 *    open, then with `streams` display streams open: the fan-out cost of a write;
 * 2. the mix at `rate` req/s for `durationSec` (after `warmupSec`), three autocannon jobs at once so each
 *    kind has its own percentiles: board reads (`GET /api/board`, 70 %), check-ins (`POST
 *    /appointments/:id/status` → arrived, each id once, 20 %) and calls (`POST /appointments/:id/recall`,
 *    10 %), with the display streams open;
 * 3. the most check-ins the server answers (closed loop, `maxConnections`, `maxSec`) and the same for the
 *    bare insert; the bare board route at the board reads' rate and at most.
 * The display streams' events are counted; every stream must end on the identical last event.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLoadGenerator, type LoadGenerator, type LoadResult, type RequestSpec } from './central-load.ts';
import type { LoadServerReady, LoadServerStats } from './load-server.ts';

/** What a run does; times in s, rates in req/s. */
export interface ClinicLoadConfig {
  /** Requests per second of the whole mix. */
  rate: number;
  durationSec: number;
  warmupSec: number;
  /** Display streams open during the mix. */
  streams: number;
  /** Writes one at a time for the fan-out figure (each phase), after 5 of warm-up. */
  sequentialWrites: number;
  /** Closed-loop maximum runs (check-in, bare insert, bare board); 0 skips them. */
  maxSec: number;
  maxConnections: number;
}

/** Share of each kind in the mix. */
export const MIX = { board: 0.7, checkIn: 0.2, call: 0.1 } as const;

/** The results of one run (bench/results/load.json `clinic`). */
export interface ClinicLoadResult {
  config: ClinicLoadConfig;
  server: Pick<LoadServerReady, 'boardBytes' | 'boardAppointments'>;
  /** One write at a time: no stream open, then `streams` open. */
  fanOut: { noStreams: LoadResult; withStreams: LoadResult };
  mix: { board: LoadResult; checkIn: LoadResult; call: LoadResult };
  /** Over the three kinds of the mix: answers, errors, non-2xx, achieved req/s. */
  mixTotal: { responses: number; errors: number; non2xx: number; achievedRps: number };
  max: { checkIn: LoadResult; bareInsert: LoadResult; bareBoard: LoadResult } | null;
  bareBoardAtRate: LoadResult | null;
  /** Display streams: events each received during the mix (min, max), and whether all ended alike. */
  streams: { open: number; eventsMin: number; eventsMax: number; identicalLast: boolean; refused: number };
  /** Server counters over the mix: changes, display snapshots computed (shared), full boards. */
  snapshots: { changes: number; displaySnapshots: number; boardSnapshots: number };
  serverCpuMsPerResponse: number;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Children run TypeScript through tsx, also when the harness itself runs under Vitest. */
const TSX = ['--import', 'tsx'];

/**
 * The central benchmark's load generator (./central-load-child.ts: autocannon, raw latencies, statuses)
 * forked with tsx (`startLoadGenerator`, ./central-load.ts); jobs may run at once.
 */
export function startGenerator(): LoadGenerator {
  return startLoadGenerator(TSX);
}

/** The clinic server child: its ready message, its counters, and its end. */
interface ServerChild {
  ready: LoadServerReady;
  stats(): Promise<LoadServerStats>;
  close(): Promise<void>;
}

async function startServer(checkIns: number): Promise<ServerChild> {
  const child: ChildProcess = fork(path.join(HERE, 'load-server.ts'), [String(checkIns)], {
    // LOAD_SERVER_PROF=<dir>: a V8 CPU profile of the clinic server, to see where a request's time goes.
    execArgv: process.env.LOAD_SERVER_PROF
      ? [...TSX, '--cpu-prof', `--cpu-prof-dir=${process.env.LOAD_SERVER_PROF}`]
      : TSX,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<LoadServerReady>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`load server exited with ${code}`)));
    child.on('message', (m: { ready?: LoadServerReady }) => m.ready && resolve(m.ready));
  });
  return {
    ready,
    stats: () =>
      new Promise((resolve) => {
        const on = (m: { stats?: LoadServerStats }) => {
          if (!m.stats) return;
          child.off('message', on);
          resolve(m.stats);
        };
        child.on('message', on);
        child.send({ stats: true });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** An open display stream: the events received (keep-alive comments left out). */
interface DisplayStream {
  status: number;
  events: string[];
  close(): void;
}

function openStream(origin: string, auth: string, agent: http.Agent): Promise<DisplayStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${origin}/api/display/stream`,
      { agent, headers: { authorization: auth } },
      (res) => {
        const s: DisplayStream = { status: res.statusCode ?? 0, events: [], close: () => req.destroy() };
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
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

async function until(ok: () => boolean, what: string, maxMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > maxMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const json = { 'content-type': 'application/json' };

/** Runs the clinic load (see the module comment); the servers are started and ended here. */
export async function runClinicLoad(config: ClinicLoadConfig): Promise<ClinicLoadResult> {
  const rates = {
    board: Math.round(config.rate * MIX.board),
    checkIn: Math.round(config.rate * MIX.checkIn),
    call: Math.round(config.rate * MIX.call),
  };
  // autocannon sends each second's share back-to-back from the start of the second, so a run sends up to
  // about a second more than rate × duration: the pool has room for that and more (each id once).
  const mixCheckIns = Math.ceil(rates.checkIn * (config.durationSec + config.warmupSec + 1) * 1.5) + 20;
  const checkInsNeeded = mixCheckIns + config.maxSec * config.maxConnections * 150 + 50;
  // The generator starts (tsx loading it) while the server seeds its database.
  const gen = startGenerator();
  const server = await startServer(checkInsNeeded).catch(async (err: unknown) => {
    await gen.close();
    throw err;
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const streams: DisplayStream[] = [];
  try {
    const { ready } = server;
    const staff = { authorization: ready.staffAuth };
    const recall = (id: string): RequestSpec => ({
      method: 'POST',
      path: `/api/appointments/${id}/recall`,
      headers: { ...staff, ...json },
      body: '{}',
    });
    const recalls = ready.recallIds.map(recall);
    if (recalls.length === 0) throw new Error('the demo day has no called patient to recall');
    const checkIns = ready.checkInIds.map((id): RequestSpec => ({
      method: 'POST',
      path: `/api/appointments/${id}/status`,
      headers: { ...staff, ...json },
      // Each pool appointment is at version 1 (booked, never changed): the desk sends what it shows.
      body: '{"status":"arrived","expectedVersion":1}',
    }));
    let nextCheckIn = 0;
    const takeCheckIns = (n: number) => {
      const out = checkIns.slice(nextCheckIn, nextCheckIn + n);
      nextCheckIn += n;
      if (out.length < n) throw new Error('check-in pool exhausted');
      return out;
    };
    const sequential = () =>
      gen.run({
        kind: 'sequential',
        origin: ready.origin,
        request: recalls[0]!,
        count: config.sequentialWrites,
        warmup: 5,
      });

    // 1. The fan-out cost of a write: no stream, then `streams` display streams.
    const noStreams = await sequential();
    let refused = 0;
    for (let i = 0; i < config.streams; i++) {
      const s = await openStream(ready.origin, ready.displayAuth, agent);
      if (s.status === 200) streams.push(s);
      else refused += 1;
    }
    await until(() => streams.every((s) => s.events.length >= 1), 'the first display events');
    const withStreams = await sequential();

    // 2. The mix.
    const before = await server.stats();
    const eventsBefore = streams.map((s) => s.events.length);
    const job = (rate: number, connections: number, requests: RequestSpec[]) =>
      gen.run({
        kind: 'autocannon',
        origin: ready.origin,
        connections,
        durationSec: config.durationSec,
        warmupSec: config.warmupSec,
        overallRate: rate,
        requests,
      });
    const conn = (rate: number) => Math.max(1, Math.min(20, Math.ceil(rate / 20)));
    const [board, checkIn, call] = await Promise.all([
      job(rates.board, conn(rates.board), [{ method: 'GET', path: '/api/board', headers: staff }]),
      job(rates.checkIn, conn(rates.checkIn), takeCheckIns(mixCheckIns)),
      job(rates.call, conn(rates.call), recalls),
    ]);
    const after = await server.stats();
    // Let the last coalesced fan-out land before comparing the streams' last events.
    await new Promise((r) => setTimeout(r, 300));
    const got = streams.map((s, i) => s.events.length - eventsBefore[i]!);
    const last = new Set(streams.map((s) => s.events.at(-1)));
    const kinds = [board, checkIn, call];
    const non2xx = (r: LoadResult) =>
      Object.entries(r.statuses)
        .filter(([k]) => !k.startsWith('2'))
        .reduce((n, [, v]) => n + v, 0);
    const responses = kinds.reduce((n, r) => n + r.responses, 0);
    const mixTotal = {
      responses,
      errors: kinds.reduce((n, r) => n + r.errors, 0),
      non2xx: kinds.reduce((n, r) => n + non2xx(r), 0),
      achievedRps: Math.round(kinds.reduce((n, r) => n + r.achievedRps, 0) * 10) / 10,
    };

    // 3. Maxima and the bare references (streams still open).
    let max: ClinicLoadResult['max'] = null;
    let bareBoardAtRate: LoadResult | null = null;
    if (config.maxSec > 0) {
      const closed = (origin: string, requests: RequestSpec[]) =>
        gen.run({
          kind: 'autocannon',
          origin,
          connections: config.maxConnections,
          durationSec: config.maxSec,
          warmupSec: 1,
          requests,
        });
      const checkInMax = await closed(
        ready.origin,
        takeCheckIns(checkIns.length - nextCheckIn), // the rest of the pool, in order
      );
      const bareInsert = await closed(ready.bareOrigin, [
        { method: 'POST', path: '/bare/insert', headers: json, body: '{"status":"arrived"}' },
      ]);
      const bareBoard = await closed(ready.bareOrigin, [{ method: 'GET', path: '/bare/board' }]);
      max = { checkIn: checkInMax, bareInsert, bareBoard };
      bareBoardAtRate = await gen.run({
        kind: 'autocannon',
        origin: ready.bareOrigin,
        connections: conn(rates.board),
        durationSec: Math.min(10, config.durationSec),
        warmupSec: 1,
        overallRate: rates.board,
        requests: [{ method: 'GET', path: '/bare/board' }],
      });
    }
    return {
      config,
      server: { boardBytes: ready.boardBytes, boardAppointments: ready.boardAppointments },
      fanOut: { noStreams, withStreams },
      mix: { board, checkIn, call },
      mixTotal,
      max,
      bareBoardAtRate,
      streams: {
        open: streams.length,
        eventsMin: Math.min(...got),
        eventsMax: Math.max(...got),
        identicalLast: last.size === 1,
        refused,
      },
      snapshots: {
        changes: after.changes - before.changes,
        displaySnapshots: after.displaySnapshots - before.displaySnapshots,
        boardSnapshots: after.boardSnapshots - before.boardSnapshots,
      },
      serverCpuMsPerResponse: Math.round(((after.cpuMs - before.cpuMs) / Math.max(1, responses)) * 100) / 100,
    };
  } finally {
    for (const s of streams) s.close();
    agent.destroy();
    await gen.close();
    await server.close();
  }
}
