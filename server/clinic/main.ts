/**
 * Local server entry. Runs under plain Node (`npm run serve`, tests, LAN displays) and as Electron's
 * supervised utility process; in both cases it announces the ready message of server/domain/ready.ts
 * (`{ type: 'ready', port, urls }`, each URL with its screen's credential) to a parent (Electron's
 * parentPort or Node's IPC channel) once it listens.
 */
import { serve } from '@hono/node-server';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { ReadyMessage } from '../domain/ready.ts';
import { createApp } from './app.ts';
import { parseRetentionPolicy, startMaintenance } from './db/changes.ts';
import { openDatabase } from './db/database.ts';
import type { FaceDeps } from './deps.ts';
import { parseEnv } from './env.ts';
import { startFaceWorker, type FaceWorkerEngine } from './face/client.ts';
import {
  electronParentPort,
  faceKeyStoreFor,
  loadOrCreateFaceKey,
  ParentPortFaceKeyStore,
  migrateLegacyFaceKey,
} from './face/key-store.ts';
import { recoverFaceKeyRotation, recoverWrappedFaceKeyRotation } from './features/face/service.ts';
import { isCatalogEmpty } from './features/catalog/repo.ts';
import { KioskSessions } from './features/kiosk/sessions.ts';
import { screenCredentials } from './http/credentials.ts';
import { ChangeBus } from './lib/events.ts';
import { log, logEnabled } from './lib/log.ts';
import { ensurePrivateDir } from './lib/private-fs.ts';
import { ensureDemoAppointments, seedDemoClinic, seedDemoFaces } from './seed/demo.ts';
import { DEMO_LOGINS, DEMO_PIN, seedDemoStaff } from './seed/staff.ts';
import { loadOrCreateSessionKey } from './features/staff/session-key.ts';
import { ARGON2_PRODUCTION } from '../http/passwords.ts';
import { startSync } from './sync/engine.ts';
import { portalInviter } from './sync/patient-links.ts';

const env = parseEnv();
const retention = parseRetentionPolicy();
ensurePrivateDir(env.dataDir);
const db = openDatabase(env.dbFile);
// The descriptor key: env (under Electron, the app's OS-wrapped key), or a key file away from the
// database (an old data/face.key is moved). See face/key-store.ts.
if (!env.faceKey && migrateLegacyFaceKey(env.dataDir, env.faceKeyFile))
  log('info', 'face.key_moved', { to: env.faceKeyFile });
const faceKeyStore = faceKeyStoreFor(env, electronParentPort());
if (faceKeyStore instanceof ParentPortFaceKeyStore)
  await recoverWrappedFaceKeyRotation({ db, now: Date.now }, faceKeyStore);
else recoverFaceKeyRotation({ db, now: Date.now }, faceKeyStore);
let engine: FaceWorkerEngine | null = null;
const deps: FaceDeps = {
  db,
  events: new ChangeBus(),
  now: Date.now,
  engine: () => engine,
  faceKey: loadOrCreateFaceKey(faceKeyStore),
  faceKeyStore,
  kioskSessions: new KioskSessions(),
};

if (env.demo && isCatalogEmpty(deps)) {
  seedDemoClinic(deps);
  log('info', 'demo.seeded', { db: env.dbFile });
}
// Demo staff logins (printed below); a clinic without the demo sets up its first admin at the desk.
if (env.demo && (await seedDemoStaff(deps, ARGON2_PRODUCTION)).length > 0)
  log('info', 'demo.staff_seeded', {});

// Audit retention (docs/sync.md): prunes audit rows older than CFD_AUDIT_RETENTION_DAYS, hourly.
const stopMaintenance = startMaintenance(deps, retention);

// Sync with the central API (docs/sync.md "Clinic side"): runs when paired (<data dir>/keys/sync.json);
// an admin pairs at the desk (POST /api/sync/pair; CFD_CENTRAL_URL is the default central URL).
const sync = startSync(deps, {
  dataDir: env.dataDir,
  ...(env.centralUrl ? { centralUrl: env.centralUrl } : {}),
  ...(env.syncBackoffMaxMs ? { backoffMaxMs: env.syncBackoffMaxMs } : {}),
});

const app = createApp(deps, {
  token: env.token,
  allowedHosts: env.allowedHosts,
  rendererDir: fs.existsSync(env.rendererDir) ? env.rendererDir : null,
  sessionKey: loadOrCreateSessionKey(env.dataDir),
  argon2: ARGON2_PRODUCTION,
  sync,
  portalInvite: portalInviter(env.dataDir),
});

const server = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, (info: AddressInfo) => {
  const base = `http://${env.host === '0.0.0.0' ? '127.0.0.1' : env.host}:${info.port}`;
  const credentials = screenCredentials(env.token);
  const urls = {
    desk: `${base}/desk/?token=${credentials.desk}`,
    kiosk: `${base}/kiosk/?token=${credentials.kiosk}`,
    display: `${base}/display/?token=${credentials.display}`,
  };
  log('info', 'server.listening', { port: info.port, host: env.host, db: env.dbFile });
  if (logEnabled('info')) {
    console.log(
      `\nClinic Front Desk is running.\n  Desk:    ${urls.desk}\n  Kiosk:   ${urls.kiosk}\n  Display: ${urls.display}\n`,
    );
    if (env.demo) {
      const logins = DEMO_LOGINS.map((l) => `  ${l.username.padEnd(8)} ${l.password.padEnd(18)} ${l.role}`);
      console.log(`Demo staff logins (PIN ${DEMO_PIN} unlocks a locked desk):\n${logins.join('\n')}\n`);
    }
  }
  const ready: ReadyMessage = { type: 'ready', port: info.port, urls };
  const parentPort = electronParentPort();
  if (parentPort) parentPort.postMessage(ready);
  else process.send?.(ready);
});

if (env.face) {
  startFaceWorker(env.modelsDir).then(
    async (e) => {
      engine = e;
      log('info', 'face.ready', { ...e.info });
      if (env.demo) {
        await seedDemoFaces(deps, e);
        ensureDemoAppointments(deps);
      }
    },
    (err: Error) => log('error', 'face.unavailable', { message: err.message }),
  );
} else {
  log('warn', 'face.disabled', { reason: 'CFD_FACE=0' });
}

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  log('info', 'server.stopping', { signal });
  server.close();
  stopMaintenance();
  await sync.stop();
  await engine?.close();
  db.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
