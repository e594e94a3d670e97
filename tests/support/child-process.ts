/**
 * Helpers for tests that run a server in a child process (fault, crash and sync suites): wait for its
 * `{ type: 'ready', port }` message (server/domain/ready.ts for the clinic; central sends the same
 * shape), kill it, waiting for the exit, and `restartableChild`, the start/kill bookkeeping of a server
 * restarted on the same port.
 */
import type { ChildProcess } from 'node:child_process';

/**
 * The port of `proc`'s first `{ type: 'ready', port }` message.
 * @param name the server's name in the errors ("central", "clinic server")
 * @param tail what the process printed, appended to the error when it exits first
 * @throws Error when it exits first or does not answer within `timeoutMs`
 */
export function readyPort(
  proc: ChildProcess,
  name: string,
  timeoutMs: number,
  tail: () => string = () => '',
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    proc.on('message', (m: unknown) => {
      const msg = m as { type?: unknown; port?: unknown } | null;
      if (msg?.type === 'ready' && typeof msg.port === 'number') {
        clearTimeout(timer);
        resolve(msg.port);
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      const printed = tail();
      reject(new Error(`${name} exited with ${code ?? signal}${printed ? `: ${printed.slice(-2000)}` : ''}`));
    });
  });
}

/** Sends `signal` to `proc` (unless it has exited) and resolves once it has exited. */
export async function killAndWait(proc: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}

/** A server in a child process that can be SIGKILLed and started again on the same port. */
export interface RestartableChild {
  /** `http://127.0.0.1:<port>`: a free port at the first start, the same one after a restart. */
  readonly url: string;
  readonly up: boolean;
  readonly pid: number | null;
  /** Starts it (nothing when up); resolves at its `ready`. @throws Error if it exits first or times out */
  start(): Promise<void>;
  /** Sends `signal` (default SIGKILL) and resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The start/kill bookkeeping of a restartable server process (the fault and crash suites' clinic and
 * central): `spawn(port)` forks it for one start on `port` (0 at the first start: a free port, read from
 * its ready message; then that port again) and attaches any output listeners.
 * @param name the server's name in the errors ("central", "clinic server")
 * @param tail what the process printed, appended to the error when it exits before ready
 */
export function restartableChild(
  name: string,
  timeoutMs: number,
  spawn: (port: number) => ChildProcess,
  tail: () => string = () => '',
): RestartableChild {
  let child: ChildProcess | null = null;
  let port = 0;
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get up() {
      return child !== null;
    },
    get pid() {
      return child?.pid ?? null;
    },
    async start() {
      if (child) return;
      const proc = spawn(port);
      child = proc;
      proc.once('exit', () => {
        if (child === proc) child = null;
      });
      port = await readyPort(proc, name, timeoutMs, tail);
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child) await killAndWait(child, signal);
      child = null;
    },
  };
}
