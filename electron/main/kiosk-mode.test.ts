/** Small tests of the kiosk lock (./kiosk-mode.ts) on a fake window that records its state. */
import { describe, expect, it } from 'vitest';
import { isKioskLocked, setKioskLocked, type KioskWindow } from './kiosk-mode.ts';

/** A fake window keeping the last value each setter received. */
function fakeWindow(destroyed = false) {
  const state: Record<string, unknown> = {};
  const win = {
    setKiosk: (v: boolean) => void (state.kiosk = v),
    setMenuBarVisibility: (v: boolean) => void (state.menuBarVisible = v),
    setAutoHideMenuBar: (v: boolean) => void (state.autoHideMenuBar = v),
    setClosable: (v: boolean) => void (state.closable = v),
    setMinimizable: (v: boolean) => void (state.minimizable = v),
    setAlwaysOnTop: (v: boolean, level?: string) => void (state.alwaysOnTop = level ? `${v}:${level}` : v),
    setSkipTaskbar: (v: boolean) => void (state.skipTaskbar = v),
    isDestroyed: () => destroyed,
  } as unknown as KioskWindow;
  return { win, state };
}

describe('setKioskLocked', () => {
  it('locks: kiosk mode, no menu bar, not closable or minimisable, on top, out of the taskbar', () => {
    const { win, state } = fakeWindow();
    setKioskLocked(win, true);
    expect(state).toEqual({
      kiosk: true,
      autoHideMenuBar: true,
      menuBarVisible: false,
      closable: false,
      minimizable: false,
      alwaysOnTop: 'true:screen-saver',
      skipTaskbar: true,
    });
    expect(isKioskLocked(win)).toBe(true);
  });

  it('unlocks back to an ordinary window', () => {
    const { win, state } = fakeWindow();
    setKioskLocked(win, true);
    setKioskLocked(win, false);
    expect(state).toEqual({
      kiosk: false,
      autoHideMenuBar: false,
      menuBarVisible: true,
      closable: true,
      minimizable: true,
      alwaysOnTop: false,
      skipTaskbar: false,
    });
    expect(isKioskLocked(win)).toBe(false);
  });

  it('ignores a destroyed window', () => {
    const { win, state } = fakeWindow(true);
    setKioskLocked(win, true);
    expect(state).toEqual({});
    expect(isKioskLocked(win)).toBe(false);
  });
});
