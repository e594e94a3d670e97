/**
 * Runs the local server as a supervised utility process (as Actual does): waits for its `ready` message
 * (server/domain/ready.ts: port and the screens' URLs), and restarts it with backoff if it dies. Other
 * messages from the server (e.g. `face-key:save`, ./face-key.ts) go to `onRequest`, whose reply, if any,
 * is posted back.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import { readyMessage, type ReadyMessage } from '../../server/domain/ready.ts';

/**
 * Forks `entry` with the environment `env()` returns at each launch (so a restart gets the current face
 * key, not the one of the first launch); calls `onReady` on every ready message (after each restart
 * too) and `onRequest` on any other message, posting back its non-null reply.
 * Restart delay after the n-th consecutive failure: min(30 s, 500 ms × 2ⁿ). When `env()` throws, the
 * server is not (re)started and the error is logged.
 * @returns a function that stops supervising and kills the server
 */
export function startServerHost(
  entry: string,
  env: () => NodeJS.ProcessEnv,
  onReady: (info: ReadyMessage) => void,
  onRequest: (msg: unknown) => unknown = () => null,
): () => void {
  let child: UtilityProcess | null = null;
  let stopped = false;
  let failures = 0;
  let port = 0;

  const launch = () => {
    let childEnv: NodeJS.ProcessEnv;
    try {
      childEnv = env();
    } catch (err) {
      console.error(`local server not started: ${(err as Error).message}`);
      return;
    }
    const proc = utilityProcess.fork(entry, [], {
      env: { ...childEnv, CFD_PORT: String(port) },
      serviceName: 'clinic-local-server',
      stdio: 'inherit',
    });
    child = proc;
    proc.on('message', (msg: unknown) => {
      const ready = readyMessage.safeParse(msg);
      if (!ready.success) {
        const reply = onRequest(msg);
        if (reply !== null && reply !== undefined) proc.postMessage(reply);
        return;
      }
      failures = 0;
      port = ready.data.port; // keep the same port across restarts so open pages reconnect
      onReady(ready.data);
    });
    proc.on('exit', (code) => {
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
