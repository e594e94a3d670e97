/**
 * The app's native settings (the printer per role, auto-print of tickets, the kiosk's camera) in one
 * JSON file under userData, parsed with the IPC contract's schemas; a missing or unreadable file gives
 * the defaults (no printer → PDF, no auto-print, the default camera). Writes go to a temporary file
 * renamed over the old one, so a crash never leaves half a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { cameraChoice, printSettings } from '../shared/ipc-contract.ts';
import type { NativeSettings, NativeSettingsStore } from './ipc.ts';

const fileSchema = z.object({
  print: printSettings.catch({ ticket: null, receipt: null, autoPrintTicket: false }),
  camera: cameraChoice.catch(null),
});

/** Defaults: no printer chosen for either role, no auto-print, the default camera. */
export const DEFAULT_NATIVE_SETTINGS: NativeSettings = {
  print: { ticket: null, receipt: null, autoPrintTicket: false },
  camera: null,
};

/**
 * A store over `file` (e.g. `<userData>/native-settings.json`). Reads the file once; `update` merges
 * and rewrites it.
 */
export function fileSettingsStore(file: string): NativeSettingsStore {
  let current: NativeSettings;
  try {
    current = fileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    current = structuredClone(DEFAULT_NATIVE_SETTINGS);
  }
  return {
    get: () => structuredClone(current),
    update(patch) {
      current = fileSchema.parse({ ...current, ...patch });
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(current, null, 2));
      fs.renameSync(tmp, file);
      return structuredClone(current);
    },
  };
}
