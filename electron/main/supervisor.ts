/**
 * Supervision of the local server (issue 11 part 1) as a plain state machine, so unit tests drive it with
 * a fake child and fake timers; ./server-host.ts supplies the real `utilityProcess.fork`.
 *
 * - Each launch waits for the server's `ready` message (server/domain/ready.ts) for `readyTimeoutMs`
 *   (default 20 s); without it the child is killed and the supervisor fails with `ready-timeout`.
 * - When the child exits on its own, it is restarted after min(30 s, 500 ms × 2ⁿ), n the number of
 *   consecutive failures (so 1 s, 2 s, 4 s, …); a ready message resets n. The port of the first ready is
 *   passed back (`CFD_PORT`) at every restart, so open pages reconnect to the same address.
 * - A crash loop (`maxFailures`, default 5, exits within `failureWindowMs`, default 2 min) gives up with
 *   `crash-loop`; `retry()` starts afresh (the error window's "Try again").
 * - `stop()` stops restarting and asks the child to end (SIGTERM on POSIX: the server closes its database),
 *   resolving once it has exited, or after `stopGraceMs` (default 5 s).
 * Messages other than ready (e.g. `face-key:save`, ./face-key.ts) go to `onRequest`; a non-null reply is
 * posted back to the child.
 */
import { readyMessage, type ReadyMessage } from '../../server/domain/ready.ts';

/** The part of Electron's UtilityProcess the supervisor uses; a fake in tests. */
export interface ServerChild {
  /** `message`: anything the server posts on its parent port. */
  on(event: 'message', listener: (message: unknown) => void): unknown;
  /** `exit`: the exit code (waitpid on POSIX, GetExitCodeProcess on Windows). */
  on(event: 'exit', listener: (code: number) => void): unknown;
  /** Posts a message to the server's parent port. */
  postMessage(message: unknown): void;
  /** Asks the process to end (SIGTERM on POSIX); true when the signal was sent. */
  kill(): boolean;
}

/** Timer functions, injected so tests advance time by hand; defaults to the globals and Date.now. */
export interface SupervisorTimers {
  /** Schedules `fn` after `ms` milliseconds and returns a handle for clearTimeout. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a handle from setTimeout. */
  clearTimeout(handle: unknown): void;
  /** Current time in epoch milliseconds. */
  now(): number;
}

/** Why the supervisor gave up. */
export type SupervisorFailure = 'ready-timeout' | 'crash-loop' | 'env';

/** Where the supervisor is; `onState` receives every change. */
export type SupervisorState =
  | { kind: 'starting'; attempt: number }
  | { kind: 'ready'; info: ReadyMessage }
  | { kind: 'restarting'; delayMs: number; failures: number; exitCode: number }
  | { kind: 'failed'; reason: SupervisorFailure; message: string }
  | { kind: 'stopped' };

/** What the supervisor needs; only `fork` and `env` are required. */
export interface SupervisorOptions {
  /** Starts the server with this environment (the real one: utilityProcess.fork of the server bundle). */
  fork: (env: NodeJS.ProcessEnv) => ServerChild;
  /** The environment for each launch (read again at every restart); throwing fails with `env`. */
  env: () => NodeJS.ProcessEnv;
  /** Called on every ready message, after each restart too. */
  onReady?: (info: ReadyMessage) => void;
  /** Called on any other message; a non-null, non-undefined return is posted back. */
  onRequest?: (message: unknown) => unknown;
  /** Called on every state change. */
  onState?: (state: SupervisorState) => void;
  /** Timer functions (default: the globals and Date.now). */
  timers?: SupervisorTimers;
  /** How long a launch may take to send ready, ms (default 20,000). */
  readyTimeoutMs?: number;
  /** Exits within `failureWindowMs` that count as a crash loop (default 5). */
  maxFailures?: number;
  /** Window for the crash-loop count, ms (default 120,000). */
  failureWindowMs?: number;
  /** How long stop() waits for the child to exit, ms (default 5,000). */
  stopGraceMs?: number;
}

/** The supervisor's handle. */
export interface Supervisor {
  /** Launches the server (no-op unless idle, failed or stopped). */
  start(): void;
  /** After a failure: forgets past failures and launches again ("Try again"). */
  retry(): void;
  /** Stops restarting and ends the child; resolves when it has exited or after the grace period. */
  stop(): Promise<void>;
  /** The current state (`starting` with attempt 0 before start()). */
  state(): SupervisorState;
}

/**
 * Restart delay after the n-th consecutive failure: min(30 s, 500 ms × 2ⁿ), in ms.
 * @param failures consecutive failures since the last ready, ≥ 1
 */
export function restartDelayMs(failures: number): number {
  return Math.min(30_000, 500 * 2 ** failures);
}

const realTimers: SupervisorTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/**
 * Creates a supervisor for the local server; call `start()` to launch it.
 * @param options see SupervisorOptions; defaults: ready timeout 20 s, crash loop 5 exits in 2 min
 */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  const timers = options.timers ?? realTimers;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const maxFailures = options.maxFailures ?? 5;
  const failureWindowMs = options.failureWindowMs ?? 120_000;
  const stopGraceMs = options.stopGraceMs ?? 5_000;

  let current: SupervisorState = { kind: 'starting', attempt: 0 };
  let child: ServerChild | null = null;
  let childExited: Promise<void> = Promise.resolve();
  let port = 0;
  let attempt = 0;
  let consecutive = 0;
  let exits: number[] = [];
  let timer: unknown = null;
  let active = false; // between start() and stop()/failure

  const setState = (next: SupervisorState) => {
    current = next;
    options.onState?.(next);
  };
  const clearTimer = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  const fail = (reason: SupervisorFailure, message: string) => {
    active = false;
    clearTimer();
    setState({ kind: 'failed', reason, message });
  };

  const launch = () => {
    timer = null;
    let env: NodeJS.ProcessEnv;
    try {
      env = options.env();
    } catch (err) {
      fail('env', (err as Error).message);
      return;
    }
    attempt += 1;
    setState({ kind: 'starting', attempt });
    const proc = options.fork({ ...env, CFD_PORT: String(port) });
    child = proc;
    let resolveExit: () => void = () => {};
    childExited = new Promise((resolve) => (resolveExit = resolve));
    timer = timers.setTimeout(() => {
      timer = null;
      fail('ready-timeout', `the local server sent no ready message within ${readyTimeoutMs / 1000} s`);
      proc.kill();
    }, readyTimeoutMs);

    proc.on('message', (msg: unknown) => {
      if (proc !== child) return;
      const ready = readyMessage.safeParse(msg);
      if (!ready.success) {
        const reply = options.onRequest?.(msg);
        if (reply !== null && reply !== undefined) proc.postMessage(reply);
        return;
      }
      if (!active) return;
      clearTimer();
      consecutive = 0;
      port = ready.data.port;
      setState({ kind: 'ready', info: ready.data });
      options.onReady?.(ready.data);
    });
    proc.on('exit', (code: number) => {
      resolveExit();
      if (proc !== child) return;
      child = null;
      if (!active) return; // stopped, or killed after a ready timeout
      clearTimer();
      const now = timers.now();
      exits = [...exits.filter((t) => now - t < failureWindowMs), now];
      if (exits.length >= maxFailures) {
        fail(
          'crash-loop',
          `the local server exited ${exits.length} times within ${failureWindowMs / 1000} s`,
        );
        return;
      }
      consecutive += 1;
      const delayMs = restartDelayMs(consecutive);
      setState({ kind: 'restarting', delayMs, failures: consecutive, exitCode: code });
      timer = timers.setTimeout(launch, delayMs);
    });
  };

  const start = () => {
    if (active) return;
    active = true;
    launch();
  };

  return {
    start,
    retry() {
      if (active) return;
      exits = [];
      consecutive = 0;
      start();
    },
    async stop() {
      const wasRunning = child;
      active = false;
      clearTimer();
      setState({ kind: 'stopped' });
      if (!wasRunning) return;
      wasRunning.kill();
      let grace: unknown = null;
      await Promise.race([
        childExited,
        new Promise<void>((resolve) => (grace = timers.setTimeout(resolve, stopGraceMs))),
      ]);
      timers.clearTimeout(grace);
    },
    state: () => current,
  };
}
