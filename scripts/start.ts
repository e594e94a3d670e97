/**
 * `npm start`: runs the Electron app when its binary is installed; otherwise (as on machines installed with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1) starts the local server alone and prints the desk, kiosk and display URLs,
 * plus the Chromium command that shows a face check-in with the demo camera clip. Beside it, in both cases,
 * the central API with the patient portal (server/central/main.ts), which seeds the same demo clinic; with
 * the demo on, the clinic is then paired with that central API (scripts/demo-sync.ts) so portal bookings
 * reach the desk and check-ins reach the portal.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT_DIR } from '../server/clinic/paths.ts';
import { ensureDemoCamera } from './demo-camera.ts';
import { pairDemoClinic } from './demo-sync.ts';
import { DEMO_LOGINS } from '../server/clinic/seed/staff.ts';

const require = createRequire(import.meta.url);
const dataDir = process.env.CFD_DATA_DIR ?? path.join(ROOT_DIR, 'data');
const camera = await ensureDemoCamera(dataDir);

function electronBinary(): string | null {
  try {
    const bin = require('electron') as unknown as string;
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null; // the npm package throws when its binary was not downloaded
  }
}

const electron = electronBinary();
const env = { ...process.env, CFD_DATA_DIR: dataDir, CFD_DEMO_CAMERA: process.env.CFD_DEMO_CAMERA ?? camera };
const child = electron
  ? spawn(electron, [ROOT_DIR], { stdio: 'inherit', env })
  : spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'server/clinic/main.ts')], {
      stdio: 'inherit',
      env,
    });

if (!electron) {
  console.log(
    [
      'Electron is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD): running the local server only.',
      'Open the Desk, Kiosk and Display URLs printed below in Chromium. To watch a face check-in with the demo',
      'camera (a clip of "Alice Demo", booked a few minutes from now), start Chromium like this and open the Kiosk URL:',
      `  chromium --use-fake-ui-for-media-stream --use-fake-device-for-media-stream --use-file-for-fake-video-capture=${camera}`,
    ].join('\n'),
  );
}
// The central API with the patient portal, beside the clinic (embedded PGlite and SMTP sink unless
// DATABASE_URL / SMTP_URL say otherwise). It prints the portal, mailbox and demo login.
const centralDataDir = process.env.CENTRAL_DATA_DIR ?? path.join(dataDir, 'central');
const central = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'server/central/main.ts')], {
  stdio: 'inherit',
  env: { ...process.env, CENTRAL_DATA_DIR: centralDataDir },
});

// The demo clinic syncs with the embedded central API (a real clinic pairs at the desk, README "Sync").
if ((process.env.CFD_DEMO ?? '1') === '1' && (process.env.CENTRAL_DEMO ?? '1') !== '0') {
  void pairDemoClinic({
    clinicUrl: `http://127.0.0.1:${process.env.CFD_PORT ?? 4310}`,
    centralUrl: `http://127.0.0.1:${process.env.CENTRAL_PORT ?? 4320}`,
    centralDataDir,
    admin: { username: DEMO_LOGINS[0]!.username, password: DEMO_LOGINS[0]!.password },
  }).then(
    (line) => console.log(line),
    (err: Error) => console.error(`Sync: pairing the demo clinic failed (${err.message}); pair at the desk.`),
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    child.kill(signal);
    central.kill(signal);
  });
child.on('exit', (code) => {
  central.kill('SIGTERM');
  process.exit(code ?? 0);
});
central.on('exit', (code) => {
  if (code) console.error(`The central API stopped (exit ${code}); the clinic keeps running.`);
});
