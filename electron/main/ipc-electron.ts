/**
 * The real dependencies of `registerIpc` (./ipc.ts) from Electron: ipcMain, the app version, displays
 * and window moves (`screen`), the local server's PIN check, printing through a hidden window
 * (./print.ts), and the settings file under userData. E1 wires it in electron/main/index.ts:
 * `registerElectronIpc({ getWindow, origin, kioskToken, setKioskLocked })`.
 */
import { app, BrowserWindow, ipcMain, screen, type WebContents } from 'electron';
import path from 'node:path';
import type { PrintOutcome, PrintSettings } from '../shared/ipc-contract.ts';
import { httpPinChecker, IpcError, registerIpc, type PrintJob } from './ipc.ts';
import { fileSettingsStore } from './ipc-settings.ts';
import { printPlan, runPrint, TICKET_PAGE } from './print.ts';

/** What main's index.ts gives: its windows, the server's origin and kiosk credential, kiosk mode. */
export interface ElectronIpcOptions {
  /** The window of a screen, or null when it is not open. */
  getWindow(name: 'desk' | 'kiosk' | 'display'): BrowserWindow | null;
  /** The local server's origin (from the ready message), or null before it. */
  origin(): string | null;
  /** The kiosk's launch credential (the `token` query of the ready message's kiosk URL), or null. */
  kioskToken(): string | null;
  /** E1's kiosk-mode switch (electron/main/kiosk-mode.ts `setKioskLocked`). */
  setKioskLocked(win: BrowserWindow, locked: boolean): void;
  /** Which of main's windows a webContents is (E1's `windows.roleOf`); when given, ipc.ts checks it too. */
  roleOf?(contents: WebContents): 'desk' | 'kiosk' | 'display' | null;
  /**
   * Moves the kiosk or display window to a screen and remembers the choice (E1's `windows.move`, as the
   * tray does); absent, the window is only moved.
   */
  moveWindow?(window: 'kiosk' | 'display', displayId: number): void;
}

/** The `token` query of a screen URL, or null (e.g. the kiosk URL of the ready message). */
export function tokenOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get('token');
  } catch {
    return null;
  }
}

async function printInHiddenWindow(
  job: PrintJob,
  role: 'ticket' | 'receipt',
  settings: PrintSettings,
): Promise<PrintOutcome> {
  const win = new BrowserWindow({
    show: false,
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, javascript: false },
  });
  try {
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    const url =
      job.kind === 'html' ? `data:text/html;charset=utf-8,${encodeURIComponent(job.html)}` : job.url;
    await win.loadURL(url);
    const printers = await win.webContents.getPrintersAsync();
    const plan = printPlan(settings[role], printers);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const { reason: _reason, ...outcome } = await runPrint(win.webContents, plan, {
      dir: path.join(app.getPath('userData'), 'prints'),
      fileName: `${role}-${stamp}`,
      ...(role === 'ticket' ? { pageSize: TICKET_PAGE } : {}),
    });
    return outcome;
  } catch (err) {
    throw new IpcError('print_failed', (err as Error).message);
  } finally {
    win.destroy();
  }
}

/** Registers every IPC channel with Electron's real dependencies (see the module doc). */
export function registerElectronIpc(options: ElectronIpcOptions): void {
  const settings = fileSettingsStore(path.join(app.getPath('userData'), 'native-settings.json'));
  const windowNames = ['desk', 'kiosk', 'display'] as const;
  registerIpc({
    ipcMain,
    origin: options.origin,
    ...(options.roleOf ? { senderRole: (sender: unknown) => options.roleOf!(sender as WebContents) } : {}),
    appVersion: () => ({ version: app.getVersion(), packaged: app.isPackaged }),
    displays: () => {
      const primary = screen.getPrimaryDisplay().id;
      return screen.getAllDisplays().map((d) => ({
        id: d.id,
        label: d.label || `${d.size.width}×${d.size.height}`,
        bounds: d.bounds,
        primary: d.id === primary,
        windows: windowNames.filter((n) => {
          const win = options.getWindow(n);
          return win !== null && !win.isDestroyed() && screen.getDisplayMatching(win.getBounds()).id === d.id;
        }),
      }));
    },
    moveWindow: (name, displayId) => {
      const display = screen.getAllDisplays().find((d) => d.id === displayId);
      if (!display) throw new IpcError('no_display', `no display ${displayId}`);
      if (options.moveWindow) return options.moveWindow(name, displayId);
      const win = options.getWindow(name);
      if (!win || win.isDestroyed()) throw new IpcError('no_window', `${name} is not open`);
      const full = win.isFullScreen();
      if (full) win.setFullScreen(false);
      win.setBounds(display.bounds);
      if (full) win.setFullScreen(true);
    },
    checkKioskPin: httpPinChecker(options.origin, options.kioskToken),
    leaveKioskMode: () => {
      const win = options.getWindow('kiosk');
      if (!win || win.isDestroyed()) throw new IpcError('no_window', 'the kiosk is not open');
      options.setKioskLocked(win, false);
    },
    printers: async () => {
      const wc = options.getWindow('desk')?.webContents ?? options.getWindow('kiosk')?.webContents;
      if (!wc) return [];
      return (await wc.getPrintersAsync()).map((p) => ({
        name: p.name,
        displayName: p.displayName || p.name,
        isDefault: Boolean((p as { isDefault?: boolean }).isDefault),
      }));
    },
    print: printInHiddenWindow,
    settings,
  });
}
