/**
 * The remembered window state in one small JSON file under userData (`window-state.json`): the desk's
 * bounds and maximised flag, and the clinic's screen choices per role (./screens.ts, keyed by display
 * id). Parsing is validated with zod field by field: a missing, corrupt or foreign file, or one bad field,
 * gives that field's default instead of failing the start. Writes go to a temporary file renamed over
 * the old one, so a crash never leaves half a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_SCREEN_CHOICES, type Rect, type ScreenChoices } from './screens.ts';

/** What the file holds. */
export interface WindowState {
  desk: { bounds: Rect | null; maximized: boolean };
  choices: ScreenChoices;
}

/** Nothing remembered: default desk bounds, default screen rules. */
export const DEFAULT_WINDOW_STATE: WindowState = {
  desk: { bounds: null, maximized: false },
  choices: DEFAULT_SCREEN_CHOICES,
};

const coordinate = z.number().int().min(-100_000).max(100_000);
const size = z.number().int().min(1).max(100_000);
const rect = z.object({ x: coordinate, y: coordinate, width: size, height: size });
const role = z.object({
  displayId: z.number().int().nullable().catch(null),
  forceFullscreen: z.boolean().catch(false),
});
const defaultRole = () => ({ displayId: null, forceFullscreen: false });
const fileSchema = z.object({
  desk: z
    .object({ bounds: rect.nullable().catch(null), maximized: z.boolean().catch(false) })
    .catch({ bounds: null, maximized: false }),
  choices: z
    .object({ kiosk: role.catch(defaultRole), display: role.catch(defaultRole) })
    .catch(() => ({ kiosk: defaultRole(), display: defaultRole() })),
});

/**
 * Validates parsed JSON into a WindowState; each invalid or missing part falls back to its default.
 * @param json anything (the parsed file)
 */
export function parseWindowState(json: unknown): WindowState {
  const parsed = fileSchema.safeParse(json);
  return parsed.success ? parsed.data : structuredClone(DEFAULT_WINDOW_STATE);
}

/**
 * Reads `file`; a missing or unreadable file gives the defaults.
 * @param file e.g. `<userData>/window-state.json`
 */
export function loadWindowState(file: string): WindowState {
  try {
    return parseWindowState(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return structuredClone(DEFAULT_WINDOW_STATE);
  }
}

/**
 * Writes `state` to `file` atomically (temporary file + rename), creating its folder.
 * @param file e.g. `<userData>/window-state.json`
 */
export function saveWindowState(file: string, state: WindowState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
