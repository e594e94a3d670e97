/**
 * Server-sent events for the screens: a full snapshot on (re)connect, then a new snapshot after every
 * change on the bus and on a periodic refresh (waits change as time passes), with a keep-alive comment
 * every 15 s so proxies keep the stream open.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ChangeBus } from '../lib/events.ts';

/** Keep-alive interval of an idle stream, ms. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Streams `snapshot()` as event `name` (JSON data, `id` = the bus sequence number).
 * @param refreshMs interval of the periodic snapshot, ms
 */
export function snapshotStream(
  c: Context,
  events: ChangeBus,
  name: string,
  snapshot: () => unknown,
  refreshMs: number,
) {
  return streamSSE(c, async (stream) => {
    let dirty = true;
    let wake: (() => void) | null = null;
    const unsubscribe = events.subscribe(() => {
      dirty = true;
      wake?.();
    });
    const timer = setInterval(() => {
      dirty = true;
      wake?.();
    }, refreshMs);
    stream.onAbort(() => {
      unsubscribe();
      clearInterval(timer);
      wake?.();
    });
    while (!stream.aborted) {
      if (dirty) {
        dirty = false;
        await stream.writeSSE({ event: name, data: JSON.stringify(snapshot()), id: String(events.seq) });
      }
      let tick: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        tick = setTimeout(resolve, KEEP_ALIVE_MS);
      });
      clearTimeout(tick);
      wake = null;
      if (!dirty && !stream.aborted) await stream.write(': keep-alive\n\n');
    }
  });
}
