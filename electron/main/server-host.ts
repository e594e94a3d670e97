/**
 * Runs the local server as a supervised utility process (as Actual does): waits for its `ready` message
 * (server/domain/ready.ts: port and the screens' URLs), and restarts it with backoff if it dies.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import { readyMessage, type ReadyMessage } from '../../server/domain/ready.ts';

/**
 * Forks `entry` with `env`; calls `onReady` on every ready message (after each restart too).
 * Restart delay after the n-th consecutive failure: min(30 s, 500 ms × 2ⁿ).
 * @returns a function that stops supervising and kills the server
 */
export function startServerHost(
  entry: string,
  env: NodeJS.ProcessEnv,
  onReady: (info: ReadyMessage) => void,
): () => void {
  let child: UtilityProcess | null = null;
  let stopped = false;
  let failures = 0;
  let port = 0;

  const launch = () => {
    child = utilityProcess.fork(entry, [], {
      env: { ...env, CFD_PORT: String(port) },
      serviceName: 'clinic-local-server',
      stdio: 'inherit',
    });
    child.on('message', (msg: unknown) => {
      const ready = readyMessage.safeParse(msg);
      if (!ready.success) return;
      failures = 0;
      port = ready.data.port; // keep the same port across restarts so open pages reconnect
      onReady(ready.data);
    });
    child.on('exit', (code) => {
      if (stopped) return;
      failures += 1;
      const delay = Math.min(30_000, 500 * 2 ** failures);
      console.error(`local server exited (${code}); restarting in ${delay} ms`);
      setTimeout(launch, delay);
    });
  };
  launch();
  return () => {
    stopped = true;
    child?.kill();
  };
}
