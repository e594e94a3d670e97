/**
 * Small tests of screen assignment (./screens.ts) through plug/unplug sequences, and of the remembered
 * window state (./screens-store.ts) on real files in a temp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assignScreens,
  boundsVisible,
  DEFAULT_SCREEN_CHOICES,
  type DisplayInfo,
  type ScreenChoices,
} from './screens.ts';
import { DEFAULT_WINDOW_STATE, loadWindowState, parseWindowState, saveWindowState } from './screens-store.ts';

/** A display at x with the given size; its work area is 40 DIP shorter (a taskbar). */
function display(id: number, x: number, width: number, height: number, touch = false): DisplayInfo {
  return {
    id,
    bounds: { x, y: 0, width, height },
    workArea: { x, y: 0, width, height: height - 40 },
    touchSupport: touch ? 'available' : 'unknown',
  };
}

const LAPTOP = display(1, 0, 1920, 1080);
const TOUCH = display(2, 1920, 1080, 1920, true);
const TV = display(3, 3000, 3840, 2160);
const SMALL_TV = display(4, 6840, 1366, 768);

const choose = (kiosk: number | null, displayId: number | null, force = false): ScreenChoices => ({
  kiosk: { displayId: kiosk, forceFullscreen: force },
  display: { displayId, forceFullscreen: force },
});

/** Compact view: role → [display id, fullscreen, kiosk]. */
const where = (displays: DisplayInfo[], choices: ScreenChoices = DEFAULT_SCREEN_CHOICES) => {
  const a = assignScreens(displays, 1, choices, null);
  return {
    desk: [a.desk.displayId, a.desk.fullscreen, a.desk.kiosk],
    kiosk: [a.kiosk.displayId, a.kiosk.fullscreen, a.kiosk.kiosk],
    display: [a.display.displayId, a.display.fullscreen, a.display.kiosk],
  };
};

describe('assignScreens', () => {
  it('one screen: three normal windows on it, kiosk and display offset and clipped to the work area', () => {
    const a = assignScreens([LAPTOP], 1, DEFAULT_SCREEN_CHOICES, null);
    expect(a).toEqual({
      desk: {
        displayId: 1,
        bounds: { x: 0, y: 0, width: 1280, height: 860 },
        fullscreen: false,
        kiosk: false,
      },
      kiosk: {
        displayId: 1,
        bounds: { x: 40, y: 40, width: 800, height: 1000 },
        fullscreen: false,
        kiosk: false,
      },
      display: {
        displayId: 1,
        bounds: { x: 80, y: 80, width: 1280, height: 720 },
        fullscreen: false,
        kiosk: false,
      },
    });
  });

  it('one small screen: windows are clipped to the work area', () => {
    const a = assignScreens([display(1, 0, 1024, 768)], 1, DEFAULT_SCREEN_CHOICES, null);
    expect(a.desk.bounds).toEqual({ x: 0, y: 0, width: 1024, height: 728 });
    expect(a.kiosk.bounds).toEqual({ x: 40, y: 0, width: 800, height: 728 });
    expect(a.display.bounds).toEqual({ x: 0, y: 8, width: 1024, height: 720 });
  });

  it('one screen with forced full screen: kiosk in kiosk mode and display full screen over the desk', () => {
    expect(where([LAPTOP], choose(null, null, true))).toEqual({
      desk: [1, false, false],
      kiosk: [1, true, true],
      display: [1, true, false],
    });
  });

  it('full setup: kiosk on the touch screen in kiosk mode, display full screen on the TV', () => {
    const a = assignScreens([LAPTOP, TOUCH, TV], 1, DEFAULT_SCREEN_CHOICES, null);
    expect(a.kiosk).toEqual({ displayId: 2, bounds: TOUCH.bounds, fullscreen: true, kiosk: true });
    expect(a.display).toEqual({ displayId: 3, bounds: TV.bounds, fullscreen: true, kiosk: false });
    expect(a.desk.displayId).toBe(1);
  });

  it('the display goes on the largest external screen', () => {
    expect(where([LAPTOP, SMALL_TV, TV]).display).toEqual([3, true, false]);
    expect(where([LAPTOP, TV, SMALL_TV]).display).toEqual([3, true, false]);
  });

  it('two screens without touch: display full screen on the external one, kiosk windowed on the desk screen', () => {
    expect(where([LAPTOP, TV])).toEqual({
      desk: [1, false, false],
      kiosk: [1, false, false],
      display: [3, true, false],
    });
  });

  it('a touch screen only: kiosk takes it, the display shares the desk screen', () => {
    expect(where([LAPTOP, TOUCH])).toEqual({
      desk: [1, false, false],
      kiosk: [2, true, true],
      display: [1, false, false],
    });
  });

  it('a primary touch screen is not taken for the kiosk by default (it is the desk)', () => {
    expect(where([display(1, 0, 1920, 1080, true), TV]).kiosk).toEqual([1, false, false]);
  });

  it('plug and unplug sequence with defaults', () => {
    const seq = [[LAPTOP], [LAPTOP, TV], [LAPTOP, TV, TOUCH], [LAPTOP, TOUCH], [LAPTOP]].map((ds) =>
      where(ds),
    );
    expect(seq.map((s) => [s.kiosk[0], s.display[0]])).toEqual([
      [1, 1],
      [1, 3],
      [2, 3],
      [2, 1],
      [1, 1],
    ]);
    expect(seq.map((s) => [s.kiosk[1], s.display[1]])).toEqual([
      [false, false],
      [false, true],
      [true, true],
      [true, false],
      [false, false],
    ]);
  });

  it('a chosen display id is used while connected and again after it is plugged back in', () => {
    const choices = choose(null, 4); // the clinic put the display on the small TV
    const seq = [
      [LAPTOP, TV, SMALL_TV],
      [LAPTOP, TV],
      [LAPTOP, TV, SMALL_TV],
    ].map((ds) => where(ds, choices));
    expect(seq.map((s) => s.display)).toEqual([
      [4, true, false],
      [3, true, false],
      [4, true, false],
    ]);
  });

  it('a chosen kiosk screen without touch is honoured, and the display takes the largest other screen', () => {
    expect(where([LAPTOP, TV, SMALL_TV], choose(3, null))).toEqual({
      desk: [1, false, false],
      kiosk: [3, true, true],
      display: [4, true, false],
    });
  });

  it('the display chosen on the touch screen keeps the kiosk off it', () => {
    expect(where([LAPTOP, TOUCH], choose(null, 2))).toEqual({
      desk: [1, false, false],
      kiosk: [1, false, false],
      display: [2, true, false],
    });
  });

  it('kiosk and display chosen on the same screen share it as normal windows', () => {
    expect(where([LAPTOP, TV], choose(3, 3))).toEqual({
      desk: [1, false, false],
      kiosk: [3, false, false],
      display: [3, false, false],
    });
  });

  it('keeps the remembered desk bounds while visible, else falls back to the default', () => {
    const remembered = { x: 100, y: 50, width: 1000, height: 700 };
    expect(assignScreens([LAPTOP], 1, DEFAULT_SCREEN_CHOICES, remembered).desk.bounds).toEqual(remembered);
    // Remembered on a screen that has been unplugged.
    const offscreen = { x: 2500, y: 100, width: 1000, height: 700 };
    expect(assignScreens([LAPTOP], 1, DEFAULT_SCREEN_CHOICES, offscreen).desk.bounds).toEqual({
      x: 0,
      y: 0,
      width: 1280,
      height: 860,
    });
  });

  it('an unknown primary id falls back to the first display; no display throws', () => {
    expect(assignScreens([TV, LAPTOP], 99, DEFAULT_SCREEN_CHOICES, null).desk.displayId).toBe(3);
    expect(() => assignScreens([], 1, DEFAULT_SCREEN_CHOICES, null)).toThrow('no display connected');
  });
});

describe('boundsVisible', () => {
  it('needs 100 × 50 DIP inside a work area', () => {
    expect(boundsVisible({ x: 1820, y: 0, width: 500, height: 500 }, [LAPTOP])).toBe(true);
    expect(boundsVisible({ x: 1821, y: 0, width: 500, height: 500 }, [LAPTOP])).toBe(false);
    expect(boundsVisible({ x: 0, y: 990, width: 500, height: 500 }, [LAPTOP])).toBe(true);
    expect(boundsVisible({ x: 0, y: 991, width: 500, height: 500 }, [LAPTOP])).toBe(false);
  });
});

describe('window state store', () => {
  const tmp = () =>
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-window-state-')), 'window-state.json');

  it('round-trips through the file', () => {
    const file = tmp();
    const state = {
      desk: { bounds: { x: -1200, y: 10, width: 1100, height: 800 }, maximized: true },
      choices: choose(2, 3, true),
    };
    saveWindowState(file, state);
    expect(loadWindowState(file)).toEqual(state);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });

  it('a missing or corrupt file gives the defaults', () => {
    const file = tmp();
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    fs.writeFileSync(file, '{"desk": ');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('nonsense')).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('a bad field falls back alone; the rest is kept', () => {
    expect(
      parseWindowState({
        desk: { bounds: { x: 0, y: 0, width: 0, height: 800 }, maximized: true },
        choices: {
          kiosk: { displayId: 'two', forceFullscreen: true },
          display: { displayId: 7, forceFullscreen: 'yes' },
        },
      }),
    ).toEqual({
      desk: { bounds: null, maximized: true },
      choices: {
        kiosk: { displayId: null, forceFullscreen: true },
        display: { displayId: 7, forceFullscreen: false },
      },
    });
  });
});
