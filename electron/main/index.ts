/**
 * Electron main, thin: starts the local server as a child, then opens the desk, kiosk and display windows
 * on its pages. It never touches SQLite or the face engine (CONVENTIONS: process model); it does hold the
 * face-descriptor key wrapped by the OS (./face-key.ts) and passes it to the server.
 * With CFD_DEMO_CAMERA=<clip> the kiosk's camera plays that clip (Chromium's fake-camera switches).
 */
import { app, BrowserWindow, dialog, screen } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { lockDownContents, lockDownSession, secureWebPreferences } from './security.ts';
import type { ReadyMessage, Screen } from '../../server/domain/ready.ts';
import {
  decideFaceKey,
  faceKeyEnv,
  faceKeyFilesFor,
  handleFaceKeyMessage,
  type FaceKeyDecision,
} from './face-key.ts';
import { safeStorageProtector } from './safe-storage.ts';
import { startServerHost } from './server-host.ts';

const root = path.resolve(__dirname, '../..');
const demoCamera = process.env.CFD_DEMO_CAMERA;
if (demoCamera && fs.existsSync(demoCamera)) {
  app.commandLine.appendSwitch('use-fake-device-for-media-stream');
  app.commandLine.appendSwitch('use-file-for-fake-video-capture', demoCamera);
}

if (!app.requestSingleInstanceLock()) app.quit();

const windows = new Map<Screen, BrowserWindow>();

function open(name: Screen, url: string, bounds: Electron.Rectangle, fullscreen: boolean) {
  const existing = windows.get(name);
  if (existing && !existing.isDestroyed()) return void existing.loadURL(url);
  const win = new BrowserWindow({
    ...bounds,
    title: { desk: 'Receção', kiosk: 'Check-in', display: 'Sala de espera' }[name],
    fullscreen,
    autoHideMenuBar: true,
    webPreferences: { ...secureWebPreferences(), devTools: !app.isPackaged },
  });
  lockDownContents(win.webContents, new URL(url).origin);
  void win.loadURL(url);
  windows.set(name, win);
}

function openWindows(info: ReadyMessage) {
  lockDownSession(new URL(info.urls.desk).origin);
  const displays = screen.getAllDisplays();
  const primary = screen.getPrimaryDisplay().workArea;
  const second = displays.find((d) => d.id !== screen.getPrimaryDisplay().id)?.bounds;
  open(
    'desk',
    info.urls.desk,
    {
      x: primary.x,
      y: primary.y,
      width: Math.min(1280, primary.width),
      height: Math.min(860, primary.height),
    },
    false,
  );
  open('kiosk', info.urls.kiosk, { x: primary.x + 40, y: primary.y + 40, width: 800, height: 1000 }, false);
  // The display goes full screen on a second screen when there is one.
  open(
    'display',
    info.urls.display,
    second ?? { x: primary.x + 80, y: primary.y + 80, width: 1280, height: 720 },
    Boolean(second),
  );
}

void app.whenReady().then(() => {
  const dataDir = process.env.CFD_DATA_DIR ?? path.join(app.getPath('userData'), 'data');
  const protector = safeStorageProtector();
  let faceKey: FaceKeyDecision['mode'] = 'env';
  // Read at every (re)start, so a restarted server gets the key as last rotated.
  const serverEnv = (): NodeJS.ProcessEnv => {
    const decision = decideFaceKey({ ...process.env, CFD_DATA_DIR: dataDir }, protector);
    if (decision.mode === 'plain-file' && faceKey !== 'plain-file')
      console.warn(`face key: ${decision.reason}; the local server keeps its own 0600 key file`);
    faceKey = decision.mode;
    return {
      ...process.env,
      CFD_DATA_DIR: dataDir,
      CFD_MODELS_DIR: path.join(root, 'models'),
      CFD_RENDERER_DIR: path.join(root, 'dist/renderer'),
      ...faceKeyEnv(decision),
    };
  };
  try {
    serverEnv();
  } catch (err) {
    // A wrapped key that cannot be unwrapped: stop rather than start with a new key (orphaned enrolments).
    dialog.showErrorBox('Clinic Front Desk: face key', (err as Error).message);
    app.quit();
    return;
  }
  const stop = startServerHost(path.join(root, 'dist/clinic/main.mjs'), serverEnv, openWindows, (msg) =>
    handleFaceKeyMessage(msg, {
      wrappedFile: faceKeyFilesFor(dataDir).wrappedFile,
      protector,
      holdsKey: faceKey === 'wrapped',
    }),
  );
  app.on('before-quit', stop);
});

app.on('window-all-closed', () => app.quit());
