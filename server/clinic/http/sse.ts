/**
 * Server-sent events for the screens: a snapshot on (re)connect, then a new one after every change on the
 * bus (coalesced) and on a periodic refresh (waits change as time passes), keep-alive comments every 15 s
 * so proxies keep the stream open. The snapshots are shared: one computation and one serialisation per
 * change per scope key, the same frame written to every stream (./snapshot-hub.ts).
 */
import type { ClinicDeps } from '../deps.ts';
import { hubFor } from './snapshot-hub.ts';

/**
 * Streams the snapshot of scope `key` as event `name` (JSON data, `id` = the bus sequence number).
 * Every stream of the same `key` must show the same thing: `snapshot` is called once per change for all.
 * @param refreshMs interval of the periodic snapshot, ms (taken by the process's hub on first use)
 * @throws AppError too_many_streams (429) past the hub's cap of open streams
 */
export function snapshotStream(
  deps: ClinicDeps,
  key: string,
  name: string,
  snapshot: () => unknown,
  refreshMs: number,
): Response {
  return hubFor(deps, { refreshMs }).stream(key, name, snapshot);
}
