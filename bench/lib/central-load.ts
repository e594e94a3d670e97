/**
 * The central benchmark's load generator, as seen from the harness: the jobs it runs and what they
 * return, and `startLoadGenerator`, which forks `central-load-child.ts` so that the load is generated in a
 * process of its own (the servers under test run in the harness's process; on a 2-core machine the two
 * processes get a core each, PostgreSQL's backends share them).
 *
 * Jobs (all over HTTP/1.1 keep-alive to 127.0.0.1):
 * - `autocannon`: autocannon for `durationSec` (after `warmupSec` of the same, discarded), closed loop
 *   with `connections`, or with `overallRate` (autocannon gives each connection rate / connections
 *   requests per second, sent back-to-back from the start of each second). `requests` are used in order,
 *   one per request, wrapping around if the run outlasts them.
 * - `sequential`: one request at a time on one connection, `warmup` discarded then `count` timed.
 * - `paced`: open loop, request i sent at t0 + i × 1000 / rate ms, for `durationSec`; latency is reported
 *   both from the actual send and from the scheduled send (so a slow server cannot hide queueing). When a
 *   server cannot keep up, the backlog grows without bound; sending stops once `maxOutstanding` requests
 *   await an answer (`stoppedEarly`), and the run ends when those are answered.
 * - `burst`: every request sent at once on connections opened beforehand (one per request, opened by a
 *   `GET preconnectPath` each), e.g. the 1,000-patient race.
 * Latency = time from writing the request to the last byte of the answer, in ms; percentiles by linear
 * interpolation (server/domain/stats.ts). Statuses are tallied as `"201"` or, for error answers with a
 * JSON `{ error: { code } }` body, `"409 slot_unavailable"`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from '../../server/domain/stats.ts';
import { round } from './metrics.ts';

/** One HTTP request to send (path relative to the job's origin). */
export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A job for the load generator (see the module comment). */
export type LoadJob =
  | {
      kind: 'autocannon';
      origin: string;
      connections: number;
      durationSec: number;
      warmupSec: number;
      overallRate?: number;
      requests: RequestSpec[];
    }
  | { kind: 'sequential'; origin: string; request: RequestSpec; count: number; warmup: number }
  | {
      kind: 'paced';
      origin: string;
      rate: number;
      durationSec: number;
      /** Stop sending once this many requests await an answer (the server has fallen that far behind). */
      maxOutstanding: number;
      requests: RequestSpec[];
    }
  | { kind: 'burst'; origin: string; preconnectPath: string; requests: RequestSpec[] };

/** Latency percentiles in ms (2 decimals). */
export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** What a job measured. */
export interface LoadResult {
  kind: LoadJob['kind'];
  /** Answers received in the timed part. */
  responses: number;
  /** Socket errors and timeouts (no answer). */
  errors: number;
  /** From the first send to the last answer (burst: the race's wall time), ms. */
  durationMs: number;
  /** responses / durationMs, per second (1 decimal). */
  achievedRps: number;
  /** From writing the request to the end of its answer. */
  latencyMs: LatencySummary;
  /** Paced only: from the scheduled send time to the end of the answer (open-loop latency). */
  latencyFromScheduleMs?: LatencySummary;
  /** Paced only: how late the generator sent its latest request, ms (its own lag, not the server's). */
  maxSendLagMs?: number;
  /** Paced only: requests sent; and when sending stopped at `maxOutstanding`, after how many ms. */
  sent?: number;
  stoppedEarlyAtMs?: number | null;
  /** Main-process CPU (user + system) per answer during the run, ms: the server's cost of a request
   * (on PGlite including the embedded database; on PostgreSQL without the server's backends). */
  serverCpuMsPerResponse?: number;
  /** Status tally, e.g. `{ "201": 2990, "409 slot_unavailable": 10 }`. */
  statuses: Record<string, number>;
  /** Mean bytes per answer: whole answers for autocannon, bodies for the other jobs. */
  meanResponseBytes: number;
  /** Burst only: connections opened during the burst (0 = every request went out on a warm one). */
  newConnections?: number;
  /** Autocannon only: its own figures, for cross-checking (its histogram, its per-second samples). */
  autocannon?: {
    requestsPerSecondAverage: number;
    latencyP50: number;
    latencyP99: number;
    non2xx: number;
    errors: number;
    timeouts: number;
  };
}

/** Percentiles of `ms` (2 decimals); NaN fields when empty. */
export function summarizeLatency(ms: readonly number[]): LatencySummary {
  const mean = ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : NaN;
  return {
    n: ms.length,
    p50: round(percentile(ms, 50), 2),
    p95: round(percentile(ms, 95), 2),
    p99: round(percentile(ms, 99), 2),
    mean: round(mean, 2),
    max: round(
      ms.reduce((m, v) => Math.max(m, v), -Infinity),
      2,
    ),
  };
}

/** The status tally key of an answer: the status, plus the error code of a JSON error body. */
export function statusKey(status: number, body: string | null): string {
  if (status < 400 || !body) return String(status);
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? `${status} ${code}` : String(status);
  } catch {
    return String(status);
  }
}

/** A running load-generator process. */
export interface LoadGenerator {
  /** Runs one job in the child process. @throws Error when the job fails there */
  run(job: LoadJob): Promise<LoadResult>;
  /** Ends the child process. */
  close(): Promise<void>;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'central-load-child.ts');

/**
 * Forks the load generator.
 * @param execArgv the child's Node flags; default: this process's (tsx when a bench runs under tsx). A
 *   harness that may run under Vitest passes `['--import', 'tsx']` explicitly.
 */
export function startLoadGenerator(execArgv?: string[]): LoadGenerator {
  const child: ChildProcess = fork(CHILD, [], {
    ...(execArgv ? { execArgv } : {}),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 0;
  const pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  child.on('message', (m: { id: number; result?: LoadResult; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(`load generator: ${m.error}`));
    else p.resolve(m.result!);
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`load generator exited with ${code}`));
    pending.clear();
  });
  return {
    run(job) {
      const id = next++;
      return new Promise<LoadResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, job });
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      });
    },
  };
}
