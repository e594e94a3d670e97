/** Clinic settings: one JSON value per key in `settings`, validated against `settingsSchema`. */
import type { Db } from '../../db/database.ts';
import { writeOutbox } from '../../db/changes.ts';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../../domain/settings.ts';

export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored: Record<string, unknown> = {};
  for (const r of rows) stored[r.key] = JSON.parse(r.value);
  // Unknown or invalid stored keys fall back to defaults rather than breaking the clinic's day.
  const merged = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const parsed = settingsSchema.shape[key].safeParse(stored[key]);
    if (parsed.success) (merged as Record<string, unknown>)[key] = parsed.data;
  }
  return merged;
}

/** Writes the given keys (already validated by the route) in one transaction. */
export function writeSettings(db: Db, patch: Partial<Settings>): Settings {
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const [key, value] of Object.entries(patch)) {
      db.prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, version = version + 1`,
      ).run(key, JSON.stringify(value), now);
      const row = db.prepare('SELECT key, value, version FROM settings WHERE key = ?').get(key) as {
        key: string;
        value: string;
        version: number;
      };
      writeOutbox(db, 'settings', { id: row.key, version: row.version });
    }
  })();
  return readSettings(db);
}
