/**
 * The tray menu (issue 11 part 7), built by a pure function of the app's state so unit tests check every
 * entry: open the desk, restore the kiosk and display (re-locking the kiosk after a staff exit), move the waiting-room display (and the check-in kiosk) to a screen, start at
 * login, the local server's state, "About" with the versions, quit. Labels in PT-PT (formal) or English
 * by the system language. index.ts turns the template into a Tray menu (and the desk window's menu).
 */
import type { MenuItemConstructorOptions } from 'electron';

/** Menu language: Portuguese (Portugal) or English. */
export type TrayLang = 'pt' | 'en';

/** A connected screen, as the menu lists it. */
export interface TrayDisplay {
  id: number;
  /** The OS's name for it, or its size. */
  label: string;
  primary: boolean;
}

/** The versions shown in "About". */
export interface AppVersions {
  app: string;
  electron: string;
  chrome: string;
  node: string;
}

/** What the menu shows. */
export interface TrayState {
  lang: TrayLang;
  displays: readonly TrayDisplay[];
  /** The display id the kiosk and the display windows are on now (null: not open). */
  placement: { kiosk: number | null; display: number | null };
  /** app.getLoginItemSettings().openAtLogin */
  openAtLogin: boolean;
  /** The supervisor's state kind (./supervisor.ts). */
  server: 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';
  versions: AppVersions;
}

/** What the menu's entries do. */
export interface TrayActions {
  openDesk(): void;
  /** Reopens a closed kiosk or display window and places both again (locking the kiosk after a staff exit). */
  restoreScreens(): void;
  moveWindow(role: 'kiosk' | 'display', displayId: number): void;
  setOpenAtLogin(open: boolean): void;
  showAbout(): void;
  restartServer(): void;
  quit(): void;
}

/** A 16 × 16 PNG tray icon (a white cross on a blue disc) as a data URL. */
export const TRAY_ICON_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAOElEQVR4nGNgoDaQz9/6Hx+mSDNeQ4jVjNUQbArQAV5DqGoAITASDBiYWKA4IVElKRNrCF7N5AAAsiDXSKzOWxMAAAAASUVORK5CYII=';

const LABELS = {
  pt: {
    title: 'Clinic Front Desk',
    openDesk: 'Abrir receção',
    restoreScreens: 'Repor check-in e sala de espera',
    moveDisplay: 'Ecrã da sala de espera',
    moveKiosk: 'Ecrã do check-in',
    primary: 'principal',
    openAtLogin: 'Iniciar com o sistema',
    about: 'Acerca do Clinic Front Desk',
    restart: 'Reiniciar o servidor local',
    quit: 'Sair',
    server: {
      starting: 'Servidor local: a iniciar…',
      ready: 'Servidor local: a funcionar',
      restarting: 'Servidor local: a reiniciar…',
      failed: 'Servidor local: parado por erro',
      stopped: 'Servidor local: parado',
    },
  },
  en: {
    title: 'Clinic Front Desk',
    openDesk: 'Open the desk',
    restoreScreens: 'Restore the kiosk and display',
    moveDisplay: 'Waiting-room display screen',
    moveKiosk: 'Check-in kiosk screen',
    primary: 'primary',
    openAtLogin: 'Start at login',
    about: 'About Clinic Front Desk',
    restart: 'Restart the local server',
    quit: 'Quit',
    server: {
      starting: 'Local server: starting…',
      ready: 'Local server: running',
      restarting: 'Local server: restarting…',
      failed: 'Local server: stopped by an error',
      stopped: 'Local server: stopped',
    },
  },
} as const;

/**
 * The menu language for a locale (app.getLocale()): Portuguese for any pt-*, else English.
 * @param locale e.g. 'pt-PT', 'pt', 'en-GB'
 */
export function trayLang(locale: string): TrayLang {
  return locale.toLowerCase().startsWith('pt') ? 'pt' : 'en';
}

/**
 * The "About" text: app, Electron, Chromium and Node versions, one per line.
 * @param versions the app's (app.getVersion()) and process.versions' electron, chrome, node
 */
export function aboutText(versions: AppVersions): string {
  return [
    `Clinic Front Desk ${versions.app}`,
    `Electron ${versions.electron}`,
    `Chromium ${versions.chrome}`,
    `Node.js ${versions.node}`,
  ].join('\n');
}

/**
 * The tray menu's template (rules in the module comment). The screen submenus list every display as a
 * radio item, checked where the window is now; "Restart the local server" is enabled only after it failed.
 */
export function trayMenuTemplate(state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  const t = LABELS[state.lang];
  const screens = (role: 'kiosk' | 'display'): MenuItemConstructorOptions[] =>
    state.displays.map((d, i) => ({
      label: `${i + 1}. ${d.label}${d.primary ? ` (${t.primary})` : ''}`,
      type: 'radio',
      checked: state.placement[role] === d.id,
      click: () => actions.moveWindow(role, d.id),
    }));
  return [
    { label: t.openDesk, click: () => actions.openDesk() },
    { label: t.restoreScreens, click: () => actions.restoreScreens() },
    { type: 'separator' },
    { label: t.moveDisplay, submenu: screens('display') },
    { label: t.moveKiosk, submenu: screens('kiosk') },
    { type: 'separator' },
    {
      label: t.openAtLogin,
      type: 'checkbox',
      checked: state.openAtLogin,
      click: () => actions.setOpenAtLogin(!state.openAtLogin),
    },
    { label: t.server[state.server], enabled: false },
    { label: t.restart, enabled: state.server === 'failed', click: () => actions.restartServer() },
    { type: 'separator' },
    { label: t.about, click: () => actions.showAbout() },
    { label: t.quit, click: () => actions.quit() },
  ];
}
