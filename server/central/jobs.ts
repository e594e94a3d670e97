/**
 * The central API's background work, run by every instance (safe side by side: each step claims rows
 * with row locks, SKIP LOCKED or conditional updates, so two instances never do the same work twice):
 * - apply payment callbacks left unprocessed (a crash between the 200 answer and the work);
 * - poll the provider for attempts whose callback has not come;
 * - expire unpaid online orders (the slot is freed);
 * - send due SMS and email from the outbox (payment links, invoices, reminders);
 * - once an hour per instance, delete throttle and rate-limit rows long forgiven (`sweepThrottle`).
 * One pass every `everyMs` (default 2 s); a pass never overlaps the previous one.
 */
import type { CentralDeps } from './deps.ts';
import { expireOrders, pollPending, processPendingCallbacks } from './features/payments/service.ts';
import { runOutboxOnce } from './outbox/outbox.ts';
import { renderMessage } from './outbox/render.ts';
import { sweepThrottle } from './http/rate-limit.ts';

/** How often an instance sweeps the throttle table (ms). */
const SWEEP_EVERY_MS = 3_600_000;
/** When each instance's deps last swept (ms); absent = never, so the first pass sweeps. */
const lastSweep = new WeakMap<CentralDeps, number>();

async function sweepIfDue(deps: CentralDeps): Promise<void> {
  const now = deps.now();
  const last = lastSweep.get(deps);
  if (last !== undefined && now - last < SWEEP_EVERY_MS) return;
  lastSweep.set(deps, now);
  await sweepThrottle(deps.db, now);
}

/** One pass of every job; errors of one job are logged and do not stop the others. */
export async function runJobsOnce(deps: CentralDeps): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ['callbacks', () => processPendingCallbacks(deps)],
    ['poll', () => pollPending(deps)],
    ['expire', () => expireOrders(deps)],
    ['outbox', () => runOutboxOnce(deps, renderMessage)],
    ['sweep', () => sweepIfDue(deps)],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (err) {
      console.error(
        JSON.stringify({ level: 'error', event: 'jobs.failed', job: name, message: (err as Error).message }),
      );
    }
  }
}

/** Starts the job loop; returns `stop()`, which resolves once the pass in progress has finished. */
export function startJobs(deps: CentralDeps, everyMs = 2_000): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(() => (stopped ? undefined : runJobsOnce(deps)));
  }, everyMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
