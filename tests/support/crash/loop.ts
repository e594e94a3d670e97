/**
 * The round structure both crash loops share (clinic-crash.ts, central-crash.ts): `kills` rounds of
 * (re)start, settle what the last kill left in doubt, run the load, SIGKILL once the round has its first
 * acknowledged write and a seeded delay has passed; then a last start that settles, and a SIGKILL (the
 * data are verified as a crash leaves them).
 */
import { waitUntil } from './wait.ts';

/** A server process the loop starts and kills (restarts keep its data and port). */
export interface CrashServer {
  readonly up: boolean;
  start(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** The load the loop drives. */
export interface CrashLoopLoad {
  /** Settles the writes the last kill left in doubt (the server is up). */
  settle(): Promise<void>;
  /** Writes until the server stops answering. */
  run(): Promise<void>;
  /** Writes acknowledged so far. */
  acknowledged(): number;
  /** The next kill delay in [minMs, maxMs), from the load's seeded stream. */
  killDelay(minMs: number, maxMs: number): number;
}

/**
 * Runs the rounds (see the module comment).
 * @returns the restarts after a kill (`kills`, as every round but the first starts a killed server)
 */
export async function crashLoop(
  server: CrashServer,
  load: CrashLoopLoad,
  options: { kills: number; minMs: number; maxMs: number },
): Promise<number> {
  let restarts = 0;
  for (let k = 0; k < options.kills; k++) {
    if (!server.up) {
      await server.start();
      if (k > 0) restarts++;
    }
    await load.settle();
    const before = load.acknowledged();
    const running = load.run();
    // The kill lands under load: after this round's first acknowledged write (a slow machine may need
    // seconds for one), then a seeded delay.
    await waitUntil(() => load.acknowledged() > before, 60_000);
    await new Promise((r) => setTimeout(r, load.killDelay(options.minMs, options.maxMs)));
    await server.kill('SIGKILL');
    await running;
  }
  await server.start();
  restarts++;
  await load.settle();
  await server.kill('SIGKILL');
  return restarts;
}
