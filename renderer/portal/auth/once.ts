/**
 * Runs an e-mail-link action once per token per page load: the tokens are single-use, and React's
 * development double-effect (or a re-render) must not spend one twice.
 */
const started = new Map<string, Promise<unknown>>();

/** The promise of `run()` for `key`, started on the first call only. */
export function once<T>(key: string, run: () => Promise<T>): Promise<T> {
  let p = started.get(key) as Promise<T> | undefined;
  if (!p) {
    p = run();
    started.set(key, p);
  }
  return p;
}
