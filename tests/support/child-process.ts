/**
 * Helpers for tests that run a server in a child process (fault, crash and sync suites): wait for its
 * `{ type: 'ready', port }` message (server/domain/ready.ts for the clinic; central sends the same
 * shape), and kill it, waiting for the exit.
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
