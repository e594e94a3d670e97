/**
 * Runs the local server as a supervised utility process (as Actual does): the real `fork` behind
 * ./supervisor.ts, which holds every decision (ready timeout, restart backoff, crash-loop cap, clean stop)
 * and is unit-tested with a fake child.
 */
import { utilityProcess } from 'electron';
import { createSupervisor, type Supervisor, type SupervisorOptions } from './supervisor.ts';

/**
 * Creates a supervisor that forks `entry` (the bundled server, dist/clinic/main.mjs) as a utility process
 * named `clinic-local-server`, its output inherited by main's (where the log goes). Call `start()`.
 * @param entry absolute path of the server's bundle
 * @param options the supervisor's options without `fork`
 */
export function createServerHost(entry: string, options: Omit<SupervisorOptions, 'fork'>): Supervisor {
  return createSupervisor({
    ...options,
    fork: (env) =>
      utilityProcess.fork(entry, [], { env, serviceName: 'clinic-local-server', stdio: 'inherit' }),
  });
}
