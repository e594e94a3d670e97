/**
 * The central benchmark's load-generator process (forked by `startLoadGenerator` in `central-load.ts`):
 * receives `{ id, job }` over IPC, runs the job (autocannon, sequential, paced or burst; see
 * `central-load.ts`) against the harness's servers, and answers `{ id, result }` or `{ id, error }`.
 * Exits when the parent disconnects.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { round } from './metrics.ts';
import {
  statusKey,
  summarizeLatency,
  type LoadJob,
  type LoadResult,
  type RequestSpec,
} from './central-load.ts';

/** One answer over node:http. */
interface Answer {
  status: number;
  bytes: number;
  body: string;
  sentAt: number;
  endAt: number;
  socket: Socket | null;
}

/** Sends `spec` through `agent`; resolves with the whole answer (rejects on socket errors, 60 s timeout). */
function send(agent: http.Agent, origin: string, spec: RequestSpec): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    let socket: Socket | null = null;
    const req = http.request(
      `${origin}${spec.path}`,
      { method: spec.method, agent, headers: spec.headers ?? {}, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          bytes += c.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            bytes,
            body: Buffer.concat(chunks).toString('utf8'),
            sentAt,
            endAt: performance.now(),
            socket,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('socket', (s) => {
      socket = s as Socket;
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(spec.body);
  });
}

function tally(statuses: Record<string, number>, key: string) {
  statuses[key] = (statuses[key] ?? 0) + 1;
}

async function runAutocannon(job: Extract<LoadJob, { kind: 'autocannon' }>): Promise<LoadResult> {
  let index = 0;
  const nextSpec = () => job.requests[index++ % job.requests.length]!;
  const run = async (durationSec: number, record: boolean) => {
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let bytes = 0;
    let resolveDone!: (r: autocannon.Result) => void;
    let rejectDone!: (e: Error) => void;
    const done = new Promise<autocannon.Result>((resolve, reject) => {
      resolveDone = resolve;
      rejectDone = reject;
    });
    const instance = autocannon(
      {
        url: job.origin,
        connections: job.connections,
        duration: durationSec,
        // A request given up on keeps the server busy all the same: wait as long as the paced runs do.
        timeout: 60,
        // With a rate, autocannon's own histogram "corrects" for an expected interval of
        // ceil(1 / per-connection rate) ms = 1 ms, which is meaningless: it is turned off (raw times are
        // kept below either way).
        ...(job.overallRate ? { overallRate: job.overallRate, ignoreCoordinatedOmission: true } : {}),
        requests: [
          {
            setupRequest: (req) => {
              const spec = nextSpec();
              return {
                ...req,
                method: spec.method,
                path: spec.path,
                headers: { ...spec.headers },
                ...(spec.body !== undefined ? { body: spec.body } : {}),
              };
            },
            onResponse: (status, body) => {
              if (record) tally(statuses, statusKey(status, body));
            },
          },
        ],
      },
      (err, result) =>
        err ? rejectDone(err instanceof Error ? err : new Error(String(err))) : resolveDone(result),
    );
    instance.on('response', (_client, _status, resBytes, ms) => {
      if (!record) return;
      latencies.push(ms);
      bytes += resBytes;
    });
    const result = await done;
    return { latencies, statuses, bytes, result };
  };
  if (job.warmupSec > 0) await run(job.warmupSec, false);
  const { latencies, statuses, bytes, result } = await run(job.durationSec, true);
  const durationMs = result.finish.getTime() - result.start.getTime();
  return {
    kind: 'autocannon',
    responses: latencies.length,
    errors: result.errors,
    durationMs,
    achievedRps: round((latencies.length / durationMs) * 1000, 1),
    latencyMs: summarizeLatency(latencies),
    statuses,
    meanResponseBytes: Math.round(bytes / Math.max(1, latencies.length)),
    autocannon: {
      requestsPerSecondAverage: result.requests.average,
      latencyP50: result.latency.p50,
      latencyP99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    },
  };
}

async function runSequential(job: Extract<LoadJob, { kind: 'sequential' }>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < job.warmup; i++) await send(agent, job.origin, job.request);
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let bytes = 0;
    const t0 = performance.now();
    for (let i = 0; i < job.count; i++) {
      const a = await send(agent, job.origin, job.request);
      latencies.push(a.endAt - a.sentAt);
      bytes += a.bytes;
      tally(statuses, statusKey(a.status, a.status >= 400 ? a.body : null));
    }
    const durationMs = performance.now() - t0;
    return {
      kind: 'sequential',
      responses: latencies.length,
      errors: 0,
      durationMs: round(durationMs, 1),
      achievedRps: round((latencies.length / durationMs) * 1000, 1),
      latencyMs: summarizeLatency(latencies),
      statuses,
      meanResponseBytes: Math.round(bytes / Math.max(1, latencies.length)),
    };
  } finally {
    agent.destroy();
  }
}

async function runPaced(job: Extract<LoadJob, { kind: 'paced' }>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 512 });
  const interval = 1000 / job.rate;
  const total = Math.round(job.rate * job.durationSec);
  const fromSend: number[] = [];
  const fromSchedule: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  let errors = 0;
  let maxLag = 0;
  let lastEnd = 0;
  let outstanding = 0;
  let stoppedEarlyAtMs: number | null = null;
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && t0 + next * interval <= now && outstanding < job.maxOutstanding) {
        const scheduled = t0 + next * interval;
        const spec = job.requests[next % job.requests.length]!;
        maxLag = Math.max(maxLag, now - scheduled);
        next++;
        outstanding++;
        inflight.push(
          send(agent, job.origin, spec).then(
            (a) => {
              outstanding--;
              fromSend.push(a.endAt - a.sentAt);
              fromSchedule.push(a.endAt - scheduled);
              bytes += a.bytes;
              lastEnd = Math.max(lastEnd, a.endAt);
              tally(statuses, statusKey(a.status, a.status >= 400 ? a.body : null));
            },
            () => {
              outstanding--;
              errors++;
            },
          ),
        );
      }
      if (next >= total) return resolve();
      if (outstanding >= job.maxOutstanding) {
        stoppedEarlyAtMs = round(now - t0, 1);
        return resolve();
      }
      setTimeout(tick, Math.max(0, t0 + next * interval - performance.now() - 0.5));
    };
    tick();
  });
  await Promise.all(inflight);
  agent.destroy();
  const durationMs = lastEnd - t0;
  return {
    kind: 'paced',
    responses: fromSend.length,
    errors,
    durationMs: round(durationMs, 1),
    achievedRps: round((fromSend.length / durationMs) * 1000, 1),
    latencyMs: summarizeLatency(fromSend),
    latencyFromScheduleMs: summarizeLatency(fromSchedule),
    maxSendLagMs: round(maxLag, 2),
    sent: next,
    stoppedEarlyAtMs,
    statuses,
    meanResponseBytes: Math.round(bytes / Math.max(1, fromSend.length)),
  };
}

async function runBurst(job: Extract<LoadJob, { kind: 'burst' }>): Promise<LoadResult> {
  const n = job.requests.length;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: n * 2 });
  try {
    // Open one connection per request first, so the race is not a race of TCP handshakes.
    const warm = await Promise.all(
      Array.from({ length: n }, () => send(agent, job.origin, { method: 'GET', path: job.preconnectPath })),
    );
    const warmSockets = new Set(warm.map((a) => a.socket));
    const t0 = performance.now();
    const settled = await Promise.allSettled(job.requests.map((spec) => send(agent, job.origin, spec)));
    const answers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const wall = Math.max(...answers.map((a) => a.endAt)) - t0;
    const statuses: Record<string, number> = {};
    for (const a of answers) tally(statuses, statusKey(a.status, a.status >= 400 ? a.body : null));
    return {
      kind: 'burst',
      responses: answers.length,
      errors: n - answers.length,
      durationMs: round(wall, 1),
      achievedRps: round((answers.length / wall) * 1000, 1),
      latencyMs: summarizeLatency(answers.map((a) => a.endAt - a.sentAt)),
      statuses,
      meanResponseBytes: Math.round(answers.reduce((s, a) => s + a.bytes, 0) / Math.max(1, answers.length)),
      newConnections: answers.filter((a) => !warmSockets.has(a.socket)).length,
    };
  } finally {
    agent.destroy();
  }
}

/** Runs one job. */
function runJob(job: LoadJob): Promise<LoadResult> {
  switch (job.kind) {
    case 'autocannon':
      return runAutocannon(job);
    case 'sequential':
      return runSequential(job);
    case 'paced':
      return runPaced(job);
    case 'burst':
      return runBurst(job);
  }
}

process.on('message', (m: { id: number; job: LoadJob }) => {
  runJob(m.job).then(
    (result) => process.send?.({ id: m.id, result }),
    (err: unknown) => process.send?.({ id: m.id, error: err instanceof Error ? err.stack : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
