/**
 * Kiosk lock of the check-in window (issue 11 part 2): locked, the window is in Electron's kiosk mode
 * (full screen, no menu bar, cannot be closed, minimised or hidden behind other windows); unlocked, it is
 * an ordinary window staff can use or close. The PIN check lives in E2's IPC handler
 * (electron/main/ipc*.ts), which calls `setKioskLocked(win, false)` after a valid staff PIN.
 *
 * Plain functions over the few BrowserWindow methods they use, so unit tests pass a fake window.
 */
import type { BrowserWindow } from 'electron';

/** The BrowserWindow methods the kiosk lock uses; a real BrowserWindow satisfies it. */
export type KioskWindow = Pick<
  BrowserWindow,
  | 'setKiosk'
  | 'setMenuBarVisibility'
  | 'setAutoHideMenuBar'
  | 'setClosable'
  | 'setMinimizable'
  | 'setAlwaysOnTop'
  | 'setSkipTaskbar'
  | 'isDestroyed'
>;

/** Windows currently locked (tracked here so `isKioskLocked` needs no Electron getter). */
const locked = new WeakSet<KioskWindow>();

/**
 * Locks (`true`) or unlocks (`false`) the kiosk window. Locking: kiosk mode on, menu bar hidden, not
 * closable or minimisable, always on top at 'screen-saver' level, out of the taskbar. Unlocking reverses
 * each of them. A destroyed window is ignored.
 * @param win the kiosk BrowserWindow
 * @param isLocked true to lock, false to let staff out
 */
export function setKioskLocked(win: KioskWindow, isLocked: boolean): void {
  if (win.isDestroyed()) return;
  win.setKiosk(isLocked);
  win.setAutoHideMenuBar(isLocked);
  win.setMenuBarVisibility(!isLocked);
  win.setClosable(!isLocked);
  win.setMinimizable(!isLocked);
  if (isLocked) win.setAlwaysOnTop(true, 'screen-saver');
  else win.setAlwaysOnTop(false);
  win.setSkipTaskbar(isLocked);
  if (isLocked) locked.add(win);
  else locked.delete(win);
}

/** Whether `setKioskLocked(win, true)` was the last call for `win`. */
export function isKioskLocked(win: KioskWindow): boolean {
  return locked.has(win);
}
