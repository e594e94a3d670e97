/**
 * Payment-callback benchmark settings (`bench/callbacks.ts`, payments issue part 10): how many orders and
 * deliveries, how the repeats are placed, the sender's concurrency, how long to wait for the inbox to
 * drain, and where the results go.
 */
import path from 'node:path';
import { REPO_ROOT } from './config.ts';

/** Where the figures go. */
export const CALLBACKS_RESULTS_FILE = path.join(REPO_ROOT, 'bench/results/callbacks.json');

/**
 * The load: `orders` distinct pending Multibanco orders, each paid by one callback, plus `repeats`
 * re-deliveries of `repeats` of those orders (so `orders + repeats` callbacks, `repeats / total` = 20 %).
 * `adjacentRepeats` of the repeats are placed right after their first delivery (sent while it is still in
 * flight, so both are recorded and applied concurrently); the others at a random later position.
 * `concurrency` requests are kept in flight over a keep-alive pool (closed loop).
 */
export const CALLBACK_LOAD = {
  orders: 800,
  repeats: 200,
  adjacentRepeats: 100,
  concurrency: 16,
  /** Order amount, integer cents (the bench clinic's price). */
  amountCents: 4500,
  /** Extra orders paid in process one at a time after the checks (the cost of each step, no HTTP). */
  inProcessOrders: 100,
  /** Seed of the order of deliveries. */
  seed: 20261201,
} as const;

/** How long to wait for every recorded callback to be processed before the job loop's pass is run. */
export const APPLY_TIMEOUT_MS = 90_000;

/** How often `payment_callbacks.processed_at` is polled while waiting, ms. */
export const APPLY_POLL_MS = 25;

/** The anti-phishing key the bench's sandbox is configured with (sent as `key`). */
export const CALLBACK_KEY = 'bench-callback-key-0123456789';
