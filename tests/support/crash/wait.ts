/** Polling helper of the crash loops. */

/** Resolves once `done()` holds (polled every 20 ms) or after `timeoutMs` (the caller's checks then fail). */
export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}
