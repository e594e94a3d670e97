/**
 * The payment-callback benchmark's sender process (forked by `runCallbackLoad` in `callbacks-load.ts`):
 * receives one `{ job }` over IPC, sends every path of the job as a GET in the given order with
 * `concurrency` requests in flight over a node:http keep-alive pool (closed loop: each of `concurrency`
 * workers takes the next path as soon as its previous answer has ended), and answers `{ result }` or
 * `{ error }`. Exits when the parent disconnects.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CallbackLoadJob, CallbackLoadResult, SentRequest } from './callbacks-load.ts';

/** Sends one GET; resolves with its status and body (rejects on socket errors or after 60 s). */
function get(agent: http.Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'GET', agent, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function run(job: CallbackLoadJob): Promise<CallbackLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const sent: SentRequest[] = new Array<SentRequest>(job.paths.length);
  let next = 0;
  try {
    // One GET per connection first, so the timed run does not start with TCP handshakes.
    await Promise.all(
      Array.from({ length: job.concurrency }, () => get(agent, `${job.origin}${job.warmPath}`)),
    );
    const t0 = performance.now();
    const worker = async () => {
      for (let i = next++; i < job.paths.length; i = next++) {
        const start = performance.now();
        try {
          const a = await get(agent, `${job.origin}${job.paths[i]}`);
          const end = performance.now();
          sent[i] = {
            status: a.status,
            body: a.status === 200 ? '' : a.body.slice(0, 300),
            startMs: start - t0,
            endMs: end - t0,
          };
        } catch (err) {
          const end = performance.now();
          sent[i] = { status: 0, body: String(err), startMs: start - t0, endMs: end - t0 };
        }
      }
    };
    await Promise.all(Array.from({ length: job.concurrency }, worker));
    const t1 = performance.now();
    return {
      durationMs: t1 - t0,
      startedAtEpochMs: performance.timeOrigin + t0,
      endedAtEpochMs: performance.timeOrigin + t1,
      sent,
    };
  } finally {
    agent.destroy();
  }
}

process.on('message', (m: { job: CallbackLoadJob }) => {
  run(m.job).then(
    (result) => process.send?.({ result }),
    (err: unknown) => process.send?.({ error: err instanceof Error ? err.stack : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
