/**
 * Which screen each window goes on (issue 11 part 2), as a pure function of the connected displays, the
 * clinic's choices and the desk's remembered bounds, so plug/unplug sequences are unit-tested; main calls
 * it at start and again on every `display-added`, `display-removed` and `display-metrics-changed`.
 *
 * Rules:
 * - The desk is a normal window on the primary screen, at its remembered bounds while they are visible.
 * - A role the clinic assigned to a display id (tray "move display", the settings' screens:assign) goes
 *   there while that display is connected, and back there when it is plugged in again.
 * - Otherwise the kiosk goes on a non-primary screen that reports touch (`touchSupport: 'available'`),
 *   and the display on the largest non-primary screen (by pixel area) the kiosk does not use.
 * - A role with a screen to itself is full screen (the kiosk in kiosk mode); a role sharing a screen with
 *   the desk or the other role is a normal window on it (one screen: three normal windows), unless the
 *   clinic forces full screen for it.
 */

/** A rectangle in screen coordinates (DIP), as Electron's Rectangle. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The fields of Electron's Display used here. */
export interface DisplayInfo {
  id: number;
  bounds: Rect;
  workArea: Rect;
  touchSupport: 'available' | 'unavailable' | 'unknown';
}

/** The clinic's choice for one role: a display id (null: the default rule) and forced full screen. */
export interface RoleChoice {
  displayId: number | null;
  forceFullscreen: boolean;
}

/** The clinic's choices for the kiosk and the display (persisted by ./screens-store.ts). */
export interface ScreenChoices {
  kiosk: RoleChoice;
  display: RoleChoice;
}

/** Where one window goes: its display, its bounds, full screen, and (kiosk only) kiosk mode. */
export interface Placement {
  displayId: number;
  bounds: Rect;
  fullscreen: boolean;
  kiosk: boolean;
}

/** The three windows' placements. */
export interface ScreenAssignment {
  desk: Placement;
  kiosk: Placement;
  display: Placement;
}

/** No choice: both roles follow the default rules. */
export const DEFAULT_SCREEN_CHOICES: ScreenChoices = {
  kiosk: { displayId: null, forceFullscreen: false },
  display: { displayId: null, forceFullscreen: false },
};

/** Default window sizes when not full screen, in DIP. */
const DEFAULT_SIZE = {
  desk: { width: 1280, height: 860 },
  kiosk: { width: 800, height: 1000 },
  display: { width: 1280, height: 720 },
} as const;
/** Offsets of the kiosk and display windows from the work area's corner when sharing a screen. */
const OFFSET = { desk: 0, kiosk: 40, display: 80 } as const;
/** A remembered desk rectangle must overlap some work area by at least this much to be reused, in DIP. */
const MIN_VISIBLE = { width: 100, height: 50 } as const;

const area = (r: Rect) => r.width * r.height;

function overlap(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y),
  };
}

/**
 * Whether `bounds` overlaps some display's work area by at least 100 × 50 DIP (so a window restored
 * there can be grabbed and moved).
 */
export function boundsVisible(bounds: Rect, displays: readonly DisplayInfo[]): boolean {
  return displays.some((d) => {
    const o = overlap(bounds, d.workArea);
    return o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height;
  });
}

/** A window of `size` (clipped to the work area) at `offset` from the work area's top-left corner. */
function windowed(d: DisplayInfo, size: { width: number; height: number }, offset: number): Rect {
  const width = Math.min(size.width, d.workArea.width);
  const height = Math.min(size.height, d.workArea.height);
  return {
    x: d.workArea.x + Math.min(offset, d.workArea.width - width),
    y: d.workArea.y + Math.min(offset, d.workArea.height - height),
    width,
    height,
  };
}

/**
 * Places the desk, kiosk and display windows (rules in the module comment).
 * @param displays the connected displays (Electron's screen.getAllDisplays()); at least one
 * @param primaryId the primary display's id (screen.getPrimaryDisplay().id); the first display if absent
 * @param choices the clinic's choices per role
 * @param deskBounds the desk's remembered bounds, or null
 * @throws Error when `displays` is empty
 */
export function assignScreens(
  displays: readonly DisplayInfo[],
  primaryId: number,
  choices: ScreenChoices,
  deskBounds: Rect | null,
): ScreenAssignment {
  const primary = displays.find((d) => d.id === primaryId) ?? displays[0];
  if (!primary) throw new Error('no display connected');
  const others = displays.filter((d) => d.id !== primary.id);
  const connected = (id: number | null) => (id === null ? undefined : displays.find((d) => d.id === id));

  const chosenDisplay = connected(choices.display.displayId);
  const kioskScreen =
    connected(choices.kiosk.displayId) ??
    others.find((d) => d.touchSupport === 'available' && d.id !== chosenDisplay?.id) ??
    primary;
  const largestFree = [...others]
    .filter((d) => d.id !== kioskScreen.id)
    .sort((a, b) => area(b.bounds) - area(a.bounds) || a.id - b.id)[0];
  const displayScreen = chosenDisplay ?? largestFree ?? primary;

  const alone = (d: DisplayInfo, other: DisplayInfo) => d.id !== primary.id && d.id !== other.id;
  const kioskFull = alone(kioskScreen, displayScreen) || choices.kiosk.forceFullscreen;
  const displayFull = alone(displayScreen, kioskScreen) || choices.display.forceFullscreen;

  const desk: Placement = {
    displayId: primary.id,
    bounds:
      deskBounds && boundsVisible(deskBounds, displays)
        ? { ...deskBounds }
        : windowed(primary, DEFAULT_SIZE.desk, OFFSET.desk),
    fullscreen: false,
    kiosk: false,
  };
  return {
    desk,
    kiosk: {
      displayId: kioskScreen.id,
      bounds: kioskFull ? { ...kioskScreen.bounds } : windowed(kioskScreen, DEFAULT_SIZE.kiosk, OFFSET.kiosk),
      fullscreen: kioskFull,
      kiosk: kioskFull,
    },
    display: {
      displayId: displayScreen.id,
      bounds: displayFull
        ? { ...displayScreen.bounds }
        : windowed(displayScreen, DEFAULT_SIZE.display, OFFSET.display),
      fullscreen: displayFull,
      kiosk: false,
    },
  };
}
