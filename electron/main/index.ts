/**
 * Electron main, thin (issue 11): wires the supervised local server (./supervisor.ts through
 * ./server-host.ts), the windows and screens (./windows.ts, ./screens.ts), the session and window
 * security (./security.ts), the tray (./tray.ts), IPC (./ipc-electron.ts), logging and updates
 * (./logging.ts, ./updates.ts). Every decision lives in those modules' pure functions and their tests.
 * Main never touches SQLite or the face engine (CONVENTIONS: process model); it does hold the
 * face-descriptor key wrapped by the OS (./face-key.ts) and passes it to the server.
 * With CFD_DEMO_CAMERA=<clip> the kiosk's camera plays that clip (Chromium's fake-camera switches).
 */
import {
  app,
  dialog,
  Menu,
  nativeImage,
  screen,
  session,
  Tray,
  type MenuItemConstructorOptions,
} from 'electron';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { ReadyMessage } from '../../server/domain/ready.ts';
import { appPaths, demoEnv, serverPathEnv } from './app-paths.ts';
import {
  decideFaceKey,
  faceKeyEnv,
  faceKeyFilesFor,
  handleFaceKeyMessage,
  type FaceKeyDecision,
} from './face-key.ts';
import { registerElectronIpc, tokenOf } from './ipc-electron.ts';
import { setKioskLocked } from './kiosk-mode.ts';
import { setupLogging } from './logging.ts';
import { safeStorageProtector } from './safe-storage.ts';
import { lockDownSession } from './security.ts';
import { createServerHost } from './server-host.ts';
import type { SupervisorState } from './supervisor.ts';
import { failureDialog } from './supervisor-dialog.ts';
import { aboutText, TRAY_ICON_DATA_URL, trayLang, trayMenuTemplate, type TrayActions } from './tray.ts';
import { setupAutoUpdate } from './updates.ts';
import { WindowManager } from './windows.ts';

const demoCamera = process.env.CFD_DEMO_CAMERA;
if (demoCamera && fs.existsSync(demoCamera)) {
  app.commandLine.appendSwitch('use-fake-device-for-media-stream');
  app.commandLine.appendSwitch('use-file-for-fake-video-capture', demoCamera);
}

if (!app.requestSingleInstanceLock()) app.quit();
else void app.whenReady().then(main);

function main() {
  const { logFile } = setupLogging();
  const paths = appPaths({
    packaged: app.isPackaged,
    userData: app.getPath('userData'),
    mainDir: __dirname,
    resourcesPath: process.resourcesPath,
    env: process.env,
  });
  const lang = trayLang(app.getLocale());
  // One launch secret for the app's lifetime: a restarted server derives the same screen credentials,
  // so the open pages' cookies stay valid and they reconnect by themselves.
  const launchSecret = randomBytes(24).toString('base64url');
  let info: ReadyMessage | null = null;
  const origin = () => (info ? new URL(info.urls.desk).origin : null);
  let serverState: SupervisorState['kind'] = 'starting';
  let tray: Tray | null = null;

  const actions: TrayActions = {
    openDesk: () => windows.openDesk(),
    restoreScreens: () => windows.restoreScreens(),
    moveWindow: (role, displayId) => windows.move(role, displayId),
    setOpenAtLogin: (openAtLogin) => {
      app.setLoginItemSettings({ openAtLogin });
      refreshMenus();
    },
    showAbout: () =>
      void dialog.showMessageBox({
        type: 'info',
        title: 'Clinic Front Desk',
        message: aboutText({
          app: app.getVersion(),
          electron: process.versions.electron,
          chrome: process.versions.chrome,
          node: process.versions.node,
        }),
      }),
    restartServer: () => supervisor.retry(),
    quit: () => app.quit(),
  };
  const menuTemplate = (): MenuItemConstructorOptions[] => {
    const placement = windows.assignment();
    return trayMenuTemplate(
      {
        lang,
        displays: screen.getAllDisplays().map((d) => ({
          id: d.id,
          label: d.label || `${d.size.width}×${d.size.height}`,
          primary: d.id === screen.getPrimaryDisplay().id,
        })),
        placement: {
          kiosk: windows.get('kiosk') ? placement.kiosk.displayId : null,
          display: windows.get('display') ? placement.display.displayId : null,
        },
        openAtLogin: app.getLoginItemSettings().openAtLogin,
        server: serverState,
        versions: {
          app: app.getVersion(),
          electron: process.versions.electron,
          chrome: process.versions.chrome,
          node: process.versions.node,
        },
      },
      actions,
    );
  };
  const refreshMenus = () => {
    tray?.setContextMenu(Menu.buildFromTemplate(menuTemplate()));
    windows.refreshMenu();
  };

  const windows: WindowManager = new WindowManager({
    mainDir: __dirname,
    packaged: app.isPackaged,
    stateFile: paths.windowStateFile,
    origin,
    deskMenu: (): Menu => Menu.buildFromTemplate([{ label: 'Clinic Front Desk', submenu: menuTemplate() }]),
    onChange: () => refreshMenus(),
  });
  lockDownSession(session.defaultSession, origin, (contents) => windows.roleOf(contents), app.isPackaged);
  registerElectronIpc({
    getWindow: (role) => windows.get(role),
    origin,
    kioskToken: () => (info ? tokenOf(info.urls.kiosk) : null),
    setKioskLocked,
    roleOf: (contents) => windows.roleOf(contents),
    // The same move as the tray's: the choice is remembered and survives plugging screens.
    moveWindow: (role, displayId) => windows.move(role, displayId),
  });

  const protector = safeStorageProtector();
  let faceKey: FaceKeyDecision['mode'] = 'env';
  // Read at every (re)start, so a restarted server gets the key as last rotated.
  const serverEnv = (): NodeJS.ProcessEnv => {
    const decision = decideFaceKey({ ...process.env, CFD_DATA_DIR: paths.dataDir }, protector);
    if (decision.mode === 'plain-file' && faceKey !== 'plain-file')
      console.warn(`face key: ${decision.reason}; the local server keeps its own 0600 key file`);
    faceKey = decision.mode;
    return {
      ...process.env,
      ...serverPathEnv(paths),
      ...demoEnv(app.isPackaged, process.env),
      CFD_TOKEN: launchSecret,
      ...faceKeyEnv(decision),
    };
  };

  let dialogOpen = false;
  const supervisor = createServerHost(paths.serverEntry, {
    env: serverEnv,
    onReady: (ready) => {
      info = ready;
      windows.onReady(ready.urls);
      refreshMenus();
    },
    onRequest: (msg) =>
      handleFaceKeyMessage(msg, {
        wrappedFile: faceKeyFilesFor(paths.dataDir).wrappedFile,
        protector,
        holdsKey: faceKey === 'wrapped',
      }),
    onState: (state) => {
      serverState = state.kind;
      if (state.kind === 'restarting')
        console.error(`local server exited (${state.exitCode}); restarting in ${state.delayMs} ms`);
      if (state.kind === 'failed') {
        console.error(`local server: ${state.reason}: ${state.message}`);
        if (!dialogOpen) {
          dialogOpen = true;
          const box = failureDialog(state.reason, state.message, logFile, lang);
          void dialog
            .showMessageBox({ type: 'error', ...box, defaultId: 0, cancelId: 1, noLink: true })
            .then(({ response }) => {
              dialogOpen = false;
              if (response === 0) supervisor.retry();
              else app.quit();
            });
        }
      }
      refreshMenus();
    },
  });

  tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON_DATA_URL));
  tray.setToolTip('Clinic Front Desk');
  refreshMenus();
  screen.on('display-added', () => windows.reapply());
  screen.on('display-removed', () => windows.reapply());
  screen.on('display-metrics-changed', () => windows.reapply());
  app.on('second-instance', () => windows.openDesk());

  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    windows.close();
    updates.stop();
    // The server closes its database on SIGTERM; quit once it has exited (or after 5 s).
    void supervisor.stop().finally(() => app.quit());
  });

  const updates = setupAutoUpdate(process.env.CFD_UPDATE_URL, { isPackaged: app.isPackaged });
  supervisor.start();
}

app.on('window-all-closed', () => app.quit());
