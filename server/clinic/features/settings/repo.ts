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

/**
 * Writes the given keys (already validated by the route) in one transaction, each with its outbox row
 * (key, value, version) and one audit row naming the keys changed and their old and new values.
 * @returns the settings after the change
 */
export function writeSettings(ctx: DbContext, patch: Partial<Settings>, actor: Actor): Settings {
  const now = new Date(ctx.now()).toISOString();
  const before = readSettings(ctx);
  ctx.db.transaction(() => {
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, value] of Object.entries(patch)) {
      ctx.db
        .prepare(
          `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, version = version + 1`,
        )
        .run(key, JSON.stringify(value), now);
      const row = ctx.db.prepare('SELECT key, value, version FROM settings WHERE key = ?').get(key) as {
        key: string;
        value: string;
        version: number;
      };
      writeOutbox(ctx, 'settings', { id: row.key, version: row.version, value: JSON.parse(row.value) });
      changes[key] = { from: before[key as keyof Settings], to: value };
    }
    writeAudit(ctx, actor, 'settings.update', 'settings', null, changes);
  })();
  return readSettings(ctx);
}
