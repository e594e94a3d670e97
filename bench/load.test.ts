/**
 * Short CI version of `npm run bench:load` (bench/lib/load.ts): the clinic server in a child process, 20
 * display streams, the realistic mix at a low rate for 2 s. Asserts behaviour, never times: no errors,
 * only 2xx answers, every stream got the changes and ended on the identical event, and the display
 * snapshots were shared (at most one per change, not one per stream per change).
 */
import { expect, it } from 'vitest';
import { runClinicLoad } from './lib/load.ts';

it('holds the clinic mix with display streams open: 0 errors, all 2xx, one shared snapshot per change', async () => {
  const r = await runClinicLoad({
    rate: 40,
    durationSec: 2,
    warmupSec: 0,
    streams: 20,
    sequentialWrites: 3,
    maxSec: 0,
    maxConnections: 1,
  });
  const statuses = Object.values(r.mix).map((x) => x.statuses);
  expect({ ...r.mixTotal, statuses }).toMatchObject({ errors: 0, non2xx: 0 });
  expect(r.mix.checkIn.responses).toBeGreaterThan(0);
  expect(r.mix.call.responses).toBeGreaterThan(0);
  expect(r.streams).toMatchObject({ open: 20, refused: 0, identicalLast: true });
  expect(r.snapshots.changes).toBeGreaterThan(0);
  expect(r.streams.eventsMin).toBeGreaterThan(0);
  // Shared: the display is computed at most once per change (coalesced bursts: fewer), whatever the
  // number of streams; per-stream snapshots would be 20 per change.
  expect(r.snapshots.displaySnapshots).toBeLessThanOrEqual(r.snapshots.changes);
  expect(r.streams.eventsMax).toBeLessThanOrEqual(r.snapshots.displaySnapshots + 1);
}, 120_000);
