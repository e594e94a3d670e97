/**
 * Load benchmark of the clinic server (issue 13, part 3): `npm run bench:load` (about 2 min). Runs
 * `runClinicLoad` (bench/lib/load.ts) with the clinic at 500 req/s of the realistic mix (board reads 70 %,
 * check-ins 20 %, calls 10 %) for 30 s with 200 display streams open, the bare references in the same
 * run, and the fan-out cost of a write with 0 and 200 streams; writes bench/results/load.json and prints
 * the Markdown table copied into docs/benchmarks.md ("Load"). Environment: LOAD_RATE, LOAD_SEC,
 * LOAD_STREAMS override the rate, duration and stream count. Exits 1 when the mix had errors or non-2xx
 * answers, or the display snapshots were not shared (more computed than changes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runClinicLoad, startGenerator, type ClinicLoadConfig, type ClinicLoadResult } from './lib/load.ts';
import { runCentralLoad, type CentralLoadConfig, type CentralLoadResult } from './lib/load-central.ts';
import { REPO_ROOT } from './lib/config.ts';

/** The long run's settings (issue 13: 500 req/s, 200 display streams, 30 s). */
const LONG_RUN: ClinicLoadConfig = {
  rate: Number(process.env.LOAD_RATE ?? 500),
  durationSec: Number(process.env.LOAD_SEC ?? 30),
  warmupSec: 3,
  streams: Number(process.env.LOAD_STREAMS ?? 200),
  sequentialWrites: 100,
  maxSec: 8,
  maxConnections: 10,
};

/** The central run (issue 13: 300 req/s of availability reads and bookings). */
const CENTRAL_RUN: CentralLoadConfig = {
  rate: Number(process.env.LOAD_CENTRAL_RATE ?? 300),
  durationSec: Number(process.env.LOAD_SEC ?? 30) >= 30 ? 20 : Number(process.env.LOAD_SEC),
  warmupSec: 2,
};

/** The central run's table (Markdown). */
function centralReport(c: CentralLoadResult): string {
  const row = (name: string, x: CentralLoadResult['booking']) =>
    `| ${name} | ${x.achievedRps} | ${x.latencyMs.p50} | ${x.latencyMs.p95} | ${x.latencyMs.p99} | ${x.errors} | ${Object.entries(
      x.statuses,
    )
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')} |`;
  return [
    `Central API on ${c.driver}, ${c.config.rate} req/s for ${c.config.durationSec} s (after ${c.config.warmupSec} s warm-up); availability answer ${c.availabilityBytes} bytes.`,
    '',
    '| requests | req/s | p50 ms | p95 ms | p99 ms | errors | statuses |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('availability (GET …/availability, 7 days)', c.availability),
    row('bookings (POST /api/holds)', c.booking),
    row('bare Hono route, same answer, same rate', c.bareAtRate),
    '',
    `Central mix: ${c.total.responses} answers, ${c.total.achievedRps} req/s achieved, ${c.total.errors} errors, ${c.total.non2xx} non-2xx; booking p95 ${c.booking.latencyMs.p95} ms (target ≤ 50 ms).`,
  ].join('\n');
}

const RESULTS = path.join(REPO_ROOT, 'bench/results/load.json');

/** The summary table (Markdown) of a run. */
function loadReport(r: ClinicLoadResult, meta: { date: string; machine: string }): string {
  const row = (
    name: string,
    x: {
      latencyMs: { p50: number; p95: number; p99: number };
      achievedRps: number;
      errors: number;
      statuses: Record<string, number>;
    },
  ) =>
    `| ${name} | ${x.achievedRps} | ${x.latencyMs.p50} | ${x.latencyMs.p95} | ${x.latencyMs.p99} | ${x.errors} | ${Object.entries(
      x.statuses,
    )
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')} |`;
  const lines = [
    `Run ${meta.date} on ${meta.machine}; \`npm run bench:load\`; ${r.config.rate} req/s for ${r.config.durationSec} s (after ${r.config.warmupSec} s warm-up), ${r.streams.open} display streams open (${r.streams.refused} refused); board ${r.server.boardAppointments} appointments, ${r.server.boardBytes} bytes.`,
    '',
    '| requests | req/s | p50 ms | p95 ms | p99 ms | errors | statuses |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('board reads (GET /api/board)', r.mix.board),
    row('check-ins (POST …/status arrived)', r.mix.checkIn),
    row('calls (POST …/recall)', r.mix.call),
  ];
  if (r.bareBoardAtRate) lines.push(row('bare Hono route, same-size JSON, same rate', r.bareBoardAtRate));
  lines.push(
    '',
    `Mix: ${r.mixTotal.responses} answers, ${r.mixTotal.achievedRps} req/s achieved, ${r.mixTotal.errors} errors, ${r.mixTotal.non2xx} non-2xx. Server CPU ${r.serverCpuMsPerResponse} ms per answer.`,
    `Shared snapshots during the mix: ${r.snapshots.changes} changes → ${r.snapshots.displaySnapshots} display snapshots (one per coalesced fan-out, for all ${r.streams.open} streams), ${r.snapshots.boardSnapshots} full boards; each stream received ${r.streams.eventsMin}–${r.streams.eventsMax} events, all ending on the identical event: ${r.streams.identicalLast}.`,
    `Fan-out cost, one write (recall) at a time: p50 ${r.fanOut.noStreams.latencyMs.p50} ms / p95 ${r.fanOut.noStreams.latencyMs.p95} ms with no stream, p50 ${r.fanOut.withStreams.latencyMs.p50} ms / p95 ${r.fanOut.withStreams.latencyMs.p95} ms with ${r.streams.open} streams.`,
  );
  if (r.max) {
    const ratio = Math.round((r.max.checkIn.achievedRps / r.max.bareInsert.achievedRps) * 100) / 100;
    const boardRatio =
      Math.round((r.mix.board.achievedRps / Math.max(1, r.max.bareBoard.achievedRps)) * 100) / 100;
    lines.push(
      `Maxima (closed loop, ${r.config.maxConnections} connections, ${r.config.maxSec} s, streams open): check-in ${r.max.checkIn.achievedRps} req/s (statuses ${JSON.stringify(r.max.checkIn.statuses)}) vs bare better-sqlite3 insert behind Hono ${r.max.bareInsert.achievedRps} req/s → ${ratio}× (target ≥ 0.5×); bare board route ${r.max.bareBoard.achievedRps} req/s (board reads achieved ${boardRatio}× of it while sharing the server with the mix).`,
    );
  }
  return lines.join('\n');
}

{
  const started = new Date();
  const result = await runClinicLoad(LONG_RUN);
  const gen = startGenerator();
  let central: CentralLoadResult;
  try {
    central = await runCentralLoad(CENTRAL_RUN, gen.run);
  } finally {
    await gen.close();
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}, Node ${process.version}`;
  const meta = { date: started.toISOString(), machine };
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, JSON.stringify({ ...meta, clinic: result, central }, null, 2) + '\n');
  console.log(loadReport(result, meta));
  console.log('');
  console.log(centralReport(central));
  const bad =
    result.mixTotal.errors > 0 ||
    result.mixTotal.non2xx > 0 ||
    central.total.errors > 0 ||
    central.total.non2xx > 0 ||
    result.snapshots.displaySnapshots >
      result.snapshots.changes + Math.ceil(result.config.durationSec / 30) + 1 ||
    !result.streams.identicalLast;
  process.exit(bad ? 1 : 0);
}
