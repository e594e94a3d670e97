/**
 * Runs the local server as a supervised utility process (as Actual does): waits for its `ready` message
 * with the port and token, and restarts it with backoff if it dies.
 */
import { utilityProcess, type UtilityProcess } from 'electron';

export interface ServerInfo {
  port: number;
  token: string;
  urls: { desk: string; kiosk: string; display: string };
}

export function startServerHost(
  entry: string,
  env: NodeJS.ProcessEnv,
  onReady: (info: ServerInfo) => void,
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
    child.on('message', (msg: { type?: string } & ServerInfo) => {
      if (msg.type !== 'ready') return;
      failures = 0;
      port = msg.port; // keep the same port across restarts so open pages reconnect
      onReady(msg);
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
