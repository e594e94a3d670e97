/**
 * Central API entry (`npm run central`). Runs under plain Node; prints its URL and, when it has a parent
 * process (tests, scripts), sends `{ type: 'ready', port }` once it listens. Stops cleanly on SIGTERM/SIGINT.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createCentralApp } from './app.ts';
import { parseCentralEnv } from './env.ts';

const env = parseCentralEnv();
const app = createCentralApp({ now: Date.now });

const server = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, (info: AddressInfo) => {
  console.log(JSON.stringify({ level: 'info', event: 'central.listening', port: info.port, host: env.host }));
  process.send?.({ type: 'ready', port: info.port });
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
