/** Clinic settings: one JSON value per key in `settings`, validated against `settingsSchema`. */
import type { DbContext } from '../../db/database.ts';
import { writeAudit, writeOutbox, type Actor } from '../../db/changes.ts';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../../domain/settings.ts';

/** Every setting: the stored value where it is valid, the default otherwise. */
export function readSettings(ctx: DbContext): Settings {
  const rows = ctx.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
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

/** A `settings` row as stored: `value` is JSON text. */
interface SettingRow {
  key: string;
  value: string;
  updated_at: string;
  version: number;
}

/**
 * A setting's outbox snapshot: the row as stored with `id` = key and `value` decoded from its JSON text
 * (`JSON.stringify(payload.value)` is the stored text). Settings hold no patient data.
 */
function settingSnapshot(row: SettingRow) {
  return {
    id: row.key,
    key: row.key,
    value: JSON.parse(row.value) as unknown,
    updated_at: row.updated_at,
    version: row.version,
  };
}

/**
 * Writes the given keys (already validated by the route) in one transaction. Keys whose stored value is
 * already the one given are left alone; each key that changes gets its version bumped and an outbox row
 * (the row as stored, value decoded), and the change gets one audit row 'settings.update' whose detail
 * maps each changed key to `{ from, to }` (the effective value before, defaults included, and after).
 * @returns the settings after the change
 */
export function writeSettings(ctx: DbContext, patch: Partial<Settings>, actor: Actor): Settings {
  const now = new Date(ctx.now()).toISOString();
  ctx.db.transaction(() => {
    const before = readSettings(ctx);
    const read = ctx.db.prepare('SELECT key, value, updated_at, version FROM settings WHERE key = ?');
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, value] of Object.entries(patch)) {
      const text = JSON.stringify(value);
      if ((read.get(key) as SettingRow | undefined)?.value === text) continue;
      ctx.db
        .prepare(
          `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, version = version + 1`,
        )
        .run(key, text, now);
      writeOutbox(ctx, 'settings', settingSnapshot(read.get(key) as SettingRow));
      changes[key] = { from: before[key as keyof Settings], to: value };
    }
    if (Object.keys(changes).length > 0) writeAudit(ctx, actor, 'settings.update', 'settings', null, changes);
  })();
  return readSettings(ctx);
}
