/**
 * The payment-callback benchmark's sender, as seen from the harness: `runCallbackLoad` forks
 * `callbacks-load-child.ts` (so the load is generated in a process of its own; the server under test runs
 * in the harness's process), runs one job there and returns every request's status and timing;
 * `summarizeCallbackLoad` turns that into the figures of the report.
 * Latency = time from writing the request to the last byte of the answer, in ms; times are relative to
 * the first send (after one warm-up GET per connection).
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { statusKey, summarizeLatency, type LatencySummary } from './central-load.ts';
import { round } from './metrics.ts';

/** A job: GET every path (relative to `origin`) in order, `concurrency` in flight. */
export interface CallbackLoadJob {
  origin: string;
  /** GET once per connection before the timed run (opens the keep-alive pool). */
  warmPath: string;
  paths: string[];
  concurrency: number;
}

/** One request of a job: its status (0 = no answer), the body of a non-200 answer, its times in ms. */
export interface SentRequest {
  status: number;
  body: string;
  startMs: number;
  endMs: number;
}

/** What the sender returns: wall time from the first send to the last answer, and every request. */
export interface CallbackLoadResult {
  durationMs: number;
  /** The first send and the last answer in epoch ms (`performance.timeOrigin` based: comparable with
   * the harness's clock and `Date.now()` to well under a millisecond). */
  startedAtEpochMs: number;
  endedAtEpochMs: number;
  sent: SentRequest[];
}

/** The figures of one load run. */
export interface CallbackLoadSummary {
  requests: number;
  /** From the first send to the last answer, ms. */
  durationMs: number;
  /** Answers per second over `durationMs`. */
  achievedRps: number;
  /** Latency of the 200 answers. */
  latency200Ms: LatencySummary;
  /** Status tally (`"200"`, `"403 callback_key_invalid"`, `"0"` for no answer). */
  statuses: Record<string, number>;
  non200: number;
  /** Up to 5 non-200 answers, for the reader. */
  non200Samples: { index: number; status: number; body: string }[];
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'callbacks-load-child.ts');

/** Runs `job` in a fresh sender process and ends it. @throws Error when the job fails there */
export function runCallbackLoad(job: CallbackLoadJob): Promise<CallbackLoadResult> {
  const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<CallbackLoadResult>((resolve, reject) => {
    child.once('message', (m: { result?: CallbackLoadResult; error?: string }) => {
      child.disconnect();
      if (m.error !== undefined) reject(new Error(`callback sender: ${m.error}`));
      else resolve(m.result!);
    });
    child.once('exit', (code) => reject(new Error(`callback sender exited with ${code}`)));
    child.send({ job });
  });
}

/** The report's figures of a run. */
export function summarizeCallbackLoad(r: CallbackLoadResult): CallbackLoadSummary {
  const statuses: Record<string, number> = {};
  const non200Samples: CallbackLoadSummary['non200Samples'] = [];
  r.sent.forEach((s, index) => {
    const key = s.status === 0 ? '0 no_answer' : statusKey(s.status, s.status >= 400 ? s.body : null);
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (s.status !== 200 && non200Samples.length < 5)
      non200Samples.push({ index, status: s.status, body: s.body });
  });
  const ok = r.sent.filter((s) => s.status === 200);
  return {
    requests: r.sent.length,
    durationMs: round(r.durationMs, 1),
    achievedRps: round((r.sent.length / r.durationMs) * 1000, 1),
    latency200Ms: summarizeLatency(ok.map((s) => s.endMs - s.startMs)),
    statuses,
    non200: r.sent.length - ok.length,
    non200Samples,
  };
}
