/**
 * The three windows (issue 11 part 2): creates them on the local server's pages, places them on screens
 * with ./screens.ts (again on every display change), remembers the desk's bounds and the clinic's screen
 * choices (./screens-store.ts), keeps the kiosk locked in kiosk mode (./kiosk-mode.ts) and the waiting-
 * room display awake with its cursor hidden. Every window gets ./security.ts's webPreferences and
 * navigation lock. Thin Electron glue: the decisions are in the pure modules and their tests.
 */
import { BrowserWindow, powerSaveBlocker, screen, type Display, type Menu, type WebContents } from 'electron';
import type { ReadyMessage } from '../../server/domain/ready.ts';
import { setKioskLocked } from './kiosk-mode.ts';
import {
  assignScreens,
  boundsVisible,
  type DisplayInfo,
  type Placement,
  type ScreenAssignment,
} from './screens.ts';
import { loadWindowState, saveWindowState, type WindowState } from './screens-store.ts';
import { lockDownContents, webPreferencesFor, type WindowRole } from './security.ts';

/** What the window manager needs from main. */
export interface WindowManagerOptions {
  /** Folder of main's bundle (the preload lies beside it). */
  mainDir: string;
  /** app.isPackaged */
  packaged: boolean;
  /** The remembered window state's file (app-paths.ts windowStateFile). */
  stateFile: string;
  /** The local server's origin, or null before its first ready. */
  origin: () => string | null;
  /** The desk window's menu (the tray's entries), rebuilt by main when its state changes. */
  deskMenu: () => Menu | null;
  /** Called when the windows moved (so the tray's radio items follow). */
  onChange?: () => void;
}

const TITLES: Record<WindowRole, string> = { desk: 'Receção', kiosk: 'Check-in', display: 'Sala de espera' };
const HIDE_CURSOR_CSS = '* { cursor: none !important; }';
const ROLES: readonly WindowRole[] = ['desk', 'kiosk', 'display'];

const displayInfo = (d: Display): DisplayInfo => ({
  id: d.id,
  bounds: d.bounds,
  workArea: d.workArea,
  touchSupport: d.touchSupport,
});

/** Creates, places and reloads the app's windows. */
export class WindowManager {
  private readonly windows = new Map<WindowRole, BrowserWindow>();
  private readonly failedLoad = new Set<WindowRole>();
  private state: WindowState;
  private urls: ReadyMessage['urls'] | null = null;
  private lastApplied = '';
  private blocker: number | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: WindowManagerOptions) {
    this.state = loadWindowState(options.stateFile);
  }

  /** The open window of a role, or null. */
  get(role: WindowRole): BrowserWindow | null {
    const win = this.windows.get(role);
    return win && !win.isDestroyed() ? win : null;
  }

  /** Which of our windows `contents` belongs to, or null (e.g. a hidden print window). */
  roleOf(contents: WebContents): WindowRole | null {
    return ROLES.find((role) => this.get(role)?.webContents === contents) ?? null;
  }

  /** The current assignment for the connected displays. */
  assignment(): ScreenAssignment {
    return assignScreens(
      screen.getAllDisplays().map(displayInfo),
      screen.getPrimaryDisplay().id,
      this.state.choices,
      this.state.desk.bounds,
    );
  }

  /**
   * On a ready message: the first time opens the three windows; after a restart the server keeps its port
   * and launch secret (main sets CFD_TOKEN once), so open pages reconnect by themselves and only windows
   * that failed to load (or were closed) are (re)loaded.
   */
  onReady(urls: ReadyMessage['urls']): void {
    this.urls = urls;
    const placement = this.assignment();
    for (const role of ROLES) {
      const win = this.get(role);
      if (!win) this.create(role, urls[role], placement[role]);
      else if (this.failedLoad.has(role)) void win.loadURL(urls[role]);
    }
    this.lastApplied = JSON.stringify(placement);
  }

  /** Shows the desk (re-creating it if it was closed). */
  openDesk(): void {
    const desk = this.get('desk');
    if (desk) {
      if (desk.isMinimized()) desk.restore();
      desk.show();
      desk.focus();
    } else if (this.urls) this.create('desk', this.urls.desk, this.assignment().desk);
  }

  /**
   * Reopens the kiosk or display window if it was closed, and places both again: the kiosk goes back into
   * kiosk mode after a staff exit (tray "Restore the kiosk and display").
   */
  restoreScreens(): void {
    const placement = this.assignment();
    for (const role of ['kiosk', 'display'] as const) {
      const win = this.get(role);
      if (win) this.place(role, win, placement[role]);
      else if (this.urls) this.create(role, this.urls[role], placement[role]);
    }
    this.lastApplied = JSON.stringify(placement);
    this.options.onChange?.();
  }

  /**
   * Remembers the clinic's choice of screen for the kiosk or display and places the windows again.
   * @param role 'kiosk' or 'display'
   * @param displayId an id of screen.getAllDisplays()
   */
  move(role: 'kiosk' | 'display', displayId: number): void {
    this.state = {
      ...this.state,
      choices: { ...this.state.choices, [role]: { ...this.state.choices[role], displayId } },
    };
    saveWindowState(this.options.stateFile, this.state);
    this.reapply();
  }

  /** Re-places the windows after a display change; no-op when the assignment is unchanged. */
  reapply(): void {
    const placement = this.assignment();
    const key = JSON.stringify(placement);
    if (key === this.lastApplied) return;
    this.lastApplied = key;
    const displays = screen.getAllDisplays().map(displayInfo);
    const desk = this.get('desk');
    if (desk && !boundsVisible(desk.getBounds(), displays)) desk.setBounds(placement.desk.bounds);
    for (const role of ['kiosk', 'display'] as const) {
      const win = this.get(role);
      if (win) this.place(role, win, placement[role]);
    }
    this.options.onChange?.();
  }

  /** Saves the desk's bounds now and ends the power-save blocker (on quit). */
  close(): void {
    this.saveDesk();
    if (this.blocker !== null && powerSaveBlocker.isStarted(this.blocker))
      powerSaveBlocker.stop(this.blocker);
    this.blocker = null;
  }

  /** Rebuilds the desk's menu (after the tray state changed). */
  refreshMenu(): void {
    this.get('desk')?.setMenu(this.options.deskMenu());
  }

  private place(role: WindowRole, win: BrowserWindow, p: Placement): void {
    if (role === 'kiosk') setKioskLocked(win, false);
    if (win.isFullScreen()) win.setFullScreen(false);
    win.setBounds(p.bounds);
    if (role === 'kiosk' && p.kiosk) setKioskLocked(win, true);
    else if (p.fullscreen) win.setFullScreen(true);
  }

  private create(role: WindowRole, url: string, p: Placement): void {
    const win = new BrowserWindow({
      ...p.bounds,
      title: TITLES[role],
      show: false,
      autoHideMenuBar: true,
      backgroundColor: role === 'display' ? '#000000' : '#ffffff',
      webPreferences: webPreferencesFor(role, {
        mainDir: this.options.mainDir,
        packaged: this.options.packaged,
      }),
    });
    this.windows.set(role, win);
    lockDownContents(win.webContents, this.options.origin, this.options.packaged);
    win.setMenu(role === 'desk' ? this.options.deskMenu() : null);
    if (role !== 'desk') this.place(role, win, p);
    else if (this.state.desk.maximized) win.maximize();
    win.once('ready-to-show', () => win.show());
    win.webContents.on('did-fail-load', (_e, _code, _desc, _url, isMainFrame) => {
      if (isMainFrame) this.failedLoad.add(role);
    });
    win.webContents.on('did-finish-load', () => {
      this.failedLoad.delete(role);
      if (role === 'display') void win.webContents.insertCSS(HIDE_CURSOR_CSS);
    });
    // A crashed renderer comes back on its own page.
    win.webContents.on('render-process-gone', () => {
      if (!win.isDestroyed() && this.urls) void win.loadURL(this.urls[role]);
    });
    if (role === 'display') this.blocker = powerSaveBlocker.start('prevent-display-sleep');
    if (role === 'desk') {
      const later = () => {
        if (this.saveTimer) clearTimeout(this.saveTimer);
        this.saveTimer = setTimeout(() => this.saveDesk(), 1000);
      };
      win.on('resize', later);
      win.on('move', later);
      win.on('close', () => this.saveDesk());
    }
    win.on('closed', () => {
      this.windows.delete(role);
      if (role === 'display' && this.blocker !== null) {
        powerSaveBlocker.stop(this.blocker);
        this.blocker = null;
      }
    });
    void win.loadURL(url);
  }

  private saveDesk(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const desk = this.get('desk');
    if (!desk) return;
    this.state = { ...this.state, desk: { bounds: desk.getNormalBounds(), maximized: desk.isMaximized() } };
    try {
      saveWindowState(this.options.stateFile, this.state);
    } catch (err) {
      console.warn(`window state not saved: ${(err as Error).message}`);
    }
  }
}
